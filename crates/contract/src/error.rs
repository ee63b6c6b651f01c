//! The one error envelope every API failure is reported in, from server to screen.
use serde::{Deserialize, Serialize};

/// The body of every non-2xx API response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorEnvelope {
    /// Stable machine-readable code, e.g. `validation_failed`, `code_expired`.
    pub code: String,
    /// Human-readable message in the requested language (zh-CN unless `Accept-Language` asks
    /// for English).
    pub message: String,
    /// Field-level problems of a rejected request body, keyed by field name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// For throttling: seconds until the request may be repeated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u32>,
    /// For a wrong password or PIN: tries left before a temporary lock (the owner of the
    /// account sees a warning before the lock, not after).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts_remaining: Option<u32>,
    /// Correlates the response with the server's log line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// One invalid field and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    /// Stable code, e.g. `invalid_phone`, `check_digit_mismatch`.
    pub code: String,
    pub message: String,
}

impl ErrorEnvelope {
    /// An envelope with just a code and a message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            fields: Vec::new(),
            retry_after_seconds: None,
            attempts_remaining: None,
            request_id: None,
        }
    }
}
