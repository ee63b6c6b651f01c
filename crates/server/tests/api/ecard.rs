//! E-card tokens and offline codes over real HTTP: lifetime cap, single use, key rotation,
//! separate keys per purpose, offline codes revoked with the session and the card, and a
//! production server that refuses to start without keys.
use crate::common;
use crate::common::{Backend, TestApp, client, spawn_app, spawn_app_with};
use contract::card::{hex_bytes, offline_payload, offline_step};
use serde_json::{Value, json};
use server::AppState;
use server::keys::{KeyRing, Purpose};

const ACTIVE: &str = "13800000001";
const ECARD_OLD: &str = "k0:0000000000000000000000000000000000000000000000000000000000000000";
const ECARD_NEW: &str = "k1:1111111111111111111111111111111111111111111111111111111111111111";
const BIND: &str = "w1:2222222222222222222222222222222222222222222222222222222222222222";

async fn token(app: &TestApp) -> String {
    let response = app.post("/api/v1/card/ecard-token", json!({})).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["token"].as_str().unwrap().to_owned()
}

/// What `/card/verify` says of `token` (asked without a session, as a merchant's scanner does).
pub(crate) async fn verdict(base: &str, token: &str) -> Value {
    client()
        .post(format!("{base}/api/v1/card/verify"))
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Another server on the same database with other keys, as after a rolling key change.
async fn same_database_with_keys(app: &TestApp, ecard_keys: &str) -> String {
    let mut config = (*app.state.config).clone();
    config.ecard_keys = Some(ecard_keys.to_owned());
    let state = AppState::new(config).await.expect("app state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let service =
        server::http::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await });
    format!("http://{addr}")
}

on_both_databases!(
    a_token_verifies_once_and_never_beyond_the_lifetime_cap,
    |backend: Backend| async move {
        let mut app = spawn_app_with(backend, |c| c.ecard_keys = Some(ECARD_OLD.into())).await;
        app.sign_in(ACTIVE).await;
        let genuine = token(&app).await;
        let first = verdict(&app.base, &genuine).await;
        assert_eq!(first["valid"], true, "{first}");
        assert_eq!(first["member_name_masked"], "张*");
        let replay = verdict(&app.base, &genuine).await;
        assert_eq!(replay["valid"], false);
        assert_eq!(replay["reason"], "invalid");

        // A token for the same card, signed with the real key, claiming year 2100.
        let parts: Vec<&str> = genuine.split('.').collect();
        let card_id = parts[3];
        let ring = KeyRing::parse(Purpose::Ecard, ECARD_OLD).unwrap();
        let forge = |expires: i64, id: &str| {
            let message = format!("e1.k0.{id}.{card_id}.{expires}");
            let (_, signature) = ring.sign(&message);
            format!("{message}.{signature}")
        };
        let far_future = forge(4_102_444_800, "forged1");
        let refused = verdict(&app.base, &far_future).await;
        assert_eq!(refused["valid"], false);
        assert_eq!(refused["reason"], "invalid");
        // The same forgery within the configured lifetime passes: the cap is what refused it.
        let now = app.state.clock.now();
        let in_lifetime = verdict(&app.base, &forge(now + 30, "forged2")).await;
        assert_eq!(in_lifetime["valid"], true, "{in_lifetime}");
    }
);

on_both_databases!(
    rotated_keys_verify_while_accepted_and_not_after_removal,
    |backend: Backend| async move {
        let mut app = spawn_app_with(backend, |c| c.ecard_keys = Some(ECARD_OLD.into())).await;
        app.sign_in(ACTIVE).await;
        let old_a = token(&app).await;
        let old_b = token(&app).await;
        assert!(old_a.starts_with("e1.k0."), "{old_a}");

        let rotated = same_database_with_keys(&app, &format!("{ECARD_NEW},{ECARD_OLD}")).await;
        let accepted = verdict(&rotated, &old_a).await;
        assert_eq!(accepted["valid"], true, "{accepted}");
        let issued = client_of(&app)
            .post(format!("{rotated}/api/v1/card/ecard-token"))
            .header("x-csrf-token", app.csrf.clone().unwrap())
            .json(&json!({}))
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap();
        let new = issued["token"].as_str().unwrap().to_owned();
        assert!(new.starts_with("e1.k1."), "{new}");

        let retired = same_database_with_keys(&app, ECARD_NEW).await;
        let refused = verdict(&retired, &old_b).await;
        assert_eq!(refused["valid"], false);
        assert_eq!(refused["reason"], "invalid");
        let current = verdict(&retired, &new).await;
        assert_eq!(current["valid"], true, "{current}");
    }
);

fn client_of(app: &TestApp) -> reqwest::Client {
    app.client.clone()
}

on_both_databases!(
    each_purpose_has_its_own_key,
    |backend: Backend| async move {
        let mut app = spawn_app_with(backend, |c| {
            c.ecard_keys = Some(ECARD_OLD.into());
            c.wechat_bind_keys = Some(BIND.into());
        })
        .await;
        app.sign_in(ACTIVE).await;
        let expires = app.state.clock.now() + 300;
        let ecard = KeyRing::parse(Purpose::Ecard, ECARD_OLD).unwrap();
        let bind = KeyRing::parse(Purpose::WeChatBind, BIND).unwrap();
        let bind_token = |ring: &KeyRing, openid: &str| {
            let message = format!("{openid}.{expires}.{}", ring.current_kid());
            format!("{message}.{}", ring.sign(&message).1)
        };
        // A bind token signed with the e-card key is refused …
        let refused = app
            .post(
                "/api/v1/auth/wechat/bind",
                json!({ "bind_token": bind_token(&ecard, "openid-forged") }),
            )
            .await;
        assert_eq!(refused.status(), 422);
        // … while the same token signed with the bind key binds.
        let bound = app
            .post(
                "/api/v1/auth/wechat/bind",
                json!({ "bind_token": bind_token(&bind, "openid-genuine") }),
            )
            .await;
        assert_eq!(bound.status(), 204);

        // An e-card token signed with the bind key is refused.
        let genuine = token(&app).await;
        let parts: Vec<&str> = genuine.split('.').collect();
        let message = format!("e1.w1.x1.{}.{expires}", parts[3]);
        let forged = format!("{message}.{}", bind.sign(&message).1);
        let refused = verdict(&app.base, &forged).await;
        assert_eq!(refused["reason"], "invalid");
    }
);

/// Provisions an offline device key for the signed-in session.
async fn provision(app: &TestApp) -> (String, Vec<u8>, i64) {
    let response = app.post("/api/v1/card/offline-device", json!({})).await;
    assert_eq!(response.status(), 200);
    let device: Value = response.json().await.unwrap();
    assert_eq!(device["step_seconds"], 30);
    assert!(
        device["expires_at"].as_i64().unwrap()
            <= device["server_time"].as_i64().unwrap() + 24 * 3600
    );
    (
        device["device_id"].as_str().unwrap().to_owned(),
        hex_bytes(device["device_key"].as_str().unwrap()).unwrap(),
        device["server_time"].as_i64().unwrap(),
    )
}

on_both_databases!(
    offline_codes_verify_once_within_the_window_and_only_for_their_device,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        app.sign_in(ACTIVE).await;
        let (device, key, now) = provision(&app).await;
        let step = offline_step(now);
        let ok = verdict(&app.base, &offline_payload(&key, &device, step)).await;
        assert_eq!(ok["valid"], true, "{ok}");
        assert_eq!(ok["card_number_masked"], "6217 **** **** 5000");
        let replay = verdict(&app.base, &offline_payload(&key, &device, step)).await;
        assert_eq!(replay["reason"], "invalid");
        // Clock skew: two steps either side are accepted, three are not.
        for (offset, reason) in [(-2, "ok"), (2, "ok"), (-3, "expired"), (3, "invalid")] {
            let answer = verdict(&app.base, &offline_payload(&key, &device, step + offset)).await;
            assert_eq!(answer["reason"], reason, "step {offset:+}: {answer}");
        }

        // Another member's phone: its key does not make codes for this device.
        let mut other = TestApp {
            base: app.base.clone(),
            state: app.state.clone(),
            client: client(),
            csrf: None,
        };
        other.sign_in("13800000008").await;
        let (other_device, other_key, _) = provision(&other).await;
        let wrong = verdict(&app.base, &offline_payload(&other_key, &device, step + 1)).await;
        assert_eq!(wrong["reason"], "invalid");
        let right = verdict(
            &app.base,
            &offline_payload(&other_key, &other_device, step + 1),
        )
        .await;
        assert_eq!(right["valid"], true, "{right}");

        // Provisioning again replaces the session's device key.
        let (newer, newer_key, _) = provision(&app).await;
        assert_ne!(newer, device);
        let replaced = verdict(&app.base, &offline_payload(&key, &device, step - 1)).await;
        assert_eq!(replaced["reason"], "invalid");
        let current = verdict(&app.base, &offline_payload(&newer_key, &newer, step - 1)).await;
        assert_eq!(current["valid"], true, "{current}");
    }
);

on_both_databases!(
    offline_codes_end_with_the_session_and_the_card,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        app.sign_in(ACTIVE).await;
        let (device, key, now) = provision(&app).await;
        let step = offline_step(now);
        let signed_out = app.post("/api/v1/auth/sign-out", json!({})).await;
        assert!(signed_out.status().is_success());
        let refused = verdict(&app.base, &offline_payload(&key, &device, step)).await;
        assert_eq!(refused["valid"], false);
        assert_eq!(refused["reason"], "invalid");

        app.sign_in(ACTIVE).await;
        let (device, key, _) = provision(&app).await;
        let lost = app
            .post("/api/v1/card/report-loss", json!({ "reason": "lost" }))
            .await;
        assert_eq!(lost.status(), 200);
        let refused = verdict(&app.base, &offline_payload(&key, &device, step)).await;
        assert_eq!(refused["valid"], false, "{refused}");
        // Whether loss also ends the session (then `invalid`) or not, the card is refused.
        let reason = refused["reason"].as_str().unwrap();
        assert!(
            ["card_not_active", "invalid"].contains(&reason),
            "{refused}"
        );
        // And no new device key for a lost card.
        if app.get("/api/v1/auth/session").await.status() == 200 {
            let again = app.post("/api/v1/card/offline-device", json!({})).await;
            assert_eq!(again.status(), 409);
        }
    }
);

on_both_databases!(
    offline_codes_end_when_the_session_expires,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        app.sign_in(ACTIVE).await;
        let (device, key, _) = provision(&app).await;
        // Past the session's absolute end (12 h): the session is over even if never touched.
        app.state.clock.advance(12 * 3600 + 1);
        let step = offline_step(app.state.clock.now());
        let refused = verdict(&app.base, &offline_payload(&key, &device, step)).await;
        assert_eq!(refused["reason"], "invalid", "{refused}");
    }
);

/// Runs the real binary with a clean environment and the given flags; returns whether it
/// started listening and what it wrote to stderr.
fn start_binary(flags: &[&str]) -> (bool, String) {
    use std::io::{BufRead, BufReader, Read};
    use std::process::{Command, Stdio};
    let data = common::temp_dir("prod");
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    for (name, _) in std::env::vars() {
        if name.starts_with("PORTAL_") || name == "DATABASE_URL" {
            command.env_remove(name);
        }
    }
    let mut child = command
        .args(["--port", "0", "--data-dir"])
        .arg(&data)
        .arg("--dist-dir")
        .arg(common::fake_dist())
        .args(flags)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the server binary");
    let first = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .next()
        .and_then(Result::ok)
        .unwrap_or_default();
    let listening = first.starts_with("listening on ");
    let _ = child.kill();
    let _ = child.wait();
    let mut stderr = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut stderr);
    (listening, stderr)
}

#[test]
fn production_refuses_to_start_without_keys_and_names_the_flag() {
    let (listening, stderr) = start_binary(&[]);
    assert!(!listening);
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains("--ecard-keys"), "{stderr}");

    let ecard = format!("--ecard-keys={ECARD_OLD}");
    let (listening, stderr) = start_binary(&[&ecard]);
    assert!(!listening);
    assert!(stderr.contains("--offline-card-keys"), "{stderr}");

    let offline = "--offline-card-keys=o1:3333333333333333333333333333333333333333";
    let (listening, stderr) = start_binary(&[&ecard, offline]);
    assert!(!listening);
    assert!(stderr.contains("--sms-code-keys"), "{stderr}");

    let codes = "--sms-code-keys=s1:4444444444444444444444444444444444444444";
    let (listening, stderr) = start_binary(&[&ecard, offline, codes]);
    assert!(!listening);
    assert!(stderr.contains("--sms-provider"), "{stderr}");

    let sms = [
        "--sms-provider=tencent",
        "--sms-secret-id=AKIDtest",
        "--sms-secret-key=test-secret-key",
        "--sms-app-id=1400000000",
        "--sms-sign-name=工会会员服务",
        "--sms-template-id=100000",
    ];
    let (listening, stderr) = start_binary(&[&[ecard.as_str(), offline, codes][..], &sms].concat());
    assert!(listening, "{stderr}");

    let shared = format!("--offline-card-keys={ECARD_OLD}");
    let (listening, stderr) = start_binary(&[&ecard, &shared, codes]);
    assert!(!listening);
    assert!(stderr.contains("share a secret"), "{stderr}");
    let shared = format!("--sms-code-keys={ECARD_OLD}");
    let (listening, stderr) = start_binary(&[&ecard, offline, &shared]);
    assert!(!listening);
    assert!(stderr.contains("share a secret"), "{stderr}");

    let (listening, stderr) = start_binary(&["--dev-outbox"]);
    assert!(listening, "development generates its keys: {stderr}");
}
