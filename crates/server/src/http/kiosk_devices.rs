//! Enrolled kiosk devices. `server admin kiosk enroll --name …` prints a one-time enrolment
//! address; opened on the kiosk, it shows one button, whose POST swaps the token for a device
//! credential in an HttpOnly cookie. Only a browser holding a live (not revoked) credential can
//! ask for kiosk hand-off QR codes and claim the sign-ins they lead to.
//!
//! The confirmation step is a form rather than a GET that enrols at once, so a link preview or
//! prefetch cannot burn the token.
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use contract::error::ErrorEnvelope;
use serde::Deserialize;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::crypto::{random_hex, sha256_hex};
use crate::error::{ApiError, ApiResult, Refusal};
use crate::extract::kiosk_device_credential;
use crate::lang::Lang;
use crate::sessions;

/// Browsers keep a cookie at most 400 days; the credential lasts until revoked.
const DEVICE_COOKIE_SECONDS: i64 = 400 * 24 * 3600;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(confirm_page, enrol))
}

/// The enrolled kiosk device this browser is, if any.
pub async fn enrolled_device(state: &AppState, headers: &HeaderMap) -> ApiResult<Option<String>> {
    let credential = kiosk_device_credential(&state.config, headers);
    Ok(sessions::kiosk_device(state, credential.as_deref()).await?)
}

/// Kiosk sign-in exists only on kiosk deployments (`--kiosk`): elsewhere it is 404.
pub fn kiosk_deployment_only(state: &AppState) -> ApiResult<()> {
    if state.config.kiosk {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

/// The enrolled device, or 404 off kiosk deployments and 403 `kiosk_not_enrolled` elsewhere.
pub async fn require_device(state: &AppState, headers: &HeaderMap) -> ApiResult<String> {
    kiosk_deployment_only(state)?;
    enrolled_device(state, headers)
        .await?
        .ok_or(ApiError::KioskNotEnrolled)
}

#[derive(Debug, Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
#[into_params(parameter_in = Query)]
pub struct Enrolment {
    /// The one-time enrolment token `admin kiosk enroll` printed.
    pub token: String,
}

/// Only hex tokens are ever issued; anything else cannot be one (and is never echoed).
fn well_formed(token: &str) -> bool {
    token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

#[utoipa::path(
    get,
    path = "/kiosk/enrol",
    tag = "kiosk",
    summary = "The kiosk enrolment page: one button that enrols this browser as the kiosk (kiosk deployments only).",
    params(Enrolment),
    responses(
        (status = 200, description = "HTML page with the confirmation form", content_type = "text/html"),
        (status = 404, description = "Not a kiosk deployment, or not an enrolment token", body = ErrorEnvelope),
    ),
)]
async fn confirm_page(
    State(state): State<AppState>,
    lang: Lang,
    Query(enrolment): Query<Enrolment>,
) -> ApiResult<Response> {
    if !state.config.kiosk || !well_formed(&enrolment.token) {
        return Err(ApiError::NotFound);
    }
    let (lang_tag, title, body, button) = match lang {
        Lang::Zh => (
            "zh-CN",
            "登记自助终端",
            "确认后，这台设备的浏览器将登记为服务中心自助终端。请只在自助终端上操作。",
            "登记这台自助终端",
        ),
        Lang::En => (
            "en",
            "Enrol this kiosk",
            "This browser will be enrolled as a service-centre kiosk. Do this on the kiosk only.",
            "Enrol this kiosk",
        ),
    };
    let token = &enrolment.token;
    let html = format!(
        "<!doctype html><html lang=\"{lang_tag}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title></head><body><main><h1>{title}</h1><p>{body}</p>\
         <form method=\"post\" action=\"/api/v1/kiosk/enrol\">\
         <input type=\"hidden\" name=\"token\" value=\"{token}\">\
         <button type=\"submit\" id=\"enrol\">{button}</button></form></main></body></html>"
    );
    let csp = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    Ok((
        [(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        )],
        Html(html),
    )
        .into_response())
}

#[utoipa::path(
    post,
    path = "/kiosk/enrol",
    tag = "kiosk",
    summary = "Swap a one-time enrolment token for this browser's kiosk device credential (HttpOnly cookie), then go to /kiosk.",
    request_body(content = Enrolment, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Enrolled; the device cookie is set and the browser sent to /kiosk"),
        (status = 404, description = "Not a kiosk deployment", body = ErrorEnvelope),
        (status = 410, description = "Unknown, used, expired or revoked token (`enrolment_expired`)", body = ErrorEnvelope),
    ),
)]
async fn enrol(
    State(state): State<AppState>,
    Form(enrolment): Form<Enrolment>,
) -> ApiResult<Response> {
    if !state.config.kiosk {
        return Err(ApiError::NotFound);
    }
    let credential = random_hex(32);
    let now = state.clock.now();
    // One statement: the token is used once, even by two tabs at the same moment.
    let enrolled = sqlx::query(
        "UPDATE kiosk_devices SET credential_hash = $1, enrolled_at = $2, enrolment_hash = NULL
         WHERE enrolment_hash = $3 AND enrolment_expires_at > $2 AND revoked_at IS NULL",
    )
    .bind(sha256_hex(&credential))
    .bind(now)
    .bind(sha256_hex(enrolment.token.trim()))
    .execute(&state.db)
    .await?
    .rows_affected();
    if enrolled != 1 {
        return Err(Refusal::new(
            StatusCode::GONE,
            "enrolment_expired",
            "登记链接已失效（已使用、已过期或已撤销），请让管理员重新生成。",
            "This enrolment link is no longer valid (used, expired or revoked). Ask an administrator for a new one.",
        )
        .into());
    }
    let name = sessions::host_cookie_name(&state.config, sessions::KIOSK_DEVICE_COOKIE);
    let cookie = sessions::cookie(&state, &name, &credential, DEVICE_COOKIE_SECONDS, true);
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, cookie),
            (header::LOCATION, HeaderValue::from_static("/kiosk")),
        ],
    )
        .into_response())
}
