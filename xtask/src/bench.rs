//! `cargo xtask bench`: dist sizes, time to content on a throttled phone (`bench/ttc.rs`) and
//! Lighthouse (mobile preset, median of three) against the real server, and the server's
//! responsiveness under a sign-in flood (`bench/flood.rs`), reported on the terminal and in
//! `target/bench/`. `--flood-only` runs just the flood (it needs only the release server);
//! `--quick` measures time to content and one Lighthouse run per route at normal text size
//! (`--quick --large-text`: at doubled text), without the flood. `--trace <route>` lists the
//! long tasks of one cold visit and what filled them (`bench/trace.rs`). Not part of the
//! tests: timings are noisy.
mod flood;
mod scale;
mod trace;
mod ttc;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ExitCode, Stdio};

use crate::bundle;
use crate::process;
use crate::tools::{CHROMIUM, Needs, Tools, step};
use crate::{Result, root, target_dir};

/// The public route measured: the page the peer's figures are for.
const PUBLIC_ROUTE: &str = "/login";
/// The member routes, measured signed in (the session cookie passed to Lighthouse).
const MEMBER_ROUTES: [&str; 6] = ["/", "/card", "/offers", "/insurance", "/aid", "/me"];
/// The demo member Lighthouse signs in as.
const DEMO_PHONE: &str = "13800000001";
const DEMO_PASSWORD: &str = "Union2026";
const CHROME_FLAGS: &str = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --disable-background-networking --disable-component-update --disable-sync --no-first-run";

pub fn run(args: &[String]) -> Result<ExitCode> {
    if let Some(code) = scale::only(args)? {
        return Ok(code);
    }
    if args.iter().any(|a| a == "--flood-only") {
        let tools = Tools::bootstrap(Needs::BUILD)?;
        build_server(&tools)?;
        let out = bench_dir()?;
        let lines = flood_lines(&out)?;
        return write_report(&out, "flood.txt", &lines);
    }
    if let Some(at) = args.iter().position(|a| a == "--trace") {
        let route = args
            .get(at + 1)
            .ok_or("--trace needs a route, e.g. /offers")?;
        return trace_only(route);
    }
    let quick = args.iter().any(|a| a == "--quick");
    let tools = Tools::bootstrap(Needs::BENCH)?;
    let report = bundle::build(&tools)?;
    report.print();
    build_server(&tools)?;
    let out = bench_dir()?;
    let (mut server, base) = start_server(&out, "data", &[])?;
    let mut lines = vec![format!(
        "first-load brotli: {:.1} KiB (budget {:.0} KiB)",
        report.first_load_kib(),
        report.budget_kib
    )];
    let cookie = sign_in_cookie(&base)?;
    match ttc::lines(&tools, &base, &cookie, &out) {
        Ok(measured) => lines.extend(measured),
        Err(e) => lines.push(format!("time to content failed: {e}")),
    }
    let modes = [("normal text", false), ("text at 200%", true)];
    let (modes, runs) = if quick {
        let large_text = args.iter().any(|a| a == "--large-text");
        (if large_text { &modes[1..] } else { &modes[..1] }, 1)
    } else {
        (&modes[..], ttc::RUNS)
    };
    for (mode, large_text) in modes.iter().copied() {
        let public = profile(&tools, &out, &base, large_text, None)?;
        let member = profile(&tools, &out, &base, large_text, Some(&cookie))?;
        let visits = std::iter::once((PUBLIC_ROUTE, &public))
            .chain(MEMBER_ROUTES.into_iter().map(|r| (r, &member)));
        for (route, profile) in visits {
            let run = Run {
                base: &base,
                route,
                profile,
                large_text,
                out: &out,
                runs,
            };
            match lighthouse(&tools, &run) {
                Ok(line) => lines.push(format!("[{mode}] {line}")),
                Err(e) => lines.push(format!("[{mode}] {route}: lighthouse failed: {e}")),
            }
        }
    }
    let _ = server.kill();
    let _ = server.wait();
    if !quick {
        lines.extend(flood_lines(&out)?);
        lines.extend(scale::lines(&out)?);
    }
    write_report(&out, "report.txt", &lines)
}

/// `--trace <route>`: the bundle and the release server, then one traced visit.
fn trace_only(route: &str) -> Result<ExitCode> {
    let tools = Tools::bootstrap(Needs::BENCH)?;
    bundle::build(&tools)?;
    build_server(&tools)?;
    let out = bench_dir()?;
    let (mut server, base) = start_server(&out, "data", &[])?;
    let measured =
        sign_in_cookie(&base).and_then(|cookie| trace::lines(&tools, &base, &cookie, route, &out));
    let _ = server.kill();
    let _ = server.wait();
    write_report(&out, "trace.txt", &measured?)
}

fn build_server(tools: &Tools) -> Result<()> {
    step("Building the server (release)");
    process::run(tools.cargo().args(["build", "--release", "-p", "server"]))
}

fn bench_dir() -> Result<std::path::PathBuf> {
    let out = target_dir().join("bench");
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create target/bench: {e}"))?;
    Ok(out)
}

/// Prints the lines and writes them to `target/bench/<name>`.
fn write_report(out: &Path, name: &str, lines: &[String]) -> Result<ExitCode> {
    let summary = lines.join("\n");
    println!("\n{summary}");
    std::fs::write(out.join(name), format!("{summary}\n")).map_err(|e| e.to_string())?;
    println!("report: target/bench/{name}");
    Ok(ExitCode::SUCCESS)
}

/// The sign-in flood, twice, each on a fresh server of its own with the per-address limit
/// lifted: with the default hashing queue (past it sign-ins get 503 at once, so the clients
/// spin: a request flood), and with a queue long enough that every sign-in is hashed (the
/// clients wait: a hashing flood, comparable with a build that has no queue).
fn flood_lines(out: &Path) -> Result<Vec<String>> {
    let unlimited = ("PORTAL_IP_FAILURES_LIMIT", "1000000000");
    let mut lines = Vec::new();
    for (label, queue) in [
        ("default queue", None),
        (
            "every sign-in hashed",
            Some(("PORTAL_HASHING_QUEUE", "100000")),
        ),
    ] {
        step(&format!(
            "Sign-in flood ({label}): {} clients against the release server",
            flood::CLIENTS
        ));
        let env: Vec<_> = std::iter::once(unlimited).chain(queue).collect();
        let (mut server, base) = start_server(out, "flood-data", &env)?;
        let measured = sign_in_cookie(&base).and_then(|cookie| flood::measure(&base, &cookie));
        let _ = server.kill();
        let _ = server.wait();
        lines.extend(measured?.into_iter().map(|l| format!("[{label}] {l}")));
    }
    Ok(lines)
}

/// Starts the release server (or `BENCH_SERVER_BIN`) on a fresh data directory.
fn start_server(out: &Path, data_name: &str, env: &[(&str, &str)]) -> Result<(Child, String)> {
    let data = out.join(data_name);
    let _ = std::fs::remove_dir_all(&data);
    let binary = std::env::var_os("BENCH_SERVER_BIN")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| target_dir().join("release/server"));
    let mut child = std::process::Command::new(binary)
        .current_dir(root())
        .envs(env.iter().copied())
        .args([
            "--port",
            "0",
            "--dist-dir",
            "dist",
            "--seed-demo",
            "--insecure-cookies",
            // Development mode: the server generates its signing keys.
            "--dev-outbox",
        ])
        .arg("--data-dir")
        .arg(&data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let stdout = child.stdout.take().ok_or("server has no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let base = lines
        .by_ref()
        .map_while(|l| l.ok())
        .find_map(|line| line.strip_prefix("listening on ").map(str::to_owned))
        .ok_or("the server exited before listening")?;
    std::thread::spawn(move || lines.for_each(drop));
    Ok((child, base))
}

/// Signs the demo member in over plain HTTP and returns the `Cookie` header value.
fn sign_in_cookie(base: &str) -> Result<String> {
    use std::io::{Read, Write};
    let host = base
        .strip_prefix("http://")
        .ok_or("the bench server is not on plain HTTP")?;
    let body = format!(r#"{{"phone":"{DEMO_PHONE}","password":"{DEMO_PASSWORD}"}}"#);
    let request = format!(
        "POST /api/v1/auth/password-sign-in HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream =
        std::net::TcpStream::connect(host).map_err(|e| format!("cannot reach {host}: {e}"))?;
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| e.to_string())?;
    let cookies: Vec<&str> = answer
        .lines()
        .take_while(|line| !line.is_empty())
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("set-cookie")
                .then(|| value.trim().split(';').next().unwrap_or_default())
        })
        .collect();
    if cookies.is_empty() {
        return Err(format!(
            "the demo sign-in set no cookie: {}",
            answer.lines().next().unwrap_or("")
        ));
    }
    Ok(cookies.join("; "))
}

/// A fresh Chromium profile for Lighthouse: with `large_text` its default text size is doubled,
/// as when a member raises the font size in WeChat or the browser; with `cookie` the demo
/// member's cookies are in its cookie jar (`bench/cookies.mjs`), as in a browser that signed in.
fn profile(
    tools: &Tools,
    out: &Path,
    base: &str,
    large_text: bool,
    cookie: Option<&str>,
) -> Result<std::path::PathBuf> {
    let text = if large_text {
        "large-text"
    } else {
        "normal-text"
    };
    let who = if cookie.is_some() { "member" } else { "public" };
    let profile = out.join(format!("profile-{text}-{who}"));
    let _ = std::fs::remove_dir_all(&profile);
    let default = profile.join("Default");
    std::fs::create_dir_all(&default).map_err(|e| e.to_string())?;
    if large_text {
        let preferences =
            r#"{"webkit":{"webprefs":{"default_font_size":32,"default_fixed_font_size":26}}}"#;
        std::fs::write(default.join("Preferences"), preferences).map_err(|e| e.to_string())?;
    }
    if let Some(cookie) = cookie {
        let input = serde_json::json!({
            "toolsDir": tools.tools_dir(),
            "chrome": CHROMIUM,
            "profile": profile,
            "base": base,
            "cookie": cookie,
        });
        let script = root().join("xtask/src/bench/cookies.mjs");
        process::run(
            tools
                .command("node")
                .arg(script)
                .env("COOKIES_INPUT", input.to_string()),
        )?;
    }
    Ok(profile)
}

/// One Lighthouse run: a route, in a profile signed in or not (see `profile`), with normal or
/// doubled text.
struct Run<'a> {
    base: &'a str,
    route: &'a str,
    profile: &'a Path,
    large_text: bool,
    out: &'a Path,
    /// Lighthouse runs; the one with the median performance score is reported.
    runs: usize,
}

/// Runs Lighthouse's default (mobile) preset on one route `run.runs` times and returns a
/// one-line summary of the run with the median performance score.
fn lighthouse(tools: &Tools, run: &Run<'_>) -> Result<String> {
    let mut reports = (0..run.runs.max(1))
        .map(|attempt| lighthouse_retried(tools, run, attempt))
        .collect::<Result<Vec<_>>>()?;
    reports.sort_by(|a, b| performance(a).total_cmp(&performance(b)));
    Ok(summarise(run.route, &reports[reports.len() / 2]))
}

fn performance(lhr: &serde_json::Value) -> f64 {
    lhr["categories"]["performance"]["score"]
        .as_f64()
        .unwrap_or(0.0)
}

/// One Lighthouse run, tried again when Lighthouse itself fails: now and then it loses the
/// trace of a load (`NO_NAVSTART`) and exits with an error or scores nothing, which says
/// nothing of the page.
fn lighthouse_retried(tools: &Tools, run: &Run<'_>, attempt: usize) -> Result<serde_json::Value> {
    const TRIES: usize = 3;
    let mut failure = String::new();
    for _ in 0..TRIES {
        match lighthouse_once(tools, run, attempt) {
            Ok(report) if report["categories"]["performance"]["score"].is_number() => {
                return Ok(report);
            }
            Ok(report) => failure = format!("no score: {}", report["runtimeError"]["code"]),
            Err(error) => failure = error,
        }
    }
    Err(format!("{failure} ({TRIES} tries)"))
}

/// One Lighthouse run; its JSON report is kept in `target/bench/`.
fn lighthouse_once(tools: &Tools, run: &Run<'_>, attempt: usize) -> Result<serde_json::Value> {
    let Run {
        base,
        route,
        profile,
        large_text,
        out,
        ..
    } = run;
    step(&format!(
        "Lighthouse (mobile) {route} (run {})",
        attempt + 1
    ));
    let name = if *route == "/" {
        "home".to_owned()
    } else {
        route.trim_matches('/').replace('/', "-")
    };
    let suffix = if *large_text { "-large-text" } else { "" };
    let json = out.join(format!("lighthouse-{name}{suffix}-{}.json", attempt + 1));
    let flags = format!("{CHROME_FLAGS} --user-data-dir={}", profile.display());
    let mut command = tools.command(tools.node_bin("lighthouse"));
    command
        .arg(format!("{base}{route}"))
        .args([
            "--quiet",
            "--output=json",
            "--only-categories=performance,accessibility,best-practices",
        ])
        .arg(format!("--output-path={}", json.display()))
        .arg(format!("--chrome-flags={flags}"))
        .env("CHROME_PATH", CHROMIUM);
    process::run(&mut command)?;
    let text = std::fs::read_to_string(&json).map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

fn summarise(route: &str, lhr: &serde_json::Value) -> String {
    let score = |cat: &str| {
        lhr["categories"][cat]["score"]
            .as_f64()
            .map(|s| format!("{:.0}", s * 100.0))
    };
    let audit = |id: &str| {
        lhr["audits"][id]["displayValue"]
            .as_str()
            .unwrap_or("?")
            .replace('\u{a0}', " ")
    };
    let bytes = lhr["audits"]["total-byte-weight"]["numericValue"]
        .as_f64()
        .unwrap_or(0.0)
        / 1024.0;
    // How fast this machine ran Lighthouse's own benchmark just before the page: blocking time
    // is the page's main-thread work times 4, so it moves with the machine's speed.
    let machine = lhr["environment"]["benchmarkIndex"]
        .as_f64()
        .map_or_else(|| "?".to_owned(), |index| format!("{index:.0}"));
    format!(
        "{route}: performance {} accessibility {} best-practices {} FCP {} LCP {} TBT {} CLS {} transferred {bytes:.1} KiB (machine benchmarkIndex {machine})",
        score("performance").unwrap_or_else(|| "?".into()),
        score("accessibility").unwrap_or_else(|| "?".into()),
        score("best-practices").unwrap_or_else(|| "?".into()),
        audit("first-contentful-paint"),
        audit("largest-contentful-paint"),
        audit("total-blocking-time"),
        audit("cumulative-layout-shift"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lighthouse_report_is_summarised_on_one_line() {
        let lhr = serde_json::json!({
            "categories": {
                "performance": {"score": 0.97},
                "accessibility": {"score": 1.0},
                "best-practices": {"score": 0.96}
            },
            "audits": {
                "first-contentful-paint": {"displayValue": "0.9\u{a0}s"},
                "largest-contentful-paint": {"displayValue": "1.2\u{a0}s"},
                "total-blocking-time": {"displayValue": "40\u{a0}ms"},
                "cumulative-layout-shift": {"displayValue": "0"},
                "total-byte-weight": {"numericValue": 102400.0}
            },
            "environment": {"benchmarkIndex": 2444.4}
        });
        assert_eq!(
            summarise("/login", &lhr),
            "/login: performance 97 accessibility 100 best-practices 96 FCP 0.9 s LCP 1.2 s TBT 40 ms CLS 0 transferred 100.0 KiB (machine benchmarkIndex 2444)"
        );
    }
}
