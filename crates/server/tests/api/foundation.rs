//! The server's foundation over real HTTP: health, static serving, caching, precompression,
//! SPA fallback, config injection and clear start-up errors.
use std::process::Command;

use crate::common;
use crate::common::{fake_dist, temp_dir};

/// Starts the app in-process on a free port and returns its base URL.
async fn spawn_app(_name: &str, api_base: &str) -> String {
    let api_base = api_base.to_owned();
    common::spawn_app_with(common::Backend::Sqlite, move |config| {
        config.portal_api_base = api_base
    })
    .await
    .base
}

fn client() -> reqwest::Client {
    // No automatic decompression: we check what goes over the wire.
    reqwest::Client::builder().build().unwrap()
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn health_answers_ok() {
    let base = spawn_app("health", "/api").await;
    let response = client()
        .get(format!("{base}/api/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn unknown_api_paths_get_the_error_envelope_not_the_app() {
    let base = spawn_app("api404", "/api").await;
    let response = client()
        .get(format!("{base}/api/v1/nothing-here"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "not_found");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn deep_links_load_the_app_uncached() {
    let base = spawn_app("deeplink", "/api").await;
    let response = client().get(format!("{base}/card")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "cache-control"), "no-cache");
    assert!(response.text().await.unwrap().contains(r#"id="shell""#));
}

#[tokio::test]
async fn missing_files_are_404_not_the_app() {
    let base = spawn_app("missingfile", "/api").await;
    let response = client()
        .get(format!("{base}/assets/ffffffffffffffff/portal.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_sent_precompressed() {
    let base = spawn_app("hashed", "/api").await;
    let response = client()
        .get(format!("{base}/assets/0123456789abcdef/portal.js"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(header(&response, "content-encoding"), "br");
    assert!(header(&response, "vary").contains("accept-encoding"));
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"BROTLI-BYTES");
}

#[tokio::test]
async fn unhashed_static_files_are_cached_briefly() {
    let base = spawn_app("unhashed", "/api").await;
    let response = client()
        .get(format!("{base}/manifest.webmanifest"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "cache-control"), "public, max-age=3600");
}

#[tokio::test]
async fn the_deployment_api_base_is_injected_into_the_page() {
    let base = spawn_app("inject", "https://union.example/api").await;
    let html = client()
        .get(format!("{base}/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"{"apiBase":"https://union.example/api","kiosk":false}"#),
        "{html}"
    );
    assert!(!html.contains(r#"{"apiBase":"/api"}"#));
}

#[test]
fn a_taken_port_is_one_clear_line_and_exit_code_1() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let data = temp_dir("taken-port");
    let output = production_keys(&mut Command::new(env!("CARGO_BIN_EXE_server")))
        .args(["--port", &port, "--data-dir"])
        .arg(&data)
        .arg("--dist-dir")
        .arg(fake_dist())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<_> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].starts_with("error: cannot listen on") && lines[0].contains("--port"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
}

#[test]
fn an_unusable_data_dir_is_one_clear_line_and_exit_code_1() {
    let file = temp_dir("not-a-dir").join("plain-file");
    std::fs::write(&file, "x").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["--port", "0", "--data-dir"])
        .arg(file.join("data"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr
            .trim()
            .starts_with("error: cannot use data directory"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

#[tokio::test]
async fn the_page_gets_a_policy_allowing_wasm_and_its_own_inline_script() {
    let base = spawn_app("csp", "/api").await;
    let response = client().get(format!("{base}/")).send().await.unwrap();
    let csp = header(&response, "content-security-policy");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(csp.contains("'sha256-"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(header(&response, "x-content-type-options"), "nosniff");
}

#[tokio::test]
async fn the_page_is_never_the_stale_precompressed_copy() {
    let base = spawn_app("stale", "/api").await;
    let response = client()
        .get(format!("{base}/index.html"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, "cache-control"), "no-cache");
    let body = response.bytes().await.unwrap();
    assert_ne!(body.as_ref(), b"STALE-INDEX");
}

#[tokio::test]
async fn wasm_is_served_as_application_wasm_precompressed() {
    let base = spawn_app("wasm", "/api").await;
    let response = client()
        .get(format!("{base}/assets/0123456789abcdef/portal_bg.wasm"))
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), "application/wasm");
    assert_eq!(header(&response, "content-encoding"), "br");
    assert_eq!(
        header(&response, "cache-control"),
        "public, max-age=31536000, immutable"
    );
}

#[tokio::test]
async fn api_json_is_compressed_on_the_fly_and_never_cached() {
    let base = spawn_app("gzip", "/api").await;
    let response = client()
        .get(format!("{base}/api/v1/service-info"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-encoding"), "gzip");
    assert_eq!(header(&response, "cache-control"), "no-store");
}

#[tokio::test]
async fn every_response_carries_a_request_id_that_errors_repeat() {
    let base = spawn_app("reqid", "/api").await;
    let response = client()
        .get(format!("{base}/api/v1/card"))
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(header(&response, "x-request-id"), "trace-me-42");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["request_id"], "trace-me-42");
    let generated = client().get(format!("{base}/")).send().await.unwrap();
    assert!(!header(&generated, "x-request-id").is_empty());
}

#[tokio::test]
async fn a_wrong_method_on_an_api_path_gets_the_envelope() {
    let base = spawn_app("method", "/api").await;
    let response = client()
        .delete(format!("{base}/api/v1/card"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "method_not_allowed");
}

#[tokio::test]
async fn the_openapi_document_is_served() {
    let base = spawn_app("openapi", "/api").await;
    let body: serde_json::Value = client()
        .get(format!("{base}/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(body["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(body["paths"]["/api/v1/card"].is_object());
}

#[tokio::test]
async fn the_dev_outbox_is_not_found_unless_enabled() {
    let sms = common::tencent_sms::FakeTencentSms::start().await;
    let app = common::spawn_app_with(common::Backend::Sqlite, |config| {
        // Outside development the signing keys and an SMS provider must be configured.
        sms.configure(config);
        config.dev_outbox = false;
        config.ecard_keys = Some(format!("k1:{}", "1".repeat(64)));
        config.offline_card_keys = Some(format!("o1:{}", "2".repeat(64)));
        config.sms_code_keys = Some(format!("s1:{}", "3".repeat(64)));
    })
    .await;
    let response = app.get("/api/v1/dev/outbox?phone=13800000001").await;
    assert_eq!(response.status(), 404);
}

/// The signing keys a production server must be given (see `crates/server/tests/ecard.rs`).
fn production_keys(command: &mut Command) -> &mut Command {
    command
        .env("PORTAL_ECARD_KEYS", format!("k1:{}", "1".repeat(64)))
        .env("PORTAL_OFFLINE_CARD_KEYS", format!("o1:{}", "2".repeat(64)))
        .env("PORTAL_SMS_CODE_KEYS", format!("s1:{}", "3".repeat(64)))
        // Production needs an SMS provider; nothing here sends a code.
        .env("PORTAL_SMS_PROVIDER", "tencent")
        .env("PORTAL_SMS_SECRET_ID", "AKIDtest")
        .env("PORTAL_SMS_SECRET_KEY", "test-secret-key")
        .env("PORTAL_SMS_APP_ID", "1400000000")
        .env("PORTAL_SMS_SIGN_NAME", "工会会员服务")
        .env("PORTAL_SMS_TEMPLATE_ID", "100000")
}

/// Runs the server binary with `args` and returns (exit code, stdout, stderr).
fn run_server(args: &[&str], data_dir: &std::path::Path) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env("PORTAL_ARGON2_MEMORY_KIB", "1024")
        .env("PORTAL_ARGON2_ITERATIONS", "1")
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_bad_database_url_is_one_clear_line_and_exit_code_1() {
    let (code, _, stderr) = run_server(
        &["--port", "0", "--database-url", "mysql://nowhere/x"],
        &temp_dir("bad-url"),
    );
    assert_eq!(code, Some(1));
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: cannot open the database"),
        "{stderr}"
    );
}

#[test]
fn help_lists_every_flag_with_its_environment_variable() {
    let (code, stdout, _) = run_server(&["--help"], &temp_dir("help"));
    assert_eq!(code, Some(0));
    for flag in [
        "--host",
        "--port",
        "--data-dir",
        "--dist-dir",
        "--database-url",
        "--insecure-cookies",
        "--dev-outbox",
        "--seed-demo",
        "--portal-api-base",
        "--wechat-api-base",
        "--wechat-app-id",
        "--wechat-app-secret",
        "DATABASE_URL",
        "seed",
        "admin",
    ] {
        assert!(stdout.contains(flag), "--help lacks {flag}:\n{stdout}");
    }
}

#[test]
fn seeding_prints_demo_logins_and_admin_moves_a_card_through_its_life() {
    let data = temp_dir("seed-cli");
    let (code, stdout, stderr) = run_server(&["seed"], &data);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("13800000001"), "{stdout}");
    assert!(stdout.contains("awaiting_activation"), "{stdout}");
    let (_, again, _) = run_server(&["seed"], &data);
    assert!(again.contains("nothing seeded"), "{again}");

    let (code, stdout, stderr) = run_server(
        &[
            "admin",
            "card-event",
            "--phone",
            "13800000002",
            "--event",
            "activated",
        ],
        &data,
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout.trim(), "card of 138****0002 is now active");
    let (code, _, stderr) = run_server(
        &[
            "admin",
            "card-event",
            "--phone",
            "13800000002",
            "--event",
            "activated",
        ],
        &data,
    );
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("a card that is active cannot be activated"),
        "{stderr}"
    );
}

#[test]
fn the_server_announces_its_address_and_serves_without_a_bundle() {
    use std::io::{BufRead, BufReader};
    let data = temp_dir("announce");
    let mut child = production_keys(&mut Command::new(env!("CARGO_BIN_EXE_server")))
        .args(["--port", "0", "--seed-demo", "--dist-dir"])
        .arg(data.join("no-dist"))
        .arg("--data-dir")
        .arg(&data)
        .env("PORTAL_ARGON2_MEMORY_KIB", "1024")
        .env("PORTAL_ARGON2_ITERATIONS", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let url = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|line| line.strip_prefix("listening on ").map(str::to_owned));
    let url = url.expect("a `listening on` line");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let health = std::net::TcpStream::connect(url.trim_start_matches("http://"));
    let _ = child.kill();
    let _ = child.wait();
    assert!(health.is_ok());
    assert!(data.join("portal.db").exists());
}
