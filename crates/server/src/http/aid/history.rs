//! The member's moves in an application's history: supplementing documents when asked, and
//! withdrawing an undecided application. Which states allow them is `AidTransition`'s table.
use axum::Json;
use axum::extract::{Path, State};
use contract::aid::{AidApplication, AidSupplement, AidTransition, FieldProblem};
use contract::error::ErrorEnvelope;

use super::applications::load;
use crate::AppState;
use crate::aid::{application, attachment, event};
use crate::error::{ApiError, ApiResult, Refusal};
use crate::extract::{AppJson, CurrentMember};
use crate::lang::Lang;

#[utoipa::path(
    post,
    path = "/aid/applications/{id}/supplement",
    tag = "aid",
    summary = "Add documents (and a note) when more information was asked for; the application returns to review.",
    params(("id" = String, Path, description = "Application id")),
    request_body = AidSupplement,
    responses(
        (status = 200, description = "Application", body = AidApplication),
        (status = 404, description = "Not found (or another member's)", body = ErrorEnvelope),
        (status = 409, description = "Not waiting for documents (`not_awaiting_information`)", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed` with `fields`", body = ErrorEnvelope),
    ),
    security(("session" = [], "csrf" = [])),
)]
/// Adds documents (and a note) when the reviewer asked for more; back to review.
pub(super) async fn supplement(
    State(state): State<AppState>,
    lang: Lang,
    member: CurrentMember,
    Path(id): Path<String>,
    AppJson(request): AppJson<AidSupplement>,
) -> ApiResult<Json<AidApplication>> {
    let member_id = member.member_id.as_str();
    let transition = AidTransition::Supplement;
    let current = load(&state, lang, member_id, &id).await?;
    if !transition.allowed_from(current.status) {
        return Err(not_awaiting_information().into());
    }
    let mut problems = request.problems();
    problems.extend(attachment::foreign(&state.db, member_id, &request.attachment_ids).await?);
    for (i, attachment_id) in request.attachment_ids.iter().enumerate() {
        if current.attachments.iter().any(|a| &a.id == attachment_id) {
            problems.push(FieldProblem {
                field: format!("attachment_ids[{i}]"),
                code: "duplicate",
            });
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid(problems));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if !application::member_moves(&mut tx, member_id, &id, transition, now).await? {
        tx.rollback().await?;
        return Err(not_awaiting_information().into());
    }
    let note = request.note.trim();
    let event_id = event::record(
        &mut tx,
        &id,
        transition.to(),
        transition.actor(),
        (!note.is_empty()).then_some(note),
        None,
        now,
    )
    .await?;
    attachment::link(&mut tx, &id, &event_id, &request.attachment_ids).await?;
    tx.commit().await?;
    Ok(Json(load(&state, lang, member_id, &id).await?))
}

fn not_awaiting_information() -> Refusal {
    Refusal::conflict(
        "not_awaiting_information",
        "该申请当前不需要补充材料。",
        "This application is not waiting for more documents.",
    )
}

#[utoipa::path(
    post,
    path = "/aid/applications/{id}/withdraw",
    tag = "aid",
    summary = "Withdraw an application that is not yet decided. No body.",
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, description = "Application", body = AidApplication),
        (status = 404, description = "Not found (or another member's)", body = ErrorEnvelope),
        (status = 409, description = "Already decided or withdrawn (`not_withdrawable`)", body = ErrorEnvelope),
    ),
    security(("session" = [], "csrf" = [])),
)]
/// Withdraws an application that is not yet decided.
pub(super) async fn withdraw(
    State(state): State<AppState>,
    lang: Lang,
    member: CurrentMember,
    Path(id): Path<String>,
) -> ApiResult<Json<AidApplication>> {
    let member_id = member.member_id.as_str();
    let transition = AidTransition::Withdraw;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if !application::member_moves(&mut tx, member_id, &id, transition, now).await? {
        tx.rollback().await?;
        // Not found (or not the member's) stays 404; otherwise it is already decided.
        load(&state, lang, member_id, &id).await?;
        return Err(Refusal::conflict(
            "not_withdrawable",
            "该申请已有审核结果或已撤回，不能再撤回。",
            "This application is already decided or withdrawn and cannot be withdrawn.",
        )
        .into());
    }
    event::record(
        &mut tx,
        &id,
        transition.to(),
        transition.actor(),
        None,
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(load(&state, lang, member_id, &id).await?))
}
