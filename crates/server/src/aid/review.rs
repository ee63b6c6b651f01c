//! The reviewer's reads and writes (`server admin aid …`).
use contract::aid::AidStatus;
use sqlx::{Any, Transaction};

use crate::db::Db;

/// One line of the reviewer's list.
#[derive(sqlx::FromRow)]
pub struct ListedApplication {
    pub id: String,
    pub status: String,
    pub program_name_zh: String,
    pub member_name: String,
    pub member_phone: String,
    pub updated_at: i64,
    pub approved_fen: Option<i64>,
}

/// Applications (in `status`, or all), most recently changed first.
pub async fn list(db: &Db, status: Option<AidStatus>) -> sqlx::Result<Vec<ListedApplication>> {
    sqlx::query_as(
        "SELECT a.id, a.status, p.name_zh AS program_name_zh, m.name AS member_name,
            m.phone AS member_phone, a.updated_at, a.approved_fen
         FROM aid_applications a JOIN aid_programs p ON p.id = a.program_id
         JOIN members m ON m.id = a.member_id
         WHERE ($1 = '' OR a.status = $1)
         ORDER BY a.updated_at DESC, a.id",
    )
    .bind(status.map_or("", AidStatus::as_str))
    .fetch_all(db)
    .await
}

/// What a transition needs to know of the application.
#[derive(sqlx::FromRow)]
pub struct UnderReview {
    pub member_id: String,
    pub program_id: String,
    pub status: String,
    pub school_level: Option<String>,
    pub approved_fen: Option<i64>,
}

pub async fn load(db: &Db, id: &str) -> sqlx::Result<Option<UnderReview>> {
    sqlx::query_as(
        "SELECT member_id, program_id, status, school_level, approved_fen FROM aid_applications WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The member's card, as payment reads it.
#[derive(sqlx::FromRow)]
pub struct PayeeCard {
    pub status: String,
    pub number: Option<String>,
}

pub async fn payee_card(db: &Db, member_id: &str) -> sqlx::Result<Option<PayeeCard>> {
    sqlx::query_as("SELECT status, number FROM cards WHERE member_id = $1")
        .bind(member_id)
        .fetch_optional(db)
        .await
}

/// The new state of a reviewed application; absent values keep what is stored.
pub struct Decision<'a> {
    pub to: AidStatus,
    pub approved_fen: Option<i64>,
    pub paid_on: Option<&'a str>,
    pub paid_to_card: Option<&'a str>,
}

/// Moves the application from `from` (as it was read) to the decision's status; false when
/// it changed meanwhile.
pub async fn decide(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    from: AidStatus,
    decision: &Decision<'_>,
    now: i64,
) -> sqlx::Result<bool> {
    let changed = sqlx::query(
        "UPDATE aid_applications SET status = $1, updated_at = $2,
            approved_fen = COALESCE($3, approved_fen), paid_on = COALESCE($4, paid_on),
            paid_to_card = COALESCE($5, paid_to_card)
         WHERE id = $6 AND status = $7",
    )
    .bind(decision.to.as_str())
    .bind(now)
    .bind(decision.approved_fen)
    .bind(decision.paid_on)
    .bind(decision.paid_to_card)
    .bind(id)
    .bind(from.as_str())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(changed == 1)
}
