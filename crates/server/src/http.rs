//! The HTTP surface: the API under `/api`, the portal everywhere else.
use axum::Router;
use axum::http::{HeaderName, HeaderValue};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::AppState;
use crate::error::ApiError;
use crate::static_files;

/// The whole application, ready to serve (tests run it in-process on port 0).
pub fn app(state: AppState) -> Router {
    Router::new()
        .nest("/api", api())
        .merge(static_files::router())
        .layer(security_header("x-content-type-options", "nosniff"))
        .layer(security_header("referrer-policy", "same-origin"))
        .with_state(state)
}

fn api() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .fallback(|| async { ApiError::NotFound })
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
