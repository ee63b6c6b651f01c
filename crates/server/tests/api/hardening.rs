//! Hardening over real HTTP on SQLite and PostgreSQL: `__Host-` cookies that live as long as
//! the idle timeout, security headers, a CSP without inline styles, the global concurrency cap
//! and the request timeout.
use crate::common::{Backend, spawn_app_with, temp_dir};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const ZHANG_WEI: &str = "13800000001";

fn set_cookies(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
}

/// The value of cookie `name` in a `Set-Cookie` list.
fn cookie_value(cookies: &[String], name: &str) -> String {
    cookies
        .iter()
        .find_map(|c| c.strip_prefix(&format!("{name}=")))
        .and_then(|rest| rest.split(';').next())
        .unwrap_or_else(|| panic!("no {name} in {cookies:?}"))
        .to_owned()
}

on_both_databases!(
    production_cookies_are_host_prefixed_and_last_as_long_as_the_idle_timeout,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |config| config.insecure_cookies = false).await;
        // No cookie jar: a plain-HTTP test client would not send Secure cookies back.
        let client = reqwest::Client::new();
        let signed_in = client
            .post(app.url("/api/v1/auth/password-sign-in"))
            .json(&json!({ "phone": ZHANG_WEI, "password": server::seed::DEMO_PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), 200);
        let cookies = set_cookies(&signed_in);
        let idle = app.state.config.session_idle_seconds;
        for (name, http_only) in [
            ("__Host-portal_session", true),
            ("__Host-portal_csrf", false),
        ] {
            let cookie = cookies.iter().find(|c| c.starts_with(name)).unwrap();
            assert!(cookie.contains("; Path=/;"), "{cookie}");
            assert!(cookie.contains("; Secure"), "{cookie}");
            assert!(!cookie.contains("Domain="), "{cookie}");
            assert!(cookie.contains(&format!("Max-Age={idle};")), "{cookie}");
            assert_eq!(cookie.contains("HttpOnly"), http_only, "{cookie}");
        }
        let token = cookie_value(&cookies, "__Host-portal_session");
        let session = |cookie: String| {
            client
                .get(app.url("/api/v1/auth/session"))
                .header("cookie", cookie)
                .send()
        };
        let plain = session(format!("portal_session={token}")).await.unwrap();
        assert_eq!(
            plain.status(),
            401,
            "the unprefixed name is not the session"
        );
        let fresh = session(format!("__Host-portal_session={token}"))
            .await
            .unwrap();
        assert_eq!(fresh.status(), 200);
        assert!(
            set_cookies(&fresh).is_empty(),
            "renewed right after sign-in"
        );
        // Used again later: the cookies are renewed for another idle period.
        app.state.clock.advance(600);
        let later = session(format!("__Host-portal_session={token}"))
            .await
            .unwrap();
        assert_eq!(later.status(), 200);
        let renewed = set_cookies(&later);
        assert_eq!(renewed.len(), 2, "{renewed:?}");
        assert_eq!(cookie_value(&renewed, "__Host-portal_session"), token);
        assert!(
            renewed
                .iter()
                .all(|c| c.contains(&format!("Max-Age={idle};")))
        );
        // Idle longer than the timeout: gone, whatever the browser still holds.
        app.state.clock.advance(idle + 1);
        let idle_out = session(format!("__Host-portal_session={token}"))
            .await
            .unwrap();
        assert_eq!(idle_out.status(), 401);
    }
);

on_both_databases!(
    security_headers_are_on_pages_and_api_answers,
    |backend: Backend| async move {
        let dist = temp_dir("dist-style");
        std::fs::write(
            dist.join("index.html"),
            r#"<html><head><script id="portal-config" type="application/json">{}</script><style>body{margin:0}</style></head><body></body></html>"#,
        )
        .unwrap();
        let app = spawn_app_with(backend, |config| {
            config.insecure_cookies = false;
            config.dist_dir = dist;
        })
        .await;
        for path in ["/", "/api/health", "/api/v1/card"] {
            let response = app.get(path).await;
            assert_eq!(
                header(&response, "strict-transport-security").as_deref(),
                Some("max-age=63072000"),
                "{path}"
            );
            assert_eq!(
                header(&response, "permissions-policy").as_deref(),
                Some(server::http::PERMISSIONS_POLICY),
                "{path}"
            );
            assert_eq!(
                header(&response, "cross-origin-opener-policy").as_deref(),
                Some("same-origin"),
                "{path}"
            );
            assert_eq!(
                header(&response, "x-frame-options").as_deref(),
                Some("DENY")
            );
        }
        let policy = server::http::PERMISSIONS_POLICY;
        assert!(policy.starts_with("camera=(self), geolocation=(self), microphone=()"));
        let page = app.get("/").await;
        let csp = header(&page, "content-security-policy").unwrap();
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(
            csp.contains("style-src 'self' 'sha256-"),
            "the shell's <style> is allowed by hash: {csp}"
        );

        let dev = spawn_app_with(backend, |_| {}).await;
        let response = dev.get("/api/health").await;
        assert_eq!(header(&response, "strict-transport-security"), None);
        assert!(header(&response, "permissions-policy").is_some());
    }
);

/// Opens a connection and sends a request whose body never fully arrives.
async fn stalled_upload(base: &str) -> tokio::net::TcpStream {
    let address = base.strip_prefix("http://").unwrap();
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /api/v1/auth/sms-code HTTP/1.1\r\nHost: {address}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"phone\":"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.flush().await.unwrap();
    stream
}

on_both_databases!(
    beyond_the_concurrency_cap_requests_are_refused_with_503_overloaded,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |config| config.max_concurrent_requests = 1).await;
        assert_eq!(app.get("/api/health").await.status(), 200);
        let stalled = stalled_upload(&app.base).await;
        // The stalled request takes the only slot as soon as its head is read.
        let mut refused = None;
        for _ in 0..500 {
            let response = app.get("/api/health").await;
            if response.status() == 503 {
                refused = Some(response);
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        let refused = refused.expect("a request beyond the cap was served");
        assert_eq!(header(&refused, "retry-after").as_deref(), Some("5"));
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["code"], "overloaded");
        assert_eq!(body["retry_after_seconds"], 5);
        assert!(body["request_id"].is_string());
        // The slow client gives up: the slot is free again.
        drop(stalled);
        let mut served = false;
        for _ in 0..500 {
            if app.get("/api/health").await.status() == 200 {
                served = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert!(served, "the slot never came back");
    }
);

on_both_databases!(
    a_request_whose_body_never_arrives_ends_with_408,
    |backend: Backend| async move {
        let app = spawn_app_with(backend, |config| config.request_timeout_seconds = 1).await;
        let mut stalled = stalled_upload(&app.base).await;
        let mut answer = Vec::new();
        tokio::time::timeout(
            std::time::Duration::from_secs(30),
            stalled.read_to_end(&mut answer),
        )
        .await
        .expect("the server never answered")
        .unwrap();
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(answer.contains("\"code\":\"request_timeout\""), "{answer}");
        // Everyone else is served as usual.
        assert_eq!(app.get("/api/health").await.status(), 200);
    }
);
