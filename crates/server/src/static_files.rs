//! Serving the built portal: content-hashed assets cached for a year, `index.html` never cached
//! (so a new deployment is picked up at once, even by WeChat's aggressive cache), precompressed
//! `.br`/`.gz` siblings when the client accepts them, and an SPA fallback for deep links.

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use contract::config::PortalConfig;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

use crate::AppState;
use crate::config::Config;
use crate::http::first_paint;
use crate::sessions::CookieRenewal;

/// Where the runtime configuration block of `index.html` opens.
pub(crate) const CONFIG_OPEN: &str = r#"<script id="portal-config" type="application/json">"#;
const NO_CACHE: &str = "no-cache";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const SHORT: &str = "public, max-age=3600";
/// A page drawn for one member: kept by no cache, the browser's included.
const PERSONAL: &str = "private, no-store";

/// The portal's `index.html` with this deployment's configuration already injected, and the
/// Content-Security-Policy that lets exactly its inline scripts run.
pub struct Portal {
    index: Option<String>,
    csp: HeaderValue,
    /// Templates of a signed-in visit's first paint (`crate::http::first_paint`).
    pub first_paint: first_paint::Templates,
}

impl Portal {
    /// Reads `index.html` once; a missing bundle is logged and the API still serves.
    pub fn load(config: &Config) -> Portal {
        let portal_config = PortalConfig {
            api_base: config.portal_api_base.clone(),
            wechat_app_id: config
                .wechat_app_id
                .clone()
                .filter(|_| config.wechat_app_secret.is_some()),
            kiosk: config.kiosk,
            kiosk_warn_after_seconds: config.kiosk_warn_after_seconds.filter(|_| config.kiosk),
            kiosk_sign_out_after_seconds: config
                .kiosk_sign_out_after_seconds
                .filter(|_| config.kiosk),
            member_portal_url: config
                .member_portal_url
                .as_deref()
                .map(|url| url.trim().trim_end_matches('/').to_owned())
                .filter(|url| config.kiosk && is_http_url(url)),
        };
        let path = config.dist_dir.join("index.html");
        let index = match std::fs::read_to_string(&path) {
            Ok(html) => Some(inject_config(&html, &portal_config)),
            Err(e) => {
                tracing::warn!(
                    "portal bundle not found at {} ({e}); serving the API only",
                    path.display()
                );
                None
            }
        };
        let first_paint = first_paint::Templates::load(&config.dist_dir);
        // One policy for every page: the first paint's own style and script are allowed too.
        let pages = format!("{}{}", index.as_deref().unwrap_or(""), first_paint.markup());
        let csp = content_security_policy(&pages, &portal_config);
        Portal {
            csp: HeaderValue::from_str(&csp).unwrap_or_else(|_| HeaderValue::from_static("")),
            index,
            first_paint,
        }
    }
}

/// An absolute `http(s)` address without spaces or quotes (it ends up in the page's JSON).
fn is_http_url(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "https://".len()
        && !url.contains(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\\'))
}

/// Scripts only from this origin plus the page's own inline scripts (by hash: the theme
/// bootstrap, the start-up guard, the module that starts the app, the first paint's), wasm
/// compilation allowed, API calls to this origin or the configured API origin, and no framing.
/// Styles only from this origin plus the shell's and the first paint's `<style>` blocks (by
/// hash): no inline `style` attributes at all.
pub fn content_security_policy(html: &str, config: &PortalConfig) -> String {
    let hashes: String = inline_scripts(html)
        .map(|script| format!(" 'sha256-{}'", sha256_base64(script)))
        .collect();
    let style_hashes: String = inline_styles(html)
        .map(|style| format!(" 'sha256-{}'", sha256_base64(style)))
        .collect();
    let api_origin = api_origin(&config.api_base)
        .map(|origin| format!(" {origin}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
         style-src 'self'{style_hashes}; img-src 'self' data: blob:; \
         connect-src 'self'{api_origin}; worker-src 'self'; manifest-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The bodies of inline scripts the browser executes (JSON data blocks are not scripts).
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, after) = rest.split_once('>')?;
        let executable = !attributes.contains("src=") && !attributes.contains("application/json");
        let body = after.split_once("</script>")?.0;
        executable.then_some(body)
    })
}

/// The bodies of inline `<style>` elements.
fn inline_styles(html: &str) -> impl Iterator<Item = &str> {
    html.split("<style").skip(1).filter_map(|rest| {
        let (_, after) = rest.split_once('>')?;
        Some(after.split_once("</style>")?.0)
    })
}

fn sha256_base64(text: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(text.as_bytes()))
}

/// `https://union.example` for an absolute API base; nothing for a same-origin path.
fn api_origin(api_base: &str) -> Option<&str> {
    let (scheme, rest) = api_base.split_once("://")?;
    let host_end = rest.find('/').unwrap_or(rest.len());
    let safe = rest[..host_end]
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'));
    (safe && matches!(scheme, "http" | "https")).then(|| &api_base[..scheme.len() + 3 + host_end])
}

/// Replaces the JSON inside `#portal-config` with `config`.
pub fn inject_config(html: &str, config: &PortalConfig) -> String {
    let json = serde_json::to_string(config).unwrap_or_else(|_| "{}".to_owned());
    let Some(start) = html.find(CONFIG_OPEN).map(|i| i + CONFIG_OPEN.len()) else {
        return html.to_owned();
    };
    let Some(end) = html[start..].find("</script>").map(|i| start + i) else {
        return html.to_owned();
    };
    // `</` cannot occur in our JSON values' context, but escape it anyway so the block cannot close early.
    format!(
        "{}{}{}",
        &html[..start],
        json.replace("</", "<\\/"),
        &html[end..]
    )
}

/// Routes for `/`, `/index.html`, the static files and the SPA fallback.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/index.html", get(index))
        .fallback(static_or_app)
        .layer(middleware::from_fn(cache_control))
        .layer(CompressionLayer::new())
}

async fn index(State(state): State<AppState>) -> Response {
    match &state.portal.index {
        Some(html) => portal_page(&state, html.clone()),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "The portal is not built. Run `cargo xtask build`, or `cargo xtask serve`.",
        )
            .into_response(),
    }
}

/// `/`: the app, with home drawn into it for a member (see `first_paint`).
async fn home(State(state): State<AppState>, request: Request) -> Response {
    app_page(state, PageRequest::of(&request)).await
}

/// A file from `dist/` if there is one; otherwise the app for paths that look like pages, and
/// 404 for paths that look like files (a missing `.js` must not receive HTML).
async fn static_or_app(State(state): State<AppState>, request: Request) -> Response {
    let page = PageRequest::of(&request);
    let dir = ServeDir::new(&state.config.dist_dir)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false);
    let response = match tower::ServiceExt::oneshot(dir, request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    if response.status() != StatusCode::NOT_FOUND || looks_like_file(&page.path) {
        return response;
    }
    app_page(state, page).await
}

/// What a request for a page says that its first paint needs.
struct PageRequest {
    path: String,
    query: Option<String>,
    headers: HeaderMap,
    renewal: Option<CookieRenewal>,
}

impl PageRequest {
    fn of(request: &Request) -> Self {
        PageRequest {
            path: request.uri().path().to_owned(),
            query: request.uri().query().map(str::to_owned),
            headers: request.headers().clone(),
            renewal: request.extensions().get::<CookieRenewal>().cloned(),
        }
    }
}

/// The app's page: with the screen's first paint when there is one to draw, else as built.
async fn app_page(state: AppState, page: PageRequest) -> Response {
    let painted = match &state.portal.index {
        Some(html) => {
            let visit = first_paint::Visit {
                path: &page.path,
                query: page.query.as_deref(),
                headers: &page.headers,
                renewal: page.renewal.as_ref(),
            };
            first_paint::page(&state, &visit, html).await
        }
        None => None,
    };
    match painted {
        Some(html) => personal_page(&state, html),
        None => index(State(state)).await,
    }
}

/// A page with one member's first paint in it.
fn personal_page(state: &AppState, html: String) -> Response {
    let mut page = portal_page(state, html);
    page.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(PERSONAL));
    page
}

/// A page of the portal, with the policy that lets exactly its inline scripts run.
fn portal_page(state: &AppState, html: String) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CONTENT_SECURITY_POLICY, state.portal.csp.clone()),
        ],
        html,
    )
        .into_response()
}

fn looks_like_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

/// Sets `Cache-Control` by what was served: hashed assets forever, HTML never, the rest briefly.
async fn cache_control(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let personal = response
        .headers()
        .get(header::CACHE_CONTROL)
        .is_some_and(|v| v == PERSONAL);
    let policy = if personal {
        PERSONAL
    } else if is_html || path.ends_with("/sw.js") {
        NO_CACHE
    } else if response.status().is_success() && is_content_hashed(&path) {
        IMMUTABLE
    } else {
        SHORT
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// A build's scripts, wasm and CSS live under `/assets/<16 hex digits of their digest>/`.
pub fn is_content_hashed(path: &str) -> bool {
    path.strip_prefix("/assets/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(build, file)| {
            build.len() == 16 && build.bytes().all(|b| b.is_ascii_hexdigit()) && !file.is_empty()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_of_a_build_directory_are_recognised() {
        assert!(is_content_hashed("/assets/30d835bc3d047a57/portal_bg.wasm"));
        assert!(is_content_hashed("/assets/4e1e57082a9a0481/main.css"));
        assert!(!is_content_hashed("/assets/not-a-hash/main.css"));
        assert!(!is_content_hashed("/assets/4e1e57082a9a0481/"));
        assert!(!is_content_hashed("/manifest.webmanifest"));
        assert!(!is_content_hashed("/sw.js"));
        assert!(!is_content_hashed("/icon-large.svg"));
    }

    #[test]
    fn the_config_block_is_replaced_and_the_rest_kept() {
        let html = r#"<head><script id="portal-config" type="application/json">{"apiBase":"/api"}</script></head>"#;
        let config = PortalConfig {
            api_base: "https://union.example/api".into(),
            ..PortalConfig::default()
        };
        let out = inject_config(html, &config);
        assert_eq!(
            out,
            r#"<head><script id="portal-config" type="application/json">{"apiBase":"https://union.example/api","kiosk":false}</script></head>"#
        );
    }

    #[test]
    fn a_value_cannot_close_the_script_block() {
        let html = r#"<script id="portal-config" type="application/json">{}</script>"#;
        let out = inject_config(
            html,
            &PortalConfig {
                api_base: "</script><b>".into(),
                ..PortalConfig::default()
            },
        );
        assert!(!out.contains("</script><b>"));
    }

    #[test]
    fn the_policy_allows_exactly_the_inline_scripts_and_wasm() {
        let html = r#"<script id="portal-config" type="application/json">{}</script><script>boot()</script><script type="module">import init from '/p.js'; init();</script><script src="/x.js"></script>"#;
        let csp = content_security_policy(html, &PortalConfig::default());
        assert!(csp.contains("'wasm-unsafe-eval'"));
        assert!(csp.contains(&format!("'sha256-{}'", sha256_base64("boot()"))));
        assert!(csp.contains(&format!(
            "'sha256-{}'",
            sha256_base64("import init from '/p.js'; init();")
        )));
        assert_eq!(csp.matches("'sha256-").count(), 2, "{csp}");
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"));
    }

    #[test]
    fn styles_are_allowed_by_hash_and_never_inline_at_large() {
        let html = "<head><style>body{margin:0}</style></head><p>x</p>";
        let csp = content_security_policy(html, &PortalConfig::default());
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(
            csp.contains(&format!(
                "style-src 'self' 'sha256-{}';",
                sha256_base64("body{margin:0}")
            )),
            "{csp}"
        );
    }

    #[test]
    fn an_absolute_api_base_is_allowed_to_connect() {
        let config = PortalConfig {
            api_base: "https://union.example:8443/api".into(),
            ..PortalConfig::default()
        };
        let csp = content_security_policy("", &config);
        assert!(
            csp.contains("connect-src 'self' https://union.example:8443;"),
            "{csp}"
        );
        assert_eq!(api_origin("/api"), None);
    }
}
