//! Issue 4: sign-in, home, card and profile, driven as a member would.
use fantoccini::Locator;

use crate::ensure;
use crate::support::{Ctx, TestResult};

/// The newest SMS the dev outbox holds for a phone (the server runs with `--dev-outbox`).
async fn newest_code(ctx: &Ctx, phone: &str) -> Result<String, crate::support::Error> {
    let messages = ctx
        .browser
        .execute_async(
            "const [phone, done] = arguments;
             fetch('/api/v1/dev/outbox?phone=' + phone).then(r => r.json()).then(done, e => done(String(e)));",
            vec![phone.into()],
        )
        .await?;
    let body = messages[0]["body"].as_str().unwrap_or_default();
    let code: String = body.chars().filter(char::is_ascii_digit).take(6).collect();
    ensure!(code.len() == 6, "no code in the outbox: {messages}");
    Ok(code)
}

async fn fill(ctx: &Ctx, css: &str, text: &str) -> TestResult {
    let field = ctx.browser.find(Locator::Css(css)).await?;
    field.clear().await?;
    field.send_keys(text).await?;
    Ok(())
}

async fn click(ctx: &Ctx, css: &str) -> TestResult {
    ctx.click(Locator::Css(css)).await
}

async fn path_of(ctx: &Ctx) -> Result<String, crate::support::Error> {
    let url = ctx.browser.current_url().await?;
    Ok(format!(
        "{}{}",
        url.path(),
        url.query().map(|q| format!("?{q}")).unwrap_or_default()
    ))
}

async fn wait_for_path(ctx: &Ctx, expected: &str) -> TestResult {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let path = path_of(ctx).await?;
        if path == expected {
            return Ok(());
        }
        ensure!(
            std::time::Instant::now() < deadline,
            "expected to be at {expected}, still at {path}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

pub async fn a_deep_link_asks_for_sign_in_by_sms_code_and_returns_there(ctx: Ctx) -> TestResult {
    ctx.open("/card").await?;
    wait_for_path(&ctx, "/login?next=%2Fcard").await?;
    ctx.wait_for_text("h1", "登录").await?;
    ctx.wait_for_text("#brand", "一站办理").await?;
    let send = "button.send-code";
    let disabled = ctx
        .script("return document.querySelector('button.send-code').disabled")
        .await?;
    ensure!(
        disabled == true,
        "sending a code must wait for a valid phone"
    );
    fill(&ctx, "#phone", "13800000001").await?;
    click(&ctx, send).await?;
    ctx.wait_for_text("main", "验证码已发送").await?;
    let code = newest_code(&ctx, "13800000001").await?;
    fill(&ctx, "#code", &code).await?;
    click(&ctx, "input[type=checkbox]").await?;
    click(&ctx, "button[type=submit]").await?;
    wait_for_path(&ctx, "/card").await?;
    ctx.wait_for_text(".card-status, main", "正常").await?;
    ctx.wait_for_text("main", "6217").await?;
    let page = ctx.script("return document.body.innerText").await?;
    ensure!(
        !page
            .as_str()
            .unwrap_or_default()
            .contains("6217000031415000"),
        "the full card number is on screen"
    );
    Ok(())
}

pub async fn a_wrong_password_is_explained_and_the_phone_is_kept(ctx: Ctx) -> TestResult {
    ctx.open("/login").await?;
    ctx.wait_for_text("main", "密码登录").await?;
    ctx.browser
        .find(Locator::XPath(
            "//button[@role='tab' and contains(., '密码登录')]",
        ))
        .await?
        .click()
        .await?;
    fill(&ctx, "#phone", "13800000009").await?;
    fill(&ctx, "input[type=password]", "not-the-password").await?;
    click(&ctx, "input[type=checkbox]").await?;
    click(&ctx, "button[type=submit]").await?;
    ctx.wait_for_text("[role=alert]", "密码").await?;
    let phone = ctx
        .script("return document.getElementById('phone').value")
        .await?;
    ensure!(phone == "13800000009", "the phone was lost: {phone}");
    ensure!(
        path_of(&ctx).await?.starts_with("/login"),
        "a failed sign-in must stay on the sign-in page"
    );
    Ok(())
}

pub async fn the_card_page_explains_each_status_with_its_next_step(ctx: Ctx) -> TestResult {
    let cases = [
        ("13800000003", "制卡中", "制卡约需15个工作日"),
        ("13800000002", "待激活", "中国银行网点激活"),
        ("13800000005", "已挂失", "补办新卡"),
        ("13800000006", "已冻结", "会籍登记"),
    ];
    for (phone, label, next_step) in cases {
        ctx.script("return fetch('/api/v1/auth/sign-out', {method: 'POST'}).then(() => true)")
            .await
            .ok();
        ctx.browser.delete_all_cookies().await?;
        ctx.sign_in_and_open(phone, "/card").await?;
        ctx.wait_for_text("main", label).await?;
        ctx.wait_for_text("main", next_step).await?;
        let qr = ctx
            .script("return document.querySelector('main svg[role=img]') !== null")
            .await?;
        ensure!(
            qr == false,
            "{phone} ({label}) must not show a member QR code"
        );
    }
    Ok(())
}

pub async fn an_active_card_shows_a_live_member_code(ctx: Ctx) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/card").await?;
    ctx.wait_for_text("main", "秒后自动刷新").await?;
    let qr = ctx
        .script(
            "return document.querySelector('main svg[role=img]')?.getAttribute('aria-label') ?? ''",
        )
        .await?;
    ensure!(
        qr.as_str().is_some_and(|label| !label.is_empty()),
        "no labelled QR code on an active card"
    );
    Ok(())
}

pub async fn reporting_a_card_lost_takes_two_steps_and_sticks(ctx: Ctx) -> TestResult {
    ctx.sign_in_and_open("13800000009", "/card").await?;
    ctx.wait_for_text("main", "正常").await?;
    ctx.click(Locator::XPath("//button[contains(., '挂失会员卡')]"))
        .await?;
    ctx.wait_for_text("main", "挂失原因").await?;
    ctx.click(Locator::XPath("//button[contains(., '确认挂失')]"))
        .await?;
    ctx.wait_for_text("main", "已挂失").await?;
    ctx.browser.refresh().await?;
    ctx.wait_for_text("main", "补办新卡").await?;
    Ok(())
}

pub async fn home_greets_the_member_with_card_messages_and_services(ctx: Ctx) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/").await?;
    ctx.wait_for_text("main", "张伟").await?;
    ctx.wait_for_text("main", "6217 **** **** 5000").await?;
    ctx.wait_for_text("main", "条未读").await?;
    ctx.wait_for_text("main", "常用服务").await?;
    ctx.wait_for_text("main", "12351").await?;
    // Elder mode is one tap from home, and the choice is remembered on the device.
    ctx.click(Locator::Css("button.elder-switch")).await?;
    ctx.browser.refresh().await?;
    ctx.wait_for_text("main", "常用服务").await?;
    let state = ctx
        .script("return [document.documentElement.classList.contains('elder'), document.querySelector('button.elder-switch').getAttribute('aria-pressed')]")
        .await?;
    ensure!(
        state == serde_json::json!([true, "true"]),
        "elder mode after a reload: {state}"
    );
    Ok(())
}

pub async fn signing_out_wipes_member_data_and_guards_the_member_screens(ctx: Ctx) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/me").await?;
    ctx.wait_for_text("main", "退出登录").await?;
    ctx.script("localStorage.setItem('portal.member.test', 'x'); return true")
        .await?;
    ctx.click(Locator::XPath("//button[contains(., '退出登录')]"))
        .await?;
    ctx.wait_for_text("h1", "登录").await?;
    let left = ctx
        .script(
            "return Object.keys(localStorage).filter(k => k.startsWith('portal.member.')).length",
        )
        .await?;
    ensure!(left == 0, "member data left on the device: {left} keys");
    ctx.open("/me").await?;
    wait_for_path(&ctx, "/login?next=%2Fme").await?;
    Ok(())
}

pub async fn a_session_ended_elsewhere_sends_the_member_to_sign_in_with_a_reason(
    ctx: Ctx,
) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/").await?;
    ctx.wait_for_text("main", "张伟").await?;
    // The session ends on the server (as after expiry); the next request gets a 401.
    ctx.browser.delete_all_cookies().await?;
    ctx.browser
        .find(Locator::Css("nav.tab-bar a[href='/card']"))
        .await?
        .click()
        .await?;
    ctx.wait_for_text("main", "登录已过期").await?;
    ensure!(
        path_of(&ctx).await?.starts_with("/login"),
        "an expired session must lead to sign-in"
    );
    Ok(())
}

pub async fn with_no_signal_the_card_page_shows_the_remembered_card(ctx: Ctx) -> TestResult {
    let server = crate::support::Server::own()?;
    let browser = ctx.another_browser(&[]).await?;
    let outcome = async {
        browser.goto(&format!("{}/privacy", server.base)).await?;
        let status = browser
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                fetch('/api/v1/auth/password-sign-in', {
                    method: 'POST',
                    headers: {'content-type': 'application/json'},
                    body: JSON.stringify({phone: '13800000001', password: 'Union2026'}),
                }).then(r => done(r.status), e => done(String(e)));"#,
                vec![],
            )
            .await?;
        ensure!(status == 200, "sign-in answered {status}");
        browser.goto(&format!("{}/card", server.base)).await?;
        let text = |browser: &fantoccini::Client| {
            let browser = browser.clone();
            async move {
                browser
                    .execute(
                        "return document.querySelector('main')?.innerText ?? ''",
                        vec![],
                    )
                    .await
            }
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let shown = text(&browser).await?;
            let controlled = browser
                .execute("return navigator.serviceWorker.controller !== null", vec![])
                .await?;
            let kept = browser
                .execute(
                    "return localStorage.getItem('portal.member.ecard_device') !== null",
                    vec![],
                )
                .await?;
            if shown.as_str().is_some_and(|t| t.contains("秒后自动刷新"))
                && controlled == true
                && kept == true
            {
                break;
            }
            ensure!(
                std::time::Instant::now() < deadline,
                "online card page: {shown}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        drop(server); // no network from here on
        browser.refresh().await?;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let shown = text(&browser).await?;
            let shown = shown.as_str().unwrap_or_default().to_owned();
            if shown.contains("离线")
                && shown.contains("正常")
                && shown.contains("6217 **** **** 5000")
            {
                ensure!(
                    shown.contains("离线会员码"),
                    "offline, the member code must be the offline one: {shown}"
                );
                ensure!(
                    !shown.contains("秒后自动刷新"),
                    "offline, no stale online QR code may be shown: {shown}"
                );
                return Ok(());
            }
            ensure!(
                std::time::Instant::now() < deadline,
                "offline card page: {shown}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    }
    .await;
    let _ = browser.close().await;
    outcome
}

/// The page's `main` text.
async fn main_text(browser: &fantoccini::Client) -> Result<String, crate::support::Error> {
    let shown = browser
        .execute(
            "return document.querySelector('main')?.innerText ?? ''",
            vec![],
        )
        .await?;
    Ok(shown.as_str().unwrap_or_default().to_owned())
}

/// What the merchant endpoint says about `token`, asked from the page.
async fn merchant_verdict(
    browser: &fantoccini::Client,
    token: &str,
) -> Result<serde_json::Value, crate::support::Error> {
    Ok(browser
        .execute_async(
            r#"const [token, done] = arguments;
            fetch('/api/v1/card/verify', {
                method: 'POST',
                headers: {'content-type': 'application/json'},
                body: JSON.stringify({token}),
            }).then(r => r.json()).then(done, e => done(String(e)));"#,
            vec![token.into()],
        )
        .await?)
}

/// Polls until `check` accepts the page text, for at most 20 s.
async fn wait_for_main(
    browser: &fantoccini::Client,
    what: &str,
    check: impl Fn(&str) -> bool,
) -> Result<String, crate::support::Error> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let shown = main_text(browser).await?;
        if check(&shown) {
            return Ok(shown);
        }
        ensure!(std::time::Instant::now() < deadline, "{what}: {shown}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

pub async fn with_no_signal_the_e_card_shows_a_code_merchants_accept_until_sign_out(
    ctx: Ctx,
) -> TestResult {
    let mut server = crate::support::Server::own()?;
    let browser = ctx.another_browser(&[]).await?;
    let outcome = async {
        browser.goto(&format!("{}/privacy", server.base)).await?;
        let status = browser
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                fetch('/api/v1/auth/password-sign-in', {
                    method: 'POST',
                    headers: {'content-type': 'application/json'},
                    body: JSON.stringify({phone: '13800000001', password: 'Union2026'}),
                }).then(r => done(r.status), e => done(String(e)));"#,
                vec![],
            )
            .await?;
        ensure!(status == 200, "sign-in answered {status}");
        browser.goto(&format!("{}/card", server.base)).await?;
        // Online: the live code, the service worker in control, the device key kept.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let device = loop {
            let ready = browser
                .execute(
                    "return navigator.serviceWorker.controller !== null
                        && (document.querySelector('main')?.innerText ?? '').includes('秒后自动刷新')
                        ? localStorage.getItem('portal.member.ecard_device') : null",
                    vec![],
                )
                .await?;
            if let Some(json) = ready.as_str() {
                break serde_json::from_str::<serde_json::Value>(json)?;
            }
            ensure!(
                std::time::Instant::now() < deadline,
                "online card page: {}",
                main_text(&browser).await?
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        };

        server.stop(); // a basement: no network
        browser.refresh().await?;
        wait_for_main(&browser, "offline e-card", |t| {
            t.contains("离线") && t.contains("离线会员码") && !t.contains("需要联网")
        })
        .await?;
        let payload = browser
            .execute(
                "const slot = document.querySelector('.ecard-qr-offline .qr-slot');
                 return slot && slot.querySelector('svg.qr-code') ? slot.dataset.payload : '';",
                vec![],
            )
            .await?;
        let payload = payload.as_str().unwrap_or_default().to_owned();
        ensure!(payload.starts_with("o1."), "offline QR payload: {payload:?}");

        // Back at a merchant with a connection, the scanner's verification accepts it.
        server.restart()?;
        let verdict = merchant_verdict(&browser, &payload).await?;
        ensure!(
            verdict["valid"] == true && verdict["member_name_masked"] == "张*",
            "offline code at the merchant: {verdict}"
        );
        let again = merchant_verdict(&browser, &payload).await?;
        ensure!(again["valid"] == false, "a code verifies once: {again}");

        // The same device key, another step: accepted while signed in, refused after sign-out.
        let id = device["device_id"].as_str().unwrap_or_default();
        let key = contract::card::hex_bytes(device["device_key"].as_str().unwrap_or_default())
            .ok_or("no device key kept")?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs() as i64;
        let step = contract::card::offline_step(now);
        // A step the page's own code (used above) is not in: when a 30-second step ended since
        // the page drew it, its step is `step - 1`, and a used step verifies no more.
        let page_step: i64 = payload
            .rsplit('.')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or("offline QR payload without a step")?;
        let unused = if page_step == step - 1 { step } else { step - 1 };
        let before = contract::card::offline_payload(&key, id, unused);
        let after = contract::card::offline_payload(&key, id, step + 1);
        let verdict = merchant_verdict(&browser, &before).await?;
        ensure!(verdict["valid"] == true, "another step, signed in: {verdict}");
        let signed_out = browser
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                const csrf = document.cookie.split('; ').find(c => c.startsWith('portal_csrf='))?.split('=')[1] ?? '';
                fetch('/api/v1/auth/sign-out', {
                    method: 'POST',
                    headers: {'content-type': 'application/json', 'x-csrf-token': csrf},
                    body: '{}',
                }).then(r => done(r.status), e => done(String(e)));"#,
                vec![],
            )
            .await?;
        ensure!(signed_out == 204 || signed_out == 200, "sign-out answered {signed_out}");
        let verdict = merchant_verdict(&browser, &after).await?;
        ensure!(
            verdict["valid"] == false && verdict["reason"] == "invalid",
            "after sign-out: {verdict}"
        );
        Ok(())
    }
    .await;
    let _ = browser.close().await;
    outcome
}
