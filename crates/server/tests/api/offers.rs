//! Member offers over real HTTP: search, filters, pagination, distance sort, claims under
//! concurrency and the member's coupons.
use std::collections::HashSet;

use crate::common::{Backend, Member, TestApp, spawn_app};
use serde_json::{Value, json};
use server::seed::offers::{CINEMA_OFFER, EXPIRED_OFFER, LAST_ONE_OFFER, SOLD_OUT_OFFER};

const ZHANG_WEI: &str = "13800000001";
/// 陈静: her card is reported lost.
const CHEN_JING: &str = "13800000005";
/// 李娜: her card awaits activation.
const LI_NA: &str = "13800000002";
/// Offers valid today: 200 ordinary ones and 5 limited ones (one limited offer has expired).
const CURRENT_OFFERS: usize = 205;

/// What the offers tests do as a member.
impl Member {
    async fn claim(&self, offer: &str) -> reqwest::Response {
        self.post(&format!("/api/v1/offers/{offer}/claim"), json!({}))
            .await
    }
}

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

/// Every page of a listing, following `next_cursor`.
async fn all_pages(app: &TestApp, query: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let mut path = format!("/api/v1/offers?{query}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let response = app.get(&path).await;
        assert_eq!(response.status(), 200);
        let page = json_of(response).await;
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return items,
        }
    }
    panic!("pagination never ended");
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

on_both_databases!(
    paging_through_the_list_yields_every_current_offer_once,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let items = all_pages(&app, "limit=50").await;
        let ids = ids(&items);
        let unique: HashSet<_> = ids.iter().collect();
        assert_eq!(ids.len(), CURRENT_OFFERS);
        assert_eq!(unique.len(), CURRENT_OFFERS, "no offer appears twice");
        assert!(
            !ids.contains(&EXPIRED_OFFER.to_owned()),
            "expired offers are not listed"
        );
        let first: Value = json_of(app.get("/api/v1/offers").await).await;
        assert_eq!(
            first["items"].as_array().unwrap().len(),
            20,
            "default page size"
        );
        let item = &first["items"][0];
        for field in [
            "merchant_name",
            "district_name",
            "address",
            "discount",
            "valid_until",
        ] {
            assert!(
                item[field].as_str().is_some_and(|s| !s.is_empty()),
                "{field}"
            );
        }
        assert!(item["distance_m"].is_null(), "no point, no distance");
    }
);

on_both_databases!(
    category_and_district_filters_narrow_the_list,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let items = all_pages(&app, "category=medical&district=nanshan&limit=10").await;
        assert!(!items.is_empty());
        for item in &items {
            assert_eq!(item["category"], "medical");
            assert_eq!(item["district"], "nanshan");
            assert_eq!(item["district_name"], "南山区");
        }
        let categories: Value = json_of(app.get("/api/v1/offers/categories").await).await;
        let categories = categories.as_array().unwrap();
        assert_eq!(categories.len(), 8);
        let total: u64 = categories
            .iter()
            .map(|c| c["offer_count"].as_u64().unwrap())
            .sum();
        assert_eq!(total as usize, CURRENT_OFFERS);
        assert!(
            categories
                .iter()
                .all(|c| c["offer_count"].as_u64().unwrap() > 0)
        );
        let medical = categories
            .iter()
            .find(|c| c["category"] == "medical")
            .unwrap();
        assert_eq!(medical["name"], "医疗健康");

        let districts: Value = json_of(app.get("/api/v1/offers/districts").await).await;
        let districts = districts.as_array().unwrap();
        assert_eq!(districts.len(), 8);
        let nanshan = districts.iter().find(|d| d["code"] == "nanshan").unwrap();
        let in_nanshan = all_pages(&app, "district=nanshan&limit=50").await;
        assert_eq!(
            nanshan["offer_count"].as_u64().unwrap() as usize,
            in_nanshan.len()
        );
    }
);

on_both_databases!(
    a_chinese_keyword_finds_matching_merchants_and_discounts,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let car_washes = all_pages(&app, "q=%E6%B4%97%E8%BD%A6").await; // 洗车
        assert!(car_washes.len() >= 3, "{}", car_washes.len());
        for item in &car_washes {
            let text = format!("{}{}", item["merchant_name"], item["discount"]);
            assert!(text.contains("洗车"), "{text}");
        }
        let one_yuan = all_pages(&app, "q=1%E5%85%83%E6%B4%97%E8%BD%A6").await; // 1元洗车
        assert!(!one_yuan.is_empty());
        let english = all_pages(&app, "q=CAR%20WASH").await;
        assert_eq!(
            english.len(),
            one_yuan.len(),
            "English text matches, case-insensitively"
        );
        let none = all_pages(&app, "q=%25%25%25").await;
        assert!(none.is_empty(), "% is matched literally");
        let pharmacy = all_pages(&app, "q=%E8%8D%AF%E5%BA%97&category=medical").await; // 药店
        assert!(!pharmacy.is_empty());
    }
);

on_both_databases!(
    a_point_sorts_offers_nearest_first_with_distances,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        // Shenzhen Bay, Nanshan.
        let items = all_pages(&app, "lat=22.5333&lng=113.9305&limit=25").await;
        assert_eq!(items.len(), CURRENT_OFFERS);
        let distances: Vec<u64> = items
            .iter()
            .map(|i| i["distance_m"].as_u64().expect("distance_m"))
            .collect();
        assert!(distances.windows(2).all(|w| w[0] <= w[1]), "{distances:?}");
        assert!(
            distances[0] < 3_000,
            "nearest is within 3 km: {}",
            distances[0]
        );
        assert_eq!(items[0]["district"], "nanshan");
        assert!(
            *distances.last().unwrap() > 20_000,
            "the far north-east is far"
        );
        let unique: HashSet<_> = ids(&items).into_iter().collect();
        assert_eq!(unique.len(), CURRENT_OFFERS);
    }
);

on_both_databases!(
    bad_query_parameters_are_reported_by_field,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        for (query, field, code) in [
            ("limit=51", "limit", "out_of_range"),
            ("limit=0", "limit", "out_of_range"),
            ("limit=ten", "limit", "not_a_number"),
            ("category=cinema", "category", "unknown_category"),
            ("lat=22.5", "lng", "required"),
            ("lat=95&lng=114", "lat", "out_of_range"),
            ("cursor=not-a-cursor", "cursor", "invalid_cursor"),
        ] {
            let response = app.get(&format!("/api/v1/offers?{query}")).await;
            assert_eq!(response.status(), 422, "{query}");
            let body = json_of(response).await;
            assert_eq!(body["code"], "validation_failed");
            assert_eq!(body["fields"][0]["field"], field, "{query}");
            assert_eq!(body["fields"][0]["code"], code, "{query}");
        }
        let unknown = app.get("/api/v1/offers/ofr_nope").await;
        assert_eq!(unknown.status(), 404);
        assert_eq!(json_of(unknown).await["code"], "not_found");
    }
);

on_both_databases!(
    the_detail_shows_terms_stock_and_the_members_own_coupon,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let anonymous = json_of(app.get(&format!("/api/v1/offers/{CINEMA_OFFER}")).await).await;
        assert_eq!(anonymous["claimable"], true);
        assert_eq!(anonymous["stock_total"], 100);
        assert_eq!(anonymous["redemption"], "coupon");
        assert!(anonymous["my_coupon"].is_null());
        assert!(!anonymous["terms"].as_str().unwrap().is_empty());

        let zhang = Member::sign_in(&app, ZHANG_WEI).await;
        let mine = json_of(zhang.get(&format!("/api/v1/offers/{CINEMA_OFFER}")).await).await;
        assert_eq!(mine["my_coupon"]["code"], "520113800001");
        assert_eq!(mine["my_coupon"]["status"], "unused");

        let english = app
            .client
            .get(app.url("/api/v1/offers/ofr_0001"))
            .header("accept-language", "en")
            .send()
            .await
            .unwrap();
        let english = json_of(english).await;
        assert_eq!(english["claimable"], false);
        assert!(english["stock_left"].is_null());
        assert!(english["discount"].as_str().unwrap().is_ascii());
    }
);

on_both_databases!(
    twenty_members_racing_for_the_last_coupon_leave_exactly_one_winner,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        // Give twenty members active cards: mem_demo010 … mem_demo029.
        let mut members = Vec::new();
        for n in 10..30 {
            sqlx::query("UPDATE cards SET status = 'active' WHERE member_id = $1")
                .bind(format!("mem_demo{n:03}"))
                .execute(&app.state.db)
                .await
                .unwrap();
            members.push(Member::sign_in(&app, &format!("139{n:08}")).await);
        }
        let claims = members
            .iter()
            .cloned()
            .map(|m| async move { m.claim(LAST_ONE_OFFER).await });
        let responses = futures_join_all(claims).await;
        let mut won = 0;
        let mut sold_out = 0;
        for response in responses {
            match response.status().as_u16() {
                201 => won += 1,
                409 => {
                    assert_eq!(json_of(response).await["code"], "sold_out");
                    sold_out += 1;
                }
                other => panic!("unexpected {other}: {}", response.text().await.unwrap()),
            }
        }
        assert_eq!((won, sold_out), (1, 19));
        let offer = json_of(app.get(&format!("/api/v1/offers/{LAST_ONE_OFFER}")).await).await;
        assert_eq!(offer["stock_left"], 0);
        let coupons: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM coupons WHERE offer_id = $1")
            .bind(LAST_ONE_OFFER)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        assert_eq!(coupons, 1);
    }
);

/// Runs the futures concurrently and collects their outputs in order.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

on_both_databases!(
    claiming_again_returns_the_same_coupon_and_takes_stock_once,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let zhang = Member::sign_in(&app, ZHANG_WEI).await;
        let offer = "ofr_flash_checkup";
        let before = json_of(app.get(&format!("/api/v1/offers/{offer}")).await).await;
        // A double tap: five claims at once from one member.
        let taps = (0..5).map(|_| {
            let zhang = zhang.clone();
            async move { zhang.claim(offer).await }
        });
        let responses = futures_join_all(taps).await;
        let mut codes = HashSet::new();
        let mut created = 0;
        for response in responses {
            let status = response.status().as_u16();
            let body = json_of(response).await;
            match status {
                201 => {
                    created += 1;
                    assert_eq!(body["already_claimed"], false);
                }
                200 => assert_eq!(body["already_claimed"], true),
                other => panic!("unexpected {other}: {body}"),
            }
            codes.insert(body["coupon"]["code"].as_str().unwrap().to_owned());
        }
        assert_eq!(created, 1);
        assert_eq!(codes.len(), 1, "every answer carries the same coupon");
        let after = json_of(app.get(&format!("/api/v1/offers/{offer}")).await).await;
        assert_eq!(
            after["stock_left"].as_u64().unwrap() + 1,
            before["stock_left"].as_u64().unwrap()
        );
        let again = zhang.claim(offer).await;
        assert_eq!(again.status(), 200);
        let coupons: Value = json_of(zhang.get("/api/v1/me/coupons").await).await;
        assert_eq!(
            coupons
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["offer_id"] == offer)
                .count(),
            1
        );
    }
);

on_both_databases!(
    sold_out_unlimited_and_inactive_card_claims_are_refused_with_clear_codes,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let zhang = Member::sign_in(&app, ZHANG_WEI).await;
        let sold_out = zhang.claim(SOLD_OUT_OFFER).await;
        assert_eq!(sold_out.status(), 409);
        assert_eq!(json_of(sold_out).await["code"], "sold_out");

        let unlimited = zhang.claim("ofr_0001").await;
        assert_eq!(unlimited.status(), 409);
        assert_eq!(json_of(unlimited).await["code"], "not_claimable");

        let expired = zhang.claim(EXPIRED_OFFER).await;
        assert_eq!(expired.status(), 200, "the coupon he holds is returned");

        for phone in [CHEN_JING, LI_NA] {
            let member = Member::sign_in(&app, phone).await;
            let response = member.claim(CINEMA_OFFER).await;
            assert_eq!(response.status(), 409, "{phone}");
            let body = json_of(response).await;
            assert_eq!(body["code"], "card_not_active");
            assert!(body["message"].as_str().unwrap().contains("会员服务卡"));
        }
        let english = zhang
            .client
            .post(format!(
                "{}/api/v1/offers/{SOLD_OUT_OFFER}/claim",
                zhang.base
            ))
            .header("x-csrf-token", &zhang.csrf)
            .header("accept-language", "en-GB")
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        let english = json_of(english).await;
        assert_eq!(english["code"], "sold_out");
        assert!(english["message"].as_str().unwrap().contains("claimed"));
    }
);

on_both_databases!(
    claiming_needs_a_session_and_the_csrf_token,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let anonymous = app
            .post(&format!("/api/v1/offers/{CINEMA_OFFER}/claim"), json!({}))
            .await;
        assert_eq!(anonymous.status(), 401);
        let zhang = Member::sign_in(&app, ZHANG_WEI).await;
        let forged = zhang
            .client
            .post(format!("{}/api/v1/offers/{CINEMA_OFFER}/claim", zhang.base))
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403);
        assert_eq!(app.get("/api/v1/me/coupons").await.status(), 401);
    }
);

on_both_databases!(
    my_coupons_show_unused_used_and_expired_ones_newest_first,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let zhang = Member::sign_in(&app, ZHANG_WEI).await;
        let coupons = json_of(zhang.get("/api/v1/me/coupons").await).await;
        let coupons = coupons.as_array().unwrap();
        let statuses: Vec<&str> = coupons
            .iter()
            .map(|c| c["status"].as_str().unwrap())
            .collect();
        assert_eq!(statuses, ["unused", "used", "expired"]);
        assert_eq!(coupons[0]["offer_id"], CINEMA_OFFER);
        assert!(coupons[1]["used_at"].as_str().unwrap().ends_with("+08:00"));
        let other = Member::sign_in(&app, "13800000008").await;
        let theirs = json_of(other.get("/api/v1/me/coupons").await).await;
        assert!(
            theirs
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["code"] != "520113800001"),
            "members see only their own coupons"
        );
    }
);
