//! Per-address limits behind a reverse proxy: the forwarding header is believed only from a
//! `--trusted-proxy` peer, and then only its rightmost untrusted hop. The test client connects
//! from 127.0.0.1, so trusting 127.0.0.1 makes the test the proxy.

use crate::common::{Backend, TestApp, spawn_app_with};
use serde_json::json;

/// A phone nobody has, different for each request (so only the address's cap applies).
fn phone(n: usize) -> String {
    format!("1391234{n:04}")
}

async fn request_code_via(app: &TestApp, n: usize, forwarded_for: &str) -> u16 {
    app.client
        .post(app.url("/api/v1/auth/sms-code"))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({ "phone": phone(n) }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn app_trusting(backend: Backend, cidrs: &[&str]) -> TestApp {
    let trusted: Vec<ipnet::IpNet> = cidrs
        .iter()
        .map(|c| server::proxy::parse_cidr(c).unwrap())
        .collect();
    spawn_app_with(backend, move |config| {
        config.sms_per_ip_hourly = 2;
        config.deploy.trusted_proxies = trusted;
    })
    .await
}

on_both_databases!(
    behind_a_trusted_proxy_each_client_has_its_own_address_limit,
    |backend: Backend| async move {
        let app = app_trusting(backend, &["127.0.0.1/32"]).await;
        assert_eq!(request_code_via(&app, 1, "198.51.100.1").await, 200);
        assert_eq!(request_code_via(&app, 2, "198.51.100.1").await, 200);
        assert_eq!(request_code_via(&app, 3, "198.51.100.1").await, 429);
        // Another client behind the same proxy is not affected.
        assert_eq!(request_code_via(&app, 4, "198.51.100.2").await, 200);
        // A client that writes its own X-Forwarded-For gets the proxy's entry appended: the
        // spoofed left entry is ignored and the real address stays blocked.
        assert_eq!(
            request_code_via(&app, 5, "203.0.113.77, 198.51.100.1").await,
            429
        );
    }
);

on_both_databases!(
    from_an_untrusted_peer_the_forwarding_header_is_ignored,
    |backend: Backend| async move {
        let app = app_trusting(backend, &["10.0.0.0/8"]).await;
        // Each request claims another address; all count against the peer's.
        assert_eq!(request_code_via(&app, 1, "198.51.100.1").await, 200);
        assert_eq!(request_code_via(&app, 2, "198.51.100.2").await, 200);
        assert_eq!(request_code_via(&app, 3, "198.51.100.3").await, 429);
    }
);

#[tokio::test]
async fn without_trusted_proxies_the_header_is_ignored_too() {
    let app = app_trusting(Backend::Sqlite, &[]).await;
    assert_eq!(request_code_via(&app, 1, "198.51.100.1").await, 200);
    assert_eq!(request_code_via(&app, 2, "198.51.100.2").await, 200);
    assert_eq!(request_code_via(&app, 3, "198.51.100.3").await, 429);
}

#[tokio::test]
async fn rfc_7239_forwarded_is_read_when_chosen_and_x_forwarded_for_then_ignored() {
    let trusted = vec![server::proxy::parse_cidr("127.0.0.1").unwrap()];
    let app = spawn_app_with(Backend::Sqlite, move |config| {
        config.sms_per_ip_hourly = 1;
        config.deploy.trusted_proxies = trusted;
        config.deploy.forwarded_header = server::proxy::ForwardedHeader::Forwarded;
    })
    .await;
    let send = |n: usize, name: &'static str, value: &'static str| {
        app.client
            .post(app.url("/api/v1/auth/sms-code"))
            .header(name, value)
            .json(&json!({ "phone": phone(n) }))
            .send()
    };
    let status = |r: reqwest::Response| r.status().as_u16();
    assert_eq!(
        status(send(1, "forwarded", "for=198.51.100.1").await.unwrap()),
        200
    );
    assert_eq!(
        status(
            send(2, "forwarded", r#"for="[2001:db8::1]:4711""#)
                .await
                .unwrap()
        ),
        200
    );
    assert_eq!(
        status(send(3, "forwarded", "for=198.51.100.1").await.unwrap()),
        429
    );
    // X-Forwarded-For is not read: the proxy's own address is the client, first request from it.
    assert_eq!(
        status(send(4, "x-forwarded-for", "198.51.100.9").await.unwrap()),
        200
    );
    assert_eq!(
        status(send(5, "x-forwarded-for", "198.51.100.10").await.unwrap()),
        429
    );
}

#[test]
fn the_old_trust_forwarded_for_flag_is_refused_with_its_replacement_named() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args([
            "--port",
            "0",
            "--dev-outbox",
            "--trust-forwarded-for",
            "--data-dir",
        ])
        .arg(crate::common::temp_dir("old-flag"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--trusted-proxy"), "{stderr}");
}
