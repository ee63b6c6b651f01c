//! WeChat sign-in (Official Account OAuth, silent `snsapi_base`): start with a `state` tied to
//! this browser, exchange the returned `code` for the openid server-side, sign in the member
//! bound to it, or hand out a short-lived token to bind it after another sign-in.
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse, Response};
use contract::auth::{
    WECHAT_STATE_COOKIE, WeChatAuthorize, WeChatBind, WeChatSignIn, WeChatSignInResult, WeChatStart,
};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::crypto::{constant_time_eq, random_hex};
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, CurrentMember, cookie};
use crate::sessions::{self, OpenedOn};
use crate::wechat::WeChatError;
use contract::error::ErrorEnvelope;

/// How long an OAuth round trip and a bind token may take.
const ROUND_TRIP_SECONDS: i64 = 10 * 60;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start))
        .routes(routes!(sign_in))
        .routes(routes!(bind))
        .routes(routes!(unbind))
}

/// The authorisation URL, with a fresh `state` also kept in an HttpOnly cookie.
#[utoipa::path(
    post,
    path = "/auth/wechat/start",
    tag = "auth",
    summary = "Begin WeChat sign-in: returns the authorisation URL and sets the `portal_wechat_state` cookie.",
    request_body = WeChatStart,
    responses(
        (status = 200, description = "Navigate to `authorize_url`", body = WeChatAuthorize),
        (status = 404, description = "WeChat sign-in not configured (`wechat_disabled`)", body = ErrorEnvelope),
        (status = 422, description = "`redirect_uri` not an absolute URL", body = ErrorEnvelope),
    ),
)]
async fn start(
    State(state): State<AppState>,
    AppJson(request): AppJson<WeChatStart>,
) -> ApiResult<Response> {
    let redirect = request.redirect_uri.trim();
    let absolute = redirect.starts_with("https://") || redirect.starts_with("http://");
    if !absolute || redirect.len() > 1024 {
        return Err(ApiError::invalid_field("redirect_uri", "invalid_url"));
    }
    let oauth_state = random_hex(16);
    let authorize_url = state
        .wechat
        .authorize_url(redirect, &oauth_state)
        .ok_or(ApiError::WeChatDisabled)?;
    let cookie = sessions::cookie(
        &state,
        &sessions::host_cookie_name(&state.config, WECHAT_STATE_COOKIE),
        &oauth_state,
        ROUND_TRIP_SECONDS,
        true,
    );
    Ok((
        AppendHeaders([(header::SET_COOKIE, cookie)]),
        Json(WeChatAuthorize {
            authorize_url,
            state: oauth_state,
        }),
    )
        .into_response())
}

/// Exchanges the code; signs in the bound member or answers `not_bound` with a bind token.
#[utoipa::path(
    post,
    path = "/auth/wechat/sign-in",
    tag = "auth",
    summary = "Exchange the OAuth `code` WeChat returned; signs in the bound member or returns a bind token.",
    request_body = WeChatSignIn,
    responses(
        (status = 200, description = "Signed in, or not bound yet", body = WeChatSignInResult),
        (status = 401, description = "WeChat refused the code", body = ErrorEnvelope),
        (status = 403, description = "`state` does not match this browser", body = ErrorEnvelope),
        (status = 502, description = "WeChat unreachable", body = ErrorEnvelope),
    ),
)]
async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    AppJson(request): AppJson<WeChatSignIn>,
) -> ApiResult<Response> {
    let state_cookie = sessions::host_cookie_name(&state.config, WECHAT_STATE_COOKIE);
    let expected = cookie(&headers, &state_cookie).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(&expected, &request.state) {
        return Err(ApiError::WeChatStateMismatch);
    }
    let openid = state
        .wechat
        .openid_for_code(&request.code)
        .await
        .map_err(wechat_failure)?;
    let clear_state = AppendHeaders([(
        header::SET_COOKIE,
        sessions::cookie(&state, &state_cookie, "", 0, true),
    )]);
    let member: Option<String> =
        sqlx::query_scalar("SELECT id FROM members WHERE wechat_openid = $1")
            .bind(&openid)
            .fetch_optional(&state.db)
            .await?;
    let Some(member_id) = member else {
        let result = WeChatSignInResult::NotBound {
            bind_token: bind_token(&state, &openid),
            expires_in_seconds: ROUND_TRIP_SECONDS as u32,
        };
        return Ok((clear_state, Json(result)).into_response());
    };
    let (cookies, session) = sessions::create(&state, &member_id, OpenedOn::MembersDevice).await?;
    let result = WeChatSignInResult::SignedIn { session };
    Ok((clear_state, cookies, Json(result)).into_response())
}

fn wechat_failure(error: WeChatError) -> ApiError {
    match error {
        WeChatError::NotConfigured => ApiError::WeChatDisabled,
        WeChatError::CodeRejected { errcode, .. } => {
            tracing::info!(errcode, "WeChat refused an OAuth code");
            ApiError::WeChatCodeRejected
        }
        WeChatError::Unavailable(detail) => {
            tracing::warn!(%detail, "WeChat API call failed");
            ApiError::WeChatUnavailable
        }
    }
}

/// `openid.expiry.kid.signature`, signed with the WeChat bind keys (never the e-card keys):
/// proves this server saw the openid in a code exchange.
fn bind_token(state: &AppState, openid: &str) -> String {
    let expires = state.clock.now() + ROUND_TRIP_SECONDS;
    let kid = state.keys.wechat_bind.current_kid();
    let message = format!("{openid}.{expires}.{kid}");
    let (_, signature) = state.keys.wechat_bind.sign(&message);
    format!("{message}.{signature}")
}

/// The openid inside a valid, unexpired bind token.
fn openid_from_bind_token(state: &AppState, token: &str) -> Option<String> {
    let (message, signature) = token.rsplit_once('.')?;
    let (rest, kid) = message.rsplit_once('.')?;
    if !state.keys.wechat_bind.verify(kid, message, signature) {
        return None;
    }
    let (openid, expires) = rest.rsplit_once('.')?;
    let expires = expires.parse::<i64>().ok()?;
    let now = state.clock.now();
    // Whatever it claims, a bind token lives no longer than one OAuth round trip.
    let current = expires > now && expires <= now + ROUND_TRIP_SECONDS;
    current.then(|| openid.to_owned())
}

/// Binds the WeChat account of a `not_bound` sign-in to the signed-in member.
#[utoipa::path(
    post,
    path = "/auth/wechat/bind",
    tag = "auth",
    summary = "Bind the WeChat account of a `not_bound` sign-in to the signed-in member.",
    request_body = WeChatBind,
    responses(
        (status = 204, description = "Bound"),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 409, description = "Bound to another member (`wechat_already_bound`)", body = ErrorEnvelope),
        (status = 422, description = "Bind token invalid or expired", body = ErrorEnvelope),
    ),
    security(("session" = [], "csrf" = [])),
)]
async fn bind(
    State(state): State<AppState>,
    member: CurrentMember,
    AppJson(request): AppJson<WeChatBind>,
) -> ApiResult<StatusCode> {
    let openid = openid_from_bind_token(&state, &request.bind_token)
        .ok_or(ApiError::invalid_field("bind_token", "invalid_bind_token"))?;
    let result = sqlx::query("UPDATE members SET wechat_openid = $1 WHERE id = $2")
        .bind(&openid)
        .bind(&member.member_id)
        .execute(&state.db)
        .await;
    match result {
        Ok(_) => Ok(StatusCode::NO_CONTENT),
        // The unique constraint: this WeChat account already belongs to another member.
        Err(error) if crate::db::is_unique_violation(&error) => Err(ApiError::WeChatAlreadyBound),
        Err(error) => Err(error.into()),
    }
}

/// Removes the member's WeChat binding (idempotent).
#[utoipa::path(
    post,
    path = "/auth/wechat/unbind",
    tag = "auth",
    summary = "Remove the WeChat binding.",
    responses(
        (status = 204, description = "Unbound"),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
    ),
    security(("session" = [], "csrf" = [])),
)]
async fn unbind(State(state): State<AppState>, member: CurrentMember) -> ApiResult<StatusCode> {
    sqlx::query("UPDATE members SET wechat_openid = NULL WHERE id = $1")
        .bind(&member.member_id)
        .execute(&state.db)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
