//! Hardship aid over real HTTP: programs and eligibility, sniffed uploads, idempotent
//! submission under concurrency, owner-only access, supplements, withdrawals and the
//! reviewer's admin transitions.
use crate::common::{Backend, Member, TestApp, spawn_app};
use serde_json::{Value, json};
use server::admin::aid::{AidAdminError, AidCommand};
use server::seed::aid::{GOLDEN_AUTUMN, SEND_WARMTH, SERIOUS_ILLNESS, SPECIAL_RELIEF};

const ZHANG_WEI: &str = "13800000001";
const LI_NA: &str = "13800000002";
const YANG_LEI: &str = "13800000006";
const HUANG_QIANG: &str = "13800000008";
const ZHOU_JIE: &str = "13800000009";

const JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1,
];
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";
const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

/// What the aid tests do as a member.
impl Member {
    async fn upload(
        &self,
        filename: &str,
        content_type: Option<&str>,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url("/api/v1/aid/attachments"))
            .query(&[("filename", filename)])
            .header("x-csrf-token", &self.csrf)
            .body(bytes);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        request.send().await.unwrap()
    }

    /// Uploads a JPEG and returns its id.
    async fn attachment(&self) -> String {
        let response = self
            .upload("证明.jpg", Some("image/jpeg"), JPEG.to_vec())
            .await;
        assert_eq!(response.status(), 201);
        let body: Value = response.json().await.unwrap();
        body["id"].as_str().unwrap().to_owned()
    }

    async fn submit(&self, key: Option<&str>, body: &Value) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url("/api/v1/aid/applications"))
            .header("x-csrf-token", &self.csrf)
            .json(body);
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        request.send().await.unwrap()
    }
}

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

/// A resident ID number with a correct check digit.
fn rid(first17: &str) -> String {
    let check = contract::validate::check_character(first17.as_bytes()) as char;
    format!("{first17}{check}")
}

const APPLICANT_ID: &str = "44030519660101100";
const SPOUSE_ID: &str = "11010519491231002";
const CHILD_ID: &str = "44030820050301001";

/// A demo member's own ID number on file, by their place among the demo logins.
fn own_id(phone: &str) -> String {
    let index = server::seed::DEMO_LOGINS
        .iter()
        .position(|login| login.phone == phone)
        .unwrap();
    server::seed::demo_resident_id(index)
}

/// `body` filed by the member with `phone`: their own ID number on the applicant's row.
fn filed_by(phone: &str, mut body: Value) -> Value {
    body["household"][0]["resident_id"] = json!(own_id(phone));
    body
}

/// A complete 送温暖 application for 张伟's household.
fn send_warmth(attachment: &str) -> Value {
    json!({
        "program_id": SEND_WARMTH,
        "household": [
            { "name": "张伟", "relation": "applicant", "resident_id": rid(APPLICANT_ID), "occupation": "物流司机" },
            { "name": "陈丽", "relation": "spouse", "resident_id": rid(SPOUSE_ID), "occupation": "无业" }
        ],
        "household_monthly_income_fen": 420_000,
        "hardship": "妻子长期患病无法工作，家庭收入仅靠本人工资，春节前生活比较困难。",
        "attachment_ids": [attachment],
        "declaration_accepted": true
    })
}

/// A 金秋助学 application for a college student.
fn golden_autumn(attachment: &str) -> Value {
    json!({
        "program_id": GOLDEN_AUTUMN,
        "household": [
            { "name": "张伟", "relation": "applicant", "resident_id": rid(APPLICANT_ID) },
            { "name": "张小雨", "relation": "child", "resident_id": rid(CHILD_ID), "occupation": "学生" }
        ],
        "household_monthly_income_fen": 520_000,
        "hardship": "女儿考上大专，学费住宿费一年一万余元，家庭难以负担。",
        "schooling": { "student_name": "张小雨", "level": "college", "school": "深圳职业技术大学", "enrolment_year": 2026 },
        "attachment_ids": [attachment],
        "declaration_accepted": true
    })
}

async fn run_admin(app: &TestApp, command: AidCommand) -> Result<String, AidAdminError> {
    server::admin::aid::run(&app.state.db, app.state.clock.now(), command).await
}

on_both_databases!(
    programs_show_their_windows_amounts_and_documents,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let programs: Value = app.get("/api/v1/aid/programs").await.json().await.unwrap();
        let programs = programs.as_array().unwrap();
        assert_eq!(programs.len(), 4);
        let by_id = |id: &str| programs.iter().find(|p| p["id"] == id).unwrap().clone();
        let warmth = by_id(SEND_WARMTH);
        assert_eq!(warmth["open"], true);
        assert_eq!(warmth["amounts"][0]["amount_fen"], 300_000);
        assert!(warmth["required_documents"].as_array().unwrap().len() >= 3);
        let autumn = by_id(GOLDEN_AUTUMN);
        let levels: Vec<(String, i64)> = autumn["amounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["level"].as_str().unwrap().to_owned(),
                    a["amount_fen"].as_i64().unwrap(),
                )
            })
            .collect();
        assert!(levels.contains(&("senior_high".into(), 250_000)));
        assert!(levels.contains(&("college".into(), 350_000)));
        let illness = by_id(SERIOUS_ILLNESS);
        assert_eq!(illness["amounts"][0]["amount_fen"], 2_000_000);
        assert_eq!(illness["amounts"][0]["up_to"], true);
        assert_eq!(by_id(SPECIAL_RELIEF)["open"], false);
        let one: Value = app
            .get(&format!("/api/v1/aid/programs/{GOLDEN_AUTUMN}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(one, autumn);
        assert_eq!(app.get("/api/v1/aid/programs/nope").await.status(), 404);
    }
);

on_both_databases!(
    eligibility_gives_every_reason_a_member_cannot_apply,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let check = |member: Member, program: &'static str| async move {
            member
                .json(&format!("/api/v1/aid/programs/{program}/eligibility"))
                .await
        };
        let zhang = Member::sign_in(&app, ZHANG_WEI).await;
        let open = check(zhang.clone(), SEND_WARMTH).await;
        assert_eq!(open["eligible"], true);
        assert_eq!(open["reasons"], json!([]));
        let closed = check(zhang.clone(), SPECIAL_RELIEF).await;
        assert_eq!(closed["reasons"], json!(["window_closed"]));
        let applied = check(zhang, SERIOUS_ILLNESS).await;
        assert_eq!(
            applied["reasons"],
            json!(["already_applied"]),
            "his paid application counts"
        );
        assert_eq!(applied["existing_application_id"], "aid_demo_paid");
        let lapsed = check(Member::sign_in(&app, YANG_LEI).await, SEND_WARMTH).await;
        assert_eq!(
            lapsed["reasons"],
            json!(["membership_lapsed", "card_not_active"])
        );
        let waiting = check(Member::sign_in(&app, LI_NA).await, SEND_WARMTH).await;
        assert_eq!(waiting["reasons"], json!(["card_not_active"]));
        let huang = check(Member::sign_in(&app, HUANG_QIANG).await, SEND_WARMTH).await;
        assert_eq!(huang["reasons"], json!(["already_applied"]));
        assert_eq!(huang["existing_application_id"], "aid_demo_more_info");
    }
);

on_both_databases!(
    a_submitted_application_keeps_id_numbers_masked_and_notifies,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let zhang = Member::sign_in(&app, ZHANG_WEI).await;
        let attachment = zhang.attachment().await;
        let response = zhang.submit(Some("key-1"), &send_warmth(&attachment)).await;
        assert_eq!(response.status(), 201);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let text = response.text().await.unwrap();
        assert!(!text.contains(&rid(APPLICANT_ID)) && !text.contains(&rid(SPOUSE_ID)));
        let created: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            location,
            format!(
                "/api/v1/aid/applications/{}",
                created["id"].as_str().unwrap()
            )
        );
        assert_eq!(created["status"], "submitted");
        assert_eq!(created["expected_fen"], 300_000);
        assert_eq!(
            created["household"][1]["id_number_masked"],
            "1101**********002X"
        );
        assert_eq!(created["attachments"][0]["id"], attachment.as_str());
        assert_eq!(created["history"][0]["status"], "submitted");
        assert_eq!(created["history"][0]["attachments_added"], 1);
        assert_eq!(created["can_withdraw"], true);

        let detail = zhang.get(&location).await.text().await.unwrap();
        assert!(
            !detail.contains(&rid(SPOUSE_ID)),
            "the detail masks ID numbers too"
        );
        let list = zhang.json("/api/v1/aid/applications").await;
        assert_eq!(list[0]["id"], created["id"]);
        assert_eq!(
            list.as_array().unwrap().len(),
            2,
            "with his seeded application"
        );
        let notifications = zhang.json("/api/v1/notifications").await;
        assert_eq!(notifications["items"][0]["kind"], "aid");
        let again = zhang
            .json(&format!("/api/v1/aid/programs/{SEND_WARMTH}/eligibility"))
            .await;
        assert_eq!(again["reasons"], json!(["already_applied"]));
        let second = zhang.submit(Some("key-2"), &send_warmth(&attachment)).await;
        assert_eq!(second.status(), 409);
        assert_eq!(json_of(second).await["code"], "already_applied");
    }
);

on_both_databases!(
    fifty_concurrent_submits_with_one_key_create_exactly_one_application,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let zhang = Member::sign_in(&app, ZHANG_WEI).await;
        let attachment = zhang.attachment().await;
        let body = golden_autumn(&attachment);
        let handles: Vec<_> = (0..50)
            .map(|_| {
                let zhang = zhang.clone();
                let body = body.clone();
                tokio::spawn(async move {
                    let response = zhang.submit(Some("retry-me"), &body).await;
                    let status = response.status().as_u16();
                    (status, json_of(response).await)
                })
            })
            .collect();
        let mut created = 0;
        let mut ids = std::collections::HashSet::new();
        for handle in handles {
            let (status, body) = handle.await.unwrap();
            match status {
                201 => created += 1,
                200 => {}
                other => panic!("unexpected {other}: {body}"),
            }
            ids.insert(body["id"].as_str().unwrap().to_owned());
        }
        assert_eq!(created, 1);
        assert_eq!(ids.len(), 1, "every answer is the same application");
        let stored: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM aid_applications WHERE member_id = 'mem_demo001' AND program_id = $1",
        )
        .bind(GOLDEN_AUTUMN)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
        assert_eq!(stored, 1);
        let replay = zhang.submit(Some("retry-me"), &body).await;
        assert_eq!(replay.status(), 200);
        let replay = json_of(replay).await;
        assert_eq!(replay["expected_fen"], 350_000);
        assert_eq!(replay["schooling"]["level"], "college");
    }
);

on_both_databases!(
    a_key_reused_with_another_body_or_a_missing_key_is_refused,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let zhang = Member::sign_in(&app, ZHANG_WEI).await;
        let attachment = zhang.attachment().await;
        let body = send_warmth(&attachment);
        assert_eq!(zhang.submit(Some("same-key"), &body).await.status(), 201);
        let mut changed = body.clone();
        changed["hardship"] = json!("另一份完全不同的困难情况说明，内容与第一次不同。");
        let reused = zhang.submit(Some("same-key"), &changed).await;
        assert_eq!(reused.status(), 422);
        assert_eq!(json_of(reused).await["code"], "idempotency_key_reused");
        let missing = zhang.submit(None, &body).await;
        assert_eq!(missing.status(), 400);
        assert_eq!(json_of(missing).await["code"], "idempotency_key_required");
        // The same key belongs to each member separately.
        let zhou = Member::sign_in(&app, ZHOU_JIE).await;
        let theirs = zhou.attachment().await;
        let response = zhou
            .submit(Some("same-key"), &filed_by(ZHOU_JIE, send_warmth(&theirs)))
            .await;
        assert_eq!(response.status(), 201);
    }
);

on_both_databases!(
    invalid_applications_are_refused_field_by_field,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let zhang = Member::sign_in(&app, ZHANG_WEI).await;
        let huang = Member::sign_in(&app, HUANG_QIANG).await;
        let foreign = huang.attachment().await;
        let mut body = golden_autumn(&foreign);
        body["household"][1]["resident_id"] = json!("440308199901010013");
        body["schooling"] = Value::Null;
        body["declaration_accepted"] = json!(false);
        let response = zhang.submit(Some("bad"), &body).await;
        assert_eq!(response.status(), 422);
        let envelope = json_of(response).await;
        assert_eq!(envelope["code"], "validation_failed");
        let fields: Vec<(String, String)> = envelope["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["field"].as_str().unwrap().into(),
                    f["code"].as_str().unwrap().into(),
                )
            })
            .collect();
        for expected in [
            ("household[1].resident_id", "invalid_id_check_digit"),
            ("schooling", "required"),
            ("declaration_accepted", "must_accept"),
            ("attachment_ids[0]", "attachment_not_found"),
        ] {
            assert!(
                fields.contains(&(expected.0.into(), expected.1.into())),
                "{expected:?} in {fields:?}"
            );
        }
        assert!(
            envelope["fields"][0]["message"]
                .as_str()
                .unwrap()
                .chars()
                .count()
                > 2
        );

        let mut unknown = send_warmth(&zhang.attachment().await);
        unknown["bank_account"] = json!("6222");
        let response = zhang.submit(Some("unknown-field"), &unknown).await;
        assert_eq!(response.status(), 422);
        assert_eq!(json_of(response).await["code"], "invalid_body");

        let mut closed = send_warmth(&zhang.attachment().await);
        closed["program_id"] = json!(SPECIAL_RELIEF);
        let response = zhang.submit(Some("closed"), &closed).await;
        assert_eq!(response.status(), 409);
        assert_eq!(json_of(response).await["code"], "window_closed");

        let lapsed = Member::sign_in(&app, YANG_LEI).await;
        let response = lapsed
            .submit(
                Some("lapsed"),
                &filed_by(YANG_LEI, send_warmth(&lapsed.attachment().await)),
            )
            .await;
        assert_eq!(response.status(), 409);
        assert_eq!(json_of(response).await["code"], "membership_lapsed");
    }
);

on_both_databases!(
    the_applicants_own_row_must_carry_the_members_own_id_number,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let zhang = Member::sign_in(&app, ZHANG_WEI).await;
        let attachment = zhang.attachment().await;
        // 张伟 files with his neighbour's (valid) number on his own row.
        let someone_else = own_id(LI_NA);
        let mut body = send_warmth(&attachment);
        body["household"][0]["resident_id"] = json!(someone_else);
        let response = zhang.submit(Some("not-mine"), &body).await;
        assert_eq!(response.status(), 422);
        let raw = response.text().await.unwrap();
        assert!(
            !raw.contains(&own_id(ZHANG_WEI)) && !raw.contains(&someone_else),
            "a full ID number left the server: {raw}"
        );
        let envelope: Value = serde_json::from_str(&raw).unwrap();
        assert_eq!(envelope["code"], "validation_failed");
        let fields = envelope["fields"].as_array().unwrap();
        assert_eq!(fields.len(), 1, "{fields:?}");
        assert_eq!(fields[0]["field"], "household[0].resident_id");
        assert_eq!(fields[0]["code"], "not_own_id");
        assert!(
            fields[0]["message"].as_str().unwrap().contains("本人"),
            "{fields:?}"
        );
        // Nothing was filed; with his own number it goes through (the spouse's row carries
        // someone else's number, as it should).
        let applications = zhang.json("/api/v1/aid/applications").await;
        let filed = applications
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["program_id"] == SEND_WARMTH)
            .count();
        assert_eq!(filed, 0);
        let mut own = body.clone();
        own["household"][0]["resident_id"] = json!(own_id(ZHANG_WEI));
        let response = zhang.submit(Some("mine"), &own).await;
        assert_eq!(response.status(), 201);
        // Worded in the member's language too.
        let english = zhang
            .client
            .post(zhang.url("/api/v1/aid/applications"))
            .header("x-csrf-token", &zhang.csrf)
            .header("idempotency-key", "english")
            .header("accept-language", "en")
            .json(&{
                let mut other = golden_autumn(&zhang.attachment().await);
                other["household"][0]["resident_id"] = json!(someone_else);
                other
            })
            .send()
            .await
            .unwrap();
        assert_eq!(english.status(), 422);
        let envelope: Value = english.json().await.unwrap();
        assert_eq!(envelope["fields"][0]["code"], "not_own_id");
        assert!(
            envelope["fields"][0]["message"]
                .as_str()
                .unwrap()
                .contains("own ID number"),
            "{envelope}"
        );
    }
);

on_both_databases!(
    attachments_are_typed_by_their_bytes_not_their_names,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let zhang = Member::sign_in(&app, ZHANG_WEI).await;
        for (name, content_type, bytes) in [
            (
                "photo.png",
                Some("image/png"),
                b"just some text, not an image".to_vec(),
            ),
            ("photo.jpg", Some("image/jpeg"), PDF.to_vec()),
            ("scan.jpg", None, PNG.to_vec()),
            (
                "report.pdf",
                Some("application/pdf"),
                b"\x00\x01garbage".to_vec(),
            ),
            (
                "page.html",
                Some("text/html"),
                b"<html><script>alert(1)</script>".to_vec(),
            ),
            ("photo.jpg", Some("text/plain"), JPEG.to_vec()),
        ] {
            let response = zhang.upload(name, content_type, bytes).await;
            assert_eq!(response.status(), 415, "{name} {content_type:?}");
            let body = json_of(response).await;
            assert_eq!(body["code"], "unsupported_file_type");
            assert!(body["message"].as_str().unwrap().contains("PDF"));
        }
        for (name, content_type, bytes, sniffed) in [
            ("证明.jpg", Some("image/jpeg"), JPEG.to_vec(), "image/jpeg"),
            ("scan", None, PNG.to_vec(), "image/png"),
            (
                "病历.PDF",
                Some("application/octet-stream"),
                PDF.to_vec(),
                "application/pdf",
            ),
        ] {
            let response = zhang.upload(name, content_type, bytes).await;
            assert_eq!(response.status(), 201, "{name}");
            let body = json_of(response).await;
            assert_eq!(body["content_type"], sniffed);
            assert_eq!(body["filename"], name);
        }
        let empty = zhang.upload("empty.jpg", None, Vec::new()).await;
        assert_eq!(empty.status(), 422);
        assert_eq!(json_of(empty).await["code"], "empty_file");
    }
);

on_both_databases!(
    an_oversized_attachment_is_refused_with_413_in_the_envelope,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let zhang = Member::sign_in(&app, ZHANG_WEI).await;
        let mut big = JPEG.to_vec();
        big.resize(contract::aid::MAX_ATTACHMENT_BYTES + 1, 0);
        let response = zhang.upload("big.jpg", Some("image/jpeg"), big).await;
        assert_eq!(response.status(), 413);
        let body = json_of(response).await;
        assert_eq!(body["code"], "payload_too_large");
        assert!(body["message"].as_str().unwrap().contains("5 MB"));
        let mut just_fits = JPEG.to_vec();
        just_fits.resize(contract::aid::MAX_ATTACHMENT_BYTES, 0);
        let response = zhang
            .upload("fits.jpg", Some("image/jpeg"), just_fits)
            .await;
        assert_eq!(response.status(), 201);
    }
);

on_both_databases!(
    attachments_and_applications_are_visible_only_to_their_owner,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let zhang = Member::sign_in(&app, ZHANG_WEI).await;
        let huang = Member::sign_in(&app, HUANG_QIANG).await;
        let upload = zhang
            .upload("证明.png", Some("image/png"), PNG.to_vec())
            .await;
        let attachment = json_of(upload).await["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/aid/attachments/{attachment}");
        let own = zhang.get(&path).await;
        assert_eq!(own.status(), 200);
        assert_eq!(own.headers()["content-type"], "image/png");
        assert!(
            own.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("UTF-8''")
        );
        assert_eq!(own.bytes().await.unwrap().as_ref(), PNG);
        let theirs = huang.get(&path).await;
        assert_eq!(theirs.status(), 404);
        assert_eq!(json_of(theirs).await["code"], "not_found");
        assert_eq!(app.get(&path).await.status(), 401);

        assert_eq!(
            zhang
                .get("/api/v1/aid/applications/aid_demo_paid")
                .await
                .status(),
            200
        );
        for (method, path) in [
            ("GET", "/api/v1/aid/applications/aid_demo_paid"),
            ("POST", "/api/v1/aid/applications/aid_demo_paid/withdraw"),
            ("POST", "/api/v1/aid/applications/aid_demo_paid/supplement"),
            ("GET", "/api/v1/aid/attachments/att_demo_paid"),
        ] {
            let response = if method == "GET" {
                huang.get(path).await
            } else {
                huang
                    .post(
                        path,
                        json!({ "attachment_ids": [attachment.clone()], "note": "" }),
                    )
                    .await
            };
            assert_eq!(response.status(), 404, "{method} {path}");
        }
        let list = huang.json("/api/v1/aid/applications").await;
        assert!(
            list.as_array()
                .unwrap()
                .iter()
                .all(|a| a["id"] != "aid_demo_paid")
        );
    }
);

on_both_databases!(
    supplementing_is_possible_only_when_more_information_was_asked_for,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let huang = Member::sign_in(&app, HUANG_QIANG).await;
        let path = "/api/v1/aid/applications/aid_demo_more_info";
        let before = huang.json(path).await;
        assert_eq!(before["status"], "more_info_needed");
        assert_eq!(
            before["info_requested"],
            "请补充社区居委会出具的家庭困难情况证明"
        );
        assert_eq!(before["can_supplement"], true);
        let empty = huang
            .post(
                &format!("{path}/supplement"),
                json!({ "attachment_ids": [] }),
            )
            .await;
        assert_eq!(empty.status(), 422);
        assert_eq!(json_of(empty).await["fields"][0]["field"], "attachment_ids");
        let document = huang.attachment().await;
        let response = huang
            .post(
                &format!("{path}/supplement"),
                json!({ "attachment_ids": [document], "note": "已补充社区证明" }),
            )
            .await;
        assert_eq!(response.status(), 200);
        let after = json_of(response).await;
        assert_eq!(after["status"], "under_review");
        assert_eq!(after["attachments"].as_array().unwrap().len(), 2);
        let last = after["history"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["status"], "under_review");
        assert_eq!(last["actor"], "member");
        assert_eq!(last["note"], "已补充社区证明");
        assert_eq!(last["attachments_added"], 1);
        assert!(after["info_requested"].is_null());

        let again = huang
            .post(
                &format!("{path}/supplement"),
                json!({ "attachment_ids": [huang.attachment().await] }),
            )
            .await;
        assert_eq!(again.status(), 409);
        assert_eq!(json_of(again).await["code"], "not_awaiting_information");
    }
);

on_both_databases!(
    an_application_can_be_withdrawn_only_until_it_is_decided,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let zhou = Member::sign_in(&app, ZHOU_JIE).await;
        let path = "/api/v1/aid/applications/aid_demo_under_review/withdraw";
        let response = zhou.post(path, json!({})).await;
        assert_eq!(response.status(), 200);
        let withdrawn = json_of(response).await;
        assert_eq!(withdrawn["status"], "withdrawn");
        assert_eq!(withdrawn["can_withdraw"], false);
        let again = zhou.post(path, json!({})).await;
        assert_eq!(again.status(), 409);
        assert_eq!(json_of(again).await["code"], "not_withdrawable");
        let zhang = Member::sign_in(&app, ZHANG_WEI).await;
        let paid = zhang
            .post("/api/v1/aid/applications/aid_demo_paid/withdraw", json!({}))
            .await;
        assert_eq!(paid.status(), 409);
        // Withdrawn applications do not block a new one.
        let eligibility = zhou
            .json(&format!("/api/v1/aid/programs/{GOLDEN_AUTUMN}/eligibility"))
            .await;
        assert_eq!(eligibility["eligible"], true);
    }
);

on_both_databases!(
    reviewer_transitions_are_checked_recorded_and_announced,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let zhang = Member::sign_in(&app, ZHANG_WEI).await;
        let attachment = zhang.attachment().await;
        let created = json_of(zhang.submit(Some("flow"), &send_warmth(&attachment)).await).await;
        let id = created["id"].as_str().unwrap().to_owned();

        let early = run_admin(
            &app,
            AidCommand::Pay {
                id: id.clone(),
                on: None,
            },
        )
        .await;
        assert!(
            matches!(early, Err(AidAdminError::InvalidTransition { .. })),
            "{early:?}"
        );
        run_admin(&app, AidCommand::Review { id: id.clone() })
            .await
            .unwrap();
        run_admin(
            &app,
            AidCommand::RequestInfo {
                id: id.clone(),
                note: "请补充收入证明".into(),
            },
        )
        .await
        .unwrap();
        let asked = zhang.json(&format!("/api/v1/aid/applications/{id}")).await;
        assert_eq!(asked["info_requested"], "请补充收入证明");
        let document = zhang.attachment().await;
        let response = zhang
            .post(
                &format!("/api/v1/aid/applications/{id}/supplement"),
                json!({ "attachment_ids": [document] }),
            )
            .await;
        assert_eq!(response.status(), 200);
        let too_much = run_admin(
            &app,
            AidCommand::Approve {
                id: id.clone(),
                amount_fen: 300_001,
                note: None,
            },
        )
        .await;
        assert!(matches!(
            too_much,
            Err(AidAdminError::AmountOutOfRange { max: 300_000 })
        ));
        run_admin(
            &app,
            AidCommand::Approve {
                id: id.clone(),
                amount_fen: 300_000,
                note: None,
            },
        )
        .await
        .unwrap();
        let paid = run_admin(
            &app,
            AidCommand::Pay {
                id: id.clone(),
                on: Some("2026-01-20".into()),
            },
        )
        .await
        .unwrap();
        assert!(paid.contains("approved -> paid"), "{paid}");

        let detail = zhang.json(&format!("/api/v1/aid/applications/{id}")).await;
        assert_eq!(detail["status"], "paid");
        assert_eq!(detail["approved_fen"], 300_000);
        assert_eq!(detail["paid_on"], "2026-01-20");
        assert!(
            detail["paid_to_card_masked"]
                .as_str()
                .unwrap()
                .starts_with("6217 ****")
        );
        let steps: Vec<(&str, &str)> = detail["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["status"].as_str().unwrap(), e["actor"].as_str().unwrap()))
            .collect();
        assert_eq!(
            steps,
            [
                ("submitted", "member"),
                ("under_review", "reviewer"),
                ("more_info_needed", "reviewer"),
                ("under_review", "member"),
                ("approved", "reviewer"),
                ("paid", "reviewer"),
            ]
        );
        let notifications = zhang.json("/api/v1/notifications").await;
        let titles: Vec<&str> = notifications["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "aid")
            .map(|n| n["title"].as_str().unwrap())
            .collect();
        for title in [
            "帮扶金已发放",
            "帮扶申请已批准",
            "帮扶申请需要补充材料",
            "帮扶申请审核中",
            "帮扶申请已提交",
        ] {
            assert!(titles.contains(&title), "{title} in {titles:?}");
        }
        let paid_note = notifications["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["title"] == "帮扶金已发放")
            .unwrap();
        let body = paid_note["body"].as_str().unwrap();
        assert!(
            body.contains("¥3,000.00") && body.contains("6217 ****"),
            "{body}"
        );

        // A withdrawn application cannot be approved, nor a paid one rejected.
        let zhou = Member::sign_in(&app, ZHOU_JIE).await;
        zhou.post(
            "/api/v1/aid/applications/aid_demo_under_review/withdraw",
            json!({}),
        )
        .await;
        let approve_withdrawn = run_admin(
            &app,
            AidCommand::Approve {
                id: "aid_demo_under_review".into(),
                amount_fen: 100,
                note: None,
            },
        )
        .await;
        assert!(matches!(
            approve_withdrawn,
            Err(AidAdminError::InvalidTransition {
                from: "withdrawn",
                ..
            })
        ));
        let reject_paid = run_admin(
            &app,
            AidCommand::Reject {
                id: id.clone(),
                reason: "x".into(),
            },
        )
        .await;
        assert!(matches!(
            reject_paid,
            Err(AidAdminError::InvalidTransition { .. })
        ));
        let blank = run_admin(
            &app,
            AidCommand::Reject {
                id: "aid_demo_submitted".into(),
                reason: "  ".into(),
            },
        )
        .await;
        assert!(matches!(blank, Err(AidAdminError::Blank(_))));
    }
);

on_both_databases!(
    the_admin_command_line_lists_and_rejects_applications,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let data_dir = app.state.config.data_dir.clone();
        let database_url = app.state.config.database_url();
        let run = move |args: Vec<&'static str>| {
            let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
                .arg("--data-dir")
                .arg(&data_dir)
                .arg("--database-url")
                .arg(&database_url)
                .arg("admin")
                .arg("aid")
                .args(args)
                .output()
                .expect("run the server binary");
            (
                output.status.success(),
                String::from_utf8_lossy(&output.stdout).into_owned(),
                String::from_utf8_lossy(&output.stderr).into_owned(),
            )
        };
        let list = run.clone();
        let (ok, out, err) =
            tokio::task::spawn_blocking(move || list(vec!["list", "--status", "submitted"]))
                .await
                .unwrap();
        assert!(ok, "{err}");
        assert!(out.contains("aid_demo_submitted"), "{out}");
        assert!(!out.contains("aid_demo_paid"), "{out}");
        let reject = run.clone();
        let (ok, out, err) = tokio::task::spawn_blocking(move || {
            reject(vec![
                "reject",
                "aid_demo_submitted",
                "--reason",
                "家庭收入高于认定标准",
            ])
        })
        .await
        .unwrap();
        assert!(ok, "{err}");
        assert!(out.contains("submitted -> rejected"), "{out}");
        let (ok, _, err) = tokio::task::spawn_blocking(move || {
            run(vec![
                "approve",
                "aid_demo_submitted",
                "--amount-fen",
                "300000",
            ])
        })
        .await
        .unwrap();
        assert!(!ok, "approving a rejected application fails");
        assert!(err.contains("rejected"), "{err}");

        let ma = Member::sign_in(&app, "13900000013").await;
        let detail = ma.json("/api/v1/aid/applications/aid_demo_submitted").await;
        assert_eq!(detail["status"], "rejected");
        assert_eq!(detail["rejection_reason"], "家庭收入高于认定标准");
    }
);

on_both_databases!(
    a_member_may_upload_only_so_many_documents_a_day,
    |backend: Backend| async move {
        let app = spawn_app(backend).await;
        let zhang = Member::sign_in(&app, ZHANG_WEI).await;
        for _ in 0..contract::aid::MAX_UPLOADS_PER_DAY {
            zhang.attachment().await;
        }
        let refused = zhang.upload("one-more.jpg", None, JPEG.to_vec()).await;
        assert_eq!(refused.status(), 429);
        assert_eq!(json_of(refused).await["code"], "too_many_uploads");
        app.state.clock.advance(86_401);
        // A day later the session has expired too: sign in again.
        let zhang = Member::sign_in(&app, ZHANG_WEI).await;
        let later = zhang.upload("tomorrow.jpg", None, JPEG.to_vec()).await;
        assert_eq!(later.status(), 201);
    }
);
