//! The portal on its own origin: the API answers CORS with credentials for exactly the
//! `--cors-origin` origins, and CSRF still guards unsafe requests from them.

use crate::common::{Backend, TestApp, spawn_app, spawn_app_with};
use serde_json::json;

const PORTAL: &str = "https://portal.union.test";
const ZHANG_WEI: &str = "13800000001";

async fn cross_origin_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |config| {
        config.cors.cors_origins = vec![PORTAL.to_owned()];
    })
    .await
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

async fn preflight(app: &TestApp, origin: &str) -> reqwest::Response {
    app.client
        .request(
            reqwest::Method::OPTIONS,
            app.url("/api/v1/aid/applications"),
        )
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,x-csrf-token,idempotency-key",
        )
        .send()
        .await
        .unwrap()
}

on_both_databases!(
    a_configured_origin_may_send_credentials_and_the_csrf_and_idempotency_headers,
    |backend: Backend| async move {
        let app = cross_origin_app(backend).await;

        let response = preflight(&app, PORTAL).await;

        assert!(response.status().is_success(), "{}", response.status());
        assert_eq!(header(&response, "access-control-allow-origin"), PORTAL);
        assert_eq!(
            header(&response, "access-control-allow-credentials"),
            "true"
        );
        let allowed = header(&response, "access-control-allow-headers");
        for name in ["x-csrf-token", "idempotency-key", "content-type"] {
            assert!(allowed.contains(name), "{name} not in {allowed}");
        }
        assert!(header(&response, "access-control-allow-methods").contains("post"));
    }
);

on_both_databases!(
    any_other_origin_gets_no_cors_permission,
    |backend: Backend| async move {
        let app = cross_origin_app(backend).await;
        let same_origin_only = spawn_app(backend).await;

        for (app, origin) in [
            (&app, "https://evil.example"),
            (&app, "https://portal.union.test.evil.example"),
            (&same_origin_only, PORTAL),
        ] {
            let response = preflight(app, origin).await;
            assert_eq!(
                header(&response, "access-control-allow-origin"),
                "",
                "{origin}"
            );
            assert_eq!(header(&response, "access-control-allow-credentials"), "");
        }
    }
);

on_both_databases!(
    a_portal_on_another_origin_signs_in_reads_its_session_and_still_needs_the_csrf_token,
    |backend: Backend| async move {
        let app = cross_origin_app(backend).await;
        let post = |path: &str, csrf: Option<&str>, body: serde_json::Value| {
            let mut request = app
                .client
                .post(app.url(path))
                .header("origin", PORTAL)
                .json(&body);
            if let Some(csrf) = csrf {
                request = request.header("x-csrf-token", csrf);
            }
            request.send()
        };

        let signed_in = post(
            "/api/v1/auth/password-sign-in",
            None,
            json!({ "phone": ZHANG_WEI, "password": server::seed::DEMO_PASSWORD }),
        )
        .await
        .unwrap();
        assert_eq!(signed_in.status(), 200);
        assert_eq!(header(&signed_in, "access-control-allow-origin"), PORTAL);
        assert_eq!(
            header(&signed_in, "access-control-allow-credentials"),
            "true"
        );
        assert!(header(&signed_in, "access-control-expose-headers").contains("x-request-id"));
        // The portal cannot read the API origin's CSRF cookie: the token is in the body.
        let session: serde_json::Value = signed_in.json().await.unwrap();
        let csrf = session["csrf_token"].as_str().unwrap().to_owned();
        let again = app
            .client
            .get(app.url("/api/v1/auth/session"))
            .header("origin", PORTAL)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 200);
        let again: serde_json::Value = again.json().await.unwrap();
        assert_eq!(again["csrf_token"], csrf.as_str());

        let forged = post("/api/v1/auth/sign-out", None, json!({}))
            .await
            .unwrap();
        assert_eq!(forged.status(), 403, "no CSRF header, no sign-out");
        // Refusals carry the CORS headers too, so the portal can read the envelope.
        assert_eq!(header(&forged, "access-control-allow-origin"), PORTAL);

        let signed_out = post("/api/v1/auth/sign-out", Some(&csrf), json!({}))
            .await
            .unwrap();
        assert!(signed_out.status().is_success(), "{}", signed_out.status());
    }
);
