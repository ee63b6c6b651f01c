//! The one error type of the API, rendered as the contract's error envelope in the language
//! the client asked for. Internal failures are logged with the request's id and never leaked.
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use contract::error::{ErrorEnvelope, FieldError};
use contract::validate::Invalid;

use crate::extract::Lang;

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
    #[error("validation failed")]
    Validation(Vec<(&'static str, Invalid)>),
    #[error("wrong or expired code")]
    CodeIncorrect,
    #[error("code expired")]
    CodeExpired,
    #[error("too many wrong codes")]
    CodeLocked,
    #[error("wrong credentials")]
    CredentialsIncorrect,
    #[error("throttled for {0} s")]
    Throttled(u32),
    #[error("locked for {0} s")]
    Locked(u32),
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        ApiError::Internal(error.to_string())
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        use ApiError::*;
        match self {
            NotFound => StatusCode::NOT_FOUND,
            Unauthenticated | CodeIncorrect | CodeExpired | CodeLocked | CredentialsIncorrect => {
                StatusCode::UNAUTHORIZED
            }
            CsrfRejected => StatusCode::FORBIDDEN,
            BadRequest(_) => StatusCode::BAD_REQUEST,
            InvalidBody(_) => StatusCode::UNPROCESSABLE_ENTITY,
            PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
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
            Validation(_) => "validation_failed",
            CodeIncorrect => "code_incorrect",
            CodeExpired => "code_expired",
            CodeLocked => "code_locked",
            CredentialsIncorrect => "credentials_incorrect",
            Throttled(_) => "throttled",
            Locked(_) => "locked",
            Conflict(code) => code,
            Internal(_) => "internal",
        }
    }

    /// The human message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        use ApiError::*;
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
            Validation(_) => (
                "填写的内容有误，请按提示修改。",
                "Some fields need correcting.",
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
            CredentialsIncorrect => (
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
            Conflict(_) => (
                "当前状态下无法进行此操作。",
                "This cannot be done in the current state.",
            ),
            Internal(_) => (
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
            ApiError::Validation(fields) => {
                envelope.fields = fields
                    .iter()
                    .map(|(field, invalid)| FieldError {
                        field: (*field).to_owned(),
                        code: invalid.code().to_owned(),
                        message: invalid.to_string(),
                    })
                    .collect();
            }
            ApiError::Throttled(seconds) | ApiError::Locked(seconds) => {
                envelope.retry_after_seconds = Some(*seconds);
            }
            _ => {}
        }
        envelope
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
        response
            .extensions_mut()
            .insert(EnglishEnvelope(self.envelope(Lang::En)));
        response
    }
}

/// Middleware: error envelopes in the language of the request's `Accept-Language`.
pub async fn localise(
    lang: Lang,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    if lang == Lang::Zh {
        return response;
    }
    match response.extensions().get::<EnglishEnvelope>().cloned() {
        Some(EnglishEnvelope(envelope)) => {
            let (mut parts, _) = response.into_parts();
            parts.headers.remove(header::CONTENT_LENGTH);
            let body = serde_json::to_vec(&envelope).unwrap_or_default();
            Response::from_parts(parts, axum::body::Body::from(body))
        }
        None => response,
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
