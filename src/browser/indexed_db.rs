//! A store of named files in IndexedDB, with every request wrapped in a promise. Where
//! IndexedDB is unavailable (some private modes), every operation fails quietly.
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys::{Function, Object, Promise};

use super::{call, get, global, number, set, text};

/// A file kept under `id`, with the name it was chosen under.
pub struct StoredFile {
    pub id: String,
    pub name: String,
    pub file: JsValue,
}

/// One object store of one database, holding [`StoredFile`]s by id.
pub struct FileStore {
    pub database: &'static str,
    pub store: &'static str,
}

impl FileStore {
    /// Keeps `file` (a `File` or `Blob`) as `name` under `id`, replacing what was kept there.
    pub async fn put(&self, id: &str, name: &str, file: &JsValue) {
        let record: JsValue = Object::new().into();
        set(&record, "id", &id.into());
        set(&record, "name", &name.into());
        set(&record, "file", file);
        let _ = self
            .in_store("readwrite", |store| {
                call(store, "put", &[record.clone(), id.into()])
            })
            .await;
    }

    /// Forgets the file kept under `id`.
    pub async fn delete(&self, id: &str) {
        let _ = self
            .in_store("readwrite", |store| call(store, "delete", &[id.into()]))
            .await;
    }

    /// Forgets every file whose id starts with `prefix`.
    pub async fn delete_prefixed(&self, prefix: &str) {
        let _ = self
            .in_store("readwrite", |store| {
                call(store, "delete", &[range_of(prefix)?])
            })
            .await;
    }

    /// The files whose id starts with `prefix`, in id order.
    pub async fn all_prefixed(&self, prefix: &str) -> Vec<StoredFile> {
        let Ok(records) = self
            .in_store("readonly", |store| {
                call(store, "getAll", &[range_of(prefix)?])
            })
            .await
        else {
            return Vec::new();
        };
        let count = number(&records, "length").unwrap_or(0.0) as u32;
        (0..count)
            .map(|index| get(&records, &index.to_string()))
            .map(|record| StoredFile {
                id: text(&record, "id"),
                name: text(&record, "name"),
                file: get(&record, "file"),
            })
            .filter(|kept| !kept.file.is_undefined())
            .collect()
    }

    /// Deletes the whole database. Not awaited: the deletion waits for any open connection
    /// to close.
    pub fn delete_database(&self) {
        let databases = global("indexedDB");
        if !databases.is_undefined() {
            let _ = call(&databases, "deleteDatabase", &[self.database.into()]);
        }
    }

    /// Runs one request on the store in a transaction of `mode`, and for writes waits until
    /// the transaction has committed; the connection is closed afterwards, so deleting the
    /// database is never blocked.
    async fn in_store(
        &self,
        mode: &str,
        request: impl FnOnce(&JsValue) -> Result<JsValue, JsValue>,
    ) -> Result<JsValue, JsValue> {
        let database = self.open().await?;
        let outcome = async {
            let transaction = call(&database, "transaction", &[self.store.into(), mode.into()])?;
            let committed = settled(&transaction, &["oncomplete"], &["onerror", "onabort"]);
            let store = call(&transaction, "objectStore", &[self.store.into()])?;
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
    /// store (an older WebView that ended the upgrade before the store was made) is upgraded
    /// once more rather than left unusable.
    async fn open(&self) -> Result<JsValue, JsValue> {
        let database = self.open_at(None).await?;
        if self.has_store(&database) {
            return Ok(database);
        }
        let next_version = number(&database, "version").unwrap_or(1.0) + 1.0;
        let _ = call(&database, "close", &[]);
        self.open_at(Some(next_version)).await
    }

    /// Opens the database at `version` (its current one for `None`), making the store in the
    /// upgrade when it is missing.
    async fn open_at(&self, version: Option<f64>) -> Result<JsValue, JsValue> {
        let mut args = vec![JsValue::from(self.database)];
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
            if !self.has_store(&database) {
                call(&database, "createObjectStore", &[self.store.into()])?;
            }
            JsFuture::from(settled(&request, &["onsuccess"], &["onerror"])).await?;
        }
        Ok(get(&request, "result"))
    }

    fn has_store(&self, database: &JsValue) -> bool {
        call(
            &get(database, "objectStoreNames"),
            "contains",
            &[self.store.into()],
        )
        .is_ok_and(|found| found.is_truthy())
    }
}

/// Every key that starts with `prefix`: `prefix` up to it followed by the highest code unit.
fn range_of(prefix: &str) -> Result<JsValue, JsValue> {
    let upper = format!("{prefix}\u{ffff}");
    call(
        &global("IDBKeyRange"),
        "bound",
        &[prefix.into(), upper.into()],
    )
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
