//! Text shared by every feature: loading, failures and retry.

/// Shared text in one language.
pub struct Common {
    pub retry: &'static str,
    pub loading: &'static str,
    pub error_network: &'static str,
    pub error_unexpected: &'static str,
    pub error_session_expired: &'static str,
    pub offline_badge: &'static str,
    pub close: &'static str,
    pub cancel: &'static str,
    pub confirm: &'static str,
    pub back: &'static str,
    pub call_hotline: &'static str,
}

pub static ZH_CN: Common = Common {
    retry: "重试",
    loading: "正在加载…",
    // Fits any page; forms say themselves that what was typed is kept.
    error_network: "网络连接失败，请检查网络后重试。",
    error_unexpected: "服务暂时不可用，请稍后重试。",
    error_session_expired: "登录已过期，请重新登录。",
    offline_badge: "离线",
    close: "关闭",
    cancel: "取消",
    confirm: "确认",
    back: "返回",
    call_hotline: "拨打 12351",
};

pub static EN: Common = Common {
    retry: "Try again",
    loading: "Loading…",
    error_network: "No connection. Check your network and try again.",
    error_unexpected: "The service is unavailable right now. Please try again later.",
    error_session_expired: "Your session has ended. Please sign in again.",
    offline_badge: "Offline",
    close: "Close",
    cancel: "Cancel",
    confirm: "Confirm",
    back: "Back",
    call_hotline: "Call 12351",
};
