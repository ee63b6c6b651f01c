//! The OpenAPI 3.1 document of the API, generated from the handlers' annotations and the
//! contract's types, served at `/api/openapi.json` and checked in as `crates/server/openapi.json`.
use axum::Json;
use axum::response::IntoResponse;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use contract::auth::{CSRF_HEADER, SECURE_SESSION_COOKIE};

/// The document's frame: its description, security schemes and tags. The operations come
/// from the routes themselves (`super::operations`), each registered once with its handler.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Trade-union member service API",
        description = "The member-service API the portal speaks. All amounts are integers in fen, \
            times RFC 3339 with offset, ids opaque strings. Every failure is an `ErrorEnvelope` with a \
            stable `code`, a message in zh-CN (English with `Accept-Language: en`), field details and \
            the request id. Cookie sessions: unsafe requests carry the session's CSRF token in \
            `x-csrf-token`.",
        version = "1.0.0",
        license(name = "MIT OR Apache-2.0")
    ),
    modifiers(&CookieSecurity),
    tags(
        (name = "auth", description = "Sign-in by SMS code, password, kiosk card + PIN, WeChat; sessions"),
        (name = "member", description = "The member's profile"),
        (name = "kiosk", description = "Enrolling service-centre kiosk devices"),
        (name = "card", description = "The member service card and the e-card"),
        (name = "notifications", description = "The member's messages"),
        (name = "service", description = "Service centres, hotline, announcements"),
        (name = "offers", description = "Member offers at partner merchants and claimed coupons"),
        (name = "insurance", description = "Mutual-aid insurance plans, entitlements and claims"),
        (name = "aid", description = "Hardship aid: programs, eligibility, documents, applications"),
    )
)]
struct CoreApi;

/// The session cookie and the CSRF header as security schemes.
struct CookieSecurity;

impl Modify for CookieSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SECURE_SESSION_COOKIE,
                "HttpOnly session cookie set by every sign-in (`__Host-portal_session`; plain `portal_session` only with --insecure-cookies)",
            ))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                CSRF_HEADER,
                "The session's `csrf_token` (also in the readable `__Host-portal_csrf` cookie), on every unsafe request",
            ))),
        );
    }
}

/// The whole document: every operation under `/api/v1` as routed, plus the answers the
/// shared layers add.
pub fn api() -> utoipa::openapi::OpenApi {
    let (_, mut api) = OpenApiRouter::with_openapi(CoreApi::openapi())
        .nest("/api/v1", super::operations())
        .split_for_parts();
    add_common_refusals(&mut api);
    api
}

/// Answers operations give without their handler saying so, written once here from what the
/// entry already declares: its security (401 without a session, 403 without the CSRF token,
/// 403 `kiosk_forbidden` on member-only operations), its required query parameters (400), its
/// request body (400 malformed, 413 too large, 415 wrong content type, 422 fields of the wrong
/// type), and the global limits' 408 and 503. The `contract` server test drives every operation to keep this complete.
fn add_common_refusals(api: &mut utoipa::openapi::OpenApi) {
    use crate::session_rules::{Access, access};
    use axum::http::Method;
    for (path, item) in api.paths.paths.iter_mut() {
        let operations = [
            (Method::GET, item.get.as_mut()),
            (Method::POST, item.post.as_mut()),
            (Method::PUT, item.put.as_mut()),
            (Method::DELETE, item.delete.as_mut()),
            (Method::PATCH, item.patch.as_mut()),
        ];
        for (method, operation) in operations {
            let Some(operation) = operation else { continue };
            let schemes = security_schemes(operation);
            let body = operation.request_body.is_some();
            let required_query = operation.parameters.iter().flatten().any(|parameter| {
                parameter.parameter_in == utoipa::openapi::path::ParameterIn::Query
                    && parameter.required == utoipa::openapi::Required::True
            });
            let responses = &mut operation.responses.responses;
            if schemes.contains(&"session") {
                add_refusal(responses, "401", "Not signed in (`unauthenticated`)");
                if access(&method, path) == Access::MemberOnly {
                    add_refusal(
                        responses,
                        "403",
                        "Not allowed in a kiosk session (`kiosk_forbidden`)",
                    );
                }
            }
            if schemes.contains(&"csrf") {
                add_refusal(
                    responses,
                    "403",
                    "The CSRF token is missing or wrong (`csrf_rejected`)",
                );
            }
            if required_query {
                add_refusal(
                    responses,
                    "400",
                    "A required query parameter is missing or malformed (`bad_request`)",
                );
            }
            if body {
                add_refusal(responses, "400", "The body is malformed (`bad_request`)");
                add_refusal(
                    responses,
                    "413",
                    "The body is too large (`payload_too_large`)",
                );
                add_refusal(
                    responses,
                    "415",
                    "The body is not of the documented content type (`unsupported_media_type`)",
                );
                add_refusal(
                    responses,
                    "422",
                    "The body has unknown, missing or mistyped fields (`invalid_body`)",
                );
            }
            add_refusal(
                responses,
                "408",
                "The request took longer than the server allows (`request_timeout`)",
            );
            add_refusal(
                responses,
                "503",
                "Too many requests in flight (`overloaded`; see `retry_after_seconds`)",
            );
        }
    }
}

/// The names of the security schemes an operation accepts.
fn security_schemes(operation: &utoipa::openapi::path::Operation) -> Vec<&'static str> {
    let json = serde_json::to_value(&operation.security).unwrap_or_default();
    ["session", "csrf"]
        .into_iter()
        .filter(|name| {
            json.as_array().is_some_and(|all| {
                all.iter()
                    .any(|requirement| requirement.get(name).is_some())
            })
        })
        .collect()
}

/// Adds an error-envelope response, or appends to the description of one already listed.
fn add_refusal(
    responses: &mut std::collections::BTreeMap<
        String,
        utoipa::openapi::RefOr<utoipa::openapi::Response>,
    >,
    status: &str,
    description: &str,
) {
    use utoipa::openapi::{Content, Ref, RefOr, Response};
    // Said already when the entry names the code, or words the answer the same way.
    let code = description.split('`').nth(1).unwrap_or(description);
    let lead = description.split(" (`").next().unwrap_or(description);
    match responses.get_mut(status) {
        Some(RefOr::T(existing))
            if !existing.description.contains(code) && !existing.description.contains(lead) =>
        {
            existing.description = format!("{}; or: {description}", existing.description);
        }
        Some(_) => {}
        None => {
            let mut response = Response::new(description);
            response.content.insert(
                "application/json".to_owned(),
                Content::new(Some(Ref::from_schema_name("ErrorEnvelope"))),
            );
            responses.insert(status.to_owned(), RefOr::T(response));
        }
    }
}

/// The document as pretty JSON with a trailing newline, exactly as checked in.
pub fn pretty_json() -> String {
    let mut json = api().to_pretty_json().unwrap_or_else(|_| "{}".to_owned());
    json.push('\n');
    json
}

/// `GET /api/openapi.json`.
pub async fn document() -> impl IntoResponse {
    Json(api())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHECKED_IN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");

    #[test]
    fn the_checked_in_openapi_document_is_up_to_date() {
        let current = pretty_json();
        if std::env::var_os("UPDATE_OPENAPI").is_some() {
            std::fs::write(CHECKED_IN, &current).expect("write openapi.json");
            return;
        }
        let checked_in = std::fs::read_to_string(CHECKED_IN).unwrap_or_default();
        assert!(
            checked_in == current,
            "crates/server/openapi.json is out of date with the code; regenerate it with \
             `UPDATE_OPENAPI=1 cargo test -p server openapi` and commit it"
        );
    }

    #[test]
    fn the_openapi_document_is_version_3_1_and_lists_the_core_paths() {
        let json: serde_json::Value = serde_json::from_str(&pretty_json()).unwrap();
        assert!(json["openapi"].as_str().unwrap().starts_with("3.1"));
        for path in ["/api/v1/auth/sms-code", "/api/v1/card", "/api/v1/me"] {
            assert!(json["paths"][path].is_object(), "{path}");
        }
        assert!(json["components"]["schemas"]["ErrorEnvelope"].is_object());
    }
}
