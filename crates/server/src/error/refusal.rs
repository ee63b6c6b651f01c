//! A domain rule's "no" with its own code and wording (`sold_out`, `window_closed`,
//! `unsupported_file_type` …), carried by `ApiError::Refused`.
use axum::http::StatusCode;

/// Why a domain rule refused, in both languages.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub status: StatusCode,
    pub code: &'static str,
    pub zh: String,
    pub en: String,
}

impl Refusal {
    pub fn new(status: StatusCode, code: &'static str, zh: &str, en: &str) -> Self {
        Self {
            status,
            code,
            zh: zh.to_owned(),
            en: en.to_owned(),
        }
    }

    /// 409: the resource's state does not allow it.
    pub fn conflict(code: &'static str, zh: &str, en: &str) -> Self {
        Self::new(StatusCode::CONFLICT, code, zh, en)
    }

    /// 409 `card_not_active`: the service needs an active member card.
    pub fn card_not_active() -> Self {
        Self::conflict(
            "card_not_active",
            "您的会员服务卡当前不可用（未激活、已挂失、已冻结或已注销），暂时无法办理此项服务。",
            "Your member card is not active (not yet activated, reported lost, frozen or cancelled), so this service is not available.",
        )
    }
}
