//! Documents chosen but not yet uploaded, kept on the device (IndexedDB) so that a photo that
//! was still being shrunk or sent when WeChat killed the webview is sent when the form opens
//! again, instead of having to be taken again.
//!
//! Each file is stored under `<draft key>/<id>`, so it belongs to one member's draft for one
//! program (see `aid_draft`); it is forgotten once uploaded or removed, when the draft is
//! submitted, and with the whole database when the member signs out or a kiosk wipes.
//!
//! IndexedDB is reached through `browser` (see there why), with every request wrapped in a
//! promise. Where IndexedDB is unavailable (some private modes), nothing is kept and uploads
//! work as before.
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys::{Function, Object, Promise};

use crate::browser::{call, get, global, number, set, text};

const DATABASE: &str = "portal-pending";
const STORE: &str = "files";

/// A file kept for a draft.
pub struct KeptFile {
    pub id: String,
    pub name: String,
    pub file: JsValue,
}

/// The id under which a new file of the draft `draft_key` is kept: unique across visits.
pub fn new_id(draft_key: &str, sequence: u32) -> String {
    format!(
        "{draft_key}/{:x}-{sequence}",
        web_sys::js_sys::Date::now() as u64
    )
}

/// Keeps `file` (a `File` or `Blob`) as `name` under `id`, replacing what was kept there.
pub async fn keep(id: &str, name: &str, file: &JsValue) {
    let record: JsValue = Object::new().into();
    set(&record, "id", &id.into());
    set(&record, "name", &name.into());
    set(&record, "file", file);
    let _ = in_store("readwrite", |store| {
        call(store, "put", &[record.clone(), id.into()])
    })
    .await;
}

/// Forgets the file kept under `id`.
pub async fn forget(id: &str) {
    let _ = in_store("readwrite", |store| call(store, "delete", &[id.into()])).await;
}

/// Forgets every file kept for the draft `draft_key`.
pub async fn forget_all(draft_key: &str) {
    let _ = in_store("readwrite", |store| {
        call(store, "delete", &[range_of(draft_key)?])
    })
    .await;
}

/// Forgets every kept file of every member: the whole database goes (at sign-out and on a
/// kiosk's wipe). Not awaited: the deletion waits for any open connection to close.
pub fn forget_everything() {
    let databases = global("indexedDB");
    if !databases.is_undefined() {
        let _ = call(&databases, "deleteDatabase", &[DATABASE.into()]);
    }
}

/// The files kept for the draft `draft_key`, oldest first.
pub async fn kept(draft_key: &str) -> Vec<KeptFile> {
    let Ok(records) = in_store("readonly", |store| {
        call(store, "getAll", &[range_of(draft_key)?])
    })
    .await
    else {
        return Vec::new();
    };
    let count = number(&records, "length").unwrap_or(0.0) as u32;
    (0..count)
        .map(|index| get(&records, &index.to_string()))
        .map(|record| KeptFile {
            id: text(&record, "id"),
            name: text(&record, "name"),
            file: get(&record, "file"),
        })
        .filter(|kept| !kept.file.is_undefined())
        .collect()
}

/// Every key of the draft `draft_key`: `<draft key>/` up to the highest code unit.
fn range_of(draft_key: &str) -> Result<JsValue, JsValue> {
    let lower = format!("{draft_key}/");
    let upper = format!("{draft_key}/\u{ffff}");
    call(
        &global("IDBKeyRange"),
        "bound",
        &[lower.into(), upper.into()],
    )
}

/// Runs one request on the store in a transaction of `mode`, and for writes waits until the
/// transaction has committed; the connection is closed afterwards, so deleting the database
/// at sign-out is never blocked.
async fn in_store(
    mode: &str,
    request: impl FnOnce(&JsValue) -> Result<JsValue, JsValue>,
) -> Result<JsValue, JsValue> {
    let database = open().await?;
    let outcome = async {
        let transaction = call(&database, "transaction", &[STORE.into(), mode.into()])?;
        let committed = settled(&transaction, &["oncomplete"], &["onerror", "onabort"]);
        let store = call(&transaction, "objectStore", &[STORE.into()])?;
        let value = result_of(&request(&store)?).await;
        // Awaited even after a failed request (which aborts the transaction), so the
        // rejection is handled rather than reported as unhandled.
        let committed = JsFuture::from(committed).await;
        committed?;
        value
    }
    .await;
    let _ = call(&database, "close", &[]);
    outcome
}

/// Opens the database, creating its one store on first use. A database left without the
/// store (an older WebView that ended the upgrade before the store was made) is upgraded once
/// more rather than left unusable.
async fn open() -> Result<JsValue, JsValue> {
    let database = open_at(None).await?;
    if has_store(&database) {
        return Ok(database);
    }
    let next_version = number(&database, "version").unwrap_or(1.0) + 1.0;
    let _ = call(&database, "close", &[]);
    open_at(Some(next_version)).await
}

/// Opens the database at `version` (its current one for `None`), making the store in the
/// upgrade when it is missing.
async fn open_at(version: Option<f64>) -> Result<JsValue, JsValue> {
    let mut args = vec![JsValue::from(DATABASE)];
    args.extend(version.map(JsValue::from));
    let request = call(&global("indexedDB"), "open", &args)?;
    let first = settled(
        &request,
        &["onsuccess", "onupgradeneeded"],
        &["onerror", "onblocked"],
    );
    let event = JsFuture::from(first).await?;
    if text(&event, "type") == "upgradeneeded" {
        let database = get(&request, "result");
        // Still inside the upgrade's transaction: promise continuations run before it ends.
        if !has_store(&database) {
            call(&database, "createObjectStore", &[STORE.into()])?;
        }
        JsFuture::from(settled(&request, &["onsuccess"], &["onerror"])).await?;
    }
    Ok(get(&request, "result"))
}

fn has_store(database: &JsValue) -> bool {
    call(
        &get(database, "objectStoreNames"),
        "contains",
        &[STORE.into()],
    )
    .is_ok_and(|found| found.is_truthy())
}

/// The result of a request once it succeeded.
async fn result_of(request: &JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(settled(request, &["onsuccess"], &["onerror"])).await?;
    Ok(get(request, "result"))
}

/// A promise that resolves with the event of any handler in `done` and rejects with any in
/// `failed`; the handlers are set at once, before any event can fire.
fn settled(target: &JsValue, done: &[&str], failed: &[&str]) -> Promise {
    Promise::new(&mut |resolve: Function, reject: Function| {
        for handler in done {
            set(target, handler, &resolve);
        }
        for handler in failed {
            set(target, handler, &reject);
        }
    })
}
