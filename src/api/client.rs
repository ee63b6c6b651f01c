//! Transport: URL building, JSON decoding and mapping failures to `ApiError`.
use contract::error::ErrorEnvelope;
use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;

/// Why an API call failed, in terms a view can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The request never got an answer (offline, DNS, CORS, server down).
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

/// The API's base address; cheap to clone and provided as context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiClient {
    root: String,
}

impl ApiClient {
    /// A client for the API rooted at `root` (e.g. `/api`).
    pub fn new(root: &str) -> Self {
        Self {
            root: root.trim_end_matches('/').to_owned(),
        }
    }

    /// The absolute URL of an API path such as `/v1/card`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.root, path)
    }

    /// GETs a JSON resource.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let response = Request::get(&self.url(path))
            .send()
            .await
            .map_err(|_| ApiError::Network)?;
        decode(response).await
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    if response.ok() {
        return response
            .json()
            .await
            .map_err(|_| ApiError::Unexpected { status });
    }
    match response.json::<ErrorEnvelope>().await {
        Ok(envelope) => Err(ApiError::Api { status, envelope }),
        Err(_) => Err(ApiError::Unexpected { status }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_join_the_root_and_path_without_double_slashes() {
        assert_eq!(ApiClient::new("/api/").url("/v1/card"), "/api/v1/card");
        assert_eq!(
            ApiClient::new("https://u.example/api").url("/health"),
            "https://u.example/api/health"
        );
    }
}
