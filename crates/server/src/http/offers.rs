//! Member offers at partner merchants: search with filters, cursor pagination and distance
//! sort; details; claiming a limited offer's coupon (one per member, never oversold); the
//! member's coupons.
use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use contract::aid::FieldProblem;
use contract::error::ErrorEnvelope;
use contract::offers::{
    CategoryCount, ClaimOutcome, Coupon, CouponStatus, DEFAULT_PAGE_SIZE, DistrictCount,
    MAX_PAGE_SIZE, OfferCategory, OfferDetail, OfferPage, OfferQuery, OfferSummary, Redemption,
};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::clock::{china_date, rfc3339};
use crate::crypto::new_id;
use crate::db::is_unique_violation;
use crate::error::{ApiError, ApiResult, Refusal};
use crate::extract::CurrentMember;
use crate::lang::Lang;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(categories))
        .routes(routes!(districts))
        .routes(routes!(detail))
        .routes(routes!(claim))
        .routes(routes!(my_coupons))
}

/// Metres per micro-degree of latitude (and of longitude at the equator).
const METRES_PER_MICRODEGREE: f64 = 0.111_319_49;
/// Longest keyword, in characters.
const MAX_KEYWORD_CHARS: usize = 50;

/// The list query as validated.
#[derive(Debug, Default)]
struct Search {
    category: Option<OfferCategory>,
    district: Option<String>,
    keyword: Option<String>,
    point: Option<(f64, f64)>,
    after: Option<(i64, String)>,
    limit: u32,
}

/// Reads the query string field by field, so each mistake is reported against its field.
fn parse_search(raw: &HashMap<String, String>) -> Result<Search, ApiError> {
    let mut problems = Vec::new();
    let mut problem = |field: &str, code: &'static str| {
        problems.push(FieldProblem {
            field: field.to_owned(),
            code,
        })
    };
    let text = |name: &str| {
        raw.get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let mut search = Search {
        limit: DEFAULT_PAGE_SIZE,
        ..Search::default()
    };
    if let Some(category) = text("category") {
        match OfferCategory::parse(&category) {
            Some(c) => search.category = Some(c),
            None => problem("category", "unknown_category"),
        }
    }
    search.district = text("district");
    if let Some(q) = text("q") {
        if q.chars().count() > MAX_KEYWORD_CHARS {
            problem("q", "too_long");
        } else {
            search.keyword = Some(q);
        }
    }
    let coordinate = |name: &str, bound: f64, problem: &mut dyn FnMut(&str, &'static str)| {
        let value = text(name)?;
        match value.parse::<f64>() {
            Ok(v) if v.is_finite() && v.abs() <= bound => Some(v),
            Ok(_) => {
                problem(name, "out_of_range");
                None
            }
            Err(_) => {
                problem(name, "not_a_number");
                None
            }
        }
    };
    let lat = coordinate("lat", 90.0, &mut problem);
    let lng = coordinate("lng", 180.0, &mut problem);
    match (lat, lng, text("lat"), text("lng")) {
        (Some(lat), Some(lng), ..) => search.point = Some((lat, lng)),
        (None, None, None, None) => {}
        (_, _, None, _) => problem("lat", "required"),
        (_, _, _, None) => problem("lng", "required"),
        _ => {}
    }
    if let Some(limit) = text("limit") {
        match limit.parse::<u32>() {
            Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => search.limit = n,
            Ok(_) => problem("limit", "out_of_range"),
            Err(_) => problem("limit", "not_a_number"),
        }
    }
    if let Some(cursor) = text("cursor") {
        match decode_cursor(&cursor) {
            Some(after) => search.after = Some(after),
            None => problem("cursor", "invalid_cursor"),
        }
    }
    if problems.is_empty() {
        Ok(search)
    } else {
        Err(ApiError::invalid(problems))
    }
}

/// A page boundary: the last item's sort key and id, hex-encoded so clients treat it as opaque.
fn encode_cursor(key: i64, id: &str) -> String {
    format!("c1.{key}.{id}")
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn decode_cursor(cursor: &str) -> Option<(i64, String)> {
    if !cursor.len().is_multiple_of(2) || cursor.len() > 400 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..cursor.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(cursor.get(i..i + 2)?, 16).ok())
        .collect();
    let text = String::from_utf8(bytes?).ok()?;
    let rest = text.strip_prefix("c1.")?;
    let (key, id) = rest.split_once('.')?;
    Some((key.parse().ok()?, id.to_owned()))
}

/// `%` and `_` in a keyword match themselves.
fn like_pattern(keyword: &str) -> String {
    let mut pattern = String::from("%");
    for c in keyword.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// A value bound to a dynamically built query.
enum Arg {
    Text(String),
    Int(i64),
    Float(f64),
}

/// Numbered placeholders for a query built piece by piece.
#[derive(Default)]
struct Args(Vec<Arg>);

impl Args {
    fn push(&mut self, arg: Arg) -> String {
        self.0.push(arg);
        format!("${}", self.0.len())
    }
}

/// One offer of a page, with its merchant, district and sort key (`dk`, the squared
/// distance in micro-degrees, or 0 without a point).
#[derive(sqlx::FromRow)]
struct SummaryRow {
    offer_id: String,
    merchant_id: String,
    merchant_name: String,
    category: String,
    district: String,
    district_zh: String,
    district_en: String,
    address: String,
    lat_e6: i64,
    lng_e6: i64,
    discount_zh: String,
    discount_en: String,
    redemption: String,
    stock_left: Option<i64>,
    valid_until: String,
    dk: i64,
}

const SUMMARY_COLUMNS: &str = "o.id AS offer_id, m.id AS merchant_id, m.name AS merchant_name, m.category AS category,
    m.district AS district, d.name_zh AS district_zh, d.name_en AS district_en, m.address AS address,
    m.lat_e6 AS lat_e6, m.lng_e6 AS lng_e6, o.discount_zh AS discount_zh, o.discount_en AS discount_en,
    o.redemption AS redemption, o.stock_left AS stock_left, o.valid_until AS valid_until";

#[utoipa::path(
    get,
    path = "/offers",
    tag = "offers",
    summary = "Current offers: category, district and keyword filters, cursor pagination, optional distance sort from `lat`/`lng`.",
    params(OfferQuery),
    responses(
        (status = 200, description = "A page of offers; `next_cursor` is absent on the last page", body = OfferPage),
        (status = 422, description = "A bad parameter, named in `fields` (`out_of_range`, `not_a_number`, `unknown_category`, `required`, `invalid_cursor`, `too_long`)", body = ErrorEnvelope),
    ),
)]
async fn list(
    State(state): State<AppState>,
    lang: Lang,
    Query(raw): Query<HashMap<String, String>>,
) -> ApiResult<Json<OfferPage>> {
    Ok(Json(offer_page(&state, lang, &raw).await?))
}

/// The page of offers `GET /offers` answers with this query.
pub(crate) async fn offer_page(
    state: &AppState,
    lang: Lang,
    raw: &HashMap<String, String>,
) -> ApiResult<OfferPage> {
    let search = parse_search(raw)?;
    let today = china_date(state.clock.now());
    let mut args = Args::default();
    let distance_key = match search.point {
        // Equirectangular distance, squared, in micro-degrees: exact enough within a city,
        // and the same integer arithmetic on SQLite and PostgreSQL.
        Some((lat, lng)) => {
            let lat0 = args.push(Arg::Int((lat * 1e6).round() as i64));
            let lng0 = args.push(Arg::Int((lng * 1e6).round() as i64));
            let scale = args.push(Arg::Float(lat.to_radians().cos()));
            format!(
                "CAST((m.lat_e6 - {lat0}) * (m.lat_e6 - {lat0}) + ((m.lng_e6 - {lng0}) * {scale}) * ((m.lng_e6 - {lng0}) * {scale}) AS BIGINT)"
            )
        }
        None => "CAST(0 AS BIGINT)".to_owned(),
    };
    let mut filters = vec![
        format!("o.valid_from <= {}", args.push(Arg::Text(today.clone()))),
        format!("o.valid_until >= {}", args.push(Arg::Text(today))),
    ];
    if let Some(category) = search.category {
        filters.push(format!(
            "m.category = {}",
            args.push(Arg::Text(category.as_str().to_owned()))
        ));
    }
    if let Some(district) = &search.district {
        filters.push(format!(
            "m.district = {}",
            args.push(Arg::Text(district.clone()))
        ));
    }
    if let Some(keyword) = &search.keyword {
        let pattern = args.push(Arg::Text(like_pattern(keyword)));
        filters.push(format!(
            "(LOWER(m.name) LIKE {pattern} ESCAPE '\\' OR LOWER(o.discount_zh) LIKE {pattern} ESCAPE '\\' OR LOWER(o.discount_en) LIKE {pattern} ESCAPE '\\')"
        ));
    }
    let mut outer = String::new();
    if let Some((key, id)) = &search.after {
        let key = args.push(Arg::Int(*key));
        let id = args.push(Arg::Text(id.clone()));
        outer = format!("WHERE t.dk > {key} OR (t.dk = {key} AND t.offer_id > {id})");
    }
    let limit = args.push(Arg::Int(i64::from(search.limit) + 1));
    let sql = format!(
        "SELECT * FROM (
            SELECT {SUMMARY_COLUMNS}, {distance_key} AS dk
            FROM offers o JOIN merchants m ON m.id = o.merchant_id
            JOIN offer_districts d ON d.code = m.district
            WHERE {}
         ) t {outer} ORDER BY t.dk, t.offer_id LIMIT {limit}",
        filters.join(" AND ")
    );
    let mut query = sqlx::query_as::<_, SummaryRow>(&sql);
    for arg in args.0 {
        query = match arg {
            Arg::Text(v) => query.bind(v),
            Arg::Int(v) => query.bind(v),
            Arg::Float(v) => query.bind(v),
        };
    }
    let mut rows = query.fetch_all(&state.db).await?;
    let next_cursor = if rows.len() > search.limit as usize {
        rows.truncate(search.limit as usize);
        rows.last().map(|row| encode_cursor(row.dk, &row.offer_id))
    } else {
        None
    };
    let with_distance = search.point.is_some();
    let items = rows
        .into_iter()
        .map(|row| summary(row, lang, with_distance))
        .collect::<Result<_, _>>()?;
    Ok(OfferPage { items, next_cursor })
}

fn summary(row: SummaryRow, lang: Lang, with_distance: bool) -> Result<OfferSummary, ApiError> {
    Ok(OfferSummary {
        category: parse_category(&row.category)?,
        district_name: lang.pick(&row.district_zh, &row.district_en).to_owned(),
        lat: row.lat_e6 as f64 / 1e6,
        lng: row.lng_e6 as f64 / 1e6,
        discount: lang.pick(&row.discount_zh, &row.discount_en).to_owned(),
        redemption: parse_redemption(&row.redemption)?,
        stock_left: row.stock_left.map(|n| n.max(0) as u32),
        distance_m: with_distance
            .then(|| ((row.dk.max(0) as f64).sqrt() * METRES_PER_MICRODEGREE).round() as u32),
        id: row.offer_id,
        merchant_id: row.merchant_id,
        merchant_name: row.merchant_name,
        district: row.district,
        address: row.address,
        valid_until: row.valid_until,
    })
}

fn parse_category(value: &str) -> Result<OfferCategory, ApiError> {
    OfferCategory::parse(value).ok_or_else(|| ApiError::Internal(format!("bad category {value}")))
}

fn parse_redemption(value: &str) -> Result<Redemption, ApiError> {
    Redemption::parse(value).ok_or_else(|| ApiError::Internal(format!("bad redemption {value}")))
}

#[utoipa::path(
    get,
    path = "/offers/categories",
    tag = "offers",
    summary = "Every category with its label and number of current offers.",
    responses((status = 200, description = "Categories in display order", body = Vec<CategoryCount>)),
)]
/// Every category with its number of current offers (zero included), in contract order.
async fn categories(
    State(state): State<AppState>,
    lang: Lang,
) -> ApiResult<Json<Vec<CategoryCount>>> {
    let today = china_date(state.clock.now());
    let counts: Vec<CategoryCountRow> = sqlx::query_as(
        "SELECT m.category, COUNT(*) AS offers FROM offers o JOIN merchants m ON m.id = o.merchant_id
         WHERE o.valid_from <= $1 AND o.valid_until >= $1 GROUP BY m.category",
    )
    .bind(&today)
    .fetch_all(&state.db)
    .await?;
    let counts: HashMap<String, i64> = counts.into_iter().map(|c| (c.category, c.offers)).collect();
    Ok(Json(
        OfferCategory::ALL
            .into_iter()
            .map(|category| {
                let (zh, en) = category.labels();
                CategoryCount {
                    category,
                    name: lang.pick(zh, en).to_owned(),
                    offer_count: counts.get(category.as_str()).copied().unwrap_or(0) as u32,
                }
            })
            .collect(),
    ))
}

#[utoipa::path(
    get,
    path = "/offers/districts",
    tag = "offers",
    summary = "The city's districts with their names and number of current offers.",
    responses((status = 200, description = "Districts in display order", body = Vec<DistrictCount>)),
)]
/// Every district of the city with its number of current offers.
async fn districts(
    State(state): State<AppState>,
    lang: Lang,
) -> ApiResult<Json<Vec<DistrictCount>>> {
    Ok(Json(district_counts(&state, lang).await?))
}

/// What `GET /offers/districts` answers.
pub(crate) async fn district_counts(state: &AppState, lang: Lang) -> ApiResult<Vec<DistrictCount>> {
    let today = china_date(state.clock.now());
    let rows: Vec<DistrictCountRow> = sqlx::query_as(
        "SELECT d.code, d.name_zh, d.name_en,
            (SELECT COUNT(*) FROM offers o JOIN merchants m ON m.id = o.merchant_id
             WHERE m.district = d.code AND o.valid_from <= $1 AND o.valid_until >= $1) AS offers
         FROM offer_districts d ORDER BY d.sort_order, d.code",
    )
    .bind(&today)
    .fetch_all(&state.db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| DistrictCount {
            name: lang.pick(&row.name_zh, &row.name_en).to_owned(),
            offer_count: row.offers as u32,
            code: row.code,
        })
        .collect())
}

/// How many current offers a category has.
#[derive(sqlx::FromRow)]
struct CategoryCountRow {
    category: String,
    offers: i64,
}

/// A district and how many current offers it has.
#[derive(sqlx::FromRow)]
struct DistrictCountRow {
    code: String,
    name_zh: String,
    name_en: String,
    offers: i64,
}

/// What a claim needs to know of the offer.
#[derive(sqlx::FromRow)]
struct ClaimableOffer {
    stock_total: Option<i64>,
    valid_from: String,
    valid_until: String,
}

/// One offer as stored, with its merchant and district.
#[derive(sqlx::FromRow)]
struct DetailRow {
    id: String,
    merchant_id: String,
    merchant_name: String,
    category: String,
    district: String,
    district_zh: String,
    district_en: String,
    address: String,
    lat_e6: i64,
    lng_e6: i64,
    phone: String,
    discount_zh: String,
    discount_en: String,
    terms_zh: String,
    terms_en: String,
    redemption: String,
    valid_from: String,
    valid_until: String,
    stock_total: Option<i64>,
    stock_left: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/offers/{id}",
    tag = "offers",
    summary = "One offer in full; with a session, the member's coupon for it.",
    params(("id" = String, Path, description = "Offer id")),
    responses(
        (status = 200, description = "Offer", body = OfferDetail),
        (status = 404, description = "No such offer", body = ErrorEnvelope),
    ),
)]
/// One offer in full; with a session, the member's coupon for it.
async fn detail(
    State(state): State<AppState>,
    lang: Lang,
    member: Result<CurrentMember, ApiError>,
    Path(id): Path<String>,
) -> ApiResult<Json<OfferDetail>> {
    let row: Option<DetailRow> = sqlx::query_as(
        "SELECT o.id AS id, m.id AS merchant_id, m.name AS merchant_name, m.category AS category,
            m.district AS district, d.name_zh AS district_zh, d.name_en AS district_en,
            m.address AS address, m.lat_e6 AS lat_e6, m.lng_e6 AS lng_e6, m.phone AS phone,
            o.discount_zh AS discount_zh, o.discount_en AS discount_en, o.terms_zh AS terms_zh,
            o.terms_en AS terms_en, o.redemption AS redemption, o.valid_from AS valid_from,
            o.valid_until AS valid_until, o.stock_total AS stock_total, o.stock_left AS stock_left
         FROM offers o JOIN merchants m ON m.id = o.merchant_id
         JOIN offer_districts d ON d.code = m.district WHERE o.id = $1",
    )
    .bind(&id)
    .fetch_optional(&state.db)
    .await?;
    let Some(DetailRow {
        id,
        merchant_id,
        merchant_name,
        category,
        district,
        district_zh,
        district_en,
        address,
        lat_e6: lat,
        lng_e6: lng,
        phone,
        discount_zh,
        discount_en,
        terms_zh,
        terms_en,
        redemption,
        valid_from,
        valid_until,
        stock_total,
        stock_left,
    }) = row
    else {
        return Err(ApiError::NotFound);
    };
    let my_coupon = match member {
        Ok(member) => coupons_of(&state, lang, &member.member_id, Some(&id))
            .await?
            .into_iter()
            .next(),
        Err(_) => None,
    };
    let today = china_date(state.clock.now());
    Ok(Json(OfferDetail {
        merchant_id,
        merchant_name,
        category: parse_category(&category)?,
        district,
        district_name: lang.pick(&district_zh, &district_en).to_owned(),
        address,
        lat: lat as f64 / 1e6,
        lng: lng as f64 / 1e6,
        phone,
        discount: lang.pick(&discount_zh, &discount_en).to_owned(),
        terms: lang.pick(&terms_zh, &terms_en).to_owned(),
        redemption: parse_redemption(&redemption)?,
        expired: valid_until < today,
        valid_from,
        valid_until,
        stock_total: stock_total.map(|n| n.max(0) as u32),
        stock_left: stock_left.map(|n| n.max(0) as u32),
        claimable: stock_total.is_some(),
        my_coupon,
        id,
    }))
}

#[utoipa::path(
    post,
    path = "/offers/{id}/claim",
    tag = "offers",
    summary = "Claim a limited offer's coupon: one per member, never more than the stock. Repeating returns the same coupon with 200.",
    params(("id" = String, Path, description = "Offer id")),
    responses(
        (status = 201, description = "A new coupon", body = ClaimOutcome),
        (status = 200, description = "The coupon the member already holds (`already_claimed: true`)", body = ClaimOutcome),
        (status = 404, description = "No such offer", body = ErrorEnvelope),
        (status = 409, description = "`sold_out`, `not_claimable` (unlimited offer), `offer_expired` or `card_not_active`", body = ErrorEnvelope),
    ),
    security(("session" = [], "csrf" = [])),
)]
/// Claims a limited offer's coupon: one per member, never more than the stock, all in one
/// transaction. A repeat returns the member's existing coupon with 200 instead of 201.
async fn claim(
    State(state): State<AppState>,
    lang: Lang,
    member: CurrentMember,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<ClaimOutcome>)> {
    let offer: Option<ClaimableOffer> =
        sqlx::query_as("SELECT stock_total, valid_from, valid_until FROM offers WHERE id = $1")
            .bind(&id)
            .fetch_optional(&state.db)
            .await?;
    let Some(ClaimableOffer {
        stock_total,
        valid_from,
        valid_until,
    }) = offer
    else {
        return Err(ApiError::NotFound);
    };
    if let Some(existing) = existing_coupon(&state, lang, &member.member_id, &id).await? {
        return Ok(already_claimed(existing));
    }
    if stock_total.is_none() {
        return Err(Refusal::conflict(
            "not_claimable",
            "此优惠无需领取，到店出示会员卡即可享受。",
            "This offer needs no coupon: show your member card at the merchant.",
        )
        .into());
    }
    let now = state.clock.now();
    let today = china_date(now);
    if valid_until < today || valid_from > today {
        return Err(Refusal::conflict(
            "offer_expired",
            "此优惠不在有效期内。",
            "This offer is not valid today.",
        )
        .into());
    }
    let card: Option<String> = sqlx::query_scalar("SELECT status FROM cards WHERE member_id = $1")
        .bind(&member.member_id)
        .fetch_optional(&state.db)
        .await?;
    if card.as_deref() != Some("active") {
        return Err(Refusal::card_not_active().into());
    }

    let coupon_id = new_id("cpn");
    let mut tx = state.db.begin().await?;
    // The insert comes first: it takes SQLite's write lock (so claims queue instead of
    // failing) and the unique (offer, member) pair settles a member's double tap.
    let inserted = sqlx::query(
        "INSERT INTO coupons (id, offer_id, member_id, code, claimed_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&coupon_id)
    .bind(&id)
    .bind(&member.member_id)
    .bind(coupon_code())
    .bind(now)
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(error) if is_unique_violation(&error) => {
            tx.rollback().await?;
            return match existing_coupon(&state, lang, &member.member_id, &id).await? {
                Some(existing) => Ok(already_claimed(existing)),
                // A coupon-code collision, astronomically rare: ask for a retry.
                None => Err(ApiError::Conflict("claim_retry")),
            };
        }
        Err(error) => return Err(error.into()),
    }
    let taken = sqlx::query(
        "UPDATE offers SET stock_left = stock_left - 1 WHERE id = $1 AND stock_left > 0",
    )
    .bind(&id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if taken != 1 {
        tx.rollback().await?;
        return Err(Refusal::conflict(
            "sold_out",
            "很遗憾，此优惠已被领完。",
            "Sorry, this offer has all been claimed.",
        )
        .into());
    }
    tx.commit().await?;
    let coupon = existing_coupon(&state, lang, &member.member_id, &id)
        .await?
        .ok_or_else(|| ApiError::Internal("claimed coupon vanished".into()))?;
    Ok((
        StatusCode::CREATED,
        Json(ClaimOutcome {
            coupon,
            already_claimed: false,
        }),
    ))
}

fn already_claimed(coupon: Coupon) -> (StatusCode, Json<ClaimOutcome>) {
    (
        StatusCode::OK,
        Json(ClaimOutcome {
            coupon,
            already_claimed: true,
        }),
    )
}

/// A 12-digit code the merchant types or scans.
fn coupon_code() -> String {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    (0..12)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect()
}

async fn existing_coupon(
    state: &AppState,
    lang: Lang,
    member_id: &str,
    offer_id: &str,
) -> Result<Option<Coupon>, ApiError> {
    Ok(coupons_of(state, lang, member_id, Some(offer_id))
        .await?
        .into_iter()
        .next())
}

#[utoipa::path(
    get,
    path = "/me/coupons",
    tag = "offers",
    summary = "The member's coupons, newest first, each `unused`, `used` or `expired`.",
    responses(
        (status = 200, description = "Coupons", body = Vec<Coupon>),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
    ),
    security(("session" = [])),
)]
/// `GET /me/coupons`: newest first.
async fn my_coupons(
    State(state): State<AppState>,
    lang: Lang,
    member: CurrentMember,
) -> ApiResult<Json<Vec<Coupon>>> {
    Ok(Json(
        coupons_of(&state, lang, &member.member_id, None).await?,
    ))
}

/// A coupon as stored, with its offer and merchant.
#[derive(sqlx::FromRow)]
struct CouponRow {
    id: String,
    code: String,
    offer_id: String,
    merchant_name: String,
    discount_zh: String,
    discount_en: String,
    claimed_at: i64,
    used_at: Option<i64>,
    valid_until: String,
}

async fn coupons_of(
    state: &AppState,
    lang: Lang,
    member_id: &str,
    offer_id: Option<&str>,
) -> Result<Vec<Coupon>, ApiError> {
    let rows: Vec<CouponRow> = sqlx::query_as(
        "SELECT c.id, c.code, o.id AS offer_id, m.name AS merchant_name, o.discount_zh, o.discount_en,
            c.claimed_at, c.used_at, o.valid_until
         FROM coupons c JOIN offers o ON o.id = c.offer_id JOIN merchants m ON m.id = o.merchant_id
         WHERE c.member_id = $1 AND ($2 = '' OR c.offer_id = $2)
         ORDER BY c.claimed_at DESC, c.id DESC",
    )
    .bind(member_id)
    .bind(offer_id.unwrap_or(""))
    .fetch_all(&state.db)
    .await?;
    let today = china_date(state.clock.now());
    Ok(rows
        .into_iter()
        .map(|row| {
            let status = match row.used_at {
                Some(_) => CouponStatus::Used,
                None if row.valid_until < today => CouponStatus::Expired,
                None => CouponStatus::Unused,
            };
            Coupon {
                discount: lang.pick(&row.discount_zh, &row.discount_en).to_owned(),
                status,
                claimed_at: rfc3339(row.claimed_at),
                used_at: row.used_at.map(rfc3339),
                id: row.id,
                code: row.code,
                offer_id: row.offer_id,
                merchant_name: row.merchant_name,
                valid_until: row.valid_until,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let cursor = encode_cursor(12_345, "ofr_0042");
        assert_eq!(
            decode_cursor(&cursor),
            Some((12_345, "ofr_0042".to_owned()))
        );
        assert_eq!(decode_cursor("zz"), None);
        assert_eq!(decode_cursor("abc"), None);
        assert_eq!(decode_cursor(&encode_cursor(0, "x")[2..]), None);
    }

    #[test]
    fn keywords_match_literally() {
        assert_eq!(like_pattern("洗车"), "%洗车%");
        assert_eq!(like_pattern("50%_Off"), "%50\\%\\_off%");
    }

    #[test]
    fn a_point_needs_both_coordinates() {
        let raw = HashMap::from([("lat".to_owned(), "22.54".to_owned())]);
        let fields = problems(parse_search(&raw).unwrap_err());
        assert_eq!(fields[0].field, "lng");
        let raw = HashMap::from([("limit".to_owned(), "51".to_owned())]);
        assert_eq!(
            problems(parse_search(&raw).unwrap_err())[0].code,
            "out_of_range"
        );
    }

    fn problems(error: ApiError) -> Vec<FieldProblem> {
        match error {
            ApiError::Invalid(fields) => fields,
            other => panic!("not a validation failure: {other}"),
        }
    }

    #[test]
    fn coupon_codes_are_twelve_digits() {
        let code = coupon_code();
        assert_eq!(code.len(), 12);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
    }
}
