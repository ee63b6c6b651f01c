//! The reference member-service API: axum over HTTP, serving the portal's static bundle too.
pub mod config;
pub mod error;
pub mod http;
pub mod static_files;
pub mod telemetry;

use std::io::Write;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::config::Config;

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
    #[error("server stopped: {0}")]
    Serve(std::io::Error),
}

/// Shared by every request handler.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub portal: Arc<static_files::Portal>,
}

/// Prepares the state, binds, announces the address and serves until stopped.
pub async fn run(config: Config) -> Result<(), StartError> {
    prepare_data_dir(&config)?;
    let portal = static_files::Portal::load(&config);
    let state = AppState {
        config: Arc::new(config),
        portal: Arc::new(portal),
    };
    let addr = format!("{}:{}", state.config.host, state.config.port);
    let listener = TcpListener::bind(&addr)
        .await
        .map_err(|source| StartError::Bind {
            addr: addr.clone(),
            source,
        })?;
    let local = listener.local_addr().map_err(StartError::Serve)?;
    announce(&format!("listening on http://{local}"));
    axum::serve(
        listener,
        http::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(StartError::Serve)
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
fn announce(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
