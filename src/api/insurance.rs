//! Mutual-aid insurance: the member's entitlements and their detail with claims.
use contract::insurance::{Entitlement, EntitlementDetail};

use super::{ApiClient, ApiError};

impl ApiClient {
    pub async fn entitlements(&self) -> Result<Vec<Entitlement>, ApiError> {
        self.get("/v1/insurance/entitlements").await
    }

    pub async fn entitlement(&self, id: &str) -> Result<EntitlementDetail, ApiError> {
        let encoded: String = web_sys::js_sys::encode_uri_component(id).into();
        self.get(&format!("/v1/insurance/entitlements/{encoded}"))
            .await
    }
}
