//! Adding supporting documents: take a photo or pick a file. Photos are shrunk on the device
//! first, each upload shows its progress, a failed one is retried and can be sent again, and
//! every document can be removed. For a draft, each file is also kept on the device until it
//! is uploaded, so one still on its way when the webview is killed is sent on the next visit.
mod photo;

use contract::aid::{Attachment, MAX_ATTACHMENTS};
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;
use web_sys::HtmlInputElement;

use crate::api::{ApiClient, ApiError, use_api};
use crate::browser;
use crate::components::error_notice::error_text;
use crate::i18n::{fill, tr, use_i18n};
use crate::state::pending_files;

/// Automatic retries of an upload that lost its connection, before the member is asked.
const AUTOMATIC_RETRIES: u32 = 2;

/// Uploads under way. Owned by the form rather than by `DocumentUpload`, so an upload that
/// finishes after the member moved on to the next step is still recorded.
#[derive(Clone, Copy)]
pub struct Uploads {
    pending: RwSignal<Vec<Upload>, LocalStorage>,
    next_key: StoredValue<u32>,
    /// The draft whose files on their way are kept on the device, if any.
    kept_for: StoredValue<Option<String>>,
}

impl Uploads {
    /// Uploads that last as long as the page (documents added to a sent application).
    pub fn new() -> Self {
        Uploads {
            pending: RwSignal::new_local(Vec::new()),
            next_key: StoredValue::new(0),
            kept_for: StoredValue::new(None),
        }
    }

    /// Uploads for the draft `draft_key`: every file is kept on the device until it is
    /// uploaded or removed, and those kept from an earlier visit are sent now.
    pub fn kept_for(draft_key: String, api: ApiClient, added: Callback<Attachment>) -> Self {
        let uploads = Uploads::new();
        uploads.kept_for.set_value(Some(draft_key.clone()));
        spawn_local(async move {
            for kept in pending_files::kept(&draft_key).await {
                let Some(upload) = uploads.track(kept.name, Some(kept.id)) else {
                    return;
                };
                spawn_local(prepare_and_send(
                    api.clone(),
                    uploads,
                    upload,
                    kept.file,
                    added,
                ));
            }
        });
        uploads
    }

    /// A new row for a document on its way; `None` once the page is gone.
    fn track(self, name: String, kept_id: Option<String>) -> Option<Upload> {
        let key = self.next_key.try_get_value()?;
        self.next_key.set_value(key + 1);
        let kept_id = kept_id.or_else(|| {
            self.kept_for
                .get_value()
                .map(|draft| pending_files::new_id(&draft, key))
        });
        let upload = Upload {
            key,
            name,
            progress: RwSignal::new(None),
            failure: RwSignal::new(None),
            prepared: StoredValue::new_local(None),
            kept_id,
        };
        self.pending.try_update(|p| p.push(upload.clone()))?;
        Some(upload)
    }

    /// Whether a document is still on its way (reactive).
    pub fn busy(&self) -> bool {
        self.pending.with(|p| !p.is_empty())
    }
}

impl Default for Uploads {
    fn default() -> Self {
        Self::new()
    }
}

/// One document on its way.
#[derive(Clone)]
struct Upload {
    key: u32,
    name: String,
    /// `None` while the photo is being shrunk.
    progress: RwSignal<Option<u8>>,
    failure: RwSignal<Option<ApiError>>,
    /// What is sent, kept for sending again.
    prepared: StoredValue<Option<(JsValue, String)>, LocalStorage>,
    /// Where the file is kept on the device until it is uploaded (see `pending_files`).
    kept_id: Option<String>,
}

/// The documents: uploaded ones (from `attachments`), those on their way, and the two ways
/// to add one. `added` and `removed` keep the caller's list.
#[component]
pub fn DocumentUpload(
    uploads: Uploads,
    #[prop(into)] attachments: Signal<Vec<Attachment>>,
    added: Callback<Attachment>,
    removed: Callback<String>,
) -> impl IntoView {
    let api = use_api();
    let row_api = api.clone();
    let full =
        move || attachments.with(Vec::len) + uploads.pending.with(Vec::len) >= MAX_ATTACHMENTS;
    let on_files = move |event: ev::Event| {
        let input: HtmlInputElement = event_target(&event);
        // Emptied too, so the same file can be chosen again after a removal.
        for file in browser::files::take_chosen(&input) {
            start(api.clone(), uploads, file, added);
        }
    };
    let uploaded = move || {
        attachments
            .get()
            .into_iter()
            .map(|attachment| uploaded_row(attachment, removed))
            .collect_view()
    };
    let on_the_way = move || {
        uploads
            .pending
            .get()
            .into_iter()
            .map(|upload| pending_row(row_api.clone(), uploads, upload, added))
            .collect_view()
    };
    view! {
        <div class="documents">
            <p class="hint">{tr(|s| s.aid().documents_hint)}</p>
            <ul class="attachments" aria-live="polite">
                {uploaded}
                {on_the_way}
            </ul>
            {move || (attachments.with(Vec::is_empty) && !uploads.busy()).then(|| view! {
                <p>{tr(|s| s.aid().no_documents)}</p>
            })}
            <div class="button-row">
                <label class="button button-secondary file-button" class:disabled=full>
                    {tr(|s| s.aid().take_photo)}
                    <input type="file" class="visually-hidden" accept="image/*" capture="environment"
                        disabled=full on:change=on_files.clone()/>
                </label>
                <label class="button button-secondary file-button" class:disabled=full>
                    {tr(|s| s.aid().choose_file)}
                    <input type="file" class="visually-hidden" multiple
                        accept="image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf"
                        disabled=full on:change=on_files/>
                </label>
            </div>
        </div>
    }
}

fn uploaded_row(attachment: Attachment, removed: Callback<String>) -> impl IntoView {
    let id = attachment.id.clone();
    let label = format!("{} {}", tr(|s| s.aid().remove), attachment.filename);
    view! {
        <li class="attachment">
            <span class="attachment-name">
                <span aria-hidden="true">"📄 "</span>{attachment.filename}
                <span class="hint">{size_text(attachment.size_bytes)}</span>
            </span>
            <button type="button" class="button button-secondary" aria-label=label
                on:click=move |_| removed.run(id.clone())>
                {tr(|s| s.aid().remove)}
            </button>
        </li>
    }
}

fn pending_row(
    api: ApiClient,
    uploads: Uploads,
    upload: Upload,
    added: Callback<Attachment>,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = upload.key;
    let status = move || match upload.progress.get() {
        None => i18n.t().aid().compressing.to_owned(),
        Some(percent) => fill(i18n.t().aid().uploading, percent),
    };
    let retry = {
        let upload = upload.clone();
        move |_| spawn_local(send(api.clone(), uploads, upload.clone(), added))
    };
    let kept_id = upload.kept_id.clone();
    let discard = move |_| {
        uploads.pending.update(|p| p.retain(|u| u.key != key));
        if let Some(id) = kept_id.clone() {
            spawn_local(async move { pending_files::forget(&id).await });
        }
    };
    view! {
        <li class="attachment attachment-pending">
            <span class="attachment-name">{upload.name.clone()}</span>
            {move || match upload.failure.get() {
                None => view! {
                    <span role="status">{status}</span>
                    <progress max="100" value=move || upload.progress.get().unwrap_or(0)
                        aria-label=upload.name.clone()></progress>
                }.into_any(),
                Some(error) => view! {
                    <span class="field-error" role="alert">
                        {tr(|s| s.aid().upload_failed)}": "{error_text(&error, i18n.current())}
                    </span>
                    <span class="button-row">
                        <button type="button" class="button button-secondary" on:click=retry.clone()>
                            {tr(|s| s.aid().upload_again)}
                        </button>
                        <button type="button" class="button button-secondary" on:click=discard.clone()>
                            {tr(|s| s.aid().remove)}
                        </button>
                    </span>
                }.into_any(),
            }}
        </li>
    }
}

/// `1.2 MB` / `350 KB`.
fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// Keeps (for a draft), shrinks (for photos) and uploads a file the member chose.
fn start(api: ApiClient, uploads: Uploads, file: JsValue, added: Callback<Attachment>) {
    let Some(upload) = uploads.track(browser::files::name(&file), None) else {
        return;
    };
    spawn_local(async move {
        if let Some(id) = &upload.kept_id {
            pending_files::keep(id, &upload.name, &file).await;
        }
        prepare_and_send(api, uploads, upload, file, added).await;
    });
}

/// Shrinks a photo (keeping the smaller copy instead of the original) and uploads it.
async fn prepare_and_send(
    api: ApiClient,
    uploads: Uploads,
    upload: Upload,
    file: JsValue,
    added: Callback<Attachment>,
) {
    let prepared = match photo::shrunk(&file, &upload.name).await {
        Some((smaller, name)) => {
            if let Some(id) = &upload.kept_id {
                pending_files::keep(id, &name, &smaller).await;
            }
            (smaller, name)
        }
        None => (file, upload.name.clone()),
    };
    // `try_set_value` hands the value back only when the page is gone.
    if upload.prepared.try_set_value(Some(prepared)).is_none() {
        send(api, uploads, upload, added).await;
    }
}

/// Sends a prepared document, retrying a lost connection a few times before asking. Every
/// reactive write is a `try_`: the member may have left the page meanwhile, and then a kept
/// file stays kept, to be sent on the next visit.
async fn send(api: ApiClient, uploads: Uploads, upload: Upload, added: Callback<Attachment>) {
    let Some(Some((blob, name))) = upload.prepared.try_get_value() else {
        return;
    };
    upload.failure.try_set(None);
    upload.progress.try_set(Some(0));
    let progress = upload.progress;
    let mut attempt = 0;
    let outcome = loop {
        let report = move |percent| {
            progress.try_set(Some(percent));
        };
        match api.upload_aid_document(&blob, &name, report).await {
            Err(ApiError::Network) if attempt < AUTOMATIC_RETRIES => {
                attempt += 1;
                browser::page::sleep_ms(2_000 * attempt as i32).await;
            }
            outcome => break outcome,
        }
    };
    match outcome {
        Ok(attachment) => {
            let still_here = uploads
                .pending
                .try_update(|p| p.retain(|u| u.key != upload.key))
                .is_some();
            if still_here {
                // The caller records the attachment before the kept copy is forgotten.
                added.run(attachment);
                if let Some(id) = &upload.kept_id {
                    pending_files::forget(id).await;
                }
            }
        }
        Err(error) => {
            upload.failure.try_set(Some(error));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::size_text;

    #[test]
    fn sizes_read_as_a_member_would_say_them() {
        assert_eq!(size_text(350 * 1024), "350 KB");
        assert_eq!(size_text(1), "1 KB");
        assert_eq!(size_text(1_258_291), "1.2 MB");
    }
}
