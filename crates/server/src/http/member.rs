//! The member's own profile, with personal numbers masked, and signing out on every device.
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use contract::mask;
use contract::member::{MembershipStatus, Profile};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::CurrentMember;
use crate::lang::Lang;
use crate::sessions;
use contract::error::ErrorEnvelope;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(profile))
        .routes(routes!(sign_out_everywhere))
}

/// Ends every session of the member — phones, computers, kiosks, this one too — e.g. after
/// signing in on a borrowed phone. Kiosk sessions may not (it reaches beyond the kiosk).
#[utoipa::path(
    post,
    path = "/auth/sign-out-everywhere",
    tag = "auth",
    summary = "Sign out on all devices: end every session of the member, this one included, and clear its cookies.",
    responses(
        (status = 204, description = "Every session ended"),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 403, description = "CSRF token missing or wrong (`csrf_rejected`), or a kiosk session (`kiosk_forbidden`)", body = ErrorEnvelope),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub(super) async fn sign_out_everywhere(
    State(state): State<AppState>,
    member: CurrentMember,
) -> ApiResult<Response> {
    sessions::destroy_all(&state, &member.member_id).await?;
    Ok((StatusCode::NO_CONTENT, sessions::clearing_cookies(&state)).into_response())
}

#[utoipa::path(
    get,
    path = "/me",
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
    describe(&state, lang, &member.member_id).await.map(Json)
}

/// The member's profile as `GET /me` answers it (also drawn into a first paint).
pub(super) async fn describe(state: &AppState, lang: Lang, member_id: &str) -> ApiResult<Profile> {
    let row: ProfileRow = sqlx::query_as(
        "SELECT m.name, m.resident_id, m.phone, u.path_zh, u.path_en, m.joined_on, m.membership_status, m.real_name_verified, m.wechat_openid
         FROM members m JOIN unions u ON u.id = m.union_id WHERE m.id = $1",
    )
    .bind(member_id)
    .fetch_one(&state.db)
    .await?;
    let path = lang.pick(&row.path_zh, &row.path_en);
    Ok(Profile {
        id_number_masked: mask::resident_id(&row.resident_id),
        phone_masked: mask::phone(&row.phone),
        union_path: path.split(" / ").map(str::to_owned).collect(),
        membership_status: membership_status(&row.membership_status),
        real_name_verified: row.real_name_verified != 0,
        wechat_bound: row.wechat_openid.is_some(),
        name: row.name,
        joined_on: row.joined_on,
    })
}

/// The member and their union as stored (the full ID number and phone stay here).
#[derive(sqlx::FromRow)]
struct ProfileRow {
    name: String,
    resident_id: String,
    phone: String,
    path_zh: String,
    path_en: String,
    joined_on: String,
    membership_status: String,
    real_name_verified: i64,
    wechat_openid: Option<String>,
}

fn membership_status(value: &str) -> MembershipStatus {
    match value {
        "lapsed" => MembershipStatus::Lapsed,
        "transferring" => MembershipStatus::Transferring,
        _ => MembershipStatus::Active,
    }
}
