//! The server's foundation over real HTTP: health, static serving, caching, precompression,
//! SPA fallback, config injection and clear start-up errors.
use std::process::Command;

mod common;

use common::{fake_dist, temp_dir};

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
        .get(format!("{base}/portal-ffffffffffffffff.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_sent_precompressed() {
    let base = spawn_app("hashed", "/api").await;
    let response = client()
        .get(format!("{base}/portal-0123456789abcdef.js"))
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
        html.contains(r#"{"apiBase":"https://union.example/api"}"#),
        "{html}"
    );
    assert!(!html.contains(r#"{"apiBase":"/api"}"#));
}

#[test]
fn a_taken_port_is_one_clear_line_and_exit_code_1() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let data = temp_dir("taken-port");
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
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
