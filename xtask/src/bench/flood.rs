//! A sign-in flood against the release server: 200 clients at once keep signing in with
//! unknown phones and wrong passwords (each costs the server one Argon2 verification at the
//! production cost) while a probe times `/api/health` and a signed-in member's `GET
//! /api/v1/card`. Prints p50/p99/max with and without the flood: the async workers must stay
//! responsive while passwords are hashed.
//!
//! The per-address sign-in limit would stop a one-machine flood after 30 tries, so the server
//! is started with it lifted (`PORTAL_IP_FAILURES_LIMIT`): this measures an attacker spread over
//! many addresses. `BENCH_SERVER_BIN` measures another build (e.g. an older commit's).
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::Result;

/// Concurrent sign-in clients.
pub const CLIENTS: usize = 200;
/// How long the flood lasts.
const FLOOD: Duration = Duration::from_secs(10);
/// Probes of each URL without the flood.
const IDLE_PROBES: usize = 200;

/// Answers of one plain HTTP/1.1 request on a fresh connection: status and elapsed time.
fn request(host: &str, head: &str, body: &str) -> Result<(u16, Duration)> {
    let started = Instant::now();
    let mut stream = TcpStream::connect(host).map_err(|e| format!("cannot reach {host}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|e| e.to_string())?;
    let message = format!(
        "{head}\r\nHost: {host}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(message.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).map_err(|e| e.to_string())?;
    let status = String::from_utf8_lossy(&answer)
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok((status, started.elapsed()))
}

/// p50, p99 and max of the samples, in milliseconds, on one line.
fn spread(samples: &mut [Duration]) -> String {
    if samples.is_empty() {
        return "no samples".to_owned();
    }
    samples.sort_unstable();
    let at = |p: f64| {
        let index = ((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1;
        samples[index].as_secs_f64() * 1000.0
    };
    format!(
        "p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} requests)",
        at(0.50),
        at(0.99),
        at(1.0),
        samples.len()
    )
}

/// The two probes: liveness, and a member read that goes through the session and database.
struct Probe<'a> {
    host: &'a str,
    cookie: &'a str,
}

impl Probe<'_> {
    fn health(&self) -> Result<Duration> {
        self.get("GET /api/health HTTP/1.1", "")
    }

    fn card(&self) -> Result<Duration> {
        self.get(
            "GET /api/v1/card HTTP/1.1",
            &format!("\r\nCookie: {}", self.cookie),
        )
    }

    fn get(&self, line: &str, extra: &str) -> Result<Duration> {
        let (status, elapsed) = request(self.host, &format!("{line}{extra}"), "")?;
        if status != 200 {
            return Err(format!("{line} answered {status}"));
        }
        Ok(elapsed)
    }
}

/// Runs the idle and flooded measurements and returns the report lines.
pub fn measure(base: &str, cookie: &str) -> Result<Vec<String>> {
    let host = base
        .strip_prefix("http://")
        .ok_or("the bench server is not on plain HTTP")?;
    let probe = Probe { host, cookie };
    let (mut health, mut card) = (Vec::new(), Vec::new());
    for _ in 0..IDLE_PROBES {
        health.push(probe.health()?);
        card.push(probe.card()?);
    }
    let mut lines = vec![
        format!("idle: /api/health {}", spread(&mut health)),
        format!("idle: GET /api/v1/card {}", spread(&mut card)),
    ];
    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Tally::default());
    let flooders: Vec<_> = (0..CLIENTS)
        .map(|n| {
            let (stop, tally, host) = (stop.clone(), tally.clone(), host.to_owned());
            std::thread::spawn(move || flood(&host, n, &stop, &tally))
        })
        .collect();
    // Let every client get going before timing.
    std::thread::sleep(Duration::from_secs(1));
    let (mut health, mut card) = (Vec::new(), Vec::new());
    let mut failed = (0, 0);
    let started = Instant::now();
    while started.elapsed() < FLOOD {
        // Under the flood a probe may fail: count it, keep measuring.
        match probe.health() {
            Ok(elapsed) => health.push(elapsed),
            Err(_) => failed.0 += 1,
        }
        match probe.card() {
            Ok(elapsed) => card.push(elapsed),
            Err(_) => failed.1 += 1,
        }
    }
    stop.store(true, Ordering::Relaxed);
    for flooder in flooders {
        let _ = flooder.join();
    }
    lines.push(format!(
        "flood ({CLIENTS} concurrent unknown-phone password sign-ins, {} s): {}",
        FLOOD.as_secs(),
        tally.summary()
    ));
    lines.push(format!(
        "flood: /api/health {}; {} failed",
        spread(&mut health),
        failed.0
    ));
    lines.push(format!(
        "flood: GET /api/v1/card {}; {} failed",
        spread(&mut card),
        failed.1
    ));
    Ok(lines)
}

/// How the flood's sign-ins were answered.
#[derive(Default)]
struct Tally {
    wrong: AtomicUsize,
    busy: AtomicUsize,
    limited: AtomicUsize,
    other: AtomicUsize,
}

impl Tally {
    fn count(&self, status: u16) {
        let counter = match status {
            401 => &self.wrong,
            503 => &self.busy,
            429 => &self.limited,
            _ => &self.other,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    fn summary(&self) -> String {
        let get = |c: &AtomicUsize| c.load(Ordering::Relaxed);
        format!(
            "{} answered 401 (hashed), {} 503 server_busy, {} 429, {} other/failed",
            get(&self.wrong),
            get(&self.busy),
            get(&self.limited),
            get(&self.other)
        )
    }
}

/// One flooding client: sign-ins with never-registered phones, one after another.
fn flood(host: &str, client: usize, stop: &AtomicBool, tally: &Tally) {
    let mut n = 0usize;
    while !stop.load(Ordering::Relaxed) {
        let phone = format!("139{:04}{:04}", client % 10_000, n % 10_000);
        let body = format!(r#"{{"phone":"{phone}","password":"guess-{n}"}}"#);
        let head = "POST /api/v1/auth/password-sign-in HTTP/1.1\r\nContent-Type: application/json";
        match request(host, head, &body) {
            Ok((status, _)) => tally.count(status),
            Err(_) => tally.count(0),
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_read_from_the_sorted_samples() {
        let mut samples: Vec<Duration> = (1..=100).rev().map(Duration::from_millis).collect();
        assert_eq!(
            spread(&mut samples),
            "p50 50.0 ms, p99 99.0 ms, max 100.0 ms (100 requests)"
        );
        assert_eq!(spread(&mut []), "no samples");
    }
}
