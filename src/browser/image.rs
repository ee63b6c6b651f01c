//! Decoding a photo and encoding a smaller JPEG copy (`createImageBitmap`, a canvas and
//! `toBlob`).
use leptos::prelude::{document, window};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys::{Function, Promise};

use super::{call, number, set};

/// A decoded image (`ImageBitmap`), closed when dropped.
pub struct Bitmap(JsValue);

impl Bitmap {
    /// Decodes `file` (a `File` or `Blob`); `None` for anything the browser cannot decode.
    pub async fn decode(file: &JsValue) -> Option<Bitmap> {
        let decoding = call(&window(), "createImageBitmap", std::slice::from_ref(file)).ok()?;
        let bitmap = JsFuture::from(Promise::from(decoding)).await.ok()?;
        Some(Bitmap(bitmap))
    }

    /// (width, height) in pixels.
    pub fn size(&self) -> Option<(f64, f64)> {
        Some((number(&self.0, "width")?, number(&self.0, "height")?))
    }

    /// The image drawn at `width` × `height` on white (JPEG has no transparency: a transparent
    /// PNG gets a white page, not a black one) and encoded as a JPEG `Blob` at `quality`
    /// (0–1). The bitmap is released once drawn.
    pub async fn to_jpeg(self, width: f64, height: f64, quality: f64) -> Option<JsValue> {
        let canvas: JsValue = document().create_element("canvas").ok()?.into();
        set(&canvas, "width", &width.into());
        set(&canvas, "height", &height.into());
        let context = call(&canvas, "getContext", &["2d".into()]).ok()?;
        set(&context, "fillStyle", &"#fff".into());
        let area = [0.0.into(), 0.0.into(), width.into(), height.into()];
        call(&context, "fillRect", &area).ok()?;
        let drawn = call(
            &context,
            "drawImage",
            &[&[self.0.clone()][..], &area].concat(),
        );
        drop(self);
        drawn.ok()?;
        let encoded = Promise::new(&mut |resolve: Function, reject: Function| {
            let args = [resolve.into(), "image/jpeg".into(), quality.into()];
            if call(&canvas, "toBlob", &args).is_err() {
                let _ = reject.call0(&JsValue::NULL);
            }
        });
        JsFuture::from(encoded).await.ok()
    }
}

impl Drop for Bitmap {
    fn drop(&mut self) {
        let _ = call(&self.0, "close", &[]);
    }
}
