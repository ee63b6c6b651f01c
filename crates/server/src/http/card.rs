//! The member's card: status and history, loss reports, the e-card token and its verification.
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use contract::card::{
    Card, CardEvent, CardStatus, EcardToken, ReportLoss, TokenVerdict, VerifyToken,
};
use contract::mask;

use crate::AppState;
use crate::clock::rfc3339;
use crate::crypto::{new_sortable_id, sign, verify_signature};
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, CurrentMember, Lang};
use crate::notify;
use contract::error::ErrorEnvelope;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/card", get(card))
        .route("/card/report-loss", post(report_loss))
        .route("/card/ecard-token", post(ecard_token))
        .route("/card/verify", post(verify))
}

type CardRow = (
    String,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

async fn load(state: &AppState, member_id: &str) -> ApiResult<CardRow> {
    sqlx::query_as(
        "SELECT id, number, bank_zh, bank_en, status, applied_on, issued_on, activated_on FROM cards WHERE member_id = $1",
    )
    .bind(member_id)
    .fetch_optional(&state.db)
    .await?
    .ok_or(ApiError::NotFound)
}

#[utoipa::path(
    get,
    path = "/api/v1/card",
    tag = "card",
    summary = "The member card: status, masked number, bank, dates, next step, history.",
    responses(
        (status = 200, description = "Card", body = Card),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 404, description = "No card record", body = ErrorEnvelope),
    ),
    security(("session" = [])),
)]
async fn card(
    State(state): State<AppState>,
    lang: Lang,
    member: CurrentMember,
) -> ApiResult<Json<Card>> {
    Ok(Json(describe(&state, lang, &member.member_id).await?))
}

async fn describe(state: &AppState, lang: Lang, member_id: &str) -> ApiResult<Card> {
    let (id, number, bank_zh, bank_en, status, applied_on, issued_on, activated_on) =
        load(state, member_id).await?;
    let status = CardStatus::parse(&status)
        .ok_or_else(|| ApiError::Internal(format!("bad card status {status}")))?;
    let events: Vec<(String, i64)> =
        sqlx::query_as("SELECT kind, at FROM card_events WHERE card_id = $1 ORDER BY at, id")
            .bind(&id)
            .fetch_all(&state.db)
            .await?;
    Ok(Card {
        status,
        number_masked: number.as_deref().map(mask::card_number),
        bank: lang.pick(&bank_zh, &bank_en).to_owned(),
        applied_on,
        issued_on,
        activated_on,
        next_step: status.next_step(),
        next_step_text: status
            .next_step()
            .map(|step| lang.pick(step.text_zh(), step.text_en()).to_owned()),
        events: events
            .into_iter()
            .map(|(kind, at)| CardEvent {
                kind,
                at: rfc3339(at),
            })
            .collect(),
    })
}

/// Reports the card lost. Repeating the report changes nothing and answers the same.
#[utoipa::path(
    post,
    path = "/api/v1/card/report-loss",
    tag = "card",
    summary = "Report the card lost. Idempotent: a repeat returns the same reported card.",
    request_body = ReportLoss,
    responses(
        (status = 200, description = "Card after the report", body = Card),
        (status = 409, description = "Card not in a state that can be reported (`card_not_reportable`)", body = ErrorEnvelope),
    ),
    security(("session" = [], "csrf" = [])),
)]
async fn report_loss(
    State(state): State<AppState>,
    lang: Lang,
    member: CurrentMember,
    AppJson(request): AppJson<ReportLoss>,
) -> ApiResult<Json<Card>> {
    let (card_id, _, _, _, status, ..) = load(&state, &member.member_id).await?;
    let status = CardStatus::parse(&status).unwrap_or(CardStatus::Cancelled);
    if status == CardStatus::ReportedLost {
        return Ok(Json(describe(&state, lang, &member.member_id).await?));
    }
    if !status.can_report_loss() {
        return Err(ApiError::Conflict("card_not_reportable"));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    // The status condition makes a concurrent double report a no-op for the second request.
    let changed =
        sqlx::query("UPDATE cards SET status = 'reported_lost' WHERE id = $1 AND status = $2")
            .bind(&card_id)
            .bind(status.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if changed == 1 {
        let reason = serde_json::to_value(request.reason)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned));
        sqlx::query("INSERT INTO card_events (id, card_id, kind, at, detail) VALUES ($1, $2, 'reported_lost', $3, $4)")
            .bind(new_sortable_id("cev"))
            .bind(&card_id)
            .bind(now)
            .bind(reason)
            .execute(&mut *tx)
            .await?;
        notify::card_reported_lost(&mut tx, &member.member_id, now).await?;
        // Every other session of the member ends (a card + PIN holder's kiosk session too);
        // the phone that reported keeps its own.
        crate::sessions::end_all_of_member(&mut tx, &member.member_id, Some(&member.token_hash))
            .await?;
    }
    tx.commit().await?;
    Ok(Json(describe(&state, lang, &member.member_id).await?))
}

/// A token `card_id.expiry.signature` the e-card QR code carries; only for active cards.
#[utoipa::path(
    post,
    path = "/api/v1/card/ecard-token",
    tag = "card",
    summary = "A signed e-card token for the QR code, valid for a short time (60 s by default).",
    responses(
        (status = 200, description = "Token", body = EcardToken),
        (status = 409, description = "Card not active (`card_not_active`)", body = ErrorEnvelope),
    ),
    security(("session" = [], "csrf" = [])),
)]
async fn ecard_token(
    State(state): State<AppState>,
    member: CurrentMember,
) -> ApiResult<Json<EcardToken>> {
    let (card_id, _, _, _, status, ..) = load(&state, &member.member_id).await?;
    if !CardStatus::parse(&status).is_some_and(CardStatus::can_show_ecard) {
        return Err(ApiError::Conflict("card_not_active"));
    }
    let expires = state.clock.now() + state.config.ecard_token_seconds;
    let message = format!("{card_id}.{expires}");
    let token = format!("{message}.{}", sign(&state.ecard_key, &message));
    Ok(Json(EcardToken {
        token,
        expires_at: rfc3339(expires),
        valid_for_seconds: state.config.ecard_token_seconds as u32,
    }))
}

/// What a merchant's scanner learns from a token: valid or not, and the masked holder.
#[utoipa::path(
    post,
    path = "/api/v1/card/verify",
    tag = "card",
    summary = "Verify a scanned e-card token (merchant scanner). No sign-in.",
    request_body = VerifyToken,
    responses(
        (status = 200, description = "Verdict: `ok`, `expired`, `invalid` or `card_not_active`", body = TokenVerdict),
    ),
)]
async fn verify(
    State(state): State<AppState>,
    AppJson(request): AppJson<VerifyToken>,
) -> ApiResult<Json<TokenVerdict>> {
    let verdict = |reason: &str| TokenVerdict {
        valid: false,
        reason: reason.to_owned(),
        member_name_masked: None,
        card_number_masked: None,
    };
    let mut parts = request.token.rsplitn(2, '.');
    let (Some(signature), Some(message)) = (parts.next(), parts.next()) else {
        return Ok(Json(verdict("invalid")));
    };
    if !verify_signature(&state.ecard_key, message, signature) {
        return Ok(Json(verdict("invalid")));
    }
    let (card_id, expires) = message.split_once('.').unwrap_or_default();
    if expires
        .parse::<i64>()
        .map_or(true, |e| e <= state.clock.now())
    {
        return Ok(Json(verdict("expired")));
    }
    let row: Option<(String, Option<String>, String)> = sqlx::query_as(
        "SELECT m.name, c.number, c.status FROM cards c JOIN members m ON m.id = c.member_id WHERE c.id = $1",
    )
    .bind(card_id)
    .fetch_optional(&state.db)
    .await?;
    match row {
        Some((name, number, status)) if status == CardStatus::Active.as_str() => {
            Ok(Json(TokenVerdict {
                valid: true,
                reason: "ok".to_owned(),
                member_name_masked: Some(mask::name(&name)),
                card_number_masked: number.as_deref().map(mask::card_number),
            }))
        }
        Some(_) => Ok(Json(verdict("card_not_active"))),
        None => Ok(Json(verdict("invalid"))),
    }
}
