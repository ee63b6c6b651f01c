//! Alibaba Cloud SMS: Dysmsapi `SendSms` (version 2017-05-25), an RPC call whose parameters
//! travel in the query string, signed with signature V3 (ACS3-HMAC-SHA256) as Alibaba Cloud's
//! "V3 request structure and signature" describes. `--sms-api-base` swaps the real endpoint
//! for the tests' fake.
use contract::mask;
use serde::Deserialize;

use super::{Secret, SendFuture, Settings, SmsConfig, SmsConfigError, SmsError, SmsGateway};
use crate::crypto::{random_hex, sha256_hex};

const ACTION: &str = "SendSms";
const VERSION: &str = "2017-05-25";
const ALGORITHM: &str = "ACS3-HMAC-SHA256";
const DEFAULT_API_BASE: &str = "https://dysmsapi.aliyuncs.com";

/// A configured Alibaba Cloud SMS sender. `Debug` never shows the AccessKey secret.
#[derive(Debug)]
pub struct Aliyun {
    http: reqwest::Client,
    endpoint: String,
    host: String,
    access_key_id: String,
    access_key_secret: Secret,
    sign_name: String,
    template_code: String,
}

/// The answer, success (`Code: "OK"`) or not, with HTTP 200 or, for a refused signature, 4xx.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Answer {
    code: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    request_id: String,
}

impl Aliyun {
    pub fn new(config: &SmsConfig) -> Result<Aliyun, SmsConfigError> {
        let settings = Settings::new(config, "aliyun")?;
        let (endpoint, host) = settings.endpoint(DEFAULT_API_BASE)?;
        Ok(Aliyun {
            http: settings.http_client(),
            endpoint,
            host,
            access_key_id: settings.key_id,
            access_key_secret: settings.key_secret,
            sign_name: settings.sign_name,
            template_code: settings.template,
        })
    }

    async fn send(&self, phone: &str, code: &str) -> Result<(), SmsError> {
        let template_param = serde_json::json!({ "code": code }).to_string();
        let query = canonical_query(&[
            ("PhoneNumbers", phone),
            ("SignName", &self.sign_name),
            ("TemplateCode", &self.template_code),
            ("TemplateParam", &template_param),
        ]);
        let request = SignedRequest {
            host: &self.host,
            query: &query,
            date: &chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            nonce: &random_hex(16),
        };
        let headers = request.headers();
        let authorization =
            request.authorization(&self.access_key_id, self.access_key_secret.expose());
        let mut call = self
            .http
            .post(format!("{}?{query}", self.endpoint.trim_end_matches('/')))
            .header("authorization", authorization);
        for (name, value) in headers.iter().filter(|(name, _)| *name != "host") {
            call = call.header(*name, value);
        }
        let response = call
            .send()
            .await
            .map_err(|e| SmsError::Unavailable(e.without_url().to_string()))?;
        let status = response.status();
        let answer: Option<Answer> = response.json().await.ok();
        match answer {
            Some(answer) if answer.code == "OK" => Ok(()),
            Some(Answer {
                code,
                message,
                request_id,
            }) => {
                tracing::warn!(
                    phone = %mask::phone(phone),
                    %code,
                    %message,
                    %request_id,
                    "Alibaba Cloud SMS refused to send"
                );
                Err(SmsError::Refused { code, message })
            }
            None => Err(SmsError::Unavailable(format!(
                "HTTP {status} without an answer"
            ))),
        }
    }
}

impl SmsGateway for Aliyun {
    fn send_code<'a>(
        &'a self,
        phone: &'a str,
        code: &'a str,
        _valid_minutes: u32,
    ) -> SendFuture<'a> {
        // The validity is written in the approved template's text; only ${code} varies.
        Box::pin(self.send(phone, code))
    }
}

/// RFC 3986 percent-encoding as the V3 signature requires: unreserved characters kept,
/// everything else `%XX` (so a space is `%20`, `*` is `%2A`, `~` stays).
pub fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The parameters sorted by name, each `name=value` encoded, joined by `&`; sent as is, so
/// what is signed is exactly what is sent.
pub fn canonical_query(params: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (percent_encode(k), percent_encode(v)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// A POST to `/` with an empty body and its parameters in `query`.
pub struct SignedRequest<'a> {
    pub host: &'a str,
    pub query: &'a str,
    /// ISO 8601 UTC, `2023-10-26T10:22:32Z`.
    pub date: &'a str,
    pub nonce: &'a str,
}

impl SignedRequest<'_> {
    /// The headers that are sent and signed, sorted by name.
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        vec![
            ("host", self.host.to_owned()),
            ("x-acs-action", ACTION.to_owned()),
            ("x-acs-content-sha256", sha256_hex("")),
            ("x-acs-date", self.date.to_owned()),
            ("x-acs-signature-nonce", self.nonce.to_owned()),
            ("x-acs-version", VERSION.to_owned()),
        ]
    }

    /// `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<names>,Signature=<hex>` over the
    /// canonical request (method, path, query, headers, their names, the body's SHA-256).
    pub fn authorization(&self, access_key_id: &str, access_key_secret: &str) -> String {
        let headers = self.headers();
        let canonical_headers: String = headers
            .iter()
            .map(|(name, value)| format!("{name}:{}\n", value.trim()))
            .collect();
        let signed_headers = headers
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(";");
        let canonical_request = format!(
            "POST\n/\n{}\n{canonical_headers}\n{signed_headers}\n{}",
            self.query,
            sha256_hex("")
        );
        let string_to_sign = format!("{ALGORITHM}\n{}", sha256_hex(&canonical_request));
        let signature: String =
            contract::card::hmac_sha256(access_key_secret.as_bytes(), string_to_sign.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
        format!(
            "{ALGORITHM} Credential={access_key_id},SignedHeaders={signed_headers},Signature={signature}"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_encoded_as_rfc_3986_and_parameters_sorted() {
        assert_eq!(percent_encode("a b*c~"), "a%20b%2Ac~");
        assert_eq!(percent_encode("工"), "%E5%B7%A5");
        assert_eq!(
            canonical_query(&[("b", "2"), ("TemplateParam", r#"{"code":"1"}"#), ("A", "x")]),
            "A=x&TemplateParam=%7B%22code%22%3A%221%22%7D&b=2"
        );
    }

    #[test]
    fn the_signature_matches_an_independent_computation() {
        let request = SignedRequest {
            host: "dysmsapi.aliyuncs.com",
            query: &canonical_query(&[
                ("PhoneNumbers", "13800000001"),
                ("SignName", "工会会员服务"),
                ("TemplateCode", "SMS_123456789"),
                ("TemplateParam", r#"{"code":"123456"}"#),
            ]),
            date: "2023-10-26T10:22:32Z",
            nonce: "3156853299f313e23d1673dc12e1703d",
        };
        assert_eq!(
            request.authorization("YourAccessKeyId", "YourAccessKeySecret"),
            EXPECTED
        );
    }

    const EXPECTED: &str = "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=0f0114460614b5bc938d4a18e5b3897702125b5b6bc642df914b4d6ed64b6e71";
}
