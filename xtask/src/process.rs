//! Running child processes, with test-result lines picked out of their output.
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::Result;

/// Runs a command with inherited output; an unsuccessful exit is an error.
pub fn run(command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .map_err(|e| format!("could not run {}: {e}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(command)))
    }
}

/// Runs a command and returns whether it succeeded, for steps whose failure is counted, not fatal.
pub fn succeeds(command: &mut Command) -> bool {
    run(command).map_err(|e| eprintln!("{e}")).is_ok()
}

/// The first line a command prints on stdout, if it runs at all.
pub fn output_line(command: &mut Command) -> Option<String> {
    let output = command.stderr(Stdio::null()).output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines().next().map(|line| line.trim().to_owned())
}

/// Counts from libtest's `test result:` lines.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub passed: u32,
    pub failed: u32,
    pub ignored: u32,
}

impl Counts {
    pub fn add(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.ignored += other.ignored;
    }

    /// Parses `test result: ok. 3 passed; 1 failed; 2 ignored; ...`.
    pub fn parse(line: &str) -> Option<Counts> {
        let rest = line.trim().strip_prefix("test result: ")?;
        let number_before = |word: &str| {
            rest.split(';')
                .find_map(|part| {
                    part.trim()
                        .strip_suffix(word)?
                        .trim()
                        .rsplit(' ')
                        .next()?
                        .parse()
                        .ok()
                })
                .unwrap_or(0)
        };
        Some(Counts {
            passed: number_before(" passed"),
            failed: number_before(" failed"),
            ignored: number_before(" ignored"),
        })
    }
}

/// Runs a test command, echoing its output, and sums its `test result:` lines. A command that
/// fails without reporting a failed test (e.g. a build error) counts as one failure.
pub fn run_tests(command: &mut Command) -> Counts {
    let mut counts = Counts::default();
    let child = command.stdout(Stdio::piped()).spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            eprintln!("could not run {}: {e}", describe(command));
            return Counts {
                failed: 1,
                ..Counts::default()
            };
        }
    };
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
            println!("{line}");
            if let Some(found) = Counts::parse(&line) {
                counts.add(found);
            }
        }
    }
    let success = child.wait().map(|s| s.success()).unwrap_or(false);
    if !success && counts.failed == 0 {
        counts.failed = 1;
    }
    counts
}

fn describe(command: &Command) -> String {
    let args: Vec<_> = command.get_args().map(|a| a.to_string_lossy()).collect();
    format!(
        "`{} {}`",
        command.get_program().to_string_lossy(),
        args.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libtest_result_lines_are_counted() {
        let line = "test result: FAILED. 12 passed; 2 failed; 3 ignored; 0 measured; 0 filtered out; finished in 0.01s";
        assert_eq!(
            Counts::parse(line),
            Some(Counts {
                passed: 12,
                failed: 2,
                ignored: 3
            })
        );
    }

    #[test]
    fn other_lines_are_not_results() {
        assert_eq!(Counts::parse("running 3 tests"), None);
    }
}
