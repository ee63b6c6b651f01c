//! The member's card and e-card.
use contract::card::{Card, EcardToken, LossReason, OfflineDevice, ReportLoss};

use super::{ApiClient, ApiError};

impl ApiClient {
    pub async fn card(&self) -> Result<Card, ApiError> {
        self.get("/v1/card").await
    }

    pub async fn report_loss(&self, reason: LossReason) -> Result<Card, ApiError> {
        self.post("/v1/card/report-loss", &ReportLoss { reason })
            .await
    }

    pub async fn ecard_token(&self) -> Result<EcardToken, ApiError> {
        self.post("/v1/card/ecard-token", &serde_json::json!({}))
            .await
    }

    /// This session's device key for offline e-card codes (replaces the session's previous one).
    pub async fn offline_device(&self) -> Result<OfflineDevice, ApiError> {
        self.post("/v1/card/offline-device", &serde_json::json!({}))
            .await
    }
}
