//! Mutual-aid insurance over real HTTP: plans, entitlements that follow the card, claims.
use crate::common;
use crate::common::{Backend, spawn_app};
use serde_json::Value;

const ZHANG_WEI: &str = "13800000001";
const LI_NA: &str = "13800000002";
const YANG_LEI: &str = "13800000006";
const ZHAO_MIN: &str = "13800000007";
const HUANG_QIANG: &str = "13800000008";

async fn json_at(app: &common::TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

on_both_databases!(
    plans_say_what_they_cover_and_how_to_claim,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let plans = json_at(&app, "/api/v1/insurance/plans").await;
        let plans = plans.as_array().unwrap();
        assert_eq!(plans.len(), 5);
        let serious = &plans[0];
        assert_eq!(serious["id"], "ins_serious_illness");
        assert_eq!(serious["sum_insured_fen"], 1_000_000);
        assert_eq!(serious["hotline"], "12351");
        assert!(serious["claim_documents"].as_array().unwrap().len() >= 3);
        let death = plans
            .iter()
            .find(|p| p["id"] == "ins_accidental_death")
            .unwrap();
        assert_eq!(death["sum_insured_fen"], 2_000_000);
        let gift = plans.iter().find(|p| p["activation_gift"] == true).unwrap();
        assert_eq!(gift["sum_insured_fen"], 100_000);

        let english: Value = app
            .client
            .get(app.url("/api/v1/insurance/plans"))
            .header("accept-language", "en")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(english[0]["name"], "Serious-illness mutual aid");
    }
);

on_both_databases!(
    entitlements_follow_the_state_of_the_members_card,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        app.sign_in(ZHANG_WEI).await;
        let zhang = json_at(&app, "/api/v1/insurance/entitlements").await;
        let zhang = zhang.as_array().unwrap();
        assert!(zhang.len() >= 5);
        let active = zhang.iter().filter(|e| e["status"] == "active").count();
        assert_eq!(active, zhang.len() - 1);
        let expired = zhang.iter().find(|e| e["status"] == "expired").unwrap();
        assert_eq!(expired["reason"], "period_ended");
        assert!(zhang.iter().all(|e| e["covered_until"].is_string()));

        for (phone, status, reason) in [
            (LI_NA, "pending_card_activation", "card_awaiting_activation"),
            (YANG_LEI, "suspended", "membership_lapsed"),
            (ZHAO_MIN, "expired", "card_cancelled"),
        ] {
            app.client = common::client();
            app.sign_in(phone).await;
            let list = json_at(&app, "/api/v1/insurance/entitlements").await;
            let list = list.as_array().unwrap();
            assert!(!list.is_empty(), "{phone}");
            for entitlement in list {
                assert_eq!(entitlement["status"], status, "{phone}");
                assert_eq!(entitlement["reason"], reason, "{phone}");
            }
        }
        // 李娜's cover has not started: no dates until her card is activated.
        app.client = common::client();
        app.sign_in(LI_NA).await;
        let pending = json_at(&app, "/api/v1/insurance/entitlements").await;
        assert!(pending[0]["covered_from"].is_null());
    }
);

on_both_databases!(
    cover_starts_when_the_card_is_activated,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        sqlx::query(
            "UPDATE cards SET status = 'active', activated_on = '2026-03-01' WHERE member_id = 'mem_demo002'",
        )
        .execute(&app.state.db)
        .await
        .unwrap();
        app.sign_in(LI_NA).await;
        let list = json_at(&app, "/api/v1/insurance/entitlements").await;
        for entitlement in list.as_array().unwrap() {
            assert_eq!(entitlement["covered_from"], "2026-03-01");
            assert_eq!(entitlement["covered_until"], "2027-02-28");
        }
    }
);

on_both_databases!(
    an_entitlement_lists_its_claims_with_their_history,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        app.sign_in(ZHANG_WEI).await;
        let detail = json_at(&app, "/api/v1/insurance/entitlements/ent_demo001_inpatient").await;
        assert_eq!(detail["plan"]["id"], "ins_inpatient");
        assert_eq!(detail["entitlement"]["claim_count"], 1);
        let claim = &detail["claims"][0];
        assert_eq!(claim["status"], "paid");
        assert_eq!(claim["approved_fen"], 324_000);
        assert!(
            claim["paid_to_card_masked"]
                .as_str()
                .unwrap()
                .starts_with("6217 ****")
        );
        let steps: Vec<&str> = claim["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["status"].as_str().unwrap())
            .collect();
        assert_eq!(steps, ["submitted", "under_review", "approved", "paid"]);
        let same = json_at(&app, "/api/v1/insurance/claims/icl_demo_1").await;
        assert_eq!(&same, claim);
    }
);

on_both_databases!(
    another_members_entitlement_or_claim_is_not_found,
    |backend: Backend| async move {
        let mut app = spawn_app(backend).await;
        assert_eq!(
            app.get("/api/v1/insurance/entitlements").await.status(),
            401
        );
        app.sign_in(HUANG_QIANG).await;
        for path in [
            "/api/v1/insurance/entitlements/ent_demo001_inpatient",
            "/api/v1/insurance/claims/icl_demo_1",
        ] {
            let response = app.get(path).await;
            assert_eq!(response.status(), 404, "{path}");
        }
        let own = json_at(&app, "/api/v1/insurance/claims/icl_demo_2").await;
        assert_eq!(own["status"], "under_review");
    }
);
