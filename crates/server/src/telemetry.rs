//! Logging: `RUST_LOG`-style filtering to stderr, as text lines or JSON objects
//! (`--log-format json`). Handlers never log personal data unmasked.
use tracing_subscriber::EnvFilter;

use crate::ops::LogFormat;

pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().with_current_span(true).try_init(),
    };
}
