//! The one error envelope every API failure is reported in.
use serde::{Deserialize, Serialize};

/// The body of every non-2xx API response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    /// Stable machine-readable code, e.g. `validation_failed`.
    pub code: String,
    /// Human-readable message in the requested language.
    pub message: String,
}
