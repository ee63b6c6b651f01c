//! Test helpers: the real app on a free port with a fresh database (SQLite, or PostgreSQL when
//! `PORTAL_TEST_PG_URL` is set), and a cookie-keeping HTTP client.
#![allow(dead_code)]

pub mod aliyun_sms;
pub mod tencent_sms;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};
use server::AppState;
use server::config::Config;

/// Which database a test runs against.
#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A throwaway directory under the system temp dir.
pub fn temp_dir(name: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("portal-test-{}-{n}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A fake portal bundle: index.html with a config block, a build directory of assets with brotli
/// siblings.
pub fn fake_dist() -> PathBuf {
    let dist = temp_dir("dist");
    let index = r#"<html lang="zh-CN"><head><script id="portal-config" type="application/json">{"apiBase":"/api"}</script><script>boot()</script></head><body><div id="shell">工会会员服务</div></body></html>"#;
    std::fs::write(dist.join("index.html"), index).unwrap();
    std::fs::create_dir_all(dist.join("assets/0123456789abcdef")).unwrap();
    std::fs::write(
        dist.join("assets/0123456789abcdef/portal.js"),
        "console.log('portal')",
    )
    .unwrap();
    std::fs::write(
        dist.join("assets/0123456789abcdef/portal.js.br"),
        b"BROTLI-BYTES",
    )
    .unwrap();
    std::fs::write(dist.join("index.html.br"), b"STALE-INDEX").unwrap();
    std::fs::write(
        dist.join("assets/0123456789abcdef/portal_bg.wasm"),
        b"\0asm\x01\0\0\0",
    )
    .unwrap();
    std::fs::write(
        dist.join("assets/0123456789abcdef/portal_bg.wasm.br"),
        b"WASM-BROTLI",
    )
    .unwrap();
    std::fs::write(dist.join("manifest.webmanifest"), "{}").unwrap();
    dist
}

/// A fresh PostgreSQL database on the server named by `PORTAL_TEST_PG_URL`.
async fn fresh_postgres() -> String {
    use sqlx::Executor;
    let url = std::env::var("PORTAL_TEST_PG_URL").expect("PORTAL_TEST_PG_URL");
    sqlx::any::install_default_drivers();
    let name = format!(
        "portal_test_{}_{}",
        std::process::id(),
        server::crypto::random_hex(6)
    );
    let admin = sqlx::AnyPool::connect(&url)
        .await
        .expect("connect to PostgreSQL");
    drop_databases_of_finished_runs(&admin).await;
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create test database");
    admin.close().await;
    let base = url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&url);
    format!("{base}/{name}")
}

/// Test databases are named after the test process; drop those whose process has ended, so
/// runs do not pile databases up on the server.
async fn drop_databases_of_finished_runs(admin: &sqlx::AnyPool) {
    use sqlx::Executor;
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT datname::text FROM pg_database WHERE datname LIKE 'portal_test_%'",
    )
    .fetch_all(admin)
    .await
    .unwrap_or_default();
    for name in names {
        let pid = name.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
        let finished =
            pid.is_some_and(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists());
        if finished {
            let _ = admin
                .execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
                .await;
        }
    }
}

/// A running app and what tests need to reach into it.
pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub client: reqwest::Client,
    /// The CSRF token of the current session, sent on unsafe requests by the helpers.
    pub csrf: Option<String>,
}

/// Starts the app with seeded demo data; `tweak` adjusts the configuration first.
pub async fn spawn_app_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::for_tests(temp_dir("data"), fake_dist());
    if let Backend::Postgres = backend {
        config.database_url = Some(fresh_postgres().await);
    }
    tweak(&mut config);
    let state = AppState::new(config).await.expect("app state");
    server::seed::seed(&state).await.expect("seed");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = server::http::app(state.clone())
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await });
    TestApp {
        base: format!("http://{addr}"),
        state,
        client: client(),
        csrf: None,
    }
}

impl TestApp {
    /// Enrols this app's browser as a kiosk device: the admin command's one-time token, then
    /// the enrolment form, which sets the device cookie in the client's jar.
    pub async fn enrol_as_kiosk(&self) {
        let state = &self.state;
        // Each browser a kiosk of its own: enrolling a name again replaces its credential.
        static KIOSKS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = KIOSKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("test kiosk {n}");
        let token = server::admin::kiosk::enroll(&state.db, state.clock.now(), &name)
            .await
            .unwrap();
        let enrolled = self
            .client
            .post(self.url("/api/v1/kiosk/enrol"))
            .form(&[("token", token)])
            .send()
            .await
            .unwrap();
        // 303 to /kiosk, or the fake bundle's page when the client follows redirects.
        let status = enrolled.status();
        assert!(status.is_success() || status.is_redirection(), "{status}");
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// POSTs JSON with the session's CSRF token when there is one.
    pub async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        let mut request = self.client.post(self.url(path)).json(&body);
        if let Some(csrf) = &self.csrf {
            request = request.header("x-csrf-token", csrf);
        }
        request.send().await.unwrap()
    }

    /// Requests a code and reads it back from the dev outbox.
    pub async fn sms_code(&self, phone: &str) -> String {
        let response = self
            .post("/api/v1/auth/sms-code", json!({ "phone": phone }))
            .await;
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        self.latest_code(phone).await
    }

    /// The code in the newest dev-outbox message for `phone`.
    pub async fn latest_code(&self, phone: &str) -> String {
        let messages: Value = self
            .get(&format!("/api/v1/dev/outbox?phone={phone}"))
            .await
            .json()
            .await
            .unwrap();
        let body = messages[0]["body"]
            .as_str()
            .expect("a message in the outbox");
        body.chars().filter(char::is_ascii_digit).take(6).collect()
    }

    /// Signs in with the password and remembers the CSRF token.
    pub async fn sign_in(&mut self, phone: &str) -> Value {
        let response = self
            .post(
                "/api/v1/auth/password-sign-in",
                json!({ "phone": phone, "password": server::seed::DEMO_PASSWORD }),
            )
            .await;
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        let session: Value = response.json().await.unwrap();
        self.csrf = session["csrf_token"].as_str().map(str::to_owned);
        session
    }
}

/// A signed-in member with their own cookies, for tests with several members at once.
#[derive(Clone)]
pub struct Member {
    pub base: String,
    pub client: reqwest::Client,
    pub csrf: String,
}

impl Member {
    pub async fn sign_in(app: &TestApp, phone: &str) -> Member {
        let client = client();
        let response = client
            .post(app.url("/api/v1/auth/password-sign-in"))
            .json(&json!({ "phone": phone, "password": server::seed::DEMO_PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{phone} could not sign in");
        let session: Value = response.json().await.unwrap();
        Member {
            base: app.base.clone(),
            client,
            csrf: session["csrf_token"].as_str().unwrap().to_owned(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        response.json().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await
            .unwrap()
    }
}

/// Runs one scenario on SQLite and, when configured, PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                ($body)($crate::common::Backend::Sqlite).await;
            }

            #[tokio::test]
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
