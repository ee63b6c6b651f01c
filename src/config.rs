//! Runtime configuration read from the `#portal-config` JSON that the server injects into
//! `index.html`, so one build serves any union's API without a request on the critical path.
use serde::Deserialize;

/// The deployment's settings, as found in the page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeConfig {
    /// Base URL of the member-service API, e.g. `/api` or `https://api.example.org/api`.
    #[serde(default = "default_api_base")]
    pub api_base: String,
}

fn default_api_base() -> String {
    "/api".to_owned()
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        Self {
            api_base: default_api_base(),
        }
    }
}

impl RuntimeConfig {
    /// Parses the injected JSON; a missing or broken block falls back to same-origin defaults
    /// rather than stopping the app.
    pub fn parse(json: Option<&str>) -> Self {
        json.and_then(|text| serde_json::from_str(text).ok())
            .unwrap_or_default()
    }

    /// Reads the configuration from the current document.
    pub fn from_document() -> Self {
        let text = leptos::prelude::document()
            .get_element_by_id("portal-config")
            .and_then(|el| el.text_content());
        Self::parse(text.as_deref())
    }

    /// The API base without a trailing slash, ready to prefix `/v1/...` paths.
    pub fn api_root(&self) -> &str {
        self.api_base.trim_end_matches('/')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injected_json_sets_the_api_base() {
        let config = RuntimeConfig::parse(Some(r#"{"apiBase":"https://union.example/api/"}"#));
        assert_eq!(config.api_root(), "https://union.example/api");
    }

    #[test]
    fn a_missing_or_broken_block_falls_back_to_same_origin() {
        assert_eq!(RuntimeConfig::parse(None).api_root(), "/api");
        assert_eq!(RuntimeConfig::parse(Some("{not json")).api_root(), "/api");
    }

    #[test]
    fn unknown_keys_from_newer_servers_are_ignored() {
        let config = RuntimeConfig::parse(Some(r#"{"apiBase":"/x","kiosk":true}"#));
        assert_eq!(config.api_root(), "/x");
    }
}
