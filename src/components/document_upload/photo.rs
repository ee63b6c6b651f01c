//! Making a phone photo small enough to send on a weak 4G link: a 12-megapixel photo is scaled
//! so its longer edge is at most 1600 px and re-encoded as JPEG, typically 200–500 KB instead
//! of 4–8 MB, and still readable for a reviewer. Browser APIs are reached through `browser`
//! (see there why).
use leptos::prelude::{document, window};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys::{Function, Promise};

use crate::browser::{call, number, set, text};

/// Longest edge after shrinking, in pixels.
const MAX_EDGE: f64 = 1600.0;
/// JPEG quality: text on certificates stays sharp.
const QUALITY: f64 = 0.82;
/// Images smaller than this are sent as they are when they are small in pixels too.
const SMALL_BYTES: f64 = 600.0 * 1024.0;

/// A shrunk JPEG copy of `file` named after `name`, for a photo that benefits; `None` for
/// PDFs, small images and anything the browser cannot decode (sent as they are: the server
/// then says what is wrong with it).
pub async fn shrunk(file: &JsValue, name: &str) -> Option<(JsValue, String)> {
    let is_image = matches!(text(file, "type").as_str(), "image/jpeg" | "image/png");
    if !is_image {
        return None;
    }
    Some((shrink(file).await?, jpeg_name(name)))
}

async fn shrink(file: &JsValue) -> Option<JsValue> {
    let decoding = call(&window(), "createImageBitmap", std::slice::from_ref(file)).ok()?;
    let bitmap = JsFuture::from(Promise::from(decoding)).await.ok()?;
    let (width, height) = (number(&bitmap, "width")?, number(&bitmap, "height")?);
    let size = number(file, "size")?;
    let scale = (MAX_EDGE / width.max(height)).min(1.0);
    if scale == 1.0 && size < SMALL_BYTES {
        let _ = call(&bitmap, "close", &[]);
        return None;
    }
    let (width, height) = ((width * scale).round(), (height * scale).round());
    let canvas: JsValue = document().create_element("canvas").ok()?.into();
    set(&canvas, "width", &width.into());
    set(&canvas, "height", &height.into());
    let context = call(&canvas, "getContext", &["2d".into()]).ok()?;
    // JPEG has no transparency: a transparent PNG gets a white page, not a black one.
    set(&context, "fillStyle", &"#fff".into());
    let area = [0.0.into(), 0.0.into(), width.into(), height.into()];
    call(&context, "fillRect", &area).ok()?;
    let drawn = call(
        &context,
        "drawImage",
        &[&[bitmap.clone()][..], &area].concat(),
    );
    let _ = call(&bitmap, "close", &[]);
    drawn.ok()?;
    let encoded = Promise::new(&mut |resolve: Function, reject: Function| {
        let args = [resolve.into(), "image/jpeg".into(), QUALITY.into()];
        if call(&canvas, "toBlob", &args).is_err() {
            let _ = reject.call0(&JsValue::NULL);
        }
    });
    let blob = JsFuture::from(encoded).await.ok()?;
    (number(&blob, "size")? < size).then_some(blob)
}

/// `IMG_2041.PNG` → `IMG_2041.jpg`: the server checks that a name agrees with the content.
fn jpeg_name(name: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    format!("{stem}.jpg")
}

#[cfg(test)]
mod tests {
    use super::jpeg_name;

    #[test]
    fn a_shrunk_photo_is_named_as_a_jpeg() {
        assert_eq!(jpeg_name("IMG_2041.PNG"), "IMG_2041.jpg");
        assert_eq!(jpeg_name("证明.jpeg"), "证明.jpg");
        assert_eq!(jpeg_name("scan"), "scan.jpg");
    }
}
