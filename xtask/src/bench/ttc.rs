//! Time to content (`ttc.mjs`): a signed-in member on a throttled phone, cold and repeat
//! visit, until home's card and messages, the card (masked number and e-card QR), the first
//! offer, the member's cover, their profile or the first aid programme is on screen.
use std::path::Path;

use crate::Result;
use crate::tools::{CHROMIUM, Tools, step};

/// The screens measured and what must be on screen for each to count as shown.
const SCREENS: [(&str, &[&str]); 6] = [
    ("/", &[".ecard-number", ".messages li"]),
    ("/card", &[".card-number", ".ecard-qr .qr-code"]),
    ("/offers", &[".offer-list li.offer"]),
    ("/insurance", &[".entitlements li.entitlement"]),
    ("/me", &["[data-field=id-number]"]),
    ("/aid", &[".aid-programs li.aid-program"]),
];
/// Runs per screen; the median is reported.
pub const RUNS: usize = 3;

/// One screen's runs, as `ttc.mjs` reports them.
#[derive(Debug, PartialEq)]
struct Measured {
    route: String,
    cold: Vec<f64>,
    repeat: Vec<f64>,
    cold_requests: Vec<f64>,
    repeat_requests: Vec<f64>,
}

/// Measures every screen and returns one report line each.
pub fn lines(tools: &Tools, base: &str, cookie: &str, out: &Path) -> Result<Vec<String>> {
    step(&format!(
        "Time to content (4x CPU, 150 ms RTT, 1.6 Mbps; median of {RUNS}, cold and repeat)"
    ));
    let screens: Vec<_> = SCREENS
        .iter()
        .map(|(route, ready)| serde_json::json!({ "route": route, "ready": ready }))
        .collect();
    let input = serde_json::json!({
        "toolsDir": tools.tools_dir(),
        "chrome": CHROMIUM,
        "base": base,
        "cookie": cookie,
        "runs": RUNS,
        "screens": screens,
    });
    let script = crate::root().join("xtask/src/bench/ttc.mjs");
    let output = tools
        .command("node")
        .arg(script)
        .env("TTC_INPUT", input.to_string())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    std::fs::write(out.join("ttc.jsonl"), &stdout).map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!("time-to-content run failed ({})", output.status));
    }
    stdout
        .lines()
        .filter(|line| line.starts_with('{'))
        .map(|line| parse(line).map(|m| summarise(&m)))
        .collect()
}

fn parse(line: &str) -> Result<Measured> {
    let value: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("ttc output: {e}"))?;
    let numbers = |key: &str| -> Vec<f64> {
        value[key]
            .as_array()
            .map(|a| a.iter().filter_map(serde_json::Value::as_f64).collect())
            .unwrap_or_default()
    };
    Ok(Measured {
        route: value["route"].as_str().unwrap_or("?").to_owned(),
        cold: numbers("cold"),
        repeat: numbers("repeat"),
        cold_requests: numbers("coldRequests"),
        repeat_requests: numbers("repeatRequests"),
    })
}

fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied()
}

fn summarise(m: &Measured) -> String {
    let seconds =
        |v: &[f64]| median(v).map_or("?".to_owned(), |ms| format!("{:.2} s", ms / 1000.0));
    let count = |v: &[f64]| median(v).map_or("?".to_owned(), |n| format!("{n:.0}"));
    format!(
        "time to content {}: cold {} ({} requests), repeat {} ({} requests) [runs: cold {:?} ms, repeat {:?} ms]",
        m.route,
        seconds(&m.cold),
        count(&m.cold_requests),
        seconds(&m.repeat),
        count(&m.repeat_requests),
        m.cold,
        m.repeat,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_screen_is_summarised_by_its_medians() {
        let m = parse(
            r#"{"route":"/card","cold":[3400,3100,3900],"repeat":[1200,1000,1100],"coldRequests":[60,58,61],"repeatRequests":[9,9,9]}"#,
        )
        .expect("valid line");
        assert_eq!(
            summarise(&m),
            "time to content /card: cold 3.40 s (60 requests), repeat 1.10 s (9 requests) \
             [runs: cold [3400.0, 3100.0, 3900.0] ms, repeat [1200.0, 1000.0, 1100.0] ms]"
        );
    }
}
