//! WeChat sign-in against a local fake of WeChat's OAuth endpoint that speaks its protocol:
//! `GET /sns/oauth2/access_token?appid&secret&code&grant_type=authorization_code`, answering
//! the token fields or `errcode`/`errmsg` with HTTP 200, each code usable once.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::common;
use crate::common::{Backend, TestApp, spawn_app_with};
use axum::extract::{Query, State};
use axum::routing::get;
use serde_json::{Value, json};

const APP_ID: &str = "wx0123456789abcdef";
const APP_SECRET: &str = "test-app-secret";
const ACTIVE: &str = "13800000001";
const OTHER: &str = "13800000008";

/// Codes the fake WeChat will accept once each, mapped to openids.
#[derive(Clone, Default)]
struct FakeWeChat {
    codes: Arc<Mutex<HashMap<String, String>>>,
}

impl FakeWeChat {
    fn issue(&self, code: &str, openid: &str) {
        self.codes
            .lock()
            .unwrap()
            .insert(code.to_owned(), openid.to_owned());
    }
}

async fn access_token(
    State(fake): State<FakeWeChat>,
    Query(query): Query<HashMap<String, String>>,
) -> axum::Json<Value> {
    let credentials_ok = query.get("appid").map(String::as_str) == Some(APP_ID)
        && query.get("secret").map(String::as_str) == Some(APP_SECRET)
        && query.get("grant_type").map(String::as_str) == Some("authorization_code");
    if !credentials_ok {
        return axum::Json(json!({ "errcode": 40125, "errmsg": "invalid appsecret" }));
    }
    let code = query.get("code").cloned().unwrap_or_default();
    match fake.codes.lock().unwrap().remove(&code) {
        Some(openid) => axum::Json(json!({
            "access_token": "ACCESS_TOKEN",
            "expires_in": 7200,
            "refresh_token": "REFRESH_TOKEN",
            "openid": openid,
            "scope": "snsapi_base",
        })),
        None => axum::Json(json!({ "errcode": 40029, "errmsg": "invalid code" })),
    }
}

/// Starts the fake and returns its base URL.
async fn spawn_fake_wechat(fake: FakeWeChat) -> String {
    let app = axum::Router::new()
        .route("/sns/oauth2/access_token", get(access_token))
        .with_state(fake);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

async fn app_with_wechat(backend: Backend, fake: &FakeWeChat) -> TestApp {
    let base = spawn_fake_wechat(fake.clone()).await;
    spawn_app_with(backend, move |config| {
        config.wechat_api_base = base;
        config.wechat_app_id = Some(APP_ID.into());
        config.wechat_app_secret = Some(APP_SECRET.into());
    })
    .await
}

/// Starts an OAuth round trip and returns the `state` (its cookie is now in the client).
async fn start(app: &TestApp) -> String {
    let response = app
        .post(
            "/api/v1/auth/wechat/start",
            json!({ "redirect_uri": "http://127.0.0.1/login" }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let url = body["authorize_url"].as_str().unwrap();
    assert!(url.contains(&format!("appid={APP_ID}")), "{url}");
    assert!(url.ends_with("#wechat_redirect"), "{url}");
    body["state"].as_str().unwrap().to_owned()
}

async fn wechat_sign_in(app: &TestApp, code: &str, state: &str) -> reqwest::Response {
    app.post(
        "/api/v1/auth/wechat/sign-in",
        json!({ "code": code, "state": state }),
    )
    .await
}

on_both_databases!(
    an_unbound_wechat_account_is_bound_after_sign_in_and_then_signs_in_alone,
    |backend: Backend| async move {
        let fake = FakeWeChat::default();
        let mut app = app_with_wechat(backend, &fake).await;

        fake.issue("code-1", "openid-zhang");
        let state = start(&app).await;
        let response = wechat_sign_in(&app, "code-1", &state).await;
        assert_eq!(response.status(), 200);
        let result: Value = response.json().await.unwrap();
        assert_eq!(result["outcome"], "not_bound");
        let bind_token = result["bind_token"].as_str().unwrap().to_owned();

        app.sign_in(ACTIVE).await;
        let bound = app
            .post(
                "/api/v1/auth/wechat/bind",
                json!({ "bind_token": bind_token }),
            )
            .await;
        assert_eq!(bound.status(), 204);
        let profile: Value = app.get("/api/v1/me").await.json().await.unwrap();
        assert_eq!(profile["wechat_bound"], true);
        app.post("/api/v1/auth/sign-out", json!({})).await;

        fake.issue("code-2", "openid-zhang");
        let state = start(&app).await;
        let result: Value = wechat_sign_in(&app, "code-2", &state)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(result["outcome"], "signed_in");
        assert_eq!(result["session"]["display_name"], "张伟");
        assert_eq!(app.get("/api/v1/auth/session").await.status(), 200);
    }
);

on_both_databases!(
    a_code_from_another_browser_is_refused_by_its_state,
    |backend: Backend| async move {
        let fake = FakeWeChat::default();
        let app = app_with_wechat(backend, &fake).await;
        fake.issue("code-1", "openid-x");
        start(&app).await;
        let response = wechat_sign_in(&app, "code-1", "forged-state").await;
        assert_eq!(response.status(), 403);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "wechat_state_mismatch");
    }
);

on_both_databases!(
    a_used_or_invented_code_is_refused,
    |backend: Backend| async move {
        let fake = FakeWeChat::default();
        let app = app_with_wechat(backend, &fake).await;
        fake.issue("code-1", "openid-x");
        let state = start(&app).await;
        assert_eq!(wechat_sign_in(&app, "code-1", &state).await.status(), 200);
        let state = start(&app).await;
        let reused = wechat_sign_in(&app, "code-1", &state).await;
        assert_eq!(reused.status(), 401);
        let body: Value = reused.json().await.unwrap();
        assert_eq!(body["code"], "wechat_code_rejected");
    }
);

on_both_databases!(
    one_wechat_account_cannot_be_bound_to_two_members,
    |backend: Backend| async move {
        let fake = FakeWeChat::default();
        let mut app = app_with_wechat(backend, &fake).await;
        let mut tokens = Vec::new();
        for code in ["code-1", "code-2"] {
            fake.issue(code, "openid-shared");
            let state = start(&app).await;
            let result: Value = wechat_sign_in(&app, code, &state)
                .await
                .json()
                .await
                .unwrap();
            tokens.push(result["bind_token"].as_str().unwrap().to_owned());
        }
        for (token, phone, expected) in [(&tokens[0], ACTIVE, 204), (&tokens[1], OTHER, 409)] {
            app.sign_in(phone).await;
            let bound = app
                .post("/api/v1/auth/wechat/bind", json!({ "bind_token": token }))
                .await;
            assert_eq!(bound.status(), expected, "{phone}");
            app.post("/api/v1/auth/sign-out", json!({})).await;
        }
    }
);

on_both_databases!(
    unbinding_stops_wechat_sign_in_and_forged_bind_tokens_are_refused,
    |backend: Backend| async move {
        let fake = FakeWeChat::default();
        let mut app = app_with_wechat(backend, &fake).await;
        fake.issue("code-1", "openid-li");
        let state = start(&app).await;
        let result: Value = wechat_sign_in(&app, "code-1", &state)
            .await
            .json()
            .await
            .unwrap();
        let token = result["bind_token"].as_str().unwrap().to_owned();
        app.sign_in(ACTIVE).await;

        let forged = token.replacen("openid-li", "openid-zz", 1);
        let refused = app
            .post("/api/v1/auth/wechat/bind", json!({ "bind_token": forged }))
            .await;
        assert_eq!(refused.status(), 422);

        let bound = app
            .post("/api/v1/auth/wechat/bind", json!({ "bind_token": token }))
            .await;
        assert_eq!(bound.status(), 204);
        let unbound = app.post("/api/v1/auth/wechat/unbind", json!({})).await;
        assert_eq!(unbound.status(), 204);

        fake.issue("code-2", "openid-li");
        let state = start(&app).await;
        let result: Value = wechat_sign_in(&app, "code-2", &state)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(result["outcome"], "not_bound");
    }
);

#[tokio::test]
async fn without_app_id_and_secret_wechat_sign_in_is_not_offered() {
    let app = common::spawn_app(Backend::Sqlite).await;
    let response = app
        .post(
            "/api/v1/auth/wechat/start",
            json!({ "redirect_uri": "http://127.0.0.1/login" }),
        )
        .await;
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "wechat_disabled");
}
