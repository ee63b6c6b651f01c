//! The server's foundation over real HTTP: health, static serving, caching, precompression,
//! SPA fallback, config injection and clear start-up errors.
use std::path::PathBuf;
use std::process::Command;

use server::AppState;
use server::config::Config;

/// A throwaway directory under the system temp dir.
fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("portal-server-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A fake Trunk bundle: index.html with a config block, a hashed script with a brotli sibling.
fn fake_dist(name: &str) -> PathBuf {
    let dist = temp_dir(&format!("{name}-dist"));
    let index = r#"<html lang="zh-CN"><head><script id="portal-config" type="application/json">{"apiBase":"/api"}</script></head><body><div id="shell">工会会员服务</div></body></html>"#;
    std::fs::write(dist.join("index.html"), index).unwrap();
    std::fs::write(
        dist.join("portal-0123456789abcdef.js"),
        "console.log('portal')",
    )
    .unwrap();
    std::fs::write(dist.join("portal-0123456789abcdef.js.br"), b"BROTLI-BYTES").unwrap();
    std::fs::write(dist.join("manifest.webmanifest"), "{}").unwrap();
    dist
}

/// Starts the app in-process on a free port and returns its base URL.
async fn spawn_app(name: &str, api_base: &str) -> String {
    let mut config = Config::for_tests(temp_dir(&format!("{name}-data")), fake_dist(name));
    config.portal_api_base = api_base.to_owned();
    let portal = server::static_files::Portal::load(&config);
    let state = AppState {
        config: config.into(),
        portal: portal.into(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, server::http::app(state)).await });
    format!("http://{addr}")
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
        .arg(fake_dist("taken-port"))
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
