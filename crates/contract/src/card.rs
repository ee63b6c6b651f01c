//! The member service card: status, history, loss reports and the e-card token.
use serde::{Deserialize, Serialize};

/// Where a card is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CardStatus {
    NotApplied,
    InProduction,
    AwaitingActivation,
    Active,
    ReportedLost,
    Frozen,
    Cancelled,
}

impl CardStatus {
    pub const ALL: [CardStatus; 7] = [
        CardStatus::NotApplied,
        CardStatus::InProduction,
        CardStatus::AwaitingActivation,
        CardStatus::Active,
        CardStatus::ReportedLost,
        CardStatus::Frozen,
        CardStatus::Cancelled,
    ];

    /// The stable snake_case name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            CardStatus::NotApplied => "not_applied",
            CardStatus::InProduction => "in_production",
            CardStatus::AwaitingActivation => "awaiting_activation",
            CardStatus::Active => "active",
            CardStatus::ReportedLost => "reported_lost",
            CardStatus::Frozen => "frozen",
            CardStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// What the member should do next, if anything.
    pub fn next_step(self) -> Option<NextStep> {
        match self {
            CardStatus::NotApplied => Some(NextStep::AskUnionToApply),
            CardStatus::InProduction => Some(NextStep::WaitForCard),
            CardStatus::AwaitingActivation => Some(NextStep::ActivateAtBank),
            CardStatus::Active => None,
            CardStatus::ReportedLost => Some(NextStep::ReplaceAtBank),
            CardStatus::Frozen => Some(NextStep::RenewMembership),
            CardStatus::Cancelled => Some(NextStep::ContactUnion),
        }
    }

    /// Only an active card can be shown to merchants.
    pub fn can_show_ecard(self) -> bool {
        self == CardStatus::Active
    }

    /// A card the member holds can be reported lost.
    pub fn can_report_loss(self) -> bool {
        matches!(
            self,
            CardStatus::Active | CardStatus::AwaitingActivation | CardStatus::Frozen
        )
    }
}

/// The member's next step, as a code the portal words in the member's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NextStep {
    AskUnionToApply,
    WaitForCard,
    ActivateAtBank,
    ReplaceAtBank,
    RenewMembership,
    ContactUnion,
}

impl NextStep {
    /// The step in plain Chinese, for clients that do not word it themselves.
    pub fn text_zh(self) -> &'static str {
        match self {
            NextStep::AskUnionToApply => "请联系所在基层工会为您集中申领会员服务卡。",
            NextStep::WaitForCard => "银行正在制卡，制作完成后会通知您。",
            NextStep::ActivateAtBank => "请携带本人身份证到合作银行网点面签激活。",
            NextStep::ReplaceAtBank => "请携带本人身份证到合作银行网点补办新卡。",
            NextStep::RenewMembership => "您的会籍已失效，请联系所在工会办理会籍续转。",
            NextStep::ContactUnion => "如需重新办卡，请联系所在工会或拨打12351。",
        }
    }

    /// The step in plain English.
    pub fn text_en(self) -> &'static str {
        match self {
            NextStep::AskUnionToApply => "Ask your grassroots union to apply for your member card.",
            NextStep::WaitForCard => {
                "The bank is making your card; you will be told when it is ready."
            }
            NextStep::ActivateAtBank => {
                "Take your ID card to a partner bank branch to sign for and activate it."
            }
            NextStep::ReplaceAtBank => {
                "Take your ID card to a partner bank branch for a replacement."
            }
            NextStep::RenewMembership => {
                "Your membership has lapsed; contact your union to renew it."
            }
            NextStep::ContactUnion => "To get a new card, contact your union or call 12351.",
        }
    }
}

/// One entry of the card's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardEvent {
    /// `applied`, `produced`, `issued`, `activated`, `reported_lost`, `frozen`, `unfrozen`,
    /// `cancelled`.
    pub kind: String,
    /// RFC 3339.
    pub at: String,
}

/// `GET /api/v1/card`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Card {
    pub status: CardStatus,
    /// `6217 **** **** 1234`; absent before the bank assigns a number.
    pub number_masked: Option<String>,
    /// The partner bank, in the requested language.
    pub bank: String,
    pub applied_on: Option<String>,
    pub issued_on: Option<String>,
    pub activated_on: Option<String>,
    pub next_step: Option<NextStep>,
    /// `next_step` worded in the requested language.
    #[serde(default)]
    pub next_step_text: Option<String>,
    /// Oldest first.
    pub events: Vec<CardEvent>,
}

/// Why a card is reported lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LossReason {
    Lost,
    Stolen,
    Damaged,
}

/// `POST /api/v1/card/report-loss`. Repeating it returns the same, already-reported card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportLoss {
    pub reason: LossReason,
}

/// `POST /api/v1/card/ecard-token`: a short-lived signed token for the e-card QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EcardToken {
    pub token: String,
    /// RFC 3339.
    pub expires_at: String,
    /// Seconds of validity from issue, so the portal can count down without trusting the
    /// device clock.
    pub valid_for_seconds: u32,
}

/// `POST /api/v1/card/verify`: what a merchant's scanner sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VerifyToken {
    pub token: String,
}

/// The scanner's answer: whether the holder is a member with an active card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenVerdict {
    pub valid: bool,
    /// `ok`, `expired`, `invalid`, `card_not_active`.
    pub reason: String,
    /// `张*`, when valid.
    pub member_name_masked: Option<String>,
    pub card_number_masked: Option<String>,
}
