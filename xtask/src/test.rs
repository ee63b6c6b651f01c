//! `cargo xtask test`: every check CI runs, in order, ending with one summary line.
use std::process::ExitCode;

use crate::bundle;
use crate::process::{Counts, run_tests, succeeds};
use crate::tools::{CHROMEDRIVER, CHROMIUM, Needs, Tools, step};
use crate::{Result, root, target_dir};

/// Tallies of the whole run.
#[derive(Default)]
struct Summary {
    levels: Vec<(&'static str, Counts)>,
    checks: Vec<(String, bool)>,
}

impl Summary {
    fn level(&mut self, name: &'static str, counts: Counts) {
        self.levels.push((name, counts));
    }

    fn check(&mut self, name: impl Into<String>, ok: bool) {
        self.checks.push((name.into(), ok));
    }

    fn total(&self) -> Counts {
        let mut total = Counts::default();
        for (_, counts) in &self.levels {
            total.add(*counts);
        }
        total
    }

    fn failed(&self) -> bool {
        self.total().failed > 0 || self.checks.iter().any(|(_, ok)| !ok)
    }

    fn line(&self) -> String {
        let total = self.total();
        let levels: Vec<String> = self
            .levels
            .iter()
            .map(|(name, c)| format!("{name} {}/{}", c.passed, c.passed + c.failed))
            .collect();
        let checks: Vec<String> = self
            .checks
            .iter()
            .map(|(name, ok)| format!("{name} {}", if *ok { "ok" } else { "FAILED" }))
            .collect();
        format!(
            "SUMMARY: {} passed, {} failed, {} skipped ({}); checks: {}",
            total.passed,
            total.failed,
            total.ignored,
            levels.join(", "),
            checks.join(", ")
        )
    }
}

pub fn run() -> Result<ExitCode> {
    let tools = Tools::bootstrap(Needs::TEST)?;
    let mut summary = Summary::default();

    step("cargo fmt --check");
    summary.check(
        "fmt",
        succeeds(tools.cargo().args(["fmt", "--all", "--check"])),
    );

    step("cargo clippy (workspace, all targets, -D warnings)");
    let clippy = [
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ];
    summary.check("clippy", succeeds(tools.cargo().args(clippy)));
    let clippy_wasm = [
        "clippy",
        "-p",
        "portal",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ];
    summary.check("clippy-wasm", succeeds(tools.cargo().args(clippy_wasm)));

    step("Native unit tests (contract, portal logic, xtask)");
    let units = ["test", "--workspace", "--exclude", "server"];
    summary.level("unit", run_tests(tools.cargo().args(units)));

    step("Server tests over real HTTP (SQLite; PostgreSQL when PORTAL_TEST_PG_URL is set)");
    summary.level(
        "server",
        run_tests(tools.cargo().args(["test", "-p", "server"])),
    );

    step("Release bundle and first-load budget");
    match bundle::build(&tools) {
        Ok(report) => {
            report.print();
            summary.check(
                format!(
                    "budget {:.1}/{:.0} KiB",
                    report.first_load_kib(),
                    report.budget_kib
                ),
                report.within_budget(),
            );
            step("wasm-bindgen tests in headless Chromium");
            summary.level("wasm", run_tests(&mut wasm_tests(&tools)));
            step("End-to-end tests: the built portal, the real server, headless Chromium");
            summary.level("e2e", run_e2e(&tools));
        }
        Err(message) => {
            eprintln!("error: {message}");
            summary.check("bundle", false);
        }
    }

    let line = summary.line();
    println!("{line}");
    Ok(if summary.failed() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn wasm_tests(tools: &Tools) -> std::process::Command {
    let mut command = tools.cargo();
    command
        .args([
            "test",
            "-p",
            "portal",
            "--target",
            "wasm32-unknown-unknown",
            "--test",
            "web",
        ])
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        )
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    command
}

fn run_e2e(tools: &Tools) -> Counts {
    if !succeeds(tools.cargo().args(["build", "-p", "server"])) {
        return Counts {
            failed: 1,
            ..Counts::default()
        };
    }
    let root = root();
    run_tests(
        tools
            .cargo()
            .args(["test", "-p", "portal", "--features", "e2e", "--test", "e2e"])
            .env("PORTAL_SERVER_BIN", target_dir().join("debug/server"))
            .env("PORTAL_DIST_DIR", root.join("dist"))
            .env("PORTAL_AXE_JS", tools.axe_script())
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("CHROME_BIN", CHROMIUM),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_every_level_and_names_failed_checks() {
        let mut summary = Summary::default();
        summary.level(
            "unit",
            Counts {
                passed: 3,
                failed: 0,
                ignored: 1,
            },
        );
        summary.level(
            "e2e",
            Counts {
                passed: 2,
                failed: 1,
                ignored: 0,
            },
        );
        summary.check("fmt", true);
        summary.check("clippy", false);
        assert!(summary.failed());
        assert_eq!(
            summary.line(),
            "SUMMARY: 5 passed, 1 failed, 1 skipped (unit 3/3, e2e 2/3); checks: fmt ok, clippy FAILED"
        );
    }
}
