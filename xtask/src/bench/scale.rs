//! The scale drill: release server instances behind a real nginx on one PostgreSQL, showing
//! with figures that they behave as one server (sessions on any instance, the last coupon,
//! idempotent aid submission, SMS and sign-in throttles), then requests/s and p50/p99 of card,
//! offers and sign-in through nginx with one and with two instances.
//!
//! `cargo xtask bench --scale-only` runs just this. Needs PostgreSQL (`PORTAL_BENCH_PG_URL`,
//! default `postgres://postgres@127.0.0.1:5432/postgres`, with `psql`) and nginx (installed
//! with apt-get when missing and running as root). Everything runs on this one machine, so
//! the load generator, nginx, the instances and PostgreSQL share its cores: the figures show
//! how the parts scale relative to each other, not what a server farm would do.
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use crate::process;
use crate::tools::{Needs, Tools, step};
use crate::{Result, root, target_dir};

const INSTANCES: usize = 2;
/// Concurrent clients of the load phase.
const CLIENTS: usize = 16;
/// How long each endpoint is loaded.
const LOAD: Duration = Duration::from_secs(8);
const DATABASE: &str = "portal_scale_bench";
const PASSWORD: &str = "Union2026";
const ZHANG_WEI: &str = "13800000001";
/// The seeded offer with one coupon left, and the aid programme the drill applies to.
const LAST_ONE_OFFER: &str = "ofr_flash_park";
const GOLDEN_AUTUMN: &str = "aidp_golden_autumn";
const JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1,
];

/// `cargo xtask bench --scale-only`: `Some(exit code)` when asked for, `None` otherwise.
pub fn only(args: &[String]) -> Result<Option<ExitCode>> {
    if !args.iter().any(|a| a == "--scale-only") {
        return Ok(None);
    }
    // BENCH_SERVER_BIN names another build to measure; otherwise the release server.
    if std::env::var_os("BENCH_SERVER_BIN").is_none() {
        let tools = Tools::bootstrap(Needs::BUILD)?;
        step("Building the server (release)");
        process::run(tools.cargo().args(["build", "--release", "-p", "server"]))?;
    }
    let out = target_dir().join("bench");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let lines = lines(&out)?;
    let summary = lines.join("\n");
    println!("\n{summary}");
    std::fs::write(out.join("scale.txt"), format!("{summary}\n")).map_err(|e| e.to_string())?;
    println!("report: target/bench/scale.txt");
    Ok(Some(ExitCode::SUCCESS))
}

/// Runs the whole drill and returns its report lines.
pub fn lines(out: &Path) -> Result<Vec<String>> {
    let nginx = ensure_nginx()?;
    let dir = out.join("scale");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let database = Database::fresh()?;
    step(&format!(
        "Scale drill: {INSTANCES} server instances behind nginx on PostgreSQL"
    ));
    // One after another: the first seeds the empty database, the others find it seeded.
    let instances = (0..INSTANCES)
        .map(|n| Instance::start(&dir, n, &database.url))
        .collect::<Result<Vec<_>>>()?;
    let mut lines = vec![format!(
        "scale: {INSTANCES} instances, nginx round robin, PostgreSQL, {} CPU cores on this machine",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    )];
    {
        let proxy = Nginx::start(&nginx, &dir, "all", &instances)?;
        lines.extend(drills(&proxy, &instances, &database)?);
    }
    for count in [1, INSTANCES] {
        let proxy = Nginx::start(&nginx, &dir, &format!("n{count}"), &instances[..count])?;
        lines.extend(load(&proxy.host, count)?);
    }
    Ok(lines)
}

/// nginx on the PATH or in /usr/sbin, installed with apt-get when missing (root only).
fn ensure_nginx() -> Result<PathBuf> {
    let found = || {
        ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.exists())
    };
    if let Some(path) = found() {
        return Ok(path);
    }
    if !crate::tools::can_apt_get() {
        return Err("nginx is needed for the scale drill; install it (Debian/Ubuntu: `sudo apt-get install nginx`) and run again".into());
    }
    step("Installing nginx with apt-get");
    crate::tools::apt_get_install(&["nginx"])?;
    found().ok_or_else(|| "nginx installed but not found".to_owned())
}

/// A fresh database on the bench PostgreSQL, dropped at the end.
struct Database {
    admin: String,
    url: String,
}

impl Database {
    fn fresh() -> Result<Database> {
        let admin = std::env::var("PORTAL_BENCH_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
        let database = Database {
            url: format!("{base}/{DATABASE}"),
            admin: admin.clone(),
        };
        database.psql_admin(&format!("DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))?;
        database.psql_admin(&format!("CREATE DATABASE {DATABASE}"))?;
        Ok(database)
    }

    fn psql_admin(&self, sql: &str) -> Result<String> {
        psql(&self.admin, sql)
    }

    /// One value from the drill's database.
    fn query(&self, sql: &str) -> Result<String> {
        psql(&self.url, sql)
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let _ = self.psql_admin(&format!("DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"));
    }
}

fn psql(url: &str, sql: &str) -> Result<String> {
    let output = Command::new("psql")
        .args([url, "-tAq", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .output()
        .map_err(|e| format!("cannot run psql (needed for the scale drill): {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "psql {sql:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// One release server on a free port.
struct Instance {
    child: Child,
    host: String,
}

impl Instance {
    fn start(dir: &Path, n: usize, database_url: &str) -> Result<Instance> {
        let binary = std::env::var_os("BENCH_SERVER_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| target_dir().join("release/server"));
        let log = std::fs::File::create(dir.join(format!("instance-{n}.log")))
            .map_err(|e| e.to_string())?;
        let mut child = Command::new(binary)
            .current_dir(root())
            .env("DATABASE_URL", database_url)
            .args([
                "--port",
                "0",
                "--dist-dir",
                "dist",
                "--seed-demo",
                "--insecure-cookies",
                // Development mode: the instances share signing keys kept in the database.
                "--dev-outbox",
            ])
            .arg("--data-dir")
            .arg(dir.join(format!("data-{n}")))
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start the server: {e}"))?;
        let stdout = child.stdout.take().ok_or("server has no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let base = lines
            .by_ref()
            .map_while(|l| l.ok())
            .find_map(|line| line.strip_prefix("listening on ").map(str::to_owned))
            .ok_or("a server instance exited before listening")?;
        std::thread::spawn(move || lines.for_each(drop));
        Ok(Instance {
            child,
            host: base.trim_start_matches("http://").to_owned(),
        })
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// nginx in front of some instances, round robin, answering which one served
/// (`X-Upstream`).
struct Nginx {
    child: Child,
    host: String,
}

impl Nginx {
    fn start(binary: &Path, dir: &Path, name: &str, instances: &[Instance]) -> Result<Nginx> {
        let prefix = dir.join(format!("nginx-{name}"));
        std::fs::create_dir_all(prefix.join("tmp")).map_err(|e| e.to_string())?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let upstreams: String = instances
            .iter()
            .map(|i| format!("    server {};\n", i.host))
            .collect();
        let p = prefix.display();
        let config = format!(
            "worker_processes 1;\ndaemon off;\npid {p}/nginx.pid;\nerror_log {p}/error.log warn;\n\
             events {{ worker_connections 4096; }}\n\
             http {{\n  access_log off;\n  client_body_temp_path {p}/tmp/body;\n  proxy_temp_path {p}/tmp/proxy;\n\
             \x20 fastcgi_temp_path {p}/tmp/fastcgi;\n  uwsgi_temp_path {p}/tmp/uwsgi;\n  scgi_temp_path {p}/tmp/scgi;\n\
             \x20 upstream portal {{\n{upstreams}    keepalive 64;\n  }}\n\
             \x20 server {{\n    listen 127.0.0.1:{port};\n    client_max_body_size 6m;\n\
             \x20   location / {{\n      proxy_pass http://portal;\n      proxy_http_version 1.1;\n\
             \x20     proxy_set_header Connection \"\";\n      proxy_set_header Host $host;\n\
             \x20     proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n\
             \x20     proxy_set_header X-Forwarded-Proto $scheme;\n\
             \x20     add_header X-Upstream $upstream_addr always;\n    }}\n  }}\n}}\n"
        );
        let conf = prefix.join("nginx.conf");
        std::fs::write(&conf, config).map_err(|e| e.to_string())?;
        let child = Command::new(binary)
            .arg("-p")
            .arg(&prefix)
            .arg("-c")
            .arg(&conf)
            .arg("-e")
            .arg(prefix.join("error.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start nginx: {e}"))?;
        let host = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(&host).is_err() {
            if Instant::now() > deadline {
                return Err(format!("nginx did not listen; see {p}/error.log"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(Nginx { child, host })
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 exchange on a fresh connection.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_default()
    }
}

fn send(
    host: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Reply> {
    let mut stream = TcpStream::connect(host).map_err(|e| format!("cannot reach {host}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|e| e.to_string())?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut message = head.into_bytes();
    message.extend_from_slice(body);
    stream.write_all(&message).map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").ok_or("no HTTP head")?;
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Ok(Reply {
        status,
        headers,
        body,
    })
}

/// The body of a chunked response.
fn dechunk(mut rest: &str) -> String {
    let mut body = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || after.len() < size {
            break;
        }
        body.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    body
}

/// A signed-in member: cookies and CSRF token.
#[derive(Clone)]
struct Member {
    cookie: String,
    csrf: String,
}

fn sign_in(host: &str, phone: &str, password: &str) -> Result<Reply> {
    let body = format!(r#"{{"phone":"{phone}","password":"{password}"}}"#);
    send(
        host,
        "POST",
        "/api/v1/auth/password-sign-in",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
}

fn member(host: &str, phone: &str) -> Result<Member> {
    let reply = sign_in(host, phone, PASSWORD)?;
    if reply.status != 200 {
        return Err(format!("sign-in of {phone} answered {}", reply.status));
    }
    let cookie = reply
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.split(';').next())
        .collect::<Vec<_>>()
        .join("; ");
    let csrf = reply.json()["csrf_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    Ok(Member { cookie, csrf })
}

impl Member {
    fn get(&self, host: &str, path: &str) -> Result<Reply> {
        send(host, "GET", path, &[("Cookie", &self.cookie)], b"")
    }

    fn post(&self, host: &str, path: &str, extra: &[(&str, &str)], body: &[u8]) -> Result<Reply> {
        let mut headers = vec![
            ("Cookie", self.cookie.as_str()),
            ("X-CSRF-Token", self.csrf.as_str()),
        ];
        headers.extend_from_slice(extra);
        send(host, "POST", path, &headers, body)
    }
}

/// Counts of each status, e.g. `201×1, 409×19`.
fn tally(statuses: impl IntoIterator<Item = u16>) -> String {
    let mut counts = BTreeMap::new();
    for status in statuses {
        *counts.entry(status).or_insert(0) += 1;
    }
    counts
        .iter()
        .map(|(s, n)| format!("{s}×{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs `count` copies of `work` released at once and collects their results.
fn at_once<T: Send + 'static>(
    count: usize,
    work: impl Fn(usize) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let barrier = Arc::new(Barrier::new(count));
    let work = Arc::new(work);
    let handles: Vec<_> = (0..count)
        .map(|n| {
            let (barrier, work) = (barrier.clone(), work.clone());
            std::thread::spawn(move || {
                barrier.wait();
                work(n)
            })
        })
        .collect();
    handles
        .into_iter()
        .map(|h| h.join().expect("drill thread"))
        .collect()
}

/// The behaviour drills; each line says what was expected and what was measured.
fn drills(proxy: &Nginx, instances: &[Instance], database: &Database) -> Result<Vec<String>> {
    let (a, b) = (instances[0].host.as_str(), instances[1].host.as_str());
    let mut lines = Vec::new();

    // Sessions: signed in on one instance, used on the other and through nginx.
    let zhang = member(a, ZHANG_WEI)?;
    let on_b = zhang.get(b, "/api/v1/card")?.status;
    let mut served_by = BTreeMap::new();
    let mut ok = 0;
    for _ in 0..20 {
        let reply = zhang.get(&proxy.host, "/api/v1/card")?;
        ok += usize::from(reply.status == 200);
        *served_by
            .entry(reply.header("x-upstream").unwrap_or("?").to_owned())
            .or_insert(0) += 1;
    }
    lines.push(format!(
        "sessions: signed in on instance 1, card on instance 2 answered {on_b}; through nginx {ok}/20 answered 200, served by {served_by:?}"
    ));

    // The last coupon: 20 members with active cards claim at once through nginx.
    let ids: Vec<String> = (10..30).map(|n| format!("'mem_demo{n:03}'")).collect();
    database.query(&format!(
        "UPDATE cards SET status = 'active' WHERE member_id IN ({})",
        ids.join(",")
    ))?;
    let claimants = (10..30)
        .map(|n| member(&proxy.host, &format!("139{n:08}")))
        .collect::<Result<Vec<_>>>()?;
    let host = proxy.host.clone();
    let claims = at_once(claimants.len(), move |n| {
        claimants[n]
            .post(
                &host,
                &format!("/api/v1/offers/{LAST_ONE_OFFER}/claim"),
                &[("Content-Type", "application/json")],
                b"{}",
            )
            .map(|r| r.status)
            .unwrap_or(0)
    });
    let coupons = database.query(&format!(
        "SELECT COUNT(*) FROM coupons WHERE offer_id = '{LAST_ONE_OFFER}'"
    ))?;
    lines.push(format!(
        "last coupon: 20 concurrent claims through nginx: {}; coupons stored: {coupons} (expected 201×1, 409×19; 1)",
        tally(claims)
    ));

    // Aid: 50 concurrent retries of one submission with one Idempotency-Key.
    let upload = zhang.post(
        &proxy.host,
        "/api/v1/aid/attachments?filename=proof.jpg",
        &[("Content-Type", "image/jpeg")],
        JPEG,
    )?;
    let attachment = upload.json()["id"].as_str().unwrap_or_default().to_owned();
    if upload.status != 201 {
        return Err(format!(
            "the drill's upload answered {}: {}",
            upload.status, upload.body
        ));
    }
    let body = golden_autumn(&attachment);
    let host = proxy.host.clone();
    let submitter = zhang;
    let submits = at_once(50, move |_| {
        submitter
            .post(
                &host,
                "/api/v1/aid/applications",
                &[
                    ("Content-Type", "application/json"),
                    ("Idempotency-Key", "scale-drill"),
                ],
                body.as_bytes(),
            )
            .map(|r| (r.status, r.json()["id"].as_str().unwrap_or("").to_owned()))
            .unwrap_or((0, String::new()))
    });
    let distinct: std::collections::BTreeSet<_> =
        submits.iter().map(|(_, id)| id.clone()).collect();
    let stored = database.query(&format!(
        "SELECT COUNT(*) FROM aid_applications WHERE member_id = 'mem_demo001' AND program_id = '{GOLDEN_AUTUMN}'"
    ))?;
    lines.push(format!(
        "aid: 50 concurrent submits, one Idempotency-Key, through nginx: {}; distinct ids {}; applications stored: {stored} (expected 201×1, 200×49; 1; 1)",
        tally(submits.iter().map(|(s, _)| *s)),
        distinct.len()
    ));

    // SMS: the per-phone cooldown and the per-address hourly cap, alternating instances.
    let code = |host: &str, phone: &str| {
        send(
            host,
            "POST",
            "/api/v1/auth/sms-code",
            &[("Content-Type", "application/json")],
            format!(r#"{{"phone":"{phone}"}}"#).as_bytes(),
        )
    };
    let first = code(a, "13800000002")?.status;
    let second = code(b, "13800000002")?;
    lines.push(format!(
        "sms cooldown: code for one phone on instance 1 answered {first}, at once on instance 2 {} (retry_after_seconds {})",
        second.status,
        second.json()["retry_after_seconds"]
    ));
    let mut allowed = 1; // the code above
    let mut refused_at = None;
    for n in 0..40 {
        let host = if n % 2 == 0 { a } else { b };
        let status = code(host, &format!("137{n:08}"))?.status;
        if status == 429 {
            refused_at = Some(n);
            break;
        }
        allowed += usize::from(status == 200);
    }
    lines.push(format!(
        "sms per address: {allowed} codes allowed across both instances before 429 (limit 30/hour), refused: {}",
        refused_at.is_some()
    ));

    // Sign-in: wrong passwords for one account from one address, alternating instances.
    let statuses: Vec<u16> = (0..7)
        .map(|n| {
            let host = if n % 2 == 0 { a } else { b };
            sign_in(host, "13800000003", "wrong-password").map_or(0, |r| r.status)
        })
        .collect();
    lines.push(format!(
        "sign-in throttle: 7 wrong passwords alternating instances: {statuses:?} (expected five 401 then 429)"
    ));
    Ok(lines)
}

/// A 金秋助学 application for 张伟's household (as the server tests file it).
fn golden_autumn(attachment: &str) -> String {
    serde_json::json!({
        "program_id": GOLDEN_AUTUMN,
        "household": [
            { "name": "张伟", "relation": "applicant", "resident_id": resident_id("44030519660101100") },
            { "name": "张小雨", "relation": "child", "resident_id": resident_id("44030820050301001"), "occupation": "学生" }
        ],
        "household_monthly_income_fen": 520_000,
        "hardship": "女儿考上大专，学费住宿费一年一万余元，家庭难以负担。",
        "schooling": { "student_name": "张小雨", "level": "college", "school": "深圳职业技术大学", "enrolment_year": 2026 },
        "attachment_ids": [attachment],
        "declaration_accepted": true
    })
    .to_string()
}

/// A resident ID number: the 17 digits and their GB 11643 check character.
fn resident_id(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    format!("{first17}{}", char::from(CHECK[(sum % 11) as usize]))
}

/// Requests/s and p50/p99 of card, offers and sign-in through nginx in front of `count`
/// instances, `CLIENTS` clients each for `LOAD`.
fn load(host: &str, count: usize) -> Result<Vec<String>> {
    step(&format!("Load through nginx, {count} instance(s)"));
    let zhang = member(host, ZHANG_WEI)?;
    let mut lines = Vec::new();
    type Call = Arc<dyn Fn(&str) -> Result<Reply> + Send + Sync>;
    let card: Call = Arc::new(move |host: &str| zhang.get(host, "/api/v1/card"));
    let offers: Call = Arc::new(|host: &str| send(host, "GET", "/api/v1/offers", &[], b""));
    let signing_in: Call = Arc::new(|host: &str| sign_in(host, ZHANG_WEI, PASSWORD));
    for (name, call) in [
        ("GET /api/v1/card", card),
        ("GET /api/v1/offers", offers),
        ("POST password-sign-in", signing_in),
    ] {
        let host = host.to_owned();
        let started = Instant::now();
        let results = at_once(CLIENTS, move |_| {
            let mut samples = Vec::new();
            let mut failed = 0usize;
            while started.elapsed() < LOAD {
                let t = Instant::now();
                match call(&host) {
                    Ok(reply) if reply.status == 200 => samples.push(t.elapsed()),
                    _ => failed += 1,
                }
            }
            (samples, failed)
        });
        let elapsed = started.elapsed().as_secs_f64();
        let failed: usize = results.iter().map(|(_, f)| f).sum();
        let mut samples: Vec<Duration> = results.into_iter().flat_map(|(s, _)| s).collect();
        samples.sort_unstable();
        let at = |p: f64| {
            let i = ((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len().max(1)) - 1;
            samples.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        };
        lines.push(format!(
            "load [{count} instance(s), {CLIENTS} clients, {} s] {name}: {:.0} req/s, p50 {:.1} ms, p99 {:.1} ms, {failed} failed",
            LOAD.as_secs(),
            samples.len() as f64 / elapsed,
            at(0.50),
            at(0.99),
        ));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resident_ids_get_their_check_character() {
        // GB 11643's worked example.
        assert_eq!(resident_id("11010519491231002"), "11010519491231002X");
    }

    #[test]
    fn chunked_bodies_are_joined() {
        assert_eq!(dechunk("4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n"), "Wikipedia");
    }

    #[test]
    fn statuses_are_tallied_in_order() {
        assert_eq!(tally([409, 201, 409]), "201×1, 409×2");
    }
}
