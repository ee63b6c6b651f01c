//! Service information: worker service centres and the hotline.
use serde::{Deserialize, Serialize};

/// The national union service hotline.
pub const HOTLINE: &str = "12351";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceCentre {
    pub id: String,
    pub name: String,
    /// `city`, `district` or `street`.
    pub level: String,
    pub district: String,
    pub address: String,
    pub hours: String,
    pub phone: String,
    pub lat: f64,
    pub lng: f64,
}

/// A notice from the city federation to all members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Announcement {
    pub id: String,
    pub title: String,
    pub body: String,
    /// RFC 3339.
    pub published_at: String,
}

/// `GET /api/v1/service-info`: everything a member needs to get help, no sign-in required.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceInfo {
    /// The national union service hotline, `12351`.
    pub hotline: String,
    /// City, district and street centres, city first.
    pub centres: Vec<ServiceCentre>,
    /// Newest first.
    pub announcements: Vec<Announcement>,
}
