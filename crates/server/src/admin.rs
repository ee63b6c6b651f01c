//! `server admin …`: what the union's back office and the partner bank do to members' records,
//! as commands, so every workflow can be exercised end to end without their systems.
use clap::Subcommand;
use contract::mask;
use contract::validate::PhoneNumber;

use crate::AppState;

pub mod aid;
pub mod kiosk;
use crate::card_lifecycle::{self, CardEventKind};

/// Administrative actions.
#[derive(Debug, Clone, Subcommand)]
pub enum AdminCommand {
    /// Record a card event reported by the bank or the union system (moves the card's status
    /// and notifies the member), e.g. `admin card-event --phone 13800000002 --event activated`.
    CardEvent {
        /// The member's mobile number.
        #[arg(long)]
        phone: String,
        /// What happened to the card.
        #[arg(long, value_enum)]
        event: CardEventKind,
        /// A note kept with the history entry.
        #[arg(long)]
        detail: Option<String>,
    },
    /// Review hardship-aid applications: list, review, request-info, approve, pay, reject.
    #[command(subcommand)]
    Aid(aid::AidCommand),
    /// Service-centre kiosk devices: enroll (prints a one-time address), revoke, list.
    #[command(subcommand)]
    Kiosk(kiosk::KioskCommand),
}

/// Why an admin command failed, worded for the operator.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("{0}")]
    Invalid(String),
    #[error("no member with phone {0}")]
    UnknownMember(String),
    #[error(transparent)]
    Card(#[from] card_lifecycle::LifecycleError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Aid(#[from] aid::AidAdminError),
    #[error(transparent)]
    Kiosk(#[from] kiosk::KioskAdminError),
}

/// Runs one command and returns the line to print.
pub async fn run(state: &AppState, command: AdminCommand) -> Result<String, AdminError> {
    match command {
        AdminCommand::CardEvent {
            phone,
            event,
            detail,
        } => {
            let member_id = member_by_phone(state, &phone).await?;
            let status = card_lifecycle::apply(state, &member_id, event, detail.as_deref()).await?;
            Ok(format!(
                "card of {} is now {}",
                mask::phone(&phone),
                status.as_str()
            ))
        }
        AdminCommand::Aid(command) => Ok(aid::run(&state.db, state.clock.now(), command).await?),
        AdminCommand::Kiosk(command) => {
            Ok(kiosk::run(&state.db, state.clock.now(), command).await?)
        }
    }
}

/// The member id for a phone number, as operators know members.
pub async fn member_by_phone(state: &AppState, phone: &str) -> Result<String, AdminError> {
    let phone = PhoneNumber::parse(phone).map_err(|e| AdminError::Invalid(e.to_string()))?;
    sqlx::query_scalar("SELECT id FROM members WHERE phone = $1")
        .bind(phone.as_str())
        .fetch_optional(&state.db)
        .await?
        .ok_or_else(|| AdminError::UnknownMember(phone.masked()))
}
