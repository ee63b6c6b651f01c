//! Signing in at a kiosk with the member's own phone: the kiosk shows a QR code, the phone
//! (already signed in) approves it, and the kiosk, polling, is signed in as that member with a
//! short kiosk session. Nothing is typed on the shared screen.
//!
//! The code in the QR code and the kiosk's poll token are random and stored only as hashes; a
//! code lives two minutes and signs in once, and only kiosk deployments hand them out. The
//! phone asks the member to approve only when standing at the kiosk, and the session it opens
//! is a short kiosk session.
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use contract::auth::{
    ApproveKioskHandoff, ClaimKioskHandoff, KioskHandoff, KioskHandoffState, SessionKind,
};
use contract::error::ErrorEnvelope;

use crate::AppState;
use crate::crypto::{random_hex, sha256_hex};
use crate::error::ApiError;
use crate::extract::{AppJson, CurrentMember};
use crate::http::problem::{Outcome, Refusal};
use crate::sessions;

/// How long a QR code can be approved and claimed.
const HANDOFF_SECONDS: i64 = 120;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/kiosk-handoff", post(create))
        .route("/auth/kiosk-handoff/approve", post(approve))
        .route("/auth/kiosk-handoff/claim", post(claim))
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
    path = "/api/v1/auth/kiosk-handoff",
    tag = "auth",
    summary = "A kiosk asks for a sign-in QR code (kiosk deployments only).",
    responses(
        (status = 201, description = "Show `code` in a QR code; poll with `poll_token`", body = KioskHandoff),
        (status = 404, description = "Not a kiosk deployment", body = ErrorEnvelope),
    ),
)]
async fn create(State(state): State<AppState>) -> Outcome<(StatusCode, Json<KioskHandoff>)> {
    if !state.config.kiosk {
        return Err(ApiError::NotFound.into());
    }
    let now = state.clock.now();
    let code = random_hex(16);
    let poll_token = random_hex(16);
    sqlx::query("DELETE FROM kiosk_handoffs WHERE expires_at <= $1")
        .bind(now)
        .execute(&state.db)
        .await?;
    sqlx::query(
        "INSERT INTO kiosk_handoffs (code_hash, poll_token_hash, created_at, expires_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(sha256_hex(&code))
    .bind(sha256_hex(&poll_token))
    .bind(now)
    .bind(now + HANDOFF_SECONDS)
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
    path = "/api/v1/auth/kiosk-handoff/approve",
    tag = "auth",
    summary = "The member's phone, signed in, approves a kiosk's QR code.",
    request_body = ApproveKioskHandoff,
    responses(
        (status = 204, description = "Approved; the kiosk signs in at its next poll"),
        (status = 410, description = "Expired, already used or unknown (`handoff_expired`)", body = ErrorEnvelope),
    ),
    security(("session" = [], "csrf" = [])),
)]
async fn approve(
    State(state): State<AppState>,
    member: CurrentMember,
    AppJson(request): AppJson<ApproveKioskHandoff>,
) -> Outcome<StatusCode> {
    if member.kind == SessionKind::Kiosk {
        return Err(Refusal::new(
            StatusCode::FORBIDDEN,
            "kiosk_session",
            "请用您自己的手机扫码确认，不能在自助终端上确认。",
            "Approve with your own phone, not from a kiosk.",
        )
        .into());
    }
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

#[utoipa::path(
    post,
    path = "/api/v1/auth/kiosk-handoff/claim",
    tag = "auth",
    summary = "The kiosk polls: `waiting` until a phone approves, then `signed_in` with a kiosk session (cookie set).",
    request_body = ClaimKioskHandoff,
    responses(
        (status = 200, description = "Waiting, or signed in", body = KioskHandoffState),
        (status = 410, description = "Expired, already used or unknown (`handoff_expired`)", body = ErrorEnvelope),
    ),
)]
async fn claim(
    State(state): State<AppState>,
    AppJson(request): AppJson<ClaimKioskHandoff>,
) -> Outcome<Response> {
    let now = state.clock.now();
    let code_hash = sha256_hex(request.code.trim());
    let row: Option<(String, Option<String>, i64)> = sqlx::query_as(
        "SELECT poll_token_hash, member_id, expires_at FROM kiosk_handoffs WHERE code_hash = $1",
    )
    .bind(&code_hash)
    .fetch_optional(&state.db)
    .await?;
    let Some((token_hash, member_id, expires_at)) = row else {
        return Err(expired().into());
    };
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
    let (cookies, session) = sessions::create(&state, &member_id, SessionKind::Kiosk).await?;
    Ok((cookies, Json(KioskHandoffState::SignedIn { session })).into_response())
}
