//! Applications: submitted once per idempotency key, listed, and read in full.
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use contract::aid::{
    AidApplication, AidApplicationSummary, AidStatus, IDEMPOTENCY_KEY_HEADER, IneligibleReason,
    NewAidApplication,
};
use contract::error::ErrorEnvelope;

use super::eligibility::ineligible;
use crate::AppState;
use crate::aid::application::{self, Submission};
use crate::aid::{attachment, eligibility, event, program};
use crate::clock::china_date;
use crate::crypto::{new_id, sha256_hex};
use crate::db::is_unique_violation;
use crate::error::{ApiError, ApiResult, Refusal};
use crate::extract::{AppJson, CurrentMember};
use crate::lang::Lang;
use crate::notify::{self, Message};

fn idempotency_key(headers: &HeaderMap) -> Result<String, Refusal> {
    let key = headers
        .get(IDEMPOTENCY_KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or("");
    let valid = (1..=128).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic());
    if valid {
        Ok(key.to_owned())
    } else {
        Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "idempotency_key_required",
            "提交申请需要附带 Idempotency-Key 请求头（1–128 个可见 ASCII 字符）。",
            "Submitting an application needs an Idempotency-Key header (1–128 visible ASCII characters).",
        ))
    }
}

/// The application stored under this member's key: the same body gets it back, another body
/// is refused.
async fn replay(
    state: &AppState,
    lang: Lang,
    member_id: &str,
    key: &str,
    request_hash: &str,
) -> ApiResult<Option<AidApplication>> {
    let Some(stored) = application::by_key(&state.db, member_id, key).await? else {
        return Ok(None);
    };
    if stored.request_hash != request_hash {
        return Err(Refusal::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "该 Idempotency-Key 已用于另一份不同的申请，请为新申请使用新的标识。",
            "This Idempotency-Key was already used for a different application; use a new key for a new application.",
        )
        .into());
    }
    Ok(Some(load(state, lang, member_id, &stored.id).await?))
}

/// The member's application in full; another member's is not found.
pub(super) async fn load(
    state: &AppState,
    lang: Lang,
    member_id: &str,
    id: &str,
) -> ApiResult<AidApplication> {
    application::load(&state.db, lang, member_id, id)
        .await?
        .ok_or(ApiError::NotFound)
}

#[utoipa::path(
    post,
    path = "/aid/applications",
    tag = "aid",
    summary = "Submit an application. Retrying with the same `Idempotency-Key` and body returns the same application (200), never a second one.",
    params(("Idempotency-Key" = String, Header, description = "A client-chosen key per application (1–128 visible ASCII characters)")),
    request_body = NewAidApplication,
    responses(
        (status = 201, description = "Created", body = AidApplication),
        (status = 200, description = "A retry: the application this key created", body = AidApplication),
        (status = 400, description = "Missing or malformed key (`idempotency_key_required`)", body = ErrorEnvelope),
        (status = 409, description = "`window_closed`, `membership_lapsed`, `card_not_active` or `already_applied`", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed` with `fields` (among them `not_own_id` on the applicant's own `household[i].resident_id` when it is not the member's ID number on file), `invalid_body`, or `idempotency_key_reused` (same key, other body)", body = ErrorEnvelope),
    ),
    security(("session" = [], "csrf" = [])),
)]
/// Submits an application. A retry with the same key and body answers 200 with the
/// application the first request created (201); never a second one.
pub(super) async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    member: CurrentMember,
    headers: HeaderMap,
    AppJson(request): AppJson<NewAidApplication>,
) -> ApiResult<Response> {
    let key = idempotency_key(&headers)?;
    let canonical = serde_json::to_string(&request)
        .map_err(|e| ApiError::Internal(format!("cannot serialise application: {e}")))?;
    let request_hash = sha256_hex(&canonical);
    let member_id = member.member_id.as_str();
    if let Some(existing) = replay(&state, lang, member_id, &key, &request_hash).await? {
        return Ok((StatusCode::OK, Json(existing)).into_response());
    }

    let Some(program) = program::load(&state.db, &request.program_id).await? else {
        return Err(ApiError::invalid_field("program_id", "unknown_program"));
    };
    let mut problems = request.problems(program.kind);
    problems.extend(attachment::foreign(&state.db, member_id, &request.attachment_ids).await?);
    problems.extend(application::not_own_ids(&state.db, member_id, &request.household).await?);
    if !problems.is_empty() {
        return Err(ApiError::invalid(problems));
    }
    let now = state.clock.now();
    let today = china_date(now);
    let assessment =
        eligibility::assess(&state.db, &today, member_id, &request.program_id, &program).await?;
    if let Some(reason) = assessment.reasons.first() {
        // A concurrent retry with this key may have just created the application in the way.
        if let Some(existing) = replay(&state, lang, member_id, &key, &request_hash).await? {
            return Ok((StatusCode::OK, Json(existing)).into_response());
        }
        return Err(ineligible(*reason).into());
    }

    let id = new_id("aid");
    let submission = Submission {
        id: &id,
        member_id,
        key: &key,
        request_hash: &request_hash,
        now,
    };
    let mut tx = state.db.begin().await?;
    match application::insert(&mut tx, &submission, &request).await {
        Ok(()) => {}
        Err(error) if is_unique_violation(&error) => {
            tx.rollback().await?;
            return match replay(&state, lang, member_id, &key, &request_hash).await? {
                Some(existing) => Ok((StatusCode::OK, Json(existing)).into_response()),
                None => Err(ineligible(IneligibleReason::AlreadyApplied).into()),
            };
        }
        Err(error) => return Err(error.into()),
    }
    application::insert_household(&mut tx, &id, &request.household).await?;
    let event_id = event::record(
        &mut tx,
        &id,
        AidStatus::Submitted,
        contract::aid::AidActor::Member,
        None,
        None,
        now,
    )
    .await?;
    attachment::link(&mut tx, &id, &event_id, &request.attachment_ids).await?;
    let name_zh = program.name(Lang::Zh);
    let name_en = program.name(Lang::En);
    let body_zh = format!("您的“{name_zh}”申请已提交，工会将尽快审核，请留意消息通知。");
    let body_en = format!(
        "Your application to {name_en} has been submitted. The union will review it soon; watch your messages."
    );
    notify::send(
        &mut tx,
        member_id,
        Message {
            kind: "aid",
            title_zh: "帮扶申请已提交",
            title_en: "Aid application submitted",
            body_zh: &body_zh,
            body_en: &body_en,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    let created = load(&state, lang, member_id, &id).await?;
    let mut response = (StatusCode::CREATED, Json(created)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/aid/applications/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

#[utoipa::path(
    get,
    path = "/aid/applications",
    tag = "aid",
    summary = "The member's applications, newest first.",
    responses(
        (status = 200, description = "Applications", body = Vec<AidApplicationSummary>),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
    ),
    security(("session" = [])),
)]
pub(super) async fn applications(
    State(state): State<AppState>,
    lang: Lang,
    member: CurrentMember,
) -> ApiResult<Json<Vec<AidApplicationSummary>>> {
    Ok(Json(
        application::summaries(&state.db, lang, &member.member_id).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/aid/applications/{id}",
    tag = "aid",
    summary = "One application with household (ID numbers masked), documents and status history.",
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, description = "Application", body = AidApplication),
        (status = 404, description = "Not found (or another member's)", body = ErrorEnvelope),
    ),
    security(("session" = [])),
)]
pub(super) async fn application(
    State(state): State<AppState>,
    lang: Lang,
    member: CurrentMember,
    Path(id): Path<String>,
) -> ApiResult<Json<AidApplication>> {
    Ok(Json(load(&state, lang, &member.member_id, &id).await?))
}
