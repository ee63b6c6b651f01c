//! The member's own profile. Personal numbers arrive masked; full ones never leave the server.
use serde::{Deserialize, Serialize};

/// Membership standing in the union.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MembershipStatus {
    Active,
    /// Lapsed (not re-registered, left the city): member services are restricted.
    Lapsed,
    /// Moving to another union after changing employer.
    Transferring,
}

/// `GET /api/v1/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    pub name: String,
    /// `4403**********1234`.
    pub id_number_masked: String,
    /// `138****5678`.
    pub phone_masked: String,
    /// From the city federation down to the grassroots union, in the requested language.
    pub union_path: Vec<String>,
    /// `YYYY-MM-DD`.
    pub joined_on: String,
    pub membership_status: MembershipStatus,
    pub real_name_verified: bool,
    /// Whether a WeChat account is bound for WeChat sign-in.
    #[serde(default)]
    pub wechat_bound: bool,
}
