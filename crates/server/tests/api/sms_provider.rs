//! SMS sign-in through Tencent Cloud SMS and Alibaba Cloud SMS, against the local fakes in
//! `crate::common::tencent_sms` and `crate::common::aliyun_sms` that check each request's signature and
//! template as the provider does. The server runs as in
//! production: configured signing keys, no dev outbox.

use crate::common::tencent_sms::{self, FakeTencentSms, Mode};
use crate::common::{Backend, TestApp, spawn_app_with};
use serde_json::{Value, json};

const ACTIVE: &str = "13800000001";

/// A production-shaped app (keys configured, no dev outbox) sending through the fake.
async fn app_with_tencent(
    backend: Backend,
    fake: &FakeTencentSms,
    tweak: impl FnOnce(&mut server::config::Config),
) -> TestApp {
    spawn_app_with(backend, |config| {
        config.dev_outbox = false;
        config.ecard_keys = Some(format!("k1:{}", "1".repeat(64)));
        config.offline_card_keys = Some(format!("o1:{}", "2".repeat(64)));
        config.sms_code_keys = Some(format!("s1:{}", "3".repeat(64)));
        fake.configure(config);
        tweak(config);
    })
    .await
}

async fn request_code(app: &TestApp, phone: &str) -> reqwest::Response {
    app.post("/api/v1/auth/sms-code", json!({ "phone": phone }))
        .await
}

on_both_databases!(
    a_code_is_delivered_through_tencent_with_its_template_and_signs_the_member_in,
    |backend: Backend| async move {
        let fake = FakeTencentSms::start().await;
        let app = app_with_tencent(backend, &fake, |_| {}).await;

        let response = request_code(&app, ACTIVE).await;
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        let sent = fake.sent();
        assert_eq!(sent.len(), 1, "refusals: {:?}", fake.refusals());
        assert_eq!(sent[0].phone, format!("+86{ACTIVE}"));
        assert_eq!(
            sent[0].params[1], "5",
            "{{2}} is the minutes the code stays valid"
        );
        let code = sent[0].params[0].clone();

        // Nothing readable is stored: no outbox message, no outbox endpoint, only a hash.
        let outbox: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM dev_outbox")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        assert_eq!(outbox, 0);
        assert_eq!(
            app.get(&format!("/api/v1/dev/outbox?phone={ACTIVE}"))
                .await
                .status(),
            404
        );
        let stored: Vec<String> =
            sqlx::query_scalar("SELECT code_hash FROM sms_codes WHERE phone = $1")
                .bind(ACTIVE)
                .fetch_all(&app.state.db)
                .await
                .unwrap();
        assert_eq!(stored.len(), 1);
        assert!(!stored[0].contains(&code));
        assert!(
            stored[0].starts_with("s1.")
                && !stored[0].contains(&server::crypto::sha256_hex(&format!("{ACTIVE}:{code}"))),
            "the code is stored keyed (`--sms-code-keys`), not as a hash anyone could redo: {}",
            stored[0]
        );

        let signed_in = app
            .post(
                "/api/v1/auth/sms-sign-in",
                json!({ "phone": ACTIVE, "code": code }),
            )
            .await;
        assert_eq!(signed_in.status(), 200);
    }
);

on_both_databases!(
    unknown_phones_get_the_same_answer_and_no_message,
    |backend: Backend| async move {
        let fake = FakeTencentSms::start().await;
        let app = app_with_tencent(backend, &fake, |_| {}).await;
        assert_eq!(request_code(&app, "13912345678").await.status(), 200);
        assert!(fake.sent().is_empty());
    }
);

on_both_databases!(
    a_wrong_secret_key_fails_the_providers_signature_check_and_the_member_is_told,
    |backend: Backend| async move {
        let fake = FakeTencentSms::start().await;
        let app = app_with_tencent(backend, &fake, |config| {
            config.sms.sms_secret_key = Some(server::sms::Secret::new("not-the-key"));
        })
        .await;

        let response = app
            .client
            .post(app.url("/api/v1/auth/sms-code"))
            .header("accept-language", "en")
            .json(&json!({ "phone": ACTIVE }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 502);
        let envelope: Value = response.json().await.unwrap();
        assert_eq!(envelope["code"], "sms_unavailable");
        assert!(
            envelope["message"]
                .as_str()
                .unwrap()
                .contains("no code was sent"),
            "{envelope}"
        );
        assert_eq!(fake.refusals(), ["AuthFailure.SignatureFailure"]);
        assert!(fake.sent().is_empty());
    }
);

on_both_databases!(
    a_provider_refusal_burns_neither_the_cooldown_nor_the_hourly_cap,
    |backend: Backend| async move {
        let fake = FakeTencentSms::start().await;
        let app = app_with_tencent(backend, &fake, |config| {
            config.sms_per_phone_hourly = 2;
        })
        .await;

        fake.set_mode(Mode::PhoneDailyLimit);
        for _ in 0..4 {
            let response = request_code(&app, ACTIVE).await;
            assert_eq!(response.status(), 502);
            let envelope: Value = response.json().await.unwrap();
            assert_eq!(envelope["code"], "sms_unavailable");
            assert!(envelope["retry_after_seconds"].is_null());
        }
        fake.set_mode(Mode::ServerError);
        assert_eq!(request_code(&app, ACTIVE).await.status(), 502);

        // Provider back: the code goes out at once (no cooldown), and the phone still has
        // its whole hourly cap.
        fake.set_mode(Mode::Deliver);
        assert_eq!(request_code(&app, ACTIVE).await.status(), 200);
        assert_eq!(fake.sent().len(), 1);
        app.state
            .clock
            .advance(app.state.config.sms_cooldown_seconds);
        assert_eq!(request_code(&app, ACTIVE).await.status(), 200);
        app.state
            .clock
            .advance(app.state.config.sms_cooldown_seconds);
        assert_eq!(
            request_code(&app, ACTIVE).await.status(),
            429,
            "cap of 2 reached"
        );
        assert_eq!(fake.sent().len(), 2);
    }
);

#[tokio::test]
async fn a_provider_that_does_not_answer_in_time_is_unavailable_not_an_error() {
    let fake = FakeTencentSms::start().await;
    let app = app_with_tencent(Backend::Sqlite, &fake, |config| {
        config.sms.sms_timeout_seconds = 1;
    })
    .await;
    fake.set_mode(Mode::Hang);
    let response = request_code(&app, ACTIVE).await;
    assert_eq!(response.status(), 502);
    let envelope: Value = response.json().await.unwrap();
    assert_eq!(envelope["code"], "sms_unavailable");
    fake.set_mode(Mode::Deliver);
    assert_eq!(request_code(&app, ACTIVE).await.status(), 200);
}

#[tokio::test]
async fn the_fake_refuses_a_body_changed_after_signing() {
    // The fake's check is what makes the tests above meaningful: prove it rejects a request
    // whose body is not the one signed.
    let fake = FakeTencentSms::start().await;
    let body = r#"{"PhoneNumberSet":["+8613800000001"]}"#;
    let now = chrono::Utc::now().timestamp();
    let host = fake.base.trim_start_matches("http://").to_owned();
    let authorization = server::sms::tencent::authorization(
        &server::sms::tencent::Credentials {
            secret_id: tencent_sms::SECRET_ID,
            secret_key: tencent_sms::SECRET_KEY,
        },
        &host,
        "SendSms",
        body,
        now,
    );
    let send = |body: &'static str| {
        reqwest::Client::new()
            .post(format!("{}/", fake.base))
            .header("authorization", authorization.clone())
            .header("content-type", "application/json; charset=utf-8")
            .header("x-tc-action", "SendSms")
            .header("x-tc-version", "2021-01-11")
            .header("x-tc-timestamp", now.to_string())
            .header("x-tc-region", "ap-guangzhou")
            .body(body)
            .send()
    };
    let tampered: Value = send(r#"{"PhoneNumberSet":["+8613900000009"]}"#)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        tampered["Response"]["Error"]["Code"],
        "AuthFailure.SignatureFailure"
    );
    // The same signature over the body it was made for passes the signature check (and fails
    // later, on the missing application id).
    let genuine: Value = send(r#"{"PhoneNumberSet":["+8613800000001"]}"#)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        genuine["Response"]["Error"]["Code"],
        "InvalidParameterValue.SdkAppIdNotExist"
    );
}

/// A production-shaped app sending through the Alibaba Cloud fake.
async fn app_with_aliyun(
    backend: Backend,
    fake: &crate::common::aliyun_sms::FakeAliyunSms,
    tweak: impl FnOnce(&mut server::config::Config),
) -> TestApp {
    spawn_app_with(backend, |config| {
        config.dev_outbox = false;
        config.ecard_keys = Some(format!("k1:{}", "1".repeat(64)));
        config.offline_card_keys = Some(format!("o1:{}", "2".repeat(64)));
        config.sms_code_keys = Some(format!("s1:{}", "3".repeat(64)));
        fake.configure(config);
        tweak(config);
    })
    .await
}

on_both_databases!(
    a_code_is_delivered_through_alibaba_cloud_and_signs_the_member_in,
    |backend: Backend| async move {
        let fake = crate::common::aliyun_sms::FakeAliyunSms::start().await;
        let app = app_with_aliyun(backend, &fake, |_| {}).await;
        let response = request_code(&app, ACTIVE).await;
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        let sent = fake.sent();
        assert_eq!(sent.len(), 1, "refusals: {:?}", fake.refusals());
        assert_eq!(sent[0].phone, ACTIVE);
        let signed_in = app
            .post(
                "/api/v1/auth/sms-sign-in",
                json!({ "phone": ACTIVE, "code": sent[0].code }),
            )
            .await;
        assert_eq!(signed_in.status(), 200);
        // A second code: a fresh nonce, accepted again.
        app.state
            .clock
            .advance(app.state.config.sms_cooldown_seconds);
        assert_eq!(request_code(&app, ACTIVE).await.status(), 200);
        assert_eq!(fake.sent().len(), 2);
    }
);

#[tokio::test]
async fn alibaba_cloud_refusals_and_a_wrong_secret_are_unavailable_and_count_nothing() {
    let fake = crate::common::aliyun_sms::FakeAliyunSms::start().await;
    let wrong = app_with_aliyun(Backend::Sqlite, &fake, |config| {
        config.sms.sms_secret_key = Some(server::sms::Secret::new("not-the-secret"));
    })
    .await;
    let refused = request_code(&wrong, ACTIVE).await;
    assert_eq!(refused.status(), 502);
    assert_eq!(fake.refusals(), ["SignatureDoesNotMatch"]);

    let app = app_with_aliyun(Backend::Sqlite, &fake, |_| {}).await;
    fake.set_flow_control(true);
    let limited = request_code(&app, ACTIVE).await;
    assert_eq!(limited.status(), 502);
    let envelope: Value = limited.json().await.unwrap();
    assert_eq!(envelope["code"], "sms_unavailable");
    assert_eq!(
        fake.refusals().last().unwrap(),
        "isv.BUSINESS_LIMIT_CONTROL"
    );
    fake.set_flow_control(false);
    assert_eq!(
        request_code(&app, ACTIVE).await.status(),
        200,
        "no cooldown burnt"
    );
}
