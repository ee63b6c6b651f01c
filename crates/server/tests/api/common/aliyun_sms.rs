//! A local fake of Alibaba Cloud SMS `SendSms` (Dysmsapi 2017-05-25) that checks what Alibaba
//! Cloud checks for signature V3: the ACS3-HMAC-SHA256 signature recomputed from the received
//! query (decoded, re-encoded and sorted) and the headers the request says it signed (which
//! must include `host` and every `x-acs-*` header), the body's SHA-256, the AccessKey id, the
//! date (15 minutes either way) and a nonce never seen before; then the sign name, template
//! code and its `code` parameter, and the phone. Signature errors answer HTTP 400, business
//! refusals HTTP 200 with their `Code`, as Alibaba Cloud does. Written independently of the
//! server's client.
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub const ACCESS_KEY_ID: &str = "LTAI5tFakeAccessKeyId";
pub const ACCESS_KEY_SECRET: &str = "fake-aliyun-access-key-secret";
pub const SIGN_NAME: &str = "工会会员服务";
pub const TEMPLATE_CODE: &str = "SMS_460715001";

/// One message the fake accepted.
#[derive(Clone, Debug)]
pub struct Sent {
    pub phone: String,
    pub code: String,
}

#[derive(Clone)]
pub struct FakeAliyunSms {
    pub base: String,
    /// Refuse every send with the per-phone flow control (`isv.BUSINESS_LIMIT_CONTROL`).
    limit: Arc<Mutex<bool>>,
    sent: Arc<Mutex<Vec<Sent>>>,
    refusals: Arc<Mutex<Vec<String>>>,
    nonces: Arc<Mutex<HashSet<String>>>,
}

impl FakeAliyunSms {
    pub async fn start() -> FakeAliyunSms {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let fake = FakeAliyunSms {
            base: format!("http://{}", listener.local_addr().unwrap()),
            limit: Arc::default(),
            sent: Arc::default(),
            refusals: Arc::default(),
            nonces: Arc::default(),
        };
        let app = axum::Router::new()
            .route("/", axum::routing::post(send_sms))
            .with_state(fake.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        fake
    }

    pub fn set_flow_control(&self, on: bool) {
        *self.limit.lock().unwrap() = on;
    }

    pub fn sent(&self) -> Vec<Sent> {
        self.sent.lock().unwrap().clone()
    }

    pub fn refusals(&self) -> Vec<String> {
        self.refusals.lock().unwrap().clone()
    }

    pub fn configure(&self, config: &mut server::config::Config) {
        let sms = &mut config.sms;
        sms.sms_provider = Some(server::sms::Provider::Aliyun);
        sms.sms_api_base = Some(self.base.clone());
        sms.sms_secret_id = Some(ACCESS_KEY_ID.into());
        sms.sms_secret_key = Some(server::sms::Secret::new(ACCESS_KEY_SECRET));
        sms.sms_sign_name = Some(SIGN_NAME.into());
        sms.sms_template_id = Some(TEMPLATE_CODE.into());
    }
}

fn answer(fake: &FakeAliyunSms, status: StatusCode, code: &str, message: &str) -> Response {
    if code != "OK" {
        fake.refusals.lock().unwrap().push(code.to_owned());
    }
    let body = json!({ "Code": code, "Message": message, "RequestId": "FAKE-REQUEST-ID", "BizId": "900619746936498440^0" });
    (status, axum::Json(body)).into_response()
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hexpair = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hexpair, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn rfc3986(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The decoded parameters, and the canonical query string Alibaba Cloud signs.
fn parse_query(raw: &str) -> Option<(Vec<(String, String)>, String)> {
    let mut params = Vec::new();
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        params.push((percent_decode(k)?, percent_decode(v)?));
    }
    let mut encoded: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (rfc3986(k), rfc3986(v)))
        .collect();
    encoded.sort();
    let canonical = encoded
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    Some((params, canonical))
}

async fn send_sms(
    State(fake): State<FakeAliyunSms>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let bad = StatusCode::BAD_REQUEST;
    let authorization = header(&headers, "authorization");
    let Some(rest) = authorization.strip_prefix("ACS3-HMAC-SHA256 ") else {
        return answer(&fake, bad, "IncompleteSignature", "algorithm");
    };
    let mut credential = "";
    let mut signed = "";
    let mut signature = "";
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("Credential", v)) => credential = v,
            Some(("SignedHeaders", v)) => signed = v,
            Some(("Signature", v)) => signature = v,
            _ => return answer(&fake, bad, "IncompleteSignature", "Authorization"),
        }
    }
    if credential != ACCESS_KEY_ID {
        return answer(
            &fake,
            StatusCode::NOT_FOUND,
            "InvalidAccessKeyId.NotFound",
            "AccessKeyId",
        );
    }
    let signed: Vec<&str> = signed.split(';').collect();
    let mut acs_headers = headers
        .keys()
        .map(|k| k.as_str())
        .filter(|k| k.starts_with("x-acs-"));
    let all_signed = signed.contains(&"host") && acs_headers.all(|h| signed.contains(&h));
    if !all_signed {
        return answer(&fake, bad, "IncompleteSignature", "unsigned x-acs headers");
    }
    let body_hash = hex(&Sha256::digest(&body));
    if header(&headers, "x-acs-content-sha256") != body_hash {
        return answer(&fake, bad, "IncompleteSignature", "x-acs-content-sha256");
    }
    let Ok(date) = chrono::DateTime::parse_from_rfc3339(header(&headers, "x-acs-date")) else {
        return answer(&fake, bad, "MissingParameter", "x-acs-date");
    };
    if (chrono::Utc::now().timestamp() - date.timestamp()).abs() > 900 {
        return answer(&fake, bad, "InvalidTimeStamp.Expired", "x-acs-date");
    }
    let Some((params, canonical_query)) = parse_query(query.as_deref().unwrap_or("")) else {
        return answer(&fake, bad, "InvalidParameter", "query");
    };
    let canonical_headers: String = signed
        .iter()
        .map(|name| format!("{name}:{}\n", header(&headers, name).trim()))
        .collect();
    let canonical_request = format!(
        "POST\n/\n{canonical_query}\n{canonical_headers}\n{}\n{body_hash}",
        signed.join(";")
    );
    let string_to_sign = format!(
        "ACS3-HMAC-SHA256\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(ACCESS_KEY_SECRET.as_bytes()).unwrap();
    mac.update(string_to_sign.as_bytes());
    if hex(&mac.finalize().into_bytes()) != signature {
        return answer(&fake, bad, "SignatureDoesNotMatch", "signature mismatch");
    }
    let nonce = header(&headers, "x-acs-signature-nonce").to_owned();
    if nonce.is_empty() || !fake.nonces.lock().unwrap().insert(nonce) {
        return answer(&fake, bad, "SignatureNonceUsed", "nonce");
    }
    if header(&headers, "x-acs-action") != "SendSms"
        || header(&headers, "x-acs-version") != "2017-05-25"
    {
        return answer(&fake, bad, "InvalidAction.NotFound", "SendSms 2017-05-25");
    }
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let ok = StatusCode::OK;
    if param("SignName") != SIGN_NAME {
        return answer(&fake, ok, "isv.SMS_SIGNATURE_ILLEGAL", "SignName");
    }
    if param("TemplateCode") != TEMPLATE_CODE {
        return answer(&fake, ok, "isv.SMS_TEMPLATE_ILLEGAL", "TemplateCode");
    }
    let code = serde_json::from_str::<Value>(&param("TemplateParam"))
        .ok()
        .and_then(|v| v["code"].as_str().map(str::to_owned))
        .unwrap_or_default();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return answer(&fake, ok, "isv.TEMPLATE_MISSING_PARAMETERS", "${code}");
    }
    let phone = param("PhoneNumbers");
    if phone.len() != 11 || !phone.starts_with('1') || !phone.bytes().all(|b| b.is_ascii_digit()) {
        return answer(&fake, ok, "isv.MOBILE_NUMBER_ILLEGAL", "PhoneNumbers");
    }
    if *fake.limit.lock().unwrap() {
        return answer(
            &fake,
            ok,
            "isv.BUSINESS_LIMIT_CONTROL",
            "触发天级流控Permits:10",
        );
    }
    fake.sent.lock().unwrap().push(Sent { phone, code });
    answer(&fake, ok, "OK", "OK")
}
