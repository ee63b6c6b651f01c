//! The database: SQLite embedded by default (a WAL-mode file in the data directory), PostgreSQL
//! when `DATABASE_URL` says so. One set of portable migrations and queries serves both.
use std::path::Path;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};

pub type Db = AnyPool;

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("cannot apply database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// The default database: `portal.db` inside the data directory.
pub fn default_url(data_dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", data_dir.join("portal.db").display())
}

/// Connects, configures SQLite for concurrent use and applies pending migrations.
pub async fn connect(url: &str) -> Result<Db, DbError> {
    install_default_drivers();
    let sqlite = url.starts_with("sqlite:");
    let pool = AnyPoolOptions::new()
        .max_connections(if sqlite { 8 } else { 16 })
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if sqlite {
                    // WAL lets readers proceed during a write; the busy timeout makes writers
                    // queue instead of failing under concurrent requests.
                    conn.execute("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;")
                        .await?;
                }
                Ok(())
            })
        })
        .connect(url)
        .await
        .map_err(|source| DbError::Connect { url: redact(url), source })?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

/// A URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://***{}", &url[..scheme], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// Whether an error is a unique-constraint violation (a lost race, a duplicate key).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|e| e.is_unique_violation())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_not_echoed_in_messages() {
        assert_eq!(
            redact("postgres://user:secret@db:5432/portal"),
            "postgres://***@db:5432/portal"
        );
        assert_eq!(redact("sqlite://data/portal.db"), "sqlite://data/portal.db");
    }
}
