//! The member's own profile, with personal numbers masked.
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use contract::mask;
use contract::member::{MembershipStatus, Profile};

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{CurrentMember, Lang};
use contract::error::ErrorEnvelope;

pub fn router() -> Router<AppState> {
    Router::new().route("/me", get(profile))
}

#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "member",
    summary = "The member profile; ID and phone numbers masked.",
    responses(
        (status = 200, description = "Profile", body = Profile),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
    ),
    security(("session" = [])),
)]
async fn profile(
    State(state): State<AppState>,
    lang: Lang,
    member: CurrentMember,
) -> ApiResult<Json<Profile>> {
    let (name, resident_id, phone, path_zh, path_en, joined_on, status, verified, openid): (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        i64,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT m.name, m.resident_id, m.phone, u.path_zh, u.path_en, m.joined_on, m.membership_status, m.real_name_verified, m.wechat_openid
         FROM members m JOIN unions u ON u.id = m.union_id WHERE m.id = $1",
    )
    .bind(&member.member_id)
    .fetch_one(&state.db)
    .await?;
    let path = lang.pick(&path_zh, &path_en);
    Ok(Json(Profile {
        name,
        id_number_masked: mask::resident_id(&resident_id),
        phone_masked: mask::phone(&phone),
        union_path: path.split(" / ").map(str::to_owned).collect(),
        joined_on,
        membership_status: membership_status(&status),
        real_name_verified: verified != 0,
        wechat_bound: openid.is_some(),
    }))
}

fn membership_status(value: &str) -> MembershipStatus {
    match value {
        "lapsed" => MembershipStatus::Lapsed,
        "transferring" => MembershipStatus::Transferring,
        _ => MembershipStatus::Active,
    }
}
