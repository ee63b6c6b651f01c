//! `cargo xtask bench --trace <route>`: the long tasks of a signed-in member's cold visit to one
//! route on a throttled phone, each with what filled it (`trace.mjs`). The trace itself is
//! written to `target/bench/trace-<route>.json` (DevTools' Performance panel opens it). Build
//! with `PORTAL_WASM_NAMES=1` to see the wasm functions by their Rust names.
use std::path::Path;

use crate::Result;
use crate::tools::{CHROMIUM, Tools, step};

/// One long task, as `trace.mjs` reports it.
#[derive(Debug, PartialEq)]
struct LongTask {
    start_ms: f64,
    ms: f64,
    events: Vec<(String, f64)>,
    functions: Vec<(String, f64)>,
}

/// Traces one visit to `route` and returns one report line per long task.
pub fn lines(
    tools: &Tools,
    base: &str,
    cookie: &str,
    route: &str,
    out: &Path,
) -> Result<Vec<String>> {
    step(&format!(
        "Tracing a cold visit to {route} (4x CPU, 150 ms RTT, 1.6 Mbps)"
    ));
    let name = match route.trim_matches('/') {
        "" => "home".to_owned(),
        path => path.replace('/', "-"),
    };
    let file = out.join(format!("trace-{name}.json"));
    let input = serde_json::json!({
        "toolsDir": tools.tools_dir(),
        "chrome": CHROMIUM,
        "base": base,
        "cookie": cookie,
        "route": route,
        "out": file,
    });
    let output = tools
        .command("node")
        .arg(crate::root().join("xtask/src/bench/trace.mjs"))
        .env("TRACE_INPUT", input.to_string())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !output.status.success() {
        return Err(format!("the trace failed ({})", output.status));
    }
    let tasks = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| line.starts_with('{'))
        .map(parse)
        .collect::<Result<Vec<_>>>()?;
    let blocking: f64 = tasks.iter().map(|t| t.ms - 50.0).sum();
    let mut lines = vec![format!(
        "{route}: {} long tasks, {blocking:.0} ms over 50 ms in all (trace: {})",
        tasks.len(),
        file.display()
    )];
    lines.extend(tasks.iter().map(summarise));
    Ok(lines)
}

fn parse(line: &str) -> Result<LongTask> {
    let value: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("trace output: {e}"))?;
    let named = |key: &str| -> Vec<(String, f64)> {
        value[key]
            .as_array()
            .map(|pairs| {
                pairs
                    .iter()
                    .filter_map(|pair| Some((pair[0].as_str()?.to_owned(), pair[1].as_f64()?)))
                    .collect()
            })
            .unwrap_or_default()
    };
    Ok(LongTask {
        start_ms: value["startMs"].as_f64().unwrap_or_default(),
        ms: value["ms"].as_f64().unwrap_or_default(),
        events: named("events"),
        functions: named("functions"),
    })
}

fn summarise(task: &LongTask) -> String {
    let list = |pairs: &[(String, f64)]| {
        pairs
            .iter()
            .map(|(name, ms)| format!("{} {ms:.0}", readable(name)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "  at {:.0} ms, {:.0} ms: events (nested) {}; on top of the stack {}",
        task.start_ms,
        task.ms,
        list(&task.events),
        list(&task.functions),
    )
}

/// A wasm function's Rust name, demangled, with type arguments inside type arguments elided:
/// `<tachys::view::either::Either<…> as tachys::view::Mountable>::mount`.
fn readable(name: &str) -> String {
    if !(name.starts_with("_R") || name.starts_with("_ZN")) {
        return name.to_owned();
    }
    let full = format!("{:#}", rustc_demangle::demangle(name));
    let mut short = String::with_capacity(full.len());
    let mut depth = 0usize;
    for c in full.chars() {
        match c {
            '<' => {
                depth += 1;
                if depth <= 2 {
                    short.push(c);
                }
                if depth == 2 {
                    short.push('…');
                }
            }
            '>' => {
                if depth <= 2 {
                    short.push(c);
                }
                depth = depth.saturating_sub(1);
            }
            _ if depth < 2 => short.push(c),
            _ => {}
        }
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_task_is_summarised_with_what_filled_it() {
        let task = parse(
            r#"{"startMs":812,"ms":143,"events":[["FunctionCall",120],["Layout",15]],"functions":[["portal::app::App",40],["(program)",12]]}"#,
        )
        .expect("valid line");
        assert_eq!(
            summarise(&task),
            "  at 812 ms, 143 ms: events (nested) FunctionCall 120, Layout 15; \
             on top of the stack portal::app::App 40, (program) 12"
        );
    }

    #[test]
    fn wasm_functions_are_named_as_in_rust_with_nested_type_arguments_elided() {
        assert_eq!(readable("_RNvCs56VzdcKDAXT_6portal4main"), "portal::main");
        assert_eq!(
            readable(
                "_RNvXs_NtNtCsjZ5EKYQySZx_6tachys4view6eitherINtCsl4wkij8t8sr_9either_of6EitherNtNtB6_8any_view12AnyViewStateNtNtNtCsi2fhEg4hzVm_7web_sys8features11gen_Comment7CommentENtB6_9Mountable5mountCs2pHnT6RE6YB_13leptos_router"
            ),
            "<either_of::Either<…> as tachys::view::Mountable>::mount"
        );
        assert_eq!(readable("(program)"), "(program)");
    }
}
