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

/// `POST /api/v1/card/offline-device`: a device key for showing the e-card with no network.
///
/// The phone keeps it while the session lasts and derives a new code every
/// [`OFFLINE_STEP_SECONDS`] from it ([`offline_code`]); the merchant's scanner sends the code to
/// `/card/verify` like an online token. The key dies with the session that provisioned it, on
/// card loss, freeze or cancellation, and at `expires_at` whatever happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfflineDevice {
    /// Opaque, `[a-z0-9_]`; shown in every code so the server finds the key.
    pub device_id: String,
    /// The device key, 64 lowercase hex digits (32 bytes). Never shown; kept on the phone only.
    pub device_key: String,
    /// The server's clock (Unix seconds) when it answered: the phone keeps its own clock's
    /// offset from it, so a phone set to the wrong time still shows the current code.
    pub server_time: i64,
    /// Unix seconds after which the key no longer verifies.
    pub expires_at: i64,
    /// Seconds per code ([`OFFLINE_STEP_SECONDS`]).
    pub step_seconds: u32,
}

/// An offline code changes this often.
pub const OFFLINE_STEP_SECONDS: i64 = 30;

/// How codes start: `o1.<device_id>.<step>.<code>`; online tokens start with `e1.`.
pub const OFFLINE_PREFIX: &str = "o1";

/// The time step a Unix time falls in.
pub fn offline_step(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(OFFLINE_STEP_SECONDS)
}

/// The code for one device and step: HMAC-SHA256(device key, `o1.<device_id>.<step>`), its
/// first 10 bytes in hex (80 bits: guessing is hopeless, and each guess costs a request).
pub fn offline_code(device_key: &[u8], device_id: &str, step: i64) -> String {
    let mac = hmac_sha256(
        device_key,
        format!("{OFFLINE_PREFIX}.{device_id}.{step}").as_bytes(),
    );
    mac[..10].iter().map(|b| format!("{b:02x}")).collect()
}

/// HMAC-SHA256 (RFC 2104) of `message` under `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    use hmac::{Hmac, Mac};
    // HMAC accepts keys of any length, so this never fails.
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// The whole QR payload for one step.
pub fn offline_payload(device_key: &[u8], device_id: &str, step: i64) -> String {
    let code = offline_code(device_key, device_id, step);
    format!("{OFFLINE_PREFIX}.{device_id}.{step}.{code}")
}

/// Lowercase hex to bytes; `None` for anything else.
pub fn hex_bytes(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| {
            let pair = hex.get(i..i + 2)?;
            pair.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
                .then(|| u8::from_str_radix(pair, 16).ok())?
        })
        .collect()
}

#[cfg(test)]
mod offline_tests {
    use super::*;

    #[test]
    fn codes_are_rfc_4231_hmac_sha256_truncated() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let full: String = hmac_sha256(b"Jefe", b"what do ya want for nothing?")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            full,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let code = offline_code(b"key", "dev_1", 57_000_000);
        let expected: String = hmac_sha256(b"key", b"o1.dev_1.57000000")[..10]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(code, expected);
        assert_ne!(code, offline_code(b"key", "dev_1", 57_000_001));
        assert_ne!(code, offline_code(b"other", "dev_1", 57_000_000));
    }

    #[test]
    fn payloads_name_the_device_and_step() {
        let payload = offline_payload(b"key", "dev_1", 42);
        assert!(payload.starts_with("o1.dev_1.42."), "{payload}");
    }

    #[test]
    fn hex_round_trips_and_rejects_junk() {
        assert_eq!(hex_bytes("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(hex_bytes("0"), None);
        assert_eq!(hex_bytes("zz"), None);
        assert_eq!(hex_bytes("FF"), None);
        assert_eq!(offline_step(59), 1);
        assert_eq!(offline_step(-1), -1);
    }
}
