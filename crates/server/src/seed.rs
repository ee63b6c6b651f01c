//! Demo data: a realistic city union with members in every card state, deterministic so tests
//! and the e2e suite can rely on it. Figures follow the domain brief (Shenzhen model).
use contract::card::CardStatus;
use contract::validate::check_character;
use sqlx::{Any, Transaction};

use crate::AppState;
use crate::notify::{self, Message};

pub mod aid;
pub mod insurance;
pub mod offers;

/// Password of every demo member.
pub const DEMO_PASSWORD: &str = "Union2026";
/// Kiosk PIN of every demo card.
pub const DEMO_PIN: &str = "246810";
const DAY: i64 = 86_400;

/// A demo member with a memorable phone number, one per card state.
pub struct DemoLogin {
    pub phone: &'static str,
    pub name: &'static str,
    pub status: CardStatus,
}

pub const DEMO_LOGINS: [DemoLogin; 9] = [
    DemoLogin {
        phone: "13800000001",
        name: "张伟",
        status: CardStatus::Active,
    },
    DemoLogin {
        phone: "13800000002",
        name: "李娜",
        status: CardStatus::AwaitingActivation,
    },
    DemoLogin {
        phone: "13800000003",
        name: "王芳",
        status: CardStatus::InProduction,
    },
    DemoLogin {
        phone: "13800000004",
        name: "刘洋",
        status: CardStatus::NotApplied,
    },
    DemoLogin {
        phone: "13800000005",
        name: "陈静",
        status: CardStatus::ReportedLost,
    },
    DemoLogin {
        phone: "13800000006",
        name: "杨磊",
        status: CardStatus::Frozen,
    },
    DemoLogin {
        phone: "13800000007",
        name: "赵敏",
        status: CardStatus::Cancelled,
    },
    DemoLogin {
        phone: "13800000008",
        name: "黄强",
        status: CardStatus::Active,
    },
    DemoLogin {
        phone: "13800000009",
        name: "周杰",
        status: CardStatus::Active,
    },
];

const MORE_NAMES: [&str; 41] = [
    "吴秀英",
    "徐明",
    "孙丽",
    "马超",
    "朱红",
    "胡斌",
    "郭静",
    "何涛",
    "高燕",
    "林峰",
    "罗霞",
    "郑军",
    "梁婷",
    "谢勇",
    "宋佳",
    "唐鹏",
    "许琳",
    "韩冬",
    "冯雪",
    "邓辉",
    "曹阳",
    "彭英",
    "曾华",
    "肖蓉",
    "田亮",
    "董梅",
    "袁刚",
    "潘玉",
    "于凯",
    "蒋兰",
    "蔡伟",
    "余萍",
    "杜鑫",
    "叶倩",
    "程浩",
    "苏敏",
    "魏东",
    "吕娟",
    "丁波",
    "任洁",
    "沈飞",
];

const UNIONS: [(&str, &str, &str); 4] = [
    (
        "uni_nanshan_tech",
        "深圳市总工会 / 南山区总工会 / 粤海街道总工会 / 深圳前海科技有限公司工会",
        "Shenzhen Federation of Trade Unions / Nanshan District Federation / Yuehai Street Federation / Qianhai Technology Co. Union",
    ),
    (
        "uni_futian_logistics",
        "深圳市总工会 / 福田区总工会 / 华强北街道总工会 / 鹏城物流有限公司工会",
        "Shenzhen Federation of Trade Unions / Futian District Federation / Huaqiangbei Street Federation / Pengcheng Logistics Co. Union",
    ),
    (
        "uni_baoan_manufacturing",
        "深圳市总工会 / 宝安区总工会 / 西乡街道总工会 / 宝安精密制造厂工会",
        "Shenzhen Federation of Trade Unions / Bao'an District Federation / Xixiang Street Federation / Bao'an Precision Works Union",
    ),
    (
        "uni_luohu_community",
        "深圳市总工会 / 罗湖区总工会 / 东门街道社区工会联合会",
        "Shenzhen Federation of Trade Unions / Luohu District Federation / Dongmen Street Community Union",
    ),
];

/// Seeds when there are no members yet and prints the demo logins; says whether it seeded.
pub async fn seed_if_empty(state: &AppState) -> Result<bool, sqlx::Error> {
    let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM members")
        .fetch_one(&state.db)
        .await?;
    if members > 0 {
        return Ok(false);
    }
    seed(state).await?;
    crate::announce(&demo_logins_text());
    Ok(true)
}

/// The demo logins, for the console.
pub fn demo_logins_text() -> String {
    let mut text = String::from(
        "demo data seeded. Demo logins (SMS codes appear in the server log and, with --dev-outbox, at /api/v1/dev/outbox?phone=…):\n",
    );
    for (index, login) in DEMO_LOGINS.iter().enumerate() {
        text.push_str(&format!(
            "  {}  {}  card: {}\n",
            login.phone,
            login.name,
            login.status.as_str()
        ));
        if index == 0 {
            text.push_str(&format!(
                "               kiosk: card number {}, PIN {DEMO_PIN}\n",
                demo_card_number(index)
            ));
        }
    }
    text.push_str(&format!(
        "  password for every demo member: {DEMO_PASSWORD}; kiosk PIN of every issued card: {DEMO_PIN}"
    ));
    text
}

/// The card number of the demo member at `index` (for cards the bank has numbered).
pub fn demo_card_number(index: usize) -> String {
    format!("62170000{:08}", 31_415_000 + index)
}

/// Writes the whole demo city in one transaction.
pub async fn seed(state: &AppState) -> Result<(), sqlx::Error> {
    let now = state.clock.now();
    let password_hash = state.hashing.hash(DEMO_PASSWORD);
    let pin_hash = state.hashing.hash(DEMO_PIN);
    let mut tx = state.db.begin().await?;
    for (id, path_zh, path_en) in UNIONS {
        sqlx::query("INSERT INTO unions (id, path_zh, path_en) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(path_zh)
            .bind(path_en)
            .execute(&mut *tx)
            .await?;
    }
    let demo = DEMO_LOGINS
        .iter()
        .map(|d| (d.phone.to_owned(), d.name, d.status));
    let more = MORE_NAMES.iter().enumerate().map(|(i, name)| {
        (
            format!("139{:08}", 10 + i),
            *name,
            CardStatus::ALL[i % CardStatus::ALL.len()],
        )
    });
    for (index, (phone, name, status)) in demo.chain(more).enumerate() {
        let member = SeedMember {
            index,
            phone: &phone,
            name,
            status,
            now,
        };
        member.insert(&mut tx, &password_hash, &pin_hash).await?;
    }
    seed_service_centres(&mut tx).await?;
    seed_announcements(&mut tx, now).await?;
    offers::seed(&mut tx, now).await?;
    insurance::seed(&mut tx, now).await?;
    aid::seed(&mut tx, now).await?;
    tx.commit().await
}

struct SeedMember<'a> {
    index: usize,
    phone: &'a str,
    name: &'a str,
    status: CardStatus,
    now: i64,
}

impl SeedMember<'_> {
    fn id(&self) -> String {
        format!("mem_demo{:03}", self.index + 1)
    }

    async fn insert(
        &self,
        tx: &mut Transaction<'_, Any>,
        password_hash: &str,
        pin_hash: &str,
    ) -> sqlx::Result<()> {
        let union = UNIONS[self.index % UNIONS.len()].0;
        let lapsed = matches!(self.status, CardStatus::Frozen);
        let joined = date(self.now - (400 + 37 * self.index as i64) * DAY);
        sqlx::query(
            "INSERT INTO members (id, name, resident_id, phone, union_id, joined_on, membership_status, real_name_verified, password_hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(self.id())
        .bind(self.name)
        .bind(demo_resident_id(self.index))
        .bind(self.phone)
        .bind(union)
        .bind(joined)
        .bind(if lapsed { "lapsed" } else { "active" })
        .bind(i64::from(self.status != CardStatus::NotApplied))
        .bind(password_hash)
        .execute(&mut **tx)
        .await?;
        self.insert_card(tx, pin_hash).await?;
        self.insert_notifications(tx).await
    }

    async fn insert_card(&self, tx: &mut Transaction<'_, Any>, pin_hash: &str) -> sqlx::Result<()> {
        let card_id = format!("crd_demo{:03}", self.index + 1);
        let history = card_history(self.status);
        let has_number = !matches!(
            self.status,
            CardStatus::NotApplied | CardStatus::InProduction
        );
        let day_of = |step: usize| self.now - (200 - 30 * step as i64) * DAY;
        sqlx::query(
            "INSERT INTO cards (id, member_id, number, bank_zh, bank_en, status, applied_on, issued_on, activated_on, pin_hash)
             VALUES ($1, $2, $3, '中国银行深圳市分行', 'Bank of China, Shenzhen Branch', $4, $5, $6, $7, $8)",
        )
        .bind(&card_id)
        .bind(self.id())
        .bind(has_number.then(|| demo_card_number(self.index)))
        .bind(self.status.as_str())
        .bind(history.contains(&"applied").then(|| date(day_of(0))))
        .bind(history.contains(&"issued").then(|| date(day_of(2))))
        .bind(history.contains(&"activated").then(|| date(day_of(3))))
        .bind(has_number.then_some(pin_hash))
        .execute(&mut **tx)
        .await?;
        for (step, kind) in history.iter().enumerate() {
            sqlx::query("INSERT INTO card_events (id, card_id, kind, at) VALUES ($1, $2, $3, $4)")
                .bind(format!("cev_demo{:03}_{step}", self.index + 1))
                .bind(&card_id)
                .bind(*kind)
                .bind(day_of(step))
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    async fn insert_notifications(&self, tx: &mut Transaction<'_, Any>) -> sqlx::Result<()> {
        let welcome = Message {
            kind: "announcement",
            title_zh: "欢迎使用工会会员服务",
            title_en: "Welcome to union member services",
            body_zh: "在这里查看会员卡、领取普惠优惠、了解互助保障和申请困难帮扶。如需帮助请拨打 12351。",
            body_en: "See your card, claim member offers, check your mutual-aid cover and apply for hardship aid here. Call 12351 for help.",
        };
        notify::send(tx, &self.id(), welcome, self.now - 3 * DAY).await?;
        if self.status == CardStatus::AwaitingActivation {
            let ready = Message {
                kind: "card",
                title_zh: "会员卡已制作完成",
                title_en: "Your member card is ready",
                body_zh: "请携带本人身份证到中国银行网点面签激活，激活后即可享受会员权益。",
                body_en: "Take your ID card to a Bank of China branch to sign for and activate it; your member benefits start then.",
            };
            notify::send(tx, &self.id(), ready, self.now - DAY).await?;
        }
        Ok(())
    }
}

/// The events a card in `status` has been through, oldest first.
fn card_history(status: CardStatus) -> &'static [&'static str] {
    match status {
        CardStatus::NotApplied => &[],
        CardStatus::InProduction => &["applied"],
        CardStatus::AwaitingActivation => &["applied", "produced", "issued"],
        CardStatus::Active => &["applied", "produced", "issued", "activated"],
        CardStatus::ReportedLost => &[
            "applied",
            "produced",
            "issued",
            "activated",
            "reported_lost",
        ],
        CardStatus::Frozen => &["applied", "produced", "issued", "activated", "frozen"],
        CardStatus::Cancelled => &["applied", "produced", "issued", "activated", "cancelled"],
    }
}

/// A valid (check digit included) Nanshan-district ID number, unique per index.
pub fn demo_resident_id(index: usize) -> String {
    let year = 1966 + (index * 7) % 35;
    let month = 1 + index % 12;
    let day = 1 + (index * 3) % 28;
    let first17 = format!("440305{year:04}{month:02}{day:02}{:03}", 100 + index);
    let check = check_character(first17.as_bytes()) as char;
    format!("{first17}{check}")
}

fn date(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string()
}

async fn seed_announcements(tx: &mut Transaction<'_, Any>, now: i64) -> sqlx::Result<()> {
    let announcements = [
        (
            "ann_warmth",
            "“送温暖”慰问申请开始受理",
            "Spring Festival \"Send Warmth\" aid open",
            "困难职工家庭可通过本平台申请春节送温暖慰问金，每户3000元，经基层工会审核后直接发放到会员服务卡。",
            "Members' households in hardship can apply here for the Spring Festival grant of 3,000 yuan, paid onto the member card after the grassroots union's review.",
            2,
        ),
        (
            "ann_activation",
            "会员服务卡激活送互助保障",
            "Activate your card for mutual-aid cover",
            "会员服务卡激活后即自动享受重大疾病、意外伤害等互助保障，请尚未激活的会员尽快到合作银行网点面签激活。",
            "An activated member card brings free serious-illness and accident mutual-aid cover. Members who have not yet activated theirs should do so at a partner bank branch.",
            10,
        ),
        (
            "ann_hotline",
            "12351职工服务热线全天候服务",
            "The 12351 hotline answers around the clock",
            "法律咨询、困难求助、投诉建议，请拨打12351职工服务热线。",
            "For legal advice, help in hardship, complaints and suggestions, call the 12351 workers' hotline.",
            30,
        ),
    ];
    for (id, title_zh, title_en, body_zh, body_en, days_ago) in announcements {
        sqlx::query(
            "INSERT INTO announcements (id, title_zh, title_en, body_zh, body_en, published_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(title_zh)
        .bind(title_en)
        .bind(body_zh)
        .bind(body_en)
        .bind(now - days_ago * DAY)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn seed_service_centres(tx: &mut Transaction<'_, Any>) -> sqlx::Result<()> {
    let centres = [
        (
            "svc_city",
            "深圳市职工服务中心",
            "Shenzhen Workers' Service Centre",
            "city",
            "福田区",
            "福田区上步中路1011号",
            22_546_900,
            114_085_900,
        ),
        (
            "svc_nanshan",
            "南山区职工服务中心",
            "Nanshan Workers' Service Centre",
            "district",
            "南山区",
            "南山区南海大道2163号",
            22_531_200,
            113_930_400,
        ),
        (
            "svc_baoan",
            "宝安区职工服务中心",
            "Bao'an Workers' Service Centre",
            "district",
            "宝安区",
            "宝安区新安二路33号",
            22_555_700,
            113_883_300,
        ),
        (
            "svc_yuehai",
            "粤海街道职工服务站",
            "Yuehai Street Workers' Station",
            "street",
            "南山区",
            "南山区科苑路8号",
            22_538_600,
            113_952_100,
        ),
        (
            "svc_dongmen",
            "东门街道职工服务站",
            "Dongmen Street Workers' Station",
            "street",
            "罗湖区",
            "罗湖区解放路2001号",
            22_546_300,
            114_120_100,
        ),
    ];
    for (id, name_zh, name_en, level, district, address, lat, lng) in centres {
        sqlx::query(
            "INSERT INTO service_centres (id, name_zh, name_en, level, district, address_zh, hours_zh, hours_en, phone, lat_e6, lng_e6)
             VALUES ($1, $2, $3, $4, $5, $6, '周一至周五 9:00–18:00，周六 9:00–12:00', 'Mon–Fri 9:00–18:00, Sat 9:00–12:00', '12351', $7, $8)",
        )
        .bind(id)
        .bind(name_zh)
        .bind(name_en)
        .bind(level)
        .bind(district)
        .bind(address)
        .bind(lat)
        .bind(lng)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::validate::ResidentId;

    #[test]
    fn every_demo_id_number_is_valid_and_unique() {
        let ids: Vec<String> = (0..60).map(demo_resident_id).collect();
        for id in &ids {
            assert!(ResidentId::parse(id).is_ok(), "{id}");
        }
        let unique: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
    }

    #[test]
    fn demo_logins_cover_every_card_state() {
        for status in CardStatus::ALL {
            assert!(DEMO_LOGINS.iter().any(|d| d.status == status), "{status:?}");
        }
    }
}
