//! Supporting documents: stored once per upload, linked to applications at the event that
//! added them, and served to their owner only.
use contract::aid::{Attachment, FieldProblem, MAX_UPLOADS_PER_DAY};
use sqlx::{Any, Transaction};

use crate::clock::rfc3339;
use crate::db::Db;

/// A document whose bytes are already in a document store; its type was sniffed from them.
pub struct NewAttachment<'a> {
    pub id: &'a str,
    pub member_id: &'a str,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub size: usize,
    /// Which store holds the bytes (`database` or `s3`).
    pub stored_in: &'static str,
}

/// Why an upload was not recorded.
pub enum Rejected {
    /// The member already uploaded `MAX_UPLOADS_PER_DAY` documents in the last 24 hours.
    DailyCapReached,
}

/// The member's uploads in the 24 hours before `now`.
pub async fn uploads_today<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    member_id: &str,
    now: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM aid_attachments WHERE member_id = $1 AND uploaded_at > $2",
    )
    .bind(member_id)
    .bind(now - 86_400)
    .fetch_one(executor)
    .await
}

/// Records the document unless the member reached the daily cap. The member's limit row is
/// locked first, so concurrent uploads count and insert one after another and the 41st of a
/// burst sees the 40 before it.
pub async fn record_within_daily_cap(
    db: &Db,
    upload: NewAttachment<'_>,
    now: i64,
) -> sqlx::Result<Result<(), Rejected>> {
    let mut tx = db.begin().await?;
    crate::throttle::lock(&mut tx, "upload:member", upload.member_id, now).await?;
    if uploads_today(&mut *tx, upload.member_id, now).await? >= MAX_UPLOADS_PER_DAY {
        return Ok(Err(Rejected::DailyCapReached));
    }
    sqlx::query(
        "INSERT INTO aid_attachments (id, member_id, filename, content_type, size_bytes, sha256, uploaded_at, stored_in)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(upload.id)
    .bind(upload.member_id)
    .bind(upload.filename)
    .bind(upload.content_type)
    .bind(upload.size as i64)
    .bind(upload.sha256)
    .bind(now)
    .bind(upload.stored_in)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// A stored document: what to call it and which store holds its bytes.
#[derive(sqlx::FromRow)]
pub struct StoredFile {
    pub filename: String,
    pub content_type: String,
    pub stored_in: String,
}

/// The member's own document; another member's is not found.
pub async fn file(db: &Db, id: &str, member_id: &str) -> sqlx::Result<Option<StoredFile>> {
    sqlx::query_as(
        "SELECT filename, content_type, stored_in FROM aid_attachments WHERE id = $1 AND member_id = $2",
    )
    .bind(id)
    .bind(member_id)
    .fetch_optional(db)
    .await
}

/// The attachments (of all `ids`) that `member_id` does not own, as field problems.
pub async fn foreign(db: &Db, member_id: &str, ids: &[String]) -> sqlx::Result<Vec<FieldProblem>> {
    let mut problems = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let owned: Option<String> =
            sqlx::query_scalar("SELECT id FROM aid_attachments WHERE id = $1 AND member_id = $2")
                .bind(id)
                .bind(member_id)
                .fetch_optional(db)
                .await?;
        if owned.is_none() {
            problems.push(FieldProblem {
                field: format!("attachment_ids[{i}]"),
                code: "attachment_not_found",
            });
        }
    }
    Ok(problems)
}

/// Links documents to an application at the event that added them.
pub async fn link(
    tx: &mut Transaction<'_, Any>,
    application_id: &str,
    event_id: &str,
    ids: &[String],
) -> sqlx::Result<()> {
    for attachment_id in ids {
        sqlx::query(
            "INSERT INTO aid_application_attachments (application_id, attachment_id, event_id) VALUES ($1, $2, $3)",
        )
        .bind(application_id)
        .bind(attachment_id)
        .bind(event_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A document linked to an application, with the event that added it.
#[derive(sqlx::FromRow)]
pub struct LinkedAttachment {
    pub id: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_at: i64,
    pub event_id: String,
}

impl LinkedAttachment {
    pub fn describe(self) -> Attachment {
        Attachment {
            id: self.id,
            filename: self.filename,
            content_type: self.content_type,
            size_bytes: self.size_bytes as u64,
            uploaded_at: rfc3339(self.uploaded_at),
        }
    }
}

/// The application's documents, oldest first.
pub async fn of_application(db: &Db, application_id: &str) -> sqlx::Result<Vec<LinkedAttachment>> {
    sqlx::query_as(
        "SELECT t.id, t.filename, t.content_type, t.size_bytes, t.uploaded_at, l.event_id
         FROM aid_application_attachments l JOIN aid_attachments t ON t.id = l.attachment_id
         WHERE l.application_id = $1 ORDER BY t.uploaded_at, t.id",
    )
    .bind(application_id)
    .fetch_all(db)
    .await
}
