//! Partner discounts: the catalogue, one offer, claiming a limited offer and my coupons.
use contract::offers::{ClaimOutcome, Coupon, DistrictCount, OfferDetail, OfferPage};

use super::{ApiClient, ApiError};

/// What the catalogue is filtered by (all optional), and where the page starts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfferFilter {
    pub category: Option<String>,
    pub district: Option<String>,
    /// Keywords in the merchant's name or the discount.
    pub q: Option<String>,
    pub cursor: Option<String>,
}

impl OfferFilter {
    /// The query string of `GET /api/v1/offers`.
    pub fn query(&self) -> String {
        let pairs = [
            ("category", &self.category),
            ("district", &self.district),
            ("q", &self.q),
            ("cursor", &self.cursor),
        ];
        let mut query = String::from("limit=20");
        for (name, value) in pairs {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                let encoded: String = web_sys::js_sys::encode_uri_component(value).into();
                query.push_str(&format!("&{name}={encoded}"));
            }
        }
        query
    }
}

fn segment(id: &str) -> String {
    web_sys::js_sys::encode_uri_component(id).into()
}

impl ApiClient {
    pub async fn offers(&self, filter: &OfferFilter) -> Result<OfferPage, ApiError> {
        self.get(&format!("/v1/offers?{}", filter.query())).await
    }

    pub async fn districts(&self) -> Result<Vec<DistrictCount>, ApiError> {
        self.get("/v1/offers/districts").await
    }

    pub async fn offer(&self, id: &str) -> Result<OfferDetail, ApiError> {
        self.get(&format!("/v1/offers/{}", segment(id))).await
    }

    /// Claims a limited offer; claiming again returns the same coupon (`already_claimed`).
    pub async fn claim_offer(&self, id: &str) -> Result<ClaimOutcome, ApiError> {
        self.post_fields(&format!("/v1/offers/{}/claim", segment(id)), &[])
            .await
    }

    pub async fn my_coupons(&self) -> Result<Vec<Coupon>, ApiError> {
        self.get("/v1/me/coupons").await
    }
}
