//! Sign-in and sessions.
use serde::{Deserialize, Serialize};

/// The HttpOnly session cookie.
pub const SESSION_COOKIE: &str = "portal_session";
/// Unsafe requests of a signed-in member carry the session's CSRF token in this header.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// A readable (not HttpOnly) cookie holding the same CSRF token, so the portal can recover it
/// after a reload; the header must repeat it (double submit) and match the session's token.
pub const CSRF_COOKIE: &str = "portal_csrf";
/// The session cookie's name in production: the `__Host-` prefix makes the browser refuse it
/// unless Secure, host-only and at path `/` (plain names only for http://localhost dev).
pub const SECURE_SESSION_COOKIE: &str = "__Host-portal_session";
/// The CSRF cookie's name in production.
pub const SECURE_CSRF_COOKIE: &str = "__Host-portal_csrf";
/// Short-lived HttpOnly cookie tying a WeChat OAuth round trip to this browser (`state`).
pub const WECHAT_STATE_COOKIE: &str = "portal_wechat_state";

/// `POST /api/v1/auth/sms-code`: send a one-time code to a phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SmsCodeRequest {
    pub phone: String,
}

/// The answer to a code request. It is the same whether or not the phone is registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmsCodeSent {
    /// Seconds before another code may be requested for this phone.
    pub cooldown_seconds: u32,
    /// Seconds the code stays valid.
    pub expires_in_seconds: u32,
}

/// `POST /api/v1/auth/sms-sign-in`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SmsSignIn {
    pub phone: String,
    pub code: String,
}

/// `POST /api/v1/auth/password-sign-in`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordSignIn {
    pub phone: String,
    pub password: String,
}

/// `POST /api/v1/auth/kiosk-sign-in`: member card number and 6-digit PIN at a kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct KioskSignIn {
    pub card_number: String,
    pub pin: String,
}

/// Where a session was opened; kiosk sessions expire much sooner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    Member,
    Kiosk,
}

/// `GET /api/v1/auth/session` and the answer to every sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub member_id: String,
    /// The member's name for greetings (names are not masked to their owner).
    pub display_name: String,
    pub kind: SessionKind,
    /// Absolute expiry, RFC 3339.
    pub expires_at: String,
    /// Idle timeout in seconds: the session ends after this long without a request.
    pub idle_timeout_seconds: u32,
    /// Send back in the `x-csrf-token` header on every unsafe request.
    pub csrf_token: String,
}

/// `POST /api/v1/auth/wechat/start`: where WeChat should send the member back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WeChatStart {
    /// Absolute `http(s)` URL of the portal page that receives `code` and `state`.
    pub redirect_uri: String,
}

/// The WeChat authorisation URL to navigate to (silent `snsapi_base` scope). The server also
/// sets the `portal_wechat_state` cookie that the sign-in must match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeChatAuthorize {
    pub authorize_url: String,
    pub state: String,
}

/// `POST /api/v1/auth/wechat/sign-in`: the `code` and `state` WeChat returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WeChatSignIn {
    pub code: String,
    pub state: String,
}

/// The outcome of a WeChat sign-in: a session when the WeChat account is bound to a member;
/// otherwise a token to bind it after the member signs in another way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum WeChatSignInResult {
    SignedIn {
        session: Session,
    },
    NotBound {
        /// Pass to `POST /api/v1/auth/wechat/bind` once signed in.
        bind_token: String,
        expires_in_seconds: u32,
    },
}

/// `POST /api/v1/auth/wechat/bind`: bind the WeChat account of a `not_bound` sign-in to the
/// signed-in member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WeChatBind {
    pub bind_token: String,
}

/// `POST /api/v1/auth/kiosk-handoff` answer: what a kiosk shows as a QR code, and the secret it
/// polls with. Kiosk deployments only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KioskHandoff {
    /// Put in the QR code (inside the portal's `/me?kiosk=` address).
    pub code: String,
    /// Known only to the kiosk; claims the sign-in once a phone approved it.
    pub poll_token: String,
    pub expires_in_seconds: u32,
}

/// `POST /api/v1/auth/kiosk-handoff/approve`: the member's signed-in phone approves a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApproveKioskHandoff {
    pub code: String,
}

/// `POST /api/v1/auth/kiosk-handoff/claim`: the kiosk polls with its code and token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClaimKioskHandoff {
    pub code: String,
    pub poll_token: String,
}

/// The answer to a kiosk's poll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum KioskHandoffState {
    /// No phone has approved the code yet: poll again.
    Waiting,
    /// Approved: the kiosk is signed in as the member (a kiosk session, cookie set).
    SignedIn { session: Session },
}
