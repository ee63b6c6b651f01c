//! A signed-in visit's first paint. Opened with a session, `/card` is answered with the member's
//! e-card face already drawn — the masked card number and a fresh e-card code, filled into the
//! portal's own template (`first-paint/card.html` of the bundle) — and, in `#portal-answers`,
//! the answers to the requests the app would make first (session, card, e-card token), which
//! the route plan hands to the app's API client. The member sees their code one round trip
//! after tapping, not after the wasm has arrived; the app then draws the same screen from the
//! same answers (the same token, so the same code) and the first paint takes itself away (its
//! template's script).
//!
//! Such a page is personal: `Cache-Control: no-store`, and the service worker does not keep it.
//! Anything that does not work out (no template, no session, no active card, the API on another
//! origin) gives the ordinary page, which asks for the same things itself.
use std::path::Path;

use axum::http::HeaderMap;
use contract::qr;
use serde_json::json;

use super::card;
use crate::AppState;
use crate::extract::cookie;
use crate::lang::Lang;
use crate::sessions;
use crate::static_files::CONFIG_OPEN;

const PAINT_MARKER: &str = "<!-- portal:first-paint -->";
/// The answers are in the app's default language; the route plan drops them for a member who
/// chose another (and the app asks again), while the template's labels follow the page's `lang`.
const ANSWER_LANG: (&str, Lang) = ("zh-CN", Lang::Zh);

/// The portal's first-paint templates, read with `index.html`.
#[derive(Default)]
pub struct Templates {
    card: Option<String>,
}

impl Templates {
    pub fn load(dist_dir: &Path) -> Templates {
        Templates {
            card: std::fs::read_to_string(dist_dir.join("first-paint/card.html")).ok(),
        }
    }

    /// Every template's markup, for the page's Content-Security-Policy (each carries the
    /// inline style and script that lay it over the page and take it away).
    pub fn markup(&self) -> &str {
        self.card.as_deref().unwrap_or("")
    }
}

/// `index` with the first paint of `path` for the session in `headers`, if there is one to draw.
pub async fn page(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    index: &str,
) -> Option<String> {
    if path != "/card" {
        return None;
    }
    let template = state.portal.first_paint.card.as_deref()?;
    let api = same_origin_api_base(&state.config.portal_api_base)?;
    let token = cookie(headers, sessions::session_cookie_name(&state.config))?;
    let session = sessions::touch(state, &token).await.ok()??;
    let described = sessions::describe(state, &session.token_hash)
        .await
        .ok()??;
    let card_id = card::active_card(state, &session.member_id).await.ok()?;
    let card = card::describe(state, ANSWER_LANG.1, &session.member_id)
        .await
        .ok()?;
    let ecard = card::mint_ecard_token(state, &card_id);
    let paint = fill(
        template,
        &[
            ("seconds", &ecard.valid_for_seconds.to_string()),
            (
                "number",
                &escape(card.number_masked.as_deref().unwrap_or("")),
            ),
            ("code", &qr_image(&ecard.token)?),
        ],
    );
    let answers = json!({
        "lang": ANSWER_LANG.0,
        "answers": {
            format!("GET {api}/v1/auth/session"): answer(&described)?,
            format!("GET {api}/v1/card"): answer(&card)?,
            format!("POST {api}/v1/card/ecard-token"): answer(&ecard)?,
        }
    });
    with_paint(index, &paint, &answers.to_string())
}

/// The QR symbol of `text` as an SVG image address. An image, not inline SVG as the app draws
/// it: the browser counts an image as the page's largest content, and the code is what the
/// member came for.
fn qr_image(text: &str) -> Option<String> {
    let (path, side) = qr::svg_path(text)?;
    // `path` is only letters, digits and commas: nothing to escape in it.
    Some(format!(
        "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {side} {side}' \
         shape-rendering='crispEdges'%3E%3Crect width='{side}' height='{side}' fill='white'/%3E\
         %3Cpath d='{path}'/%3E%3C/svg%3E"
    ))
}

/// The API base when it is a path on this origin (only then can the page's cookies be seen
/// here), without its trailing slash.
fn same_origin_api_base(base: &str) -> Option<&str> {
    let base = base.trim_end_matches('/');
    (base.starts_with('/') && !base.starts_with("//")).then_some(base)
}

/// One answer as the route plan keeps it: the status and the body's text.
fn answer(body: &impl serde::Serialize) -> Option<serde_json::Value> {
    Some(json!({ "status": 200, "text": serde_json::to_string(body).ok()? }))
}

/// The page with `answers` after the configuration block (before the route plan reads it) and
/// `paint` at the top of `<body>`. `</` is escaped so no value can close the data block.
fn with_paint(index: &str, paint: &str, answers: &str) -> Option<String> {
    let config_end = index.find(CONFIG_OPEN)? + CONFIG_OPEN.len();
    let answers_at = config_end + index[config_end..].find("</script>")? + "</script>".len();
    let paint_at = index.find(PAINT_MARKER)?;
    (answers_at < paint_at).then(|| {
        format!(
            "{}\n  <script id=\"portal-answers\" type=\"application/json\">{}</script>{}{}{}",
            &index[..answers_at],
            answers.replace("</", "<\\/"),
            &index[answers_at..paint_at],
            paint,
            &index[paint_at + PAINT_MARKER.len()..],
        )
    })
}

/// `template` with each `{{name}}` replaced by its value; unknown names are left as they are.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 4096);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            rest = &rest[start..];
            break;
        };
        match values.iter().find(|(name, _)| *name == &after[..end]) {
            Some((_, value)) => out.push_str(value),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Text for an HTML element or attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = "<head><script id=\"portal-config\" type=\"application/json\">{}</script><!-- portal:assets --></head><body>\n<!-- portal:first-paint -->\n<header id=\"brand\"></header></body>";

    #[test]
    fn the_answers_go_before_the_route_plan_and_the_paint_to_the_top_of_the_body() {
        let page = with_paint(INDEX, "<div id=\"first-paint\"></div>", "{\"a\":1}").unwrap();
        let answers = page.find("portal-answers").unwrap();
        assert!(answers < page.find("portal:assets").unwrap(), "{page}");
        assert!(
            page.contains("<body>\n<div id=\"first-paint\"></div>\n<header"),
            "{page}"
        );
        assert!(!page.contains(PAINT_MARKER));
    }

    #[test]
    fn no_value_can_close_the_answers_block() {
        let page = with_paint(INDEX, "", r#"{"name":"</script><b>"}"#).unwrap();
        assert!(!page.contains("</script><b>"), "{page}");
    }

    #[test]
    fn a_page_without_the_markers_gets_no_first_paint() {
        assert_eq!(with_paint("<body></body>", "x", "{}"), None);
    }

    #[test]
    fn placeholders_are_filled_once_and_values_are_not_read_again() {
        let filled = fill(
            "<p>{{number}}</p><svg viewBox=\"0 0 {{side}} {{side}}\">{{other}}",
            &[("number", "{{side}}"), ("side", "29")],
        );
        assert_eq!(
            filled,
            "<p>{{side}}</p><svg viewBox=\"0 0 29 29\">{{other}}"
        );
    }

    #[test]
    fn the_code_is_an_svg_image_of_the_token() {
        let image = qr_image("e1.k.abc").unwrap();
        let (path, side) = qr::svg_path("e1.k.abc").unwrap();
        assert!(image.starts_with("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'"));
        assert!(image.contains(&format!("viewBox='0 0 {side} {side}'")));
        assert!(image.contains(&format!("%3Cpath d='{path}'/%3E")));
        assert!(
            !image.contains(['"', '<', '>', '#', '&']),
            "nothing that would end the attribute or the address: {image}"
        );
    }

    #[test]
    fn text_is_escaped_for_html() {
        assert_eq!(
            escape(r#"<b a="1">&'"#),
            "&lt;b a=&quot;1&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn only_an_api_on_this_origin_has_answers_drawn_here() {
        assert_eq!(same_origin_api_base("/api/"), Some("/api"));
        assert_eq!(same_origin_api_base("https://api.union.example"), None);
        assert_eq!(same_origin_api_base("//api.union.example"), None);
    }
}
