//! Kiosk rules and sessions that end, in Chromium against the real server: a card that is not
//! active is refused at the kiosk with what to do, a signed-out phone scanning the kiosk's QR
//! code signs in on the member portal and approves, and "sign out on all devices".
use fantoccini::{Client, Locator};

use crate::ensure;
use crate::support::{Ctx, Error, Server, TestResult, cdp, emulate_screen, text_in};

/// A portrait 1080p touch kiosk at a worker service centre.
const KIOSK_SCREEN: (u32, u32) = (1080, 1920);

/// Waits until the page's text contains `text`.
async fn wait_for_body_text(browser: &Client, text: &str) -> TestResult {
    let script = format!(
        "return document.body.innerText.includes({}) ? 'yes' : ''",
        serde_json::to_string(text)?
    );
    text_in(browser, &script, text).await.map(drop)
}

/// The status of `GET /api/v1/auth/session` from the page.
async fn session_status(browser: &Client) -> Result<serde_json::Value, Error> {
    Ok(browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch('/api/v1/auth/session').then(r => done(r.status), e => done(String(e)));",
            vec![],
        )
        .await?)
}

/// Types a card number (as a card reader does) and the PIN on the on-screen keypad, and submits.
async fn card_and_pin(browser: &Client, card: &str, pin: &str) -> TestResult {
    browser
        .find(Locator::Id("kiosk-card"))
        .await?
        .send_keys(card)
        .await?;
    browser
        .find(Locator::Id("kiosk-pin"))
        .await?
        .click()
        .await?;
    for digit in pin.chars() {
        let key = format!("//div[@class='keypad']/button[normalize-space(.)='{digit}']");
        browser.find(Locator::XPath(&key)).await?.click().await?;
    }
    browser
        .find(Locator::Css("button[type=submit]"))
        .await?
        .click()
        .await?;
    Ok(())
}

pub async fn a_kiosk_refuses_a_card_reported_lost_and_says_what_to_do(ctx: Ctx) -> TestResult {
    let server = Server::own_with(&["--kiosk"])?;
    let browser = ctx.another_browser(&[]).await?;
    let outcome = async {
        emulate_screen(&browser, KIOSK_SCREEN, 1.0, false).await?;
        enrol_kiosk(&browser, &server, &server).await?;
        browser.goto(&format!("{}/kiosk", server.base)).await?;
        wait_for_body_text(&browser, "工会会员服务终端").await?;
        // 13800000005's card is reported lost; the PIN is right.
        card_and_pin(&browser, "6217000031415004", "246810").await?;
        let alert = text_in(
            &browser,
            "const a = [...document.querySelectorAll('[role=alert]')].map(e => e.innerText).join(' ');
             return a.includes('补办新卡') ? a : ''",
            "the refusal with the next step",
        )
        .await?;
        ensure!(alert.contains("自助终端"), "unclear refusal: {alert}");
        ensure!(
            browser.current_url().await?.path() == "/kiosk",
            "left the sign-in screen"
        );
        let session = session_status(&browser).await?;
        ensure!(session == 401, "a lost card got a session: {session}");
        Ok(())
    }
    .await;
    let _ = browser.close().await;
    outcome
}

pub async fn a_member_signs_out_on_all_devices_from_the_profile(ctx: Ctx) -> TestResult {
    let server = Server::own()?;
    let phone = ctx.on(&server);
    let laptop = ctx.another_browser(&[]).await?;
    let outcome = async {
        // Signed in on a borrowed laptop as well as on the phone.
        laptop.goto(&format!("{}/privacy", server.base)).await?;
        let status = laptop
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                fetch('/api/v1/auth/password-sign-in', {
                    method: 'POST',
                    headers: {'content-type': 'application/json'},
                    body: JSON.stringify({phone: '13800000009', password: 'Union2026'}),
                }).then(r => done(r.status), e => done(String(e)));"#,
                vec![],
            )
            .await?;
        ensure!(status == 200, "laptop sign-in answered {status}");
        // The policy forbids inline styles: record any violation from the first script on.
        cdp(
            &phone.browser,
            "Page.addScriptToEvaluateOnNewDocument",
            serde_json::json!({ "source": "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));" }),
        )
        .await?;
        phone.sign_in_and_open("13800000009", "/me").await?;
        phone.wait_for_text("main", "在所有设备上退出登录").await?;
        let violations = phone.script("return window.__csp || ['no recorder']").await?;
        ensure!(
            violations == serde_json::json!([]),
            "Content-Security-Policy violations on /me: {violations}"
        );
        phone
            .click(Locator::XPath(
                "//main//button[normalize-space()='在所有设备上退出登录']",
            ))
            .await?;
        text_in(
            &phone.browser,
            "return location.pathname === '/login' ? 'yes' : ''",
            "the sign-in page after signing out everywhere",
        )
        .await?;
        let here = session_status(&phone.browser).await?;
        ensure!(here == 401, "the phone is still signed in: {here}");
        let there = session_status(&laptop).await?;
        ensure!(there == 401, "the laptop is still signed in: {there}");
        // The laptop's member screens now lead to sign-in.
        laptop.goto(&format!("{}/card", server.base)).await?;
        text_in(
            &laptop,
            "return location.pathname === '/login' ? 'yes' : ''",
            "the laptop sent to sign-in",
        )
        .await?;
        Ok(())
    }
    .await;
    let _ = laptop.close().await;
    outcome
}

/// Enrols `browser` as a kiosk of `kiosk`: the admin command (run against the shared database
/// through `member`), then the enrolment page's button, which lands on `/kiosk`.
pub async fn enrol_kiosk(browser: &Client, admin: &Server, kiosk: &Server) -> TestResult {
    let printed = admin.admin(&[
        "kiosk",
        "enroll",
        "--name",
        "e2e kiosk",
        "--kiosk-url",
        &kiosk.base,
    ])?;
    let address = printed
        .lines()
        .find(|line| line.starts_with(&kiosk.base))
        .ok_or_else(|| format!("no enrolment address in {printed:?}"))?
        .trim()
        .to_owned();
    browser.goto(&address).await?;
    browser.find(Locator::Id("enrol")).await?.click().await?;
    text_in(
        browser,
        "return location.pathname === '/kiosk' ? 'yes' : ''",
        "the kiosk screen after enrolment",
    )
    .await?;
    Ok(())
}

pub async fn a_signed_out_phone_scanning_the_kiosk_qr_signs_in_on_the_member_portal_and_approves(
    ctx: Ctx,
) -> TestResult {
    let member_portal = Server::own()?;
    let database = member_portal
        .log
        .parent()
        .ok_or("no data directory")?
        .join("portal.db");
    let database_url = format!("sqlite://{}?mode=rwc", database.display());
    let kiosk_server = Server::own_with(&[
        "--kiosk",
        "--member-portal-url",
        &member_portal.base,
        "--database-url",
        &database_url,
    ])?;
    let phone = ctx.on(&member_portal);
    let kiosk = ctx.another_browser(&[]).await?;
    let outcome = async {
        emulate_screen(&kiosk, KIOSK_SCREEN, 1.0, false).await?;
        enrol_kiosk(&kiosk, &member_portal, &kiosk_server).await?;
        let address = text_in(
            &kiosk,
            "const qr = document.querySelector('[data-handoff] svg[role=img]');
             return qr ? qr.parentElement.dataset.handoff : ''",
            "a QR code on the kiosk",
        )
        .await?;
        let prefix = format!("{}/me?kiosk=", member_portal.base);
        ensure!(
            address.starts_with(&prefix),
            "the QR code does not open the member portal: {address}"
        );
        // A phone that is not signed in scans it: the member portal's own sign-in…
        phone.browser.delete_all_cookies().await?;
        phone.browser.goto(&address).await?;
        phone.wait_for_text("main", "密码登录").await?;
        phone
            .click(Locator::XPath(
                "//button[@role='tab' and contains(., '密码登录')]",
            ))
            .await?;
        phone
            .browser
            .find(Locator::Css("#phone"))
            .await?
            .send_keys("13800000001")
            .await?;
        phone
            .browser
            .find(Locator::Css("input[type=password]"))
            .await?
            .send_keys("Union2026")
            .await?;
        phone.click(Locator::Css("input[type=checkbox]")).await?;
        phone.click(Locator::Css("button[type=submit]")).await?;
        // …then straight back to the approval, the code intact.
        let back = text_in(
            &phone.browser,
            "return location.pathname === '/login' ? '' : location.pathname + location.search",
            "the way back from sign-in",
        )
        .await?;
        ensure!(back.starts_with("/me?kiosk="), "sent to {back} after sign-in");
        phone.wait_for_text("main", "在自助终端上登录").await?;
        let path = phone.browser.current_url().await?;
        ensure!(
            address.ends_with(&format!("{}?{}", path.path(), path.query().unwrap_or(""))),
            "the code was lost on the way: {path}"
        );
        phone
            .click(Locator::XPath("//main//button[normalize-space()='确认登录']"))
            .await?;
        phone.wait_for_text("main", "已确认").await?;
        wait_for_body_text(&kiosk, "张伟").await?;
        let kind = kiosk
            .execute_async(
                "const [done] = arguments;
                 fetch('/api/v1/auth/session').then(r => r.json()).then(s => done(s.kind), e => done(String(e)));",
                vec![],
            )
            .await?;
        ensure!(kind == "kiosk", "the kiosk's session is {kind}");
        Ok::<_, Error>(())
    }
    .await;
    let _ = kiosk.close().await;
    outcome
}

pub async fn an_unenrolled_kiosk_says_so_instead_of_showing_a_qr_code(ctx: Ctx) -> TestResult {
    let server = Server::own_with(&["--kiosk"])?;
    let kiosk = ctx.another_browser(&[]).await?;
    let outcome = async {
        emulate_screen(&kiosk, KIOSK_SCREEN, 1.0, false).await?;
        kiosk.goto(&format!("{}/kiosk", server.base)).await?;
        text_in(
            &kiosk,
            "const a = document.querySelector('.kiosk-phone [role=alert]');
             return a ? a.innerText : ''",
            "the not-enrolled notice",
        )
        .await?;
        let qr = kiosk
            .execute("return !!document.querySelector('[data-handoff]')", vec![])
            .await?;
        ensure!(qr == false, "an unenrolled kiosk showed a QR code");
        // Nor does it try a card and PIN, even the right ones (13800000001's card).
        card_and_pin(&kiosk, "6217000031415000", "246810").await?;
        text_in(
            &kiosk,
            "const a = [...document.querySelectorAll('.kiosk form [role=alert]')].map(e => e.innerText).join(' ');
             return a.includes('不是已登记的自助终端') ? a : ''",
            "the not-enrolled refusal of card and PIN",
        )
        .await?;
        let session = session_status(&kiosk).await?;
        ensure!(session == 401, "an unenrolled kiosk signed in: {session}");
        Ok(())
    }
    .await;
    let _ = kiosk.close().await;
    outcome
}
