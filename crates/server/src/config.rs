//! Configuration: every flag is also an environment variable; `--help` lists them all.
use std::path::PathBuf;

use clap::Parser;

/// The reference member-service API and portal server.
#[derive(Debug, Clone, Parser)]
#[command(version, about)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "PORTAL_HOST", default_value = "127.0.0.1")]
    pub host: String,
    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "PORTAL_PORT", default_value_t = 8080)]
    pub port: u16,
    /// Directory for the embedded database and uploaded documents.
    #[arg(long, env = "PORTAL_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// The built portal (Trunk's dist/).
    #[arg(long, env = "PORTAL_DIST_DIR", default_value = "./dist")]
    pub dist_dir: PathBuf,
    /// The API base the portal is told to use (injected into index.html).
    #[arg(long, env = "PORTAL_API_BASE", default_value = "/api")]
    pub portal_api_base: String,
    /// Drop the `Secure` cookie attribute, for plain-HTTP development on localhost.
    #[arg(long, env = "PORTAL_INSECURE_COOKIES")]
    pub insecure_cookies: bool,
    /// Enable the development SMS outbox endpoint (never in production).
    #[arg(long, env = "PORTAL_DEV_OUTBOX")]
    pub dev_outbox: bool,
    /// Seed demo data when the database is empty.
    #[arg(long, env = "PORTAL_SEED_DEMO")]
    pub seed_demo: bool,
}

impl Config {
    /// A configuration for tests: a free port, the given data and dist directories.
    pub fn for_tests(data_dir: PathBuf, dist_dir: PathBuf) -> Self {
        Config::parse_from(["server", "--port", "0"]).with_dirs(data_dir, dist_dir)
    }

    fn with_dirs(mut self, data_dir: PathBuf, dist_dir: PathBuf) -> Self {
        self.data_dir = data_dir;
        self.dist_dir = dist_dir;
        self
    }
}
