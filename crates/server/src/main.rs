//! The server binary: parse configuration, start, and turn start-up failures into one clear line.
use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = server::config::Cli::parse();
    server::telemetry::init(cli.config.deploy.log_format);
    match server::main_with(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
