//! The HTTP surface: the API under `/api`, the portal everywhere else.
mod aid;
mod auth;
mod card;
mod dev;
pub(crate) mod first_paint;
mod insurance;
mod kiosk_devices;
mod kiosk_handoff;
mod member;
mod notifications;
mod offers;
pub mod openapi;
mod wechat;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::routing::get;
use tokio::sync::Semaphore;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tracing::Instrument;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;
use crate::crypto::random_hex;
use crate::error::{self, ApiError, RequestId};
use crate::lang::Lang;
use crate::{sessions, static_files};

/// Carries the request id in both directions.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// JSON bodies are small; larger ones are refused with our envelope.
const JSON_BODY_LIMIT: usize = 64 * 1024;

/// Features the portal uses: the camera (document capture) and geolocation (nearest offers),
/// from this origin only; everything else powerful is off.
pub const PERMISSIONS_POLICY: &str = "camera=(self), geolocation=(self), microphone=(), \
     payment=(), usb=(), serial=(), bluetooth=(), hid=(), midi=(), magnetometer=(), \
     gyroscope=(), accelerometer=(), display-capture=(), browsing-topics=()";

/// Browsers remember for two years that this host is HTTPS-only (production only).
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000";

/// The whole application, ready to serve (tests run it in-process on port 0).
pub fn app(state: AppState) -> Router {
    let limits = Limits {
        in_flight: Arc::new(Semaphore::new(state.config.max_concurrent_requests.max(1))),
        timeout: Duration::from_secs(state.config.request_timeout_seconds.max(1)),
    };
    let mut router = Router::new()
        .nest("/api", api(&state))
        .merge(static_files::router())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            renew_session_cookies,
        ))
        .layer(middleware::from_fn_with_state(limits, limit_requests))
        .layer(security_header("x-content-type-options", "nosniff"))
        .layer(security_header("referrer-policy", "same-origin"))
        .layer(security_header("x-frame-options", "DENY"))
        .layer(security_header("permissions-policy", PERMISSIONS_POLICY))
        .layer(security_header("cross-origin-opener-policy", "same-origin"))
        .layer(security_header(
            "cross-origin-resource-policy",
            "same-origin",
        ));
    if !state.config.insecure_cookies {
        // Production serves HTTPS only; plain-HTTP dev on localhost must not pin HTTPS.
        router = router.layer(security_header(
            "strict-transport-security",
            STRICT_TRANSPORT_SECURITY,
        ));
    }
    // Outside everything but the request id, so refusals (401, 429, 503) reach a portal on
    // another origin readable, and preflights are answered before any handler runs.
    if let Some(cors) = crate::cors::layer(&state.config.cors) {
        router = router.layer(cors);
    }
    router
        .layer(middleware::from_fn_with_state(
            state.metrics.clone(),
            crate::metrics::track,
        ))
        .layer(middleware::from_fn(request_id))
        .with_state(state)
}

/// The global bounds on requests: how many at once, and how long each may take (its body
/// included, so a slow client cannot hold an upload buffer for ever).
#[derive(Clone)]
struct Limits {
    in_flight: Arc<Semaphore>,
    timeout: Duration,
}

/// Refuses a request at once with 503 `overloaded` when the cap is reached (queueing would
/// only make everyone slower), and ends it with 408 `request_timeout` when it takes too long.
async fn limit_requests(
    State(limits): State<Limits>,
    lang: Lang,
    request: Request,
    next: Next,
) -> Response {
    let request_id = request.extensions().get::<RequestId>().cloned();
    let error = match limits.in_flight.clone().try_acquire_owned() {
        Ok(_permit) => match tokio::time::timeout(limits.timeout, next.run(request)).await {
            Ok(response) => return response,
            Err(_) => ApiError::RequestTimeout,
        },
        Err(_) => ApiError::Overloaded,
    };
    let mut envelope = error.envelope(lang);
    envelope.request_id = request_id.map(|RequestId(id)| id);
    let mut response = (error.status(), axum::Json(envelope)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let ApiError::Overloaded = error {
        headers.insert(header::RETRY_AFTER, error::OVERLOADED_RETRY_SECONDS.into());
    } else {
        // The client may still be sending; close rather than read the rest.
        headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// Renews the session and CSRF cookies when the session extractor asks (the session was
/// used), so the cookies' lifetime follows the idle timeout; a response that sets cookies
/// itself (sign-in, sign-out) wins.
async fn renew_session_cookies(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let renewal = sessions::CookieRenewal::default();
    request.extensions_mut().insert(renewal.clone());
    let mut response = next.run(request).await;
    let sets_cookies = response.headers().contains_key(header::SET_COOKIE);
    if let (Some((token, csrf, max_age)), false) = (renewal.take(), sets_cookies) {
        let AppendHeaders(cookies) = sessions::cookies(&state, &token, &csrf, max_age);
        for (name, value) in cookies {
            response.headers_mut().append(name, value);
        }
    }
    response
}

/// Gives every request an id (the client's `x-request-id` when it is sane), logs the request
/// without personal data (path only, never the query) and echoes the id in the response.
async fn request_id(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map_or_else(|| random_hex(8), str::to_owned);
    request.extensions_mut().insert(RequestId(id.clone()));
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let span = tracing::info_span!("request", id = %id);
    let started = std::time::Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let ms = started.elapsed().as_millis() as u64;
    span.in_scope(|| {
        if status >= 400 {
            tracing::info!(%method, %path, status, ms, "request failed");
        } else {
            tracing::debug!(%method, %path, status, ms, "request");
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
    }
    response
}

/// Every documented operation under `/api/v1`: each route is written once, in its module's
/// `router()`, and registers both the handler and its OpenAPI entry.
pub(crate) fn operations() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(auth::router())
        .merge(member::router())
        .merge(card::router())
        .merge(notifications::router())
        .merge(offers::router())
        .merge(insurance::router())
        .merge(aid::router())
        .merge(kiosk_handoff::router())
        .merge(kiosk_devices::router())
        .merge(wechat::router())
}

fn api(state: &AppState) -> Router<AppState> {
    let (mut v1, _) = operations().split_for_parts();
    // The development outbox is deliberately not in the contract.
    if state.config.dev_outbox {
        v1 = v1.merge(dev::router());
    }
    Router::new()
        .route("/health", get(health))
        .route("/ready", get(crate::ops::ready))
        .route("/openapi.json", get(openapi::document))
        .nest("/v1", v1)
        .fallback(|| async { ApiError::NotFound })
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::Internal("a handler panicked".to_owned()).into_response()
        }))
        .layer(middleware::from_fn(error::localise))
        .layer(security_header("cache-control", "no-store"))
        // JSON is compressed on the fly; static files come precompressed.
        .layer(CompressionLayer::new())
}

async fn health() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({ "status": "ok" }))
}

fn security_header(name: &'static str, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(
        HeaderName::from_static(name),
        HeaderValue::from_static(value),
    )
}
