//! The reference member-service API: axum over HTTP, sqlx over SQLite or PostgreSQL, and the
//! static server of the built portal.
pub mod admin;
pub mod aid;
pub mod card_lifecycle;
pub mod clock;
pub mod config;
pub mod cors;
pub mod crypto;
pub mod db;
pub mod documents;
pub mod error;
pub mod extract;
pub mod http;
pub mod keys;
pub mod lang;
pub mod metrics;
pub mod notify;
pub mod ops;
pub mod proxy;
pub mod seed;
pub mod session_rules;
pub mod sessions;
pub mod sms;
pub mod static_files;
pub mod telemetry;
pub mod throttle;
pub mod wechat;

use std::io::Write;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::clock::Clock;
use crate::config::{Cli, Command, Config};
use crate::crypto::PasswordHashing;
use crate::db::Db;
use crate::sms::SmsGateway;

/// Why the server could not start, phrased for the person who started it.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {addr}: {source} (is another server using that port? try --port)")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("cannot use data directory {path}: {source} (choose another with --data-dir)")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Database(#[from] db::DbError),
    #[error("cannot prepare the database: {0}")]
    Setup(#[from] sqlx::Error),
    #[error("server stopped: {0}")]
    Serve(std::io::Error),
    #[error(transparent)]
    Admin(#[from] admin::AdminError),
    #[error(transparent)]
    Keys(#[from] keys::KeyError),
    #[error(transparent)]
    Sms(#[from] sms::SmsConfigError),
    #[error(transparent)]
    Deploy(#[from] ops::DeployError),
    #[error(transparent)]
    Storage(#[from] documents::StorageConfigError),
}

/// Shared by every request handler. Everything lasting lives in the database, so any number
/// of instances can serve behind a load balancer.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub portal: Arc<static_files::Portal>,
    pub db: Db,
    pub clock: Arc<Clock>,
    pub hashing: Arc<PasswordHashing>,
    pub sms: Arc<dyn SmsGateway>,
    /// Signing keys per purpose (e-card, WeChat bind, offline e-card devices).
    pub keys: Arc<keys::Keys>,
    /// Calls the WeChat API (OAuth code exchange).
    pub wechat: wechat::WeChat,
    /// Counters and histograms for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
    /// Where uploaded documents' bytes are kept (the database or an object store).
    pub documents: documents::Documents,
}

impl AppState {
    /// Opens the database (applying migrations) and assembles the state for serving: outside
    /// development, the signing keys must be configured.
    pub async fn new(config: Config) -> Result<AppState, StartError> {
        AppState::with_keys(config, keys::Unconfigured::Serve, sms::Purpose::Serve).await
    }

    /// The state for a command that signs nothing (seeding, admin actions).
    pub async fn for_command(config: Config) -> Result<AppState, StartError> {
        AppState::with_keys(config, keys::Unconfigured::Throwaway, sms::Purpose::Command).await
    }

    async fn with_keys(
        config: Config,
        policy: keys::Unconfigured,
        purpose: sms::Purpose,
    ) -> Result<AppState, StartError> {
        prepare_data_dir(&config)?;
        let db = db::connect(&config.database_url()).await?;
        let clock = Arc::new(Clock::default());
        let keys = keys::Keys::load(&config, &db, policy).await?;
        let portal = static_files::Portal::load(&config);
        let hashing = PasswordHashing::with_queue(
            config.argon2_memory_kib,
            config.argon2_iterations,
            config.hashing_threads,
            config.hashing_queue,
        );
        let metrics = Arc::new(metrics::Metrics::new());
        let sms = sms::gateway(&config, &db, &clock, &metrics, purpose)?;
        let wechat = wechat::WeChat::new(&config);
        let documents = documents::Documents::from_config(&config.storage, &db)?;
        Ok(AppState {
            documents,
            wechat,
            config: Arc::new(config),
            portal: Arc::new(portal),
            db,
            clock,
            hashing: Arc::new(hashing),
            sms,
            keys: Arc::new(keys),
            metrics,
        })
    }
}

/// Runs what the command line asks for; serving is the default.
pub async fn main_with(cli: Cli) -> Result<(), StartError> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => run(cli.config).await,
        Command::Seed => {
            let state = AppState::for_command(cli.config).await?;
            if !seed::seed_if_empty(&state).await? {
                announce("the database already has members; nothing seeded");
            }
            Ok(())
        }
        Command::Admin(command) => {
            let state = AppState::for_command(cli.config).await?;
            announce(&admin::run(&state, command).await?);
            Ok(())
        }
    }
}

/// Prepares the state, binds, announces the address and serves until stopped.
pub async fn run(config: Config) -> Result<(), StartError> {
    config.deploy.check()?;
    let seed = config.seed_demo;
    let state = AppState::new(config).await?;
    if seed {
        seed::seed_if_empty(&state).await?;
    }
    let addr = format!("{}:{}", state.config.host, state.config.port);
    let listener = TcpListener::bind(&addr)
        .await
        .map_err(|source| StartError::Bind {
            addr: addr.clone(),
            source,
        })?;
    let local = listener.local_addr().map_err(StartError::Serve)?;
    let metrics = match state.config.deploy.metrics_addr {
        Some(addr) => Some(
            TcpListener::bind(addr)
                .await
                .map_err(|source| StartError::Bind {
                    addr: addr.to_string(),
                    source,
                })?,
        ),
        None => None,
    };
    documents::sweep::spawn(state.clone());
    announce(&format!("listening on http://{local}"));
    let stop = ops::Stop::on_signal();
    if let Some(listener) = metrics {
        let addr = listener.local_addr().map_err(StartError::Serve)?;
        announce(&format!("metrics on http://{addr}/metrics"));
        tokio::spawn(ops::serve_metrics(listener, state.clone(), stop.clone()));
    }
    serve_until_stopped(listener, state, stop).await
}

/// Serves until SIGTERM or SIGINT; then accepts nothing more, lets in-flight requests finish
/// within the grace period, and closes the database pool.
async fn serve_until_stopped(
    listener: TcpListener,
    state: AppState,
    stop: ops::Stop,
) -> Result<(), StartError> {
    let grace = std::time::Duration::from_secs(state.config.deploy.shutdown_grace_seconds);
    let server = axum::serve(
        listener,
        http::app(state.clone()).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(stop.clone().requested());
    let served = tokio::select! {
        served = std::future::IntoFuture::into_future(server) => served.map_err(StartError::Serve),
        () = stop.grace_expired(grace) => {
            tracing::warn!(seconds = grace.as_secs(), "requests still running after the grace period; stopping anyway");
            Ok(())
        }
    };
    // A connection still held by a request cut off at the deadline must not hold the exit.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), state.db.close()).await;
    announce("stopped");
    served
}

/// A random secret stored once, so every instance and restart agrees on it.
pub(crate) async fn shared_secret(db: &Db, name: &str) -> Result<String, sqlx::Error> {
    let candidate = crypto::random_hex(32);
    // Two instances starting at once: the first insert wins, both read the winner.
    let insert = sqlx::query("INSERT INTO server_secrets (name, value) VALUES ($1, $2)")
        .bind(name)
        .bind(&candidate)
        .execute(db)
        .await;
    if let Err(error) = insert
        && !db::is_unique_violation(&error)
    {
        return Err(error);
    }
    sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = $1")
        .bind(name)
        .fetch_one(db)
        .await
}

/// The data directory must exist and be writable before anything is stored in it.
fn prepare_data_dir(config: &Config) -> Result<(), StartError> {
    let path = &config.data_dir;
    let error = |source| StartError::DataDir {
        path: path.display().to_string(),
        source,
    };
    std::fs::create_dir_all(path).map_err(error)?;
    let probe = path.join(".write-test");
    std::fs::write(&probe, b"ok").map_err(error)?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

/// One line on stdout, flushed at once: scripts and the e2e harness wait for it.
pub fn announce(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}
