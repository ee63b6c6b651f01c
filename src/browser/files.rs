//! Files the member chose (`File`, `Blob`, a file input's `FileList`).
use wasm_bindgen::JsValue;

use super::{call, get, number, set, text};

/// The files chosen in the file input `input`, which is then emptied so the same file can be
/// chosen again.
pub fn take_chosen(input: &JsValue) -> Vec<JsValue> {
    let files = get(input, "files");
    let count = number(&files, "length").unwrap_or(0.0) as u32;
    let chosen = (0..count)
        .filter_map(|i| call(&files, "item", &[i.into()]).ok())
        .collect();
    set(input, "value", &"".into());
    chosen
}

/// A `File`'s name (empty for a plain `Blob`).
pub fn name(file: &JsValue) -> String {
    text(file, "name")
}

/// A `File`'s or `Blob`'s MIME type as the browser guessed it, e.g. `image/jpeg` (may be empty).
pub fn mime_type(file: &JsValue) -> String {
    text(file, "type")
}

/// A `File`'s or `Blob`'s size in bytes.
pub fn size(file: &JsValue) -> Option<f64> {
    number(file, "size")
}
