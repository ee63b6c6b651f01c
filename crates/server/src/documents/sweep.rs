//! Deletes uploads that were never attached to an application once their grace period is
//! over, from the database and from the store holding their bytes. Every instance may run it:
//! each row is claimed by one conditional delete, so two sweeps never fight.
use std::time::Duration;

use sqlx::FromRow;

use super::{Documents, aid_key};
use crate::AppState;
use crate::db::Db;

/// How often each instance sweeps.
const SWEEP_EVERY: Duration = Duration::from_secs(15 * 60);

/// Rows looked at per round, so one sweep never holds much in memory.
const BATCH: i64 = 200;

#[derive(FromRow)]
struct Unlinked {
    id: String,
    stored_in: String,
}

/// Deletes every upload older than `grace_hours` (at `now`) that no application links to,
/// returning how many were deleted. A row goes first, then its bytes: a document is never
/// linked after its row is gone, and bytes a failed delete leaves behind are logged.
pub async fn sweep_unlinked_uploads(
    db: &Db,
    documents: &Documents,
    now: i64,
    grace_hours: i64,
) -> Result<usize, sqlx::Error> {
    let cutoff = now - grace_hours.max(0) * 3600;
    let mut deleted = 0;
    loop {
        let batch: Vec<Unlinked> = sqlx::query_as(
            "SELECT id, stored_in FROM aid_attachments t
             WHERE uploaded_at < $1
               AND NOT EXISTS (SELECT 1 FROM aid_application_attachments l WHERE l.attachment_id = t.id)
             ORDER BY uploaded_at LIMIT $2",
        )
        .bind(cutoff)
        .bind(BATCH)
        .fetch_all(db)
        .await?;
        let full = batch.len() as i64 == BATCH;
        for upload in batch {
            // Linked in the meantime (or swept by another instance): not ours to delete.
            let claimed = sqlx::query(
                "DELETE FROM aid_attachments WHERE id = $1
                 AND NOT EXISTS (SELECT 1 FROM aid_application_attachments l WHERE l.attachment_id = aid_attachments.id)",
            )
            .bind(&upload.id)
            .execute(db)
            .await?
            .rows_affected()
                == 1;
            if !claimed {
                continue;
            }
            deleted += 1;
            let key = aid_key(&upload.id);
            match documents.holding(&upload.stored_in) {
                Some(store) => {
                    if let Err(error) = store.delete(&key).await {
                        tracing::warn!(%key, %error, "swept upload's bytes could not be deleted");
                    }
                }
                None => tracing::warn!(%key, stored_in = %upload.stored_in,
                    "swept upload's bytes are in a store this server is not configured for"),
            }
        }
        if !full {
            return Ok(deleted);
        }
    }
}

/// Sweeps every quarter hour for as long as the server runs.
pub fn spawn(state: AppState) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(SWEEP_EVERY);
        loop {
            ticks.tick().await;
            let grace = state.config.storage.upload_grace_hours;
            match sweep_unlinked_uploads(&state.db, &state.documents, state.clock.now(), grace)
                .await
            {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "deleted unlinked uploads"),
                Err(error) => tracing::warn!(%error, "upload sweep failed"),
            }
        }
    });
}
