//! The OpenAPI document lists every answer. Each documented operation is driven anonymously
//! and signed in, with no body, a malformed one, a non-JSON one and an empty object, with and
//! without the CSRF token; every status it answers, and the content type of every body, must
//! be in that operation's entry. Attachment downloads are checked with real files.
use std::collections::BTreeMap;

use reqwest::{Client, Method, redirect};
use serde_json::{Value, json};

use crate::common::{Backend, TestApp, spawn_app};

/// A member with an active card, no kiosk.
const ZHANG_WEI: &str = "13800000001";

/// What a request carries.
#[derive(Debug, Clone, Copy)]
enum Body {
    Missing,
    /// `{` with `Content-Type: application/json`.
    Malformed,
    /// Plain text.
    NotJson,
    /// `{}`: well-formed JSON, usually missing required fields.
    EmptyObject,
}

const BODIES: [Body; 4] = [
    Body::Missing,
    Body::Malformed,
    Body::NotJson,
    Body::EmptyObject,
];

/// One documented operation: method, path template, and status → content types.
struct Operation {
    method: Method,
    path: String,
    answers: BTreeMap<String, Vec<String>>,
}

fn operations() -> Vec<Operation> {
    let document = serde_json::to_value(server::http::openapi::api()).unwrap();
    let mut out = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            let answers = operation["responses"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(status, response)| {
                    let types = response["content"]
                        .as_object()
                        .map(|content| content.keys().cloned().collect())
                        .unwrap_or_default();
                    (status.clone(), types)
                })
                .collect();
            out.push(Operation {
                method,
                path: path.clone(),
                answers,
            });
        }
    }
    // Signing out last, so the other operations are driven with a live session.
    out.sort_by_key(|op| op.path.contains("sign-out"));
    out
}

/// A client that keeps cookies and does not follow redirects (a 303 is an answer).
fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .build()
        .unwrap()
}

/// Signs `client` in; returns the session's CSRF token.
async fn sign_in(app: &TestApp, client: &Client, phone: &str) -> String {
    let response = client
        .post(app.url("/api/v1/auth/password-sign-in"))
        .json(&json!({ "phone": phone, "password": server::seed::DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{phone} could not sign in");
    let session: Value = response.json().await.unwrap();
    session["csrf_token"].as_str().unwrap().to_owned()
}

/// The path with every `{parameter}` replaced by an id that does not exist.
fn concrete(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map_or(rest.len(), |i| start + i + 1);
        out.push_str("no-such-id");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

async fn send(
    app: &TestApp,
    client: &Client,
    operation: &Operation,
    body: Body,
    csrf: Option<&str>,
) -> reqwest::Response {
    let url = app.url(&concrete(&operation.path));
    let mut request = client.request(operation.method.clone(), url);
    if let Some(csrf) = csrf {
        request = request.header("x-csrf-token", csrf);
    }
    request = match body {
        Body::Missing => request,
        Body::Malformed => request.header("content-type", "application/json").body("{"),
        Body::NotJson => request.header("content-type", "text/plain").body("hello"),
        Body::EmptyObject => request.json(&json!({})),
    };
    request.send().await.unwrap()
}

/// Why an answer is not what the document says, if it is not.
fn undocumented(operation: &Operation, response: &reqwest::Response) -> Option<String> {
    let status = response.status().as_u16().to_string();
    let Some(types) = operation.answers.get(&status) else {
        return Some(format!("status {status} is not documented"));
    };
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_owned());
    match content_type {
        Some(content_type) if !types.contains(&content_type) => Some(format!(
            "{status} answered {content_type}, documented {types:?}"
        )),
        _ => None,
    }
}

#[tokio::test]
async fn every_answer_to_bad_and_unauthenticated_requests_is_documented() {
    let app = spawn_app(Backend::Sqlite).await;
    let anonymous = browser();
    let member = browser();
    let csrf = sign_in(&app, &member, ZHANG_WEI).await;
    let mut problems = Vec::new();
    let mut answers = 0;
    for operation in operations() {
        if !operation.path.starts_with("/api/v1/") {
            continue;
        }
        let mut tries: Vec<(&str, &Client, Body, Option<&str>)> = Vec::new();
        for body in BODIES {
            tries.push(("anonymous", &anonymous, body, None));
            tries.push(("signed in", &member, body, Some(&csrf)));
        }
        tries.push(("signed in without CSRF", &member, Body::EmptyObject, None));
        for (who, client, body, csrf) in tries {
            let response = send(&app, client, &operation, body, csrf).await;
            answers += 1;
            if let Some(problem) = undocumented(&operation, &response) {
                problems.push(format!(
                    "{} {} ({who}, {body:?}): {problem}",
                    operation.method, operation.path
                ));
            }
        }
    }
    assert!(answers > 300, "only {answers} answers checked");
    assert!(
        problems.is_empty(),
        "{} undocumented answers:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[tokio::test]
async fn attachment_downloads_answer_their_documented_content_types() {
    let app = spawn_app(Backend::Sqlite).await;
    let member = browser();
    let csrf = sign_in(&app, &member, ZHANG_WEI).await;
    let download = operations()
        .into_iter()
        .find(|op| op.method == Method::GET && op.path == "/api/v1/aid/attachments/{id}")
        .expect("the download is documented");
    let files: [(&str, &[u8], &str); 3] = [
        ("a.jpg", &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], "image/jpeg"),
        ("a.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "image/png"),
        ("a.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf"),
    ];
    for (name, bytes, content_type) in files {
        let uploaded = member
            .post(app.url("/api/v1/aid/attachments"))
            .query(&[("filename", name)])
            .header("x-csrf-token", &csrf)
            .body(bytes.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(uploaded.status(), 201, "{name}");
        let id = uploaded.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let response = member
            .get(app.url(&format!("/api/v1/aid/attachments/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], content_type);
        assert_eq!(undocumented(&download, &response), None, "{name}");
    }
}
