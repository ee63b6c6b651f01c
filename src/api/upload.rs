//! Uploading a supporting document with progress (through `browser::upload`: only the aid
//! screens upload, and `fetch` cannot report how much of a body has been sent).
use contract::aid::Attachment;
use wasm_bindgen::JsValue;

use super::client::{Reply, decode};
use super::{ApiClient, ApiError};
use crate::browser::{files, upload};

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
        let content_type = files::mime_type(file);
        let headers = self
            .common_headers()
            .into_iter()
            .chain((!content_type.is_empty()).then_some(("Content-Type", content_type)));
        let answer = upload::post_with_progress(
            &url,
            headers,
            file,
            UPLOAD_TIMEOUT_MS,
            self.cross_origin(),
            on_progress,
        )
        .await
        .map_err(|_| ApiError::Network)?;
        if (200..300).contains(&answer.status) {
            decode(Reply {
                status: answer.status,
                text: answer.text,
            })
        } else {
            Err(self.failure(answer.status, &answer.text))
        }
    }
}
