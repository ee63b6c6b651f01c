//! Tencent Cloud SMS: `SendSms` of API 3.0 (version 2021-01-11), a JSON POST signed with
//! TC3-HMAC-SHA256, exactly as Tencent's documentation ("Signature v3") describes, so the real
//! endpoint and the tests' fake are swapped by `--sms-api-base`.
use contract::mask;
use serde::{Deserialize, Serialize};

use super::{Secret, SendFuture, Settings, SmsConfig, SmsConfigError, SmsError, SmsGateway};
use crate::crypto::sha256_hex;

const SERVICE: &str = "sms";
const ACTION: &str = "SendSms";
const VERSION: &str = "2021-01-11";
const ALGORITHM: &str = "TC3-HMAC-SHA256";
const CONTENT_TYPE: &str = "application/json; charset=utf-8";
const DEFAULT_API_BASE: &str = "https://sms.tencentcloudapi.com";
const DEFAULT_REGION: &str = "ap-guangzhou";

/// A configured Tencent Cloud SMS application. `Debug` never shows the secret key.
#[derive(Debug)]
pub struct Tencent {
    http: reqwest::Client,
    endpoint: String,
    /// The `Host` header as sent (and signed): host, and the port when not the scheme's.
    host: String,
    secret_id: String,
    secret_key: Secret,
    region: String,
    app_id: String,
    sign_name: String,
    template_id: String,
}

/// The `SendSms` request body (field names as Tencent spells them).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct SendSms<'a> {
    phone_number_set: [String; 1],
    sms_sdk_app_id: &'a str,
    sign_name: &'a str,
    template_id: &'a str,
    template_param_set: [&'a str; 2],
}

/// `{"Response": {...}}`: either `Error`, or one `SendStatusSet` entry per number.
#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "Response")]
    response: AnswerBody,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AnswerBody {
    error: Option<Status>,
    #[serde(default)]
    send_status_set: Vec<Status>,
    #[serde(default)]
    request_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Status {
    code: String,
    #[serde(default)]
    message: String,
}

impl Tencent {
    pub fn new(config: &SmsConfig) -> Result<Tencent, SmsConfigError> {
        let settings = Settings::new(config, "tencent")?;
        let app_id = settings.required(&config.sms_app_id, "--sms-app-id", "PORTAL_SMS_APP_ID")?;
        let (endpoint, host) = settings.endpoint(DEFAULT_API_BASE)?;
        Ok(Tencent {
            http: settings.http_client(),
            endpoint,
            host,
            secret_id: settings.key_id,
            secret_key: settings.key_secret,
            region: config
                .sms_region
                .clone()
                .unwrap_or_else(|| DEFAULT_REGION.to_owned()),
            app_id,
            sign_name: settings.sign_name,
            template_id: settings.template,
        })
    }

    async fn send(&self, phone: &str, code: &str, valid_minutes: u32) -> Result<(), SmsError> {
        let minutes = valid_minutes.to_string();
        let body = serde_json::to_string(&SendSms {
            phone_number_set: [format!("+86{phone}")],
            sms_sdk_app_id: &self.app_id,
            sign_name: &self.sign_name,
            template_id: &self.template_id,
            template_param_set: [code, &minutes],
        })
        .map_err(|e| SmsError::Unavailable(e.to_string()))?;
        // The provider checks the timestamp against its own clock (5 minutes either way), so
        // this is the real time, never the server's test clock.
        let timestamp = chrono::Utc::now().timestamp();
        let authorization = authorization(
            &Credentials {
                secret_id: &self.secret_id,
                secret_key: self.secret_key.expose(),
            },
            &self.host,
            ACTION,
            &body,
            timestamp,
        );
        let response = self
            .http
            .post(&self.endpoint)
            .header("authorization", authorization)
            .header("content-type", CONTENT_TYPE)
            .header("x-tc-action", ACTION)
            .header("x-tc-version", VERSION)
            .header("x-tc-timestamp", timestamp.to_string())
            .header("x-tc-region", &self.region)
            .body(body)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| SmsError::Unavailable(e.without_url().to_string()))?;
        let answer: Answer = response
            .json()
            .await
            .map_err(|e| SmsError::Unavailable(format!("unreadable answer: {e}")))?;
        let AnswerBody {
            error,
            send_status_set,
            request_id,
        } = answer.response;
        let refusal = error.or_else(|| send_status_set.into_iter().find(|s| s.code != "Ok"));
        match refusal {
            None => Ok(()),
            Some(Status { code, message }) => {
                tracing::warn!(
                    phone = %mask::phone(phone),
                    %code,
                    %message,
                    %request_id,
                    "Tencent Cloud SMS refused to send"
                );
                Err(SmsError::Refused { code, message })
            }
        }
    }
}

impl SmsGateway for Tencent {
    fn send_code<'a>(
        &'a self,
        phone: &'a str,
        code: &'a str,
        valid_minutes: u32,
    ) -> SendFuture<'a> {
        Box::pin(self.send(phone, code, valid_minutes))
    }
}

/// An API key pair.
pub struct Credentials<'a> {
    pub secret_id: &'a str,
    pub secret_key: &'a str,
}

/// The `Authorization` header of a JSON POST to `/` of `host`: TC3-HMAC-SHA256 over the
/// content type, the host and the action (header names and values lower-cased, as the
/// canonical request requires), and the SHA-256 of the body.
pub fn authorization(
    credentials: &Credentials<'_>,
    host: &str,
    action: &str,
    body: &str,
    timestamp: i64,
) -> String {
    let signed_headers = "content-type;host;x-tc-action";
    let canonical_headers = format!(
        "content-type:{}\nhost:{}\nx-tc-action:{}\n",
        CONTENT_TYPE,
        host.to_ascii_lowercase(),
        action.to_ascii_lowercase()
    );
    let canonical_request = format!(
        "POST\n/\n\n{canonical_headers}\n{signed_headers}\n{}",
        sha256_hex(body)
    );
    let date = chrono::DateTime::from_timestamp(timestamp, 0)
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string();
    let scope = format!("{date}/{SERVICE}/tc3_request");
    let string_to_sign = format!(
        "{ALGORITHM}\n{timestamp}\n{scope}\n{}",
        sha256_hex(&canonical_request)
    );
    let secret_date = hmac(format!("TC3{}", credentials.secret_key).as_bytes(), &date);
    let secret_service = hmac(&secret_date, SERVICE);
    let secret_signing = hmac(&secret_service, "tc3_request");
    let signature: String = hmac(&secret_signing, &string_to_sign)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!(
        "{ALGORITHM} Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        credentials.secret_id
    )
}

fn hmac(key: &[u8], message: &str) -> [u8; 32] {
    contract::card::hmac_sha256(key, message.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_matches_tencents_published_example() {
        // The example of Tencent's "Signature v3" page and its signature-process-demo
        // (DescribeInstances on cvm), with the service swapped for sms as SendSms signs it;
        // the expected value was computed independently from the demo's steps.
        let credentials = Credentials {
            secret_id: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            secret_key: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        };
        let body = r#"{"PhoneNumberSet":["+8613800000001"],"SmsSdkAppId":"1400006666","SignName":"工会会员服务","TemplateId":"1234567","TemplateParamSet":["123456","5"]}"#;
        let header = authorization(
            &credentials,
            "sms.tencentcloudapi.com",
            "SendSms",
            body,
            1551113065,
        );
        assert_eq!(header, EXPECTED);
    }

    const EXPECTED: &str = "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/sms/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=5a680b657ca3262f2561610c3a1cf514390ef5807b798a62f8ed9bd04085ddc0";
}
