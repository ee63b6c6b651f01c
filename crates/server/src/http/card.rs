//! The member's card: status and history, loss reports, the e-card token and its verification.
use axum::Json;
use axum::extract::State;
use contract::card::{
    Card, CardEvent, CardStatus, EcardToken, OFFLINE_PREFIX, OFFLINE_STEP_SECONDS, OfflineDevice,
    ReportLoss, TokenVerdict, VerifyToken, hex_bytes, offline_code, offline_step,
};
use contract::mask;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::clock::rfc3339;
use crate::crypto::{constant_time_eq, new_id, new_sortable_id, random_hex};
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, CurrentMember};
use crate::lang::Lang;
use crate::notify;
use contract::error::ErrorEnvelope;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(card))
        .routes(routes!(report_loss))
        .routes(routes!(ecard_token))
        .routes(routes!(offline_device))
        .routes(routes!(verify))
}

/// The member's card as stored.
#[derive(sqlx::FromRow)]
struct CardRow {
    id: String,
    number: Option<String>,
    bank_zh: String,
    bank_en: String,
    status: String,
    applied_on: Option<String>,
    issued_on: Option<String>,
    activated_on: Option<String>,
}

/// One step of the card's life as stored.
#[derive(sqlx::FromRow)]
struct CardEventRow {
    kind: String,
    at: i64,
}

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
    path = "/card",
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

pub(super) async fn describe(state: &AppState, lang: Lang, member_id: &str) -> ApiResult<Card> {
    let row = load(state, member_id).await?;
    let status = CardStatus::parse(&row.status)
        .ok_or_else(|| ApiError::Internal(format!("bad card status {}", row.status)))?;
    let events: Vec<CardEventRow> =
        sqlx::query_as("SELECT kind, at FROM card_events WHERE card_id = $1 ORDER BY at, id")
            .bind(&row.id)
            .fetch_all(&state.db)
            .await?;
    Ok(Card {
        status,
        number_masked: row.number.as_deref().map(mask::card_number),
        bank: lang.pick(&row.bank_zh, &row.bank_en).to_owned(),
        applied_on: row.applied_on,
        issued_on: row.issued_on,
        activated_on: row.activated_on,
        next_step: status.next_step(),
        next_step_text: status
            .next_step()
            .map(|step| lang.pick(step.text_zh(), step.text_en()).to_owned()),
        events: events
            .into_iter()
            .map(|event| CardEvent {
                kind: event.kind,
                at: rfc3339(event.at),
            })
            .collect(),
    })
}

/// Reports the card lost. Repeating the report changes nothing and answers the same.
#[utoipa::path(
    post,
    path = "/card/report-loss",
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
    let CardRow {
        id: card_id,
        status,
        ..
    } = load(&state, &member.member_id).await?;
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

/// How online tokens start: `e1.<kid>.<token id>.<card id>.<expiry>.<signature>`.
const ECARD_PREFIX: &str = "e1";

/// An offline device key lives at most this long, and never past its session's absolute end.
pub const OFFLINE_DEVICE_MAX_SECONDS: i64 = 24 * 3600;

/// Offline codes are accepted this many steps either side of the server's current step
/// (±60 s of clock skew with 30-second steps), each once.
const OFFLINE_SKEW_STEPS: i64 = 2;

/// A single-use token for the e-card QR code; only for active cards.
#[utoipa::path(
    post,
    path = "/card/ecard-token",
    tag = "card",
    summary = "A signed, single-use e-card token for the QR code, valid for a short time (60 s by default).",
    description = "Format `e1.<kid>.<token id>.<card id>.<expiry>.<signature>`: `kid` names the signing key \
        (keys rotate), the signature is HMAC-SHA256 under that key. `/card/verify` accepts it once, and \
        never beyond the configured lifetime whatever expiry it claims.",
    responses(
        (status = 200, description = "Token", body = EcardToken),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorEnvelope),
        (status = 403, description = "CSRF token missing or wrong (`csrf_rejected`)", body = ErrorEnvelope),
        (status = 404, description = "No card record (`not_found`)", body = ErrorEnvelope),
        (status = 409, description = "Card not active (`card_not_active`)", body = ErrorEnvelope),
    ),
    security(("session" = [], "csrf" = [])),
)]
async fn ecard_token(
    State(state): State<AppState>,
    member: CurrentMember,
) -> ApiResult<Json<EcardToken>> {
    let card_id = active_card(&state, &member.member_id).await?;
    Ok(Json(mint_ecard_token(&state, &card_id)))
}

/// A fresh e-card token for `card_id` (which must be active).
pub(super) fn mint_ecard_token(state: &AppState, card_id: &str) -> EcardToken {
    let lifetime = state.config.ecard_token_seconds;
    let expires = state.clock.now() + lifetime;
    let kid = state.keys.ecard.current_kid();
    let message = format!(
        "{ECARD_PREFIX}.{kid}.{}.{card_id}.{expires}",
        random_hex(12)
    );
    let (_, signature) = state.keys.ecard.sign(&message);
    EcardToken {
        token: format!("{message}.{signature}"),
        expires_at: rfc3339(expires),
        valid_for_seconds: lifetime as u32,
    }
}

/// The member's card id, when it may be shown to merchants.
pub(super) async fn active_card(state: &AppState, member_id: &str) -> ApiResult<String> {
    let card = load(state, member_id).await?;
    if !CardStatus::parse(&card.status).is_some_and(CardStatus::can_show_ecard) {
        return Err(ApiError::Conflict("card_not_active"));
    }
    Ok(card.id)
}

/// Provisions this session's offline device key (replacing any earlier one of the session).
#[utoipa::path(
    post,
    path = "/card/offline-device",
    tag = "card",
    summary = "A device key from which the phone derives offline e-card codes (`o1.<device>.<step>.<code>`).",
    description = "One key per session; provisioning again replaces it. The key stops verifying when the \
        session ends (sign-out, sign-out everywhere, absolute expiry), when the card is no longer active, \
        when its offline-card `kid` is retired, and at `expires_at` (at most 24 h). Kiosk sessions get none \
        (`session_rules`).",
    responses(
        (status = 200, description = "Device key", body = OfflineDevice),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = ErrorEnvelope),
        (status = 403, description = "CSRF token missing or wrong (`csrf_rejected`)", body = ErrorEnvelope),
        (status = 404, description = "No card record (`not_found`)", body = ErrorEnvelope),
        (status = 409, description = "Card not active (`card_not_active`)", body = ErrorEnvelope),
    ),
    security(("session" = [], "csrf" = [])),
)]
async fn offline_device(
    State(state): State<AppState>,
    member: CurrentMember,
) -> ApiResult<Json<OfflineDevice>> {
    let card_id = active_card(&state, &member.member_id).await?;
    let now = state.clock.now();
    let session_end: i64 =
        sqlx::query_scalar("SELECT expires_at FROM sessions WHERE token_hash = $1")
            .bind(&member.token_hash)
            .fetch_optional(&state.db)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
    let expires_at = session_end.min(now + OFFLINE_DEVICE_MAX_SECONDS);
    let device_id = new_id("dev");
    let kid = state.keys.offline_card.current_kid().to_owned();
    let mut tx = state.db.begin().await?;
    sqlx::query("DELETE FROM ecard_devices WHERE session_hash = $1 OR expires_at <= $2")
        .bind(&member.token_hash)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO ecard_devices (id, session_hash, card_id, kid, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&device_id)
    .bind(&member.token_hash)
    .bind(&card_id)
    .bind(&kid)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let device_key = device_key(&state, &kid, &device_id)
        .ok_or_else(|| ApiError::Internal("the current offline-card key is missing".into()))?;
    Ok(Json(OfflineDevice {
        device_id,
        device_key,
        server_time: now,
        expires_at,
        step_seconds: OFFLINE_STEP_SECONDS as u32,
    }))
}

/// The device key, derived from the offline-card key `kid`: never stored on the server.
fn device_key(state: &AppState, kid: &str, device_id: &str) -> Option<String> {
    state
        .keys
        .offline_card
        .derive(kid, &format!("device:{device_id}"))
}

/// Why a scanned code was refused. Deliberately coarse: a forger learns nothing from it.
enum Rejection {
    /// Anything wrong with the token itself: malformed, forged, unknown key, beyond the
    /// lifetime cap, already used, revoked device or session, wrong device.
    Invalid,
    /// A genuine token whose time has passed: the member should show a fresh one.
    Expired,
    /// A genuine token of a card that is lost, frozen or cancelled.
    CardNotActive,
}

/// What a merchant's scanner learns from a token: valid or not, and the masked holder.
#[utoipa::path(
    post,
    path = "/card/verify",
    tag = "card",
    summary = "Verify a scanned e-card token or offline code (merchant scanner). No sign-in. Each token verifies once.",
    description = "Accepts online tokens (`e1.…`, from `/card/ecard-token`) and offline codes (`o1.…`, derived \
        on the phone from `/card/offline-device`). The verdict's `reason` is `ok`; `expired` (a genuine \
        token or code past its time: ask for a fresh one); `card_not_active` (a genuine token of a lost, \
        frozen or cancelled card); or `invalid` for everything else — malformed, forged, signed by an unknown \
        or retired key, claiming a lifetime beyond the configured one, already verified once, or from a \
        device whose session has ended.",
    request_body = VerifyToken,
    responses(
        (status = 200, description = "Verdict: `valid` with `reason` `ok`, `expired`, `card_not_active` or `invalid`", body = TokenVerdict),
        (status = 400, description = "Body is not JSON (`bad_request`)", body = ErrorEnvelope),
        (status = 413, description = "Body too large (`payload_too_large`)", body = ErrorEnvelope),
        (status = 415, description = "Body is not `application/json` (`unsupported_media_type`)", body = ErrorEnvelope),
        (status = 422, description = "JSON without a `token` string (`invalid_body`)", body = ErrorEnvelope),
    ),
)]
async fn verify(
    State(state): State<AppState>,
    AppJson(request): AppJson<VerifyToken>,
) -> ApiResult<Json<TokenVerdict>> {
    let token = request.token.trim();
    let checked = if token.starts_with(&format!("{OFFLINE_PREFIX}.")) {
        check_offline_code(&state, token).await?
    } else {
        check_ecard_token(&state, token).await?
    };
    let verdict = |reason: &str| TokenVerdict {
        valid: false,
        reason: reason.to_owned(),
        member_name_masked: None,
        card_number_masked: None,
    };
    Ok(Json(match checked {
        Ok((name, number)) => TokenVerdict {
            valid: true,
            reason: "ok".to_owned(),
            member_name_masked: Some(mask::name(&name)),
            card_number_masked: number.as_deref().map(mask::card_number),
        },
        Err(Rejection::Invalid) => verdict("invalid"),
        Err(Rejection::Expired) => verdict("expired"),
        Err(Rejection::CardNotActive) => verdict("card_not_active"),
    }))
}

/// The holder's name and card number, or why not.
type Checked = Result<(String, Option<String>), Rejection>;

/// Signature, lifetime cap, expiry, single use, then the card: in that order, so only a
/// genuine token can learn more than `invalid`.
async fn check_ecard_token(state: &AppState, token: &str) -> ApiResult<Checked> {
    let parts: Vec<&str> = token.split('.').collect();
    let [prefix, kid, token_id, card_id, expires, signature] = parts[..] else {
        return Ok(Err(Rejection::Invalid));
    };
    let message = &token[..token.len() - signature.len() - 1];
    if prefix != ECARD_PREFIX || !state.keys.ecard.verify(kid, message, signature) {
        return Ok(Err(Rejection::Invalid));
    }
    let Ok(expires) = expires.parse::<i64>() else {
        return Ok(Err(Rejection::Invalid));
    };
    let now = state.clock.now();
    // Whatever the token claims, it lives no longer than tokens are issued for now.
    if expires > now + state.config.ecard_token_seconds {
        return Ok(Err(Rejection::Invalid));
    }
    if expires <= now {
        return Ok(Err(Rejection::Expired));
    }
    if !use_once(state, &format!("{ECARD_PREFIX}.{kid}.{token_id}"), expires).await? {
        return Ok(Err(Rejection::Invalid));
    }
    holder(state, card_id).await
}

/// The device's key and state, the code, the time window, single use, then the card.
async fn check_offline_code(state: &AppState, token: &str) -> ApiResult<Checked> {
    let parts: Vec<&str> = token.split('.').collect();
    let [_, device_id, step, code] = parts[..] else {
        return Ok(Err(Rejection::Invalid));
    };
    let Ok(step) = step.parse::<i64>() else {
        return Ok(Err(Rejection::Invalid));
    };
    let now = state.clock.now();
    // The join is the revocation: no session row (signed out, ended everywhere, expired), no
    // device row (cascade), no code.
    let device: Option<StoredDevice> = sqlx::query_as(
        "SELECT d.kid, d.card_id, d.expires_at AS device_end, s.expires_at AS session_end
         FROM ecard_devices d
         JOIN sessions s ON s.token_hash = d.session_hash WHERE d.id = $1",
    )
    .bind(device_id)
    .fetch_optional(&state.db)
    .await?;
    let Some(device) = device else {
        return Ok(Err(Rejection::Invalid));
    };
    let expected = device_key(state, &device.kid, device_id)
        .and_then(|key| hex_bytes(&key))
        .map(|key| offline_code(&key, device_id, step));
    if !expected.is_some_and(|expected| constant_time_eq(&expected, code)) {
        return Ok(Err(Rejection::Invalid));
    }
    if now >= device.device_end || now >= device.session_end {
        return Ok(Err(Rejection::Invalid));
    }
    let current = offline_step(now);
    if step > current + OFFLINE_SKEW_STEPS {
        return Ok(Err(Rejection::Invalid));
    }
    if step < current - OFFLINE_SKEW_STEPS {
        return Ok(Err(Rejection::Expired));
    }
    let usable_until = (step + OFFLINE_SKEW_STEPS + 1) * OFFLINE_STEP_SECONDS;
    let use_id = format!("{OFFLINE_PREFIX}.{device_id}.{step}");
    if !use_once(state, &use_id, usable_until).await? {
        return Ok(Err(Rejection::Invalid));
    }
    holder(state, &device.card_id).await
}

/// An offline e-card device and the end of the session that provisioned it.
#[derive(sqlx::FromRow)]
struct StoredDevice {
    kid: String,
    card_id: String,
    device_end: i64,
    session_end: i64,
}

/// A card's holder as a scanner may see them (masked before answering).
#[derive(sqlx::FromRow)]
struct Holder {
    name: String,
    number: Option<String>,
    status: String,
}

/// Records a token's single use: one INSERT that fails when the id is already there, so two
/// scanners racing with the same code cannot both succeed. False when already used.
async fn use_once(state: &AppState, id: &str, expires_at: i64) -> ApiResult<bool> {
    let now = state.clock.now();
    // Uses past their token's expiry can never matter again.
    sqlx::query("DELETE FROM ecard_uses WHERE expires_at < $1")
        .bind(now)
        .execute(&state.db)
        .await?;
    let inserted = sqlx::query("INSERT INTO ecard_uses (id, expires_at) VALUES ($1, $2)")
        .bind(id)
        .bind(expires_at)
        .execute(&state.db)
        .await;
    match inserted {
        Ok(_) => Ok(true),
        Err(error) if crate::db::is_unique_violation(&error) => Ok(false),
        Err(error) => Err(error.into()),
    }
}

/// The masked holder of an active card.
async fn holder(state: &AppState, card_id: &str) -> ApiResult<Checked> {
    let row: Option<Holder> = sqlx::query_as(
        "SELECT m.name, c.number, c.status FROM cards c JOIN members m ON m.id = c.member_id WHERE c.id = $1",
    )
    .bind(card_id)
    .fetch_optional(&state.db)
    .await?;
    Ok(match row {
        Some(holder) if holder.status == CardStatus::Active.as_str() => {
            Ok((holder.name, holder.number))
        }
        Some(_) => Err(Rejection::CardNotActive),
        None => Err(Rejection::Invalid),
    })
}
