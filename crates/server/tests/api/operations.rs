//! Operating the server: readiness, Prometheus metrics on their own listener, JSON logs
//! without personal data.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use crate::common::{Backend, spawn_app};
use serde_json::{Value, json};

const ACTIVE: &str = "13800000001";

on_both_databases!(ready_follows_the_database, |backend: Backend| async move {
    let app = spawn_app(backend).await;
    let ready = app.get("/api/ready").await;
    assert_eq!(ready.status(), 200);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["status"], "ready");

    // The database goes away: not ready, in the envelope, while liveness stays up.
    app.state.db.close().await;
    let not_ready = app.get("/api/ready").await;
    assert_eq!(not_ready.status(), 503);
    let envelope: Value = not_ready.json().await.unwrap();
    assert_eq!(envelope["code"], "not_ready");
    assert_eq!(app.get("/api/health").await.status(), 200);
});

/// The value of the sample `name{labels}` in an exposition, if present.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

on_both_databases!(
    metrics_count_requests_by_template_sign_ins_by_outcome_and_the_pool,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        let wrong = app
            .post(
                "/api/v1/auth/password-sign-in",
                json!({ "phone": ACTIVE, "password": "wrong-password" }),
            )
            .await;
        assert_eq!(wrong.status(), 401);
        app.sign_in(ACTIVE).await;
        for id in ["off_a", "off_b", "off_c"] {
            app.get(&format!("/api/v1/offers/{id}")).await;
        }
        app.sms_code(ACTIVE).await;

        let text = app.state.metrics.render(&app.state.db);
        assert_eq!(
            sample(
                &text,
                r#"portal_sign_ins_total{method="password",outcome="success"}"#
            ),
            Some(1.0)
        );
        assert_eq!(
            sample(
                &text,
                r#"portal_sign_ins_total{method="password",outcome="credentials_incorrect"}"#
            ),
            Some(1.0)
        );
        // Three ids, one series: the template, never the raw path.
        assert_eq!(
            sample(
                &text,
                r#"portal_http_requests_total{method="GET",route="/api/v1/offers/{id}",status="404"}"#
            ),
            Some(3.0),
            "{text}"
        );
        assert!(!text.contains("off_a"));
        assert!(!text.contains(ACTIVE));
        assert_eq!(
            sample(
                &text,
                r#"portal_http_request_duration_seconds_count{method="POST",route="/api/v1/auth/password-sign-in"}"#
            ),
            Some(2.0)
        );
        assert_eq!(
            sample(
                &text,
                r#"portal_http_request_duration_seconds_bucket{method="POST",route="/api/v1/auth/password-sign-in",le="+Inf"}"#
            ),
            Some(2.0)
        );
        assert_eq!(
            sample(&text, r#"portal_sms_total{result="sent"}"#),
            Some(1.0)
        );
        assert_eq!(
            sample(&text, r#"portal_sms_total{result="failed"}"#),
            Some(0.0)
        );
        assert!(sample(&text, "portal_db_pool_connections").unwrap() >= 1.0);
        assert!(sample(&text, "portal_db_pool_idle_connections").is_some());
    }
);

#[test]
fn the_binary_serves_metrics_on_its_own_listener_and_logs_json_without_phones() {
    let data = crate::common::temp_dir("ops-binary");
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args([
            "--port",
            "0",
            "--dev-outbox",
            "--seed-demo",
            "--insecure-cookies",
        ])
        .args(["--metrics-addr", "127.0.0.1:0", "--log-format", "json"])
        .arg("--data-dir")
        .arg(&data)
        .arg("--dist-dir")
        .arg(crate::common::fake_dist())
        .env_remove("DATABASE_URL")
        .env_remove("RUST_LOG")
        .env("PORTAL_ARGON2_MEMORY_KIB", "1024")
        .env("PORTAL_ARGON2_ITERATIONS", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut base = None;
    let mut metrics = None;
    let mut line = String::new();
    while metrics.is_none() {
        line.clear();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "server exited early"
        );
        let line = line.trim();
        if let Some(url) = line.strip_prefix("listening on ") {
            base = Some(url.to_owned());
        }
        if let Some(url) = line.strip_prefix("metrics on ") {
            metrics = Some(url.to_owned());
        }
    }
    let (base, metrics) = (base.unwrap(), metrics.unwrap());

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (exposition, public_metrics) = runtime.block_on(async {
        let client = reqwest::Client::new();
        let sent = client
            .post(format!("{base}/api/v1/auth/sms-code"))
            .json(&json!({ "phone": ACTIVE }))
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 200);
        let missing = client
            .get(format!("{base}/api/v1/nothing"))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 404);
        let exposition = client.get(&metrics).send().await.unwrap();
        assert_eq!(exposition.status(), 200);
        assert!(
            exposition.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/plain; version=0.0.4")
        );
        let public = client.get(format!("{base}/metrics")).send().await.unwrap();
        (
            exposition.text().await.unwrap(),
            public.text().await.unwrap(),
        )
    });
    assert!(exposition.contains(
        r#"portal_http_requests_total{method="POST",route="/api/v1/auth/sms-code",status="200"} 1"#
    ), "{exposition}");
    assert!(exposition.contains(r#"portal_sms_total{result="sent"} 1"#));
    assert!(
        !public_metrics.contains("portal_http_requests_total"),
        "metrics leak on the public port"
    );

    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap();
    assert!(status.success());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let events: Vec<Value> = stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(
        events
            .iter()
            .any(|e| e["fields"]["message"] == "request failed" && e["fields"]["status"] == 404),
        "{stderr}"
    );
    assert!(
        events.iter().any(|e| e["fields"]["phone"] == "138****0001"),
        "the dev gateway logs the masked phone: {stderr}"
    );
    assert!(
        !stderr.contains(ACTIVE),
        "a full phone number in the logs: {stderr}"
    );
}
