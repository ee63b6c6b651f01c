//! Sessions: an opaque random token in an HttpOnly cookie, stored only as its SHA-256, with an
//! idle and an absolute expiry (kiosk sessions much shorter). The cookies live as long as the
//! session may stay idle and are renewed as it is used, so a browser forgets them when the
//! server would anyway. In production their names carry the `__Host-` prefix (Secure, this
//! host only, path `/`), which no subdomain or plain-HTTP page can set or overwrite.
use std::sync::{Arc, Mutex};

use axum::http::{HeaderName, HeaderValue, header};
use axum::response::AppendHeaders;
use contract::auth::{
    CSRF_COOKIE, SECURE_CSRF_COOKIE, SECURE_SESSION_COOKIE, SESSION_COOKIE, Session, SessionKind,
};
use contract::card::{CardStatus, NextStep};

use crate::AppState;
use crate::clock::rfc3339;
use crate::config::Config;
use crate::crypto::{random_hex, sha256_hex};
use crate::error::{ApiError, ApiResult};

/// The session cookie's name: `__Host-` prefixed unless cookies are insecure (plain-HTTP dev).
pub fn session_cookie_name(config: &Config) -> &'static str {
    if config.insecure_cookies {
        SESSION_COOKIE
    } else {
        SECURE_SESSION_COOKIE
    }
}

/// The CSRF cookie's name, prefixed like the session cookie's.
pub fn csrf_cookie_name(config: &Config) -> &'static str {
    if config.insecure_cookies {
        CSRF_COOKIE
    } else {
        SECURE_CSRF_COOKIE
    }
}

/// A cookie's name for this deployment: `__Host-` prefixed in production.
pub fn host_cookie_name(config: &Config, name: &str) -> String {
    if config.insecure_cookies {
        name.to_owned()
    } else {
        format!("__Host-{name}")
    }
}

/// The kiosk device credential cookie (with `__Host-` in production).
pub const KIOSK_DEVICE_COOKIE: &str = "portal_kiosk_device";

/// The enrolled, not revoked kiosk device whose credential (its cookie's value) this is.
pub async fn kiosk_device(
    state: &AppState,
    credential: Option<&str>,
) -> sqlx::Result<Option<String>> {
    let Some(credential) = credential else {
        return Ok(None);
    };
    sqlx::query_scalar(
        "SELECT id FROM kiosk_devices WHERE credential_hash = $1 AND revoked_at IS NULL",
    )
    .bind(sha256_hex(credential))
    .fetch_optional(&state.db)
    .await
}

/// A live session as stored.
pub struct StoredSession {
    pub token_hash: String,
    pub member_id: String,
    pub kind: SessionKind,
    pub csrf_token: String,
    /// Set when this request renewed the session: the cookies' new lifetime in seconds.
    pub renewed_for: Option<i64>,
}

fn kind_str(kind: SessionKind) -> &'static str {
    match kind {
        SessionKind::Member => "member",
        SessionKind::Kiosk => "kiosk",
    }
}

/// The `Set-Cookie` headers of a sign-in or sign-out.
pub type SetCookies = AppendHeaders<[(HeaderName, HeaderValue); 2]>;

/// Where a session is opened: a member's own device, or an enrolled kiosk, to which a kiosk
/// session stays tied (it works only from that device, and ends when the device is revoked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenedOn<'a> {
    MembersDevice,
    Kiosk { device_id: &'a str },
}

/// Opens a session; returns the cookies to set and the session description for the client.
pub async fn create(
    state: &AppState,
    member_id: &str,
    on: OpenedOn<'_>,
) -> ApiResult<(SetCookies, Session)> {
    let config = &state.config;
    let (kind, device_id) = match on {
        OpenedOn::MembersDevice => (SessionKind::Member, None),
        OpenedOn::Kiosk { device_id } => (SessionKind::Kiosk, Some(device_id)),
    };
    let (idle, max) = match kind {
        SessionKind::Member => (config.session_idle_seconds, config.session_max_seconds),
        SessionKind::Kiosk => (config.kiosk_idle_seconds, config.kiosk_max_seconds),
    };
    if kind == SessionKind::Kiosk {
        admit_card_at_kiosk(state, member_id).await?;
    }
    let token = random_hex(32);
    let csrf_token = random_hex(16);
    let now = state.clock.now();
    if kind == SessionKind::Kiosk {
        // One card, one kiosk session: a new sign-in ends the card's earlier kiosk sessions,
        // wherever they were left open.
        sqlx::query("DELETE FROM sessions WHERE member_id = $1 AND kind = 'kiosk'")
            .bind(member_id)
            .execute(&state.db)
            .await?;
    }
    // Sessions that ended without a later request would otherwise stay forever.
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&state.db)
        .await?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, member_id, kind, csrf_token, created_at, last_seen_at, idle_seconds, expires_at, device_id)
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)",
    )
    .bind(sha256_hex(&token))
    .bind(member_id)
    .bind(kind_str(kind))
    .bind(&csrf_token)
    .bind(now)
    .bind(idle)
    .bind(now + max)
    .bind(device_id)
    .execute(&state.db)
    .await?;
    let display_name: String = sqlx::query_scalar("SELECT name FROM members WHERE id = $1")
        .bind(member_id)
        .fetch_one(&state.db)
        .await?;
    let cookies = cookies(state, &token, &csrf_token, idle.min(max));
    let session = Session {
        member_id: member_id.to_owned(),
        display_name,
        kind,
        expires_at: rfc3339(now + max),
        idle_timeout_seconds: idle as u32,
        csrf_token,
    };
    Ok((cookies, session))
}

/// Kiosk sign-in (card + PIN or a phone's approval) only for a member whose card is active;
/// otherwise the card page's next step says what to do.
async fn admit_card_at_kiosk(state: &AppState, member_id: &str) -> ApiResult<()> {
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM cards WHERE member_id = $1")
            .bind(member_id)
            .fetch_optional(&state.db)
            .await?;
    match status.as_deref().and_then(CardStatus::parse) {
        Some(CardStatus::Active) => Ok(()),
        Some(status) => Err(ApiError::KioskCardNotActive(status.next_step())),
        None => Err(ApiError::KioskCardNotActive(Some(
            NextStep::AskUnionToApply,
        ))),
    }
}

/// Ends every session of a member except `keep` (a token hash), e.g. when the card is lost.
pub async fn end_all_of_member(
    connection: &mut sqlx::AnyConnection,
    member_id: &str,
    keep: Option<&str>,
) -> Result<u64, sqlx::Error> {
    let ended = sqlx::query("DELETE FROM sessions WHERE member_id = $1 AND token_hash <> $2")
        .bind(member_id)
        .bind(keep.unwrap_or(""))
        .execute(connection)
        .await?;
    Ok(ended.rows_affected())
}

/// Where the session extractor leaves renewed cookies for the response (see
/// `http::renew_session_cookies`).
#[derive(Clone, Default)]
pub struct CookieRenewal(pub Arc<Mutex<Option<(String, String, i64)>>>);

impl CookieRenewal {
    /// Asks for the cookies to be set again with this lifetime.
    pub fn request(&self, token: &str, csrf_token: &str, max_age: i64) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some((token.to_owned(), csrf_token.to_owned(), max_age));
        }
    }

    /// The renewal asked for, if any.
    pub fn take(&self) -> Option<(String, String, i64)> {
        self.0.lock().ok().and_then(|mut slot| slot.take())
    }
}

/// A session as stored.
#[derive(sqlx::FromRow)]
struct SessionRow {
    member_id: String,
    kind: String,
    csrf_token: String,
    last_seen_at: i64,
    idle_seconds: i64,
    expires_at: i64,
    device_id: Option<String>,
}

/// A session with its member's name, as the client sees it.
#[derive(sqlx::FromRow)]
struct DescribedRow {
    member_id: String,
    display_name: String,
    kind: String,
    csrf_token: String,
    idle_seconds: i64,
    expires_at: i64,
}

/// Looks a token up, enforcing both expiries and, for a kiosk session, that it comes from its
/// kiosk (`device_credential`: the request's kiosk device cookie), and records the activity.
pub async fn touch(
    state: &AppState,
    token: &str,
    device_credential: Option<&str>,
) -> ApiResult<Option<StoredSession>> {
    let token_hash = sha256_hex(token);
    let now = state.clock.now();
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT member_id, kind, csrf_token, last_seen_at, idle_seconds, expires_at, device_id FROM sessions WHERE token_hash = $1",
    )
    .bind(&token_hash)
    .fetch_optional(&state.db)
    .await?;
    let Some(SessionRow {
        member_id,
        kind,
        csrf_token,
        last_seen_at: last_seen,
        idle_seconds: idle,
        expires_at,
        device_id,
    }) = row
    else {
        return Ok(None);
    };
    let kiosk = kind == "kiosk";
    // A kiosk session's cookie copied elsewhere, or its kiosk revoked or re-enrolled: it ends.
    let off_its_kiosk = kiosk
        && (device_id.is_none() || kiosk_device(state, device_credential).await? != device_id);
    if off_its_kiosk || now >= expires_at || now - last_seen >= idle {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&token_hash)
            .execute(&state.db)
            .await?;
        return Ok(None);
    }
    // Write at most every 15 s per session: idle tracking without a write per request.
    let mut renewed_for = None;
    if now - last_seen >= 15 {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(&token_hash)
            .execute(&state.db)
            .await?;
        renewed_for = Some(idle.min(expires_at - now));
    }
    let kind = if kiosk {
        SessionKind::Kiosk
    } else {
        SessionKind::Member
    };
    Ok(Some(StoredSession {
        token_hash,
        member_id,
        kind,
        csrf_token,
        renewed_for,
    }))
}

/// The session as the client sees it.
pub async fn describe(state: &AppState, token_hash: &str) -> ApiResult<Option<Session>> {
    let row: Option<DescribedRow> = sqlx::query_as(
        "SELECT s.member_id, m.name AS display_name, s.kind, s.csrf_token, s.idle_seconds, s.expires_at
         FROM sessions s JOIN members m ON m.id = s.member_id WHERE s.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&state.db)
    .await?;
    Ok(row.map(|row| Session {
        kind: if row.kind == "kiosk" {
            SessionKind::Kiosk
        } else {
            SessionKind::Member
        },
        expires_at: rfc3339(row.expires_at),
        idle_timeout_seconds: row.idle_seconds as u32,
        member_id: row.member_id,
        display_name: row.display_name,
        csrf_token: row.csrf_token,
    }))
}

/// Ends every session of the member ("sign out on all devices"); returns how many.
pub async fn destroy_all(state: &AppState, member_id: &str) -> ApiResult<u64> {
    let ended = sqlx::query("DELETE FROM sessions WHERE member_id = $1")
        .bind(member_id)
        .execute(&state.db)
        .await?;
    Ok(ended.rows_affected())
}

/// Ends one session.
pub async fn destroy(state: &AppState, token_hash: &str) -> ApiResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&state.db)
        .await?;
    Ok(())
}

/// The session cookie (HttpOnly) and the CSRF cookie (readable by the portal's script).
pub fn cookies(state: &AppState, token: &str, csrf_token: &str, max_age: i64) -> SetCookies {
    AppendHeaders([
        (
            header::SET_COOKIE,
            cookie(
                state,
                session_cookie_name(&state.config),
                token,
                max_age,
                true,
            ),
        ),
        (
            header::SET_COOKIE,
            cookie(
                state,
                csrf_cookie_name(&state.config),
                csrf_token,
                max_age,
                false,
            ),
        ),
    ])
}

/// Cookies that clear both.
pub fn clearing_cookies(state: &AppState) -> SetCookies {
    cookies(state, "", "", 0)
}

/// One `Set-Cookie` value: first-party, `SameSite=Lax`, `Secure` unless configured off.
pub fn cookie(
    state: &AppState,
    name: &str,
    value: &str,
    max_age: i64,
    http_only: bool,
) -> HeaderValue {
    let secure = if state.config.insecure_cookies {
        ""
    } else {
        "; Secure"
    };
    let http_only = if http_only { "; HttpOnly" } else { "" };
    let value =
        format!("{name}={value}; Path=/; SameSite=Lax; Max-Age={max_age}{http_only}{secure}");
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}
