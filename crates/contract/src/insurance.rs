//! Mutual-aid insurance (互助保障): the plans the union pays for, the member's entitlements and
//! their claims. Free to card holders; cover depends on the card's state.
use serde::{Deserialize, Serialize};

/// `GET /api/v1/insurance/plans`: one plan, in the requested language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InsurancePlan {
    pub id: String,
    pub name: String,
    /// The most the plan pays for one event, in fen.
    pub sum_insured_fen: i64,
    /// What is covered, in plain words.
    pub covers: String,
    /// When it does not pay.
    pub exclusions: String,
    /// How to claim: the documents to bring, one per entry.
    pub claim_documents: Vec<String>,
    /// Where to claim: the steps in plain words.
    pub how_to_claim: String,
    /// The number to call about claims.
    pub hotline: String,
    /// True for plans given with card activation (激活大礼包).
    pub activation_gift: bool,
}

/// Whether an entitlement covers the member today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EntitlementStatus {
    /// Covered now.
    Active,
    /// Cover starts once the member's card is activated at the bank.
    PendingCardActivation,
    /// Cover paused: membership has lapsed.
    Suspended,
    /// The coverage period is over or the card was cancelled.
    Expired,
}

/// Why an entitlement is not active: a code the portal words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EntitlementReason {
    CardNotApplied,
    CardInProduction,
    CardAwaitingActivation,
    MembershipLapsed,
    CardCancelled,
    PeriodEnded,
}

/// `GET /api/v1/insurance/entitlements`: one of the member's entitlements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entitlement {
    pub id: String,
    pub plan_id: String,
    pub plan_name: String,
    pub sum_insured_fen: i64,
    /// `YYYY-MM-DD`; absent until cover starts (card activation).
    pub covered_from: Option<String>,
    /// `YYYY-MM-DD`, the last day covered; absent until cover starts.
    pub covered_until: Option<String>,
    pub status: EntitlementStatus,
    /// Why it is not active; absent when active.
    pub reason: Option<EntitlementReason>,
    pub claim_count: u32,
}

/// `GET /api/v1/insurance/entitlements/{id}`: the entitlement, its plan and its claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntitlementDetail {
    pub entitlement: Entitlement,
    pub plan: InsurancePlan,
    /// Newest first.
    pub claims: Vec<InsuranceClaim>,
}

/// Where an insurance claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    Submitted,
    UnderReview,
    MoreInfoNeeded,
    Approved,
    Paid,
    Rejected,
}

impl ClaimStatus {
    pub const ALL: [ClaimStatus; 6] = [
        ClaimStatus::Submitted,
        ClaimStatus::UnderReview,
        ClaimStatus::MoreInfoNeeded,
        ClaimStatus::Approved,
        ClaimStatus::Paid,
        ClaimStatus::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Submitted => "submitted",
            ClaimStatus::UnderReview => "under_review",
            ClaimStatus::MoreInfoNeeded => "more_info_needed",
            ClaimStatus::Approved => "approved",
            ClaimStatus::Paid => "paid",
            ClaimStatus::Rejected => "rejected",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// One step of a claim's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimEvent {
    pub status: ClaimStatus,
    /// RFC 3339.
    pub at: String,
    /// What the reviewer said, in the requested language.
    pub note: Option<String>,
}

/// `GET /api/v1/insurance/claims/{id}`, and each claim of an entitlement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InsuranceClaim {
    pub id: String,
    pub entitlement_id: String,
    pub plan_name: String,
    /// What happened, in the requested language.
    pub incident: String,
    /// `YYYY-MM-DD`.
    pub incident_on: String,
    pub claimed_fen: i64,
    /// Set once approved.
    pub approved_fen: Option<i64>,
    pub status: ClaimStatus,
    /// `6217 **** **** 1234` once paid to the card.
    pub paid_to_card_masked: Option<String>,
    /// Oldest first.
    pub history: Vec<ClaimEvent>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_status_codes_round_trip() {
        for status in ClaimStatus::ALL {
            assert_eq!(ClaimStatus::parse(status.as_str()), Some(status));
        }
    }
}
