//! Kiosk rules over real HTTP on SQLite and PostgreSQL: kiosk sign-in only on kiosk
//! deployments and for active cards, what a kiosk session may reach (every route walked against
//! `session_rules`), enrolled kiosk devices, kiosk sessions tied to their kiosk, and sessions
//! that end when they should.
use crate::common::{Backend, TestApp, client, spawn_app, spawn_app_with};
use axum::http::Method;
use serde_json::{Value, json};
use server::session_rules::{Access, RULES, access};

const ZHANG_WEI: &str = "13800000001";
const LI_NA: &str = "13800000008";
const LOST: &str = "13800000005";
const FROZEN: &str = "13800000006";
const CANCELLED: &str = "13800000007";

async fn envelope(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

/// Another browser on the same server.
fn browser_of(app: &TestApp) -> TestApp {
    TestApp {
        base: app.base.clone(),
        state: app.state.clone(),
        client: client(),
        csrf: None,
    }
}

async fn card_number(app: &TestApp, phone: &str) -> String {
    sqlx::query_scalar(
        "SELECT c.number FROM cards c JOIN members m ON m.id = c.member_id WHERE m.phone = $1",
    )
    .bind(phone)
    .fetch_one(&app.state.db)
    .await
    .unwrap()
}

/// Card and PIN at the kiosk; on a kiosk deployment the browser is enrolled first, as only
/// enrolled kiosk devices may sign in.
async fn kiosk_sign_in_request(app: &TestApp, phone: &str) -> reqwest::Response {
    if app.state.config.kiosk {
        app.enrol_as_kiosk().await;
    }
    let number = card_number(app, phone).await;
    app.post(
        "/api/v1/auth/kiosk-sign-in",
        json!({ "card_number": number, "pin": server::seed::DEMO_PIN }),
    )
    .await
}

/// Signs `app` in at the kiosk with the member's card and PIN; remembers the CSRF token.
async fn kiosk_sign_in(app: &mut TestApp, phone: &str) {
    let response = kiosk_sign_in_request(app, phone).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let session: Value = response.json().await.unwrap();
    assert_eq!(session["kind"], "kiosk");
    app.csrf = session["csrf_token"].as_str().map(str::to_owned);
}

async fn session_status(app: &TestApp) -> u16 {
    app.get("/api/v1/auth/session").await.status().as_u16()
}

on_both_databases!(
    kiosk_sign_in_exists_only_on_kiosk_deployments,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let response = kiosk_sign_in_request(&app, ZHANG_WEI).await;
        assert_eq!(response.status(), 404);
        assert_eq!(envelope(response).await["code"], "not_found");
        assert_eq!(session_status(&app).await, 401);
    }
);

on_both_databases!(
    only_an_enrolled_kiosk_device_may_try_a_card_and_pin,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |config| config.kiosk = true).await;
        let number = card_number(&app, ZHANG_WEI).await;
        // A browser that is not an enrolled kiosk: neither a wrong nor the right PIN is tried.
        for pin in [
            "000000",
            "000000",
            "000000",
            "000000",
            "000000",
            "000000",
            server::seed::DEMO_PIN,
        ] {
            let response = app
                .post(
                    "/api/v1/auth/kiosk-sign-in",
                    json!({ "card_number": number, "pin": pin }),
                )
                .await;
            assert_eq!(response.status(), 403);
            assert_eq!(envelope(response).await["code"], "kiosk_not_enrolled");
        }
        assert_eq!(session_status(&app).await, 401);
        // Those tries did not count: the enrolled kiosk has every try left.
        app.enrol_as_kiosk().await;
        let wrong = app
            .post(
                "/api/v1/auth/kiosk-sign-in",
                json!({ "card_number": number, "pin": "000000" }),
            )
            .await;
        assert_eq!(wrong.status(), 401);
        let body = envelope(wrong).await;
        assert_eq!(
            body["attempts_remaining"].as_u64(),
            Some(app.state.config.max_failed_attempts as u64 - 1),
            "{body}"
        );
        let right = kiosk_sign_in_request(&app, ZHANG_WEI).await;
        assert_eq!(right.status(), 200);
    }
);

on_both_databases!(
    kiosk_sign_in_refuses_cards_that_are_not_active_and_says_what_to_do,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |config| config.kiosk = true).await;
        for (phone, step_zh) in [
            (LOST, "补办新卡"),
            (FROZEN, "会籍续转"),
            (CANCELLED, "12351"),
        ] {
            let response = kiosk_sign_in_request(&app, phone).await;
            assert_eq!(response.status(), 403, "{phone}");
            let body = envelope(response).await;
            assert_eq!(body["code"], "kiosk_card_not_active", "{phone}");
            let message = body["message"].as_str().unwrap();
            assert!(message.contains(step_zh), "{phone}: {message}");
            assert_eq!(session_status(&app).await, 401, "{phone} got a session");
        }
        let english = app
            .client
            .post(app.url("/api/v1/auth/kiosk-sign-in"))
            .header("accept-language", "en")
            .json(&json!({ "card_number": card_number(&app, LOST).await, "pin": server::seed::DEMO_PIN }))
            .send()
            .await
            .unwrap();
        let body = envelope(english).await;
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("partner bank branch for a replacement"),
            "{body}"
        );
        // A wrong PIN says nothing about the card's state.
        let number = card_number(&app, LOST).await;
        let wrong = app
            .post(
                "/api/v1/auth/kiosk-sign-in",
                json!({ "card_number": number, "pin": "000000" }),
            )
            .await;
        assert_eq!(wrong.status(), 401);
        assert_eq!(envelope(wrong).await["code"], "credentials_incorrect");
    }
);

/// Every operation of the OpenAPI document, as (method, path template).
fn every_operation() -> Vec<(Method, String)> {
    let document = server::http::openapi::api();
    let mut operations = Vec::new();
    for (path, item) in &document.paths.paths {
        for (method, present) in [
            (Method::GET, item.get.is_some()),
            (Method::POST, item.post.is_some()),
            (Method::PUT, item.put.is_some()),
            (Method::DELETE, item.delete.is_some()),
            (Method::PATCH, item.patch.is_some()),
        ] {
            if present {
                operations.push((method, path.clone()));
            }
        }
    }
    operations
}

#[test]
fn the_rule_table_lists_exactly_the_documented_operations() {
    let mut documented: Vec<String> = every_operation()
        .into_iter()
        .filter(|(_, path)| path.starts_with("/api/v1/"))
        .map(|(method, path)| format!("{method} {path}"))
        .collect();
    // The development outbox (`--dev-outbox`) is deliberately not in the contract.
    let mut listed: Vec<String> = RULES
        .iter()
        .filter(|(_, path, _)| *path != "/dev/outbox")
        .map(|(method, path, _)| format!("{method} /api/v1{path}"))
        .collect();
    documented.sort();
    listed.sort();
    assert_eq!(documented, listed);
}

on_both_databases!(
    every_route_answers_a_kiosk_session_as_the_rule_says,
    |backend: Backend| async move {
        let mut kiosk = spawn_app_with(backend, |config| config.kiosk = true).await;
        let mut forbidden = 0;
        for (method, path) in every_operation() {
            // A fresh kiosk session each time: some operations (sign-out) end it.
            kiosk_sign_in(&mut kiosk, ZHANG_WEI).await;
            let url = kiosk.url(&path.replace("{id}", "x"));
            let mut request = kiosk
                .client
                .request(method.clone(), url)
                .header("x-csrf-token", kiosk.csrf.clone().unwrap());
            if method == Method::POST {
                request = request.json(&json!({}));
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            let refused = status == 403 && body["code"] == "kiosk_forbidden";
            match access(&method, &path) {
                Access::MemberOnly => {
                    assert!(refused, "{method} {path} answered {status} {body}");
                    assert!(
                        body["message"].as_str().unwrap().contains("自助终端"),
                        "{body}"
                    );
                    forbidden += 1;
                }
                Access::AnySession | Access::Public => {
                    assert!(!refused, "{method} {path} refused a kiosk session");
                }
            }
        }
        assert_eq!(
            forbidden,
            RULES
                .iter()
                .filter(|(_, _, a)| *a == Access::MemberOnly)
                .count()
        );
    }
);

on_both_databases!(
    a_kiosk_session_cannot_bind_wechat_nor_download_aid_documents,
    |backend: Backend| async move {
        let mut kiosk = spawn_app_with(backend, |config| config.kiosk = true).await;
        // The member uploads a document from the phone…
        let mut phone = browser_of(&kiosk);
        phone.sign_in(ZHANG_WEI).await;
        let uploaded = phone
            .client
            .post(phone.url("/api/v1/aid/attachments"))
            .query(&[("filename", "proof.pdf")])
            .header("x-csrf-token", phone.csrf.clone().unwrap())
            .header("content-type", "application/pdf")
            .body(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(uploaded.status(), 201, "{}", uploaded.text().await.unwrap());
        let id = envelope(uploaded).await["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/aid/attachments/{id}");
        assert_eq!(phone.get(&path).await.status(), 200);
        // …which a kiosk session of the same member cannot fetch.
        kiosk_sign_in(&mut kiosk, ZHANG_WEI).await;
        let fetched = kiosk.get(&path).await;
        assert_eq!(fetched.status(), 403);
        assert_eq!(envelope(fetched).await["code"], "kiosk_forbidden");
        let bind = kiosk
            .post("/api/v1/auth/wechat/bind", json!({ "bind_token": "x" }))
            .await;
        assert_eq!(bind.status(), 403);
        assert_eq!(envelope(bind).await["code"], "kiosk_forbidden");
        // What the counter needs still works.
        assert_eq!(kiosk.get("/api/v1/card").await.status(), 200);
        assert_eq!(kiosk.get("/api/v1/me").await.status(), 200);
    }
);

on_both_databases!(
    a_new_kiosk_sign_in_ends_the_cards_earlier_kiosk_sessions,
    |backend: Backend| async move {
        let mut first = spawn_app_with(backend, |config| config.kiosk = true).await;
        let mut second = browser_of(&first);
        let mut phone = browser_of(&first);
        phone.sign_in(ZHANG_WEI).await;
        kiosk_sign_in(&mut first, ZHANG_WEI).await;
        assert_eq!(session_status(&first).await, 200);
        kiosk_sign_in(&mut second, ZHANG_WEI).await;
        assert_eq!(session_status(&first).await, 401, "the old kiosk session");
        assert_eq!(session_status(&second).await, 200);
        assert_eq!(session_status(&phone).await, 200, "the phone's session");
    }
);

on_both_databases!(
    reporting_the_card_lost_ends_every_other_session_of_the_member,
    |backend: Backend| async move {
        let mut reporter = spawn_app_with(backend, |config| config.kiosk = true).await;
        let mut laptop = browser_of(&reporter);
        let mut kiosk = browser_of(&reporter);
        let mut someone_else = browser_of(&reporter);
        reporter.sign_in(ZHANG_WEI).await;
        laptop.sign_in(ZHANG_WEI).await;
        kiosk_sign_in(&mut kiosk, ZHANG_WEI).await;
        someone_else.sign_in(LI_NA).await;
        let reported = reporter
            .post("/api/v1/card/report-loss", json!({ "reason": "lost" }))
            .await;
        assert_eq!(reported.status(), 200, "{}", reported.text().await.unwrap());
        assert_eq!(session_status(&reporter).await, 200, "the reporting phone");
        assert_eq!(session_status(&laptop).await, 401);
        assert_eq!(session_status(&kiosk).await, 401);
        assert_eq!(session_status(&someone_else).await, 200);
        // And the lost card cannot sign in at the kiosk any more.
        let again = kiosk_sign_in_request(&kiosk, ZHANG_WEI).await;
        assert_eq!(envelope(again).await["code"], "kiosk_card_not_active");
    }
);

on_both_databases!(
    a_card_lost_or_cancelled_at_the_bank_ends_all_the_members_sessions,
    |backend: Backend| async move {
        use server::card_lifecycle::{CardEventKind, apply};
        let mut zhang = spawn_app_with(backend, |config| config.kiosk = true).await;
        let mut zhang_kiosk = browser_of(&zhang);
        let mut li = browser_of(&zhang);
        zhang.sign_in(ZHANG_WEI).await;
        kiosk_sign_in(&mut zhang_kiosk, ZHANG_WEI).await;
        li.sign_in(LI_NA).await;
        let state = zhang.state.clone();
        apply(&state, "mem_demo001", CardEventKind::ReportedLost, None)
            .await
            .unwrap();
        assert_eq!(session_status(&zhang).await, 401);
        assert_eq!(session_status(&zhang_kiosk).await, 401);
        assert_eq!(session_status(&li).await, 200);
        let li_id = server::admin::member_by_phone(&state, LI_NA).await.unwrap();
        apply(&state, &li_id, CardEventKind::Cancelled, None)
            .await
            .unwrap();
        assert_eq!(session_status(&li).await, 401);
    }
);

on_both_databases!(
    signing_out_everywhere_ends_every_session_of_the_member_only,
    |backend: Backend| async move {
        let mut phone = spawn_app_with(backend, |config| config.kiosk = true).await;
        let mut laptop = browser_of(&phone);
        let mut kiosk = browser_of(&phone);
        let mut someone_else = browser_of(&phone);
        phone.sign_in(ZHANG_WEI).await;
        laptop.sign_in(ZHANG_WEI).await;
        someone_else.sign_in(LI_NA).await;
        kiosk_sign_in(&mut kiosk, ZHANG_WEI).await;
        let from_kiosk = kiosk
            .post("/api/v1/auth/sign-out-everywhere", json!({}))
            .await;
        assert_eq!(from_kiosk.status(), 403);
        assert_eq!(envelope(from_kiosk).await["code"], "kiosk_forbidden");
        assert_eq!(session_status(&laptop).await, 200);

        let csrf = phone.csrf.take();
        let forged = phone
            .post("/api/v1/auth/sign-out-everywhere", json!({}))
            .await;
        assert_eq!(forged.status(), 403, "no CSRF token");
        phone.csrf = csrf;
        let done = phone
            .post("/api/v1/auth/sign-out-everywhere", json!({}))
            .await;
        assert_eq!(done.status(), 204);
        let cleared: Vec<String> = done
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        assert!(
            cleared.iter().all(|c| c.contains("Max-Age=0")) && cleared.len() == 2,
            "{cleared:?}"
        );
        for app in [&phone, &laptop, &kiosk] {
            assert_eq!(session_status(app).await, 401);
        }
        assert_eq!(session_status(&someone_else).await, 200);
    }
);

/// A kiosk browser that does not follow redirects, so the enrolment's 303 is visible.
fn kiosk_browser(app: &TestApp) -> TestApp {
    TestApp {
        client: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        ..browser_of(app)
    }
}

/// Enrols `kiosk`'s browser as the kiosk `name` through the enrolment page and its form.
async fn enrol(kiosk: &TestApp, name: &str) -> String {
    let state = &kiosk.state;
    let token = server::admin::kiosk::enroll(&state.db, state.clock.now(), name)
        .await
        .unwrap();
    let page = kiosk
        .get(&format!("/api/v1/kiosk/enrol?token={token}"))
        .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("value=\"{token}\"")), "{html}");
    let enrolled = kiosk
        .client
        .post(kiosk.url("/api/v1/kiosk/enrol"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(enrolled.status(), 303);
    assert_eq!(enrolled.headers()["location"], "/kiosk");
    let cookie = enrolled.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with("portal_kiosk_device=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    token
}

on_both_databases!(
    only_enrolled_kiosks_get_hand_off_codes_and_claim_them,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |config| config.kiosk = true).await;
        let kiosk = kiosk_browser(&app);
        let refused = kiosk.post("/api/v1/auth/kiosk-handoff", json!({})).await;
        assert_eq!(refused.status(), 403);
        assert_eq!(envelope(refused).await["code"], "kiosk_not_enrolled");

        let token = enrol(&kiosk, "Centre 1, kiosk A").await;
        let reused = kiosk_browser(&app)
            .client
            .post(app.url("/api/v1/kiosk/enrol"))
            .form(&[("token", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(reused.status(), 410);
        assert_eq!(envelope(reused).await["code"], "enrolment_expired");

        let created = kiosk.post("/api/v1/auth/kiosk-handoff", json!({})).await;
        assert_eq!(created.status(), 201);
        let handoff = envelope(created).await;
        let claim = json!({ "code": handoff["code"], "poll_token": handoff["poll_token"] });
        // Another browser holding the code and poll token is not the kiosk that showed it.
        let elsewhere = browser_of(&app)
            .post("/api/v1/auth/kiosk-handoff/claim", claim.clone())
            .await;
        assert_eq!(elsewhere.status(), 403);
        assert_eq!(envelope(elsewhere).await["code"], "kiosk_not_enrolled");
        let waiting = kiosk
            .post("/api/v1/auth/kiosk-handoff/claim", claim.clone())
            .await;
        assert_eq!(envelope(waiting).await["status"], "waiting");

        // Revoked: the credential stops working at once.
        let printed = server::admin::kiosk::run(
            &app.state.db,
            app.state.clock.now(),
            server::admin::kiosk::KioskCommand::Revoke {
                name: "Centre 1, kiosk A".into(),
            },
        )
        .await
        .unwrap();
        assert!(printed.contains("revoked"), "{printed}");
        let after = kiosk.post("/api/v1/auth/kiosk-handoff", json!({})).await;
        assert_eq!(after.status(), 403);
        let claimed = kiosk.post("/api/v1/auth/kiosk-handoff/claim", claim).await;
        assert_eq!(claimed.status(), 403);
    }
);

/// The session cookie a sign-in set (`name=value`), as someone could copy it elsewhere.
fn session_cookie(signed_in: &reqwest::Response) -> String {
    signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|cookie| cookie.starts_with("portal_session="))
        .and_then(|cookie| cookie.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

on_both_databases!(
    a_kiosk_session_works_only_on_its_kiosk_and_ends_when_the_kiosk_is_revoked,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |config| {
            config.kiosk = true;
            config.dist_dir = crate::first_paint::dist_with_templates();
        })
        .await;
        let kiosk = browser_of(&app);
        let signed_in = kiosk_sign_in_request(&kiosk, ZHANG_WEI).await;
        assert_eq!(signed_in.status(), 200);
        let drawn = |page: &str| page.contains(r#"<script id="portal-answers""#);
        let on_the_kiosk = kiosk.get("/card").await.text().await.unwrap();
        assert!(drawn(&on_the_kiosk), "on the kiosk, /card comes drawn");
        // The session cookie copied into a browser that is not the kiosk opens nothing, not
        // even the first paint of a page, and the session ends.
        let copied = session_cookie(&signed_in);
        let elsewhere = |path: &str| {
            reqwest::Client::new()
                .get(app.url(path))
                .header("cookie", &copied)
                .send()
        };
        let card = elsewhere("/api/v1/card").await.unwrap();
        assert_eq!(card.status(), 401);
        assert_eq!(envelope(card).await["code"], "unauthenticated");
        let page = elsewhere("/card").await.unwrap().text().await.unwrap();
        assert!(!drawn(&page), "{page}");
        assert_eq!(session_status(&kiosk).await, 401, "ended, on the kiosk too");

        // Signed in again at the kiosk; revoking the kiosk ends its session at once.
        let again = kiosk_sign_in_request(&kiosk, ZHANG_WEI).await;
        assert_eq!(again.status(), 200);
        assert_eq!(session_status(&kiosk).await, 200);
        let name: String = sqlx::query_scalar(
            "SELECT d.name FROM kiosk_devices d JOIN sessions s ON s.device_id = d.id
             WHERE s.kind = 'kiosk'",
        )
        .fetch_one(&app.state.db)
        .await
        .unwrap();
        let revoke = server::admin::kiosk::KioskCommand::Revoke { name };
        server::admin::kiosk::run(&app.state.db, app.state.clock.now(), revoke)
            .await
            .unwrap();
        let kiosk_sessions: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE kind = 'kiosk'")
                .fetch_one(&app.state.db)
                .await
                .unwrap();
        assert_eq!(kiosk_sessions, 0);
        assert_eq!(session_status(&kiosk).await, 401);
    }
);

on_both_databases!(
    a_phone_approval_does_not_sign_a_kiosk_in_for_a_card_that_is_not_active,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |config| config.kiosk = true).await;
        let kiosk = kiosk_browser(&app);
        enrol(&kiosk, "kiosk B").await;
        let handoff = envelope(kiosk.post("/api/v1/auth/kiosk-handoff", json!({})).await).await;
        let mut phone = browser_of(&app);
        phone.sign_in(FROZEN).await;
        let approved = phone
            .post(
                "/api/v1/auth/kiosk-handoff/approve",
                json!({ "code": handoff["code"] }),
            )
            .await;
        assert_eq!(approved.status(), 204);
        let claim = json!({ "code": handoff["code"], "poll_token": handoff["poll_token"] });
        let refused = kiosk.post("/api/v1/auth/kiosk-handoff/claim", claim).await;
        assert_eq!(refused.status(), 403);
        assert_eq!(envelope(refused).await["code"], "kiosk_card_not_active");
        assert_eq!(session_status(&kiosk).await, 401);
    }
);

on_both_databases!(
    enrolment_needs_a_kiosk_deployment_and_a_real_token,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let page = app
            .get(&format!("/api/v1/kiosk/enrol?token={}", "a".repeat(32)))
            .await;
        assert_eq!(page.status(), 404);
        let kiosk = spawn_app_with(backend, |config| config.kiosk = true).await;
        let malformed = kiosk.get("/api/v1/kiosk/enrol?token=<script>").await;
        assert_eq!(malformed.status(), 404);
        let unknown = kiosk_browser(&kiosk)
            .client
            .post(kiosk.url("/api/v1/kiosk/enrol"))
            .form(&[("token", "b".repeat(32))])
            .send()
            .await
            .unwrap();
        assert_eq!(unknown.status(), 410);
    }
);
