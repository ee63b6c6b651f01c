//! A local fake of Tencent Cloud SMS `SendSms` (API 3.0, version 2021-01-11) that checks what
//! Tencent checks: the TC3-HMAC-SHA256 signature over the headers the request says it signed
//! and the body, the key id, the timestamp (5 minutes either way), the action and version, and
//! then the application, sign name, template and its parameters. It answers as Tencent does:
//! HTTP 200 with `Response.Error` for a refused request, or one `SendStatusSet` entry per
//! number. Its signature check is written from the documentation, independently of the
//! server's client.
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub const SECRET_ID: &str = "AKIDfakeTencentSecretId0001";
pub const SECRET_KEY: &str = "fake-tencent-secret-key-0001";
pub const APP_ID: &str = "1400123456";
pub const SIGN_NAME: &str = "工会会员服务";
pub const TEMPLATE_ID: &str = "2233445";

/// How the fake answers a correctly signed request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Sends the message.
    Deliver,
    /// Refuses the number: Tencent's per-phone daily limit.
    PhoneDailyLimit,
    /// Answers HTTP 500.
    ServerError,
    /// Does not answer for 30 seconds.
    Hang,
}

/// One message the fake accepted.
#[derive(Clone, Debug)]
pub struct Sent {
    pub phone: String,
    pub params: Vec<String>,
}

#[derive(Clone)]
pub struct FakeTencentSms {
    pub base: String,
    mode: Arc<Mutex<Mode>>,
    sent: Arc<Mutex<Vec<Sent>>>,
    refusals: Arc<Mutex<Vec<String>>>,
}

impl FakeTencentSms {
    /// Starts the fake on a free port.
    pub async fn start() -> FakeTencentSms {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let fake = FakeTencentSms {
            base: format!("http://{}", listener.local_addr().unwrap()),
            mode: Arc::new(Mutex::new(Mode::Deliver)),
            sent: Arc::default(),
            refusals: Arc::default(),
        };
        let app = axum::Router::new()
            .route("/", axum::routing::post(send_sms))
            .with_state(fake.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        fake
    }

    pub fn set_mode(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    /// Messages accepted so far.
    pub fn sent(&self) -> Vec<Sent> {
        self.sent.lock().unwrap().clone()
    }

    /// Error codes answered so far.
    pub fn refusals(&self) -> Vec<String> {
        self.refusals.lock().unwrap().clone()
    }

    /// Points a server configuration at this fake with the right credentials.
    pub fn configure(&self, config: &mut server::config::Config) {
        let sms = &mut config.sms;
        sms.sms_provider = Some(server::sms::Provider::Tencent);
        sms.sms_api_base = Some(self.base.clone());
        sms.sms_secret_id = Some(SECRET_ID.into());
        sms.sms_secret_key = Some(server::sms::Secret::new(SECRET_KEY));
        sms.sms_app_id = Some(APP_ID.into());
        sms.sms_sign_name = Some(SIGN_NAME.into());
        sms.sms_template_id = Some(TEMPLATE_ID.into());
    }
}

fn refuse(fake: &FakeTencentSms, code: &str, message: &str) -> Response {
    fake.refusals.lock().unwrap().push(code.to_owned());
    axum::Json(json!({
        "Response": {
            "Error": { "Code": code, "Message": message },
            "RequestId": "fake-request-id",
        }
    }))
    .into_response()
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn hmac_sha256(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `TC3-HMAC-SHA256 Credential=ID/DATE/sms/tc3_request, SignedHeaders=a;b, Signature=HEX`.
struct Authorization {
    secret_id: String,
    date: String,
    service: String,
    signed_headers: Vec<String>,
    signature: String,
}

fn parse_authorization(value: &str) -> Option<Authorization> {
    let rest = value.strip_prefix("TC3-HMAC-SHA256 ")?;
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(", ") {
        let (key, value) = part.split_once('=')?;
        match key {
            "Credential" => credential = Some(value),
            "SignedHeaders" => signed = Some(value),
            "Signature" => signature = Some(value),
            _ => return None,
        }
    }
    let scope: Vec<&str> = credential?.split('/').collect();
    if scope.len() != 4 || scope[3] != "tc3_request" {
        return None;
    }
    Some(Authorization {
        secret_id: scope[0].to_owned(),
        date: scope[1].to_owned(),
        service: scope[2].to_owned(),
        signed_headers: signed?.split(';').map(str::to_owned).collect(),
        signature: signature?.to_owned(),
    })
}

/// The signature Tencent would compute for this request.
fn expected_signature(
    auth: &Authorization,
    headers: &HeaderMap,
    timestamp: &str,
    body: &[u8],
) -> String {
    let canonical_headers: String = auth
        .signed_headers
        .iter()
        .map(|name| format!("{name}:{}\n", header(headers, name).trim().to_lowercase()))
        .collect();
    let canonical_request = format!(
        "POST\n/\n\n{canonical_headers}\n{}\n{}",
        auth.signed_headers.join(";"),
        hex(&Sha256::digest(body))
    );
    let string_to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{}/{}/tc3_request\n{}",
        auth.date,
        auth.service,
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let k_date = hmac_sha256(format!("TC3{SECRET_KEY}").as_bytes(), &auth.date);
    let k_service = hmac_sha256(&k_date, &auth.service);
    let k_signing = hmac_sha256(&k_service, "tc3_request");
    hex(&hmac_sha256(&k_signing, &string_to_sign))
}

async fn send_sms(State(fake): State<FakeTencentSms>, headers: HeaderMap, body: Bytes) -> Response {
    let mode = *fake.mode.lock().unwrap();
    match mode {
        Mode::ServerError => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Mode::Hang => {
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
        Mode::Deliver | Mode::PhoneDailyLimit => {}
    }
    let Some(auth) = parse_authorization(header(&headers, "authorization")) else {
        return refuse(
            &fake,
            "AuthFailure.SignatureFailure",
            "malformed Authorization",
        );
    };
    if auth.secret_id != SECRET_ID {
        return refuse(&fake, "AuthFailure.SecretIdNotFound", "unknown SecretId");
    }
    let must_sign = ["content-type", "host"];
    if auth.service != "sms"
        || must_sign
            .iter()
            .any(|h| !auth.signed_headers.iter().any(|s| s == h))
    {
        return refuse(
            &fake,
            "AuthFailure.SignatureFailure",
            "bad scope or signed headers",
        );
    }
    let timestamp = header(&headers, "x-tc-timestamp");
    let Ok(at) = timestamp.parse::<i64>() else {
        return refuse(&fake, "MissingParameter", "X-TC-Timestamp");
    };
    if (chrono::Utc::now().timestamp() - at).abs() > 300 {
        return refuse(
            &fake,
            "AuthFailure.SignatureExpire",
            "timestamp too far off",
        );
    }
    let date = chrono::DateTime::from_timestamp(at, 0)
        .unwrap()
        .format("%Y-%m-%d")
        .to_string();
    if date != auth.date {
        return refuse(
            &fake,
            "AuthFailure.SignatureFailure",
            "credential date is not the timestamp's",
        );
    }
    if expected_signature(&auth, &headers, timestamp, &body) != auth.signature {
        return refuse(&fake, "AuthFailure.SignatureFailure", "signature mismatch");
    }
    if header(&headers, "x-tc-action") != "SendSms"
        || header(&headers, "x-tc-version") != "2021-01-11"
    {
        return refuse(&fake, "InvalidAction", "SendSms of 2021-01-11 only");
    }
    if header(&headers, "x-tc-region").is_empty() {
        return refuse(&fake, "MissingParameter", "X-TC-Region");
    }
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return refuse(&fake, "InvalidParameter", "body is not JSON");
    };
    if request["SmsSdkAppId"] != APP_ID {
        return refuse(
            &fake,
            "InvalidParameterValue.SdkAppIdNotExist",
            "SmsSdkAppId",
        );
    }
    if request["SignName"] != SIGN_NAME {
        return refuse(
            &fake,
            "FailedOperation.SignatureIncorrectOrUnapproved",
            "SignName",
        );
    }
    if request["TemplateId"] != TEMPLATE_ID {
        return refuse(
            &fake,
            "FailedOperation.TemplateIncorrectOrUnapproved",
            "TemplateId",
        );
    }
    let params: Vec<String> = request["TemplateParamSet"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let code_ok = params
        .first()
        .is_some_and(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()));
    if params.len() != 2 || !code_ok || params[1].parse::<u32>().is_err() {
        return refuse(
            &fake,
            "InvalidParameterValue.TemplateParameterFormatError",
            "{1} code, {2} minutes",
        );
    }
    let phones: Vec<String> = request["PhoneNumberSet"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let phone_ok = |p: &String| {
        p.len() == 14 && p.starts_with("+861") && p[3..].bytes().all(|b| b.is_ascii_digit())
    };
    if phones.is_empty() || !phones.iter().all(phone_ok) {
        return refuse(
            &fake,
            "InvalidParameterValue.IncorrectPhoneNumber",
            "PhoneNumberSet",
        );
    }
    let statuses: Vec<Value> = phones
        .iter()
        .map(|phone| {
            if mode == Mode::PhoneDailyLimit {
                fake.refusals.lock().unwrap().push("LimitExceeded.PhoneNumberDailyLimit".into());
                json!({ "SerialNo": "", "PhoneNumber": phone, "Fee": 0, "SessionContext": "",
                        "Code": "LimitExceeded.PhoneNumberDailyLimit",
                        "Message": "the number of SMS messages sent from a single mobile number every day exceeds the upper limit",
                        "IsoCode": "CN" })
            } else {
                fake.sent.lock().unwrap().push(Sent { phone: phone.clone(), params: params.clone() });
                json!({ "SerialNo": "2028:fake", "PhoneNumber": phone, "Fee": 1, "SessionContext": "",
                        "Code": "Ok", "Message": "send success", "IsoCode": "CN" })
            }
        })
        .collect();
    axum::Json(json!({ "Response": { "SendStatusSet": statuses, "RequestId": "fake-request-id" } }))
        .into_response()
}
