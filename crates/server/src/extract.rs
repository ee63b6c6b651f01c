//! Request extractors: client address, JSON bodies that fail in our envelope, and the signed-in
//! member. (The language of the request is `crate::lang::Lang`.)
use std::net::{IpAddr, SocketAddr};

use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, MatchedPath, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use contract::auth::{CSRF_HEADER, SessionKind};
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::ApiError;

/// The client's address, for per-address limits: the peer's IP, or, when the peer is one of
/// the `--trusted-proxy` blocks, the client its forwarding header names (see `proxy`). An
/// IPv6 client is keyed by its /64, the block one subscriber gets, so rotating addresses
/// inside it does not buy more tries.
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let deploy = &state.config.deploy;
        let client = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| {
                crate::proxy::client_address(
                    addr.ip(),
                    &parts.headers,
                    &deploy.trusted_proxies,
                    deploy.forwarded_header,
                )
            });
        Ok(ClientIp(
            client.map_or_else(|| "unknown".to_owned(), limit_key),
        ))
    }
}

/// What limits are keyed by: the IPv4 address, or the IPv6 /64 (an IPv4-mapped IPv6 address
/// counts as its IPv4 address).
fn limit_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// A JSON body whose every rejection (syntax, unknown field, wrong type, wrong content type,
/// too large) becomes our error envelope.
pub struct AppJson<T>(pub T);

impl<S, T> FromRequest<S> for AppJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(AppJson(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::UnsupportedMediaType),
            Err(JsonRejection::BytesRejection(rejection)) if rejection.status().as_u16() == 413 => {
                Err(ApiError::PayloadTooLarge)
            }
            Err(JsonRejection::JsonDataError(rejection)) => {
                Err(ApiError::InvalidBody(rejection.body_text()))
            }
            Err(rejection) => Err(ApiError::BadRequest(rejection.body_text())),
        }
    }
}

/// The signed-in member of this request. Unsafe methods must also carry the CSRF token, and a
/// kiosk session reaches only what `session_rules` allows it (403 `kiosk_forbidden`).
#[derive(Debug, Clone)]
pub struct CurrentMember {
    pub member_id: String,
    pub kind: SessionKind,
    pub token_hash: String,
}

impl FromRequestParts<AppState> for CurrentMember {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let config = &state.config;
        let token = cookie(&parts.headers, crate::sessions::session_cookie_name(config))
            .ok_or(ApiError::Unauthenticated)?;
        let device = kiosk_device_credential(config, &parts.headers);
        let session = crate::sessions::touch(state, &token, device.as_deref())
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        let csrf_cookie = crate::sessions::csrf_cookie_name(config);
        if is_unsafe(&parts.method) && !csrf_token_matches(parts, csrf_cookie, &session.csrf_token)
        {
            return Err(ApiError::CsrfRejected);
        }
        if session.kind == SessionKind::Kiosk {
            let path = parts
                .extensions
                .get::<MatchedPath>()
                .map(MatchedPath::as_str);
            if !path.is_some_and(|path| crate::session_rules::kiosk_may(&parts.method, path)) {
                return Err(ApiError::KioskForbidden);
            }
        }
        if let (Some(max_age), Some(renewal)) = (
            session.renewed_for,
            parts.extensions.get::<crate::sessions::CookieRenewal>(),
        ) {
            renewal.request(&token, &session.csrf_token, max_age);
        }
        Ok(CurrentMember {
            member_id: session.member_id,
            kind: session.kind,
            token_hash: session.token_hash,
        })
    }
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The header must carry the session's CSRF token, and repeat the CSRF cookie when the client
/// sends one (double submit); a cross-site page can set neither.
fn csrf_token_matches(parts: &Parts, csrf_cookie: &str, expected: &str) -> bool {
    let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    let cookie_agrees =
        cookie(&parts.headers, csrf_cookie).is_none_or(|c| Some(c.as_str()) == sent);
    sent.is_some_and(|sent| crate::crypto::constant_time_eq(sent, expected)) && cookie_agrees
}

/// The kiosk device credential the request carries (its cookie), if any.
pub fn kiosk_device_credential(
    config: &crate::config::Config,
    headers: &HeaderMap,
) -> Option<String> {
    let name = crate::sessions::host_cookie_name(config, crate::sessions::KIOSK_DEVICE_COOKIE);
    cookie(headers, &name)
}

/// A cookie's value from the `Cookie` header, if present and not empty.
pub fn cookie(headers: &HeaderMap, wanted: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == wanted && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_limited_per_64_and_mapped_ipv4_as_ipv4() {
        let a: IpAddr = "2408:8207:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2408:8207:1:2:ffff:1:2:3".parse().unwrap();
        assert_eq!(limit_key(a), limit_key(b));
        assert_eq!(limit_key(a), "2408:8207:1:2::/64");
        assert_eq!(limit_key("::ffff:10.0.0.7".parse().unwrap()), "10.0.0.7");
        assert_eq!(limit_key("10.0.0.7".parse().unwrap()), "10.0.0.7");
    }
}
