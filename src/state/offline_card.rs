//! The last card the server showed this member, kept on the device so the card page still shows
//! status and identity with no signal. Under `portal.member.` so sign-out and expiry wipe it;
//! it holds only what the card page shows (masked number, no ID number), and the offline e-card
//! device key.
//!
//! The device key sits in `localStorage` as hex rather than as a non-extractable WebCrypto key
//! in IndexedDB: the code is computed by the contract's HMAC (shared with the server, no
//! JavaScript shim in the first load), and a non-extractable key would not stop a copied phone
//! anyway: whoever holds the phone's storage can ask it to sign. What bounds a copy is the
//! server: the key dies with its session, with the card's active status, and after 24 h.
use contract::card::{Card, OfflineDevice, hex_bytes, offline_payload, offline_step};

use super::device;

const KEY: &str = "portal.member.card";
const DEVICE_KEY: &str = "portal.member.ecard_device";

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

/// The offline e-card device key as kept on the phone.
#[derive(serde::Serialize, serde::Deserialize)]
struct SavedDevice {
    device_id: String,
    device_key: String,
    /// Server clock minus this device's clock when provisioned, in milliseconds: codes follow
    /// the server's time even on a phone set to the wrong time.
    offset_ms: f64,
    /// Unix seconds (server time).
    expires_at: i64,
}

/// Keeps a freshly provisioned device key.
pub fn save_device(device: &OfflineDevice) {
    let saved = SavedDevice {
        device_id: device.device_id.clone(),
        device_key: device.device_key.clone(),
        offset_ms: device.server_time as f64 * 1000.0 - web_sys::js_sys::Date::now(),
        expires_at: device.expires_at,
    };
    if let Ok(json) = serde_json::to_string(&saved) {
        device::set(DEVICE_KEY, &json);
    }
}

/// Drops the device key (the card is no longer active).
pub fn forget_device() {
    device::remove(DEVICE_KEY);
}

/// An offline code to show now: the QR payload and the seconds until it changes, or `None`
/// when no unexpired device key is kept here.
pub fn offline_code_now() -> Option<(String, u32)> {
    let saved: SavedDevice = serde_json::from_str(&device::get(DEVICE_KEY)?).ok()?;
    let server_ms = web_sys::js_sys::Date::now() + saved.offset_ms;
    let server_seconds = (server_ms / 1000.0).floor() as i64;
    if server_seconds >= saved.expires_at {
        return None;
    }
    let key = hex_bytes(&saved.device_key)?;
    let step = offline_step(server_seconds);
    let step_seconds = contract::card::OFFLINE_STEP_SECONDS;
    let left = (step + 1) * step_seconds - server_seconds;
    Some((
        offline_payload(&key, &saved.device_id, step),
        left.clamp(1, step_seconds) as u32,
    ))
}
