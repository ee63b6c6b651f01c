//! Profile, card, loss reports, e-card tokens and notifications over real HTTP.
use crate::common;
use crate::common::{Backend, spawn_app};
use serde_json::{Value, json};
use server::seed::{DEMO_LOGINS, demo_resident_id};

const ACTIVE: &str = "13800000001";

on_both_databases!(
    the_profile_masks_id_and_phone,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        app.sign_in(ACTIVE).await;
        let profile: Value = app.get("/api/v1/me").await.json().await.unwrap();
        assert_eq!(profile["name"], "张伟");
        assert_eq!(profile["phone_masked"], "138****0001");
        let full_id = demo_resident_id(0);
        assert_eq!(
            profile["id_number_masked"],
            format!("{}**********{}", &full_id[..4], &full_id[14..])
        );
        assert_eq!(profile["union_path"][0], "深圳市总工会");
        assert_eq!(profile["membership_status"], "active");
    }
);

on_both_databases!(
    no_response_ever_carries_a_full_id_number,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        app.sign_in(ACTIVE).await;
        let full_ids: Vec<String> = (0..50).map(demo_resident_id).collect();
        for path in [
            "/api/v1/me",
            "/api/v1/card",
            "/api/v1/notifications",
            "/api/v1/auth/session",
        ] {
            let body = app.get(path).await.text().await.unwrap();
            for id in &full_ids {
                assert!(
                    !body.contains(id.as_str()),
                    "{path} leaked a full ID number"
                );
            }
        }
    }
);

on_both_databases!(
    each_demo_member_sees_their_own_card_state,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        for login in &DEMO_LOGINS {
            app.client = common::client();
            app.sign_in(login.phone).await;
            let card: Value = app.get("/api/v1/card").await.json().await.unwrap();
            assert_eq!(card["status"], login.status.as_str(), "{}", login.phone);
            let expected_next = login
                .status
                .next_step()
                .map(|s| serde_json::to_value(s).unwrap());
            assert_eq!(card["next_step"], expected_next.unwrap_or(Value::Null));
            if let Some(number) = card["number_masked"].as_str() {
                assert!(number.starts_with("6217 **** **** "), "{number}");
            }
        }
    }
);

on_both_databases!(
    reporting_loss_is_idempotent_and_notifies,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        app.sign_in("13800000008").await;
        let before: Value = app.get("/api/v1/notifications").await.json().await.unwrap();
        let first = app
            .post("/api/v1/card/report-loss", json!({ "reason": "lost" }))
            .await;
        assert_eq!(first.status(), 200);
        let first: Value = first.json().await.unwrap();
        assert_eq!(first["status"], "reported_lost");
        assert_eq!(first["next_step"], "replace_at_bank");
        let second: Value = app
            .post("/api/v1/card/report-loss", json!({ "reason": "lost" }))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(first, second, "a second report changes nothing");
        let losses = second["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "reported_lost")
            .count();
        assert_eq!(losses, 1);
        let after: Value = app.get("/api/v1/notifications").await.json().await.unwrap();
        assert_eq!(
            after["unread"].as_u64().unwrap(),
            before["unread"].as_u64().unwrap() + 1
        );
    }
);

on_both_databases!(
    a_card_not_yet_issued_cannot_be_reported_lost,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        app.sign_in("13800000003").await;
        let response = app
            .post("/api/v1/card/report-loss", json!({ "reason": "stolen" }))
            .await;
        assert_eq!(response.status(), 409);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "card_not_reportable");
    }
);

on_both_databases!(
    ecard_tokens_verify_until_they_expire,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        app.sign_in(ACTIVE).await;
        let token: Value = app
            .post("/api/v1/card/ecard-token", json!({}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(token["valid_for_seconds"], 60);
        let token = token["token"].as_str().unwrap().to_owned();
        let verdict: Value = app
            .post("/api/v1/card/verify", json!({ "token": token }))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(verdict["valid"], true);
        assert_eq!(verdict["member_name_masked"], "张*");

        let mut tampered = token.clone();
        tampered.replace_range(4..5, if &token[4..5] == "x" { "y" } else { "x" });
        let verdict: Value = app
            .post("/api/v1/card/verify", json!({ "token": tampered }))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(verdict["valid"], false);
        assert_eq!(verdict["reason"], "invalid");

        app.state.clock.advance(61);
        let verdict: Value = app
            .post("/api/v1/card/verify", json!({ "token": token }))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(verdict["reason"], "expired");
    }
);

on_both_databases!(
    an_inactive_card_gets_no_ecard_token,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        app.sign_in("13800000002").await;
        let response = app.post("/api/v1/card/ecard-token", json!({})).await;
        assert_eq!(response.status(), 409);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "card_not_active");
    }
);

on_both_databases!(
    members_cannot_mark_others_notifications,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        app.sign_in("13800000002").await;
        let theirs: Value = app.get("/api/v1/notifications").await.json().await.unwrap();
        let their_id = theirs["items"][0]["id"].as_str().unwrap().to_owned();
        app.client = common::client();
        app.sign_in(ACTIVE).await;
        let response = app
            .post(&format!("/api/v1/notifications/{their_id}/read"), json!({}))
            .await;
        assert_eq!(response.status(), 404);
        let mine: Value = app.get("/api/v1/notifications").await.json().await.unwrap();
        let my_id = mine["items"][0]["id"].as_str().unwrap().to_owned();
        assert_eq!(
            app.post(&format!("/api/v1/notifications/{my_id}/read"), json!({}))
                .await
                .status(),
            204
        );
        let mine: Value = app.get("/api/v1/notifications").await.json().await.unwrap();
        assert_eq!(mine["unread"], 0);
    }
);

on_both_databases!(
    service_centres_are_listed_without_signing_in,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let centres: Value = app
            .get("/api/v1/service-centres")
            .await
            .json()
            .await
            .unwrap();
        assert!(centres.as_array().unwrap().len() >= 5);
        assert!(centres[0]["lat"].as_f64().unwrap() > 22.0);
    }
);

on_both_databases!(
    the_unread_count_falls_as_messages_are_read,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        app.sign_in("13800000002").await;
        let count: Value = app
            .get("/api/v1/notifications/unread-count")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(count["unread"], 2);
        let list: Value = app.get("/api/v1/notifications").await.json().await.unwrap();
        let first = list["items"][0]["id"].as_str().unwrap().to_owned();
        let read = app
            .post(&format!("/api/v1/notifications/{first}/read"), json!({}))
            .await;
        assert_eq!(read.status(), 204);
        let count: Value = app
            .get("/api/v1/notifications/unread-count")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(count["unread"], 1);
        let all = app.post("/api/v1/notifications/read-all", json!({})).await;
        assert_eq!(all.status(), 204);
        let list: Value = app.get("/api/v1/notifications").await.json().await.unwrap();
        assert_eq!(list["unread"], 0);
    }
);

on_both_databases!(
    service_info_gives_the_hotline_centres_and_announcements,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let info: Value = app.get("/api/v1/service-info").await.json().await.unwrap();
        assert_eq!(info["hotline"], "12351");
        assert!(info["centres"].as_array().unwrap().len() >= 3);
        assert_eq!(info["centres"][0]["level"], "city");
        let announcements = info["announcements"].as_array().unwrap();
        assert!(!announcements.is_empty());
        assert!(
            announcements[0]["published_at"]
                .as_str()
                .unwrap()
                .ends_with("+08:00")
        );
    }
);

on_both_databases!(
    a_bank_activation_changes_the_card_and_tells_the_member,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        let member_id = server::admin::member_by_phone(&app.state, "13800000002")
            .await
            .unwrap();
        let status = server::card_lifecycle::apply(
            &app.state,
            &member_id,
            server::card_lifecycle::CardEventKind::Activated,
            None,
        )
        .await
        .unwrap();
        assert_eq!(status.as_str(), "active");
        app.sign_in("13800000002").await;
        let card: Value = app.get("/api/v1/card").await.json().await.unwrap();
        assert_eq!(card["status"], "active");
        assert_eq!(card["next_step"], Value::Null);
        assert!(card["activated_on"].is_string());
        assert_eq!(
            card["events"].as_array().unwrap().last().unwrap()["kind"],
            "activated"
        );
        let list: Value = app.get("/api/v1/notifications").await.json().await.unwrap();
        assert_eq!(list["items"][0]["title"], "会员卡已激活");
    }
);

on_both_databases!(
    a_card_awaiting_activation_says_what_to_do_in_both_languages,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        app.sign_in("13800000002").await;
        let zh: Value = app.get("/api/v1/card").await.json().await.unwrap();
        assert_eq!(zh["next_step"], "activate_at_bank");
        assert!(zh["next_step_text"].as_str().unwrap().contains("面签激活"));
        assert_eq!(
            zh["number_masked"].as_str().unwrap().len(),
            "6217 **** **** 0000".len()
        );
        let en: Value = app
            .client
            .get(app.url("/api/v1/card"))
            .header("accept-language", "en-US,en;q=0.9")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(en["next_step_text"].as_str().unwrap().contains("activate"));
        assert!(en["bank"].as_str().unwrap().contains("Bank of China"));
    }
);
