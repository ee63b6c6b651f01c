//! Limits that hold under concurrency: sign-in tries, code sends, uploads.
//!
//! Two shapes, both one atomic statement on a row of `auth_throttles` (migration 0008):
//! - [`take`]: an upsert whose `DO UPDATE … WHERE` counts a try only while the row is under its
//!   limit and not blocked, and starts the block in the same statement when the limit is
//!   reached. A try is counted *before* it is evaluated, so N parallel requests can never all
//!   read "under the limit": exactly `max` get through. A success gives its try back
//!   ([`give_back`]) or clears the row ([`clear`]).
//! - [`lock`]: an upsert that row-locks (PostgreSQL) or takes the write lock (SQLite) for the
//!   rest of a transaction, for limits that are counted over other tables (codes sent in the
//!   last hour, documents uploaded in the last day).
//!
//! Subjects are stored as SHA-256 of `scope:subject`, so the table holds no phone numbers or
//! addresses.
use sqlx::Any;

use crate::crypto::sha256_hex;
use crate::db::Db;

/// How many tries a subject gets, over what window, and how long the block lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// What is limited, e.g. `password:account`.
    pub scope: &'static str,
    /// Tries per window; the try that reaches it starts a block.
    pub max: i64,
    /// Seconds after the window's first try when the count starts again.
    pub window: i64,
    /// The first block in seconds; each further block in a row doubles it, up to 64 times.
    pub block: i64,
}

/// The outcome of asking for a try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Try {
    /// Counted. `remaining` tries are left in the window; 0 means this try started a block
    /// that lasts `blocked_for` seconds.
    Taken { remaining: i64, blocked_for: i64 },
    /// Not counted and not to be evaluated: retry after this many seconds.
    Refused { retry_after: u32 },
}

fn subject_hash(scope: &str, subject: &str) -> String {
    sha256_hex(&format!("{scope}:{subject}"))
}

/// The block's length after `rounds` blocks in a row, as SQL over the existing row (SQLite and
/// PostgreSQL share `CASE`; neither portable `POWER` nor `LEAST` is needed).
const GROWTH: &str = "(CASE WHEN auth_throttles.rounds >= 6 THEN 64 WHEN auth_throttles.rounds = 5 THEN 32 \
     WHEN auth_throttles.rounds = 4 THEN 16 WHEN auth_throttles.rounds = 3 THEN 8 \
     WHEN auth_throttles.rounds = 2 THEN 4 WHEN auth_throttles.rounds = 1 THEN 2 ELSE 1 END)";

/// The counter after a counted try.
#[derive(sqlx::FromRow)]
struct Taken {
    hits: i64,
    blocked_until: i64,
}

/// Counts one try if the subject is under its limit; never more than `limit.max` tries are
/// counted per window, whatever the concurrency.
pub async fn take(db: &Db, limit: &Limit, subject: &str, now: i64) -> Result<Try, sqlx::Error> {
    // A row is "fresh" (count starts again at 1) when its window has passed or its block has
    // ended; the WHERE admits only fresh rows or rows under the limit that are not blocked.
    let fresh = "(auth_throttles.window_start <= $3 - $6 OR auth_throttles.blocked_until > 0)";
    let hits = format!("(CASE WHEN {fresh} THEN 1 ELSE auth_throttles.hits + 1 END)");
    let sql = format!(
        "INSERT INTO auth_throttles (scope, subject, hits, window_start, blocked_until, rounds, last_at)
         VALUES ($1, $2, 1, $3, $4, $5, $3)
         ON CONFLICT (scope, subject) DO UPDATE SET
             hits = {hits},
             window_start = CASE WHEN {fresh} THEN $3 ELSE auth_throttles.window_start END,
             blocked_until = CASE WHEN {hits} >= $7 THEN $3 + $8 * {GROWTH} ELSE 0 END,
             rounds = CASE WHEN {hits} >= $7 THEN auth_throttles.rounds + 1 ELSE auth_throttles.rounds END,
             last_at = $3
         WHERE auth_throttles.blocked_until <= $3 AND ({fresh} OR auth_throttles.hits < $7)
         RETURNING hits, blocked_until"
    );
    let first_blocks = limit.max <= 1;
    let taken: Option<Taken> = sqlx::query_as(&sql)
        .bind(limit.scope)
        .bind(subject_hash(limit.scope, subject))
        .bind(now)
        .bind(if first_blocks { now + limit.block } else { 0 })
        .bind(i64::from(first_blocks))
        .bind(limit.window)
        .bind(limit.max)
        .bind(limit.block)
        .fetch_optional(db)
        .await?;
    if let Some(taken) = taken {
        return Ok(Try::Taken {
            remaining: (limit.max - taken.hits).max(0),
            blocked_for: (taken.blocked_until - now).max(0),
        });
    }
    let blocked_until: i64 = sqlx::query_scalar(
        "SELECT blocked_until FROM auth_throttles WHERE scope = $1 AND subject = $2",
    )
    .bind(limit.scope)
    .bind(subject_hash(limit.scope, subject))
    .fetch_optional(db)
    .await?
    .unwrap_or(now);
    Ok(Try::Refused {
        retry_after: (blocked_until - now).clamp(1, i64::from(u32::MAX)) as u32,
    })
}

/// Gives back a try that turned out not to count (the request succeeded, or another limit
/// refused it before it was evaluated). If a block is running, it was started by a try of this
/// window reaching the limit; with one try fewer the limit is not reached, so the block is
/// lifted too.
pub async fn give_back(db: &Db, limit: &Limit, subject: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE auth_throttles SET hits = hits - 1,
             rounds = CASE WHEN blocked_until > $3 AND rounds > 0 THEN rounds - 1 ELSE rounds END,
             blocked_until = CASE WHEN blocked_until > $3 THEN 0 ELSE blocked_until END
         WHERE scope = $1 AND subject = $2 AND hits > 0",
    )
    .bind(limit.scope)
    .bind(subject_hash(limit.scope, subject))
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets the subject's failures and blocks (the right secret was given).
pub async fn clear(db: &Db, limit: &Limit, subject: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE auth_throttles SET hits = 0, blocked_until = 0, rounds = 0
         WHERE scope = $1 AND subject = $2",
    )
    .bind(limit.scope)
    .bind(subject_hash(limit.scope, subject))
    .execute(db)
    .await?;
    Ok(())
}

/// Locks the subject's row until the transaction ends: concurrent transactions for the same
/// subject run one after another, so a count read after this cannot be stale. It must be the
/// transaction's first statement (on SQLite it takes the write lock before anything is read).
pub async fn lock(
    tx: &mut sqlx::Transaction<'static, Any>,
    scope: &str,
    subject: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO auth_throttles (scope, subject, last_at) VALUES ($1, $2, $3)
         ON CONFLICT (scope, subject) DO UPDATE SET last_at = excluded.last_at",
    )
    .bind(scope)
    .bind(subject_hash(scope, subject))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Drops rows idle for two days and not blocked: their windows and rounds are over.
pub async fn forget_idle(db: &Db, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM auth_throttles WHERE last_at < $1 AND blocked_until < $2")
        .bind(now - 2 * 86_400)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}
