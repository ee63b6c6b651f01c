//! Documents chosen but not yet uploaded, kept on the device (IndexedDB) so that a photo that
//! was still being shrunk or sent when WeChat killed the webview is sent when the form opens
//! again, instead of having to be taken again.
//!
//! Each file is stored under `<draft key>/<id>`, so it belongs to one member's draft for one
//! program (see `aid_draft`); it is forgotten once uploaded or removed, when the draft is
//! submitted, and with the whole database when the member signs out or a kiosk wipes.
//!
//! IndexedDB is reached through `browser::indexed_db`. Where it is unavailable (some private
//! modes), nothing is kept and uploads work as before.
use wasm_bindgen::JsValue;

use crate::browser::indexed_db::FileStore;
pub use crate::browser::indexed_db::StoredFile as KeptFile;

const FILES: FileStore = FileStore {
    database: "portal-pending",
    store: "files",
};

/// The id under which a new file of the draft `draft_key` is kept: unique across visits.
pub fn new_id(draft_key: &str, sequence: u32) -> String {
    format!(
        "{draft_key}/{:x}-{sequence}",
        web_sys::js_sys::Date::now() as u64
    )
}

/// Keeps `file` (a `File` or `Blob`) as `name` under `id`, replacing what was kept there.
pub async fn keep(id: &str, name: &str, file: &JsValue) {
    FILES.put(id, name, file).await;
}

/// Forgets the file kept under `id`.
pub async fn forget(id: &str) {
    FILES.delete(id).await;
}

/// Forgets every file kept for the draft `draft_key`.
pub async fn forget_all(draft_key: &str) {
    FILES.delete_prefixed(&format!("{draft_key}/")).await;
}

/// Forgets every kept file of every member: the whole database goes (at sign-out and on a
/// kiosk's wipe). Not awaited: the deletion waits for any open connection to close.
pub fn forget_everything() {
    FILES.delete_database();
}

/// The files kept for the draft `draft_key`, oldest first.
pub async fn kept(draft_key: &str) -> Vec<KeptFile> {
    FILES.all_prefixed(&format!("{draft_key}/")).await
}
