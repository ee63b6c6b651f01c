//! The portal on its own origin: when a union serves the portal from `https://portal.union.cn`
//! and the API from `https://api.union.cn`, the API answers the portal's cross-origin requests
//! with credentials (cookies), for exactly the origins configured with `--cors-origin`.
//!
//! CSRF stays sound: unsafe requests still need the `X-CSRF-Token` header matching the
//! session, which the portal takes from the session body (it cannot read the API origin's
//! CSRF cookie), and only the configured origins may send that header (the preflight says so).
//! The cookies are `SameSite=Lax`, so the two origins must be one site (subdomains of one
//! registrable domain, or one host on two ports).
use axum::http::{HeaderName, HeaderValue, Method, header};
use clap::Args;
use tower_http::cors::{AllowCredentials, AllowOrigin, CorsLayer};

use crate::http::REQUEST_ID_HEADER;

/// Cross-origin flags (flattened into the server's configuration).
#[derive(Debug, Clone, Default, Args)]
pub struct CorsConfig {
    /// An origin allowed to call the API with the member's cookies, e.g.
    /// `https://portal.union.cn` (scheme, host and port only; repeat the flag, or separate
    /// with commas in the environment). None by default: same origin only.
    #[arg(
        long = "cors-origin",
        global = true,
        env = "PORTAL_CORS_ORIGINS",
        value_delimiter = ',',
        value_parser = parse_origin
    )]
    pub cors_origins: Vec<String>,
}

/// Headers the portal sends that a preflight must allow.
const ALLOWED_HEADERS: [HeaderName; 5] = [
    header::CONTENT_TYPE,
    header::ACCEPT_LANGUAGE,
    HeaderName::from_static("x-csrf-token"),
    HeaderName::from_static("idempotency-key"),
    HeaderName::from_static(REQUEST_ID_HEADER),
];

/// Response headers the portal reads besides the CORS-safelisted ones.
const EXPOSED_HEADERS: [HeaderName; 3] = [
    header::RETRY_AFTER,
    header::CONTENT_DISPOSITION,
    HeaderName::from_static(REQUEST_ID_HEADER),
];

/// Preflight answers are cached by the browser for ten minutes.
const PREFLIGHT_MAX_AGE_SECONDS: u64 = 600;

/// The CORS layer for the configured origins, or none when there are none.
pub fn layer(config: &CorsConfig) -> Option<CorsLayer> {
    let origins: Vec<HeaderValue> = config
        .cors_origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    if origins.is_empty() {
        return None;
    }
    // Credentials are allowed only to the listed origins: a stranger's preflight gets no
    // permission headers at all, not even a stray `Allow-Credentials`.
    let trusted = origins.clone();
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_credentials(AllowCredentials::predicate(move |origin, _| {
                trusted.contains(origin)
            }))
            .allow_methods([
                Method::GET,
                Method::POST,
                Method::PUT,
                Method::PATCH,
                Method::DELETE,
            ])
            .allow_headers(ALLOWED_HEADERS)
            .expose_headers(EXPOSED_HEADERS)
            .max_age(std::time::Duration::from_secs(PREFLIGHT_MAX_AGE_SECONDS)),
    )
}

/// An origin exactly as browsers send it: `http(s)://host[:port]`, lower-case, no path. A
/// wildcard is refused: with credentials it would hand members' sessions to any site.
fn parse_origin(value: &str) -> Result<String, String> {
    let value = value.trim().trim_end_matches('/');
    let Some((scheme, authority)) = value.split_once("://") else {
        return Err(format!(
            "{value:?} is not an origin like https://portal.union.cn"
        ));
    };
    let host_ok = !authority.is_empty()
        && authority
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    if !matches!(scheme, "http" | "https") || !host_ok {
        return Err(format!(
            "{value:?} is not an origin like https://portal.union.cn (scheme, host and port only; no wildcard, no path)"
        ));
    }
    Ok(value.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised_and_anything_else_is_refused() {
        assert_eq!(
            parse_origin("https://Portal.Union.cn/").unwrap(),
            "https://portal.union.cn"
        );
        assert_eq!(
            parse_origin("http://127.0.0.1:8081").unwrap(),
            "http://127.0.0.1:8081"
        );
        for bad in [
            "*",
            "https://*.union.cn",
            "portal.union.cn",
            "https://portal.union.cn/app",
            "ftp://x",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn no_origins_means_no_cors() {
        assert!(layer(&CorsConfig::default()).is_none());
    }
}
