//! The last card the server showed this member, kept on the device so the card page still shows
//! status and identity with no signal. Under `portal.member.` so sign-out and expiry wipe it;
//! it holds only what the card page shows (masked number, no ID number).
use contract::card::Card;

use super::device;

const KEY: &str = "portal.member.card";

/// A card as last seen, and when (milliseconds since the epoch).
#[derive(serde::Serialize, serde::Deserialize)]
struct Saved {
    card: Card,
    saved_at_ms: f64,
}

/// Remembers a card fresh from the server.
pub fn save(card: &Card) {
    let saved = Saved {
        card: card.clone(),
        saved_at_ms: web_sys::js_sys::Date::now(),
    };
    if let Ok(json) = serde_json::to_string(&saved) {
        device::set(KEY, &json);
    }
}

/// The remembered card and when it was saved, if any.
pub fn load() -> Option<(Card, f64)> {
    let saved: Saved = serde_json::from_str(&device::get(KEY)?).ok()?;
    Some((saved.card, saved.saved_at_ms))
}

/// Whether a member's card is remembered here (a member was signed in and did not sign out).
pub fn exists() -> bool {
    device::get(KEY).is_some()
}
