//! Making a phone photo small enough to send on a weak 4G link: a 12-megapixel photo is scaled
//! so its longer edge is at most 1600 px and re-encoded as JPEG, typically 200–500 KB instead
//! of 4–8 MB, and still readable for a reviewer. The browser does the work (see
//! `browser::image`).
use wasm_bindgen::JsValue;

use crate::browser::files;
use crate::browser::image::Bitmap;

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
    let is_image = matches!(files::mime_type(file).as_str(), "image/jpeg" | "image/png");
    if !is_image {
        return None;
    }
    Some((shrink(file).await?, jpeg_name(name)))
}

async fn shrink(file: &JsValue) -> Option<JsValue> {
    let bitmap = Bitmap::decode(file).await?;
    let (width, height) = bitmap.size()?;
    let size = files::size(file)?;
    let scale = (MAX_EDGE / width.max(height)).min(1.0);
    if scale == 1.0 && size < SMALL_BYTES {
        return None;
    }
    let (width, height) = ((width * scale).round(), (height * scale).round());
    let blob = bitmap.to_jpeg(width, height, QUALITY).await?;
    (files::size(&blob)? < size).then_some(blob)
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
