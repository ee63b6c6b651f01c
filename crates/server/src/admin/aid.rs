//! `server admin aid …`: the reviewer's side of hardship aid. Each transition is checked
//! against the application's current state, recorded in its history and announced to the
//! member, all in one transaction.
use contract::aid::{AidStatus, AidTransition};
use contract::mask;
use contract::validate::Fen;

use crate::aid::review::{self, Decision};
use crate::aid::{event, program};
use crate::clock::china_date;
use crate::db::Db;
use crate::lang::Lang;
use crate::notify::{self, Message};

/// The reviewer's commands.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum AidCommand {
    /// List applications, most recently changed first.
    List {
        /// Only applications in this status (submitted, under_review, more_info_needed,
        /// approved, paid, rejected, withdrawn).
        #[arg(long)]
        status: Option<String>,
    },
    /// Start reviewing a submitted application.
    Review { id: String },
    /// Ask the member for more documents; they supplement and it returns to review.
    RequestInfo {
        id: String,
        /// What is missing, in words the member understands.
        #[arg(long)]
        note: String,
    },
    /// Approve with an amount in fen (at most what the program pays).
    Approve {
        id: String,
        #[arg(long)]
        amount_fen: i64,
        #[arg(long)]
        note: Option<String>,
    },
    /// Record the payment of an approved application onto the member's card.
    Pay {
        id: String,
        /// Payment date, `YYYY-MM-DD`; today when absent.
        #[arg(long)]
        on: Option<String>,
    },
    /// Reject with a reason the member will see.
    Reject {
        id: String,
        #[arg(long)]
        reason: String,
    },
}

/// Why a reviewer's command was refused.
#[derive(Debug, thiserror::Error)]
pub enum AidAdminError {
    #[error("no aid application {0}")]
    NotFound(String),
    #[error("application {id} is {from}; cannot {action} it")]
    InvalidTransition {
        id: String,
        from: &'static str,
        action: &'static str,
    },
    #[error("the amount must be between 1 and {max} fen for this application")]
    AmountOutOfRange { max: i64 },
    #[error("{0} must not be empty")]
    Blank(&'static str),
    #[error("unknown status {0}")]
    UnknownStatus(String),
    #[error("payment date must be YYYY-MM-DD, got {0}")]
    BadDate(String),
    #[error("the member's card is not active; it cannot be paid to")]
    CardNotActive,
    #[error("application {0} changed meanwhile; look again")]
    Raced(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("program {0} of the application is missing")]
    ProgramMissing(String),
}

/// Runs one command; returns what to print.
pub async fn run(db: &Db, now: i64, command: AidCommand) -> Result<String, AidAdminError> {
    match command {
        AidCommand::List { status } => list(db, status.as_deref()).await,
        AidCommand::Review { id } => {
            let change = Change::to(AidTransition::Review, "review");
            apply(db, now, &id, change).await
        }
        AidCommand::RequestInfo { id, note } => {
            let note = required(&note, "--note")?;
            let change = Change {
                note: Some(note),
                ..Change::to(AidTransition::RequestInfo, "request more information for")
            };
            apply(db, now, &id, change).await
        }
        AidCommand::Approve {
            id,
            amount_fen,
            note,
        } => {
            let change = Change {
                amount_fen: Some(amount_fen),
                note: note.filter(|n| !n.trim().is_empty()),
                ..Change::to(AidTransition::Approve, "approve")
            };
            apply(db, now, &id, change).await
        }
        AidCommand::Pay { id, on } => {
            let paid_on = match on {
                Some(date) => chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                    .map_err(|_| AidAdminError::BadDate(date.clone()))?
                    .format("%Y-%m-%d")
                    .to_string(),
                None => china_date(now),
            };
            let change = Change {
                paid_on: Some(paid_on),
                ..Change::to(AidTransition::Pay, "pay")
            };
            apply(db, now, &id, change).await
        }
        AidCommand::Reject { id, reason } => {
            let reason = required(&reason, "--reason")?;
            let change = Change {
                note: Some(reason),
                ..Change::to(AidTransition::Reject, "reject")
            };
            apply(db, now, &id, change).await
        }
    }
}

fn required(text: &str, what: &'static str) -> Result<String, AidAdminError> {
    let text = text.trim();
    if text.is_empty() {
        Err(AidAdminError::Blank(what))
    } else {
        Ok(text.to_owned())
    }
}

async fn list(db: &Db, status: Option<&str>) -> Result<String, AidAdminError> {
    let status = status
        .map(|s| AidStatus::parse(s).ok_or_else(|| AidAdminError::UnknownStatus(s.to_owned())))
        .transpose()?;
    let rows = review::list(db, status).await?;
    let mut out = format!("{} application(s)\n", rows.len());
    for row in rows {
        let amount = row
            .approved_fen
            .map(|f| Fen(f).display_yuan())
            .unwrap_or_default();
        out.push_str(&format!(
            "{}  {:<16}  {}  {}  {}  {}  {amount}\n",
            row.id,
            row.status,
            row.program_name_zh,
            mask::name(&row.member_name),
            mask::phone(&row.member_phone),
            crate::clock::rfc3339(row.updated_at),
        ));
    }
    Ok(out)
}

/// One transition and what comes with it.
struct Change {
    transition: AidTransition,
    action: &'static str,
    note: Option<String>,
    amount_fen: Option<i64>,
    paid_on: Option<String>,
}

impl Change {
    fn to(transition: AidTransition, action: &'static str) -> Self {
        Self {
            transition,
            action,
            note: None,
            amount_fen: None,
            paid_on: None,
        }
    }
}

async fn apply(db: &Db, now: i64, id: &str, mut change: Change) -> Result<String, AidAdminError> {
    let application = review::load(db, id)
        .await?
        .ok_or_else(|| AidAdminError::NotFound(id.to_owned()))?;
    let from = AidStatus::parse(&application.status)
        .ok_or_else(|| AidAdminError::UnknownStatus(application.status.clone()))?;
    if !change.transition.allowed_from(from) {
        return Err(AidAdminError::InvalidTransition {
            id: id.to_owned(),
            from: from.as_str(),
            action: change.action,
        });
    }
    let program = program::load(db, &application.program_id)
        .await?
        .ok_or_else(|| AidAdminError::ProgramMissing(application.program_id.clone()))?;
    if let Some(amount) = change.amount_fen {
        let level = application
            .school_level
            .as_deref()
            .and_then(contract::aid::SchoolLevel::parse);
        let max = program.expected_fen(level).unwrap_or(0);
        if amount < 1 || amount > max {
            return Err(AidAdminError::AmountOutOfRange { max });
        }
    }
    let to = change.transition.to();
    let mut paid_to_card = None;
    if to == AidStatus::Paid {
        match review::payee_card(db, &application.member_id).await? {
            Some(review::PayeeCard {
                status,
                number: Some(number),
            }) if status == "active" => paid_to_card = Some(number),
            _ => return Err(AidAdminError::CardNotActive),
        }
        change.amount_fen = application.approved_fen;
    }

    let mut tx = db.begin().await?;
    let decision = Decision {
        to,
        approved_fen: if to == AidStatus::Approved {
            change.amount_fen
        } else {
            None
        },
        paid_on: change.paid_on.as_deref(),
        paid_to_card: paid_to_card.as_deref(),
    };
    if !review::decide(&mut tx, id, from, &decision, now).await? {
        tx.rollback().await?;
        return Err(AidAdminError::Raced(id.to_owned()));
    }
    event::record(
        &mut tx,
        id,
        to,
        change.transition.actor(),
        change.note.as_deref(),
        change.amount_fen,
        now,
    )
    .await?;
    let (title_zh, title_en, body_zh, body_en) = wording(
        &change,
        &program.name(Lang::Zh),
        &program.name(Lang::En),
        paid_to_card.as_deref(),
    );
    notify::send(
        &mut tx,
        &application.member_id,
        Message {
            kind: "aid",
            title_zh,
            title_en,
            body_zh: &body_zh,
            body_en: &body_en,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(format!("{id}: {} -> {}", from.as_str(), to.as_str()))
}

/// The member's notification for a transition.
fn wording(
    change: &Change,
    program_zh: &str,
    program_en: &str,
    card: Option<&str>,
) -> (&'static str, &'static str, String, String) {
    let note = change.note.as_deref().unwrap_or("");
    let amount = change
        .amount_fen
        .map(|f| Fen(f).display_yuan())
        .unwrap_or_default();
    match change.transition.to() {
        AidStatus::UnderReview => (
            "帮扶申请审核中",
            "Aid application under review",
            format!("您的“{program_zh}”申请已进入审核。"),
            format!("Your application to {program_en} is now under review."),
        ),
        AidStatus::MoreInfoNeeded => (
            "帮扶申请需要补充材料",
            "More documents needed for your aid application",
            format!("您的“{program_zh}”申请需要补充材料：{note}。请在申请详情中上传后提交。"),
            format!(
                "Your application to {program_en} needs more documents: {note}. Upload them from the application page."
            ),
        ),
        AidStatus::Approved => (
            "帮扶申请已批准",
            "Aid application approved",
            format!("您的“{program_zh}”申请已批准，帮扶金额 {amount}，将发放至您的会员服务卡。"),
            format!(
                "Your application to {program_en} is approved: {amount}, to be paid onto your member card."
            ),
        ),
        AidStatus::Paid => {
            let card = card.map(mask::card_number).unwrap_or_default();
            (
                "帮扶金已发放",
                "Aid paid to your card",
                format!("“{program_zh}”帮扶金 {amount} 已发放至您的会员服务卡（{card}），请查收。"),
                format!("{amount} from {program_en} has been paid onto your member card ({card})."),
            )
        }
        AidStatus::Rejected => (
            "帮扶申请未通过",
            "Aid application not approved",
            format!(
                "很遗憾，您的“{program_zh}”申请未通过审核。原因：{note}。如有疑问请拨打 12351。"
            ),
            format!(
                "Sorry, your application to {program_en} was not approved. Reason: {note}. Call 12351 with any questions."
            ),
        ),
        AidStatus::Submitted | AidStatus::Withdrawn => (
            "帮扶申请状态更新",
            "Aid application updated",
            format!("您的“{program_zh}”申请状态已更新。"),
            format!("Your application to {program_en} has been updated."),
        ),
    }
}
