//! Service information: worker service centres and the hotline.
use serde::{Deserialize, Serialize};

/// The national union service hotline.
pub const HOTLINE: &str = "12351";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
