//! Where uploaded documents' bytes live: a [`DocumentStore`] keyed by object key
//! (`aid/att_…`). The database's own `document_blobs` table is the default (nothing else to
//! run); any S3-compatible object store (Alibaba OSS, Tencent COS, MinIO, AWS S3) is chosen
//! with `--object-store s3`. Each document's row records which store holds it, so a union
//! that moves to object storage still serves the documents stored before.
pub mod s3;
pub mod sweep;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use clap::{Args, ValueEnum};

use crate::db::Db;

/// A boxed future, so stores can sit behind `dyn DocumentStore`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Why a store could not do what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("document database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("object store unreachable: {0}")]
    Unreachable(#[from] reqwest::Error),
    #[error("object store answered {status} {code}")]
    Refused { status: u16, code: String },
}

/// Keeps documents' bytes by key. Puts overwrite; deleting a missing key is not an error.
pub trait DocumentStore: Send + Sync {
    /// The name recorded in each document's row (`database`, `s3`).
    fn name(&self) -> &'static str;
    fn put<'a>(
        &'a self,
        key: &'a str,
        content_type: &'a str,
        bytes: Vec<u8>,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<Vec<u8>>, StoreError>>;
    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StoreError>>;
}

/// The object key of an aid attachment.
pub fn aid_key(attachment_id: &str) -> String {
    format!("aid/{attachment_id}")
}

/// Which store new documents go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ObjectStoreKind {
    /// The server's database (`document_blobs`): embedded, nothing else to run or back up.
    Database,
    /// An S3-compatible object store, addressed path-style (`<endpoint>/<bucket>/<key>`).
    S3,
}

/// Document storage flags (flattened into the server's configuration).
#[derive(Clone, Args)]
pub struct StorageConfig {
    /// Where uploaded documents are stored: the database (default) or an S3-compatible
    /// object store (Alibaba OSS, Tencent COS, MinIO …; needs the --s3-* flags).
    #[arg(
        long,
        global = true,
        env = "PORTAL_OBJECT_STORE",
        value_enum,
        default_value = "database"
    )]
    pub object_store: ObjectStoreKind,
    /// The object store's endpoint, e.g. `https://oss-cn-guangzhou.aliyuncs.com` or
    /// `http://127.0.0.1:9000`; requests go to `<endpoint>/<bucket>/<key>`.
    #[arg(long, global = true, env = "PORTAL_S3_ENDPOINT")]
    pub s3_endpoint: Option<String>,
    /// The bucket holding the documents (create it first; keep it private).
    #[arg(long, global = true, env = "PORTAL_S3_BUCKET")]
    pub s3_bucket: Option<String>,
    /// The region in the request signatures (e.g. `oss-cn-guangzhou`, `ap-guangzhou`).
    #[arg(
        long,
        global = true,
        env = "PORTAL_S3_REGION",
        default_value = "us-east-1"
    )]
    pub s3_region: String,
    /// The access key id.
    #[arg(long, global = true, env = "PORTAL_S3_ACCESS_KEY")]
    pub s3_access_key: Option<String>,
    /// The secret access key (never logged).
    #[arg(
        long,
        global = true,
        env = "PORTAL_S3_SECRET_KEY",
        hide_env_values = true
    )]
    pub s3_secret_key: Option<String>,
    /// Hours an uploaded document may stay unattached to any application before the sweep
    /// deletes it (from the database and the object store).
    #[arg(
        long,
        global = true,
        env = "PORTAL_UPLOAD_GRACE_HOURS",
        default_value_t = 72
    )]
    pub upload_grace_hours: i64,
}

impl fmt::Debug for StorageConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StorageConfig")
            .field("object_store", &self.object_store)
            .field("s3_endpoint", &self.s3_endpoint)
            .field("s3_bucket", &self.s3_bucket)
            .field("s3_region", &self.s3_region)
            .field("s3_access_key", &self.s3_access_key)
            .field(
                "s3_secret_key",
                &self.s3_secret_key.as_ref().map(|_| "[redacted]"),
            )
            .field("upload_grace_hours", &self.upload_grace_hours)
            .finish()
    }
}

/// A configuration that cannot work, said at start-up rather than at the first upload.
#[derive(Debug, thiserror::Error)]
pub enum StorageConfigError {
    #[error("--object-store s3 needs {0}")]
    Missing(&'static str),
    #[error("--s3-endpoint {0:?} is not an http(s) URL")]
    BadEndpoint(String),
}

/// The stores in use: new documents go to `primary`; reads follow each row's `stored_in`.
#[derive(Clone)]
pub struct Documents {
    primary: Arc<dyn DocumentStore>,
    database: Arc<DatabaseStore>,
}

impl Documents {
    pub fn from_config(config: &StorageConfig, db: &Db) -> Result<Self, StorageConfigError> {
        let database = Arc::new(DatabaseStore { db: db.clone() });
        let primary: Arc<dyn DocumentStore> = match config.object_store {
            ObjectStoreKind::Database => database.clone(),
            ObjectStoreKind::S3 => Arc::new(s3::S3Store::from_config(config)?),
        };
        Ok(Documents { primary, database })
    }

    /// Where new documents go.
    pub fn primary(&self) -> &dyn DocumentStore {
        self.primary.as_ref()
    }

    /// The store a row's `stored_in` names, if this server can reach it.
    pub fn holding(&self, stored_in: &str) -> Option<&dyn DocumentStore> {
        if stored_in == self.primary.name() {
            Some(self.primary.as_ref())
        } else if stored_in == self.database.name() {
            Some(self.database.as_ref())
        } else {
            None
        }
    }
}

/// The default store: a table in the server's own database, so every instance sees every
/// document and a database backup holds them all.
pub struct DatabaseStore {
    db: Db,
}

impl DocumentStore for DatabaseStore {
    fn name(&self) -> &'static str {
        "database"
    }

    fn put<'a>(
        &'a self,
        key: &'a str,
        _content_type: &'a str,
        bytes: Vec<u8>,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            // Keys are fresh ids, so a plain insert; a retried put replaces the bytes.
            sqlx::query("DELETE FROM document_blobs WHERE object_key = $1")
                .bind(key)
                .execute(&self.db)
                .await?;
            sqlx::query("INSERT INTO document_blobs (object_key, content) VALUES ($1, $2)")
                .bind(key)
                .bind(bytes)
                .execute(&self.db)
                .await?;
            Ok(())
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<Vec<u8>>, StoreError>> {
        Box::pin(async move {
            Ok(
                sqlx::query_scalar("SELECT content FROM document_blobs WHERE object_key = $1")
                    .bind(key)
                    .fetch_optional(&self.db)
                    .await?,
            )
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            sqlx::query("DELETE FROM document_blobs WHERE object_key = $1")
                .bind(key)
                .execute(&self.db)
                .await?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Flags {
        #[command(flatten)]
        storage: StorageConfig,
    }

    #[test]
    fn the_secret_key_is_not_in_debug_output() {
        let flags = Flags::parse_from([
            "server",
            "--object-store",
            "s3",
            "--s3-secret-key",
            "wJalrXUtnFEMI",
            "--s3-access-key",
            "AKIDEXAMPLE",
        ]);
        let shown = format!("{:?}", flags.storage);
        assert!(!shown.contains("wJalrXUtnFEMI"), "{shown}");
        assert!(shown.contains("[redacted]") && shown.contains("AKIDEXAMPLE"));
    }
}
