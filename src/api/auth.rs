//! Sign-in, session and sign-out calls.
use contract::auth::{
    KioskHandoff, KioskHandoffState, Session, SmsCodeSent, WeChatAuthorize, WeChatSignInResult,
};

use super::{ApiClient, ApiError};

impl ApiClient {
    pub async fn request_code(&self, phone: String) -> Result<SmsCodeSent, ApiError> {
        // Bodies as in contract::auth::{SmsCodeRequest, SmsSignIn, PasswordSignIn}; a test
        // below holds them to the same JSON.
        self.post_fields("/v1/auth/sms-code", &[("phone", &phone)])
            .await
    }

    pub async fn sign_in_with_code(
        &self,
        phone: String,
        code: String,
    ) -> Result<Session, ApiError> {
        self.post_fields(
            "/v1/auth/sms-sign-in",
            &[("phone", &phone), ("code", &code)],
        )
        .await
    }

    pub async fn sign_in_with_password(
        &self,
        phone: String,
        password: String,
    ) -> Result<Session, ApiError> {
        self.post_fields(
            "/v1/auth/password-sign-in",
            &[("phone", &phone), ("password", &password)],
        )
        .await
    }

    /// Signs in at a service-centre kiosk with the member card number and PIN.
    pub async fn kiosk_sign_in(&self, card_number: &str, pin: &str) -> Result<Session, ApiError> {
        self.post_fields(
            "/v1/auth/kiosk-sign-in",
            &[("card_number", card_number), ("pin", pin)],
        )
        .await
    }

    /// A kiosk asks for a code to show as a QR code (kiosk deployments only).
    pub async fn kiosk_handoff(&self) -> Result<KioskHandoff, ApiError> {
        self.post_fields("/v1/auth/kiosk-handoff", &[]).await
    }

    /// A kiosk polls: waiting, or signed in once the member's phone approved.
    pub async fn claim_kiosk_handoff(
        &self,
        handoff: &KioskHandoff,
    ) -> Result<KioskHandoffState, ApiError> {
        self.post_fields(
            "/v1/auth/kiosk-handoff/claim",
            &[("code", &handoff.code), ("poll_token", &handoff.poll_token)],
        )
        .await
    }

    /// The member's phone approves the kiosk code it scanned.
    pub async fn approve_kiosk_handoff(&self, code: &str) -> Result<(), ApiError> {
        self.post_empty("/v1/auth/kiosk-handoff/approve", &[("code", code)])
            .await
    }

    /// The current session, or `None` when signed out.
    ///
    /// A signed-in browser always holds the readable CSRF cookie (set and cleared together
    /// with the session cookie): without it the answer can only be 401, so the request is not
    /// made, and a signed-out visit logs no failed request in the console.
    pub async fn current_session(&self) -> Result<Option<Session>, ApiError> {
        if !crate::state::session::may_be_signed_in(self.cross_origin()) {
            return Ok(None);
        }
        match self.get("/v1/auth/session").await {
            Ok(session) => Ok(Some(session)),
            Err(error) if error.code() == Some("unauthenticated") => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Where to send the member to authorise with WeChat; WeChat returns to `redirect_uri`.
    pub async fn wechat_start(&self, redirect_uri: &str) -> Result<WeChatAuthorize, ApiError> {
        self.post_fields("/v1/auth/wechat/start", &[("redirect_uri", redirect_uri)])
            .await
    }

    /// Exchanges the `code` WeChat returned: a session, or a token to bind this WeChat account.
    pub async fn wechat_sign_in(
        &self,
        code: &str,
        state: &str,
    ) -> Result<WeChatSignInResult, ApiError> {
        self.post_fields(
            "/v1/auth/wechat/sign-in",
            &[("code", code), ("state", state)],
        )
        .await
    }

    /// Binds the WeChat account of an earlier `not_bound` answer to the signed-in member.
    pub async fn wechat_bind(&self, bind_token: &str) -> Result<(), ApiError> {
        self.post_empty("/v1/auth/wechat/bind", &[("bind_token", bind_token)])
            .await
    }

    pub async fn sign_out(&self) -> Result<(), ApiError> {
        self.post_empty("/v1/auth/sign-out", &[]).await
    }

    /// Ends every session of the member, this one included.
    pub async fn sign_out_everywhere(&self) -> Result<(), ApiError> {
        self.post_empty("/v1/auth/sign-out-everywhere", &[]).await
    }
}

#[cfg(test)]
mod tests {
    use contract::auth::{PasswordSignIn, SmsCodeRequest, SmsSignIn};

    use crate::api::client::json_object;

    #[test]
    fn hand_written_bodies_match_the_contract_types() {
        let password = "p\"a\\s\ns 工会\u{1}";
        assert_eq!(
            json_object(&[("phone", "13800000001"), ("password", password)]),
            serde_json::to_string(&PasswordSignIn {
                phone: "13800000001".into(),
                password: password.into(),
            })
            .unwrap()
        );
        assert_eq!(
            json_object(&[("phone", "13800000001"), ("code", "123456")]),
            serde_json::to_string(&SmsSignIn {
                phone: "13800000001".into(),
                code: "123456".into(),
            })
            .unwrap()
        );
        assert_eq!(
            json_object(&[("phone", "1")]),
            serde_json::to_string(&SmsCodeRequest { phone: "1".into() }).unwrap()
        );
        assert_eq!(json_object(&[]), "{}");
    }
}
