//! Every limit under a burst of 200 parallel requests over real HTTP, on SQLite and PostgreSQL:
//! exactly the allowed number gets through. Also: strangers cannot lock a member out, unknown
//! and known accounts read the same, and a full hashing queue answers 503.
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::common::{Backend, TestApp, spawn_app_with};
use serde_json::{Value, json};
use server::config::Config;

const ACTIVE: &str = "13800000001";
const BURST: usize = 200;
const JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1,
];

/// Like `on_both_databases!`, on a multi-threaded runtime so the burst really runs in parallel.
macro_rules! in_parallel_on_both_databases {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                ($body)($crate::common::Backend::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            #[cfg_attr(
                not(pg_tests),
                ignore = "set PORTAL_TEST_PG_URL to run against PostgreSQL"
            )]
            async fn postgres() {
                ($body)($crate::common::Backend::Postgres).await;
            }
        }
    };
}

/// A client whose requests come from `ip` (any 127.x.y.z reaches the test server).
fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(ip.parse::<IpAddr>().unwrap())
        .cookie_store(true)
        .build()
        .unwrap()
}

/// One answer of a burst: status and envelope (or body).
#[derive(Debug, Clone)]
struct Answer {
    status: u16,
    body: Value,
}

impl Answer {
    fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
}

/// Sends `n` POSTs of JSON at once and collects every answer.
async fn burst(
    client: &reqwest::Client,
    url: &str,
    bodies: impl Iterator<Item = Value>,
) -> Vec<Answer> {
    let mut set = tokio::task::JoinSet::new();
    for body in bodies {
        let request = client.post(url).json(&body);
        set.spawn(async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let body = response.json().await.unwrap_or(Value::Null);
            Answer { status, body }
        });
    }
    set.join_all().await
}

fn count(answers: &[Answer], status: u16, code: &str) -> usize {
    answers
        .iter()
        .filter(|a| a.status == status && a.code() == code)
        .count()
}

/// Limits wide enough that only the one under test binds.
fn wide(config: &mut Config) {
    config.ip_failures_limit = 10_000;
    config.account_failures_limit = 10_000;
    config.max_failed_attempts = 10_000;
    config.sms_per_ip_hourly = 10_000;
    config.hashing_queue = 10_000;
}

async fn card_number(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT number FROM cards WHERE member_id = 'mem_demo001'")
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

fn wrong_password(phone: &str) -> Value {
    json!({ "phone": phone, "password": "not-the-password" })
}

fn right_password(phone: &str) -> Value {
    json!({ "phone": phone, "password": server::seed::DEMO_PASSWORD })
}

in_parallel_on_both_databases!(
    a_burst_of_wrong_passwords_evaluates_exactly_the_per_account_limit,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |c| {
            wide(c);
            c.max_failed_attempts = 5;
        })
        .await;
        let url = app.url("/api/v1/auth/password-sign-in");
        let answers = burst(
            &app.client,
            &url,
            (0..BURST).map(|_| wrong_password(ACTIVE)),
        )
        .await;
        assert_eq!(
            count(&answers, 401, "credentials_incorrect"),
            5,
            "{answers:?}"
        );
        assert_eq!(count(&answers, 429, "locked"), BURST - 5, "{answers:?}");
        let mut remaining: Vec<u64> = answers
            .iter()
            .filter(|a| a.status == 401)
            .map(|a| a.body["attempts_remaining"].as_u64().unwrap())
            .collect();
        remaining.sort_unstable();
        assert_eq!(remaining, [0, 1, 2, 3, 4]);
        let last = answers
            .iter()
            .find(|a| a.body["attempts_remaining"] == 0)
            .unwrap();
        assert_eq!(
            last.body["retry_after_seconds"], app.state.config.lock_seconds,
            "the try that starts the block says how long it lasts"
        );
        let right = app
            .post("/api/v1/auth/password-sign-in", right_password(ACTIVE))
            .await;
        assert_eq!(
            right.status(),
            429,
            "the right password waits for the block too"
        );
    }
);

in_parallel_on_both_databases!(
    a_burst_of_wrong_pins_evaluates_exactly_the_per_card_limit,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |c| {
            wide(c);
            c.max_failed_attempts = 5;
            c.kiosk = true;
        })
        .await;
        app.enrol_as_kiosk().await;
        let number = card_number(&app).await;
        let url = app.url("/api/v1/auth/kiosk-sign-in");
        let answers = burst(
            &app.client,
            &url,
            (0..BURST).map(|_| json!({ "card_number": number, "pin": "000000" })),
        )
        .await;
        assert_eq!(
            count(&answers, 401, "credentials_incorrect"),
            5,
            "{answers:?}"
        );
        assert_eq!(count(&answers, 429, "locked"), BURST - 5);
        let right = app
            .post(
                "/api/v1/auth/kiosk-sign-in",
                json!({ "card_number": number, "pin": server::seed::DEMO_PIN }),
            )
            .await;
        assert_eq!(right.status(), 429);
    }
);

in_parallel_on_both_databases!(
    one_address_gets_exactly_its_failure_limit_across_many_phones,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |c| {
            wide(c);
            c.ip_failures_limit = 30;
        })
        .await;
        let url = app.url("/api/v1/auth/password-sign-in");
        // 200 different phones, none of them a member's.
        let answers = burst(
            &app.client,
            &url,
            (0..BURST).map(|n| wrong_password(&format!("1390000{n:04}"))),
        )
        .await;
        assert_eq!(
            count(&answers, 401, "credentials_incorrect"),
            30,
            "{answers:?}"
        );
        assert_eq!(count(&answers, 429, "throttled"), BURST - 30);
        let blocked = app
            .post("/api/v1/auth/password-sign-in", right_password(ACTIVE))
            .await;
        assert_eq!(blocked.status(), 429, "the address is blocked");
        let elsewhere = client_from("127.0.0.2")
            .post(&url)
            .json(&right_password(ACTIVE))
            .send()
            .await
            .unwrap();
        assert_eq!(elsewhere.status(), 200, "the member, elsewhere, is not");
    }
);

in_parallel_on_both_databases!(
    guesses_spread_over_many_addresses_get_exactly_the_account_limit,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |c| {
            wide(c);
            c.max_failed_attempts = 5;
            c.account_failures_limit = 20;
        })
        .await;
        let url = app.url("/api/v1/auth/password-sign-in");
        let mut set = tokio::task::JoinSet::new();
        for n in 0..10 {
            let client = client_from(&format!("127.0.1.{}", n + 10));
            let url = url.clone();
            set.spawn(async move {
                burst(
                    &client,
                    &url,
                    (0..BURST / 10).map(|_| wrong_password(ACTIVE)),
                )
                .await
            });
        }
        let answers: Vec<Answer> = set.join_all().await.into_iter().flatten().collect();
        assert_eq!(answers.len(), BURST);
        assert_eq!(
            count(&answers, 401, "credentials_incorrect"),
            20,
            "{answers:?}"
        );
        assert_eq!(count(&answers, 429, "locked"), BURST - 20);
    }
);

in_parallel_on_both_databases!(
    a_stranger_cannot_lock_the_member_out,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |c| {
            c.max_failed_attempts = 5;
            c.account_failures_limit = 20;
        })
        .await;
        let url = app.url("/api/v1/auth/password-sign-in");
        // A stranger on another address uses up their own tries for the account…
        let stranger = client_from("127.0.0.2");
        for _ in 0..6 {
            stranger
                .post(&url)
                .json(&wrong_password(ACTIVE))
                .send()
                .await
                .unwrap();
        }
        let refused = stranger
            .post(&url)
            .json(&right_password(ACTIVE))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 429, "the stranger's address is blocked");
        // …and the member, on their own address, signs in.
        let member = app
            .post("/api/v1/auth/password-sign-in", right_password(ACTIVE))
            .await;
        assert_eq!(member.status(), 200);

        // Even when strangers on many addresses exhaust the account's overall limit, SMS
        // sign-in stays open to the member.
        for n in 0..4 {
            let client = client_from(&format!("127.0.2.{n}"));
            for _ in 0..5 {
                client
                    .post(&url)
                    .json(&wrong_password(ACTIVE))
                    .send()
                    .await
                    .unwrap();
            }
        }
        let password = app
            .post("/api/v1/auth/password-sign-in", right_password(ACTIVE))
            .await;
        assert_eq!(password.status(), 429);
        let body: Value = password.json().await.unwrap();
        assert_eq!(body["code"], "locked");
        let code = app.sms_code(ACTIVE).await;
        let sms = app
            .post(
                "/api/v1/auth/sms-sign-in",
                json!({ "phone": ACTIVE, "code": code }),
            )
            .await;
        assert_eq!(sms.status(), 200);
    }
);

in_parallel_on_both_databases!(
    unknown_and_known_phones_read_the_same_through_the_lock,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |c| c.max_failed_attempts = 5).await;
        for attempt in 1..=7 {
            let known = app
                .post("/api/v1/auth/password-sign-in", wrong_password(ACTIVE))
                .await;
            let unknown = app
                .post(
                    "/api/v1/auth/password-sign-in",
                    wrong_password("13712345678"),
                )
                .await;
            assert_eq!(known.status(), unknown.status(), "attempt {attempt}");
            let mut known: Value = known.json().await.unwrap();
            let mut unknown: Value = unknown.json().await.unwrap();
            known["request_id"].take();
            unknown["request_id"].take();
            // The block's remaining time is read a moment apart: allow the clock's tick.
            let waits = [&mut known, &mut unknown].map(|b| b["retry_after_seconds"].take());
            if let [Some(a), Some(b)] = waits.each_ref().map(Value::as_i64) {
                assert!((a - b).abs() <= 1, "attempt {attempt}: {a} vs {b}");
            } else {
                assert_eq!(waits[0], waits[1], "attempt {attempt}");
            }
            assert_eq!(known, unknown, "attempt {attempt}");
            if attempt <= 5 {
                assert_eq!(
                    known["attempts_remaining"],
                    5 - attempt,
                    "attempt {attempt}"
                );
            } else {
                assert_eq!(known["code"], "locked");
            }
        }
    }
);

in_parallel_on_both_databases!(
    a_burst_of_wrong_codes_burns_the_code_after_exactly_five,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, wide).await;
        let code = app.sms_code(ACTIVE).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let url = app.url("/api/v1/auth/sms-sign-in");
        let answers = burst(
            &app.client,
            &url,
            (0..BURST).map(|_| json!({ "phone": ACTIVE, "code": wrong })),
        )
        .await;
        // Tries 1–4 are `code_incorrect`, the fifth burns the code; the rest are not evaluated.
        assert_eq!(count(&answers, 401, "code_incorrect"), 4, "{answers:?}");
        assert_eq!(count(&answers, 401, "code_locked"), BURST - 4);
        let tries: i64 = sqlx::query_scalar(
            "SELECT failed_attempts FROM sms_codes WHERE phone = $1 AND used = 0",
        )
        .bind(ACTIVE)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
        assert_eq!(tries, 5);
        let right = app
            .post(
                "/api/v1/auth/sms-sign-in",
                json!({ "phone": ACTIVE, "code": code }),
            )
            .await;
        let body: Value = right.json().await.unwrap();
        assert_eq!(body["code"], "code_locked");
    }
);

in_parallel_on_both_databases!(
    wrong_codes_count_against_the_address_too,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |c| {
            wide(c);
            c.ip_failures_limit = 30;
        })
        .await;
        let url = app.url("/api/v1/auth/sms-sign-in");
        let answers = burst(
            &app.client,
            &url,
            (0..BURST).map(|n| json!({ "phone": format!("1390000{n:04}"), "code": "123456" })),
        )
        .await;
        assert_eq!(count(&answers, 401, "code_incorrect"), 30, "{answers:?}");
        assert_eq!(count(&answers, 429, "throttled"), BURST - 30);
    }
);

async fn outbox_count(app: &TestApp, phone: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM dev_outbox WHERE phone = $1")
        .bind(phone)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

in_parallel_on_both_databases!(
    a_burst_of_code_requests_sends_exactly_one_text_per_cooldown,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, wide).await;
        let url = app.url("/api/v1/auth/sms-code");
        let answers = burst(
            &app.client,
            &url,
            (0..BURST).map(|_| json!({ "phone": ACTIVE })),
        )
        .await;
        assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 1);
        assert_eq!(count(&answers, 429, "throttled"), BURST - 1);
        assert_eq!(outbox_count(&app, ACTIVE).await, 1);
    }
);

in_parallel_on_both_databases!(
    a_burst_of_code_requests_sends_exactly_the_hourly_cap,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |c| {
            wide(c);
            c.sms_cooldown_seconds = 0;
            c.sms_per_phone_hourly = 5;
        })
        .await;
        let url = app.url("/api/v1/auth/sms-code");
        let answers = burst(
            &app.client,
            &url,
            (0..BURST).map(|_| json!({ "phone": ACTIVE })),
        )
        .await;
        assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 5);
        assert_eq!(count(&answers, 429, "throttled"), BURST - 5);
        assert_eq!(outbox_count(&app, ACTIVE).await, 5);
    }
);

in_parallel_on_both_databases!(
    a_burst_of_code_requests_from_one_address_gets_exactly_its_hourly_cap,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |c| {
            wide(c);
            c.sms_per_ip_hourly = 30;
        })
        .await;
        let url = app.url("/api/v1/auth/sms-code");
        let answers = burst(
            &app.client,
            &url,
            (0..BURST).map(|n| json!({ "phone": format!("1390000{n:04}") })),
        )
        .await;
        assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 30);
        assert_eq!(count(&answers, 429, "throttled"), BURST - 30);
    }
);

in_parallel_on_both_databases!(
    a_refused_code_request_counts_for_nothing,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |c| c.sms_per_ip_hourly = 2).await;
        let send =
            |phone: &'static str| app.post("/api/v1/auth/sms-code", json!({ "phone": phone }));
        let cooldown = app.state.config.sms_cooldown_seconds;
        assert_eq!(send(ACTIVE).await.status(), 200);
        app.state.clock.advance(cooldown / 2);
        assert_eq!(send(ACTIVE).await.status(), 429, "cooldown");
        // The refused request did not use the address's second send…
        assert_eq!(send("13800000002").await.status(), 200);
        assert_eq!(
            send("13800000003").await.status(),
            429,
            "…this is the third"
        );
        // …nor restart the phone's cooldown: it ends a cooldown after the first send.
        app.state.clock.advance(cooldown - cooldown / 2);
        let from_elsewhere = client_from("127.0.0.2")
            .post(app.url("/api/v1/auth/sms-code"))
            .json(&json!({ "phone": ACTIVE }))
            .send()
            .await
            .unwrap();
        assert_eq!(from_elsewhere.status(), 200);
    }
);

/// An SMS gateway that fails while `failing` is set, else keeps the message in the outbox.
struct FlakyGateway {
    failing: Arc<AtomicBool>,
    outbox: server::sms::DevOutbox,
}

impl server::sms::SmsGateway for FlakyGateway {
    fn send_code<'a>(
        &'a self,
        phone: &'a str,
        code: &'a str,
        valid_minutes: u32,
    ) -> server::sms::SendFuture<'a> {
        if self.failing.load(Ordering::SeqCst) {
            return Box::pin(async {
                Err(server::sms::SmsError::Unavailable(
                    "gateway unavailable".to_owned(),
                ))
            });
        }
        self.outbox.send_code(phone, code, valid_minutes)
    }
}

#[tokio::test]
async fn a_gateway_failure_is_not_counted_as_a_send() {
    let mut app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    let failing = Arc::new(AtomicBool::new(true));
    app.state.sms = Arc::new(FlakyGateway {
        failing: failing.clone(),
        outbox: server::sms::DevOutbox {
            db: app.state.db.clone(),
            clock: app.state.clock.clone(),
        },
    });
    // Serve the state with the flaky gateway on a second listener.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    app.base = format!("http://{}", listener.local_addr().unwrap());
    let router = server::http::app(app.state.clone())
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum_serve(listener, router).await });

    let failed = app
        .post("/api/v1/auth/sms-code", json!({ "phone": ACTIVE }))
        .await;
    assert_eq!(failed.status(), 502);
    let envelope: Value = failed.json().await.unwrap();
    assert_eq!(envelope["code"], "sms_unavailable");
    failing.store(false, Ordering::SeqCst);
    let retried = app
        .post("/api/v1/auth/sms-code", json!({ "phone": ACTIVE }))
        .await;
    assert_eq!(retried.status(), 200, "no cooldown after a failed send");
    assert_eq!(outbox_count(&app, ACTIVE).await, 1);
}

async fn axum_serve(
    listener: tokio::net::TcpListener,
    service: axum::extract::connect_info::IntoMakeServiceWithConnectInfo<
        axum::Router,
        std::net::SocketAddr,
    >,
) {
    let _ = axum::serve(listener, service).await;
}

in_parallel_on_both_databases!(
    a_burst_of_uploads_stores_exactly_the_daily_cap,
    |backend: Backend| async move {
        let mut app = spawn_app_with(backend, |_| {}).await;
        app.sign_in(ACTIVE).await;
        let csrf = app.csrf.clone().unwrap();
        let stored_before = stored_attachments(&app).await;
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..BURST {
            let request = app
                .client
                .post(app.url("/api/v1/aid/attachments"))
                .query(&[("filename", "证明.jpg")])
                .header("x-csrf-token", &csrf)
                .header("content-type", "image/jpeg")
                .body(JPEG.to_vec());
            set.spawn(async move { request.send().await.unwrap().status().as_u16() });
        }
        let statuses = set.join_all().await;
        let cap = contract::aid::MAX_UPLOADS_PER_DAY as usize;
        assert_eq!(statuses.iter().filter(|s| **s == 201).count(), cap);
        assert_eq!(statuses.iter().filter(|s| **s == 429).count(), BURST - cap);
        assert_eq!(stored_attachments(&app).await - stored_before, cap);
    }
);

/// The demo member's stored documents (the demo data has some from earlier days).
async fn stored_attachments(app: &TestApp) -> usize {
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM aid_attachments WHERE member_id = 'mem_demo001'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    stored as usize
}

in_parallel_on_both_databases!(
    a_full_hashing_queue_answers_server_busy_and_counts_no_try,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |c| {
            c.hashing_queue = 0;
            c.max_failed_attempts = 3;
        })
        .await;
        for _ in 0..6 {
            let response = app
                .post("/api/v1/auth/password-sign-in", wrong_password(ACTIVE))
                .await;
            assert_eq!(response.status(), 503);
            assert!(response.headers().contains_key("retry-after"));
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["code"], "server_busy");
            assert!(body["retry_after_seconds"].as_u64().unwrap() > 0);
        }
    }
);
