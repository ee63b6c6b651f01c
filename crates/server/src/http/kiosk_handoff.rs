//! Signing in at a kiosk with the member's own phone: the kiosk shows a QR code, the phone
//! (already signed in) approves it, and the kiosk, polling, is signed in as that member with a
//! short kiosk session. Nothing is typed on the shared screen.
//!
//! The code in the QR code and the kiosk's poll token are random and stored only as hashes; a
//! code lives two minutes and signs in once. Only enrolled kiosk devices (see `kiosk_devices`)
//! of kiosk deployments get codes, and only the device that showed a code can claim it. The
//! phone asks the member to approve only when standing at the kiosk, and the session it opens
//! is a short kiosk session, for an active card only.
use super::kiosk_devices::require_device;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use contract::auth::{ApproveKioskHandoff, ClaimKioskHandoff, KioskHandoff, KioskHandoffState};
use contract::error::ErrorEnvelope;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::crypto::{random_hex, sha256_hex};
use crate::error::{ApiError, ApiResult, Refusal};
use crate::extract::{AppJson, CurrentMember};
use crate::sessions::{self, OpenedOn};

/// How long a QR code can be approved and claimed.
const HANDOFF_SECONDS: i64 = 120;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(approve))
        .routes(routes!(claim))
}

fn expired() -> Refusal {
    Refusal::new(
        StatusCode::GONE,
        "handoff_expired",
        "二维码已过期，请在自助终端上刷新二维码后重新扫码。",
        "This QR code has expired. Refresh it on the kiosk and scan again.",
    )
}

#[utoipa::path(
    post,
    path = "/auth/kiosk-handoff",
    tag = "auth",
    summary = "An enrolled kiosk asks for a sign-in QR code (kiosk deployments only).",
    responses(
        (status = 201, description = "Show `code` in a QR code; poll with `poll_token`", body = KioskHandoff),
        (status = 403, description = "This browser is not an enrolled kiosk device (`kiosk_not_enrolled`)", body = ErrorEnvelope),
        (status = 404, description = "Not a kiosk deployment", body = ErrorEnvelope),
    ),
)]
async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<(StatusCode, Json<KioskHandoff>)> {
    let device = require_device(&state, &headers).await?;
    let now = state.clock.now();
    let code = random_hex(16);
    let poll_token = random_hex(16);
    sqlx::query("DELETE FROM kiosk_handoffs WHERE expires_at <= $1")
        .bind(now)
        .execute(&state.db)
        .await?;
    sqlx::query(
        "INSERT INTO kiosk_handoffs (code_hash, poll_token_hash, created_at, expires_at, device_id)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(sha256_hex(&code))
    .bind(sha256_hex(&poll_token))
    .bind(now)
    .bind(now + HANDOFF_SECONDS)
    .bind(&device)
    .execute(&state.db)
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(KioskHandoff {
            code,
            poll_token,
            expires_in_seconds: HANDOFF_SECONDS as u32,
        }),
    ))
}

#[utoipa::path(
    post,
    path = "/auth/kiosk-handoff/approve",
    tag = "auth",
    summary = "The member's phone, signed in, approves a kiosk's QR code.",
    request_body = ApproveKioskHandoff,
    responses(
        (status = 204, description = "Approved; the kiosk signs in at its next poll"),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 403, description = "From a kiosk session (`kiosk_forbidden`), or CSRF token missing", body = ErrorEnvelope),
        (status = 410, description = "Expired, already used or unknown (`handoff_expired`)", body = ErrorEnvelope),
    ),
    security(("session" = [], "csrf" = [])),
)]
async fn approve(
    State(state): State<AppState>,
    member: CurrentMember,
    AppJson(request): AppJson<ApproveKioskHandoff>,
) -> ApiResult<StatusCode> {
    // Kiosk sessions never get here: `session_rules` makes approving member-only.
    let approved = sqlx::query(
        "UPDATE kiosk_handoffs SET member_id = $1
         WHERE code_hash = $2 AND member_id IS NULL AND expires_at > $3",
    )
    .bind(&member.member_id)
    .bind(sha256_hex(request.code.trim()))
    .bind(state.clock.now())
    .execute(&state.db)
    .await?;
    if approved.rows_affected() == 1 {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(expired().into())
    }
}

/// A hand-off as stored: who was signed in to it (once the phone confirmed) and which kiosk
/// showed it.
#[derive(sqlx::FromRow)]
struct HandoffRow {
    poll_token_hash: String,
    member_id: Option<String>,
    expires_at: i64,
    device_id: Option<String>,
}

#[utoipa::path(
    post,
    path = "/auth/kiosk-handoff/claim",
    tag = "auth",
    summary = "The kiosk polls: `waiting` until a phone approves, then `signed_in` with a kiosk session (cookie set).",
    request_body = ClaimKioskHandoff,
    responses(
        (status = 200, description = "Waiting, or signed in", body = KioskHandoffState),
        (status = 403, description = "Not the enrolled kiosk that showed the code (`kiosk_not_enrolled`), or the member's card is not active (`kiosk_card_not_active`)", body = ErrorEnvelope),
        (status = 404, description = "Not a kiosk deployment", body = ErrorEnvelope),
        (status = 410, description = "Expired, already used or unknown (`handoff_expired`)", body = ErrorEnvelope),
    ),
)]
async fn claim(
    State(state): State<AppState>,
    headers: HeaderMap,
    AppJson(request): AppJson<ClaimKioskHandoff>,
) -> ApiResult<Response> {
    let device = require_device(&state, &headers).await?;
    let now = state.clock.now();
    let code_hash = sha256_hex(request.code.trim());
    let row: Option<HandoffRow> = sqlx::query_as(
        "SELECT poll_token_hash, member_id, expires_at, device_id FROM kiosk_handoffs WHERE code_hash = $1",
    )
    .bind(&code_hash)
    .fetch_optional(&state.db)
    .await?;
    let Some(HandoffRow {
        poll_token_hash: token_hash,
        member_id,
        expires_at,
        device_id: shown_by,
    }) = row
    else {
        return Err(expired().into());
    };
    if shown_by.as_deref() != Some(device.as_str()) {
        return Err(ApiError::KioskNotEnrolled);
    }
    if token_hash != sha256_hex(request.poll_token.trim()) || expires_at <= now {
        return Err(expired().into());
    }
    let Some(member_id) = member_id else {
        return Ok(Json(KioskHandoffState::Waiting).into_response());
    };
    // Used once: whoever deletes the row signs in.
    let taken = sqlx::query("DELETE FROM kiosk_handoffs WHERE code_hash = $1")
        .bind(&code_hash)
        .execute(&state.db)
        .await?;
    if taken.rows_affected() != 1 {
        return Err(expired().into());
    }
    let on = OpenedOn::Kiosk { device_id: &device };
    let (cookies, session) = sessions::create(&state, &member_id, on).await?;
    Ok((cookies, Json(KioskHandoffState::SignedIn { session })).into_response())
}
