//! Transport: URL building, headers (language, CSRF), JSON decoding, and mapping failures to
//! `ApiError`. A 401 from any call ends the session here, once, for the whole app.
use contract::auth::CSRF_HEADER;
use contract::error::ErrorEnvelope;
use gloo_net::http::Request;
use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::browser::prefetch;
use crate::i18n::Locale;
use crate::state::session::SessionStore;

/// Why an API call failed, in terms a view can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The request never got an answer (offline, DNS, server down).
    #[error("network unavailable")]
    Network,
    /// The server answered with its error envelope.
    #[error("{}", .envelope.message)]
    Api {
        status: u16,
        envelope: ErrorEnvelope,
    },
    /// The server answered something that is not our contract.
    #[error("unexpected response (HTTP {status})")]
    Unexpected { status: u16 },
}

impl ApiError {
    /// The envelope's stable code, when the server sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Api { envelope, .. } => Some(&envelope.code),
            _ => None,
        }
    }

    /// Seconds to wait before retrying, for throttling answers.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            ApiError::Api { envelope, .. } => envelope.retry_after_seconds,
            _ => None,
        }
    }

    /// Tries left before a temporary lock, for a wrong password or PIN.
    pub fn attempts_remaining(&self) -> Option<u32> {
        match self {
            ApiError::Api { envelope, .. } => envelope.attempts_remaining,
            _ => None,
        }
    }

    /// The message for one field of a rejected form.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            ApiError::Api { envelope, .. } => envelope
                .fields
                .iter()
                .find(|f| f.field == field)
                .map(|f| f.message.clone()),
            _ => None,
        }
    }
}

/// The API client, provided once as context; cheap to copy.
#[derive(Clone)]
pub struct ApiClient {
    root: String,
    locale: Signal<Locale>,
    session: SessionStore,
    /// The API is on another origin: requests must ask for its cookies to be sent.
    cross_origin: bool,
}

impl ApiClient {
    /// A client for the API rooted at `root` (e.g. `/api`).
    pub fn new(root: &str, locale: Signal<Locale>, session: SessionStore) -> Self {
        Self {
            root: root.trim_end_matches('/').to_owned(),
            locale,
            session,
            cross_origin: crate::config::is_cross_origin(root),
        }
    }

    /// Whether the API is on another origin (see `config::is_cross_origin`).
    pub fn cross_origin(&self) -> bool {
        self.cross_origin
    }

    /// The absolute URL of an API path such as `/v1/card`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.root, path)
    }

    /// GETs a JSON resource.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        decode(self.send(Method::Get, path, None, None).await?)
    }

    /// POSTs a JSON body and decodes the JSON answer.
    pub async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        decode(
            self.send(Method::Post, path, Some(encode(body)?), None)
                .await?,
        )
    }

    /// POSTs a JSON body with one extra request header, such as an idempotency key.
    pub async fn post_with_header<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        header: (&str, &str),
        body: &B,
    ) -> Result<T, ApiError> {
        let reply = self
            .send(Method::Post, path, Some(encode(body)?), Some(header))
            .await?;
        decode(reply)
    }

    /// POSTs a flat object of string fields and decodes the JSON answer. For the sign-in
    /// calls: the sign-in page is in the main module, and writing these bodies by hand keeps
    /// serde_json's serializer (used only by screens loaded later) out of the first load.
    pub async fn post_fields<T: DeserializeOwned>(
        &self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Result<T, ApiError> {
        decode(
            self.send(Method::Post, path, Some(json_object(fields)), None)
                .await?,
        )
    }

    /// POSTs string fields (see `post_fields`) to an endpoint that answers without content.
    pub async fn post_empty(&self, path: &str, fields: &[(&str, &str)]) -> Result<(), ApiError> {
        self.send(Method::Post, path, Some(json_object(fields)), None)
            .await
            .map(drop)
    }

    /// The one place a request goes out. Deliberately not generic: the network future is
    /// compiled once, and only the small JSON decoding step is per type (each generic copy
    /// of the whole exchange cost the first load kilobytes).
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
        extra_header: Option<(&str, &str)>,
    ) -> Result<Reply, ApiError> {
        let url = self.url(path);
        if let Some(request) = prefetch::take(method.name(), &url)
            && let Some((status, text)) = prefetch::answer(request).await
        {
            return self.reply(status, text);
        }
        let mut builder = match method {
            Method::Get => Request::get(&url),
            Method::Post => Request::post(&url),
        };
        if self.cross_origin {
            builder = builder.credentials(web_sys::RequestCredentials::Include);
        }
        // Written out rather than looping over `common_headers`: this is the first load's path.
        builder = builder.header("Accept-Language", self.locale.get_untracked().tag());
        if let Some(token) = self.session.csrf_token() {
            builder = builder.header(CSRF_HEADER, &token);
        }
        if let Some((name, value)) = extra_header {
            builder = builder.header(name, value);
        }
        let sent = match body {
            Some(json) => {
                builder
                    .header("Content-Type", "application/json")
                    .body(json)
                    .map_err(|_| ApiError::Network)?
                    .send()
                    .await
            }
            None => builder.send().await,
        };
        let response = sent.map_err(|_| ApiError::Network)?;
        let status = response.status();
        let text = response.text().await.map_err(|_| ApiError::Network)?;
        self.reply(status, text)
    }

    /// An answer: the reply when it is a 2xx one, else its error.
    fn reply(&self, status: u16, text: String) -> Result<Reply, ApiError> {
        if (200..300).contains(&status) {
            Ok(Reply { status, text })
        } else {
            Err(self.failure(status, &text))
        }
    }

    /// The error of a non-2xx answer; a 401 ends the session here for the whole app.
    pub(super) fn failure(&self, status: u16, body: &str) -> ApiError {
        let error = match serde_json::from_str::<ErrorEnvelope>(body) {
            Ok(envelope) => ApiError::Api { status, envelope },
            Err(_) => ApiError::Unexpected { status },
        };
        if error.code() == Some("unauthenticated") {
            self.session.expired();
        }
        error
    }

    /// The headers every request carries (as `send` writes them): language and, when signed
    /// in, the CSRF token.
    pub(super) fn common_headers(&self) -> Vec<(&'static str, String)> {
        let mut headers = vec![(
            "Accept-Language",
            self.locale.get_untracked().tag().to_owned(),
        )];
        if let Some(token) = self.session.csrf_token() {
            headers.push((CSRF_HEADER, token));
        }
        headers
    }
}

#[derive(Clone, Copy)]
enum Method {
    Get,
    Post,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A successful answer's status and body.
pub(super) struct Reply {
    pub status: u16,
    pub text: String,
}

pub(super) fn decode<T: DeserializeOwned>(reply: Reply) -> Result<T, ApiError> {
    serde_json::from_str(&reply.text).map_err(|_| ApiError::Unexpected {
        status: reply.status,
    })
}

fn encode<B: Serialize>(body: &B) -> Result<String, ApiError> {
    serde_json::to_string(body).map_err(|_| ApiError::Unexpected { status: 0 })
}

/// `{"name":"value",…}` with JSON string escaping.
pub fn json_object(fields: &[(&str, &str)]) -> String {
    let mut json = String::from("{");
    for (i, (name, value)) in fields.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        push_json_string(&mut json, name);
        json.push(':');
        push_json_string(&mut json, value);
    }
    json.push('}');
    json
}

fn push_json_string(json: &mut String, text: &str) {
    json.push('"');
    for c in text.chars() {
        match c {
            '"' => json.push_str("\\\""),
            '\\' => json.push_str("\\\\"),
            '\n' => json.push_str("\\n"),
            '\r' => json.push_str("\\r"),
            '\t' => json.push_str("\\t"),
            c if (c as u32) < 0x20 => json.push_str(&format!("\\u{:04x}", c as u32)),
            c => json.push(c),
        }
    }
    json.push('"');
}

/// Reads the API client provided by the app.
pub fn use_api() -> ApiClient {
    expect_context::<ApiClient>()
}
