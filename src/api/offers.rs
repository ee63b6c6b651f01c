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
    /// Sort nearest first from this point (latitude, longitude).
    pub near: Option<(f64, f64)>,
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
        push_pairs(&mut query, &pairs);
        if let Some((lat, lng)) = self.near {
            query.push_str(&format!("&lat={}&lng={}", coordinate(lat), coordinate(lng)));
        }
        query
    }
}

/// A coordinate as `22.543100`, without float formatting (which would cost the chunk kilobytes).
fn coordinate(degrees: f64) -> String {
    let micro = (degrees * 1e6).round() as i64;
    let sign = if micro < 0 { "-" } else { "" };
    let micro = micro.unsigned_abs();
    format!("{sign}{}.{:06}", micro / 1_000_000, micro % 1_000_000)
}

/// Appends `&name=value` for each present, non-empty value, URI-encoded.
fn push_pairs(query: &mut String, pairs: &[(&str, &Option<String>)]) {
    for (name, value) in pairs {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            let encoded: String = web_sys::js_sys::encode_uri_component(value).into();
            query.push_str(&format!("&{name}={encoded}"));
        }
    }
}

/// Amap's marker page for an offer's merchant: opens the map app where installed, the web map
/// elsewhere (Amap takes longitude first).
pub fn map_link(offer: &OfferDetail) -> String {
    format!(
        "https://uri.amap.com/marker?position={},{}&name={}",
        offer.lng,
        offer.lat,
        segment(&offer.merchant_name)
    )
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

#[cfg(test)]
mod tests {
    use super::coordinate;

    #[test]
    fn coordinates_are_written_without_float_formatting() {
        assert_eq!(coordinate(22.5431), "22.543100");
        assert_eq!(coordinate(-0.5), "-0.500000");
    }
}
