//! Whether a member may apply to a program today, and every reason why not.
use contract::aid::IneligibleReason;

use super::program::StoredProgram;
use crate::db::Db;

/// The member's membership and card, as eligibility reads them.
#[derive(sqlx::FromRow, Default)]
struct Standing {
    membership_status: String,
    card_status: Option<String>,
}

/// What stands between a member and a new application.
pub struct Assessment {
    /// Empty when the member may apply.
    pub reasons: Vec<IneligibleReason>,
    /// The member's live application to this program, if any.
    pub existing: Option<String>,
}

/// Why `member_id` cannot apply to `program` on `today` (empty when they can), and the live
/// application that is in the way, if any.
pub async fn assess(
    db: &Db,
    today: &str,
    member_id: &str,
    program_id: &str,
    program: &StoredProgram,
) -> sqlx::Result<Assessment> {
    let mut reasons = Vec::new();
    if !program.is_open(today) {
        reasons.push(IneligibleReason::WindowClosed);
    }
    let standing: Option<Standing> = sqlx::query_as(
        "SELECT m.membership_status, c.status AS card_status
         FROM members m LEFT JOIN cards c ON c.member_id = m.id
         WHERE m.id = $1",
    )
    .bind(member_id)
    .fetch_optional(db)
    .await?;
    let standing = standing.unwrap_or_default();
    if standing.membership_status == "lapsed" {
        reasons.push(IneligibleReason::MembershipLapsed);
    }
    if standing.card_status.as_deref() != Some("active") {
        reasons.push(IneligibleReason::CardNotActive);
    }
    let existing: Option<String> = sqlx::query_scalar(
        "SELECT id FROM aid_applications WHERE member_id = $1 AND program_id = $2
            AND status <> 'withdrawn' AND status <> 'rejected'",
    )
    .bind(member_id)
    .bind(program_id)
    .fetch_optional(db)
    .await?;
    if existing.is_some() {
        reasons.push(IneligibleReason::AlreadyApplied);
    }
    Ok(Assessment { reasons, existing })
}
