//! Preferences kept on this device (`localStorage`). Storage can be missing or full in private
//! modes and some in-app browsers, so every call degrades to "not stored" instead of failing.
use leptos::prelude::window;

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Reads a stored value.
pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Stores a value; silently skipped when storage is unavailable.
pub fn set(key: &str, value: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, value);
    }
}
