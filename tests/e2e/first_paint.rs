//! A signed-in visit's first paint in Chromium against the real server: `/card` shows the
//! member's code as the page arrives, drawn by the server; the app then draws the same code
//! (from the answers in the page, asking nothing again) where the first paint stood, and the
//! first paint goes. The personal page is kept by no cache. `/offers` arrives with the offers,
//! and what a member types into its search before the app is there is searched by the app;
//! `/` with the member's card and messages, `/insurance` with their cover, `/me` with their
//! profile, masked, `/aid` with their applications and the programmes.
use fantoccini::Locator;
use serde_json::json;

use crate::channels::accessibility_violations;
use crate::ensure;
use crate::shell::{DOWNLOADS, api_requests};
use crate::signin::fail_main_wasm;
use crate::support::{Ctx, TestResult, cdp};

/// Runs before the page's own scripts: as soon as the first paint's code is parsed (the app
/// cannot have drawn by then, its wasm is still on the way), notes what the first paint shows.
const NOTE_FIRST_PAINT: &str = "new MutationObserver((_, observer) => {
    const paint = document.getElementById('first-paint');
    const code = paint && paint.querySelector('img.qr-code');
    if (!code) return;
    observer.disconnect();
    window.__firstPaint = {
        number: paint.querySelector('.card-number').textContent,
        code: decodeURIComponent(code.getAttribute('src')).match(/ d='([^']+)'/)[1],
        title: paint.querySelector('h1').innerText,
    };
}).observe(document, { childList: true, subtree: true });";

/// Where the live code is drawn, and what it and the card number are.
const LIVE_CARD: &str = "
    const code = document.querySelector('#app .ecard-face .qr-code');
    const box = code.getBoundingClientRect();
    return {
        number: document.querySelector('#app .ecard-face .card-number').textContent,
        code: code.querySelector('path').getAttribute('d'),
        title: document.querySelector('#app h1').innerText,
        top: Math.round(box.top + scrollY), left: Math.round(box.left), width: Math.round(box.width),
        paintLeft: !!document.getElementById('first-paint'),
    };";

pub async fn a_card_visit_shows_the_code_as_the_page_arrives_and_the_app_keeps_it(
    ctx: Ctx,
) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/card").await?;
    ctx.wait_until(
        "return !!document.querySelector('#app .ecard-face .qr-code')",
        "the card page drawn by the app",
    )
    .await?;
    let live_before = ctx.script(LIVE_CARD).await?;
    // With the service worker in control, the reload below goes through it.
    ctx.wait_until(
        "return navigator.serviceWorker.controller !== null",
        "the service worker in control",
    )
    .await?;
    cdp(
        &ctx.browser,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": NOTE_FIRST_PAINT }),
    )
    .await?;
    ctx.browser.refresh().await?;
    ctx.wait_until(
        "return !document.getElementById('first-paint') \
         && !!document.querySelector('#app .ecard-face .qr-code')",
        "the app's code in place of the first paint",
    )
    .await?;
    let painted = ctx.script("return window.__firstPaint").await?;
    let live = ctx.script(LIVE_CARD).await?;
    ensure!(
        painted.is_object(),
        "the page should arrive with the member code drawn: {painted}"
    );
    for field in ["number", "code", "title"] {
        ensure!(
            painted[field] == live[field],
            "the app should draw the first paint's {field} again: {painted} / {live}"
        );
    }
    for field in ["top", "left", "width"] {
        ensure!(
            live[field] == live_before[field],
            "the code should stand where the app draws it without a first paint ({field}): {live} / {live_before}"
        );
    }
    took_the_pages_answers(
        &ctx,
        &[
            "/api/v1/auth/session",
            "/api/v1/card",
            "/api/v1/card/ecard-token",
        ],
    )
    .await?;
    offline_copy_is_the_shell(&ctx).await
}

/// The service worker keeps a page for offline use: the shell, never a member's page.
async fn offline_copy_is_the_shell(ctx: &Ctx) -> TestResult {
    let kept: serde_json::Value = ctx
        .browser
        .execute_async(
            "const done = arguments[0];
             setTimeout(() => caches.match('/').then(r => r ? r.text() : '').then(done), 1000);",
            vec![],
        )
        .await?;
    let kept = kept.as_str().unwrap_or_default();
    ensure!(
        kept.contains("portal:first-paint")
            && !kept.contains(r#"id="portal-answers""#)
            && !kept.contains(r#"id="first-paint""#),
        "the offline copy should be the shell, not this member's page (kept {} bytes; a first paint in it: {})",
        kept.len(),
        kept.contains(r#"id="first-paint""#)
    );
    Ok(())
}

/// What home shows under `root` and where: the card, the unread count, the newest message
/// and the first quick entry (text as read on screen, so either language's spans agree).
fn home_seen(root: &str) -> String {
    format!(
        "const seen = {{}};
         for (const [name, selector] of [['number', '.ecard-number'], ['name', '.ecard-name'],
                 ['union', '.ecard-union'], ['badge', '.ecard .badge'], ['unread', '.unread-count'],
                 ['message', '.messages li'], ['entry', '.quick-entries li a']]) {{
             const element = document.querySelector('{root} .home ' + selector);
             const box = element.getBoundingClientRect();
             seen[name] = [element.innerText.trim(), Math.round(box.top + scrollY), Math.round(box.left),
                 Math.round(box.width), element.className];
         }}
         return seen;"
    )
}

/// What a home first paint answers for the app.
const HOME_ANSWERS: &[&str] = &[
    "/api/v1/auth/session",
    "/api/v1/card",
    "/api/v1/me",
    "/api/v1/notifications",
];

pub async fn a_home_visit_shows_the_card_and_messages_as_the_page_arrives(ctx: Ctx) -> TestResult {
    let home = Painted {
        path: "/",
        drawn: ".home .quick-entries",
        seen: home_seen,
        answers: HOME_ANSWERS,
    };
    the_first_paint_is_the_apps_screen(&ctx, &home).await?;
    // A service worker installed while signed in keeps the shell too: `/` is this member's
    // home only for this member's page.
    ctx.script(
        "navigator.serviceWorker.getRegistrations()
             .then(all => Promise.all(all.map(r => r.unregister())))
             .then(() => caches.keys()).then(keys => Promise.all(keys.map(k => caches.delete(k))));
         return true",
    )
    .await?;
    ctx.browser.refresh().await?;
    ctx.wait_until(
        "return navigator.serviceWorker.controller !== null",
        "a new service worker in control",
    )
    .await?;
    offline_copy_is_the_shell(&ctx).await
}

/// A screen the server draws first: its address, what shows that the whole of it is drawn
/// (a selector below the root), how to read it under a root (`#app` or `#first-paint`), and the
/// API requests whose answers come with the page.
struct Painted {
    path: &'static str,
    drawn: &'static str,
    seen: fn(&str) -> String,
    answers: &'static [&'static str],
}

/// The first paint is the app's screen, as a returning member meets it: the app draws the
/// screen (read under `#app`) with the service worker in control; reloaded with the app held
/// back, the first paint reads the same at the same place and passes the WCAG checks alone;
/// released, the app draws the same screen in its place from the page's answers, asking none
/// of them again.
async fn the_first_paint_is_the_apps_screen(ctx: &Ctx, screen: &Painted) -> TestResult {
    ctx.sign_in_and_open("13800000001", screen.path).await?;
    let drawn = |root: &str| format!("document.querySelector('{root} {}')", screen.drawn);
    ctx.wait_until(
        &format!("return !!{}", drawn("#app")),
        "the screen drawn by the app",
    )
    .await?;
    let live = ctx.script(&(screen.seen)("#app")).await?;
    ctx.wait_until(
        "return navigator.serviceWorker.controller !== null",
        "the service worker in control",
    )
    .await?;
    reload_with_the_app_held(ctx, &format!("#first-paint {}", screen.drawn)).await?;
    let painted = ctx.script(&(screen.seen)("#first-paint")).await?;
    ensure!(
        painted == live,
        "the first paint should show what the app shows, where the app draws it: {painted} / {live}"
    );
    the_first_paint_alone_passes_wcag(ctx).await?;
    ctx.script("window.__release()").await?;
    ctx.wait_until(
        &format!(
            "return !document.getElementById('first-paint') && !!{}",
            drawn("#app")
        ),
        "the app's screen in place of the first paint",
    )
    .await?;
    ensure!(
        ctx.script(&(screen.seen)("#app")).await? == live,
        "the app should draw the screen as before"
    );
    took_the_pages_answers(ctx, screen.answers).await
}

/// Runs before the page's own scripts: holds every WebAssembly compile until the test calls
/// `__release()`, so the first paint can be used as a member on a slow line would, before the
/// app is there.
const HOLD_THE_APP: &str = "(() => {
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    window.__release = release;
    for (const name of ['compile', 'compileStreaming', 'instantiate', 'instantiateStreaming']) {
        const original = WebAssembly[name];
        WebAssembly[name] = (...args) => held.then(() => original.apply(WebAssembly, args));
    }
})();";

/// Reloads the page with the app held back (`HOLD_THE_APP`, until `window.__release()`), as on
/// a slow line, and waits for the first paint's `painted` (a selector). Later loads are not held.
async fn reload_with_the_app_held(ctx: &Ctx, painted: &str) -> TestResult {
    let held = cdp(
        &ctx.browser,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": HOLD_THE_APP }),
    )
    .await?;
    ctx.browser.refresh().await?;
    cdp(
        &ctx.browser,
        "Page.removeScriptToEvaluateOnNewDocument",
        json!({ "identifier": held["identifier"] }),
    )
    .await?;
    ctx.wait_until(
        &format!("return !!document.querySelector({painted:?})"),
        "the screen drawn by the server",
    )
    .await
}

/// What is on screen before the app arrives passes the WCAG checks.
async fn the_first_paint_alone_passes_wcag(ctx: &Ctx) -> TestResult {
    let violations = accessibility_violations(ctx).await?;
    ensure!(
        violations.is_empty(),
        "the first paint alone should pass the WCAG checks: {violations:#?}"
    );
    Ok(())
}

/// Each entitlement card under `root` as read on screen (so either language's spans agree),
/// and where it stands.
fn cover_seen(root: &str) -> String {
    format!(
        "return [...document.querySelectorAll('{root} .entitlements li.entitlement')].map((card) => {{
             const box = card.getBoundingClientRect();
             return [card.innerText.trim(), Math.round(box.top + scrollY), Math.round(box.left),
                 Math.round(box.width), Math.round(box.height),
                 card.querySelector('a').getAttribute('href')];
         }});"
    )
}

/// What an `/insurance` first paint answers for the app.
const COVER_ANSWERS: &[&str] = &["/api/v1/auth/session", "/api/v1/insurance/entitlements"];

pub async fn an_insurance_visit_shows_the_cover_as_the_page_arrives(ctx: Ctx) -> TestResult {
    let cover = Painted {
        path: "/insurance",
        drawn: ".entitlements",
        seen: cover_seen,
        answers: COVER_ANSWERS,
    };
    the_first_paint_is_the_apps_screen(&ctx, &cover).await?;
    let cards = ctx.script(&cover_seen("#app")).await?;
    ensure!(
        cards.as_array().is_some_and(|cards| cards.len() > 1)
            && cards.to_string().contains("已到期"),
        "the demo member should hold cover in force and a past period: {cards}"
    );
    Ok(())
}

/// The profile panel under `root` as read on screen, and where it stands.
fn profile_seen(root: &str) -> String {
    format!(
        "const panel = document.querySelector('{root} [aria-labelledby=profile-heading]');
         const box = panel.getBoundingClientRect();
         return [panel.innerText.trim(), Math.round(box.top + scrollY), Math.round(box.left),
             Math.round(box.width), Math.round(box.height),
             document.querySelector('{root} h1').innerText];"
    )
}

pub async fn a_me_visit_shows_the_profile_masked_as_the_page_arrives(ctx: Ctx) -> TestResult {
    let me = Painted {
        path: "/me",
        drawn: "#profile-heading",
        seen: profile_seen,
        answers: &["/api/v1/auth/session", "/api/v1/me"],
    };
    the_first_paint_is_the_apps_screen(&ctx, &me).await?;
    let profile = ctx.script(&profile_seen("#app")).await?.to_string();
    ensure!(
        profile.contains("**") && !profile.contains("13800000001"),
        "the numbers on the screen should be masked: {profile}"
    );
    Ok(())
}

/// The aid screen under `root` as read on screen: the title, and each application and
/// programme card (closed details show their summary only) with where it stands and its links.
fn aid_seen(root: &str) -> String {
    format!(
        "const cards = [...document.querySelectorAll('{root} .aid-applications > li, {root} .aid-programs > li')];
         return [document.querySelector('{root} h1').innerText, ...cards.map((card) => {{
             const box = card.getBoundingClientRect();
             return [card.innerText.trim(), Math.round(box.top + scrollY), Math.round(box.left),
                 Math.round(box.width), Math.round(box.height),
                 [...card.querySelectorAll('a')].map((a) => a.getAttribute('href'))];
         }})];"
    )
}

pub async fn an_aid_visit_shows_the_applications_and_programmes_as_the_page_arrives(
    ctx: Ctx,
) -> TestResult {
    // This device keeps a half-written application to one programme: its way in says
    // "continue" in the first paint as in the app (the server cannot see the device's drafts).
    ctx.open("/privacy").await?;
    ctx.script(
        "localStorage.setItem('portal.draft.mem_demo001.aid.aidp_send_warmth',
             JSON.stringify({ program_id: 'aidp_send_warmth', hardship: '家里' }))",
    )
    .await?;
    let aid = Painted {
        path: "/aid",
        drawn: ".aid-programs",
        seen: aid_seen,
        answers: &[
            "/api/v1/auth/session",
            "/api/v1/aid/programs",
            "/api/v1/aid/applications",
        ],
    };
    the_first_paint_is_the_apps_screen(&ctx, &aid).await?;
    let seen = ctx.script(&aid_seen("#app")).await?.to_string();
    for shown in [
        "已发放到卡",
        "查看我的申请",
        "继续填写",
        "申请",
        "不在申请时间",
    ] {
        ensure!(
            seen.contains(shown),
            "the demo member's aid screen should show {shown}: {seen}"
        );
    }
    Ok(())
}

/// What an `/offers` first paint answers for the app.
const OFFERS_ANSWERS: &[&str] = &[
    "/api/v1/auth/session",
    "/api/v1/offers?limit=20",
    "/api/v1/offers/districts",
];

/// The first offer of the list under `root`: where it stands and whose it is.
fn first_offer(root: &str) -> String {
    format!(
        "const offer = document.querySelector('{root} .offer-list li.offer');
         const box = offer.getBoundingClientRect();
         return {{
             merchant: offer.querySelector('.offer-merchant').textContent,
             top: Math.round(box.top + scrollY), left: Math.round(box.left), width: Math.round(box.width),
         }};"
    )
}

pub async fn an_offers_visit_shows_the_offers_as_the_page_arrives_and_keeps_what_was_typed(
    ctx: Ctx,
) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/offers").await?;
    ctx.wait_until(
        "return !!document.querySelector('#app .offer-list li.offer')",
        "the offers drawn by the app",
    )
    .await?;
    let live = ctx.script(&first_offer("#app")).await?;
    let wanted: String = ctx
        .script(
            "return document.querySelectorAll('#app .offer-list .offer-merchant')[2].textContent",
        )
        .await?
        .as_str()
        .unwrap_or_default()
        .to_owned();
    ctx.wait_until(
        "return navigator.serviceWorker.controller !== null",
        "the service worker in control",
    )
    .await?;
    reload_with_the_app_held(&ctx, "#first-paint .offer-list li.offer").await?;
    let painted = ctx.script(&first_offer("#first-paint")).await?;
    ensure!(
        painted == live,
        "the first paint should show the app's first offer where the app draws it: {painted} / {live}"
    );
    the_first_paint_alone_passes_wcag(&ctx).await?;
    // A member on a slow line starts a search before the app has arrived.
    let search = ctx
        .browser
        .find(Locator::Css("#first-paint #offer-search"))
        .await?;
    search.click().await?;
    search.send_keys(&wanted).await?;
    ctx.script("window.__release()").await?;
    ctx.wait_until(
        "return !document.getElementById('first-paint') \
         && new URLSearchParams(location.search).has('q') \
         && !!document.querySelector('#app .offer-list li.offer')",
        "the app searching what was typed on the first paint",
    )
    .await?;
    let after = ctx
        .script(
            "const field = document.activeElement;
             return {
                 focused: field.id, inApp: !!field.closest('#app'), value: field.value,
                 q: new URLSearchParams(location.search).get('q'),
                 merchants: [...document.querySelectorAll('#app .offer-list li.offer')].map(li => li.textContent),
             };",
        )
        .await?;
    ensure!(
        after["focused"] == "offer-search" && after["inApp"] == true && after["value"] == wanted,
        "the app's search field should hold the text and the focus: {after}"
    );
    ensure!(
        after["q"] == wanted.as_str()
            && after["merchants"].as_array().is_some_and(|all| all
                .iter()
                .all(|m| m.as_str().is_some_and(|m| m.contains(&wanted)))),
        "the list should be the search for {wanted}: {after}"
    );
    took_the_pages_answers(&ctx, OFFERS_ANSWERS).await?;
    Ok(())
}

/// Where the start-up guard's network notice is, and whether its retry button is what a tap
/// there reaches (not the first paint beneath it).
const NETWORK_NOTICE: &str = "
    const notice = document.getElementById('shell-network');
    const retry = document.getElementById('shell-retry').getBoundingClientRect();
    const box = notice.getBoundingClientRect();
    const tapped = document.elementFromPoint(retry.left + retry.width / 2, retry.top + retry.height / 2);
    return {
        shown: !notice.hidden && box.height > 0, onScreen: box.top >= 0 && box.bottom <= innerHeight,
        retryOnTop: tapped && tapped.id === 'shell-retry',
        offers: document.querySelectorAll('#first-paint .offer-list li.offer').length,
    };";

pub async fn when_the_app_cannot_download_the_first_paint_stays_and_a_retry_shows_over_it(
    ctx: Ctx,
) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/offers").await?;
    // The route plan's preload and the guard's first try may be one download or two: four
    // failures leave the guard's three tries failed either way, and the member's retry through.
    let (_devtools, _seen) = fail_main_wasm(&ctx.browser, 4).await?;
    ctx.open("/offers").await?;
    ctx.wait_until(
        "return !document.getElementById('shell-network').hidden",
        "the network notice",
    )
    .await?;
    let seen = ctx.script(NETWORK_NOTICE).await?;
    ensure!(
        seen["shown"] == true && seen["onScreen"] == true && seen["retryOnTop"] == true,
        "the network notice and its retry should be on screen over the first paint: {seen}"
    );
    ensure!(
        seen["offers"].as_u64().is_some_and(|n| n > 0),
        "the first paint should stay while the app cannot come: {seen}"
    );
    ctx.click(Locator::Id("shell-retry")).await?;
    ctx.wait_until(
        "return !document.getElementById('first-paint') \
         && !!document.querySelector('#app .offer-list li.offer')",
        "the app taking over after the retry",
    )
    .await?;
    Ok(())
}

pub async fn a_member_who_chose_english_gets_the_first_paints_answers_in_english(
    ctx: Ctx,
) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/offers").await?;
    ctx.script("localStorage.setItem('portal.locale', 'en'); return true")
        .await?;
    // The first load after the choice notes the language for the server; the next one is drawn
    // in it.
    for _ in 0..2 {
        ctx.browser.refresh().await?;
        ctx.wait_until(
            "return !document.getElementById('first-paint') \
             && !!document.querySelector('#app .offer-list li.offer')",
            "the offers drawn by the app",
        )
        .await?;
    }
    ctx.wait_for_text("#app h1", "Member offers").await?;
    took_the_pages_answers(&ctx, OFFERS_ANSWERS).await?;
    Ok(())
}

/// The app took every answer the page came with, and asked none of `answered` itself.
async fn took_the_pages_answers(ctx: &Ctx, answered: &[&str]) -> TestResult {
    let loaded = ctx.script(DOWNLOADS).await?;
    let api = api_requests(&loaded);
    for request in answered {
        ensure!(
            !api.contains(request),
            "{request} came with the page and should not be asked again: {loaded}"
        );
    }
    ensure!(
        loaded["untaken"].as_array().is_some_and(Vec::is_empty),
        "every answer in the page should be taken by the app: {loaded}"
    );
    Ok(())
}
