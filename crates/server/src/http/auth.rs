//! Sign-in by SMS code, password or kiosk card + PIN; the current session; sign-out.
//!
//! Every limit here is one atomic statement (see `throttle`): wrong tries are counted before
//! they are evaluated. Password and PIN tries are limited per account from one address (small:
//! the owner's own typos), per account from everywhere (larger: a distributed guesser) and per
//! address across accounts, with blocks that double; unknown phones and cards go through the
//! same limits and the same single Argon2 verification, so no answer tells members apart.
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use contract::auth::{
    KioskSignIn, PasswordSignIn, Session, SmsCodeRequest, SmsCodeSent, SmsSignIn,
};
use contract::validate::{PhoneNumber, parse_one_time_code};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::config::Config;
use crate::crypto::{HashingTicket, new_id, six_digit_code};
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, ClientIp, CurrentMember};
use crate::sessions::{self, OpenedOn};
use crate::throttle::{self, Limit, Try};
use contract::error::ErrorEnvelope;

const CODE_VALID_SECONDS: i64 = 5 * 60;
const MAX_WRONG_CODES: i64 = 5;
const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_code))
        .routes(routes!(sign_in_with_code))
        .routes(routes!(sign_in_with_password))
        .routes(routes!(sign_in_at_kiosk))
        .routes(routes!(current_session))
        .routes(routes!(sign_out))
}

fn parse_phone(input: &str) -> ApiResult<PhoneNumber> {
    PhoneNumber::parse(input).map_err(|e| ApiError::invalid_field("phone", e.code()))
}

/// Sends a code, throttled per phone and per address. The answer does not reveal whether the
/// phone belongs to a member: unknown phones are throttled alike and simply get no message.
#[utoipa::path(
    post,
    path = "/auth/sms-code",
    tag = "auth",
    summary = "Send a one-time sign-in code by SMS. The answer is the same whether or not the phone is registered.",
    request_body = SmsCodeRequest,
    responses(
        (status = 200, description = "Code sent (or silently not, for unknown phones)", body = SmsCodeSent),
        (status = 422, description = "Not a mainland mobile number", body = ErrorEnvelope),
        (status = 429, description = "Throttled (`throttled`): the phone's cooldown or hourly cap, or the address's hourly cap; `retry_after_seconds` says when to retry. Nothing is counted.", body = ErrorEnvelope),
        (status = 502, description = "The SMS provider failed, timed out or refused to send (`sms_unavailable`); nothing was sent and nothing counted, so the member may ask again at once", body = ErrorEnvelope),
    ),
)]
async fn request_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    AppJson(request): AppJson<SmsCodeRequest>,
) -> ApiResult<Json<SmsCodeSent>> {
    let phone = parse_phone(&request.phone)?;
    let now = state.clock.now();
    // Throttling looks back one hour; older codes are of no further use.
    sqlx::query("DELETE FROM sms_codes WHERE created_at < $1")
        .bind(now - 2 * HOUR)
        .execute(&state.db)
        .await?;
    throttle::forget_idle(&state.db, now).await?;
    let registered: Option<String> = sqlx::query_scalar("SELECT id FROM members WHERE phone = $1")
        .bind(phone.as_str())
        .fetch_optional(&state.db)
        .await?;
    let code = six_digit_code();
    let code_id = new_id("otp");
    let code_row = NewCode {
        id: &code_id,
        phone: phone.as_str(),
        hash: state
            .keys
            .sms_code
            .sign_stored(&code_message(phone.as_str(), &code)),
        ip: &ip,
        delivered: registered.is_some(),
    };
    store_code_within_limits(&state, &code_row, now).await?;
    if registered.is_some() {
        let minutes = (CODE_VALID_SECONDS / 60) as u32;
        if let Err(error) = state.sms.send_code(phone.as_str(), &code, minutes).await {
            // Not delivered, so not a send: the member may ask again at once, and neither the
            // phone's cooldown and hourly cap nor the address's cap counts it.
            sqlx::query("DELETE FROM sms_codes WHERE id = $1")
                .bind(&code_id)
                .execute(&state.db)
                .await?;
            tracing::warn!(%error, "sign-in code not delivered");
            return Err(ApiError::SmsUnavailable);
        }
    }
    Ok(Json(SmsCodeSent {
        cooldown_seconds: state.config.sms_cooldown_seconds as u32,
        expires_in_seconds: CODE_VALID_SECONDS as u32,
    }))
}

/// A code about to be stored.
struct NewCode<'a> {
    id: &'a str,
    phone: &'a str,
    hash: String,
    ip: &'a str,
    delivered: bool,
}

/// Stores the code if the phone's cooldown and hourly cap and the address's hourly cap allow
/// it. The address's and the phone's limit rows are locked first (always in that order, so two
/// requests cannot wait on each other), so concurrent requests count one after another; a
/// refusal rolls everything back and counts nothing.
async fn store_code_within_limits(state: &AppState, code: &NewCode<'_>, now: i64) -> ApiResult<()> {
    let mut tx = state.db.begin().await?;
    throttle::lock(&mut tx, "sms:address", code.ip, now).await?;
    throttle::lock(&mut tx, "sms:phone", code.phone, now).await?;
    check_send_throttle(&mut tx, &state.config, code, now).await?;
    sqlx::query(
        "INSERT INTO sms_codes (id, phone, code_hash, ip, created_at, expires_at, delivered)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(code.id)
    .bind(code.phone)
    .bind(&code.hash)
    .bind(code.ip)
    .bind(now)
    .bind(now + CODE_VALID_SECONDS)
    .bind(i64::from(code.delivered))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn check_send_throttle(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    config: &crate::config::Config,
    code: &NewCode<'_>,
    now: i64,
) -> ApiResult<()> {
    let (count, latest, oldest): (i64, Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MAX(created_at), MIN(created_at) FROM sms_codes WHERE phone = $1 AND created_at > $2",
    )
    .bind(code.phone)
    .bind(now - HOUR)
    .fetch_one(&mut **tx)
    .await?;
    if let Some(latest) = latest {
        let wait = latest + config.sms_cooldown_seconds - now;
        if wait > 0 {
            return Err(ApiError::Throttled(wait as u32));
        }
    }
    if count >= config.sms_per_phone_hourly {
        return Err(ApiError::Throttled(
            (oldest.unwrap_or(now) + HOUR - now).max(1) as u32,
        ));
    }
    let (by_ip, oldest_ip): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(created_at) FROM sms_codes WHERE ip = $1 AND created_at > $2",
    )
    .bind(code.ip)
    .bind(now - HOUR)
    .fetch_one(&mut **tx)
    .await?;
    if by_ip >= config.sms_per_ip_hourly {
        return Err(ApiError::Throttled(
            (oldest_ip.unwrap_or(now) + HOUR - now).max(1) as u32,
        ));
    }
    Ok(())
}

/// What is stored of a code, keyed (`--sms-code-keys`): a six-digit code's plain hash would
/// give itself away to anyone holding a copy of the table (a million tries).
fn code_message(phone: &str, code: &str) -> String {
    format!("{phone}:{code}")
}

/// Checks the newest code for the phone: expiry, wrong-try limit, single use.
#[utoipa::path(
    post,
    path = "/auth/sms-sign-in",
    tag = "auth",
    summary = "Sign in with phone and SMS code; sets the session and CSRF cookies.",
    request_body = SmsSignIn,
    responses(
        (status = 200, description = "Signed in", body = Session),
        (status = 401, description = "Wrong (`code_incorrect`), expired (`code_expired`) or burnt after 5 wrong tries (`code_locked`) code", body = ErrorEnvelope),
        (status = 422, description = "Malformed phone or code", body = ErrorEnvelope),
        (status = 429, description = "Too many failed sign-ins from this address (`throttled`, with `retry_after_seconds`)", body = ErrorEnvelope),
    ),
)]
async fn sign_in_with_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    AppJson(request): AppJson<SmsSignIn>,
) -> ApiResult<Response> {
    let phone = parse_phone(&request.phone)?;
    let code = parse_one_time_code(&request.code)
        .map_err(|e| ApiError::invalid_field("code", e.code()))?;
    let now = state.clock.now();
    let address = address_limit(&state.config);
    if let Try::Refused { retry_after } = throttle::take(&state.db, &address, &ip, now).await? {
        return Err(ApiError::Throttled(retry_after));
    }
    let outcome = check_code(&state, &phone, &code, now).await;
    // Only a wrong guess counts against the address.
    if !matches!(outcome, Err(ApiError::CodeIncorrect | ApiError::CodeLocked)) {
        throttle::give_back(&state.db, &address, &ip, now).await?;
    }
    let member_id = outcome?;
    signed_in(&state, &member_id, OpenedOn::MembersDevice).await
}

/// The member the code signs in, if it is right, fresh and not burnt.
async fn check_code(
    state: &AppState,
    phone: &PhoneNumber,
    code: &str,
    now: i64,
) -> ApiResult<String> {
    let latest: Option<(String, String, i64)> = sqlx::query_as(
        "SELECT id, code_hash, expires_at FROM sms_codes
         WHERE phone = $1 AND used = 0 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(phone.as_str())
    .fetch_optional(&state.db)
    .await?;
    let Some((id, hash, expires_at)) = latest else {
        return Err(ApiError::CodeIncorrect);
    };
    if now >= expires_at {
        return Err(ApiError::CodeExpired);
    }
    // The try is counted before the code is compared, in one statement: parallel guesses
    // cannot all read "under the limit".
    let tries: Option<i64> = sqlx::query_scalar(
        "UPDATE sms_codes SET failed_attempts = failed_attempts + 1
         WHERE id = $1 AND failed_attempts < $2 RETURNING failed_attempts",
    )
    .bind(&id)
    .bind(MAX_WRONG_CODES)
    .fetch_optional(&state.db)
    .await?;
    let Some(tries) = tries else {
        return Err(ApiError::CodeLocked);
    };
    if !state
        .keys
        .sms_code
        .verify_stored(&hash, &code_message(phone.as_str(), code))
    {
        return Err(if tries >= MAX_WRONG_CODES {
            ApiError::CodeLocked
        } else {
            ApiError::CodeIncorrect
        });
    }
    // Single use even under a double submit: only one request flips `used`.
    let claimed = sqlx::query("UPDATE sms_codes SET used = 1 WHERE id = $1 AND used = 0")
        .bind(&id)
        .execute(&state.db)
        .await?
        .rows_affected();
    let member: Option<String> = sqlx::query_scalar("SELECT id FROM members WHERE phone = $1")
        .bind(phone.as_str())
        .fetch_optional(&state.db)
        .await?;
    match (claimed, member) {
        (1, Some(member_id)) => Ok(member_id),
        _ => Err(ApiError::CodeIncorrect),
    }
}

/// Phone + password. Wrong tries are limited per account and address, per account and per
/// address, with blocks that double; unknown phones are limited and answered exactly alike.
#[utoipa::path(
    post,
    path = "/auth/password-sign-in",
    tag = "auth",
    summary = "Sign in with phone and password.",
    request_body = PasswordSignIn,
    responses(
        (status = 200, description = "Signed in", body = Session),
        (status = 401, description = "Wrong phone or password (`credentials_incorrect`); `attempts_remaining` says how many tries are left before a block, and when it is 0 `retry_after_seconds` says how long the block lasts", body = ErrorEnvelope),
        (status = 422, description = "Malformed phone", body = ErrorEnvelope),
        (status = 429, description = "Blocked after repeated failures: for this account (`locked`) or for this address (`throttled`); `retry_after_seconds` says when to retry", body = ErrorEnvelope),
        (status = 503, description = "Too many sign-ins are being checked right now (`server_busy`); retry after `retry_after_seconds`", body = ErrorEnvelope),
    ),
)]
async fn sign_in_with_password(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    AppJson(request): AppJson<PasswordSignIn>,
) -> ApiResult<Response> {
    let phone = parse_phone(&request.phone)?;
    let ticket = state.hashing.ticket()?;
    let member: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT id, password_hash FROM members WHERE phone = $1")
            .bind(phone.as_str())
            .fetch_optional(&state.db)
            .await?;
    let (member_id, stored) = member.unzip();
    let attempt = Attempt {
        ticket,
        kind: SecretKind::Password,
        account: phone.as_str(),
        ip: &ip,
        secret: &request.password,
        stored: stored.flatten(),
    };
    check_secret(&state, attempt).await?;
    // A right secret with no member cannot happen: unknown phones verify against a dummy.
    let member_id = member_id.ok_or(ApiError::CredentialsIncorrect)?;
    signed_in(&state, &member_id, OpenedOn::MembersDevice).await
}

/// Card number + 6-digit PIN on a kiosk: a short kiosk session.
#[utoipa::path(
    post,
    path = "/auth/kiosk-sign-in",
    tag = "auth",
    summary = "Kiosk sign-in with member card number and 6-digit PIN; opens a short kiosk session.",
    request_body = KioskSignIn,
    responses(
        (status = 200, description = "Signed in (kind `kiosk`)", body = Session),
        (status = 401, description = "Wrong card number or PIN (`credentials_incorrect`, with `attempts_remaining`, and `retry_after_seconds` when it is 0)", body = ErrorEnvelope),
        (status = 403, description = "Not an enrolled kiosk device (`kiosk_not_enrolled`; no PIN is tried), or right PIN but the card is not active (`kiosk_card_not_active`; the message says what to do)", body = ErrorEnvelope),
        (status = 404, description = "Not a kiosk deployment (`--kiosk`)", body = ErrorEnvelope),
        (status = 429, description = "Blocked after repeated failures: for this card (`locked`) or for this address (`throttled`); `retry_after_seconds` says when to retry", body = ErrorEnvelope),
        (status = 503, description = "Too many sign-ins are being checked right now (`server_busy`)", body = ErrorEnvelope),
    ),
)]
async fn sign_in_at_kiosk(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    AppJson(request): AppJson<KioskSignIn>,
) -> ApiResult<Response> {
    // Enrolled kiosk devices only, so a card number and PIN open nothing from anywhere else;
    // the card's state is checked after the PIN (sessions::create).
    let device = super::kiosk_devices::require_device(&state, &headers).await?;
    let number: String = request
        .card_number
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let ticket = state.hashing.ticket()?;
    let card: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT member_id, pin_hash FROM cards WHERE number = $1")
            .bind(&number)
            .fetch_optional(&state.db)
            .await?;
    let (member_id, pin_hash) = card.unzip();
    let attempt = Attempt {
        ticket,
        kind: SecretKind::Pin,
        account: &number,
        ip: &ip,
        secret: &request.pin,
        stored: pin_hash.flatten(),
    };
    check_secret(&state, attempt).await?;
    let member_id = member_id.ok_or(ApiError::CredentialsIncorrect)?;
    signed_in(&state, &member_id, OpenedOn::Kiosk { device_id: &device }).await
}

/// Whose secret is tried: a member's password (account: the phone) or a card's PIN (account:
/// the card number).
#[derive(Debug, Clone, Copy)]
enum SecretKind {
    Password,
    Pin,
}

/// Failed sign-ins (password, PIN or SMS code) from one address, across accounts.
fn address_limit(config: &Config) -> Limit {
    Limit {
        scope: "signin:address",
        max: config.ip_failures_limit,
        window: HOUR,
        block: config.lock_seconds,
    }
}

/// The account's limits: from this address, and from everywhere. A stranger on another
/// address uses up only the second, larger one.
fn account_limits(config: &Config, kind: SecretKind) -> [Limit; 2] {
    let (by_address, overall) = match kind {
        SecretKind::Password => ("password:account+address", "password:account"),
        SecretKind::Pin => ("pin:card+address", "pin:card"),
    };
    [
        Limit {
            scope: by_address,
            max: config.max_failed_attempts,
            window: DAY,
            block: config.lock_seconds,
        },
        Limit {
            scope: overall,
            max: config.account_failures_limit,
            window: DAY,
            block: config.lock_seconds,
        },
    ]
}

/// One try of a password or PIN.
struct Attempt<'a> {
    /// The place in the hashing queue, taken before anything else: a flood past the queue is
    /// turned away without touching the database.
    ticket: HashingTicket,
    kind: SecretKind,
    /// The phone or card number as typed (known or not: both are limited alike).
    account: &'a str,
    ip: &'a str,
    secret: &'a str,
    /// The stored hash; `None` for an unknown account (a dummy is verified instead).
    stored: Option<String>,
}

/// Verifies a password or PIN within its limits. A place in the hashing queue is taken first;
/// then the try is counted against every limit before the one Argon2 verification, so concurrent tries cannot overrun a limit; a success
/// clears the account's counts and gives the address its try back.
async fn check_secret(state: &AppState, attempt: Attempt<'_>) -> ApiResult<()> {
    let now = state.clock.now();
    let address = address_limit(&state.config);
    let [by_address, overall] = account_limits(&state.config, attempt.kind);
    let by_address_subject = format!("{}|{}", attempt.account, attempt.ip);
    let taken = take_all(
        state,
        &[
            (address, attempt.ip),
            (by_address, by_address_subject.as_str()),
            (overall, attempt.account),
        ],
        now,
    )
    .await?;
    let verified = attempt
        .ticket
        .verify(attempt.secret, attempt.stored.as_deref())
        .await;
    match verified {
        Ok(true) => {
            throttle::give_back(&state.db, &address, attempt.ip, now).await?;
            throttle::clear(&state.db, &by_address, &by_address_subject).await?;
            throttle::clear(&state.db, &overall, attempt.account).await?;
            Ok(())
        }
        Ok(false) => Err(ApiError::WrongSecret {
            attempts_remaining: taken.remaining.clamp(0, i64::from(u32::MAX)) as u32,
            retry_after: (taken.remaining == 0).then_some(taken.blocked_for.max(1) as u32),
        }),
        Err(busy) => {
            // Not evaluated, so not a try.
            throttle::give_back(&state.db, &address, attempt.ip, now).await?;
            throttle::give_back(&state.db, &by_address, &by_address_subject, now).await?;
            throttle::give_back(&state.db, &overall, attempt.account, now).await?;
            Err(busy.into())
        }
    }
}

/// What taking a try from several limits left.
struct Taken {
    /// The fewest tries left under any of them.
    remaining: i64,
    /// The longest block this try started (0 if none).
    blocked_for: i64,
}

/// Takes a try from each limit in order; if one refuses, the tries already taken are given
/// back and the answer is `throttled` (the address is blocked) or `locked` (the account is).
async fn take_all(state: &AppState, limits: &[(Limit, &str)], now: i64) -> ApiResult<Taken> {
    let mut taken = Taken {
        remaining: i64::MAX,
        blocked_for: 0,
    };
    for (i, (limit, subject)) in limits.iter().enumerate() {
        match throttle::take(&state.db, limit, subject, now).await? {
            Try::Taken {
                remaining,
                blocked_for,
            } => {
                taken.remaining = taken.remaining.min(remaining);
                taken.blocked_for = taken.blocked_for.max(blocked_for);
            }
            Try::Refused { retry_after } => {
                for (limit, subject) in &limits[..i] {
                    throttle::give_back(&state.db, limit, subject, now).await?;
                }
                return Err(if limit.scope == "signin:address" {
                    ApiError::Throttled(retry_after)
                } else {
                    ApiError::Locked(retry_after)
                });
            }
        }
    }
    Ok(taken)
}

async fn signed_in(state: &AppState, member_id: &str, on: OpenedOn<'_>) -> ApiResult<Response> {
    let (cookies, session) = sessions::create(state, member_id, on).await?;
    Ok((cookies, Json(session)).into_response())
}

#[utoipa::path(
    get,
    path = "/auth/session",
    tag = "auth",
    summary = "The current session.",
    responses(
        (status = 200, description = "Signed in", body = Session),
        (status = 401, description = "Not signed in, or the session expired", body = ErrorEnvelope),
    ),
    security(("session" = [])),
)]
async fn current_session(
    State(state): State<AppState>,
    member: CurrentMember,
) -> ApiResult<Json<Session>> {
    sessions::describe(&state, &member.token_hash)
        .await?
        .map(Json)
        .ok_or(ApiError::Unauthenticated)
}

#[utoipa::path(
    post,
    path = "/auth/sign-out",
    tag = "auth",
    summary = "End the session and clear its cookies.",
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 403, description = "CSRF token missing or wrong", body = ErrorEnvelope),
    ),
    security(("session" = [], "csrf" = [])),
)]
async fn sign_out(State(state): State<AppState>, member: CurrentMember) -> ApiResult<Response> {
    sessions::destroy(&state, &member.token_hash).await?;
    Ok((StatusCode::NO_CONTENT, sessions::clearing_cookies(&state)).into_response())
}
