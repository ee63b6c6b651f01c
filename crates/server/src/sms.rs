//! Sending sign-in codes by SMS. A gateway is pluggable: production sends through a provider's
//! HTTP API ([`tencent`]: Tencent Cloud SMS); development (`--dev-outbox`) keeps the message in
//! the dev outbox table, readable over HTTP, and never reaches a phone.
pub mod aliyun;
pub mod tencent;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use clap::{Args, ValueEnum};
use contract::mask;

use crate::clock::Clock;
use crate::crypto::new_id;
use crate::db::Db;

/// Why a code was not delivered. Neither variant carries the code or a secret.
#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    /// The provider could not be reached or did not answer in time, or answered with an HTTP
    /// failure.
    #[error("SMS provider unavailable: {0}")]
    Unavailable(String),
    /// The provider answered and refused to send (its error code and message).
    #[error("SMS provider refused: {code} {message}")]
    Refused { code: String, message: String },
}

pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), SmsError>> + Send + 'a>>;

/// Something that delivers a sign-in code to a mainland mobile phone.
pub trait SmsGateway: Send + Sync {
    /// Sends `code`, valid for `valid_minutes`, to `phone` (11 digits).
    fn send_code<'a>(&'a self, phone: &'a str, code: &'a str, valid_minutes: u32)
    -> SendFuture<'a>;
}

/// The text of a sign-in code message, as the dev outbox keeps it (a provider's template says
/// the same with the code and the minutes as its two parameters).
pub fn code_message(code: &str, valid_minutes: u32) -> String {
    format!("【工会会员服务】验证码 {code}，{valid_minutes}分钟内有效，请勿告诉他人。")
}

/// Development delivery: the message goes to the outbox table, never to a phone.
pub struct DevOutbox {
    pub db: Db,
    pub clock: Arc<Clock>,
}

impl SmsGateway for DevOutbox {
    fn send_code<'a>(
        &'a self,
        phone: &'a str,
        code: &'a str,
        valid_minutes: u32,
    ) -> SendFuture<'a> {
        Box::pin(async move {
            tracing::info!(phone = %mask::phone(phone), "dev SMS gateway: message stored in the dev outbox");
            sqlx::query(
                "INSERT INTO dev_outbox (id, phone, body, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(new_id("sms"))
            .bind(phone)
            .bind(code_message(code, valid_minutes))
            .bind(self.clock.now())
            .execute(&self.db)
            .await
            .map(|_| ())
            .map_err(|e| SmsError::Unavailable(e.to_string()))
        })
    }
}

/// A server that sends nothing (commands such as `seed` and `admin`, which never send codes).
struct NoGateway;

impl SmsGateway for NoGateway {
    fn send_code<'a>(&'a self, _: &'a str, _: &'a str, _: u32) -> SendFuture<'a> {
        Box::pin(async { Err(SmsError::Unavailable("no SMS provider configured".into())) })
    }
}

/// Counts what a gateway delivered and what failed, for `/metrics`.
struct Metered {
    inner: Arc<dyn SmsGateway>,
    metrics: Arc<crate::metrics::Metrics>,
}

impl SmsGateway for Metered {
    fn send_code<'a>(
        &'a self,
        phone: &'a str,
        code: &'a str,
        valid_minutes: u32,
    ) -> SendFuture<'a> {
        Box::pin(async move {
            let result = self.inner.send_code(phone, code, valid_minutes).await;
            self.metrics.sms_sent(result.is_ok());
            result
        })
    }
}

/// The SMS providers the server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Provider {
    /// Tencent Cloud SMS (`SendSms`, API 3.0, TC3-HMAC-SHA256).
    Tencent,
    /// Alibaba Cloud SMS (Dysmsapi `SendSms` 2017-05-25, signature V3 ACS3-HMAC-SHA256).
    Aliyun,
}

/// A secret from the command line or environment: never printed, not even by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(redacted)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Ok(Secret(value.to_owned()))
    }
}

/// How codes are delivered in production. Without `--sms-provider` the server refuses to start
/// unless it is a development server (`--dev-outbox`).
#[derive(Debug, Clone, Args)]
pub struct SmsConfig {
    /// The SMS provider that delivers sign-in codes.
    #[arg(long, global = true, env = "PORTAL_SMS_PROVIDER", value_enum)]
    pub sms_provider: Option<Provider>,
    /// The provider's API key id (Tencent: SecretId; Alibaba Cloud: AccessKey ID).
    #[arg(long, global = true, env = "PORTAL_SMS_SECRET_ID")]
    pub sms_secret_id: Option<String>,
    /// The provider's API key secret (Tencent: SecretKey; Alibaba Cloud: AccessKey secret);
    /// never logged.
    #[arg(
        long,
        global = true,
        env = "PORTAL_SMS_SECRET_KEY",
        hide_env_values = true
    )]
    pub sms_secret_key: Option<Secret>,
    /// Tencent: the region (`ap-guangzhou` by default, `ap-beijing` or `ap-nanjing`).
    #[arg(long, global = true, env = "PORTAL_SMS_REGION")]
    pub sms_region: Option<String>,
    /// Tencent: the SMS application (SmsSdkAppId, e.g. `1400006666`).
    #[arg(long, global = true, env = "PORTAL_SMS_APP_ID")]
    pub sms_app_id: Option<String>,
    /// The approved signature shown in front of each message (SignName, e.g. `工会会员服务`).
    #[arg(long, global = true, env = "PORTAL_SMS_SIGN_NAME")]
    pub sms_sign_name: Option<String>,
    /// The approved template of the sign-in message. Tencent (template id): parameter {1} is
    /// the code and {2} the minutes it stays valid. Alibaba Cloud (TemplateCode, `SMS_…`):
    /// variable ${code}.
    #[arg(long, global = true, env = "PORTAL_SMS_TEMPLATE_ID")]
    pub sms_template_id: Option<String>,
    /// The provider's API endpoint (default `https://sms.tencentcloudapi.com` or
    /// `https://dysmsapi.aliyuncs.com`; a local fake in tests).
    #[arg(long, global = true, env = "PORTAL_SMS_API_BASE")]
    pub sms_api_base: Option<String>,
    /// Seconds to wait for the provider before telling the member SMS is unavailable.
    #[arg(
        long,
        global = true,
        env = "PORTAL_SMS_TIMEOUT_SECONDS",
        default_value_t = 5
    )]
    pub sms_timeout_seconds: u64,
}

/// Why the SMS provider's configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SmsConfigError {
    #[error(
        "no SMS provider configured: set --sms-provider tencent|aliyun (PORTAL_SMS_PROVIDER) with its keys, sign name and template (and Tencent's app id), or run a development server with --dev-outbox"
    )]
    NoProvider,
    #[error("--sms-provider {provider} needs {flag} (or {env})")]
    Missing {
        provider: &'static str,
        flag: &'static str,
        env: &'static str,
    },
    #[error("--sms-api-base is not a URL: {0}")]
    BadUrl(String),
}

/// What every provider needs, checked: a key pair, a sign name and a template.
struct Settings<'a> {
    config: &'a SmsConfig,
    provider: &'static str,
    key_id: String,
    key_secret: Secret,
    sign_name: String,
    template: String,
}

impl<'a> Settings<'a> {
    fn new(config: &'a SmsConfig, provider: &'static str) -> Result<Settings<'a>, SmsConfigError> {
        let required = |value: &Option<String>, flag, env| {
            value
                .clone()
                .filter(|v| !v.trim().is_empty())
                .ok_or(SmsConfigError::Missing {
                    provider,
                    flag,
                    env,
                })
        };
        let key_id = required(
            &config.sms_secret_id,
            "--sms-secret-id",
            "PORTAL_SMS_SECRET_ID",
        )?;
        let key_secret = config
            .sms_secret_key
            .clone()
            .filter(|k| !k.expose().is_empty())
            .ok_or(SmsConfigError::Missing {
                provider,
                flag: "--sms-secret-key",
                env: "PORTAL_SMS_SECRET_KEY",
            })?;
        let sign_name = required(
            &config.sms_sign_name,
            "--sms-sign-name",
            "PORTAL_SMS_SIGN_NAME",
        )?;
        let template = required(
            &config.sms_template_id,
            "--sms-template-id",
            "PORTAL_SMS_TEMPLATE_ID",
        )?;
        Ok(Settings {
            config,
            provider,
            key_id,
            key_secret,
            sign_name,
            template,
        })
    }

    /// A further setting this provider requires.
    fn required(
        &self,
        value: &Option<String>,
        flag: &'static str,
        env: &'static str,
    ) -> Result<String, SmsConfigError> {
        value
            .clone()
            .filter(|v| !v.trim().is_empty())
            .ok_or(SmsConfigError::Missing {
                provider: self.provider,
                flag,
                env,
            })
    }

    /// The endpoint URL and the `Host` header it is sent (and signed) with: the host, and the
    /// port when it is not the scheme's.
    fn endpoint(&self, default: &str) -> Result<(String, String), SmsConfigError> {
        let base = self.config.sms_api_base.as_deref().unwrap_or(default);
        let url = reqwest::Url::parse(base).map_err(|_| SmsConfigError::BadUrl(base.to_owned()))?;
        let host = match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            (None, _) => return Err(SmsConfigError::BadUrl(base.to_owned())),
        };
        Ok((url.to_string(), host))
    }

    fn http_client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(
                self.config.sms_timeout_seconds.max(1),
            ))
            .build()
            .unwrap_or_default()
    }
}

/// What serves a command: a server must be able to deliver codes, a command never sends one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Serve,
    Command,
}

/// The gateway this configuration asks for: the provider when one is configured, else the dev
/// outbox in development; a production server without a provider refuses to start.
pub fn gateway(
    config: &crate::config::Config,
    db: &Db,
    clock: &Arc<Clock>,
    metrics: &Arc<crate::metrics::Metrics>,
    purpose: Purpose,
) -> Result<Arc<dyn SmsGateway>, SmsConfigError> {
    let inner: Arc<dyn SmsGateway> = match config.sms.sms_provider {
        Some(Provider::Tencent) => Arc::new(tencent::Tencent::new(&config.sms)?),
        Some(Provider::Aliyun) => Arc::new(aliyun::Aliyun::new(&config.sms)?),
        None if config.dev_outbox => Arc::new(DevOutbox {
            db: db.clone(),
            clock: clock.clone(),
        }),
        None if purpose == Purpose::Command => Arc::new(NoGateway),
        None => return Err(SmsConfigError::NoProvider),
    };
    Ok(Arc::new(Metered {
        inner,
        metrics: metrics.clone(),
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_secret_never_shows_in_debug_output() {
        use clap::Parser;
        let config =
            crate::config::Cli::parse_from(["server", "--sms-secret-key", "very-secret-key-value"]);
        let printed = format!("{config:?}");
        assert!(!printed.contains("very-secret-key-value"), "{printed}");
        assert!(printed.contains("Secret(redacted)"), "{printed}");
    }
}
