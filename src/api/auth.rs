//! Sign-in, session and sign-out calls.
use contract::auth::{PasswordSignIn, Session, SmsCodeRequest, SmsCodeSent, SmsSignIn};

use super::{ApiClient, ApiError};

impl ApiClient {
    pub async fn request_code(&self, phone: String) -> Result<SmsCodeSent, ApiError> {
        self.post("/v1/auth/sms-code", &SmsCodeRequest { phone })
            .await
    }

    pub async fn sign_in_with_code(
        &self,
        phone: String,
        code: String,
    ) -> Result<Session, ApiError> {
        self.post("/v1/auth/sms-sign-in", &SmsSignIn { phone, code })
            .await
    }

    pub async fn sign_in_with_password(
        &self,
        phone: String,
        password: String,
    ) -> Result<Session, ApiError> {
        self.post(
            "/v1/auth/password-sign-in",
            &PasswordSignIn { phone, password },
        )
        .await
    }

    /// The current session, or `None` when signed out.
    pub async fn current_session(&self) -> Result<Option<Session>, ApiError> {
        match self.get("/v1/auth/session").await {
            Ok(session) => Ok(Some(session)),
            Err(error) if error.code() == Some("unauthenticated") => Ok(None),
            Err(error) => Err(error),
        }
    }

    pub async fn sign_out(&self) -> Result<(), ApiError> {
        self.post_empty("/v1/auth/sign-out", &serde_json::json!({}))
            .await
    }
}
