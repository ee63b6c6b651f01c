//! Project automation: `cargo xtask serve | test | bench | build`.
//!
//! Every command first installs what is missing (and only that), so the README's two commands
//! work on a fresh machine and reuse whatever is already installed at the right version.
mod bench;
mod bundle;
mod pipeline;
mod process;
mod route_plan;
mod test;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [args]

commands:
  serve [server flags]   install missing tools, build the portal (release), start the server
                         on http://127.0.0.1:8080 with demo data; flags such as --port and
                         --data-dir pass through to the server (see `cargo run -p server -- --help`)
  test                   the full check: fmt, clippy, unit, server HTTP, wasm and end-to-end tests,
                         and the first-load size budget; ends with one summary line
  bench [--quick [--large-text] | --flood-only | --scale-only | --trace <route>]
                         dist file sizes (raw/gzip/brotli), time to content and Lighthouse
                         (mobile), the server's latency under a sign-in flood and at scale, into
                         target/bench/; --trace lists one cold visit's long tasks and their causes
  build                  install missing tools and build the release bundle into dist/";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();
    let result = match command.as_str() {
        "serve" => serve(&rest),
        "test" => test::run(),
        "bench" => bench::run(&rest),
        "build" => build(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this crate).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// Cargo's target directory: `CARGO_TARGET_DIR` when set, else `target/` in the workspace.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                root().join(dir)
            }
        })
        .unwrap_or_else(|| root().join("target"))
}

/// Errors here are messages for the person at the terminal.
pub type Result<T> = std::result::Result<T, String>;

fn build() -> Result<ExitCode> {
    let tools = tools::Tools::bootstrap(tools::Needs::BUILD)?;
    let report = bundle::build(&tools)?;
    report.print();
    Ok(ExitCode::SUCCESS)
}

fn serve(server_args: &[String]) -> Result<ExitCode> {
    let tools = tools::Tools::bootstrap(tools::Needs::BUILD)?;
    bundle::build(&tools)?.print();
    tools::step("Building the server (release; first time ~5 min)");
    process::run(tools.cargo().args(["build", "--release", "-p", "server"]))?;
    let mut server = std::process::Command::new(target_dir().join("release/server"));
    server
        .current_dir(root())
        .args([
            "--dist-dir",
            "dist",
            "--seed-demo",
            "--dev-outbox",
            "--insecure-cookies",
        ])
        .args(server_args);
    println!("Starting the server; stop it with Ctrl-C.");
    let status = server
        .status()
        .map_err(|e| format!("could not start the server: {e}"))?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
