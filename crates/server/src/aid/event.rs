//! An application's history: one event per change of status, in order.
use contract::aid::{AidActor, AidStatus};
use sqlx::{Any, Transaction};

use super::undecodable;
use crate::crypto::new_id;
use crate::db::Db;

/// One stored event.
#[derive(sqlx::FromRow)]
pub struct EventRow {
    pub id: String,
    pub status: String,
    pub actor: String,
    pub at: i64,
    pub note: Option<String>,
    pub amount_fen: Option<i64>,
}

impl EventRow {
    pub fn status(&self) -> sqlx::Result<AidStatus> {
        AidStatus::parse(&self.status).ok_or_else(|| undecodable("status", &self.status))
    }

    pub fn actor(&self) -> AidActor {
        if self.actor == "reviewer" {
            AidActor::Reviewer
        } else {
            AidActor::Member
        }
    }
}

/// Appends a history event; returns its id.
pub async fn record(
    tx: &mut Transaction<'_, Any>,
    application_id: &str,
    status: AidStatus,
    actor: AidActor,
    note: Option<&str>,
    amount_fen: Option<i64>,
    now: i64,
) -> sqlx::Result<String> {
    let seq: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM aid_application_events WHERE application_id = $1",
    )
    .bind(application_id)
    .fetch_one(&mut **tx)
    .await?;
    let id = new_id("aev");
    sqlx::query(
        "INSERT INTO aid_application_events (id, application_id, status, actor, at, note, amount_fen, seq)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(application_id)
    .bind(status.as_str())
    .bind(match actor {
        AidActor::Member => "member",
        AidActor::Reviewer => "reviewer",
    })
    .bind(now)
    .bind(note)
    .bind(amount_fen)
    .bind(seq)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// The application's events, oldest first.
pub async fn of_application(db: &Db, application_id: &str) -> sqlx::Result<Vec<EventRow>> {
    sqlx::query_as(
        "SELECT id, status, actor, at, note, amount_fen FROM aid_application_events
         WHERE application_id = $1 ORDER BY seq",
    )
    .bind(application_id)
    .fetch_all(db)
    .await
}
