//! The member's messages.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: String,
    /// `card`, `aid`, `offer`, `insurance`, `announcement`.
    pub kind: String,
    pub title: String,
    pub body: String,
    /// RFC 3339.
    pub created_at: String,
    pub read: bool,
}

/// `GET /api/v1/notifications`: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notifications {
    pub items: Vec<Notification>,
    pub unread: u32,
}

/// `GET /api/v1/notifications/unread-count`: for the badge, cheap to poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnreadCount {
    pub unread: u32,
}
