//! Issue 16: the portal on its own origin. One server serves the portal at
//! `portal.union.test:A` with `apiBase` pointing at a second server, the API at
//! `api.union.test:B` (both names resolved to 127.0.0.1 by Chromium, one site like
//! `portal.union.cn` and `api.union.cn`). The API allows the portal's origin with credentials;
//! its cookies stay on the API host, out of the portal's `document.cookie`.
use fantoccini::{Client, Locator};

use crate::ensure;
use crate::support::{Ctx, Error, Server, TestResult, free_port, http_get};

const PHONE: &str = "13800000001";

pub async fn the_portal_on_its_own_origin_signs_in_by_sms_and_shows_the_card(
    ctx: Ctx,
) -> TestResult {
    let api_port = free_port()?;
    let api_origin = format!("http://api.union.test:{api_port}");
    let portal = Server::own_with(&["--portal-api-base", &format!("{api_origin}/api")])?;
    let portal_port = portal.base.rsplit(':').next().ok_or("no port")?.to_owned();
    let portal_origin = format!("http://portal.union.test:{portal_port}");
    let api = Server::own_at(api_port, &["--cors-origin", &portal_origin])?;
    let resolve = "--host-resolver-rules=MAP *.union.test 127.0.0.1".to_owned();
    // Plain HTTP in the test; production is HTTPS, a secure context the portal relies on.
    let secure = format!("--unsafely-treat-insecure-origin-as-secure={portal_origin},{api_origin}");
    let browser = ctx.another_browser(&[&resolve, &secure]).await?;
    let outcome = async {
        browser.goto(&format!("{portal_origin}/card")).await?;
        wait_for(&browser, "h1", "登录").await?;
        fill(&browser, "#phone", PHONE).await?;
        click(&browser, "button.send-code").await?;
        wait_for(&browser, "main", "验证码已发送").await?;
        let code = newest_code(&api, PHONE).await?;
        fill(&browser, "#code", &code).await?;
        click(&browser, "input[type=checkbox]").await?;
        click(&browser, "button[type=submit]").await?;
        wait_for(&browser, "main", "6217").await?;

        let cookies = browser.execute("return document.cookie", vec![]).await?;
        ensure!(
            !cookies.as_str().unwrap_or_default().contains("csrf"),
            "the API's cookies must stay on its own host: {cookies}"
        );
        // A reload asks the API (its CSRF cookie cannot be seen here) and stays signed in.
        browser.refresh().await?;
        wait_for(&browser, "main", "6217").await?;

        // Signing out is an unsafe request: the CSRF token from the session body goes along.
        browser.goto(&format!("{portal_origin}/me")).await?;
        wait_for(&browser, "main", "退出登录").await?;
        click_xpath(&browser, "//button[contains(., '退出登录')]").await?;
        wait_for(&browser, "h1", "登录").await?;
        browser.goto(&format!("{portal_origin}/card")).await?;
        wait_for(&browser, "h1", "登录").await?;
        Ok::<_, Error>(())
    }
    .await;
    let _ = browser.close().await;
    drop(portal);
    outcome
}

/// The newest code the API's dev outbox holds for `phone`.
async fn newest_code(api: &Server, phone: &str) -> Result<String, Error> {
    let (_, body) = http_get(&api.base, &format!("/api/v1/dev/outbox?phone={phone}")).await?;
    let messages: serde_json::Value = serde_json::from_str(&body)?;
    let text = messages[0]["body"].as_str().unwrap_or_default();
    let code: String = text.chars().filter(char::is_ascii_digit).take(6).collect();
    ensure!(code.len() == 6, "no code in the outbox: {body}");
    Ok(code)
}

async fn wait_for(browser: &Client, css: &str, expected: &str) -> TestResult {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut last = String::new();
    while std::time::Instant::now() < deadline {
        if let Ok(elements) = browser.find_all(Locator::Css(css)).await {
            for element in elements {
                last = element.text().await.unwrap_or_default();
                if last.contains(expected) {
                    return Ok(());
                }
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err(format!("`{css}` never showed {expected:?} (last text: {last:?})").into())
}

async fn fill(browser: &Client, css: &str, text: &str) -> TestResult {
    let field = browser.find(Locator::Css(css)).await?;
    field.clear().await?;
    field.send_keys(text).await?;
    Ok(())
}

async fn click(browser: &Client, css: &str) -> TestResult {
    click_on(browser, Locator::Css(css)).await
}

async fn click_xpath(browser: &Client, xpath: &str) -> TestResult {
    click_on(browser, Locator::XPath(xpath)).await
}

/// Scrolls the element clear of the fixed tab bar and clicks it.
async fn click_on(browser: &Client, locator: Locator<'_>) -> TestResult {
    let element = browser.find(locator).await?;
    browser
        .execute(
            "arguments[0].scrollIntoView({block: 'center'}); return true",
            vec![serde_json::to_value(&element)?],
        )
        .await?;
    Ok(element.click().await?)
}
