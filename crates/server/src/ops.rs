//! Running in production: the deployment flags (trusted proxies, shutdown grace, metrics
//! listener, log format), readiness, graceful shutdown and the metrics listener.
use std::net::SocketAddr;
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use clap::{Args, ValueEnum};
use ipnet::IpNet;
use serde::Serialize;

use crate::AppState;
use crate::error::ApiError;
use crate::proxy::ForwardedHeader;

/// How logs are written to stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One human-readable line per event.
    Text,
    /// One JSON object per line (for a log collector).
    Json,
}

/// Flags for running behind a proxy, stopping cleanly and being observed.
#[derive(Debug, Clone, Args)]
pub struct DeployConfig {
    /// Reverse proxies whose forwarding header is believed, as CIDR blocks or addresses
    /// (repeat the flag or separate with commas), e.g. `10.0.0.0/8,127.0.0.1`. Requests from
    /// other peers are keyed by the peer's address whatever they send.
    #[arg(
        long = "trusted-proxy",
        global = true,
        env = "PORTAL_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_parser = crate::proxy::parse_cidr
    )]
    pub trusted_proxies: Vec<IpNet>,
    /// The header the trusted proxies set: `x-forwarded-for` (nginx's
    /// `$proxy_add_x_forwarded_for`) or RFC 7239 `forwarded`. The other one is ignored.
    #[arg(
        long,
        global = true,
        env = "PORTAL_FORWARDED_HEADER",
        value_enum,
        default_value = "x-forwarded-for"
    )]
    pub forwarded_header: ForwardedHeader,
    /// Replaced by --trusted-proxy; refused with a message saying so.
    #[arg(long, global = true, env = "PORTAL_TRUST_FORWARDED_FOR", hide = true)]
    pub trust_forwarded_for: bool,
    /// After SIGTERM or SIGINT: seconds in-flight requests may take to finish before the
    /// server stops anyway (it stops accepting connections at once).
    #[arg(
        long,
        global = true,
        env = "PORTAL_SHUTDOWN_GRACE_SECONDS",
        default_value_t = 30
    )]
    pub shutdown_grace_seconds: u64,
    /// Serve Prometheus metrics at `/metrics` on this address (e.g. `127.0.0.1:9100`), a
    /// listener of its own that must not be reachable from the internet. Off by default.
    #[arg(long, global = true, env = "PORTAL_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,
    /// Log format on stderr.
    #[arg(
        long,
        global = true,
        env = "PORTAL_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    pub log_format: LogFormat,
}

/// A deployment flag that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    #[error(
        "--trust-forwarded-for (PORTAL_TRUST_FORWARDED_FOR) was replaced by --trusted-proxy CIDR: name the proxies whose X-Forwarded-For is believed, e.g. --trusted-proxy 127.0.0.1"
    )]
    TrustForwardedForRemoved,
}

impl DeployConfig {
    pub fn check(&self) -> Result<(), DeployError> {
        if self.trust_forwarded_for {
            return Err(DeployError::TrustForwardedForRemoved);
        }
        Ok(())
    }
}

/// The answer of `/api/ready`.
#[derive(Serialize)]
pub struct Readiness {
    /// Always `ready`.
    pub status: String,
}

/// How long the readiness probe waits for the database.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// Ready when the database answers: a load balancer sends traffic only to instances that can
/// serve it (liveness is `/api/health`, which needs nothing). Like `/api/health` it is an
/// operations probe outside the versioned API, so it is not in the OpenAPI document (whose
/// operations are all under `/api/v1` and its session rules).
pub async fn ready(State(state): State<AppState>) -> Response {
    let probe = tokio::time::timeout(READY_TIMEOUT, sqlx::query("SELECT 1").execute(&state.db));
    match probe.await {
        Ok(Ok(_)) => Json(Readiness {
            status: "ready".to_owned(),
        })
        .into_response(),
        Ok(Err(error)) => {
            tracing::warn!(%error, "not ready: the database refused the probe");
            ApiError::NotReady.into_response()
        }
        Err(_) => {
            tracing::warn!("not ready: the database did not answer in time");
            ApiError::NotReady.into_response()
        }
    }
}

/// Resolves at the first SIGTERM (what systemd and container platforms send) or SIGINT.
pub async fn stop_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("SIGINT: stopping"),
        () = terminate => tracing::info!("SIGTERM: stopping"),
    }
}

/// A stop that many tasks can wait for: set once by the signal.
#[derive(Clone)]
pub struct Stop(tokio::sync::watch::Receiver<bool>);

impl Stop {
    /// Starts listening for SIGTERM and SIGINT.
    pub fn on_signal() -> Stop {
        let (tx, rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            stop_signal().await;
            let _ = tx.send(true);
        });
        Stop(rx)
    }

    /// Resolves once the stop was asked for.
    pub async fn requested(mut self) {
        let _ = self.0.wait_for(|stopped| *stopped).await;
    }

    /// Resolves `grace` after the stop was asked for: in-flight requests had their time.
    pub async fn grace_expired(self, grace: Duration) {
        self.requested().await;
        tokio::time::sleep(grace).await;
    }
}

/// Serves `/metrics` on its own listener until the stop.
pub async fn serve_metrics(
    listener: tokio::net::TcpListener,
    state: AppState,
    stop: Stop,
) -> std::io::Result<()> {
    let app = axum::Router::new()
        .route("/metrics", axum::routing::get(metrics))
        .with_state(state);
    axum::serve(listener, app)
        .with_graceful_shutdown(stop.requested())
        .await
}

async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(&state.db),
    )
        .into_response()
}
