//! Hardship aid's data: programs, eligibility, documents, applications and their history,
//! each function with its SQL. The member's routes (`http::aid`) and the reviewer's commands
//! (`admin::aid`) both call these; neither writes aid SQL of its own. Rows are read into
//! `sqlx::FromRow` structs with named fields, and a stored value that does not parse (a kind
//! or status the code does not know) is a decode error, not a silent default.
pub mod application;
pub mod attachment;
pub mod eligibility;
pub mod event;
pub mod program;
pub mod review;

/// The error for a stored value the code cannot read.
fn undecodable(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("bad aid {what} {value:?}").into())
}

/// The statuses as an SQL list (`'submitted', 'under_review'`): every value is one of our own
/// `as_str` constants, never input.
fn status_list(statuses: &[contract::aid::AidStatus]) -> String {
    statuses
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}
