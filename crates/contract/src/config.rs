//! The portal's runtime configuration, injected by the server into `index.html` as JSON.
use serde::{Deserialize, Serialize};

/// What one deployment tells the portal at start-up. Unknown keys are ignored so an older
/// portal keeps working against a newer server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PortalConfig {
    /// Base URL of the member-service API, e.g. `/api` or `https://union.example/api`.
    #[serde(default = "default_api_base")]
    pub api_base: String,
    /// The WeChat Official Account's AppID when WeChat sign-in is offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wechat_app_id: Option<String>,
    /// This deployment is a service-centre kiosk: card + PIN sign-in, idle wipe.
    #[serde(default)]
    pub kiosk: bool,
    /// Kiosk: seconds without input before the idle warning (the portal's default is 60).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kiosk_warn_after_seconds: Option<u32>,
    /// Kiosk: seconds the warning counts down before signing out and wiping (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kiosk_sign_out_after_seconds: Option<u32>,
    /// Kiosk: the member portal's public address (no trailing slash), where a phone scanning
    /// the kiosk's sign-in QR code signs in and approves; the kiosk's own origin when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_portal_url: Option<String>,
}

fn default_api_base() -> String {
    "/api".to_owned()
}

impl Default for PortalConfig {
    fn default() -> Self {
        Self {
            api_base: default_api_base(),
            wechat_app_id: None,
            kiosk: false,
            kiosk_warn_after_seconds: None,
            kiosk_sign_out_after_seconds: None,
            member_portal_url: None,
        }
    }
}

impl PortalConfig {
    /// The API base without a trailing slash, ready to prefix `/v1/...` paths.
    pub fn api_root(&self) -> &str {
        self.api_base.trim_end_matches('/')
    }
}
