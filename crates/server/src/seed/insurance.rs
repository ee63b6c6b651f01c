//! Demo mutual-aid plans (Tianjin and Shenzhen models), every member's entitlements matching
//! their card, and a few claims in different states.
use sqlx::{Any, Transaction};

const DAY: i64 = 86_400;
const HOTLINE: &str = "12351";

/// (id, name zh/en, sum insured in yuan, covers zh/en, exclusions zh/en, documents zh/en,
/// activation gift)
type Plan = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
);

pub const PLANS: [Plan; 5] = [
    (
        "ins_serious_illness",
        "职工重大疾病互助保障",
        "Serious-illness mutual aid",
        10_000,
        "保障期内首次确诊癌症、慢性肾功能衰竭（尿毒症）、重要器官移植、白血病等所列重大疾病，一次性给付1万元。",
        "A one-off 10,000 yuan on first diagnosis, within the cover period, of a listed serious illness such as cancer, chronic renal failure, a major organ transplant or leukaemia.",
        "保障开始前已确诊的疾病；保障开始后90天内确诊的疾病。",
        "Illnesses diagnosed before cover began or within 90 days of its start.",
        "会员服务卡\n身份证\n二级及以上医院的诊断证明\n病理或检查报告",
        "Member card\nResident ID card\nDiagnosis certificate from a grade-2 or higher hospital\nPathology or test reports",
        false,
    ),
    (
        "ins_accidental_death",
        "职工意外身故互助保障",
        "Accidental death mutual aid",
        20_000,
        "因非工作原因遭受意外伤害，并在180天内因此身故，给付2万元。",
        "20,000 yuan if the member dies within 180 days of an accident not at work.",
        "工伤（由工伤保险赔付）；自杀、酒驾、违法犯罪行为导致的伤亡。",
        "Work injuries (covered by work-injury insurance); suicide, drink-driving or crime.",
        "身故会员的会员服务卡\n死亡证明\n意外事故证明（交警、派出所等出具）\n受益人身份证及关系证明",
        "The member's card\nDeath certificate\nAccident report (traffic police, police station…)\nBeneficiary's ID and proof of relationship",
        false,
    ),
    (
        "ins_home_fire",
        "家庭财产火灾互助保障",
        "Home fire mutual aid",
        10_000,
        "会员自有或租住的住所因火灾造成家庭财产损失，按损失核定给付，最高1万元。",
        "Loss of household belongings in a fire at the member's own or rented home, paid as assessed, up to 10,000 yuan.",
        "故意纵火；经营性场所的财产损失。",
        "Arson by the household; property used for business.",
        "会员服务卡\n身份证\n消防部门出具的火灾事故认定书\n损失清单及现场照片",
        "Member card\nResident ID card\nFire-department incident report\nList of losses and photos",
        false,
    ),
    (
        "ins_inpatient",
        "职工住院津贴互助保障",
        "Inpatient allowance mutual aid",
        21_600,
        "因病或意外住院，每天补贴120元，每次住院最多180天，保障期内累计最高21,600元。",
        "120 yuan a day in hospital for illness or accident, at most 180 days per stay and 21,600 yuan per cover period.",
        "住院前3天；美容、体检、康复疗养性质的住院。",
        "The first 3 days; cosmetic, check-up or convalescent stays.",
        "会员服务卡\n身份证\n出院小结\n住院费用清单",
        "Member card\nResident ID card\nDischarge summary\nItemised hospital bill",
        false,
    ),
    (
        "ins_mother_baby",
        "母婴安康互助保障",
        "Mother-and-baby mutual aid",
        1_000,
        "女职工在保障期内生育或患所列妇科疾病，给付1,000元。会员服务卡激活大礼包赠送。",
        "1,000 yuan for a woman member who gives birth or is diagnosed with a listed gynaecological illness during the cover period. Part of the card-activation gift pack.",
        "保障开始前已怀孕或已确诊的情况。",
        "Pregnancy or illness that began before cover started.",
        "会员服务卡\n身份证\n出生医学证明或诊断证明",
        "Member card\nResident ID card\nBirth certificate or diagnosis certificate",
        true,
    ),
];

const HOW_TO_CLAIM_ZH: &str = "出险后30天内拨打12351报案，备齐所需材料交所在基层工会，经区总工会审核后，保障金直接发放至会员服务卡。";
const HOW_TO_CLAIM_EN: &str = "Call 12351 within 30 days, then hand the documents to your grassroots union. After the district federation's review, the money is paid onto your member card.";

/// Plans, entitlements for every seeded member, and claims.
pub async fn seed(tx: &mut Transaction<'_, Any>, now: i64) -> sqlx::Result<()> {
    for (order, plan) in PLANS.iter().enumerate() {
        let (id, name_zh, name_en, yuan, covers_zh, covers_en, ex_zh, ex_en, doc_zh, doc_en, gift) =
            *plan;
        sqlx::query(
            "INSERT INTO insurance_plans (id, name_zh, name_en, sum_insured_fen, covers_zh, covers_en,
                exclusions_zh, exclusions_en, documents_zh, documents_en, how_to_claim_zh, how_to_claim_en,
                hotline, activation_gift, sort_order)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(id)
        .bind(name_zh)
        .bind(name_en)
        .bind(yuan * 100)
        .bind(covers_zh)
        .bind(covers_en)
        .bind(ex_zh)
        .bind(ex_en)
        .bind(doc_zh)
        .bind(doc_en)
        .bind(HOW_TO_CLAIM_ZH)
        .bind(HOW_TO_CLAIM_EN)
        .bind(HOTLINE)
        .bind(i64::from(gift))
        .bind(order as i64)
        .execute(&mut **tx)
        .await?;
    }
    seed_entitlements(tx, now).await?;
    seed_claims(tx, now).await
}

/// Cover runs a year from the card's activation; members whose card was never activated hold
/// their entitlements pending, without dates.
async fn seed_entitlements(tx: &mut Transaction<'_, Any>, now: i64) -> sqlx::Result<()> {
    let members: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT m.id, c.activated_on FROM members m LEFT JOIN cards c ON c.member_id = m.id ORDER BY m.id",
    )
    .fetch_all(&mut **tx)
    .await?;
    for (index, (member_id, activated_on)) in members.iter().enumerate() {
        let until = activated_on.as_deref().and_then(|from| {
            chrono::NaiveDate::parse_from_str(from, "%Y-%m-%d")
                .ok()
                .map(|d| (d + chrono::Days::new(364)).format("%Y-%m-%d").to_string())
        });
        // The gift pack goes to every other member, and to the first three demo logins.
        let gift = index % 2 == 1 || index < 3;
        for (plan_id, is_gift) in PLANS.iter().map(|p| (p.0, p.10)) {
            if is_gift && !gift {
                continue;
            }
            insert_entitlement(
                tx,
                &format!(
                    "ent_{}_{}",
                    member_id.trim_start_matches("mem_"),
                    plan_id.trim_start_matches("ins_")
                ),
                member_id,
                plan_id,
                activated_on.as_deref(),
                until.as_deref(),
            )
            .await?;
        }
    }
    // 张伟's previous cover period, now over.
    let previous_from = crate::clock::china_date(now - 480 * DAY);
    let previous_until = crate::clock::china_date(now - 116 * DAY);
    insert_entitlement(
        tx,
        "ent_demo001_serious_illness_prev",
        "mem_demo001",
        "ins_serious_illness",
        Some(&previous_from),
        Some(&previous_until),
    )
    .await
}

async fn insert_entitlement(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    member_id: &str,
    plan_id: &str,
    from: Option<&str>,
    until: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO insurance_entitlements (id, member_id, plan_id, sum_insured_fen, covered_from, covered_until)
         SELECT $1, $2, p.id, p.sum_insured_fen, $4, $5 FROM insurance_plans p WHERE p.id = $3",
    )
    .bind(id)
    .bind(member_id)
    .bind(plan_id)
    .bind(from)
    .bind(until)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// (claim id, entitlement, member, incident zh/en, days ago, claimed yuan, approved yuan,
/// steps: (status, days ago, note zh, note en))
type Claim = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    i64,
    Option<i64>,
    &'static [(&'static str, i64, Option<(&'static str, &'static str)>)],
);

const CLAIMS: [Claim; 4] = [
    (
        "icl_demo_1",
        "ent_demo001_inpatient",
        "mem_demo001",
        "急性阑尾炎住院治疗 30 天",
        "30 days in hospital for acute appendicitis",
        60,
        3_600,
        Some(3_240),
        &[
            ("submitted", 50, None),
            ("under_review", 48, None),
            (
                "approved",
                40,
                Some((
                    "扣除住院前3天，按27天核定3,240元。",
                    "Assessed at 27 days (first 3 excluded): 3,240 yuan.",
                )),
            ),
            ("paid", 35, None),
        ],
    ),
    (
        "icl_demo_2",
        "ent_demo008_serious_illness",
        "mem_demo008",
        "首次确诊甲状腺恶性肿瘤",
        "First diagnosis of thyroid cancer",
        20,
        10_000,
        None,
        &[("submitted", 12, None), ("under_review", 10, None)],
    ),
    (
        "icl_demo_3",
        "ent_demo009_home_fire",
        "mem_demo009",
        "出租屋厨房电线短路起火",
        "Kitchen fire from a short circuit in the rented flat",
        45,
        6_000,
        None,
        &[
            ("submitted", 40, None),
            (
                "more_info_needed",
                35,
                Some((
                    "请补充消防部门出具的火灾事故认定书。",
                    "Please add the fire department's incident report.",
                )),
            ),
            ("under_review", 30, None),
            (
                "rejected",
                25,
                Some((
                    "火灾认定书显示起火点为经营性商铺，不属于保障范围。",
                    "The report shows the fire started in a shop, which is not covered.",
                )),
            ),
        ],
    ),
    (
        "icl_demo_4",
        "ent_demo005_inpatient",
        "mem_demo005",
        "腰椎间盘突出住院治疗 12 天",
        "12 days in hospital for a herniated disc",
        15,
        1_440,
        Some(1_080),
        &[
            ("submitted", 10, None),
            ("under_review", 8, None),
            (
                "approved",
                3,
                Some((
                    "会员卡已挂失，补卡后发放。",
                    "Your card is reported lost; payment follows once it is replaced.",
                )),
            ),
        ],
    ),
];

async fn seed_claims(tx: &mut Transaction<'_, Any>, now: i64) -> sqlx::Result<()> {
    for (id, entitlement, member, zh, en, incident_days, claimed, approved, steps) in CLAIMS {
        let status = steps.last().map(|s| s.0).unwrap_or("submitted");
        let card: Option<Option<String>> =
            sqlx::query_scalar("SELECT number FROM cards WHERE member_id = $1")
                .bind(member)
                .fetch_optional(&mut **tx)
                .await?;
        let paid_to = (status == "paid").then(|| card.flatten()).flatten();
        sqlx::query(
            "INSERT INTO insurance_claims (id, entitlement_id, member_id, incident_zh, incident_en, incident_on,
                claimed_fen, approved_fen, status, paid_to_card, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(id)
        .bind(entitlement)
        .bind(member)
        .bind(zh)
        .bind(en)
        .bind(crate::clock::china_date(now - incident_days * DAY))
        .bind(claimed * 100)
        .bind(approved.map(|yuan| yuan * 100))
        .bind(status)
        .bind(paid_to)
        .bind(now - steps.first().map(|s| s.1).unwrap_or(0) * DAY)
        .execute(&mut **tx)
        .await?;
        for (n, (step, days, note)) in steps.iter().enumerate() {
            sqlx::query(
                "INSERT INTO insurance_claim_events (id, claim_id, status, at, note_zh, note_en)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(format!("{id}_{n}"))
            .bind(id)
            .bind(*step)
            .bind(now - days * DAY)
            .bind(note.map(|n| n.0))
            .bind(note.map(|n| n.1))
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}
