//! The member's notifications and service information.
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use contract::notifications::{Notification, Notifications, UnreadCount};
use contract::service::{Announcement, HOTLINE, ServiceCentre, ServiceInfo};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::clock::rfc3339;
use crate::error::{ApiError, ApiResult};
use crate::extract::CurrentMember;
use crate::lang::Lang;
use contract::error::ErrorEnvelope;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(unread_count))
        .routes(routes!(mark_all_read))
        .routes(routes!(mark_read))
        .routes(routes!(service_centres))
        .routes(routes!(service_info))
}

/// A message as stored, in both languages.
#[derive(sqlx::FromRow)]
struct MessageRow {
    id: String,
    kind: String,
    title_zh: String,
    title_en: String,
    body_zh: String,
    body_en: String,
    created_at: i64,
    read_at: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/notifications",
    tag = "notifications",
    summary = "The member's messages, newest first, with the unread count.",
    responses(
        (status = 200, description = "Messages", body = Notifications),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
    ),
    security(("session" = [])),
)]
async fn list(
    State(state): State<AppState>,
    lang: Lang,
    member: CurrentMember,
) -> ApiResult<Json<Notifications>> {
    newest(&state, lang, &member.member_id).await.map(Json)
}

/// The messages as `GET /notifications` answers them (also drawn into a first paint).
pub(super) async fn newest(
    state: &AppState,
    lang: Lang,
    member_id: &str,
) -> ApiResult<Notifications> {
    let rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT id, kind, title_zh, title_en, body_zh, body_en, created_at, read_at FROM notifications
         WHERE member_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100",
    )
    .bind(member_id)
    .fetch_all(&state.db)
    .await?;
    let items: Vec<Notification> = rows
        .into_iter()
        .map(|row| Notification {
            title: lang.pick(&row.title_zh, &row.title_en).to_owned(),
            body: lang.pick(&row.body_zh, &row.body_en).to_owned(),
            created_at: rfc3339(row.created_at),
            read: row.read_at.is_some(),
            id: row.id,
            kind: row.kind,
        })
        .collect();
    let unread = count_unread(state, member_id).await?;
    Ok(Notifications { items, unread })
}

async fn count_unread(state: &AppState, member_id: &str) -> ApiResult<u32> {
    let unread: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE member_id = $1 AND read_at IS NULL",
    )
    .bind(member_id)
    .fetch_one(&state.db)
    .await?;
    Ok(unread as u32)
}

/// The badge count alone, cheap enough to poll.
#[utoipa::path(
    get,
    path = "/notifications/unread-count",
    tag = "notifications",
    summary = "The unread count alone, for the badge.",
    responses(
        (status = 200, description = "Count", body = UnreadCount),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
    ),
    security(("session" = [])),
)]
async fn unread_count(
    State(state): State<AppState>,
    member: CurrentMember,
) -> ApiResult<Json<UnreadCount>> {
    let unread = count_unread(&state, &member.member_id).await?;
    Ok(Json(UnreadCount { unread }))
}

/// Marks every message of the member read.
#[utoipa::path(
    post,
    path = "/notifications/read-all",
    tag = "notifications",
    summary = "Mark every message read.",
    responses(
        (status = 204, description = "Done"),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
    ),
    security(("session" = [], "csrf" = [])),
)]
async fn mark_all_read(
    State(state): State<AppState>,
    member: CurrentMember,
) -> ApiResult<StatusCode> {
    sqlx::query("UPDATE notifications SET read_at = $1 WHERE member_id = $2 AND read_at IS NULL")
        .bind(state.clock.now())
        .bind(&member.member_id)
        .execute(&state.db)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Marks one of the member's own notifications read; others' ids are simply not found.
#[utoipa::path(
    post,
    path = "/notifications/{id}/read",
    tag = "notifications",
    summary = "Mark one of the member's messages read.",
    params(("id" = String, Path, description = "Notification id")),
    responses(
        (status = 204, description = "Done"),
        (status = 404, description = "No such message of this member", body = ErrorEnvelope),
    ),
    security(("session" = [], "csrf" = [])),
)]
async fn mark_read(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let changed = sqlx::query(
        "UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND member_id = $3",
    )
    .bind(state.clock.now())
    .bind(&id)
    .bind(&member.member_id)
    .execute(&state.db)
    .await?
    .rows_affected();
    if changed == 0 {
        Err(ApiError::NotFound)
    } else {
        Ok(StatusCode::NO_CONTENT)
    }
}

/// A service centre as stored; coordinates in millionths of a degree.
#[derive(sqlx::FromRow)]
struct CentreRow {
    id: String,
    name_zh: String,
    name_en: String,
    level: String,
    district: String,
    address_zh: String,
    hours_zh: String,
    hours_en: String,
    phone: String,
    lat_e6: i64,
    lng_e6: i64,
}

/// An announcement as stored, in both languages.
#[derive(sqlx::FromRow)]
struct AnnouncementRow {
    id: String,
    title_zh: String,
    title_en: String,
    body_zh: String,
    body_en: String,
    published_at: i64,
}

#[utoipa::path(
    get,
    path = "/service-centres",
    tag = "service",
    summary = "Worker service centres (city, district, street).",
    responses(
        (status = 200, description = "Centres", body = Vec<ServiceCentre>),
    ),
)]
async fn service_centres(
    State(state): State<AppState>,
    lang: Lang,
) -> ApiResult<Json<Vec<ServiceCentre>>> {
    Ok(Json(centres(&state, lang).await?))
}

/// The hotline, the service centres and the announcements, for members signed in or not.
#[utoipa::path(
    get,
    path = "/service-info",
    tag = "service",
    summary = "Hotline, service centres and announcements.",
    responses(
        (status = 200, description = "Service information", body = ServiceInfo),
    ),
)]
async fn service_info(State(state): State<AppState>, lang: Lang) -> ApiResult<Json<ServiceInfo>> {
    let rows: Vec<AnnouncementRow> = sqlx::query_as(
        "SELECT id, title_zh, title_en, body_zh, body_en, published_at FROM announcements
         ORDER BY published_at DESC, id DESC LIMIT 20",
    )
    .fetch_all(&state.db)
    .await?;
    let announcements = rows
        .into_iter()
        .map(|row| Announcement {
            title: lang.pick(&row.title_zh, &row.title_en).to_owned(),
            body: lang.pick(&row.body_zh, &row.body_en).to_owned(),
            published_at: rfc3339(row.published_at),
            id: row.id,
        })
        .collect();
    Ok(Json(ServiceInfo {
        hotline: HOTLINE.to_owned(),
        centres: centres(&state, lang).await?,
        announcements,
    }))
}

async fn centres(state: &AppState, lang: Lang) -> ApiResult<Vec<ServiceCentre>> {
    let rows: Vec<CentreRow> = sqlx::query_as(
        "SELECT id, name_zh, name_en, level, district, address_zh, hours_zh, hours_en, phone, lat_e6, lng_e6
         FROM service_centres ORDER BY level, id",
    )
    .fetch_all(&state.db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| ServiceCentre {
            name: lang.pick(&row.name_zh, &row.name_en).to_owned(),
            hours: lang.pick(&row.hours_zh, &row.hours_en).to_owned(),
            lat: row.lat_e6 as f64 / 1e6,
            lng: row.lng_e6 as f64 / 1e6,
            id: row.id,
            level: row.level,
            district: row.district,
            address: row.address_zh,
            phone: row.phone,
        })
        .collect())
}
