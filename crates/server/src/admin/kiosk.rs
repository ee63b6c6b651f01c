//! `server admin kiosk …`: enrolling and revoking service-centre kiosk devices. Only an
//! enrolled kiosk's browser can show hand-off QR codes and claim the sign-ins they lead to.
use crate::crypto::{new_id, random_hex, sha256_hex};
use crate::db::Db;

/// How long an enrolment address stays usable.
const ENROLMENT_SECONDS: i64 = 24 * 3600;

/// The operator's commands.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum KioskCommand {
    /// Print a one-time enrolment address for the kiosk called NAME (valid 24 hours); open it
    /// on that kiosk. Enrolling an existing name again replaces its old credential.
    Enroll {
        #[arg(long)]
        name: String,
        /// The kiosk deployment's public address, e.g. `https://kiosk.union.example`; the
        /// printed address starts with it.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        kiosk_url: String,
    },
    /// Revoke the kiosk's credential at once (a stolen or retired device).
    Revoke {
        #[arg(long)]
        name: String,
    },
    /// List the kiosks and whether each is enrolled, pending or revoked.
    List,
}

/// Why a kiosk command failed.
#[derive(Debug, thiserror::Error)]
pub enum KioskAdminError {
    #[error("a kiosk name is 1 to 64 characters")]
    BadName,
    #[error("no kiosk called {0}")]
    Unknown(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Runs one command; returns what to print.
pub async fn run(db: &Db, now: i64, command: KioskCommand) -> Result<String, KioskAdminError> {
    match command {
        KioskCommand::Enroll { name, kiosk_url } => {
            let token = enroll(db, now, &name).await?;
            Ok(format!(
                "open this address on the kiosk \"{}\" within 24 hours (it works once):\n{}/api/v1/kiosk/enrol?token={token}",
                name.trim(),
                kiosk_url.trim_end_matches('/')
            ))
        }
        KioskCommand::Revoke { name } => {
            // Its sessions end with it (they would be refused anyway: see `sessions::touch`).
            sqlx::query(
                "DELETE FROM sessions WHERE device_id IN (SELECT id FROM kiosk_devices WHERE name = $1)",
            )
            .bind(name.trim())
            .execute(db)
            .await?;
            let revoked = sqlx::query(
                "UPDATE kiosk_devices SET revoked_at = $1, credential_hash = NULL, enrolment_hash = NULL
                 WHERE name = $2",
            )
            .bind(now)
            .bind(name.trim())
            .execute(db)
            .await?
            .rows_affected();
            if revoked == 0 {
                return Err(KioskAdminError::Unknown(name));
            }
            Ok(format!("kiosk \"{}\" revoked", name.trim()))
        }
        KioskCommand::List => list(db).await,
    }
}

/// Creates or re-enrols the kiosk `name`; returns the one-time enrolment token.
pub async fn enroll(db: &Db, now: i64, name: &str) -> Result<String, KioskAdminError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(KioskAdminError::BadName);
    }
    let token = random_hex(16);
    let hash = sha256_hex(&token);
    let expires = now + ENROLMENT_SECONDS;
    // Re-enrolling replaces the old credential; a new name is a new device.
    let updated = sqlx::query(
        "UPDATE kiosk_devices SET enrolment_hash = $1, enrolment_expires_at = $2,
             credential_hash = NULL, enrolled_at = NULL, revoked_at = NULL
         WHERE name = $3",
    )
    .bind(&hash)
    .bind(expires)
    .bind(name)
    .execute(db)
    .await?
    .rows_affected();
    if updated == 0 {
        sqlx::query(
            "INSERT INTO kiosk_devices (id, name, enrolment_hash, enrolment_expires_at, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(new_id("kio"))
        .bind(name)
        .bind(&hash)
        .bind(expires)
        .bind(now)
        .execute(db)
        .await?;
    }
    Ok(token)
}

/// A kiosk as the list shows it.
#[derive(sqlx::FromRow)]
struct KioskRow {
    name: String,
    enrolled_at: Option<i64>,
    revoked_at: Option<i64>,
}

async fn list(db: &Db) -> Result<String, KioskAdminError> {
    let rows: Vec<KioskRow> =
        sqlx::query_as("SELECT name, enrolled_at, revoked_at FROM kiosk_devices ORDER BY name")
            .fetch_all(db)
            .await?;
    if rows.is_empty() {
        return Ok("no kiosks enrolled".to_owned());
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let state = match (row.enrolled_at, row.revoked_at) {
                (_, Some(_)) => "revoked",
                (Some(_), None) => "enrolled",
                (None, None) => "pending enrolment",
            };
            format!("{}\t{state}", row.name)
        })
        .collect::<Vec<_>>()
        .join("\n"))
}
