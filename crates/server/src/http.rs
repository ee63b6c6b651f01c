//! The HTTP surface: the API under `/api`, the portal everywhere else.
pub(crate) mod aid;
mod auth;
mod card;
mod dev;
mod insurance;
mod kiosk_handoff;
mod member;
mod notifications;
mod offers;
pub mod openapi;
pub(crate) mod problem;
mod wechat;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tracing::Instrument;

use crate::AppState;
use crate::crypto::random_hex;
use crate::error::{self, ApiError, RequestId};
use crate::static_files;

/// Carries the request id in both directions.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// JSON bodies are small; larger ones are refused with our envelope.
const JSON_BODY_LIMIT: usize = 64 * 1024;

/// The whole application, ready to serve (tests run it in-process on port 0).
pub fn app(state: AppState) -> Router {
    Router::new()
        .nest("/api", api(&state))
        .merge(static_files::router())
        .layer(security_header("x-content-type-options", "nosniff"))
        .layer(security_header("referrer-policy", "same-origin"))
        .layer(security_header("x-frame-options", "DENY"))
        .layer(middleware::from_fn(request_id))
        .with_state(state)
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

fn api(state: &AppState) -> Router<AppState> {
    let mut v1 = Router::new()
        .merge(auth::router())
        .merge(member::router())
        .merge(card::router())
        .merge(notifications::router())
        .merge(offers::router())
        .merge(insurance::router())
        .merge(aid::router())
        .merge(kiosk_handoff::router())
        .merge(wechat::router());
    if state.config.dev_outbox {
        v1 = v1.merge(dev::router());
    }
    Router::new()
        .route("/health", get(health))
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
