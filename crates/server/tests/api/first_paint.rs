//! A signed-in visit's first paint over real HTTP: `/card` opened with a session comes with the
//! member's code already drawn from the portal's own template and the app's first answers in
//! the page; the token in it is a real one; such a page is kept by no cache; every other visit
//! gets the ordinary page.
use std::path::PathBuf;

use crate::common::{Backend, TestApp, spawn_app_with, temp_dir};
use serde_json::Value;

const ZHANG_WEI: &str = "13800000001";
/// Her card waits for activation: there is no code to show.
const LI_NA: &str = "13800000002";

/// A bundle with the repository's own `index.html` and first-paint template.
fn dist_with_templates() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dist = temp_dir("dist-first-paint");
    std::fs::copy(root.join("index.html"), dist.join("index.html")).unwrap();
    std::fs::create_dir_all(dist.join("first-paint")).unwrap();
    std::fs::copy(
        root.join("public/first-paint/card.html"),
        dist.join("first-paint/card.html"),
    )
    .unwrap();
    dist
}

async fn app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |config| config.dist_dir = dist_with_templates()).await
}

/// The JSON of the page's `#portal-answers` block, if it has one.
fn answers(page: &str) -> Option<Value> {
    let open = r#"<script id="portal-answers" type="application/json">"#;
    let start = page.find(open)? + open.len();
    let end = start + page[start..].find("</script>")?;
    Some(serde_json::from_str(&page[start..end].replace("<\\/", "</")).unwrap())
}

fn cache_control(response: &reqwest::Response) -> String {
    response.headers()["cache-control"]
        .to_str()
        .unwrap()
        .to_owned()
}

on_both_databases!(
    a_signed_in_card_visit_comes_with_the_member_code_drawn,
    |backend: Backend| async move {
        let mut app = app(backend).await;
        app.sign_in(ZHANG_WEI).await;
        let card: Value = app.get("/api/v1/card").await.json().await.unwrap();
        let response = app.get("/card").await;
        assert_eq!(response.status(), 200);
        assert_eq!(cache_control(&response), "private, no-store");
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        let page = response.text().await.unwrap();
        assert!(page.contains(r#"<div id="first-paint""#), "{page}");
        for (open, close) in [("<script>", "</script>"), ("<style>", "</style>")] {
            let paint = &page[page.find(r#"<div id="first-paint""#).unwrap()..];
            let body = &paint[paint.find(open).unwrap() + open.len()..];
            let body = &body[..body.find(close).unwrap()];
            let hash = {
                use base64::Engine;
                use sha2::Digest;
                base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(body))
            };
            assert!(
                policy.contains(&format!("'sha256-{hash}'")),
                "the policy lets the first paint's {open} run: {policy}"
            );
        }
        assert!(!page.contains("{{"), "every placeholder is filled");
        let number = card["number_masked"].as_str().unwrap();
        assert!(page.contains(&format!(r#"<span class="card-number">{number}</span>"#)));
        for index in 0..16 {
            let full_number = server::seed::demo_card_number(index);
            assert!(
                !page.contains(&full_number),
                "a full card number left the server"
            );
        }

        let given = answers(&page).expect("the page carries the app's first answers");
        assert_eq!(given["lang"], "zh-CN");
        let text = |key: &str| -> Value {
            let answer = &given["answers"][key];
            assert_eq!(answer["status"], 200, "{key}: {given}");
            serde_json::from_str(answer["text"].as_str().unwrap()).unwrap()
        };
        assert_eq!(
            text("GET /api/v1/card"),
            card,
            "the same card the API gives"
        );
        let session: Value = app.get("/api/v1/auth/session").await.json().await.unwrap();
        assert_eq!(
            text("GET /api/v1/auth/session")["member_id"],
            session["member_id"]
        );
        let token = text("POST /api/v1/card/ecard-token")["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let (path, side) = contract::qr::svg_path(&token).unwrap();
        assert!(
            page.contains(&format!("viewBox='0 0 {side} {side}'"))
                && page.contains(&format!("%3Cpath d='{path}'/%3E")),
            "the drawn code is the token's"
        );
        let verdict = crate::ecard::verdict(&app.base, &token).await;
        assert_eq!(verdict["valid"], true, "a real, unused token: {verdict}");
    }
);

on_both_databases!(
    every_other_visit_gets_the_ordinary_page,
    |backend: Backend| async move {
        let app = app(backend).await;
        let signed_out = app.get("/card").await;
        assert_eq!(signed_out.status(), 200);
        assert_eq!(cache_control(&signed_out), "no-cache");
        let page = signed_out.text().await.unwrap();
        assert!(!page.contains(r#"id="first-paint""#) && answers(&page).is_none());
        assert!(
            page.contains("<!-- portal:first-paint -->"),
            "the marker stays unfilled"
        );

        let mut zhang = app;
        zhang.sign_in(ZHANG_WEI).await;
        for path in ["/offers", "/", "/card/elsewhere"] {
            let page = zhang.get(path).await.text().await.unwrap();
            assert!(!page.contains(r#"id="first-paint""#), "{path}");
        }

        let mut li =
            crate::common::spawn_app_with(backend, |c| c.dist_dir = dist_with_templates()).await;
        li.sign_in(LI_NA).await;
        let waiting = li.get("/card").await;
        assert_eq!(cache_control(&waiting), "no-cache");
        let page = waiting.text().await.unwrap();
        assert!(
            !page.contains(r#"id="first-paint""#) && answers(&page).is_none(),
            "no code to draw for a card awaiting activation"
        );
    }
);
