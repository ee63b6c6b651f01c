//! Issue 18: what a new member meets at start-up and at sign-in — deep links that keep their
//! query, a wasm download that fails, the sign-in page's feedback, and a console left clean.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use crate::devtools::DevTools;
use crate::ensure;
use crate::support::{Ctx, Error, Server, TestResult, wait_until};

/// The address bar's path and query.
async fn path_of(browser: &Client) -> Result<String, Error> {
    let url = browser.current_url().await?;
    Ok(match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    })
}

/// Types into a field, replacing what it held.
async fn fill(browser: &Client, css: &str, text: &str) -> TestResult {
    let field = browser.find(Locator::Css(css)).await?;
    field.clear().await?;
    field.send_keys(text).await?;
    Ok(())
}

/// Scrolls an element to the middle of the screen and clicks it, as a member would.
async fn click(browser: &Client, locator: Locator<'_>) -> TestResult {
    let element = browser.find(locator).await?;
    browser
        .execute(
            "arguments[0].scrollIntoView({block: 'center'}); return true",
            vec![serde_json::to_value(&element)?],
        )
        .await?;
    Ok(element.click().await?)
}

/// The sign-in page's password method, with phone, password and consent filled in.
async fn password_form(browser: &Client, phone: &str, password: &str) -> TestResult {
    wait_until(
        browser,
        "return !!document.getElementById('phone')",
        "the sign-in form",
    )
    .await?;
    click(
        browser,
        Locator::XPath("//button[@role='tab' and contains(., '密码登录')]"),
    )
    .await?;
    fill(browser, "#phone", phone).await?;
    fill(browser, "#password", password).await?;
    let consent = browser
        .execute(
            "return document.querySelector('input[type=checkbox]').checked",
            vec![],
        )
        .await?;
    if consent != true {
        click(browser, Locator::Css("input[type=checkbox]")).await?;
    }
    Ok(())
}

pub async fn a_deep_link_keeps_its_query_through_sign_in_and_focus_lands_on_the_screen(
    ctx: Ctx,
) -> TestResult {
    let browser = &ctx.browser;
    ctx.open("/offers?category=dining").await?;
    wait_until(
        browser,
        "return location.pathname === '/login'",
        "a signed-out deep link leads to sign-in",
    )
    .await?;
    let login = path_of(browser).await?;
    ensure!(
        login == "/login?next=%2Foffers%3Fcategory%3Ddining",
        "the query must travel in `next`: {login}"
    );
    // Signed out: no member navigation, and the tagline in the page's language only.
    let tab_bar = browser
        .execute(
            "return document.querySelectorAll('nav.tab-bar').length",
            vec![],
        )
        .await?;
    ensure!(tab_bar == 0, "member tabs on the signed-out sign-in page");
    let brand = browser
        .execute("return document.getElementById('brand').innerText", vec![])
        .await?;
    let brand = brand.as_str().unwrap_or_default();
    ensure!(
        brand.contains("一站办理") && !brand.contains("Your member card"),
        "the zh-CN sign-in page shows an English tagline: {brand}"
    );
    password_form(browser, "13800000001", "Union2026").await?;
    click(browser, Locator::Css("button[type=submit]")).await?;
    wait_until(
        browser,
        "return location.pathname === '/offers'",
        "back at the deep link after sign-in",
    )
    .await?;
    let landed = path_of(browser).await?;
    ensure!(
        landed == "/offers?category=dining",
        "the deep link lost its query: {landed}"
    );
    // The screen is drawn once the routed app's code has arrived; focus follows it there.
    wait_until(
        browser,
        "return document.activeElement !== null && document.activeElement.id === 'main'",
        "focus on the screen's main landmark after sign-in",
    )
    .await?;
    wait_until(
        browser,
        "return document.querySelectorAll('nav.tab-bar').length === 1",
        "member tabs once signed in",
    )
    .await?;
    // The search box is a full-size target like every other input.
    wait_until(
        browser,
        "return !!document.getElementById('offer-search')",
        "search box",
    )
    .await?;
    let height = browser
        .execute(
            "return document.getElementById('offer-search').getBoundingClientRect().height",
            vec![],
        )
        .await?;
    let tall_enough = height.as_f64().is_some_and(|h| h >= 44.0);
    ensure!(tall_enough, "the offers search box is {height} px tall");
    Ok(())
}

pub async fn sign_in_follows_only_in_app_paths(ctx: Ctx) -> TestResult {
    let browser = &ctx.browser;
    for next in [
        "%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example",
        "%2F%5Cevil.example",
    ] {
        ctx.open("/privacy").await?;
        browser.delete_all_cookies().await?;
        ctx.open(&format!("/login?next={next}")).await?;
        password_form(browser, "13800000001", "Union2026").await?;
        click(browser, Locator::Css("button[type=submit]")).await?;
        wait_until(
            browser,
            "return location.pathname !== '/login'",
            "leaving sign-in",
        )
        .await?;
        let url = browser.current_url().await?;
        ensure!(
            url.as_str().starts_with(&ctx.base) && url.path() == "/",
            "next={next} led to {url}"
        );
    }
    Ok(())
}

pub async fn sign_in_explains_tries_throttles_and_locks_in_plain_words(ctx: Ctx) -> TestResult {
    let server = Server::own_with(&[
        "--max-failed-attempts",
        "3",
        "--sms-cooldown-seconds",
        "0",
        "--sms-per-phone-hourly",
        "1",
    ])?;
    let browser = ctx.another_browser(&[]).await?;
    let outcome = async {
        let browser = &browser;
        browser.goto(&format!("{}/login", server.base)).await?;
        wait_until(
            browser,
            "return !!document.getElementById('phone')",
            "the sign-in form",
        )
        .await?;
        // Tabbing past the empty phone field is not an error.
        click(browser, Locator::Css("#phone")).await?;
        click(browser, Locator::Css("input[type=checkbox]")).await?;
        let flagged = browser
            .execute(
                "return [document.getElementById('phone').getAttribute('aria-invalid'),
                         document.getElementById('phone-error').innerText.trim()]",
                vec![],
            )
            .await?;
        ensure!(
            flagged == json!(["false", ""]),
            "an untouched phone field is flagged: {flagged}"
        );
        // SMS throttled for an hour: the wait in minutes, and the password offered instead.
        fill(browser, "#phone", "13800000001").await?;
        click(browser, Locator::Css("button.send-code")).await?;
        wait_until(
            browser,
            "return document.getElementById('code-status').innerText.includes('验证码已发送')",
            "the first code is sent",
        )
        .await?;
        click(browser, Locator::Css("button.send-code")).await?;
        wait_until(
            browser,
            "return document.getElementById('code-status').innerText.includes('分钟后再试')",
            "the hourly throttle is said in minutes",
        )
        .await?;
        let said = browser
            .execute("return document.querySelector('main').innerText", vec![])
            .await?;
        let said = said.as_str().unwrap_or_default();
        ensure!(!said.contains("秒后再试"), "a long wait in seconds: {said}");
        click(
            browser,
            Locator::XPath("//button[contains(., '改用密码登录')]"),
        )
        .await?;
        // Wrong passwords: each failure is a new alert, even with the same words, and says how
        // many tries are left before the lock (3 in all on this server).
        password_form(browser, "13800000001", "not-the-password").await?;
        for attempt in 1..=2 {
            click(browser, Locator::Css("button[type=submit]")).await?;
            wait_until(
                browser,
                &format!(
                    "const alert = document.querySelector('[role=alert]');
                     return !!alert && !alert.dataset.seen && alert.innerText.includes('还可尝试 {} 次')",
                    3 - attempt
                ),
                &format!("a new alert with the tries left after wrong password #{attempt}"),
            )
            .await?;
            // Marked, so the next failure must bring a new element (heard anew in the live
            // region), whether or not its words differ.
            let live = browser
                .execute(
                    "const alert = document.querySelector('[role=alert]');
                     alert.dataset.seen = '1';
                     return !!alert.parentElement.closest('[aria-live]')",
                    vec![],
                )
                .await?;
            ensure!(live == true, "the alert is outside a live region");
        }
        // The third wrong password locks; the next try is told for how long, with a way out.
        click(browser, Locator::Css("button[type=submit]")).await?;
        wait_until(
            browser,
            "const alert = document.querySelector('[role=alert]');
             return !!alert && !alert.dataset.seen",
            "the third failure",
        )
        .await?;
        click(browser, Locator::Css("button[type=submit]")).await?;
        wait_until(
            browser,
            "const alert = document.querySelector('[role=alert]');
             return !!alert && alert.innerText.includes('已锁定')",
            "the lock is explained",
        )
        .await?;
        let lock = browser
            .execute(
                "return document.querySelector('[role=alert]').innerText",
                vec![],
            )
            .await?;
        ensure!(
            lock.as_str().unwrap_or_default().contains("约15分钟后再试"),
            "the lock must say how long it lasts: {lock}"
        );
        click(
            browser,
            Locator::XPath("//button[contains(., '改用验证码登录')]"),
        )
        .await?;
        wait_until(
            browser,
            "return !!document.getElementById('code')",
            "the SMS code method is offered",
        )
        .await?;
        Ok(())
    }
    .await;
    let _ = browser.close().await;
    outcome
}

/// Everything the console and the network reported, as DevTools events, in order.
type Recorded = Arc<Mutex<Vec<Value>>>;

fn record(mut events: tokio::sync::mpsc::UnboundedReceiver<Value>) -> Recorded {
    let recorded: Recorded = Arc::default();
    let sink = recorded.clone();
    tokio::spawn(async move {
        while let Some(event) = events.recv().await {
            sink.lock().expect("recorded events").push(event);
        }
    });
    recorded
}

/// An error-level console entry, exception or failed-request log line, as text.
fn console_error(event: &Value) -> Option<String> {
    let params = &event["params"];
    match event["method"].as_str()? {
        "Log.entryAdded" if params["entry"]["level"] == "error" => {
            Some(params["entry"]["text"].to_string())
        }
        "Runtime.consoleAPICalled" if params["type"] == "error" => Some(params["args"].to_string()),
        "Runtime.exceptionThrown" => Some(params["exceptionDetails"].to_string()),
        _ => None,
    }
}

pub async fn a_signed_out_visit_to_sign_in_logs_no_console_error(ctx: Ctx) -> TestResult {
    let browser = &ctx.browser;
    browser.goto("about:blank").await?;
    let (devtools, events) = DevTools::attach(browser).await?;
    let recorded = record(events);
    for domain in ["Log.enable", "Runtime.enable", "Network.enable"] {
        devtools.call(domain, json!({})).await?;
    }
    ctx.open("/login").await?;
    wait_until(
        browser,
        "return !!document.getElementById('phone')",
        "the sign-in form",
    )
    .await?;
    // A marker after start-up: every request the app made before it was sent before it, and
    // every console line before it arrives before it.
    browser
        .execute_async(
            "const done = arguments[0];
             fetch('/api/health').then(() => { console.error('e2e-marker'); done(true); });",
            vec![],
        )
        .await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let seen = recorded
            .lock()
            .expect("recorded events")
            .iter()
            .filter_map(console_error)
            .any(|text| text.contains("e2e-marker"));
        if seen {
            break;
        }
        ensure!(
            Instant::now() < deadline,
            "the console marker never arrived"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let events = recorded.lock().expect("recorded events").clone();
    let session_checks = events
        .iter()
        .filter(|e| e["method"] == "Network.requestWillBeSent")
        .filter(|e| {
            e["params"]["request"]["url"]
                .as_str()
                .is_some_and(|url| url.contains("/api/v1/auth/session"))
        })
        .count();
    ensure!(
        session_checks == 0,
        "a signed-out browser asked for its session {session_checks} times"
    );
    let errors: Vec<String> = events
        .iter()
        .filter_map(console_error)
        .filter(|text| !text.contains("e2e-marker"))
        .collect();
    ensure!(
        errors.is_empty(),
        "console errors on a signed-out visit: {errors:?}"
    );
    Ok(())
}

/// Fails the main wasm's first `failures` downloads (as a dropped connection would) and lets
/// every later one through; returns how many downloads of it were seen.
pub(crate) async fn fail_main_wasm(
    browser: &Client,
    failures: usize,
) -> Result<(DevTools, Arc<AtomicUsize>), Error> {
    browser.goto("about:blank").await?;
    let (devtools, mut events) = DevTools::attach(browser).await?;
    devtools.call("Network.enable", json!({})).await?;
    // The service worker would fetch the wasm itself, out of the page's interception.
    devtools
        .call("Network.setBypassServiceWorker", json!({ "bypass": true }))
        .await?;
    devtools
        .call(
            "Fetch.enable",
            json!({ "patterns": [{ "urlPattern": "*/portal_bg.wasm", "requestStage": "Request" }] }),
        )
        .await?;
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    let interceptor = devtools.clone();
    tokio::spawn(async move {
        while let Some(event) = events.recv().await {
            if event["method"] != "Fetch.requestPaused" {
                continue;
            }
            let id = event["params"]["requestId"].clone();
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let _ = if n < failures {
                interceptor
                    .call(
                        "Fetch.failRequest",
                        json!({ "requestId": id, "errorReason": "ConnectionReset" }),
                    )
                    .await
            } else {
                interceptor
                    .call("Fetch.continueRequest", json!({ "requestId": id }))
                    .await
            };
        }
    });
    Ok((devtools, seen))
}

pub async fn a_wasm_download_that_fails_once_recovers_by_itself(ctx: Ctx) -> TestResult {
    let browser = &ctx.browser;
    let (_devtools, seen) = fail_main_wasm(browser, 1).await?;
    ctx.open("/login").await?;
    wait_until(
        browser,
        "return !!document.getElementById('phone')",
        "the app starts after a retry",
    )
    .await?;
    let downloads = seen.load(Ordering::SeqCst);
    ensure!(
        downloads == 2,
        "the main wasm was requested {downloads} times, expected 2"
    );
    let notices = browser
        .execute(
            "return ['shell-fallback', 'shell-network'].filter(id => {
                 const el = document.getElementById(id); return el && !el.hidden; })",
            vec![],
        )
        .await?;
    ensure!(notices == json!([]), "a recovered start showed {notices}");
    Ok(())
}

pub async fn a_wasm_download_that_keeps_failing_offers_a_retry_not_a_browser_switch(
    ctx: Ctx,
) -> TestResult {
    let browser = &ctx.browser;
    // Three automatic tries fail; the member's retry goes through.
    let (_devtools, seen) = fail_main_wasm(browser, 3).await?;
    ctx.open("/login").await?;
    wait_until(
        browser,
        "return !document.getElementById('shell-network').hidden",
        "the network notice",
    )
    .await?;
    let shown = browser
        .execute(
            "return [document.getElementById('shell-fallback').hidden,
                     document.getElementById('shell-network').innerText]",
            vec![],
        )
        .await?;
    ensure!(
        shown[0] == true,
        "the browser is blamed for a failed download"
    );
    let text = shown[1].as_str().unwrap_or_default();
    ensure!(
        text.contains("网络") && text.contains("重试") && !text.contains("浏览器"),
        "network notice: {text}"
    );
    let downloads = seen.load(Ordering::SeqCst);
    ensure!(
        downloads == 3,
        "the main wasm was tried {downloads} times before giving up, expected 3"
    );
    click(browser, Locator::Id("shell-retry")).await?;
    wait_until(
        browser,
        "return !!document.getElementById('phone')",
        "the app starts on retry",
    )
    .await?;
    Ok(())
}

pub async fn the_next_screens_code_downloads_while_the_member_types(ctx: Ctx) -> TestResult {
    let browser = &ctx.browser;
    ctx.open("/card").await?;
    password_form(browser, "13800000001", "Union2026").await?;
    wait_until(
        browser,
        "return performance.getEntriesByType('resource').some(e => e.name.endsWith('/pack_card.pack'))",
        "the card's pack requested once the member is on the form",
    )
    .await?;
    click(browser, Locator::Css("button[type=submit]")).await?;
    wait_until(
        browser,
        "return document.querySelector('.card-number') !== null",
        "the card after sign-in",
    )
    .await?;
    let loaded = browser.execute(crate::shell::DOWNLOADS, vec![]).await?;
    ensure!(
        loaded["wasm"] == json!(["portal_bg.wasm"]) && loaded["packs"] == json!(["pack_card.pack"]),
        "after sign-in every chunk of the card should come from its pack: {loaded}"
    );
    Ok(())
}
