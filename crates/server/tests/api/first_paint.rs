//! A signed-in visit's first paint over real HTTP: `/card` opened with a session comes with the
//! member's code already drawn from the portal's own templates and the app's first answers in
//! the page, the token in it a real one; `/offers` with the catalogue's first page, the
//! districts and the categories as the API gives them; such a page is kept by no cache and
//! renews the session's cookies; every other visit gets the ordinary page.
use std::path::PathBuf;

use crate::common::{Backend, TestApp, spawn_app_with, temp_dir};
use serde_json::Value;

const ZHANG_WEI: &str = "13800000001";
/// Her card waits for activation: there is no code to show.
const LI_NA: &str = "13800000002";

/// A bundle with the repository's own `index.html` and first-paint templates.
pub(crate) fn dist_with_templates() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dist = temp_dir("dist-first-paint");
    std::fs::copy(root.join("index.html"), dist.join("index.html")).unwrap();
    std::fs::create_dir_all(dist.join("first-paint")).unwrap();
    for template in ["frame.html", "card.html", "offers.html"] {
        std::fs::copy(
            root.join("public/first-paint").join(template),
            dist.join("first-paint").join(template),
        )
        .unwrap();
    }
    dist
}

/// The page's first paint, from its opening tag on.
fn first_paint(page: &str) -> &str {
    let start = page
        .find(r#"<div id="first-paint""#)
        .unwrap_or_else(|| panic!("no first paint in {page}"));
    &page[start..]
}

/// The answer the page carries for `key`, as the API's JSON.
fn answer(given: &Value, key: &str) -> Value {
    let answer = &given["answers"][key];
    assert_eq!(answer["status"], 200, "{key}: {given}");
    serde_json::from_str(answer["text"].as_str().unwrap()).unwrap()
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
        for (open, close) in [("<script>", "</script>"), ("<style>", "</style>")] {
            let paint = first_paint(&page);
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
        let text = |key: &str| answer(&given, key);
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
        for path in [
            "/offers?category=dining",
            "/card?x=1",
            "/",
            "/card/elsewhere",
        ] {
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

on_both_databases!(
    a_signed_in_offers_visit_comes_with_the_first_page_drawn,
    |backend: Backend| async move {
        let mut app = app(backend).await;
        app.sign_in(ZHANG_WEI).await;
        let response = app.get("/offers").await;
        assert_eq!(cache_control(&response), "private, no-store");
        let page = response.text().await.unwrap();
        let paint = first_paint(&page);
        assert!(!page.contains("{{"), "every placeholder is filled");
        assert!(paint.contains(r##"data-drawn="#app .offer-list" data-seconds="""##));

        let offers: Value = app
            .get("/api/v1/offers?limit=20")
            .await
            .json()
            .await
            .unwrap();
        let districts: Value = app
            .get("/api/v1/offers/districts")
            .await
            .json()
            .await
            .unwrap();
        let given = answers(&page).expect("the page carries the app's first answers");
        assert_eq!(answer(&given, "GET /api/v1/offers?limit=20"), offers);
        assert_eq!(answer(&given, "GET /api/v1/offers/districts"), districts);
        assert!(given["answers"]["GET /api/v1/auth/session"].is_object());

        let items = offers["items"].as_array().unwrap();
        assert_eq!(paint.matches(r#"<li class="offer">"#).count(), items.len());
        let mut badges = 0;
        for offer in items {
            let id = offer["id"].as_str().unwrap();
            let merchant = offer["merchant_name"].as_str().unwrap();
            assert!(
                paint.contains(&format!(
                    r#"<a href="/offers/{id}"><strong class="offer-merchant">{merchant}</strong>"#
                )),
                "{merchant} is drawn as the app draws it"
            );
            match offer["stock_left"].as_u64() {
                Some(0) => assert!(paint.contains("已领完")),
                Some(left) => {
                    badges += 1;
                    assert!(paint.contains(&format!("剩余{left}份")), "{left} left");
                }
                None => {}
            }
        }
        assert_eq!(
            paint.matches("剩余").count(),
            badges,
            "a badge only for stock"
        );
        for district in districts.as_array().unwrap() {
            let option = format!(
                r#"<option value="{}">{}</option>"#,
                district["code"].as_str().unwrap(),
                district["name"].as_str().unwrap()
            );
            assert!(paint.contains(&option), "{option}");
        }
        for category in contract::offers::OfferCategory::ALL {
            let chip = format!(
                r#"<a href="/offers?category={}" class="chip">"#,
                category.as_str()
            );
            assert!(paint.contains(&chip), "{chip}");
        }
    }
);

on_both_databases!(
    a_first_paint_keeps_the_session_cookies_alive_as_an_api_call_would,
    |backend: Backend| async move {
        let mut app = app(backend).await;
        app.sign_in(ZHANG_WEI).await;
        app.state.clock.advance(60);
        let response = app.get("/offers").await;
        let renewed: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|value| value.to_str().unwrap().to_owned())
            .collect();
        let max_age = format!("Max-Age={}", app.state.config.session_idle_seconds);
        assert_eq!(renewed.len(), 2, "session and CSRF cookies: {renewed:?}");
        assert!(
            renewed.iter().all(|cookie| cookie.contains(&max_age)),
            "{renewed:?}"
        );
        assert!(answers(&response.text().await.unwrap()).is_some());
    }
);

on_both_databases!(
    a_member_who_chose_english_gets_the_answers_in_english,
    |backend: Backend| async move {
        let app = app(backend).await;
        // Signed in without the test client's cookie jar: the page language cookie that
        // `index.html` writes is set by hand.
        let signed_in = reqwest::Client::new()
            .post(app.url("/api/v1/auth/password-sign-in"))
            .json(&serde_json::json!({
                "phone": ZHANG_WEI,
                "password": server::seed::DEMO_PASSWORD,
            }))
            .send()
            .await
            .unwrap();
        let cookies: Vec<&str> = signed_in
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|value| value.to_str().ok()?.split(';').next())
            .collect();
        let visit = |lang: &'static str| {
            let cookie = format!("{}; portal-lang={lang}", cookies.join("; "));
            let client = reqwest::Client::new();
            let url = app.url("/offers");
            async move {
                let page = client
                    .get(url)
                    .header("cookie", cookie)
                    .send()
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap();
                answers(&page).expect("a first paint")
            }
        };
        let english: Value = app
            .client
            .get(app.url("/api/v1/offers?limit=20"))
            .header("accept-language", "en")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let given = visit("en").await;
        assert_eq!(given["lang"], "en");
        assert_eq!(answer(&given, "GET /api/v1/offers?limit=20"), english);
        let given = visit("zh-CN").await;
        assert_eq!(given["lang"], "zh-CN");
        assert_ne!(answer(&given, "GET /api/v1/offers?limit=20"), english);
    }
);
