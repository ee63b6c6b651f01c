//! The portal's runtime configuration, injected by the server into `index.html` as JSON.
use serde::{Deserialize, Serialize};

/// What one deployment tells the portal at start-up. Unknown keys are ignored so an older
/// portal keeps working against a newer server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortalConfig {
    /// Base URL of the member-service API, e.g. `/api` or `https://union.example/api`.
    #[serde(default = "default_api_base")]
    pub api_base: String,
}

fn default_api_base() -> String {
    "/api".to_owned()
}

impl Default for PortalConfig {
    fn default() -> Self {
        Self {
            api_base: default_api_base(),
        }
    }
}

impl PortalConfig {
    /// The API base without a trailing slash, ready to prefix `/v1/...` paths.
    pub fn api_root(&self) -> &str {
        self.api_base.trim_end_matches('/')
    }
}
