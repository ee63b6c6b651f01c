//! The e-card's QR symbol as SVG path data: the portal draws it in the browser, and the server
//! draws the same symbol into a signed-in visit's first paint, so the two are pixel for pixel
//! one picture.
use qrcodegen::{QrCode, QrCodeEcc};

/// Quiet zone around the symbol, in modules, as the QR specification requires.
pub const QUIET_ZONE: i32 = 4;

/// The SVG path and side length (in modules, quiet zone included) of `text`'s QR symbol.
/// Returns `None` only when the text is too long for any QR version.
pub fn svg_path(text: &str) -> Option<(String, i32)> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = qr.size();
    let mut path = String::with_capacity((size * size * 4) as usize);
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + QUIET_ZONE, y + QUIET_ZONE));
            }
        }
    }
    Some((path, size + 2 * QUIET_ZONE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_token_encodes_to_a_version_with_quiet_zone() {
        let (path, side) = svg_path("ecard:abc123").expect("encodable");
        // Version 1 is 21 modules; with the quiet zone 29.
        assert!(side >= 29, "side {side}");
        assert!(
            path.starts_with(&format!("M{QUIET_ZONE},{QUIET_ZONE}")),
            "finder pattern at the corner"
        );
    }

    #[test]
    fn different_tokens_draw_different_symbols() {
        assert_ne!(svg_path("token-a"), svg_path("token-b"));
    }

    #[test]
    fn text_beyond_qr_capacity_is_refused_not_panicking() {
        assert_eq!(svg_path(&"x".repeat(5000)), None);
    }
}
