//! Sign-in, sessions, throttling, lockout and CSRF over real HTTP, on SQLite and PostgreSQL.
use crate::common::{Backend, spawn_app, spawn_app_with};
use serde_json::{Value, json};

const ACTIVE: &str = "13800000001";

async fn envelope(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

on_both_databases!(
    a_code_from_the_outbox_signs_the_member_in,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let code = app.sms_code(ACTIVE).await;
        let response = app
            .post(
                "/api/v1/auth/sms-sign-in",
                json!({ "phone": ACTIVE, "code": code }),
            )
            .await;
        assert_eq!(response.status(), 200);
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let session: Value = response.json().await.unwrap();
        assert_eq!(session["display_name"], "张伟");
        assert_eq!(session["kind"], "member");
        let current = app.get("/api/v1/auth/session").await;
        assert_eq!(current.status(), 200);
    }
);

on_both_databases!(
    a_wrong_code_is_rejected_and_five_wrong_tries_burn_it,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let code = app.sms_code(ACTIVE).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for attempt in 1..=5 {
            let response = app
                .post(
                    "/api/v1/auth/sms-sign-in",
                    json!({ "phone": ACTIVE, "code": wrong }),
                )
                .await;
            assert_eq!(response.status(), 401);
            let expected = if attempt < 5 {
                "code_incorrect"
            } else {
                "code_locked"
            };
            assert_eq!(
                envelope(response).await["code"],
                expected,
                "attempt {attempt}"
            );
        }
        let response = app
            .post(
                "/api/v1/auth/sms-sign-in",
                json!({ "phone": ACTIVE, "code": code }),
            )
            .await;
        assert_eq!(
            envelope(response).await["code"],
            "code_locked",
            "the right code no longer works"
        );
    }
);

on_both_databases!(an_expired_code_is_rejected, |backend: Backend| async move {
    let app = spawn_app(backend).await;
    let code = app.sms_code(ACTIVE).await;
    app.state.clock.advance(5 * 60 + 1);
    let response = app
        .post(
            "/api/v1/auth/sms-sign-in",
            json!({ "phone": ACTIVE, "code": code }),
        )
        .await;
    assert_eq!(response.status(), 401);
    assert_eq!(envelope(response).await["code"], "code_expired");
});

on_both_databases!(a_code_works_only_once, |backend: Backend| async move {
    let app = spawn_app(backend).await;
    let code = app.sms_code(ACTIVE).await;
    let first = app
        .post(
            "/api/v1/auth/sms-sign-in",
            json!({ "phone": ACTIVE, "code": code }),
        )
        .await;
    assert_eq!(first.status(), 200);
    let again = app
        .post(
            "/api/v1/auth/sms-sign-in",
            json!({ "phone": ACTIVE, "code": code }),
        )
        .await;
    assert_eq!(again.status(), 401);
});

on_both_databases!(
    code_requests_are_throttled_with_a_cooldown,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        app.sms_code(ACTIVE).await;
        let response = app
            .post("/api/v1/auth/sms-code", json!({ "phone": ACTIVE }))
            .await;
        assert_eq!(response.status(), 429);
        assert!(response.headers().contains_key("retry-after"));
        let body = envelope(response).await;
        assert_eq!(body["code"], "throttled");
        let wait = body["retry_after_seconds"].as_u64().unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
        app.state.clock.advance(61);
        let response = app
            .post("/api/v1/auth/sms-code", json!({ "phone": ACTIVE }))
            .await;
        assert_eq!(response.status(), 200);
    }
);

on_both_databases!(
    one_address_cannot_spray_codes_at_many_phones,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |c| c.sms_per_ip_hourly = 3).await;
        for n in 0..3 {
            let response = app
                .post(
                    "/api/v1/auth/sms-code",
                    json!({ "phone": format!("1370000000{n}") }),
                )
                .await;
            assert_eq!(response.status(), 200);
        }
        let response = app
            .post("/api/v1/auth/sms-code", json!({ "phone": "13700000009" }))
            .await;
        assert_eq!(response.status(), 429);
    }
);

on_both_databases!(
    unknown_phones_get_the_same_answer_and_no_message,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let known = app
            .post("/api/v1/auth/sms-code", json!({ "phone": ACTIVE }))
            .await;
        let unknown = app
            .post("/api/v1/auth/sms-code", json!({ "phone": "13712345678" }))
            .await;
        assert_eq!(known.status(), unknown.status());
        assert_eq!(envelope(known).await, envelope(unknown).await);
        let outbox: Value = app
            .get("/api/v1/dev/outbox?phone=13712345678")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(outbox.as_array().unwrap().len(), 0);
        let response = app
            .post(
                "/api/v1/auth/sms-sign-in",
                json!({ "phone": "13712345678", "code": "123456" }),
            )
            .await;
        assert_eq!(envelope(response).await["code"], "code_incorrect");
    }
);

on_both_databases!(
    repeated_wrong_passwords_lock_the_account_for_a_while,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |c| c.max_failed_attempts = 3).await;
        let wrong = json!({ "phone": ACTIVE, "password": "nope" });
        for _ in 0..3 {
            let response = app
                .post("/api/v1/auth/password-sign-in", wrong.clone())
                .await;
            assert_eq!(envelope(response).await["code"], "credentials_incorrect");
        }
        let right = json!({ "phone": ACTIVE, "password": server::seed::DEMO_PASSWORD });
        let response = app
            .post("/api/v1/auth/password-sign-in", right.clone())
            .await;
        assert_eq!(response.status(), 429);
        assert_eq!(envelope(response).await["code"], "locked");
        app.state.clock.advance(app.state.config.lock_seconds + 1);
        let response = app.post("/api/v1/auth/password-sign-in", right).await;
        assert_eq!(response.status(), 200);
    }
);

on_both_databases!(
    unknown_phones_and_wrong_passwords_read_the_same,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let unknown = app
            .post(
                "/api/v1/auth/password-sign-in",
                json!({ "phone": "13712345678", "password": "x" }),
            )
            .await;
        let wrong = app
            .post(
                "/api/v1/auth/password-sign-in",
                json!({ "phone": ACTIVE, "password": "x" }),
            )
            .await;
        assert_eq!(unknown.status(), wrong.status());
        let (mut unknown, mut wrong) = (envelope(unknown).await, envelope(wrong).await);
        // Only the request ids differ.
        unknown["request_id"].take();
        wrong["request_id"].take();
        assert_eq!(unknown, wrong);
    }
);

on_both_databases!(
    sessions_end_after_idle_time_and_absolute_time,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        app.sign_in(ACTIVE).await;
        app.state
            .clock
            .advance(app.state.config.session_idle_seconds - 20);
        assert_eq!(
            app.get("/api/v1/auth/session").await.status(),
            200,
            "activity keeps it alive"
        );
        app.state
            .clock
            .advance(app.state.config.session_idle_seconds + 1);
        assert_eq!(
            app.get("/api/v1/auth/session").await.status(),
            401,
            "idle too long"
        );

        app.sign_in(ACTIVE).await;
        let step = app.state.config.session_idle_seconds / 2;
        let mut elapsed = 0;
        while elapsed < app.state.config.session_max_seconds {
            app.state.clock.advance(step);
            elapsed += step;
            app.get("/api/v1/me").await;
        }
        assert_eq!(
            app.get("/api/v1/auth/session").await.status(),
            401,
            "past the absolute limit"
        );
    }
);

on_both_databases!(
    kiosk_sign_in_gives_a_short_session,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |config| config.kiosk = true).await;
        app.enrol_as_kiosk().await;
        let number: String =
            sqlx::query_scalar("SELECT number FROM cards WHERE member_id = 'mem_demo001'")
                .fetch_one(&app.state.db)
                .await
                .unwrap();
        let response = app
            .post(
                "/api/v1/auth/kiosk-sign-in",
                json!({ "card_number": number, "pin": server::seed::DEMO_PIN }),
            )
            .await;
        assert_eq!(response.status(), 200);
        let session: Value = response.json().await.unwrap();
        assert_eq!(session["kind"], "kiosk");
        assert_eq!(
            session["idle_timeout_seconds"],
            app.state.config.kiosk_idle_seconds
        );
        let wrong = app
            .post(
                "/api/v1/auth/kiosk-sign-in",
                json!({ "card_number": number, "pin": "000000" }),
            )
            .await;
        assert_eq!(wrong.status(), 401);
    }
);

on_both_databases!(
    unsafe_requests_without_the_csrf_token_are_refused,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        app.sign_in(ACTIVE).await;
        let token = app.csrf.take();
        let response = app.post("/api/v1/auth/sign-out", json!({})).await;
        assert_eq!(response.status(), 403);
        assert_eq!(envelope(response).await["code"], "csrf_rejected");
        app.csrf = token;
        let response = app.post("/api/v1/auth/sign-out", json!({})).await;
        assert_eq!(response.status(), 204);
        assert_eq!(
            app.get("/api/v1/auth/session").await.status(),
            401,
            "signed out"
        );
    }
);

on_both_databases!(
    bad_bodies_get_clear_envelopes_never_a_500,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let url = app.url("/api/v1/auth/sms-code");
        let malformed = app
            .client
            .post(&url)
            .header("content-type", "application/json")
            .body("{\"phone\":")
            .send()
            .await
            .unwrap();
        assert_eq!(malformed.status(), 400);
        assert_eq!(envelope(malformed).await["code"], "bad_request");
        let unknown_field = app
            .post(
                "/api/v1/auth/sms-code",
                json!({ "phone": ACTIVE, "admin": true }),
            )
            .await;
        assert_eq!(unknown_field.status(), 422);
        let not_json = app
            .client
            .post(&url)
            .body("phone=13800000001")
            .send()
            .await
            .unwrap();
        assert_eq!(not_json.status(), 415);
        let huge = app
            .client
            .post(&url)
            .header("content-type", "application/json")
            .body(format!("{{\"phone\":\"{}\"}}", "1".repeat(200_000)))
            .send()
            .await
            .unwrap();
        assert_eq!(huge.status(), 413);
        assert_eq!(envelope(huge).await["code"], "payload_too_large");
        let invalid_phone = app
            .post("/api/v1/auth/sms-code", json!({ "phone": "12345" }))
            .await;
        assert_eq!(invalid_phone.status(), 422);
        let body = envelope(invalid_phone).await;
        assert_eq!(body["fields"][0]["field"], "phone");
        assert_eq!(body["fields"][0]["code"], "invalid_phone");
    }
);

on_both_databases!(
    errors_speak_english_when_asked,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let zh = envelope(app.get("/api/v1/me").await).await;
        let en = envelope(
            app.client
                .get(app.url("/api/v1/me"))
                .header("accept-language", "en-GB,en")
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(zh["code"], "unauthenticated");
        assert_eq!(en["code"], "unauthenticated");
        assert_eq!(en["message"], "Please sign in.");
        assert_ne!(zh["message"], en["message"]);
    }
);

on_both_databases!(
    sign_in_sets_a_readable_csrf_cookie_that_the_header_must_repeat,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        let response = app
            .post(
                "/api/v1/auth/password-sign-in",
                json!({ "phone": ACTIVE, "password": server::seed::DEMO_PASSWORD }),
            )
            .await;
        let cookies: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        let session: Value = response.json().await.unwrap();
        let csrf = session["csrf_token"].as_str().unwrap().to_owned();
        let csrf_cookie = cookies
            .iter()
            .find(|c| c.starts_with("portal_csrf="))
            .expect("a CSRF cookie");
        assert!(csrf_cookie.starts_with(&format!("portal_csrf={csrf};")));
        assert!(!csrf_cookie.contains("HttpOnly"), "{csrf_cookie}");
        app.csrf = Some(csrf);

        let mismatched = app
            .client
            .post(app.url("/api/v1/notifications/read-all"))
            .header("x-csrf-token", "0000")
            .send()
            .await
            .unwrap();
        assert_eq!(mismatched.status(), 403);
        assert_eq!(envelope(mismatched).await["code"], "csrf_rejected");
        let matching = app.post("/api/v1/notifications/read-all", json!({})).await;
        assert_eq!(matching.status(), 204);
    }
);

#[tokio::test]
async fn cookies_are_secure_unless_configured_for_plain_http() {
    let app = spawn_app_with(Backend::Sqlite, |config| config.insecure_cookies = false).await;
    let response = app
        .post(
            "/api/v1/auth/password-sign-in",
            json!({ "phone": ACTIVE, "password": server::seed::DEMO_PASSWORD }),
        )
        .await;
    for cookie in response.headers().get_all("set-cookie") {
        let cookie = cookie.to_str().unwrap();
        assert!(cookie.contains("; Secure"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    }
}
