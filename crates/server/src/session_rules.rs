//! What each kind of session may do: the one table of every API operation and who reaches it.
//!
//! A kiosk session is opened by a card number and PIN, or by a phone's approval, on a screen
//! other people use next. It may do what a member needs at the counter — read the card, the
//! profile (masked), notices, offers and cover, claim a coupon — and nothing that outlives it
//! or exposes documents: no credential or WeChat changes, no signing out other devices, no
//! loss report (irreversible; the phone or the counter staff do it), no aid documents,
//! applications' household and hardship details, or insurance claim details.
//!
//! `extract::CurrentMember` enforces the table for every route by its matched path, so a route
//! missing here is refused to kiosk sessions; the `session_rules` test walks every route.
use axum::http::Method;

/// Who may call an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No session needed (sign-in, public catalogues, kiosk device endpoints).
    Public,
    /// Any signed-in session, the kiosk's included.
    AnySession,
    /// Only the member's own sessions (phone, password, WeChat); kiosk sessions get 403
    /// `kiosk_forbidden`.
    MemberOnly,
}

use Access::*;

/// Every operation under `/api/v1`: method, path template as routed, access.
pub const RULES: &[(&str, &str, Access)] = &[
    // Signing in and out.
    ("POST", "/auth/sms-code", Public),
    ("POST", "/auth/sms-sign-in", Public),
    ("POST", "/auth/password-sign-in", Public),
    ("POST", "/auth/kiosk-sign-in", Public),
    ("GET", "/auth/session", AnySession),
    ("POST", "/auth/sign-out", AnySession),
    ("POST", "/auth/sign-out-everywhere", MemberOnly),
    ("POST", "/auth/wechat/start", Public),
    ("POST", "/auth/wechat/sign-in", Public),
    ("POST", "/auth/wechat/bind", MemberOnly),
    ("POST", "/auth/wechat/unbind", MemberOnly),
    ("POST", "/auth/kiosk-handoff", Public),
    ("POST", "/auth/kiosk-handoff/approve", MemberOnly),
    ("POST", "/auth/kiosk-handoff/claim", Public),
    ("GET", "/kiosk/enrol", Public),
    ("POST", "/kiosk/enrol", Public),
    // The member and the card.
    ("GET", "/me", AnySession),
    ("GET", "/card", AnySession),
    ("POST", "/card/report-loss", MemberOnly),
    ("POST", "/card/ecard-token", AnySession),
    // An offline device key would outlive the kiosk session on a shared screen.
    ("POST", "/card/offline-device", MemberOnly),
    ("POST", "/card/verify", Public),
    // Notices and service information.
    ("GET", "/notifications", AnySession),
    ("GET", "/notifications/unread-count", AnySession),
    ("POST", "/notifications/read-all", AnySession),
    ("POST", "/notifications/{id}/read", AnySession),
    ("GET", "/service-centres", Public),
    ("GET", "/service-info", Public),
    // Offers and coupons.
    ("GET", "/offers", Public),
    ("GET", "/offers/categories", Public),
    ("GET", "/offers/districts", Public),
    ("GET", "/offers/{id}", AnySession),
    ("POST", "/offers/{id}/claim", AnySession),
    ("GET", "/me/coupons", AnySession),
    // Mutual-aid cover.
    ("GET", "/insurance/plans", Public),
    ("GET", "/insurance/entitlements", AnySession),
    ("GET", "/insurance/entitlements/{id}", AnySession),
    ("GET", "/insurance/claims/{id}", MemberOnly),
    // Hardship aid: programmes and the eligibility check; not documents or applications.
    ("GET", "/aid/programs", Public),
    ("GET", "/aid/programs/{id}", Public),
    ("GET", "/aid/programs/{id}/eligibility", AnySession),
    ("POST", "/aid/attachments", MemberOnly),
    ("GET", "/aid/attachments/{id}", MemberOnly),
    ("GET", "/aid/applications", AnySession),
    ("POST", "/aid/applications", MemberOnly),
    ("GET", "/aid/applications/{id}", MemberOnly),
    ("POST", "/aid/applications/{id}/supplement", MemberOnly),
    ("POST", "/aid/applications/{id}/withdraw", MemberOnly),
    // Development only (`--dev-outbox`).
    ("GET", "/dev/outbox", Public),
];

/// The API prefix the table's paths are relative to.
const PREFIX: &str = "/api/v1";

/// The access rule of a routed operation; unknown operations are member-only.
pub fn access(method: &Method, matched_path: &str) -> Access {
    let path = matched_path.strip_prefix(PREFIX).unwrap_or(matched_path);
    RULES
        .iter()
        .find(|(m, p, _)| *m == method.as_str() && *p == path)
        .map_or(MemberOnly, |(_, _, access)| *access)
}

/// Whether a kiosk session may call the operation.
pub fn kiosk_may(method: &Method, matched_path: &str) -> bool {
    access(method, matched_path) != MemberOnly
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_operations_are_member_only() {
        assert!(!kiosk_may(&Method::GET, "/api/v1/something-new"));
        assert!(!kiosk_may(&Method::DELETE, "/api/v1/card"));
        assert!(kiosk_may(&Method::GET, "/api/v1/card"));
        assert!(!kiosk_may(&Method::POST, "/api/v1/auth/wechat/bind"));
    }

    #[test]
    fn each_operation_is_listed_once() {
        for (i, (m, p, _)) in RULES.iter().enumerate() {
            assert!(
                !RULES[i + 1..].iter().any(|(m2, p2, _)| m == m2 && p == p2),
                "{m} {p} listed twice"
            );
        }
    }
}
