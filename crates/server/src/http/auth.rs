//! Sign-in by SMS code, password or kiosk card + PIN; the current session; sign-out.
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use contract::auth::{
    KioskSignIn, PasswordSignIn, Session, SessionKind, SmsCodeRequest, SmsCodeSent, SmsSignIn,
};
use contract::validate::{PhoneNumber, parse_one_time_code};

use crate::AppState;
use crate::crypto::{new_id, sha256_hex, six_digit_code};
use crate::error::{ApiError, ApiResult};
use crate::extract::{AppJson, ClientIp, CurrentMember};
use crate::sessions;
use contract::error::ErrorEnvelope;

const CODE_VALID_SECONDS: i64 = 5 * 60;
const MAX_WRONG_CODES: i64 = 5;
const HOUR: i64 = 3600;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/sms-code", post(request_code))
        .route("/auth/sms-sign-in", post(sign_in_with_code))
        .route("/auth/password-sign-in", post(sign_in_with_password))
        .route("/auth/kiosk-sign-in", post(sign_in_at_kiosk))
        .route("/auth/session", get(current_session))
        .route("/auth/sign-out", post(sign_out))
}

fn parse_phone(input: &str) -> ApiResult<PhoneNumber> {
    PhoneNumber::parse(input).map_err(|e| ApiError::Validation(vec![("phone", e)]))
}

/// Sends a code, throttled per phone and per address. The answer does not reveal whether the
/// phone belongs to a member: unknown phones are throttled alike and simply get no message.
#[utoipa::path(
    post,
    path = "/api/v1/auth/sms-code",
    tag = "auth",
    summary = "Send a one-time sign-in code by SMS. The answer is the same whether or not the phone is registered.",
    request_body = SmsCodeRequest,
    responses(
        (status = 200, description = "Code sent (or silently not, for unknown phones)", body = SmsCodeSent),
        (status = 422, description = "Not a mainland mobile number", body = ErrorEnvelope),
        (status = 429, description = "Throttled; `retry_after_seconds` says when to retry", body = ErrorEnvelope),
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
    check_send_throttle(&state, phone.as_str(), &ip, now).await?;
    let registered: Option<String> = sqlx::query_scalar("SELECT id FROM members WHERE phone = $1")
        .bind(phone.as_str())
        .fetch_optional(&state.db)
        .await?;
    let code = six_digit_code();
    sqlx::query(
        "INSERT INTO sms_codes (id, phone, code_hash, ip, created_at, expires_at, delivered)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id("otp"))
    .bind(phone.as_str())
    .bind(code_hash(phone.as_str(), &code))
    .bind(&ip)
    .bind(now)
    .bind(now + CODE_VALID_SECONDS)
    .bind(i64::from(registered.is_some()))
    .execute(&state.db)
    .await?;
    if registered.is_some() {
        let body = format!("【工会会员服务】验证码 {code}，5分钟内有效，请勿告诉他人。");
        state
            .sms
            .send(phone.as_str(), &body)
            .await
            .map_err(ApiError::Internal)?;
    }
    Ok(Json(SmsCodeSent {
        cooldown_seconds: state.config.sms_cooldown_seconds as u32,
        expires_in_seconds: CODE_VALID_SECONDS as u32,
    }))
}

async fn check_send_throttle(state: &AppState, phone: &str, ip: &str, now: i64) -> ApiResult<()> {
    let config = &state.config;
    let (count, latest, oldest): (i64, Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MAX(created_at), MIN(created_at) FROM sms_codes WHERE phone = $1 AND created_at > $2",
    )
    .bind(phone)
    .bind(now - HOUR)
    .fetch_one(&state.db)
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
    .bind(ip)
    .bind(now - HOUR)
    .fetch_one(&state.db)
    .await?;
    if by_ip >= config.sms_per_ip_hourly {
        return Err(ApiError::Throttled(
            (oldest_ip.unwrap_or(now) + HOUR - now).max(1) as u32,
        ));
    }
    Ok(())
}

fn code_hash(phone: &str, code: &str) -> String {
    sha256_hex(&format!("{phone}:{code}"))
}

/// Checks the newest code for the phone: expiry, wrong-try limit, single use.
#[utoipa::path(
    post,
    path = "/api/v1/auth/sms-sign-in",
    tag = "auth",
    summary = "Sign in with phone and SMS code; sets the session and CSRF cookies.",
    request_body = SmsSignIn,
    responses(
        (status = 200, description = "Signed in", body = Session),
        (status = 401, description = "Wrong (`code_incorrect`), expired (`code_expired`) or burnt (`code_locked`) code", body = ErrorEnvelope),
        (status = 422, description = "Malformed phone or code", body = ErrorEnvelope),
    ),
)]
async fn sign_in_with_code(
    State(state): State<AppState>,
    AppJson(request): AppJson<SmsSignIn>,
) -> ApiResult<Response> {
    let phone = parse_phone(&request.phone)?;
    let code =
        parse_one_time_code(&request.code).map_err(|e| ApiError::Validation(vec![("code", e)]))?;
    let now = state.clock.now();
    let latest: Option<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, code_hash, expires_at, failed_attempts FROM sms_codes
         WHERE phone = $1 AND used = 0 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(phone.as_str())
    .fetch_optional(&state.db)
    .await?;
    let Some((id, hash, expires_at, failed)) = latest else {
        return Err(ApiError::CodeIncorrect);
    };
    if now >= expires_at {
        return Err(ApiError::CodeExpired);
    }
    if failed >= MAX_WRONG_CODES {
        return Err(ApiError::CodeLocked);
    }
    if hash != code_hash(phone.as_str(), &code) {
        sqlx::query("UPDATE sms_codes SET failed_attempts = failed_attempts + 1 WHERE id = $1")
            .bind(&id)
            .execute(&state.db)
            .await?;
        return Err(if failed + 1 >= MAX_WRONG_CODES {
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
        (1, Some(member_id)) => signed_in(&state, &member_id, SessionKind::Member).await,
        _ => Err(ApiError::CodeIncorrect),
    }
}

/// Phone + password, with a temporary lock after repeated failures.
#[utoipa::path(
    post,
    path = "/api/v1/auth/password-sign-in",
    tag = "auth",
    summary = "Sign in with phone and password.",
    request_body = PasswordSignIn,
    responses(
        (status = 200, description = "Signed in", body = Session),
        (status = 401, description = "Wrong phone or password (`credentials_incorrect`)", body = ErrorEnvelope),
        (status = 429, description = "Temporarily locked after repeated failures (`locked`)", body = ErrorEnvelope),
    ),
)]
async fn sign_in_with_password(
    State(state): State<AppState>,
    AppJson(request): AppJson<PasswordSignIn>,
) -> ApiResult<Response> {
    let phone = parse_phone(&request.phone)?;
    let member: Option<(String, Option<String>, i64, i64)> = sqlx::query_as(
        "SELECT id, password_hash, failed_password_attempts, locked_until FROM members WHERE phone = $1",
    )
    .bind(phone.as_str())
    .fetch_optional(&state.db)
    .await?;
    let Some((member_id, stored, failed, locked_until)) = member else {
        state.hashing.verify(&request.password, None);
        return Err(ApiError::CredentialsIncorrect);
    };
    let attempt = Attempt {
        row_id: &member_id,
        secret: &request.password,
        stored: stored.as_deref(),
        failed,
        locked_until,
    };
    check_secret(&state, &PASSWORD_LOCK, attempt).await?;
    signed_in(&state, &member_id, SessionKind::Member).await
}

/// Card number + 6-digit PIN on a kiosk: a short kiosk session.
#[utoipa::path(
    post,
    path = "/api/v1/auth/kiosk-sign-in",
    tag = "auth",
    summary = "Kiosk sign-in with member card number and 6-digit PIN; opens a short kiosk session.",
    request_body = KioskSignIn,
    responses(
        (status = 200, description = "Signed in (kind `kiosk`)", body = Session),
        (status = 401, description = "Wrong card number or PIN", body = ErrorEnvelope),
        (status = 403, description = "Right PIN, but the card is not active (`kiosk_card_not_active`; the message says what to do)", body = ErrorEnvelope),
        (status = 404, description = "Not a kiosk deployment (`--kiosk`)", body = ErrorEnvelope),
        (status = 429, description = "Temporarily locked", body = ErrorEnvelope),
    ),
)]
async fn sign_in_at_kiosk(
    State(state): State<AppState>,
    AppJson(request): AppJson<KioskSignIn>,
) -> ApiResult<Response> {
    // Kiosk deployments only; the card's state is checked after the PIN (sessions::create).
    super::kiosk_devices::kiosk_deployment_only(&state)?;
    let number: String = request
        .card_number
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let card: Option<(String, String, Option<String>, i64, i64)> = sqlx::query_as(
        "SELECT id, member_id, pin_hash, failed_pin_attempts, pin_locked_until FROM cards WHERE number = $1",
    )
    .bind(&number)
    .fetch_optional(&state.db)
    .await?;
    let Some((card_id, member_id, pin_hash, failed, locked_until)) = card else {
        state.hashing.verify(&request.pin, None);
        return Err(ApiError::CredentialsIncorrect);
    };
    let attempt = Attempt {
        row_id: &card_id,
        secret: &request.pin,
        stored: pin_hash.as_deref(),
        failed,
        locked_until,
    };
    check_secret(&state, &PIN_LOCK, attempt).await?;
    signed_in(&state, &member_id, SessionKind::Kiosk).await
}

/// Where a secret's failure counter and temporary lock are kept.
struct SecretLock {
    table: &'static str,
    counter: &'static str,
    locked_until: &'static str,
}

const PASSWORD_LOCK: SecretLock = SecretLock {
    table: "members",
    counter: "failed_password_attempts",
    locked_until: "locked_until",
};
const PIN_LOCK: SecretLock = SecretLock {
    table: "cards",
    counter: "failed_pin_attempts",
    locked_until: "pin_locked_until",
};

/// One try of a password or PIN against the stored row.
struct Attempt<'a> {
    row_id: &'a str,
    secret: &'a str,
    stored: Option<&'a str>,
    failed: i64,
    locked_until: i64,
}

/// Verifies a password or PIN, honouring its lock: a failure counts towards the lock, which
/// starts at the configured limit; a success clears the count.
async fn check_secret(state: &AppState, lock: &SecretLock, attempt: Attempt<'_>) -> ApiResult<()> {
    let now = state.clock.now();
    if attempt.locked_until > now {
        return Err(ApiError::Locked((attempt.locked_until - now) as u32));
    }
    let verified = state.hashing.verify(attempt.secret, attempt.stored);
    let (count, locked_until) = match verified {
        true => (0, 0),
        false if attempt.failed + 1 >= state.config.max_failed_attempts => {
            (0, now + state.config.lock_seconds)
        }
        false => (attempt.failed + 1, 0),
    };
    // Table and column names are our constants, never input.
    let SecretLock {
        table,
        counter,
        locked_until: lock_column,
    } = lock;
    let sql = format!("UPDATE {table} SET {counter} = $1, {lock_column} = $2 WHERE id = $3");
    sqlx::query(&sql)
        .bind(count)
        .bind(locked_until)
        .bind(attempt.row_id)
        .execute(&state.db)
        .await?;
    if verified {
        Ok(())
    } else {
        Err(ApiError::CredentialsIncorrect)
    }
}

async fn signed_in(state: &AppState, member_id: &str, kind: SessionKind) -> ApiResult<Response> {
    let (cookies, session) = sessions::create(state, member_id, kind).await?;
    Ok((cookies, Json(session)).into_response())
}

#[utoipa::path(
    get,
    path = "/api/v1/auth/session",
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
    path = "/api/v1/auth/sign-out",
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
