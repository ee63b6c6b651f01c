//! The one error type of the API, rendered as the contract's error envelope.
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use contract::error::ErrorEnvelope;

/// Every way an API request can fail.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("not found")]
    NotFound,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound => "not_found",
        }
    }

    fn message(&self) -> &'static str {
        match self {
            ApiError::NotFound => "请求的资源不存在。",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let envelope = ErrorEnvelope::new(self.code(), self.message());
        (self.status(), axum::Json(envelope)).into_response()
    }
}
