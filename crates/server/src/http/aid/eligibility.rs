//! Whether the member may apply now, and the refusal for each reason they may not.
use axum::Json;
use axum::extract::{Path, State};
use contract::aid::{Eligibility, IneligibleReason};
use contract::error::ErrorEnvelope;

use crate::AppState;
use crate::aid::{eligibility, program};
use crate::clock::china_date;
use crate::error::{ApiError, ApiResult, Refusal};
use crate::extract::CurrentMember;

#[utoipa::path(
    get,
    path = "/aid/programs/{id}/eligibility",
    tag = "aid",
    summary = "Whether the member may apply now, and every reason why not.",
    params(("id" = String, Path, description = "Program id")),
    responses(
        (status = 200, description = "Eligibility", body = Eligibility),
        (status = 404, description = "No such program", body = ErrorEnvelope),
    ),
    security(("session" = [])),
)]
pub(super) async fn eligibility(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<String>,
) -> ApiResult<Json<Eligibility>> {
    let program = program::load(&state.db, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let today = china_date(state.clock.now());
    let assessment =
        eligibility::assess(&state.db, &today, &member.member_id, &id, &program).await?;
    Ok(Json(Eligibility {
        program_id: id,
        eligible: assessment.reasons.is_empty(),
        reasons: assessment.reasons,
        existing_application_id: assessment.existing,
    }))
}

/// The refusal for the first reason a member cannot apply.
pub(super) fn ineligible(reason: IneligibleReason) -> Refusal {
    match reason {
        IneligibleReason::WindowClosed => Refusal::conflict(
            "window_closed",
            "该项目当前不在申请时间内。",
            "This program is not accepting applications now.",
        ),
        IneligibleReason::MembershipLapsed => Refusal::conflict(
            "membership_lapsed",
            "您的会籍已失效，请先联系所在工会办理会籍续期。",
            "Your membership has lapsed. Ask your union to renew it first.",
        ),
        IneligibleReason::CardNotActive => Refusal::card_not_active(),
        IneligibleReason::AlreadyApplied => Refusal::conflict(
            "already_applied",
            "您已提交过该项目的申请，请在“我的申请”中查看进度。",
            "You have already applied to this program; follow it under My applications.",
        ),
    }
}
