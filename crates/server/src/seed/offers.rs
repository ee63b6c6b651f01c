//! Demo partner merchants and offers: 200 ordinary merchants spread over the 8 categories and 8
//! districts of Shenzhen, plus a handful of limited "flash" offers with stock, and some coupons
//! for the demo members. Deterministic: ids, names, places and stock never change between runs.
use contract::offers::{OfferCategory, Redemption};
use sqlx::{Any, Transaction};

const DAY: i64 = 86_400;

/// A limited offer with stock 1 (the "last ticket" the concurrency test races for).
pub const LAST_ONE_OFFER: &str = "ofr_flash_park";
/// A limited offer already sold out.
pub const SOLD_OUT_OFFER: &str = "ofr_flash_soldout";
/// A limited offer with plenty of stock.
pub const CINEMA_OFFER: &str = "ofr_flash_cinema";
/// A limited offer whose validity has ended (not listed; its coupons are expired).
pub const EXPIRED_OFFER: &str = "ofr_flash_bookfair";
/// The number of ordinary (unlimited) offers, one per merchant `mch_0001`…`mch_0200`.
pub const ORDINARY_OFFERS: usize = 200;

/// (code, Chinese, English, centre latitude, centre longitude, streets, places)
type District = (
    &'static str,
    &'static str,
    &'static str,
    f64,
    f64,
    [&'static str; 6],
    [&'static str; 4],
);

pub const DISTRICTS: [District; 8] = [
    (
        "futian",
        "福田区",
        "Futian",
        22.5431,
        114.0579,
        [
            "深南中路",
            "福华三路",
            "华强北路",
            "红荔路",
            "益田路",
            "景田北路",
        ],
        ["华强北", "车公庙", "景田", "梅林"],
    ),
    (
        "luohu",
        "罗湖区",
        "Luohu",
        22.5482,
        114.1315,
        [
            "人民南路",
            "东门中路",
            "解放路",
            "宝安南路",
            "建设路",
            "春风路",
        ],
        ["东门", "国贸", "笋岗", "翠竹"],
    ),
    (
        "nanshan",
        "南山区",
        "Nanshan",
        22.5333,
        113.9305,
        [
            "南海大道",
            "科苑路",
            "后海大道",
            "南山大道",
            "桃园路",
            "沙河西路",
        ],
        ["科技园", "海岸城", "蛇口", "西丽"],
    ),
    (
        "yantian",
        "盐田区",
        "Yantian",
        22.5577,
        114.2369,
        [
            "沙头角路",
            "海山路",
            "深盐路",
            "盐田路",
            "大梅沙海滨路",
            "东海道",
        ],
        ["沙头角", "大梅沙", "盐田港", "海山"],
    ),
    (
        "baoan",
        "宝安区",
        "Bao'an",
        22.5552,
        113.8838,
        [
            "新安二路",
            "宝民一路",
            "创业一路",
            "前进一路",
            "西乡大道",
            "福永大道",
        ],
        ["西乡", "新安", "福永", "沙井"],
    ),
    (
        "longgang",
        "龙岗区",
        "Longgang",
        22.7200,
        114.2470,
        [
            "龙岗大道",
            "龙城大道",
            "布吉路",
            "五和大道",
            "横岗大道",
            "清林路",
        ],
        ["龙城", "布吉", "坂田", "横岗"],
    ),
    (
        "longhua",
        "龙华区",
        "Longhua",
        22.6565,
        114.0446,
        [
            "人民路",
            "民治大道",
            "梅龙大道",
            "龙华大道",
            "观澜大道",
            "大浪路",
        ],
        ["民治", "观澜", "大浪", "龙华中心"],
    ),
    (
        "guangming",
        "光明区",
        "Guangming",
        22.7488,
        113.9361,
        [
            "光明大道",
            "华夏路",
            "公明大道",
            "观光路",
            "牛山路",
            "东周路",
        ],
        ["公明", "光明中心", "凤凰城", "马田"],
    ),
];

/// A kind of merchant and its usual member offer. `{p}` in the name is the place, `{d}` the
/// district.
struct Template {
    name: &'static str,
    discount_zh: &'static str,
    discount_en: &'static str,
    terms_zh: &'static str,
    terms_en: &'static str,
    redemption: Redemption,
}

const fn t(
    name: &'static str,
    discount_zh: &'static str,
    discount_en: &'static str,
    terms_zh: &'static str,
    terms_en: &'static str,
    redemption: Redemption,
) -> Template {
    Template {
        name,
        discount_zh,
        discount_en,
        terms_zh,
        terms_en,
        redemption,
    }
}

const SHOW: Redemption = Redemption::ShowCard;
const PAY: Redemption = Redemption::PayWithCard;

const SHOW_TERMS_ZH: &str =
    "结账前出示电子会员卡或实体会员服务卡，每人每次限用一次，不与店内其他优惠同享。";
const SHOW_TERMS_EN: &str = "Show your e-card or member card before paying; once per visit; not combined with other in-store offers.";
const PAY_TERMS_ZH: &str = "使用工会会员服务卡（银联借记卡）支付即自动享受，无需出示其他凭证。";
const PAY_TERMS_EN: &str =
    "Applied automatically when you pay with the union member card (a UnionPay debit card).";

const DINING: &[Template] = &[
    t(
        "潮汕牛肉火锅（{p}店）",
        "会员就餐9折",
        "10% off meals for members",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "老街肠粉（{p}店）",
        "会员早餐立减3元",
        "3 yuan off breakfast",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "客家王酒家（{p}店）",
        "刷会员卡满100减15",
        "15 yuan off every 100 paid with the member card",
        PAY_TERMS_ZH,
        PAY_TERMS_EN,
        PAY,
    ),
    t(
        "椰子鸡火锅（{p}店）",
        "会员就餐8.8折（酒水除外）",
        "12% off meals (drinks excluded)",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "兰州牛肉拉面（{p}店）",
        "会员拉面加量不加价",
        "Extra-large noodles at the regular price",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "湘里人家湘菜馆（{p}店）",
        "会员午市套餐立减5元",
        "5 yuan off lunch sets",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "港式茶餐厅（{p}店）",
        "会员下午茶套餐9折",
        "10% off afternoon-tea sets",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "职工食堂·{p}快餐",
        "会员工作餐每份12元",
        "Workers' set meal at 12 yuan",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "东北饺子馆（{p}店）",
        "会员堂食9.5折",
        "5% off dine-in",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
];

const TRANSPORT: &[Template] = &[
    t(
        "鹏程汽车美容（{p}店）",
        "会员1元洗车（每月1次）",
        "1-yuan car wash (once a month)",
        "限小型车普洗，每张会员卡每月一次，需提前电话预约。",
        "Standard wash for small cars, once a month per member card; book by phone.",
        SHOW,
    ),
    t(
        "洁速洗车中心（{p}）",
        "会员1元洗车（每月1次）",
        "1-yuan car wash (once a month)",
        "限小型车普洗，每张会员卡每月一次，需提前电话预约。",
        "Standard wash for small cars, once a month per member card; book by phone.",
        SHOW,
    ),
    t(
        "深圳出租车{p}服务站",
        "出租车刷会员卡每单立减2元",
        "2 yuan off each taxi ride paid with the card",
        "在合作出租车上使用会员服务卡闪付，每日最多优惠2次。",
        "Tap the member card in partner taxis; at most twice a day.",
        PAY,
    ),
    t(
        "鹏城汽车维修（{p}店）",
        "汽车保养工时费8折",
        "20% off car-service labour",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "中石化加油站（{p}站）",
        "刷会员卡加油每升优惠0.3元",
        "0.3 yuan off per litre of fuel paid with the card",
        PAY_TERMS_ZH,
        PAY_TERMS_EN,
        PAY,
    ),
    t(
        "{p}公共自行车服务点",
        "会员公共自行车年卡半价",
        "Half-price annual public-bicycle pass",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "{d}公交IC卡充值点",
        "公交乘车刷会员卡9.5折",
        "5% off bus fares paid with the card",
        PAY_TERMS_ZH,
        PAY_TERMS_EN,
        PAY,
    ),
];

const MEDICAL: &[Template] = &[
    t(
        "{d}人民医院",
        "会员普通门诊挂号费全免",
        "Free registration for ordinary outpatient visits",
        "持实名会员服务卡在人工窗口挂号，限本人使用。",
        "Register at a staffed counter with your real-name member card; for the member only.",
        SHOW,
    ),
    t(
        "{p}社区健康服务中心",
        "会员挂号费全免",
        "Registration fee waived",
        "持实名会员服务卡挂号，限本人使用。",
        "Register with your real-name member card; for the member only.",
        SHOW,
    ),
    t(
        "海王星辰药店（{p}店）",
        "会员药店购药9折",
        "10% off at the pharmacy",
        "处方药及医保统筹支付部分除外。",
        "Excludes prescription drugs and the part paid by medical insurance.",
        SHOW,
    ),
    t(
        "大参林药房（{p}店）",
        "会员购药9折",
        "10% off medicines",
        "处方药及医保统筹支付部分除外。",
        "Excludes prescription drugs and the part paid by medical insurance.",
        SHOW,
    ),
    t(
        "美年大健康体检中心（{p}）",
        "职工体检套餐7折",
        "30% off health-check packages",
        "需提前一天预约，到店出示会员卡。",
        "Book a day ahead and show your member card.",
        SHOW,
    ),
    t(
        "仁爱口腔门诊（{p}）",
        "会员洁牙5折",
        "Half-price dental cleaning",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "明视眼镜（{p}店）",
        "会员配镜8折",
        "20% off glasses",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
];

const CULTURE_SPORTS: &[Template] = &[
    t(
        "中影国际影城（{p}店）",
        "会员9元观影（工作日）",
        "9-yuan cinema tickets on weekdays",
        "工作日2D场次，每卡每日限2张，节假日及特殊场次除外。",
        "Weekday 2D shows, 2 tickets per card per day; holidays and premieres excluded.",
        SHOW,
    ),
    t(
        "{p}公园",
        "公园门票五折",
        "Half-price park tickets",
        "售票窗口出示会员卡，限本人。",
        "Show your member card at the ticket office; for the member only.",
        SHOW,
    ),
    t(
        "力健健身房（{p}店）",
        "健身房月卡8折",
        "20% off monthly gym passes",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "{d}体育馆",
        "体育馆羽毛球场地半价",
        "Half-price badminton courts",
        "工作日9:00–17:00时段，需提前预订。",
        "Weekdays 9:00–17:00; book ahead.",
        SHOW,
    ),
    t(
        "{d}游泳馆",
        "会员游泳单次票10元",
        "10-yuan swimming sessions",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "深圳书城（{p}）",
        "会员购书8.5折",
        "15% off books",
        "教材教辅及特价书除外。",
        "Textbooks and sale books excluded.",
        SHOW,
    ),
    t(
        "{p}职工文化宫",
        "文体培训班报名立减100元",
        "100 yuan off culture and sports classes",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
];

const EDUCATION: &[Template] = &[
    t(
        "鹏城职业技能培训学校（{p}校区）",
        "职业技能培训课程8折",
        "20% off vocational skills courses",
        "取得职业资格证书后可另申请工会技能补贴。",
        "After certification you may also apply for the union's skills subsidy.",
        SHOW,
    ),
    t(
        "安达驾校（{p}报名点）",
        "驾校报名立减500元",
        "500 yuan off driving-school enrolment",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "{p}职工学校",
        "学历提升课程学费9折",
        "10% off degree-course fees",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "启航电脑培训中心（{p}）",
        "电脑办公培训免费试听两节",
        "Two free trial computer lessons",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "金匠电工焊工培训站（{p}）",
        "电工焊工考证培训立减300元",
        "300 yuan off electrician and welder certificate training",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "新语外语培训（{p}校区）",
        "英语口语课程8.5折",
        "15% off spoken-English courses",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
];

const SHOPPING: &[Template] = &[
    t(
        "华润万家超市（{p}店）",
        "刷会员卡满100减10",
        "10 yuan off every 100 paid with the member card",
        PAY_TERMS_ZH,
        PAY_TERMS_EN,
        PAY,
    ),
    t(
        "天虹商场（{p}店）",
        "会员购物9.5折",
        "5% off purchases",
        "黄金珠宝、烟酒及特价商品除外。",
        "Gold, jewellery, tobacco, alcohol and sale items excluded.",
        SHOW,
    ),
    t(
        "苏宁电器（{p}店）",
        "家电以旧换新再享9.5折",
        "Extra 5% off trade-in appliances",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "劳保用品商店（{p}店）",
        "劳保鞋服8折",
        "20% off work boots and workwear",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "百佳超市（{p}店）",
        "每周三刷会员卡9.5折",
        "5% off on Wednesdays with the member card",
        PAY_TERMS_ZH,
        PAY_TERMS_EN,
        PAY,
    ),
    t(
        "快修手机维修（{p}店）",
        "手机换屏工时费全免",
        "No labour charge for phone screen replacement",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
];

const DAILY_LIFE: &[Template] = &[
    t(
        "顺丰速运（{p}营业点）",
        "会员寄快递8折",
        "20% off express delivery",
        "限深圳寄出的普通快件，到营业点出示会员卡。",
        "Ordinary parcels sent from Shenzhen; show your card at the counter.",
        SHOW,
    ),
    t(
        "邮政快递（{p}网点）",
        "会员寄件首重立减3元",
        "3 yuan off the first kilo",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "天威数字电视（{p}营业厅）",
        "数字电视收视费9折",
        "10% off digital-TV subscriptions",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "匠心理发（{p}店）",
        "会员理发7折",
        "30% off haircuts",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "好帮手家政（{p}）",
        "家政保洁首单立减30元",
        "30 yuan off the first home cleaning",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "干净洗衣（{p}店）",
        "会员洗衣8折",
        "20% off laundry",
        SHOW_TERMS_ZH,
        SHOW_TERMS_EN,
        SHOW,
    ),
    t(
        "{p}职工书屋",
        "电子书阅读账号免费开通",
        "Free e-book reading account",
        "凭会员卡现场开通，一人一号。",
        "Opened on site with your member card; one account per member.",
        SHOW,
    ),
];

const FINANCE: &[Template] = &[
    t(
        "中国银行深圳{p}支行",
        "会员卡免年费、免小额账户管理费",
        "No annual or small-balance fees on the member card",
        "自动享受，无需申请。",
        "Automatic; nothing to apply for.",
        PAY,
    ),
    t(
        "中国银行{p}自助银行",
        "每月前3笔跨行ATM取款免手续费",
        "First 3 inter-bank ATM withdrawals each month free",
        "境内银联ATM，按自然月计算。",
        "Domestic UnionPay ATMs, counted per calendar month.",
        PAY,
    ),
    t(
        "中国银行{p}营业部",
        "手机银行跨行转账免手续费",
        "Free inter-bank transfers in mobile banking",
        PAY_TERMS_ZH,
        PAY_TERMS_EN,
        PAY,
    ),
    t(
        "中银理财服务中心（{p}）",
        "职工专享储蓄利率上浮",
        "Higher savings rate for members",
        "以网点公告为准。",
        "As posted at the branch.",
        SHOW,
    ),
];

fn templates(category: OfferCategory) -> &'static [Template] {
    match category {
        OfferCategory::Dining => DINING,
        OfferCategory::Transport => TRANSPORT,
        OfferCategory::Medical => MEDICAL,
        OfferCategory::CultureSports => CULTURE_SPORTS,
        OfferCategory::Education => EDUCATION,
        OfferCategory::Shopping => SHOPPING,
        OfferCategory::DailyLife => DAILY_LIFE,
        OfferCategory::Finance => FINANCE,
    }
}

/// A tiny deterministic generator, so the demo city is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn date(unix: i64) -> String {
    crate::clock::china_date(unix)
}

/// A merchant to insert.
struct Merchant {
    id: String,
    name: String,
    category: OfferCategory,
    district: usize,
    address: String,
    phone: String,
    lat_e6: i64,
    lng_e6: i64,
}

fn merchant(
    rng: &mut Lcg,
    id: String,
    name_pattern: &str,
    category: OfferCategory,
    district: usize,
    place: usize,
) -> Merchant {
    let (_, district_zh, _, lat, lng, streets, places) = DISTRICTS[district];
    let street = streets[rng.below(streets.len() as u64) as usize];
    let number = 1 + rng.below(3000);
    // Up to about ±2.5 km from the district centre.
    let lat_e6 = (lat * 1e6) as i64 + rng.below(45_000) as i64 - 22_500;
    let lng_e6 = (lng * 1e6) as i64 + rng.below(48_000) as i64 - 24_000;
    Merchant {
        id,
        name: name_pattern
            .replace("{p}", places[place % places.len()])
            .replace("{d}", district_zh),
        category,
        district,
        address: format!("{district_zh}{street}{number}号"),
        phone: format!("0755-{}", 2000_0000 + rng.below(7000_0000)),
        lat_e6,
        lng_e6,
    }
}

async fn insert_merchant(tx: &mut Transaction<'_, Any>, m: &Merchant) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO merchants (id, name, category, district, address, phone, lat_e6, lng_e6)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&m.id)
    .bind(&m.name)
    .bind(m.category.as_str())
    .bind(DISTRICTS[m.district].0)
    .bind(&m.address)
    .bind(&m.phone)
    .bind(m.lat_e6)
    .bind(m.lng_e6)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An offer to insert.
struct Offer<'a> {
    id: &'a str,
    merchant_id: &'a str,
    discount_zh: &'a str,
    discount_en: &'a str,
    terms_zh: &'a str,
    terms_en: &'a str,
    redemption: Redemption,
    valid_from: String,
    valid_until: String,
    stock: Option<(i64, i64)>,
}

async fn insert_offer(tx: &mut Transaction<'_, Any>, o: Offer<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO offers (id, merchant_id, discount_zh, discount_en, terms_zh, terms_en, redemption,
            valid_from, valid_until, stock_total, stock_left)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(o.id)
    .bind(o.merchant_id)
    .bind(o.discount_zh)
    .bind(o.discount_en)
    .bind(o.terms_zh)
    .bind(o.terms_en)
    .bind(o.redemption.as_str())
    .bind(o.valid_from)
    .bind(o.valid_until)
    .bind(o.stock.map(|(total, _)| total))
    .bind(o.stock.map(|(_, left)| left))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Districts, merchants, offers and the demo members' coupons.
pub async fn seed(tx: &mut Transaction<'_, Any>, now: i64) -> sqlx::Result<()> {
    for (order, (code, zh, en, ..)) in DISTRICTS.iter().enumerate() {
        sqlx::query(
            "INSERT INTO offer_districts (code, name_zh, name_en, sort_order) VALUES ($1, $2, $3, $4)",
        )
        .bind(*code)
        .bind(*zh)
        .bind(*en)
        .bind(order as i64)
        .execute(&mut **tx)
        .await?;
    }
    let mut rng = Lcg(20_260_101);
    for i in 0..ORDINARY_OFFERS {
        let category = OfferCategory::ALL[i % 8];
        let k = i / 8;
        let district = k % DISTRICTS.len();
        let list = templates(category);
        let template = &list[k % list.len()];
        let m = merchant(
            &mut rng,
            format!("mch_{:04}", i + 1),
            template.name,
            category,
            district,
            k / DISTRICTS.len(),
        );
        insert_merchant(tx, &m).await?;
        let offer_id = format!("ofr_{:04}", i + 1);
        insert_offer(
            tx,
            Offer {
                id: &offer_id,
                merchant_id: &m.id,
                discount_zh: template.discount_zh,
                discount_en: template.discount_en,
                terms_zh: template.terms_zh,
                terms_en: template.terms_en,
                redemption: template.redemption,
                valid_from: date(now - (30 + rng.below(300) as i64) * DAY),
                valid_until: date(now + (90 + rng.below(270) as i64) * DAY),
                stock: None,
            },
        )
        .await?;
    }
    seed_flash_offers(tx, &mut rng, now).await?;
    seed_coupons(tx, now).await
}

/// (offer id, merchant name, category, district index, discount zh/en, stock total, stock left,
/// days of validity left)
type Flash = (
    &'static str,
    &'static str,
    OfferCategory,
    usize,
    &'static str,
    &'static str,
    i64,
    i64,
    i64,
);

async fn seed_flash_offers(
    tx: &mut Transaction<'_, Any>,
    rng: &mut Lcg,
    now: i64,
) -> sqlx::Result<()> {
    use OfferCategory::*;
    const COUPON_TERMS_ZH: &str = "限量发放，每位会员限领一张；到店出示券码核销，过期作废。";
    const COUPON_TERMS_EN: &str =
        "Limited; one coupon per member. Show the code at the merchant before it expires.";
    let flash: [Flash; 6] = [
        (
            CINEMA_OFFER,
            "中影国际影城（华强北旗舰店）",
            CultureSports,
            0,
            "免费抢电影票（每人1张）",
            "Free cinema ticket flash draw (1 per member)",
            100,
            37,
            20,
        ),
        (
            LAST_ONE_OFFER,
            "深圳欢乐谷",
            CultureSports,
            2,
            "欢乐谷门票免费抢（每人限1张）",
            "Free Happy Valley ticket flash draw (1 per member)",
            50,
            1,
            15,
        ),
        (
            SOLD_OUT_OFFER,
            "东部华侨城大峡谷",
            CultureSports,
            3,
            "景区门票免费抢（已抢完）",
            "Free scenic-area ticket flash draw (all claimed)",
            20,
            0,
            10,
        ),
        (
            "ofr_flash_gym",
            "力健健身房（海岸城旗舰店）",
            CultureSports,
            2,
            "健身房体验周卡免费领",
            "Free one-week gym pass",
            60,
            58,
            45,
        ),
        (
            "ofr_flash_checkup",
            "美年大健康体检中心（福田旗舰店）",
            Medical,
            0,
            "职工基础体检免费领（限量30份）",
            "Free basic health check (30 available)",
            30,
            12,
            30,
        ),
        (
            EXPIRED_OFFER,
            "深圳书城（中心书城）",
            CultureSports,
            0,
            "读书月50元购书券",
            "50-yuan book voucher for Reading Month",
            200,
            0,
            -5,
        ),
    ];
    for (n, (id, name, category, district, zh, en, total, left, days)) in
        flash.into_iter().enumerate()
    {
        let m = merchant(
            rng,
            format!("mch_flash_{}", n + 1),
            name,
            category,
            district,
            0,
        );
        insert_merchant(tx, &m).await?;
        insert_offer(
            tx,
            Offer {
                id,
                merchant_id: &m.id,
                discount_zh: zh,
                discount_en: en,
                terms_zh: COUPON_TERMS_ZH,
                terms_en: COUPON_TERMS_EN,
                redemption: Redemption::Coupon,
                valid_from: date(now - 40 * DAY),
                valid_until: date(now + days * DAY),
                stock: Some((total, left)),
            },
        )
        .await?;
    }
    Ok(())
}

/// (coupon id, offer, member, code, claimed days ago, used days ago)
type DemoCoupon = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    Option<i64>,
);

/// Coupons the demo members already hold, in every status.
async fn seed_coupons(tx: &mut Transaction<'_, Any>, now: i64) -> sqlx::Result<()> {
    let coupons: [DemoCoupon; 6] = [
        (
            "cpn_demo_1",
            CINEMA_OFFER,
            "mem_demo001",
            "520113800001",
            3,
            None,
        ),
        (
            "cpn_demo_2",
            "ofr_flash_gym",
            "mem_demo001",
            "520113800002",
            9,
            Some(7),
        ),
        (
            "cpn_demo_3",
            EXPIRED_OFFER,
            "mem_demo001",
            "520113800003",
            30,
            None,
        ),
        (
            "cpn_demo_4",
            SOLD_OUT_OFFER,
            "mem_demo008",
            "520113800004",
            6,
            None,
        ),
        (
            "cpn_demo_5",
            SOLD_OUT_OFFER,
            "mem_demo009",
            "520113800005",
            6,
            Some(2),
        ),
        (
            "cpn_demo_6",
            "ofr_flash_checkup",
            "mem_demo009",
            "520113800006",
            12,
            None,
        ),
    ];
    for (id, offer, member, code, claimed, used) in coupons {
        sqlx::query(
            "INSERT INTO coupons (id, offer_id, member_id, code, claimed_at, used_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(offer)
        .bind(member)
        .bind(code)
        .bind(now - claimed * DAY)
        .bind(used.map(|d| now - d * DAY))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_has_offer_templates() {
        for category in OfferCategory::ALL {
            assert!(templates(category).len() >= 4, "{category:?}");
        }
    }

    #[test]
    fn merchant_names_are_unique() {
        let mut rng = Lcg(1);
        let mut names = std::collections::HashSet::new();
        for i in 0..ORDINARY_OFFERS {
            let category = OfferCategory::ALL[i % 8];
            let k = i / 8;
            let list = templates(category);
            let m = merchant(
                &mut rng,
                String::new(),
                list[k % list.len()].name,
                category,
                k % 8,
                k / 8,
            );
            assert!(names.insert(m.name.clone()), "duplicate {}", m.name);
        }
    }
}
