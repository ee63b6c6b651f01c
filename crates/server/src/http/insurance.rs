//! Mutual-aid insurance: the plans, the member's entitlements (whose status follows from the
//! card's state and the coverage dates) and their claims with history.
use axum::Json;
use axum::extract::{Path, State};
use contract::card::CardStatus;
use contract::error::ErrorEnvelope;
use contract::insurance::{
    ClaimEvent, ClaimStatus, Entitlement, EntitlementDetail, EntitlementReason, EntitlementStatus,
    InsuranceClaim, InsurancePlan,
};
use contract::mask;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::clock::{china_date, rfc3339};
use crate::error::{ApiError, ApiResult};
use crate::extract::CurrentMember;
use crate::lang::Lang;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(plans))
        .routes(routes!(entitlements))
        .routes(routes!(entitlement))
        .routes(routes!(claim))
}

/// A plan as stored, in both languages.
#[derive(sqlx::FromRow)]
struct PlanRow {
    id: String,
    name_zh: String,
    name_en: String,
    sum_insured_fen: i64,
    covers_zh: String,
    covers_en: String,
    exclusions_zh: String,
    exclusions_en: String,
    documents_zh: String,
    documents_en: String,
    how_to_claim_zh: String,
    how_to_claim_en: String,
    hotline: String,
    activation_gift: i64,
}

const PLAN_COLUMNS: &str =
    "p.id, p.name_zh, p.name_en, p.sum_insured_fen, p.covers_zh, p.covers_en,
    p.exclusions_zh, p.exclusions_en, p.documents_zh, p.documents_en, p.how_to_claim_zh,
    p.how_to_claim_en, p.hotline, p.activation_gift";

fn plan(row: PlanRow, lang: Lang) -> InsurancePlan {
    InsurancePlan {
        name: lang.pick(&row.name_zh, &row.name_en).to_owned(),
        sum_insured_fen: row.sum_insured_fen,
        covers: lang.pick(&row.covers_zh, &row.covers_en).to_owned(),
        exclusions: lang.pick(&row.exclusions_zh, &row.exclusions_en).to_owned(),
        claim_documents: lang
            .pick(&row.documents_zh, &row.documents_en)
            .lines()
            .map(str::to_owned)
            .collect(),
        how_to_claim: lang
            .pick(&row.how_to_claim_zh, &row.how_to_claim_en)
            .to_owned(),
        activation_gift: row.activation_gift != 0,
        id: row.id,
        hotline: row.hotline,
    }
}

#[utoipa::path(
    get,
    path = "/insurance/plans",
    tag = "insurance",
    summary = "The mutual-aid plans: sum insured, what is covered, exclusions, documents and how to claim.",
    responses((status = 200, description = "Plans", body = Vec<InsurancePlan>)),
)]
async fn plans(State(state): State<AppState>, lang: Lang) -> ApiResult<Json<Vec<InsurancePlan>>> {
    let rows: Vec<PlanRow> = sqlx::query_as(&format!(
        "SELECT {PLAN_COLUMNS} FROM insurance_plans p ORDER BY p.sort_order, p.id"
    ))
    .fetch_all(&state.db)
    .await?;
    Ok(Json(rows.into_iter().map(|row| plan(row, lang)).collect()))
}

/// An entitlement's status today, from the member's card and the coverage dates.
pub fn entitlement_status(
    card: Option<CardStatus>,
    covered_until: Option<&str>,
    today: &str,
) -> (EntitlementStatus, Option<EntitlementReason>) {
    use EntitlementReason as R;
    use EntitlementStatus as S;
    if covered_until.is_some_and(|until| until < today) {
        return (S::Expired, Some(R::PeriodEnded));
    }
    match card {
        None | Some(CardStatus::NotApplied) => (S::PendingCardActivation, Some(R::CardNotApplied)),
        Some(CardStatus::InProduction) => (S::PendingCardActivation, Some(R::CardInProduction)),
        Some(CardStatus::AwaitingActivation) => {
            (S::PendingCardActivation, Some(R::CardAwaitingActivation))
        }
        // Cover belongs to the member, not the plastic: a lost card keeps it.
        Some(CardStatus::Active | CardStatus::ReportedLost) => {
            if covered_until.is_some() {
                (S::Active, None)
            } else {
                (S::PendingCardActivation, Some(R::CardAwaitingActivation))
            }
        }
        Some(CardStatus::Frozen) => (S::Suspended, Some(R::MembershipLapsed)),
        Some(CardStatus::Cancelled) => (S::Expired, Some(R::CardCancelled)),
    }
}

/// An entitlement as stored, with its plan's names and number of claims.
#[derive(sqlx::FromRow)]
struct EntitlementRow {
    id: String,
    plan_id: String,
    name_zh: String,
    name_en: String,
    sum_insured_fen: i64,
    covered_from: Option<String>,
    covered_until: Option<String>,
    claims: i64,
}

/// The member's card, as cover reads it.
#[derive(sqlx::FromRow)]
struct CoverCard {
    status: String,
    activated_on: Option<String>,
}

/// The member's card status and activation date.
async fn card_of(
    state: &AppState,
    member_id: &str,
) -> Result<(Option<CardStatus>, Option<String>), ApiError> {
    let card: Option<CoverCard> =
        sqlx::query_as("SELECT status, activated_on FROM cards WHERE member_id = $1")
            .bind(member_id)
            .fetch_optional(&state.db)
            .await?;
    Ok(match card {
        Some(card) => (CardStatus::parse(&card.status), card.activated_on),
        None => (None, None),
    })
}

/// A year of cover from the card's activation, for entitlements that were waiting for it.
fn period_from_activation(activated_on: &str) -> Option<(String, String)> {
    let from = chrono::NaiveDate::parse_from_str(activated_on, "%Y-%m-%d").ok()?;
    let until = from.checked_add_days(chrono::Days::new(364))?;
    Some((
        from.format("%Y-%m-%d").to_string(),
        until.format("%Y-%m-%d").to_string(),
    ))
}

/// The member's entitlements (`id`: only that one), as `GET /insurance/entitlements` answers
/// them; also drawn into the first paint of `/insurance`.
pub(super) async fn entitlements_of(
    state: &AppState,
    lang: Lang,
    member_id: &str,
    id: Option<&str>,
) -> Result<Vec<Entitlement>, ApiError> {
    let (card, activated_on) = card_of(state, member_id).await?;
    let started = activated_on.as_deref().and_then(period_from_activation);
    let today = china_date(state.clock.now());
    let rows: Vec<EntitlementRow> = sqlx::query_as(
        "SELECT e.id, p.id AS plan_id, p.name_zh, p.name_en, e.sum_insured_fen, e.covered_from,
            e.covered_until,
            (SELECT COUNT(*) FROM insurance_claims c WHERE c.entitlement_id = e.id) AS claims
         FROM insurance_entitlements e JOIN insurance_plans p ON p.id = e.plan_id
         WHERE e.member_id = $1 AND ($2 = '' OR e.id = $2)
         ORDER BY p.sort_order, e.covered_from DESC, e.id",
    )
    .bind(member_id)
    .bind(id.unwrap_or(""))
    .fetch_all(&state.db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            // Pending entitlements start with the card's activation.
            let (from, until) = match (row.covered_from, row.covered_until, &started) {
                (None, None, Some((f, u))) => (Some(f.clone()), Some(u.clone())),
                (from, until, _) => (from, until),
            };
            let (status, reason) = entitlement_status(card, until.as_deref(), &today);
            Entitlement {
                plan_name: lang.pick(&row.name_zh, &row.name_en).to_owned(),
                id: row.id,
                plan_id: row.plan_id,
                sum_insured_fen: row.sum_insured_fen,
                covered_from: from,
                covered_until: until,
                status,
                reason,
                claim_count: row.claims as u32,
            }
        })
        .collect())
}

#[utoipa::path(
    get,
    path = "/insurance/entitlements",
    tag = "insurance",
    summary = "The member's entitlements with their status and, when not active, the reason.",
    responses(
        (status = 200, description = "Entitlements", body = Vec<Entitlement>),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
    ),
    security(("session" = [])),
)]
/// The member's entitlements: current ones first by plan, then past periods.
async fn entitlements(
    State(state): State<AppState>,
    lang: Lang,
    member: CurrentMember,
) -> ApiResult<Json<Vec<Entitlement>>> {
    Ok(Json(
        entitlements_of(&state, lang, &member.member_id, None).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/insurance/entitlements/{id}",
    tag = "insurance",
    summary = "One of the member's entitlements with its plan and claims.",
    params(("id" = String, Path, description = "Entitlement id")),
    responses(
        (status = 200, description = "Entitlement", body = EntitlementDetail),
        (status = 404, description = "Not found (or another member's)", body = ErrorEnvelope),
    ),
    security(("session" = [])),
)]
/// One entitlement with its plan and claims; another member's is not found.
async fn entitlement(
    State(state): State<AppState>,
    lang: Lang,
    member: CurrentMember,
    Path(id): Path<String>,
) -> ApiResult<Json<EntitlementDetail>> {
    let entitlement = entitlements_of(&state, lang, &member.member_id, Some(&id))
        .await?
        .into_iter()
        .next()
        .ok_or(ApiError::NotFound)?;
    let row: PlanRow = sqlx::query_as(&format!(
        "SELECT {PLAN_COLUMNS} FROM insurance_plans p WHERE p.id = $1"
    ))
    .bind(&entitlement.plan_id)
    .fetch_one(&state.db)
    .await?;
    let claims = claims_of(&state, lang, &member.member_id, Some(&id), None).await?;
    Ok(Json(EntitlementDetail {
        entitlement,
        plan: plan(row, lang),
        claims,
    }))
}

#[utoipa::path(
    get,
    path = "/insurance/claims/{id}",
    tag = "insurance",
    summary = "One of the member's claims with its status history.",
    params(("id" = String, Path, description = "Claim id")),
    responses(
        (status = 200, description = "Claim", body = InsuranceClaim),
        (status = 404, description = "Not found (or another member's)", body = ErrorEnvelope),
    ),
    security(("session" = [])),
)]
/// One claim with its history; another member's is not found.
async fn claim(
    State(state): State<AppState>,
    lang: Lang,
    member: CurrentMember,
    Path(id): Path<String>,
) -> ApiResult<Json<InsuranceClaim>> {
    let claim = claims_of(&state, lang, &member.member_id, None, Some(&id))
        .await?
        .into_iter()
        .next()
        .ok_or(ApiError::NotFound)?;
    Ok(Json(claim))
}

/// A claim as stored, with its plan's names.
#[derive(sqlx::FromRow)]
struct ClaimRow {
    id: String,
    entitlement_id: String,
    plan_zh: String,
    plan_en: String,
    incident_zh: String,
    incident_en: String,
    incident_on: String,
    claimed_fen: i64,
    approved_fen: Option<i64>,
    status: String,
    paid_to_card: Option<String>,
}

/// One step of a claim's history; the English note may be missing.
#[derive(sqlx::FromRow)]
struct ClaimEventRow {
    status: String,
    at: i64,
    note_zh: Option<String>,
    note_en: Option<String>,
}

async fn claims_of(
    state: &AppState,
    lang: Lang,
    member_id: &str,
    entitlement_id: Option<&str>,
    claim_id: Option<&str>,
) -> Result<Vec<InsuranceClaim>, ApiError> {
    let rows: Vec<ClaimRow> = sqlx::query_as(
        "SELECT c.id, c.entitlement_id, p.name_zh AS plan_zh, p.name_en AS plan_en, c.incident_zh, c.incident_en,
            c.incident_on, c.claimed_fen, c.approved_fen, c.status, c.paid_to_card
         FROM insurance_claims c
         JOIN insurance_entitlements e ON e.id = c.entitlement_id
         JOIN insurance_plans p ON p.id = e.plan_id
         WHERE c.member_id = $1 AND ($2 = '' OR c.entitlement_id = $2) AND ($3 = '' OR c.id = $3)
         ORDER BY c.created_at DESC, c.id DESC",
    )
    .bind(member_id)
    .bind(entitlement_id.unwrap_or(""))
    .bind(claim_id.unwrap_or(""))
    .fetch_all(&state.db)
    .await?;
    let mut claims = Vec::with_capacity(rows.len());
    for row in rows {
        let events: Vec<ClaimEventRow> = sqlx::query_as(
            "SELECT status, at, note_zh, note_en FROM insurance_claim_events
             WHERE claim_id = $1 ORDER BY at, id",
        )
        .bind(&row.id)
        .fetch_all(&state.db)
        .await?;
        let history = events
            .into_iter()
            .map(|event| {
                Ok(ClaimEvent {
                    status: parse_status(&event.status)?,
                    at: rfc3339(event.at),
                    note: match lang {
                        Lang::Zh => event.note_zh,
                        Lang::En => event.note_en.or(event.note_zh),
                    },
                })
            })
            .collect::<Result<_, ApiError>>()?;
        claims.push(InsuranceClaim {
            plan_name: lang.pick(&row.plan_zh, &row.plan_en).to_owned(),
            incident: lang.pick(&row.incident_zh, &row.incident_en).to_owned(),
            status: parse_status(&row.status)?,
            paid_to_card_masked: row.paid_to_card.as_deref().map(mask::card_number),
            id: row.id,
            entitlement_id: row.entitlement_id,
            incident_on: row.incident_on,
            claimed_fen: row.claimed_fen,
            approved_fen: row.approved_fen,
            history,
        });
    }
    Ok(claims)
}

fn parse_status(value: &str) -> Result<ClaimStatus, ApiError> {
    ClaimStatus::parse(value).ok_or_else(|| ApiError::Internal(format!("bad claim status {value}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_follows_the_card() {
        let today = "2026-06-01";
        let until = Some("2026-12-31");
        assert_eq!(
            entitlement_status(Some(CardStatus::Active), until, today),
            (EntitlementStatus::Active, None)
        );
        assert_eq!(
            entitlement_status(Some(CardStatus::AwaitingActivation), None, today),
            (
                EntitlementStatus::PendingCardActivation,
                Some(EntitlementReason::CardAwaitingActivation)
            )
        );
        assert_eq!(
            entitlement_status(Some(CardStatus::Frozen), until, today).0,
            EntitlementStatus::Suspended
        );
        assert_eq!(
            entitlement_status(Some(CardStatus::Active), Some("2026-05-31"), today),
            (
                EntitlementStatus::Expired,
                Some(EntitlementReason::PeriodEnded)
            )
        );
    }
}
