//! The HTTP surface: the API under `/api`, the portal everywhere else.
mod auth;
mod card;
mod dev;
mod member;
mod notifications;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware;
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::AppState;
use crate::error::{self, ApiError};
use crate::static_files;

/// JSON bodies are small; larger ones are refused with our envelope.
const JSON_BODY_LIMIT: usize = 64 * 1024;

/// The whole application, ready to serve (tests run it in-process on port 0).
pub fn app(state: AppState) -> Router {
    Router::new()
        .nest("/api", api(&state))
        .merge(static_files::router())
        .layer(security_header("x-content-type-options", "nosniff"))
        .layer(security_header("referrer-policy", "same-origin"))
        .with_state(state)
}

fn api(state: &AppState) -> Router<AppState> {
    let mut v1 = Router::new()
        .merge(auth::router())
        .merge(member::router())
        .merge(card::router())
        .merge(notifications::router());
    if state.config.dev_outbox {
        v1 = v1.merge(dev::router());
    }
    Router::new()
        .route("/health", get(health))
        .nest("/v1", v1)
        .fallback(|| async { ApiError::NotFound })
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
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
