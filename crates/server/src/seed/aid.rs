//! Demo hardship-aid programs (three open now, one closed) and applications in every state.
use contract::validate::check_character;
use sqlx::{Any, Transaction};

use crate::clock::china_date;

const DAY: i64 = 86_400;

pub const SEND_WARMTH: &str = "aidp_send_warmth";
pub const GOLDEN_AUTUMN: &str = "aidp_golden_autumn";
pub const SERIOUS_ILLNESS: &str = "aidp_serious_illness";
/// Its window closed a month ago.
pub const SPECIAL_RELIEF: &str = "aidp_special_relief";

/// (id, kind, name zh/en, summary zh/en, rules zh/en, documents zh/en, opens/closes in days
/// from now, amounts: (label zh, label en, yuan, school level, up to))
type Program = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    i64,
    &'static [(&'static str, &'static str, i64, Option<&'static str>, bool)],
);

const PROGRAMS: [Program; 4] = [
    (
        SEND_WARMTH,
        "send_warmth",
        "春节送温暖",
        "Spring Festival \"Send Warmth\"",
        "春节前为困难职工家庭发放慰问金，每户3,000元，直接发放至会员服务卡。",
        "A Spring Festival grant of 3,000 yuan per household in hardship, paid onto the member card.",
        "持有已激活的会员服务卡且会籍有效\n家庭人均月收入低于本市最低工资标准，或因病、因灾、子女就学等原因生活困难\n每户每年限申请一次",
        "An active member card and valid membership\nHousehold income per person below the city minimum wage, or hardship from illness, disaster or schooling\nOne application per household per year",
        "身份证正反面照片\n户口簿或居住证\n家庭收入证明（单位或社区出具）\n困难情况证明材料（病历、受灾证明等）",
        "Both sides of the resident ID card\nHousehold register or residence permit\nProof of household income (employer or community)\nEvidence of the hardship (medical records, disaster certificate…)",
        -20,
        40,
        &[("每户", "Per household", 3_000, None, false)],
    ),
    (
        GOLDEN_AUTUMN,
        "golden_autumn",
        "金秋助学",
        "\"Golden Autumn\" education aid",
        "资助困难职工子女（或职工本人）就读高中、中职和大学：高中/中职每人2,500元，大专/本科每人3,500元。",
        "Grants for members' children (or members) in hardship at school: 2,500 yuan for senior high or secondary vocational, 3,500 yuan for college or undergraduate study.",
        "持有已激活的会员服务卡且会籍有效\n家庭生活困难\n学生当年被录取或在读于普通高中、中职、大专或本科",
        "An active member card and valid membership\nA household in hardship\nThe student is admitted to or enrolled at a senior high, vocational school, college or university this year",
        "身份证正反面照片\n录取通知书或在读证明\n学费缴费凭证\n家庭困难情况证明",
        "Both sides of the resident ID card\nAdmission letter or proof of enrolment\nTuition receipt\nProof of the household's hardship",
        -10,
        50,
        &[
            (
                "普通高中每人",
                "Senior high, per student",
                2_500,
                Some("senior_high"),
                false,
            ),
            (
                "中职每人",
                "Secondary vocational, per student",
                2_500,
                Some("secondary_vocational"),
                false,
            ),
            (
                "大专每人",
                "College, per student",
                3_500,
                Some("college"),
                false,
            ),
            (
                "本科每人",
                "Undergraduate, per student",
                3_500,
                Some("undergraduate"),
                false,
            ),
        ],
    ),
    (
        SERIOUS_ILLNESS,
        "serious_illness",
        "大病救助",
        "Serious-illness relief",
        "职工本人或家庭成员患重大疾病、自付医疗费用负担沉重的，按自付费用核定救助，最高20,000元。全年受理。",
        "Relief for members whose household bears heavy out-of-pocket costs for a serious illness, assessed on those costs, up to 20,000 yuan. Open all year.",
        "持有已激活的会员服务卡且会籍有效\n本人或共同生活的家庭成员患重大疾病\n医保报销后个人自付费用超过家庭年收入的30%",
        "An active member card and valid membership\nThe member or a household member has a serious illness\nOut-of-pocket costs after medical insurance exceed 30% of household yearly income",
        "身份证正反面照片\n二级及以上医院诊断证明\n医疗费用发票及医保结算单\n家庭收入证明",
        "Both sides of the resident ID card\nDiagnosis from a grade-2 or higher hospital\nMedical invoices and insurance settlement statements\nProof of household income",
        -200,
        165,
        &[("最高", "Up to", 20_000, None, true)],
    ),
    (
        SPECIAL_RELIEF,
        "special_relief",
        "爱心卡专项救助",
        "Love-card special relief",
        "对遭遇突发变故的困难职工给予一次性专项救助，最高5,000元。本期已截止。",
        "One-off relief for members hit by a sudden misfortune, up to 5,000 yuan. This round has closed.",
        "持有已激活的会员服务卡且会籍有效\n因突发事件导致家庭生活陷入困境",
        "An active member card and valid membership\nA sudden event has left the household in hardship",
        "身份证正反面照片\n突发事件证明材料\n家庭收入证明",
        "Both sides of the resident ID card\nEvidence of the event\nProof of household income",
        -120,
        -30,
        &[("最高", "Up to", 5_000, None, true)],
    ),
];

/// Programs and the demo applications.
pub async fn seed(tx: &mut Transaction<'_, Any>, now: i64) -> sqlx::Result<()> {
    for (order, program) in PROGRAMS.iter().enumerate() {
        let (
            id,
            kind,
            name_zh,
            name_en,
            sum_zh,
            sum_en,
            rules_zh,
            rules_en,
            doc_zh,
            doc_en,
            opens,
            closes,
            amounts,
        ) = *program;
        sqlx::query(
            "INSERT INTO aid_programs (id, kind, name_zh, name_en, summary_zh, summary_en, rules_zh, rules_en,
                documents_zh, documents_en, opens_on, closes_on, sort_order)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(id)
        .bind(kind)
        .bind(name_zh)
        .bind(name_en)
        .bind(sum_zh)
        .bind(sum_en)
        .bind(rules_zh)
        .bind(rules_en)
        .bind(doc_zh)
        .bind(doc_en)
        .bind(china_date(now + opens * DAY))
        .bind(china_date(now + closes * DAY))
        .bind(order as i64)
        .execute(&mut **tx)
        .await?;
        for (position, (zh, en, yuan, level, up_to)) in amounts.iter().enumerate() {
            sqlx::query(
                "INSERT INTO aid_program_amounts (program_id, position, label_zh, label_en, amount_fen, school_level, up_to)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(position as i64)
            .bind(*zh)
            .bind(*en)
            .bind(yuan * 100)
            .bind(*level)
            .bind(i64::from(*up_to))
            .execute(&mut **tx)
            .await?;
        }
    }
    for application in applications() {
        application.insert(tx, now).await?;
    }
    Ok(())
}

/// A history step: (status, actor, days ago, note, amount in yuan).
type Step = (
    &'static str,
    &'static str,
    i64,
    Option<&'static str>,
    Option<i64>,
);

/// A demo application.
struct Demo {
    id: &'static str,
    member: &'static str,
    /// Index of the member in core's seed, for their household's ID numbers.
    member_index: usize,
    program: &'static str,
    hardship: &'static str,
    income_yuan: i64,
    household: &'static [(&'static str, &'static str, &'static str)],
    schooling: Option<(&'static str, &'static str, &'static str)>,
    illness: Option<(&'static str, &'static str, &'static str, i64)>,
    steps: &'static [Step],
}

/// One per state, on demo members whose cards are active (or were, when they applied).
fn applications() -> Vec<Demo> {
    vec![
        Demo {
            id: "aid_demo_paid",
            member: "mem_demo001",
            member_index: 0,
            program: SERIOUS_ILLNESS,
            hardship: "妻子确诊慢性肾功能衰竭，需长期透析，医保报销后每月自付约四千元，家庭仅靠本人工资维持。",
            income_yuan: 6_800,
            household: &[
                ("张伟", "applicant", "物流司机"),
                ("陈丽", "spouse", "无业（患病）"),
                ("张小雨", "child", "在校学生"),
            ],
            schooling: None,
            illness: Some((
                "陈丽",
                "慢性肾功能衰竭（尿毒症期）",
                "深圳市人民医院",
                48_000,
            )),
            steps: &[
                ("submitted", "member", 60, None, None),
                ("under_review", "reviewer", 58, None, None),
                (
                    "approved",
                    "reviewer",
                    45,
                    Some("经区总工会审核，按自付费用核定救助。"),
                    Some(15_000),
                ),
                ("paid", "reviewer", 40, None, Some(15_000)),
            ],
        },
        Demo {
            id: "aid_demo_more_info",
            member: "mem_demo008",
            member_index: 7,
            program: SEND_WARMTH,
            hardship: "去年工厂停产后收入下降，父亲中风偏瘫需要照顾，家中两个孩子上学，生活比较困难。",
            income_yuan: 3_900,
            household: &[
                ("黄强", "applicant", "普工"),
                ("黄建国", "parent", "退休（患病）"),
                ("黄思琪", "child", "在校学生"),
            ],
            schooling: None,
            illness: None,
            steps: &[
                ("submitted", "member", 12, None, None),
                ("under_review", "reviewer", 10, None, None),
                (
                    "more_info_needed",
                    "reviewer",
                    8,
                    Some("请补充社区居委会出具的家庭困难情况证明"),
                    None,
                ),
            ],
        },
        Demo {
            id: "aid_demo_under_review",
            member: "mem_demo009",
            member_index: 8,
            program: GOLDEN_AUTUMN,
            hardship: "儿子今年考上大专，学费和住宿费共一万余元，本人月收入较低，妻子打零工，难以负担。",
            income_yuan: 5_200,
            household: &[
                ("周杰", "applicant", "保安"),
                ("吴梅", "spouse", "临时工"),
                ("周子航", "child", "大专新生"),
            ],
            schooling: Some(("周子航", "college", "深圳职业技术大学")),
            illness: None,
            steps: &[
                ("submitted", "member", 6, None, None),
                ("under_review", "reviewer", 4, None, None),
            ],
        },
        Demo {
            id: "aid_demo_withdrawn",
            member: "mem_demo009",
            member_index: 8,
            program: SERIOUS_ILLNESS,
            hardship: "母亲住院手术，费用较高，后经医保及单位互助基金报销，家庭已能负担。",
            income_yuan: 5_200,
            household: &[("周杰", "applicant", "保安"), ("刘桂兰", "parent", "退休")],
            schooling: None,
            illness: Some(("刘桂兰", "股骨颈骨折", "香港大学深圳医院", 9_000)),
            steps: &[
                ("submitted", "member", 30, None, None),
                (
                    "withdrawn",
                    "member",
                    25,
                    Some("费用已由单位互助基金解决"),
                    None,
                ),
            ],
        },
        Demo {
            id: "aid_demo_submitted",
            member: "mem_demo013",
            member_index: 12,
            program: SEND_WARMTH,
            hardship: "本人工伤后停工休养半年，仅领取基本工资，爱人无固定收入，家中老人常年服药。",
            income_yuan: 3_300,
            household: &[
                ("马超", "applicant", "装配工（休养中）"),
                ("李秀梅", "spouse", "无固定工作"),
                ("马德福", "parent", "务农"),
            ],
            schooling: None,
            illness: None,
            steps: &[("submitted", "member", 2, None, None)],
        },
        Demo {
            id: "aid_demo_approved",
            member: "mem_demo020",
            member_index: 19,
            program: GOLDEN_AUTUMN,
            hardship: "女儿考入本科院校，本人单亲抚养，月收入不足五千元，学费压力较大。",
            income_yuan: 4_800,
            household: &[
                ("罗霞", "applicant", "收银员"),
                ("罗佳怡", "child", "本科新生"),
            ],
            schooling: Some(("罗佳怡", "undergraduate", "深圳大学")),
            illness: None,
            steps: &[
                ("submitted", "member", 20, None, None),
                ("under_review", "reviewer", 18, None, None),
                ("approved", "reviewer", 5, None, Some(3_500)),
            ],
        },
        Demo {
            id: "aid_demo_rejected",
            member: "mem_demo027",
            member_index: 26,
            program: SEND_WARMTH,
            hardship: "今年房租上涨，孩子上幼儿园费用增加，家庭开支紧张。",
            income_yuan: 16_500,
            household: &[
                ("韩冬", "applicant", "技术员"),
                ("孙悦", "spouse", "文员"),
                ("韩乐乐", "child", "幼儿园"),
            ],
            schooling: None,
            illness: None,
            steps: &[
                ("submitted", "member", 15, None, None),
                ("under_review", "reviewer", 13, None, None),
                (
                    "rejected",
                    "reviewer",
                    9,
                    Some("家庭人均月收入高于本市困难职工认定标准"),
                    None,
                ),
            ],
        },
        Demo {
            id: "aid_demo_paid_school",
            member: "mem_demo034",
            member_index: 33,
            program: GOLDEN_AUTUMN,
            hardship: "儿子就读中职学校，本人患慢性病不能加班，收入减少，学费和生活费难以负担。",
            income_yuan: 4_100,
            household: &[
                ("田亮", "applicant", "仓管员"),
                ("田浩宇", "child", "中职学生"),
            ],
            schooling: Some(("田浩宇", "secondary_vocational", "深圳市第一职业技术学校")),
            illness: None,
            steps: &[
                ("submitted", "member", 40, None, None),
                ("under_review", "reviewer", 38, None, None),
                ("approved", "reviewer", 30, None, Some(2_500)),
                ("paid", "reviewer", 26, None, Some(2_500)),
            ],
        },
    ]
}

/// A valid ID number for the `n`th household member of the member at `index`.
fn household_id(index: usize, n: usize) -> String {
    let year = 1950 + (index * 5 + n * 17) % 60;
    let month = 1 + (index + n * 5) % 12;
    let day = 1 + (index * 7 + n * 3) % 28;
    let first17 = format!(
        "440306{year:04}{month:02}{day:02}{:03}",
        300 + index * 10 + n
    );
    let check = check_character(first17.as_bytes()) as char;
    format!("{first17}{check}")
}

/// A one-page PDF standing in for a scanned document.
const DEMO_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

impl Demo {
    async fn insert(&self, tx: &mut Transaction<'_, Any>, now: i64) -> sqlx::Result<()> {
        let at = |days: i64| now - days * DAY;
        let last = self.steps.last().expect("every demo has a step");
        let approved = self.steps.iter().rev().find_map(|s| s.4);
        let paid = last.0 == "paid";
        let card: Option<Option<String>> =
            sqlx::query_scalar("SELECT number FROM cards WHERE member_id = $1")
                .bind(self.member)
                .fetch_optional(&mut **tx)
                .await?;
        sqlx::query(
            "INSERT INTO aid_applications (id, member_id, program_id, idempotency_key, request_hash, status,
                household_monthly_income_fen, hardship, student_name, school_level, school, enrolment_year,
                patient_name, diagnosis, hospital, out_of_pocket_fen, declared_at, approved_fen, paid_on,
                paid_to_card, submitted_at, updated_at)
             VALUES ($1, $2, $3, $4, 'seed', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $16, $20)",
        )
        .bind(self.id)
        .bind(self.member)
        .bind(self.program)
        .bind(format!("seed-{}", self.id))
        .bind(last.0)
        .bind(self.income_yuan * 100)
        .bind(self.hardship)
        .bind(self.schooling.map(|s| s.0))
        .bind(self.schooling.map(|s| s.1))
        .bind(self.schooling.map(|s| s.2))
        .bind(self.schooling.map(|_| i64::from(chrono_year(now))))
        .bind(self.illness.map(|i| i.0))
        .bind(self.illness.map(|i| i.1))
        .bind(self.illness.map(|i| i.2))
        .bind(self.illness.map(|i| i.3 * 100))
        .bind(at(self.steps[0].2))
        .bind(approved.map(|yuan| yuan * 100))
        .bind(paid.then(|| china_date(at(last.2))))
        .bind(if paid { card.flatten() } else { None })
        .bind(at(last.2))
        .execute(&mut **tx)
        .await?;
        for (n, (name, relation, occupation)) in self.household.iter().enumerate() {
            sqlx::query(
                "INSERT INTO aid_household_members (application_id, position, name, relation, resident_id, occupation)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(self.id)
            .bind(n as i64)
            .bind(*name)
            .bind(*relation)
            .bind(household_id(self.member_index, n))
            .bind(*occupation)
            .execute(&mut **tx)
            .await?;
        }
        let attachment = format!("att_{}", self.id.trim_start_matches("aid_"));
        sqlx::query(
            "INSERT INTO aid_attachments (id, member_id, filename, content_type, size_bytes, sha256, uploaded_at, stored_in)
             VALUES ($1, $2, '困难情况证明.pdf', 'application/pdf', $3, 'seed', $4, 'database')",
        )
        .bind(&attachment)
        .bind(self.member)
        .bind(DEMO_PDF.len() as i64)
        .bind(at(self.steps[0].2))
        .execute(&mut **tx)
        .await?;
        // Demo documents stay in the database whichever store new uploads go to.
        sqlx::query("INSERT INTO document_blobs (object_key, content) VALUES ($1, $2)")
            .bind(crate::documents::aid_key(&attachment))
            .bind(DEMO_PDF.to_vec())
            .execute(&mut **tx)
            .await?;
        for (seq, (status, actor, days, note, amount)) in self.steps.iter().enumerate() {
            let event = format!("{}_{seq}", self.id);
            sqlx::query(
                "INSERT INTO aid_application_events (id, application_id, status, actor, at, note, amount_fen, seq)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&event)
            .bind(self.id)
            .bind(*status)
            .bind(*actor)
            .bind(at(*days))
            .bind(*note)
            .bind(amount.map(|yuan| yuan * 100))
            .bind(seq as i64 + 1)
            .execute(&mut **tx)
            .await?;
            if seq == 0 {
                sqlx::query(
                    "INSERT INTO aid_application_attachments (application_id, attachment_id, event_id) VALUES ($1, $2, $3)",
                )
                .bind(self.id)
                .bind(&attachment)
                .bind(&event)
                .execute(&mut **tx)
                .await?;
            }
        }
        Ok(())
    }
}

fn chrono_year(now: i64) -> u16 {
    china_date(now)[..4].parse().unwrap_or(2026)
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::aid::AidStatus;
    use contract::validate::ResidentId;

    #[test]
    fn demo_household_ids_are_valid() {
        for demo in applications() {
            for n in 0..demo.household.len() {
                let id = household_id(demo.member_index, n);
                assert!(ResidentId::parse(&id).is_ok(), "{id}");
            }
        }
    }

    #[test]
    fn demo_applications_cover_every_state() {
        let states: Vec<&str> = applications()
            .iter()
            .map(|d| d.steps.last().unwrap().0)
            .collect();
        for status in AidStatus::ALL {
            assert!(states.contains(&status.as_str()), "{status:?}");
        }
    }
}
