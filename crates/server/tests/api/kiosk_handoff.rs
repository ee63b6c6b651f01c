//! Kiosk sign-in handed off to the member's phone, over real HTTP on SQLite and PostgreSQL.
use crate::common::{Backend, TestApp, client, spawn_app, spawn_app_with};
use serde_json::{Value, json};

const ZHANG_WEI: &str = "13800000001";

async fn body(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

/// A second browser on the same server: the member's phone.
fn phone_of(kiosk: &TestApp) -> TestApp {
    TestApp {
        base: kiosk.base.clone(),
        state: kiosk.state.clone(),
        client: client(),
        csrf: None,
    }
}

on_both_databases!(
    a_phone_approves_a_kiosk_code_and_the_kiosk_signs_in_once,
    |backend: Backend| async move {
        let kiosk = spawn_app_with(backend, |config| config.kiosk = true).await;
        kiosk.enrol_as_kiosk().await;
        let created = kiosk.post("/api/v1/auth/kiosk-handoff", json!({})).await;
        assert_eq!(created.status(), 201);
        let handoff = body(created).await;
        let code = handoff["code"].as_str().unwrap().to_owned();
        let token = handoff["poll_token"].as_str().unwrap().to_owned();
        let claim = json!({ "code": code, "poll_token": token });

        let waiting = kiosk
            .post("/api/v1/auth/kiosk-handoff/claim", claim.clone())
            .await;
        assert_eq!(waiting.status(), 200);
        assert_eq!(body(waiting).await["status"], "waiting");

        let mut phone = phone_of(&kiosk);
        let anonymous = phone
            .post(
                "/api/v1/auth/kiosk-handoff/approve",
                json!({ "code": code }),
            )
            .await;
        assert_eq!(anonymous.status(), 401);
        phone.sign_in(ZHANG_WEI).await;
        let approved = phone
            .post(
                "/api/v1/auth/kiosk-handoff/approve",
                json!({ "code": code }),
            )
            .await;
        assert_eq!(approved.status(), 204);

        let forged = json!({ "code": code, "poll_token": "0".repeat(32) });
        let refused = kiosk.post("/api/v1/auth/kiosk-handoff/claim", forged).await;
        assert_eq!(refused.status(), 410);

        let signed_in = kiosk
            .post("/api/v1/auth/kiosk-handoff/claim", claim.clone())
            .await;
        assert_eq!(signed_in.status(), 200);
        let answer = body(signed_in).await;
        assert_eq!(answer["status"], "signed_in");
        assert_eq!(answer["session"]["kind"], "kiosk");
        assert_eq!(answer["session"]["display_name"], "张伟");
        assert_eq!(kiosk.get("/api/v1/auth/session").await.status(), 200);

        let again = kiosk.post("/api/v1/auth/kiosk-handoff/claim", claim).await;
        assert_eq!(again.status(), 410);
        assert_eq!(body(again).await["code"], "handoff_expired");
        let reused = phone
            .post(
                "/api/v1/auth/kiosk-handoff/approve",
                json!({ "code": code }),
            )
            .await;
        assert_eq!(reused.status(), 410);
    }
);

on_both_databases!(
    only_kiosk_deployments_hand_out_codes,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let response = app.post("/api/v1/auth/kiosk-handoff", json!({})).await;
        assert_eq!(response.status(), 404);
    }
);
