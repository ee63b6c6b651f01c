//! Uploading a supporting document with progress. `fetch` cannot report how much of a request
//! body has been sent, so this one call uses `XMLHttpRequest`, through `browser` (only the aid
//! screens upload; see there why).
use contract::aid::Attachment;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys::{Function, Promise};

use super::client::{Reply, decode};
use super::{ApiClient, ApiError};
use crate::browser::{call, construct, get, number, set, text};

/// Longest an upload may take before it counts as failed (a 5 MiB file on a weak 3G link).
const UPLOAD_TIMEOUT_MS: u32 = 180_000;

impl ApiClient {
    /// Uploads one document (a `Blob` or `File`); `on_progress` hears the percentage sent.
    /// The server decides the type from the bytes and refuses a file whose name or type
    /// disagrees with them.
    pub async fn upload_aid_document(
        &self,
        file: &JsValue,
        filename: &str,
        on_progress: impl Fn(u8) + 'static,
    ) -> Result<Attachment, ApiError> {
        let encoded: String = web_sys::js_sys::encode_uri_component(filename).into();
        let url = self.url(&format!("/v1/aid/attachments?filename={encoded}"));
        let request = construct("XMLHttpRequest", &[]).map_err(|_| ApiError::Network)?;
        call(&request, "open", &["POST".into(), url.into()]).map_err(|_| ApiError::Network)?;
        let content_type = text(file, "type");
        let headers = self
            .common_headers()
            .into_iter()
            .chain((!content_type.is_empty()).then_some(("Content-Type", content_type)));
        for (name, value) in headers {
            let _ = call(&request, "setRequestHeader", &[name.into(), value.into()]);
        }
        set(&request, "timeout", &UPLOAD_TIMEOUT_MS.into());
        if self.cross_origin() {
            set(&request, "withCredentials", &true.into());
        }
        let progress = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
            let sent = number(&event, "loaded").unwrap_or(0.0);
            let total = number(&event, "total").unwrap_or(0.0);
            if get(&event, "lengthComputable").is_truthy() && total > 0.0 {
                on_progress((sent / total * 100.0).round() as u8);
            }
        });
        set(&get(&request, "upload"), "onprogress", progress.as_ref());
        // `loadend` follows success, failure, abort and timeout alike.
        let finished = Promise::new(&mut |resolve: Function, _reject: Function| {
            set(&request, "onloadend", &resolve);
        });
        call(&request, "send", std::slice::from_ref(file)).map_err(|_| ApiError::Network)?;
        let _ = JsFuture::from(finished).await;
        drop(progress);
        let status = number(&request, "status").unwrap_or(0.0) as u16;
        if status == 0 {
            return Err(ApiError::Network);
        }
        let text = text(&request, "responseText");
        if (200..300).contains(&status) {
            decode(Reply { status, text })
        } else {
            Err(self.failure(status, &text))
        }
    }
}
