//! The one error type of the API, which every handler returns, rendered as the contract's
//! error envelope in the language the client asked for. Internal failures are logged with the
//! request's id and never leaked.
mod fields;
mod refusal;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use contract::aid::FieldProblem;
use contract::error::{ErrorEnvelope, FieldError};

use crate::lang::Lang;

pub use fields::field_message;
pub use refusal::Refusal;

/// What a `server_busy` answer asks the client to wait.
const BUSY_RETRY_SECONDS: u32 = 2;

/// Every way an API request can fail.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    Unauthenticated,
    #[error("CSRF token missing or wrong")]
    CsrfRejected,
    #[error("invalid request body: {0}")]
    BadRequest(String),
    #[error("request body does not fit the schema: {0}")]
    InvalidBody(String),
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("unsupported content type")]
    UnsupportedMediaType,
    /// 422 `validation_failed`: what is wrong, field by field (worded by `field_message`).
    #[error("validation failed")]
    Invalid(Vec<FieldProblem>),
    #[error("wrong or expired code")]
    CodeIncorrect,
    #[error("code expired")]
    CodeExpired,
    #[error("too many wrong codes")]
    CodeLocked,
    #[error("wrong credentials")]
    CredentialsIncorrect,
    /// A wrong password or PIN that counted towards a limit: `credentials_incorrect` with the
    /// tries left, and when this try started a block, how long it lasts.
    #[error("wrong credentials, {attempts_remaining} tries left")]
    WrongSecret {
        attempts_remaining: u32,
        retry_after: Option<u32>,
    },
    /// Too many sign-ins are waiting for password hashing: retry shortly.
    #[error("hashing queue full")]
    Busy,
    #[error("throttled for {0} s")]
    Throttled(u32),
    #[error("locked for {0} s")]
    Locked(u32),
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("WeChat sign-in is not configured")]
    WeChatDisabled,
    #[error("WeChat OAuth state does not match this browser")]
    WeChatStateMismatch,
    #[error("WeChat refused the code")]
    WeChatCodeRejected,
    #[error("WeChat API unavailable")]
    WeChatUnavailable,
    #[error("this WeChat account is bound to another member")]
    WeChatAlreadyBound,
    /// A kiosk session asked for something only the member's own sessions may do.
    #[error("not allowed in a kiosk session")]
    KioskForbidden,
    /// Kiosk sign-in with a card that is not active; carries the card's next step.
    #[error("card not active for kiosk sign-in")]
    KioskCardNotActive(Option<contract::card::NextStep>),
    /// A kiosk-device action from a browser that is not an enrolled kiosk.
    #[error("kiosk device not enrolled")]
    KioskNotEnrolled,
    /// The global concurrency cap is reached.
    #[error("too many requests in flight")]
    Overloaded,
    /// The request (including its body) took longer than the configured limit.
    #[error("request timed out")]
    RequestTimeout,
    /// A domain rule said no, with its own code and wording.
    #[error("refused: {}", .0.code)]
    Refused(Refusal),
    /// The SMS provider failed or refused; nothing was sent and nothing counted.
    #[error("SMS provider unavailable")]
    SmsUnavailable,
    /// The database does not answer (readiness probe).
    #[error("not ready")]
    NotReady,
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        ApiError::Refused(refusal)
    }
}

impl From<crate::crypto::HashingBusy> for ApiError {
    fn from(_: crate::crypto::HashingBusy) -> Self {
        ApiError::Busy
    }
}

/// How long a client should wait after `overloaded`.
pub const OVERLOADED_RETRY_SECONDS: u32 = 5;

/// Why the card cannot sign in at a kiosk, and the card page's next step for it.
fn kiosk_card_message(step: Option<contract::card::NextStep>, lang: Lang) -> String {
    let lead = lang.pick(
        "这张会员卡当前不可用（未激活、已挂失、已冻结或已注销），不能在自助终端登录。",
        "This member card is not active (not yet activated, reported lost, frozen or cancelled), so it cannot sign in at a kiosk.",
    );
    match step {
        Some(step) => format!(
            "{lead}{}{}",
            lang.pick("", " "),
            lang.pick(step.text_zh(), step.text_en())
        ),
        None => lead.to_owned(),
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        ApiError::Internal(error.to_string())
    }
}

impl ApiError {
    /// 422 `validation_failed` with these field problems.
    pub fn invalid(fields: Vec<FieldProblem>) -> Self {
        ApiError::Invalid(fields)
    }

    /// 422 `validation_failed` for one field.
    pub fn invalid_field(field: impl Into<String>, code: &'static str) -> Self {
        ApiError::Invalid(vec![FieldProblem {
            field: field.into(),
            code,
        }])
    }

    pub fn status(&self) -> StatusCode {
        use ApiError::*;
        match self {
            NotFound | WeChatDisabled => StatusCode::NOT_FOUND,
            Unauthenticated
            | CodeIncorrect
            | CodeExpired
            | CodeLocked
            | CredentialsIncorrect
            | WrongSecret { .. }
            | WeChatCodeRejected => StatusCode::UNAUTHORIZED,
            Busy => StatusCode::SERVICE_UNAVAILABLE,
            CsrfRejected | WeChatStateMismatch => StatusCode::FORBIDDEN,
            KioskForbidden | KioskCardNotActive(_) | KioskNotEnrolled => StatusCode::FORBIDDEN,
            Overloaded => StatusCode::SERVICE_UNAVAILABLE,
            RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            WeChatAlreadyBound => StatusCode::CONFLICT,
            WeChatUnavailable | SmsUnavailable => StatusCode::BAD_GATEWAY,
            NotReady => StatusCode::SERVICE_UNAVAILABLE,
            BadRequest(_) => StatusCode::BAD_REQUEST,
            InvalidBody(_) => StatusCode::UNPROCESSABLE_ENTITY,
            PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Refused(refusal) => refusal.status,
            Throttled(_) | Locked(_) => StatusCode::TOO_MANY_REQUESTS,
            Conflict(_) => StatusCode::CONFLICT,
            Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        use ApiError::*;
        match self {
            NotFound => "not_found",
            Unauthenticated => "unauthenticated",
            CsrfRejected => "csrf_rejected",
            BadRequest(_) => "bad_request",
            InvalidBody(_) => "invalid_body",
            PayloadTooLarge => "payload_too_large",
            UnsupportedMediaType => "unsupported_media_type",
            Invalid(_) => "validation_failed",
            Refused(refusal) => refusal.code,
            CodeIncorrect => "code_incorrect",
            CodeExpired => "code_expired",
            CodeLocked => "code_locked",
            CredentialsIncorrect | WrongSecret { .. } => "credentials_incorrect",
            Busy => "server_busy",
            Throttled(_) => "throttled",
            Locked(_) => "locked",
            Conflict(code) => code,
            MethodNotAllowed => "method_not_allowed",
            WeChatDisabled => "wechat_disabled",
            WeChatStateMismatch => "wechat_state_mismatch",
            WeChatCodeRejected => "wechat_code_rejected",
            WeChatUnavailable => "wechat_unavailable",
            WeChatAlreadyBound => "wechat_already_bound",
            KioskForbidden => "kiosk_forbidden",
            KioskCardNotActive(_) => "kiosk_card_not_active",
            KioskNotEnrolled => "kiosk_not_enrolled",
            Overloaded => "overloaded",
            RequestTimeout => "request_timeout",
            SmsUnavailable => "sms_unavailable",
            NotReady => "not_ready",
            Internal(_) => "internal",
        }
    }

    /// The human message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        use ApiError::*;
        match self {
            KioskCardNotActive(step) => return kiosk_card_message(*step, lang),
            Refused(refusal) => return lang.pick(&refusal.zh, &refusal.en).to_owned(),
            _ => {}
        }
        let (zh, en): (&str, &str) = match self {
            NotFound => ("请求的内容不存在。", "Not found."),
            Unauthenticated => ("请先登录。", "Please sign in."),
            CsrfRejected => (
                "请求校验失败，请刷新页面后重试。",
                "Request check failed. Reload the page and try again.",
            ),
            BadRequest(_) => ("请求格式不正确。", "The request is malformed."),
            InvalidBody(_) => (
                "请求内容包含未知或类型错误的字段。",
                "The request has unknown or mistyped fields.",
            ),
            PayloadTooLarge => ("提交的内容过大。", "The request is too large."),
            UnsupportedMediaType => ("不支持的内容类型。", "Unsupported content type."),
            Invalid(_) => (
                "填写的内容有误，请按提示修改。",
                "Some fields need correcting.",
            ),
            MethodNotAllowed => ("不支持此请求方式。", "This method is not allowed here."),
            WeChatDisabled => (
                "本服务暂未开通微信登录，请使用手机号登录。",
                "WeChat sign-in is not available here; sign in with your phone number.",
            ),
            WeChatStateMismatch => (
                "微信登录已失效，请重新进入。",
                "The WeChat sign-in expired. Please start again.",
            ),
            WeChatCodeRejected => (
                "微信授权已失效，请重新进入。",
                "The WeChat authorisation has expired. Please start again.",
            ),
            WeChatUnavailable => (
                "微信服务暂时无法连接，请稍后重试或使用手机号登录。",
                "WeChat cannot be reached right now. Try again later or sign in with your phone number.",
            ),
            WeChatAlreadyBound => (
                "该微信已绑定其他会员，请先在原账号解除绑定。",
                "This WeChat account is bound to another member; unbind it there first.",
            ),
            CodeIncorrect => (
                "验证码不正确，请检查后重新输入。",
                "The code is not correct. Check it and try again.",
            ),
            CodeExpired => (
                "验证码已过期，请重新获取。",
                "The code has expired. Request a new one.",
            ),
            CodeLocked => (
                "错误次数过多，请重新获取验证码。",
                "Too many wrong tries. Request a new code.",
            ),
            CredentialsIncorrect | WrongSecret { .. } => (
                "手机号或密码不正确。",
                "The phone number or password is not correct.",
            ),
            Throttled(_) => (
                "操作过于频繁，请稍后再试。",
                "Too many requests. Please wait and try again.",
            ),
            Locked(_) => (
                "尝试次数过多，已暂时锁定，请稍后再试。",
                "Too many failed attempts; temporarily locked.",
            ),
            Busy => (
                "登录人数较多，请稍后几秒再试。",
                "Many people are signing in right now. Please try again in a few seconds.",
            ),
            Conflict(_) => (
                "当前状态下无法进行此操作。",
                "This cannot be done in the current state.",
            ),
            KioskForbidden => (
                "自助终端上不能办理此项业务，请在您自己的手机上登录后办理。",
                "This cannot be done at a kiosk. Sign in on your own phone to do it.",
            ),
            KioskNotEnrolled => (
                "这台设备不是已登记的自助终端，请联系服务中心工作人员。",
                "This device is not an enrolled kiosk. Ask the service-centre staff.",
            ),
            Overloaded => (
                "当前访问人数较多，请稍后重试。",
                "The service is busy. Please try again in a moment.",
            ),
            RequestTimeout => (
                "请求超时，请检查网络后重试。",
                "The request took too long. Check your connection and try again.",
            ),
            SmsUnavailable => (
                "短信暂时发送不出去，验证码未发出。请稍后重新获取，或改用密码登录。",
                "Text messages cannot be sent right now, so no code was sent. Ask again shortly, or sign in with your password.",
            ),
            KioskCardNotActive(_) | Refused(_) | NotReady | Internal(_) => (
                "服务暂时不可用，请稍后重试。",
                "The service is unavailable. Please try again later.",
            ),
        };
        match lang {
            Lang::Zh => zh.to_owned(),
            Lang::En => en.to_owned(),
        }
    }

    /// The envelope for `lang`.
    pub fn envelope(&self, lang: Lang) -> ErrorEnvelope {
        let mut envelope = ErrorEnvelope::new(self.code(), self.message(lang));
        match self {
            ApiError::Invalid(fields) => {
                envelope.fields = fields
                    .iter()
                    .map(|problem| FieldError {
                        field: problem.field.clone(),
                        code: problem.code.to_owned(),
                        message: field_message(problem.code, lang).to_owned(),
                    })
                    .collect();
            }
            ApiError::Throttled(seconds) | ApiError::Locked(seconds) => {
                envelope.retry_after_seconds = Some(*seconds);
            }
            ApiError::WrongSecret {
                attempts_remaining,
                retry_after,
            } => {
                envelope.attempts_remaining = Some(*attempts_remaining);
                envelope.retry_after_seconds = *retry_after;
            }
            ApiError::Busy => envelope.retry_after_seconds = Some(BUSY_RETRY_SECONDS),
            ApiError::Overloaded => envelope.retry_after_seconds = Some(OVERLOADED_RETRY_SECONDS),
            _ => {}
        }
        envelope
    }

    /// Our error for a bare status that some layer produced without an envelope.
    pub fn from_status(status: StatusCode) -> ApiError {
        match status.as_u16() {
            400 => ApiError::BadRequest(String::new()),
            401 => ApiError::Unauthenticated,
            404 => ApiError::NotFound,
            405 => ApiError::MethodNotAllowed,
            413 => ApiError::PayloadTooLarge,
            415 => ApiError::UnsupportedMediaType,
            422 => ApiError::InvalidBody(String::new()),
            _ => ApiError::Internal(format!("bare {status} response")),
        }
    }
}

/// The English wording of an error response, swapped in by `localise` when the request
/// prefers English.
#[derive(Clone)]
pub struct EnglishEnvelope(pub ErrorEnvelope);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let mut response = (self.status(), axum::Json(self.envelope(Lang::Zh))).into_response();
        if let ApiError::Throttled(seconds) | ApiError::Locked(seconds) = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, seconds.into());
        }
        if let ApiError::Busy = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, BUSY_RETRY_SECONDS.into());
        }
        response
            .extensions_mut()
            .insert(EnglishEnvelope(self.envelope(Lang::En)));
        response
    }
}

/// The id of this request, echoed in `x-request-id` and in error envelopes.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Middleware for the API: every failure leaves as our envelope, in the language of the
/// request's `Accept-Language`, carrying the request id. Bare failures of other layers (a path
/// parameter rejection, 405) are turned into envelopes too.
pub async fn localise(
    lang: Lang,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let request_id = request.extensions().get::<RequestId>().cloned();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let english = response.extensions().get::<EnglishEnvelope>().cloned();
    let (mut parts, body) = response.into_parts();
    let mut envelope = match (english, lang) {
        (Some(EnglishEnvelope(english)), Lang::En) => english,
        (Some(_), Lang::Zh) => match axum::body::to_bytes(body, 64 * 1024).await {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| ApiError::from_status(status).envelope(lang)),
            Err(_) => ApiError::from_status(status).envelope(lang),
        },
        (None, _) => {
            let error = ApiError::from_status(status);
            if let ApiError::Internal(detail) = &error {
                tracing::error!(%detail, "internal error");
            }
            parts.headers.insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static("application/json"),
            );
            error.envelope(lang)
        }
    };
    envelope.request_id = request_id.map(|RequestId(id)| id);
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = serde_json::to_vec(&envelope).unwrap_or_default();
    Response::from_parts(parts, axum::body::Body::from(body))
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_problems_are_worded_in_both_languages() {
        let error = ApiError::invalid_field("hardship", "too_short");
        let zh = error.envelope(Lang::Zh);
        let en = error.envelope(Lang::En);
        assert_eq!(zh.fields[0].field, "hardship");
        assert_eq!(zh.fields[0].code, "too_short");
        assert_ne!(zh.fields[0].message, en.fields[0].message);
        assert_eq!(en.code, "validation_failed");
    }

    #[test]
    fn refusals_keep_their_status_code_and_wording() {
        let error = ApiError::from(Refusal::conflict("sold_out", "已领完。", "Sold out."));
        assert_eq!(error.status(), StatusCode::CONFLICT);
        assert_eq!(error.envelope(Lang::En).code, "sold_out");
        assert_eq!(error.envelope(Lang::En).message, "Sold out.");
        assert_eq!(error.envelope(Lang::Zh).message, "已领完。");
    }
}
