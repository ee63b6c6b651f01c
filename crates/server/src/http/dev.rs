//! Development-only endpoints, mounted only when `--dev-outbox` is given.
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::clock::rfc3339;
use crate::error::ApiResult;

pub fn router() -> Router<AppState> {
    Router::new().route("/dev/outbox", get(outbox))
}

#[derive(Deserialize)]
struct OutboxQuery {
    phone: String,
}

/// One message the development SMS gateway "sent".
#[derive(Serialize)]
struct OutboxMessage {
    phone: String,
    body: String,
    sent_at: String,
}

/// A message as stored in the outbox.
#[derive(sqlx::FromRow)]
struct OutboxRow {
    phone: String,
    body: String,
    created_at: i64,
}

/// The newest messages for a phone, newest first.
async fn outbox(
    State(state): State<AppState>,
    Query(query): Query<OutboxQuery>,
) -> ApiResult<Json<Vec<OutboxMessage>>> {
    let rows: Vec<OutboxRow> = sqlx::query_as(
        "SELECT phone, body, created_at FROM dev_outbox WHERE phone = $1 ORDER BY created_at DESC, id DESC LIMIT 20",
    )
    .bind(&query.phone)
    .fetch_all(&state.db)
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(|row| OutboxMessage {
                phone: row.phone,
                body: row.body,
                sent_at: rfc3339(row.created_at),
            })
            .collect(),
    ))
}
