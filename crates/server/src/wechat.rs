//! The WeChat Official Account OAuth code exchange, spoken exactly as WeChat does, so the real
//! endpoint and the tests' fake are swapped by configuration (`--wechat-api-base`,
//! `--wechat-authorize-url`).
use std::time::Duration;

use serde::Deserialize;

use crate::config::Config;

/// A client for the WeChat API with this deployment's AppID and AppSecret.
#[derive(Clone)]
pub struct WeChat {
    http: reqwest::Client,
    api_base: String,
    authorize_url: String,
    app: Option<(String, String)>,
}

/// Why a code could not be exchanged.
#[derive(Debug, thiserror::Error)]
pub enum WeChatError {
    #[error("WeChat sign-in is not configured")]
    NotConfigured,
    /// The code is invalid, expired or used (`errcode` 40029, 40163 …).
    #[error("WeChat refused the code: {errcode} {errmsg}")]
    CodeRejected { errcode: i64, errmsg: String },
    #[error("WeChat API unavailable: {0}")]
    Unavailable(String),
}

/// `sns/oauth2/access_token`'s answer: the token fields, or `errcode`/`errmsg` (with HTTP 200).
#[derive(Deserialize)]
struct TokenAnswer {
    openid: Option<String>,
    #[serde(default)]
    errcode: i64,
    #[serde(default)]
    errmsg: String,
}

impl WeChat {
    pub fn new(config: &Config) -> WeChat {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        let app = config
            .wechat_app_id
            .clone()
            .zip(config.wechat_app_secret.clone())
            .filter(|(id, secret)| !id.is_empty() && !secret.is_empty());
        WeChat {
            http,
            api_base: config.wechat_api_base.trim_end_matches('/').to_owned(),
            authorize_url: config.wechat_authorize_url.clone(),
            app,
        }
    }

    /// The AppID, when WeChat sign-in is configured.
    pub fn app_id(&self) -> Option<&str> {
        self.app.as_ref().map(|(id, _)| id.as_str())
    }

    /// The silent (`snsapi_base`) authorisation URL that returns to `redirect_uri` with a code.
    pub fn authorize_url(&self, redirect_uri: &str, state: &str) -> Option<String> {
        let app_id = self.app_id()?;
        Some(format!(
            "{}?appid={}&redirect_uri={}&response_type=code&scope=snsapi_base&state={}#wechat_redirect",
            self.authorize_url,
            encode(app_id),
            encode(redirect_uri),
            encode(state)
        ))
    }

    /// Exchanges a one-time OAuth code for the member's openid.
    pub async fn openid_for_code(&self, code: &str) -> Result<String, WeChatError> {
        let (app_id, secret) = self.app.as_ref().ok_or(WeChatError::NotConfigured)?;
        let url = format!("{}/sns/oauth2/access_token", self.api_base);
        let answer: TokenAnswer = self
            .http
            .get(url)
            .query(&[
                ("appid", app_id.as_str()),
                ("secret", secret.as_str()),
                ("code", code),
                ("grant_type", "authorization_code"),
            ])
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| WeChatError::Unavailable(e.without_url().to_string()))?
            .json()
            .await
            .map_err(|e| WeChatError::Unavailable(e.to_string()))?;
        match answer.openid {
            Some(openid) if answer.errcode == 0 && !openid.is_empty() => Ok(openid),
            _ => Err(WeChatError::CodeRejected {
                errcode: answer.errcode,
                errmsg: answer.errmsg,
            }),
        }
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters kept).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authorize_url_encodes_the_redirect_and_ends_as_wechat_requires() {
        let mut config = crate::config::Config::for_tests(".".into(), ".".into());
        config.wechat_app_id = Some("wx123".into());
        config.wechat_app_secret = Some("secret".into());
        let url = WeChat::new(&config)
            .authorize_url("https://union.example/login?x=1", "abc123")
            .unwrap();
        assert!(
            url.starts_with("https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx123&"),
            "{url}"
        );
        assert!(url.contains("redirect_uri=https%3A%2F%2Funion.example%2Flogin%3Fx%3D1"));
        assert!(url.contains("scope=snsapi_base&state=abc123#wechat_redirect"));
    }

    #[test]
    fn without_app_id_and_secret_wechat_is_off() {
        let config = crate::config::Config::for_tests(".".into(), ".".into());
        assert!(WeChat::new(&config).app_id().is_none());
    }
}
