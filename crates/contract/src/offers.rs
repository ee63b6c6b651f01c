//! Member offers (普惠优惠) at partner merchants (特约商户), and the coupons members claim for
//! limited offers.
use serde::{Deserialize, Serialize};

/// The most offers one page may hold.
pub const MAX_PAGE_SIZE: u32 = 50;
/// The page size when none is asked for.
pub const DEFAULT_PAGE_SIZE: u32 = 20;

/// What kind of service an offer is for. The codes are stable; the portal words them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OfferCategory {
    Dining,
    Transport,
    Medical,
    CultureSports,
    Education,
    Shopping,
    DailyLife,
    Finance,
}

impl OfferCategory {
    pub const ALL: [OfferCategory; 8] = [
        OfferCategory::Dining,
        OfferCategory::Transport,
        OfferCategory::Medical,
        OfferCategory::CultureSports,
        OfferCategory::Education,
        OfferCategory::Shopping,
        OfferCategory::DailyLife,
        OfferCategory::Finance,
    ];

    /// The stable snake_case code used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            OfferCategory::Dining => "dining",
            OfferCategory::Transport => "transport",
            OfferCategory::Medical => "medical",
            OfferCategory::CultureSports => "culture_sports",
            OfferCategory::Education => "education",
            OfferCategory::Shopping => "shopping",
            OfferCategory::DailyLife => "daily_life",
            OfferCategory::Finance => "finance",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == value)
    }

    /// Chinese and English labels, for screens that have no wording of their own.
    pub fn labels(self) -> (&'static str, &'static str) {
        match self {
            OfferCategory::Dining => ("餐饮美食", "Dining"),
            OfferCategory::Transport => ("交通出行", "Transport"),
            OfferCategory::Medical => ("医疗健康", "Medical"),
            OfferCategory::CultureSports => ("文体休闲", "Culture & sports"),
            OfferCategory::Education => ("教育培训", "Education & training"),
            OfferCategory::Shopping => ("购物消费", "Shopping"),
            OfferCategory::DailyLife => ("生活服务", "Daily life"),
            OfferCategory::Finance => ("金融服务", "Finance"),
        }
    }
}

/// How the member gets the discount at the merchant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Redemption {
    /// Show the e-card QR code (or the physical card) at the counter.
    ShowCard,
    /// Pay with the member service card (a UnionPay debit card).
    PayWithCard,
    /// Claim a coupon in the portal first, then show its code.
    Coupon,
}

impl Redemption {
    pub fn as_str(self) -> &'static str {
        match self {
            Redemption::ShowCard => "show_card",
            Redemption::PayWithCard => "pay_with_card",
            Redemption::Coupon => "coupon",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [
            Redemption::ShowCard,
            Redemption::PayWithCard,
            Redemption::Coupon,
        ]
        .into_iter()
        .find(|r| r.as_str() == value)
    }
}

/// `GET /api/v1/offers` query. Every field is optional.
///
/// Without `lat`/`lng` the order is stable but unspecified; with both, nearest first and each
/// item carries `distance_m`. `cursor` is the previous page's `next_cursor`, passed back
/// unchanged together with the same filters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct OfferQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<OfferCategory>,
    /// A district code from `GET /api/v1/offers/districts`, e.g. `nanshan`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    /// Keyword matched against the merchant's name and the discount text (Chinese or English).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Latitude of the point to sort by distance from (WGS 84 degrees).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lng: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// 1 to 50; 20 when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// One offer in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferSummary {
    pub id: String,
    pub merchant_id: String,
    pub merchant_name: String,
    pub category: OfferCategory,
    /// District code, e.g. `futian`.
    pub district: String,
    /// District name in the requested language.
    pub district_name: String,
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    /// The headline discount in the requested language, e.g. `会员1元洗车`.
    pub discount: String,
    pub redemption: Redemption,
    /// Present for limited offers: coupons still to be claimed.
    pub stock_left: Option<u32>,
    /// `YYYY-MM-DD`, the last day the offer can be used.
    pub valid_until: String,
    /// Metres from the point given in the query, when one was given.
    pub distance_m: Option<u32>,
}

/// `GET /api/v1/offers`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferPage {
    pub items: Vec<OfferSummary>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// `GET /api/v1/offers/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferDetail {
    pub id: String,
    pub merchant_id: String,
    pub merchant_name: String,
    pub category: OfferCategory,
    pub district: String,
    pub district_name: String,
    pub address: String,
    pub lat: f64,
    pub lng: f64,
    /// The merchant's phone number (shown in full: it is a business line).
    pub phone: String,
    pub discount: String,
    /// Conditions of use, in the requested language.
    pub terms: String,
    pub redemption: Redemption,
    /// `YYYY-MM-DD`.
    pub valid_from: String,
    /// `YYYY-MM-DD`.
    pub valid_until: String,
    /// Whether the validity period is over.
    pub expired: bool,
    /// Limited offers only: how many coupons there were and are left.
    pub stock_total: Option<u32>,
    pub stock_left: Option<u32>,
    /// Whether the member must claim a coupon (`POST /api/v1/offers/{id}/claim`) first.
    pub claimable: bool,
    /// The signed-in member's coupon for this offer, if they claimed one.
    pub my_coupon: Option<Coupon>,
}

/// One category with the number of current offers in it (`GET /api/v1/offers/categories`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryCount {
    pub category: OfferCategory,
    /// The category's label in the requested language.
    pub name: String,
    pub offer_count: u32,
}

/// One district of the city with the number of current offers in it
/// (`GET /api/v1/offers/districts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DistrictCount {
    /// Stable code, e.g. `nanshan`.
    pub code: String,
    /// In the requested language, e.g. `南山区`.
    pub name: String,
    pub offer_count: u32,
}

/// Where a claimed coupon stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CouponStatus {
    Unused,
    Used,
    Expired,
}

/// A coupon of a limited offer, claimed by the member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coupon {
    pub id: String,
    /// The code the merchant checks, e.g. `8204 1937 5520`.
    pub code: String,
    pub offer_id: String,
    pub merchant_name: String,
    pub discount: String,
    pub status: CouponStatus,
    /// RFC 3339.
    pub claimed_at: String,
    /// RFC 3339, when it was used.
    pub used_at: Option<String>,
    /// `YYYY-MM-DD`, the last day it can be used.
    pub valid_until: String,
}

/// `POST /api/v1/offers/{id}/claim`: `201 Created` with a new coupon, or `200 OK` with the
/// coupon the member already holds (one per member and offer; repeating is harmless).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimOutcome {
    pub coupon: Coupon,
    /// True when this member had claimed the offer before this request.
    pub already_claimed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_codes_round_trip() {
        for category in OfferCategory::ALL {
            assert_eq!(OfferCategory::parse(category.as_str()), Some(category));
        }
        assert_eq!(OfferCategory::parse("Dining"), None);
    }

    #[test]
    fn redemption_codes_round_trip() {
        for method in [
            Redemption::ShowCard,
            Redemption::PayWithCard,
            Redemption::Coupon,
        ] {
            assert_eq!(Redemption::parse(method.as_str()), Some(method));
        }
    }
}
