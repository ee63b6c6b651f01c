//! The suite's machinery: server and chromedriver processes, browser sessions, the runner and
//! small assertion helpers.
use std::future::Future;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type TestResult = Result<(), Error>;
pub type TestFn = fn(Ctx) -> Pin<Box<dyn Future<Output = TestResult> + Send>>;

/// Fails the test with a message unless the condition holds.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+).into());
        }
    };
}

/// What a test gets: the server's address and its own browser.
pub struct Ctx {
    pub base: String,
    pub browser: Client,
    webdriver: String,
}

impl Ctx {
    /// The absolute URL of a portal path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A second, independent browser (its own profile), with extra Chromium flags. The caller
    /// closes it.
    pub async fn another_browser(&self, extra_args: &[&str]) -> Result<Client, Error> {
        browser(&self.webdriver, extra_args).await
    }

    /// The same browser, pointed at a server of the test's own.
    pub fn on(&self, server: &Server) -> Ctx {
        Ctx {
            base: server.base.clone(),
            browser: self.browser.clone(),
            webdriver: self.webdriver.clone(),
        }
    }

    /// Opens a portal path.
    pub async fn open(&self, path: &str) -> TestResult {
        Ok(self.browser.goto(&self.url(path)).await?)
    }

    /// Waits (up to 20 s) until an element's text contains `expected`.
    pub async fn wait_for_text(&self, css: &str, expected: &str) -> TestResult {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(elements) = self.browser.find_all(Locator::Css(css)).await {
                for element in elements {
                    last = element.text().await.unwrap_or_default();
                    if last.contains(expected) {
                        return Ok(());
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("`{css}` never showed {expected:?} (last text: {last:?})").into())
    }

    /// Signs the browser in as a demo member (password `Union2026`) through the real API, then
    /// opens `path`. For tests whose subject is not sign-in itself.
    pub async fn sign_in_and_open(&self, phone: &str, path: &str) -> TestResult {
        self.open("/privacy").await?;
        let status = self
            .browser
            .execute_async(
                r#"const [phone, done] = arguments;
                fetch('/api/v1/auth/password-sign-in', {
                    method: 'POST',
                    headers: {'content-type': 'application/json'},
                    body: JSON.stringify({phone, password: 'Union2026'}),
                }).then(r => done(r.status), e => done(String(e)));"#,
                vec![phone.into()],
            )
            .await?;
        ensure!(status == 200, "demo sign-in for {phone} answered {status}");
        self.open(path).await
    }

    /// Scrolls an element to the middle of the viewport (clear of the fixed tab bar) and clicks
    /// it, as a member would after scrolling.
    pub async fn click(&self, locator: Locator<'_>) -> TestResult {
        let element = self.browser.find(locator).await?;
        self.browser
            .execute(
                "arguments[0].scrollIntoView({block: 'center'}); return true",
                vec![serde_json::to_value(&element)?],
            )
            .await?;
        Ok(element.click().await?)
    }

    /// Polls a script until it returns `true` (up to 20 s), for conditions that settle over a
    /// few frames.
    pub async fn wait_until(&self, script: &str, what: &str) -> TestResult {
        wait_until(&self.browser, script, what).await
    }

    /// Runs a script in the page and returns its JSON result.
    pub async fn script(&self, js: &str) -> Result<serde_json::Value, Error> {
        Ok(self.browser.execute(js, vec![]).await?)
    }
}

/// Polls a script in `browser` until it returns `true` (up to 20 s).
pub async fn wait_until(browser: &Client, script: &str, what: &str) -> TestResult {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if browser.execute(script, vec![]).await? == true {
            return Ok(());
        }
        ensure!(Instant::now() < deadline, "never true: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Polls a script in `browser` until it returns a non-empty string (up to 20 s), and returns it.
pub async fn text_in(browser: &Client, script: &str, what: &str) -> Result<String, Error> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let value = browser.execute(script, vec![]).await?;
        if let Some(text) = value.as_str().filter(|t| !t.is_empty()) {
            return Ok(text.to_owned());
        }
        ensure!(Instant::now() < deadline, "never got {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The processes shared by every test, stopped when the suite ends.
pub struct Suite {
    server: Server,
    driver: Driver,
    filter: Vec<String>,
}

impl Suite {
    /// Starts the server and chromedriver from the paths `cargo xtask test` passes in.
    pub fn from_env() -> Suite {
        let server = Server::start(
            &env_path("PORTAL_SERVER_BIN"),
            &env_path("PORTAL_DIST_DIR"),
            &[],
        )
        .unwrap_or_else(|e| panic!("could not start the server: {e}"));
        let driver =
            Driver::start().unwrap_or_else(|e| panic!("could not start chromedriver: {e}"));
        let filter = std::env::args()
            .skip(1)
            .filter(|a| !a.starts_with('-'))
            .collect();
        Suite {
            server,
            driver,
            filter,
        }
    }

    /// Runs the selected tests one after another and prints libtest's result line.
    pub fn run(self, tests: Vec<(&'static str, TestFn)>) -> ExitCode {
        let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
        let selected: Vec<_> = tests
            .into_iter()
            .filter(|(name, _)| {
                self.filter.is_empty() || self.filter.iter().any(|f| name.contains(f.as_str()))
            })
            .collect();
        println!("\nrunning {} tests", selected.len());
        let (mut passed, mut failed) = (0, 0);
        for (name, test) in selected {
            let outcome = runtime.block_on(self.run_one(test));
            match outcome {
                Ok(()) => {
                    passed += 1;
                    println!("test {name} ... ok");
                }
                Err(e) => {
                    failed += 1;
                    println!("test {name} ... FAILED\n    {e}");
                }
            }
        }
        let verdict = if failed == 0 { "ok" } else { "FAILED" };
        println!(
            "\ntest result: {verdict}. {passed} passed; {failed} failed; 0 ignored; 0 measured; 0 filtered out"
        );
        if failed > 0 {
            println!("server log: {}", self.server.log.display());
        }
        if failed == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }

    async fn run_one(&self, test: TestFn) -> TestResult {
        let browser = browser(&self.driver.url, &[]).await?;
        let ctx = Ctx {
            base: self.server.base.clone(),
            browser: browser.clone(),
            webdriver: self.driver.url.clone(),
        };
        let outcome = tokio::time::timeout(Duration::from_secs(120), tokio::spawn(test(ctx))).await;
        let _ = browser.close().await;
        match outcome {
            Err(_) => Err("timed out after 120 s".into()),
            Ok(Err(join)) => Err(format!("panicked: {join}").into()),
            Ok(Ok(result)) => result,
        }
    }
}

fn env_path(name: &str) -> PathBuf {
    std::env::var_os(name)
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("{name} is not set: run the suite with `cargo xtask test`"))
}

/// The real server binary on a free port with a fresh, seeded database.
///
/// Tests that stop or restart the server start their own with `Server::own()`.
pub struct Server {
    child: Option<Child>,
    pub base: String,
    pub log: PathBuf,
    binary: PathBuf,
    dist: PathBuf,
    data_dir: PathBuf,
    flags: Vec<String>,
}

impl Server {
    /// A server of the test's own, from the same binary and bundle as the suite's.
    pub fn own() -> Result<Server, Error> {
        Server::own_with(&[])
    }

    /// A server of the test's own with extra command-line flags.
    pub fn own_with(flags: &[&str]) -> Result<Server, Error> {
        Server::start(
            &env_path("PORTAL_SERVER_BIN"),
            &env_path("PORTAL_DIST_DIR"),
            flags,
        )
    }

    /// A server of the test's own on a given port (for a peer that must know it in advance).
    pub fn own_at(port: u16, flags: &[&str]) -> Result<Server, Error> {
        Server::start_at(
            &env_path("PORTAL_SERVER_BIN"),
            &env_path("PORTAL_DIST_DIR"),
            flags,
            &port.to_string(),
        )
    }

    pub fn start(binary: &Path, dist: &Path, flags: &[&str]) -> Result<Server, Error> {
        Server::start_at(binary, dist, flags, "0")
    }

    fn start_at(binary: &Path, dist: &Path, flags: &[&str], port: &str) -> Result<Server, Error> {
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let data_dir = std::env::temp_dir().join(format!("portal-e2e-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data_dir);
        std::fs::create_dir_all(&data_dir)?;
        let mut server = Server {
            child: None,
            base: String::new(),
            log: data_dir.join("server.log"),
            binary: binary.to_owned(),
            dist: dist.to_owned(),
            data_dir,
            flags: flags.iter().map(|f| f.to_string()).collect(),
        };
        server.spawn(port)?;
        Ok(server)
    }

    /// Stops the server, as a crash or a deployment would: requests fail until `restart`.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the stopped server again on the same address with the same database.
    pub fn restart(&mut self) -> TestResult {
        self.stop();
        let port = self
            .base
            .rsplit(':')
            .next()
            .ok_or("no port in the base URL")?
            .to_owned();
        self.spawn(&port)
    }

    /// Runs `server admin …` against this server's database and returns what it printed.
    pub fn admin(&self, args: &[&str]) -> Result<String, Error> {
        let output = Command::new(&self.binary)
            .arg("--data-dir")
            .arg(&self.data_dir)
            .arg("admin")
            .args(args)
            .output()?;
        let printed = String::from_utf8_lossy(&output.stdout).into_owned();
        ensure!(
            output.status.success(),
            "admin {args:?} failed: {}{}",
            printed,
            String::from_utf8_lossy(&output.stderr)
        );
        Ok(printed)
    }

    fn spawn(&mut self, port: &str) -> TestResult {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)?;
        let mut child = Command::new(&self.binary)
            .args([
                "--port",
                port,
                "--seed-demo",
                "--dev-outbox",
                "--insecure-cookies",
            ])
            .arg("--data-dir")
            .arg(&self.data_dir)
            .arg("--dist-dir")
            .arg(&self.dist)
            .args(&self.flags)
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(url) = line.strip_prefix("listening on ") {
                        break url.trim().to_owned();
                    }
                }
                _ => {
                    return Err(format!(
                        "the server exited before listening; see {}",
                        self.log.display()
                    )
                    .into());
                }
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        self.base = base;
        self.child = Some(child);
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// chromedriver on a free port.
pub struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    pub fn start() -> Result<Driver, Error> {
        let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let port = free_port()?;
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("chromedriver did not start listening".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        })
    }
}

/// A new headless Chromium with a fresh profile and a phone-sized window.
async fn browser(webdriver: &str, extra_args: &[&str]) -> Result<Client, Error> {
    let chrome = std::env::var("CHROME_BIN").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let mut args = vec![
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--window-size=412,915",
        "--lang=zh-CN",
    ];
    args.extend_from_slice(extra_args);
    let capabilities =
        serde_json::json!({ "goog:chromeOptions": { "binary": chrome, "args": args } });
    let serde_json::Value::Object(capabilities) = capabilities else {
        unreachable!()
    };
    Ok(ClientBuilder::rustls()?
        .capabilities(capabilities)
        .connect(webdriver)
        .await?)
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> Result<u16, Error> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A raw HTTP/1.1 GET, for checking what the server sends before any script runs.
pub async fn http_get(base: &str, path: &str) -> Result<(String, String), Error> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let authority = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(authority).await?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or("no header/body separator")?;
    Ok((head.to_ascii_lowercase(), body.to_owned()))
}

/// A Chrome DevTools Protocol command sent through chromedriver's `goog/cdp/execute`, for what
/// WebDriver cannot do (network emulation, scripts that run before the page's own).
#[derive(Debug)]
struct CdpCommand {
    body: String,
}

impl fantoccini::wd::WebDriverCompatibleCommand for CdpCommand {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.clone()))
    }
}

/// Runs a DevTools command in `browser`.
/// Emulates a screen of `width`×`height` CSS pixels, `scale` device pixels each; `mobile` for
/// a phone's viewport.
pub async fn emulate_screen(
    browser: &Client,
    (width, height): (u32, u32),
    scale: f64,
    mobile: bool,
) -> TestResult {
    let metrics = serde_json::json!({
        "width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile,
    });
    cdp(browser, "Emulation.setDeviceMetricsOverride", metrics).await?;
    Ok(())
}

/// What raising the font size in WeChat or the browser does: a larger default font (16 px is
/// Chromium's own), which every rem-based size follows.
pub async fn default_text_size(browser: &Client, px: u32) -> TestResult {
    let sizes = serde_json::json!({ "fontSizes": { "standard": px, "fixed": px * 13 / 16 } });
    cdp(browser, "Page.setFontSizes", sizes).await?;
    Ok(())
}

pub async fn cdp(
    browser: &Client,
    cmd: &str,
    params: serde_json::Value,
) -> Result<serde_json::Value, Error> {
    let body = serde_json::json!({ "cmd": cmd, "params": params }).to_string();
    Ok(browser.issue_cmd(CdpCommand { body }).await?)
}
