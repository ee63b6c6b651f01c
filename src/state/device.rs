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

/// Removes a stored value.
pub fn remove(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

fn tab_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// Reads a value kept for this tab only (`sessionStorage`).
pub fn get_for_tab(key: &str) -> Option<String> {
    tab_storage()?.get_item(key).ok().flatten()
}

/// Keeps a value for this tab only; silently skipped when storage is unavailable.
pub fn set_for_tab(key: &str, value: &str) {
    if let Some(storage) = tab_storage() {
        let _ = storage.set_item(key, value);
    }
}

/// Removes every stored value whose key starts with `prefix`, in local and session storage.
pub fn remove_prefixed(prefix: &str) {
    let session = window().session_storage().ok().flatten();
    for store in [storage(), session].into_iter().flatten() {
        let keys: Vec<String> = (0..store.length().unwrap_or(0))
            .filter_map(|i| store.key(i).ok().flatten())
            .filter(|key| key.starts_with(prefix))
            .collect();
        for key in keys {
            let _ = store.remove_item(&key);
        }
    }
}
