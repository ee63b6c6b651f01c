//! Issue 7: how the portal behaves in its channels — phones with the font size raised.
use crate::ensure;
use crate::support::{Ctx, TestResult, default_text_size, emulate_screen, text_in};

/// A portrait 1080p touch kiosk at a worker service centre.
const KIOSK_SCREEN: (u32, u32) = (1080, 1920);

/// Every element that is cut off sideways: content wider than a box that hides its overflow,
/// and the page itself wider than the screen.
const CLIPPED: &str = r#"
    const clipped = [];
    if (document.documentElement.scrollWidth > window.innerWidth + 1) {
        clipped.push('page scrolls sideways: ' + document.documentElement.scrollWidth + 'px');
    }
    for (const el of document.querySelectorAll('#brand *, main *, nav *')) {
        const style = getComputedStyle(el);
        const hides = ['hidden', 'clip'].includes(style.overflowX);
        if (hides && el.scrollWidth > el.clientWidth + 1 && !el.classList.contains('visually-hidden')) {
            clipped.push(el.tagName + '.' + el.className + ': ' + el.innerText.slice(0, 40));
        }
        const box = el.getBoundingClientRect();
        if (box.width > 0 && box.right > window.innerWidth + 1) {
            clipped.push(el.tagName + '.' + el.className + ' sticks out to ' + Math.round(box.right) + 'px');
        }
    }
    return clipped.slice(0, 5);
"#;

pub async fn at_double_text_size_nothing_is_clipped_on_a_small_phone(ctx: Ctx) -> TestResult {
    emulate_screen(&ctx.browser, (360, 740), 2.0, true).await?;
    default_text_size(&ctx.browser, 32).await?;
    ctx.open("/login").await?;
    ctx.wait_for_text("main", "验证码登录").await?;
    check(&ctx, "/login").await?;
    ctx.sign_in_and_open("13800000001", "/").await?;
    for (path, marker) in [
        ("/", "常用服务"),
        ("/card", "秒后自动刷新"),
        ("/offers", "有效期至"),
        ("/me", "退出登录"),
    ] {
        ctx.open(path).await?;
        ctx.wait_for_text("main", marker).await?;
        check(&ctx, path).await?;
    }
    Ok(())
}

async fn check(ctx: &Ctx, path: &str) -> TestResult {
    let root = ctx
        .script("return parseFloat(getComputedStyle(document.documentElement).fontSize)")
        .await?;
    ensure!(
        root.as_f64().is_some_and(|size| size >= 31.0),
        "the raised font size did not apply on {path}: {root}px"
    );
    let clipped = ctx.script(CLIPPED).await?;
    ensure!(
        clipped.as_array().is_some_and(Vec::is_empty),
        "clipped at double text size on {path}: {clipped}"
    );
    Ok(())
}

/// A stand-in for WeChat's two OAuth endpoints, spoken as WeChat does: the authorisation page
/// sends the browser straight back with a code (as the silent `snsapi_base` scope does), and the
/// code exchange answers with the account's openid. Returns its base URL.
async fn fake_wechat() -> Result<String, crate::support::Error> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(answer_like_wechat(socket));
        }
    });
    Ok(base)
}

async fn answer_like_wechat(mut socket: tokio::net::TcpStream) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buffer[..n]),
        }
    }
    let head = String::from_utf8_lossy(&request);
    let target = head.split_whitespace().nth(1).unwrap_or("/");
    let Ok(url) = url::Url::parse(&format!("http://fake{target}")) else {
        return;
    };
    let query = |name: &str| {
        url.query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
            .unwrap_or_default()
    };
    let response = if url.path() == "/connect/oauth2/authorize" {
        let back = query("redirect_uri");
        let joiner = if back.contains('?') { '&' } else { '?' };
        let location = format!("{back}{joiner}code=e2e-code&state={}", query("state"));
        format!(
            "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
    } else if url.path() == "/sns/oauth2/access_token" && query("code") == "e2e-code" {
        let body = r#"{"access_token":"t","expires_in":7200,"refresh_token":"r","openid":"e2e-openid","scope":"snsapi_base"}"#;
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    } else {
        let body = r#"{"errcode":40029,"errmsg":"invalid code"}"#;
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let _ = socket.write_all(response.as_bytes()).await;
}

const WECHAT_USER_AGENT: &str = "--user-agent=Mozilla/5.0 (Linux; Android 12; V2055A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Mobile Safari/537.36 XWEB/1160083 MMWEBSDK/20240301 MicroMessenger/8.0.48.2580(0x28003036) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64";

pub async fn in_wechat_the_oauth_code_signs_in_binds_once_and_leaves_the_address(
    ctx: Ctx,
) -> TestResult {
    let wechat = fake_wechat().await?;
    let authorize = format!("{wechat}/connect/oauth2/authorize");
    let server = crate::support::Server::own_with(&[
        "--wechat-app-id",
        "wx-e2e",
        "--wechat-app-secret",
        "e2e-secret",
        "--wechat-api-base",
        &wechat,
        "--wechat-authorize-url",
        &authorize,
    ])?;
    let browser = ctx.another_browser(&[WECHAT_USER_AGENT]).await?;
    let outcome = async {
        let wait_for = |text: &'static str| {
            let browser = browser.clone();
            async move {
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
                loop {
                    let shown = browser
                        .execute("return document.querySelector('main')?.innerText ?? ''", vec![])
                        .await?;
                    if shown.as_str().is_some_and(|t| t.contains(text)) {
                        return Ok::<_, crate::support::Error>(());
                    }
                    ensure!(std::time::Instant::now() < deadline, "never showed {text:?}: {shown}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
            }
        };
        let click = |css: &'static str| {
            let browser = browser.clone();
            async move {
                browser.find(fantoccini::Locator::Css(css)).await?.click().await?;
                Ok::<_, crate::support::Error>(())
            }
        };
        // First time: the WeChat account is not bound, so the member signs in once by phone.
        browser.goto(&format!("{}/card", server.base)).await?;
        wait_for("微信一键登录").await?;
        click("a.wechat").await?;
        wait_for("首次在微信中使用").await?;
        let url = browser.current_url().await?;
        ensure!(
            url.path() == "/login" && !url.as_str().contains("code="),
            "after the unbound answer: {url}"
        );
        click("button[role=tab]:nth-child(2)").await?;
        browser.find(fantoccini::Locator::Css("#phone")).await?.send_keys("13800000001").await?;
        browser.find(fantoccini::Locator::Css("#password")).await?.send_keys("Union2026").await?;
        click("input[type=checkbox]").await?;
        click("button[type=submit]").await?;
        wait_for("秒后自动刷新").await?;
        // Signed out, the next WeChat sign-in is one tap and cleans the address.
        browser
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch('/api/v1/auth/session').then(r => r.json()).then(s =>
                   fetch('/api/v1/auth/sign-out', {method: 'POST', headers: {'x-csrf-token': s.csrf_token}})
                 ).then(() => done(true), () => done(false));",
                vec![],
            )
            .await?;
        browser.goto(&format!("{}/login?next=%2Fme", server.base)).await?;
        wait_for("微信一键登录").await?;
        click("a.wechat").await?;
        wait_for("退出登录").await?;
        let url = browser.current_url().await?;
        ensure!(
            url.path() == "/me" && url.query().is_none(),
            "the code must leave the address: {url}"
        );
        Ok(())
    }
    .await;
    let _ = browser.close().await;
    outcome
}

pub async fn a_kiosk_signs_in_by_card_and_pin_and_wipes_everything_when_left_idle(
    ctx: Ctx,
) -> TestResult {
    let server = crate::support::Server::own_with(&[
        "--kiosk",
        "--kiosk-warn-after-seconds",
        "3",
        "--kiosk-sign-out-after-seconds",
        "3",
    ])?;
    let browser = ctx.another_browser(&[]).await?;
    let outcome = async {
        emulate_screen(&browser, KIOSK_SCREEN, 1.0, false).await?;
        // Only an enrolled kiosk device may try a card and PIN.
        crate::kiosk::enrol_kiosk(&browser, &server, &server).await?;
        let main_text = || {
            let browser = browser.clone();
            async move {
                let text = browser
                    .execute("return document.body.innerText", vec![])
                    .await?;
                Ok::<_, crate::support::Error>(text.as_str().unwrap_or_default().to_owned())
            }
        };
        let wait_for = |text: &'static str| {
            async move {
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
                loop {
                    let shown = main_text().await?;
                    if shown.contains(text) {
                        return Ok::<_, crate::support::Error>(());
                    }
                    ensure!(std::time::Instant::now() < deadline, "never showed {text:?}: {shown}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
            }
        };
        // A member screen on a kiosk leads to the card + PIN screen.
        browser.goto(&format!("{}/card", server.base)).await?;
        wait_for("工会会员服务终端").await?;
        ensure!(
            browser.current_url().await?.path() == "/kiosk",
            "not on the kiosk sign-in screen"
        );
        // The card reader types the number; the PIN goes in on the on-screen keypad.
        browser
            .find(fantoccini::Locator::Id("kiosk-card"))
            .await?
            .send_keys("6217000031415000")
            .await?;
        browser.find(fantoccini::Locator::Id("kiosk-pin")).await?.click().await?;
        for digit in "246810".chars() {
            let key = format!("//div[@class='keypad']/button[normalize-space(.)='{digit}']");
            browser.find(fantoccini::Locator::XPath(&key)).await?.click().await?;
        }
        let typed = browser
            .execute("return document.getElementById('kiosk-pin').value.length", vec![])
            .await?;
        ensure!(typed == 6, "the keypad typed {typed} digits");
        browser
            .find(fantoccini::Locator::Css("button[type=submit]"))
            .await?
            .click()
            .await?;
        wait_for("张伟").await?;
        browser
            .execute("localStorage.setItem('portal.member.kiosk-test', 'x'); return true", vec![])
            .await?;
        // This member turns elder mode on; the next person must not inherit it.
        browser
            .execute("localStorage.setItem('portal.elder', '1'); return true", vec![])
            .await?;
        browser.refresh().await?;
        wait_for("张伟").await?;
        let elder = browser
            .execute("return document.documentElement.classList.contains('elder')", vec![])
            .await?;
        ensure!(elder == true, "elder mode did not apply");
        // Left alone, it warns with a countdown; "keep going" keeps the member signed in.
        wait_for("还在使用吗").await?;
        browser
            .find(fantoccini::Locator::XPath("//button[contains(., '继续使用')]"))
            .await?
            .click()
            .await?;
        ensure!(
            !main_text().await?.contains("还在使用吗"),
            "the warning stayed after keep going"
        );
        // Left alone again: warning, then sign-out, wipe and the attract screen.
        wait_for("还在使用吗").await?;
        wait_for("工会会员服务终端").await?;
        let left = browser
            .execute(
                "return Object.keys(localStorage).filter(k => k.startsWith('portal.member.')).length",
                vec![],
            )
            .await?;
        ensure!(left == 0, "member data left on the kiosk: {left} keys");
        let display = browser
            .execute(
                "return [localStorage.getItem('portal.elder') === '1', document.documentElement.classList.contains('elder')]",
                vec![],
            )
            .await?;
        ensure!(
            display == serde_json::json!([false, false]),
            "the previous member's elder mode survived the wipe: {display}"
        );
        let session = browser
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch('/api/v1/auth/session').then(r => done(r.status), e => done(String(e)));",
                vec![],
            )
            .await?;
        ensure!(session == 401, "the kiosk session is still open: {session}");
        ensure!(
            !main_text().await?.contains("张伟"),
            "the member's name is still on screen"
        );
        Ok(())
    }
    .await;
    let _ = browser.close().await;
    outcome
}

/// Runs axe-core (WCAG 2.0–2.2 A and AA rules) on the current page; the violations, briefly.
pub async fn accessibility_violations(ctx: &Ctx) -> Result<Vec<String>, crate::support::Error> {
    let axe = std::env::var("PORTAL_AXE_JS").map_err(|_| "PORTAL_AXE_JS is not set")?;
    let script = std::fs::read_to_string(&axe)?;
    ctx.browser.execute(&script, vec![]).await?;
    let found = ctx
        .browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values:
               ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
               .then(r => done(r.violations.map(v => v.id + ': ' +
                 v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(', '))),
                     e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await?;
    Ok(found
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

pub async fn the_main_screens_pass_wcag_checks_in_large_text_and_elder_mode(
    ctx: Ctx,
) -> TestResult {
    let mut failures = Vec::new();
    for (mode, classes) in [("normal", ""), ("large text + elder", "large-text elder")] {
        ctx.open("/login").await?;
        ctx.script(&format!(
            "localStorage.setItem('portal.largeText', '{0}'); localStorage.setItem('portal.elder', '{0}'); return true",
            if classes.is_empty() { "0" } else { "1" }
        ))
        .await?;
        ctx.browser.refresh().await?;
        ctx.wait_for_text("main", "验证码登录").await?;
        for violation in accessibility_violations(&ctx).await? {
            failures.push(format!("/login ({mode}): {violation}"));
        }
    }
    ctx.sign_in_and_open("13800000001", "/").await?;
    for (path, marker) in [
        ("/", "常用服务"),
        ("/card", "秒后自动刷新"),
        ("/offers", "有效期至"),
        ("/me", "退出登录"),
        ("/centres", "12351"),
        ("/insurance", "保障中"),
        ("/aid", "春节送温暖"),
        ("/aid/apply/aidp_send_warmth", "第1步"),
        ("/aid/applications/aid_demo_paid", "已发放到卡"),
    ] {
        ctx.open(path).await?;
        ctx.wait_for_text("main", marker).await?;
        for violation in accessibility_violations(&ctx).await? {
            failures.push(format!("{path} (large text + elder): {violation}"));
        }
    }
    ensure!(
        failures.is_empty(),
        "accessibility violations: {failures:#?}"
    );
    Ok(())
}

pub async fn a_kiosk_signs_in_when_the_members_own_phone_approves_its_qr_code(
    ctx: Ctx,
) -> TestResult {
    let server = crate::support::Server::own_with(&["--kiosk"])?;
    let phone = ctx.on(&server);
    let kiosk = ctx.another_browser(&[]).await?;
    let outcome = async {
        emulate_screen(&kiosk, KIOSK_SCREEN, 1.0, false).await?;
        // Only an enrolled kiosk shows a QR code.
        crate::kiosk::enrol_kiosk(&kiosk, &server, &server).await?;
        let address = text_in(
            &kiosk,
            "const qr = document.querySelector('[data-handoff] svg[role=img]');
             return qr ? qr.parentElement.dataset.handoff : ''",
            "a QR code on the kiosk",
        )
        .await?;
        let path = address
            .strip_prefix(&server.base)
            .ok_or_else(|| format!("the QR code points elsewhere: {address}"))?
            .to_owned();
        ensure!(path.starts_with("/me?kiosk="), "unexpected QR address {address}");

        // The member's phone, signed in, opens the scanned address and approves.
        phone.sign_in_and_open("13800000001", &path).await?;
        phone.wait_for_text("main", "在自助终端上登录").await?;
        phone
            .click(fantoccini::Locator::XPath("//main//button[normalize-space()='确认登录']"))
            .await?;
        phone.wait_for_text("main", "已确认").await?;

        // The kiosk signs in by itself, with nothing typed on it.
        text_in(
            &kiosk,
            "return document.body.innerText.includes('张伟') ? 'yes' : ''",
            "the member signed in on the kiosk",
        )
        .await?;
        let kind = kiosk
            .execute_async(
                "const [done] = arguments;
                 fetch('/api/v1/auth/session').then(r => r.json()).then(s => done(s.kind), e => done(String(e)));",
                vec![],
            )
            .await?;
        ensure!(kind == "kiosk", "the kiosk's session is {kind}");
        Ok::<_, crate::support::Error>(())
    }
    .await;
    let _ = kiosk.close().await;
    outcome
}
