//! Profile and notifications.
use contract::member::Profile;
use contract::notifications::Notifications;

use super::{ApiClient, ApiError};

impl ApiClient {
    pub async fn profile(&self) -> Result<Profile, ApiError> {
        self.get("/v1/me").await
    }

    pub async fn notifications(&self) -> Result<Notifications, ApiError> {
        self.get("/v1/notifications").await
    }
}

impl ApiClient {
    pub async fn service_centres(&self) -> Result<Vec<contract::service::ServiceCentre>, ApiError> {
        self.get("/v1/service-centres").await
    }
}
