//! Runtime configuration read from the `#portal-config` JSON that the server injects into
//! `index.html`, so one build serves any union's API without a request on the critical path.
pub use contract::config::PortalConfig;

/// Parses the injected JSON; a missing or broken block falls back to same-origin defaults
/// rather than stopping the app.
pub fn parse(json: Option<&str>) -> PortalConfig {
    json.and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default()
}

/// Reads the configuration from the current document.
pub fn from_document() -> PortalConfig {
    let text = leptos::prelude::document()
        .get_element_by_id("portal-config")
        .and_then(|el| el.text_content());
    parse(text.as_deref())
}

/// Whether the API at `api_root` is on another origin than this page (the portal on its own
/// origin, e.g. `portal.union.cn` calling `api.union.cn`): requests then ask the browser to
/// send the API origin's cookies, and that origin's CSRF cookie cannot be read here.
pub fn is_cross_origin(api_root: &str) -> bool {
    is_elsewhere(api_root, &crate::browser::page::origin())
}

/// Whether an absolute `api_root` names an origin other than `page_origin`; a path never does.
fn is_elsewhere(api_root: &str, page_origin: &str) -> bool {
    let Some((scheme, rest)) = api_root.split_once("://") else {
        return false;
    };
    let host = rest.split('/').next().unwrap_or_default();
    !format!("{scheme}://{host}").eq_ignore_ascii_case(page_origin)
}

/// The configuration provided by the app.
pub fn use_config() -> PortalConfig {
    leptos::prelude::expect_context::<PortalConfig>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injected_json_sets_the_api_base() {
        let config = parse(Some(r#"{"apiBase":"https://union.example/api/"}"#));
        assert_eq!(config.api_root(), "https://union.example/api");
    }

    #[test]
    fn a_missing_or_broken_block_falls_back_to_same_origin() {
        assert_eq!(parse(None).api_root(), "/api");
        assert_eq!(parse(Some("{not json")).api_root(), "/api");
    }

    #[test]
    fn only_an_absolute_api_base_on_another_origin_is_elsewhere() {
        let page = "https://portal.union.cn";
        assert!(is_elsewhere("https://api.union.cn/api", page));
        assert!(is_elsewhere("https://portal.union.cn:8443/api", page));
        assert!(!is_elsewhere("https://Portal.union.cn/api", page));
        assert!(!is_elsewhere("/api", page));
    }

    #[test]
    fn unknown_keys_from_newer_servers_are_ignored() {
        assert_eq!(
            parse(Some(r#"{"apiBase":"/x","kiosk":true}"#)).api_root(),
            "/x"
        );
    }
}
