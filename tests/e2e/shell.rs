//! The app shell: static first paint, routing, deep links and the language switch.
use fantoccini::Locator;

use crate::ensure;
use crate::support::{Ctx, TestResult, cdp, default_text_size, emulate_screen, http_get};

pub async fn the_served_page_carries_a_static_shell_and_the_runtime_config(ctx: Ctx) -> TestResult {
    let (head, body) = http_get(&ctx.base, "/card").await?;
    ensure!(head.starts_with("http/1.1 200"), "deep link status: {head}");
    ensure!(
        head.contains("cache-control: no-cache"),
        "index.html must not be cached: {head}"
    );
    ensure!(
        body.contains("<html lang=\"zh-CN\">"),
        "the page must declare Simplified Chinese"
    );
    ensure!(
        body.contains("id=\"shell\"") && body.contains("工会会员服务"),
        "no static shell in the HTML"
    );
    ensure!(
        body.contains("id=\"portal-config\""),
        "no runtime config block"
    );
    ensure!(
        body.contains("\"apiBase\""),
        "the runtime config has no apiBase"
    );
    Ok(())
}

pub async fn the_app_replaces_the_shell_and_shows_the_tab_bar(ctx: Ctx) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/").await?;
    ctx.wait_for_text("nav.tab-bar", "首页").await?;
    ctx.wait_for_text("h1", "首页").await?;
    let tabs = ctx
        .script("return document.querySelectorAll('nav.tab-bar a').length")
        .await?;
    ensure!(tabs == 5, "expected 5 tabs, found {tabs}");
    let shell = ctx
        .script(
            "const brand = document.getElementById('brand');
                 return document.getElementById('shell') === null && brand.offsetHeight === 0",
        )
        .await?;
    ensure!(
        shell == true,
        "the static shell or brand header is still on a member page"
    );
    let title = ctx.script("return document.title").await?;
    ensure!(
        title.as_str().is_some_and(|t| t.contains("首页")),
        "document title: {title}"
    );
    Ok(())
}

pub async fn a_deep_link_survives_a_reload(ctx: Ctx) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/card").await?;
    ctx.wait_for_text("h1", "会员卡").await?;
    ctx.browser.refresh().await?;
    ctx.wait_for_text("h1", "会员卡").await?;
    // The title may be the server's first paint: the tab bar is the app's.
    ctx.wait_until(
        "return !!document.querySelector('nav.tab-bar a[aria-current=page]')",
        "the app's tab bar",
    )
    .await?;
    let current = ctx
        .script("return document.querySelector('nav.tab-bar a[aria-current=page]').getAttribute('href')")
        .await?;
    ensure!(
        current == "/card",
        "the card tab should be current, found {current}"
    );
    Ok(())
}

pub async fn tabs_navigate_within_the_app(ctx: Ctx) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/").await?;
    ctx.wait_for_text("nav.tab-bar", "优惠").await?;
    ctx.script("window.__sameDocument = true; return true")
        .await?;
    ctx.browser
        .find(fantoccini::Locator::Css("nav.tab-bar a[href='/offers']"))
        .await?
        .click()
        .await?;
    ctx.wait_for_text("h1", "普惠优惠").await?;
    let url = ctx.browser.current_url().await?;
    ensure!(url.path() == "/offers", "url after the tab: {url}");
    let same = ctx.script("return window.__sameDocument === true").await?;
    ensure!(
        same == true,
        "the tab reloaded the page instead of routing in-app"
    );
    Ok(())
}

pub async fn unknown_paths_say_so_and_lead_home(ctx: Ctx) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/no/such/page").await?;
    ctx.wait_for_text("h1", "页面不存在").await?;
    ctx.browser
        .find(fantoccini::Locator::Css("main a[href='/']"))
        .await?
        .click()
        .await?;
    ctx.wait_for_text("h1", "首页").await?;
    Ok(())
}

pub async fn a_stored_english_preference_switches_the_language(ctx: Ctx) -> TestResult {
    // Signed out, `/` leads to sign-in, whose heading and static tagline follow the language.
    ctx.open("/").await?;
    ctx.wait_for_text("h1", "登录").await?;
    ctx.script("localStorage.setItem('portal.locale', 'en'); return true")
        .await?;
    ctx.browser.refresh().await?;
    ctx.wait_for_text("h1", "Sign in").await?;
    let lang = ctx.script("return document.documentElement.lang").await?;
    ensure!(
        lang == "en",
        "<html lang> should follow the UI language, found {lang}"
    );
    let brand = ctx
        .script("return document.getElementById('brand').innerText")
        .await?;
    let brand = brand.as_str().unwrap_or_default();
    ensure!(
        brand.contains("in one place") && !brand.contains("一站办理"),
        "the tagline should be in English only: {brand}"
    );
    Ok(())
}

pub async fn without_webassembly_the_shell_explains_what_to_do(ctx: Ctx) -> TestResult {
    // Remove the WebAssembly global before any page script runs, as in old or locked-down
    // in-app browsers.
    let old_browser = ctx.another_browser(&[]).await?;
    let hide = serde_json::json!({ "source": "delete window.WebAssembly;" });
    cdp(&old_browser, "Page.addScriptToEvaluateOnNewDocument", hide).await?;
    old_browser.goto(&ctx.url("/")).await?;
    let outcome = async {
        let shown = old_browser
            .execute(
                "return !document.getElementById('shell-fallback').hidden",
                vec![],
            )
            .await?;
        ensure!(shown == true, "the no-WebAssembly message is hidden");
        let text = old_browser
            .find(fantoccini::Locator::Id("shell-fallback"))
            .await?
            .text()
            .await?;
        ensure!(
            text.contains("12351") && text.contains("浏览器"),
            "fallback text: {text}"
        );
        Ok(())
    }
    .await;
    let _ = old_browser.close().await;
    outcome
}

pub async fn large_text_and_elder_mode_are_remembered_on_the_device(ctx: Ctx) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/me").await?;
    ctx.wait_for_text("main", "大字模式").await?;
    let base_size = ctx
        .script("return parseFloat(getComputedStyle(document.documentElement).fontSize)")
        .await?;
    for label in ["大字模式", "长辈版"] {
        let xpath = format!("//label[contains(., '{label}')]//input");
        ctx.click(fantoccini::Locator::XPath(&xpath)).await?;
    }
    ctx.browser.refresh().await?;
    ctx.wait_for_text("main", "大字模式").await?;
    let classes = ctx
        .script("return document.documentElement.className")
        .await?;
    let classes = classes.as_str().unwrap_or_default().to_owned();
    ensure!(
        classes.contains("large-text") && classes.contains("elder"),
        "classes after reload: {classes}"
    );
    let size = ctx
        .script("return parseFloat(getComputedStyle(document.documentElement).fontSize)")
        .await?;
    ensure!(
        size.as_f64() >= Some(18.0) && size.as_f64() > base_size.as_f64(),
        "root font {size} (was {base_size})"
    );
    let checked = ctx
        .script("return [...document.querySelectorAll('input[role=switch]')].every(i => i.checked)")
        .await?;
    ensure!(checked == true, "the switches show the stored choices");
    Ok(())
}

pub async fn switching_language_in_settings_changes_every_text(ctx: Ctx) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/me").await?;
    ctx.wait_for_text("main", "语言").await?;
    ctx.browser
        .find(fantoccini::Locator::XPath(
            "//label[contains(., 'English')]//input",
        ))
        .await?
        .click()
        .await?;
    ctx.wait_for_text("nav.tab-bar", "Home").await?;
    ctx.wait_for_text("h1", "Me").await?;
    let lang = ctx.script("return document.documentElement.lang").await?;
    ensure!(lang == "en", "<html lang> is {lang}");
    Ok(())
}

pub async fn after_one_visit_the_portal_opens_without_a_network(ctx: Ctx) -> TestResult {
    let server = crate::support::Server::own()?;
    let browser = ctx.another_browser(&[]).await?;
    let outcome = async {
        // The sign-in screen is a lazily loaded chunk: it must come from the cache too.
        browser.goto(&format!("{}/login", server.base)).await?;
        // The service worker installs on the first visit and takes control of the page.
        let controlled = browser
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 navigator.serviceWorker.ready.then(() => {
                   const check = () => navigator.serviceWorker.controller ? done(true) : setTimeout(check, 50);
                   check();
                 });",
                vec![],
            )
            .await?;
        ensure!(controlled == true, "no service worker took control");
        drop(server); // the network is gone: nothing answers on that address any more
        browser.refresh().await?;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let text = browser.execute("return document.querySelector('main')?.innerText ?? ''", vec![]).await?;
            if text.as_str().is_some_and(|t| t.contains("验证码登录")) {
                break;
            }
            ensure!(std::time::Instant::now() < deadline, "offline reload showed: {text}");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        Ok(())
    }
    .await;
    let _ = browser.close().await;
    outcome
}

/// Every layout shift since the page started loading (Chromium hands them to a buffered
/// observer), summed, with the elements that moved.
const LAYOUT_SHIFTS: &str = r#"const [done] = arguments;
let total = 0;
const moved = [];
new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
        if (entry.hadRecentInput) continue;
        total += entry.value;
        for (const source of entry.sources) {
            const node = source.node;
            moved.push(node ? node.nodeName + '#' + node.id + '.' + node.className : '?');
        }
    }
}).observe({type: 'layout-shift', buffered: true});
setTimeout(() => done([total, moved.slice(0, 5)]), 300);"#;

/// Waits (up to 20 s) until the page's title shows and no skeleton is left in it.
async fn wait_until_loaded(ctx: &Ctx, title: &str) -> TestResult {
    ctx.wait_for_text("h1", title).await?;
    ctx.wait_until(
        "return document.querySelector('main .skeleton') === null \
         && document.getElementById('first-paint') === null",
        &format!("{title} loaded"),
    )
    .await
}

pub async fn member_screens_appear_without_anything_moving(ctx: Ctx) -> TestResult {
    emulate_screen(&ctx.browser, (412, 823), 1.75, true).await?;
    ctx.sign_in_and_open("13800000001", "/").await?;
    // Normal text, then doubled as when a member raises the font size in WeChat.
    for text_size in [16, 32] {
        default_text_size(&ctx.browser, text_size).await?;
        for (path, title) in [
            ("/", "首页"),
            ("/card", "会员卡"),
            ("/offers", "普惠优惠"),
            ("/insurance", "互助保障"),
            ("/aid", "困难帮扶"),
            ("/me", "我的"),
            ("/offers/ofr_0001", "普惠优惠"),
            ("/coupons", "我的优惠券"),
            ("/insurance/ins_serious_illness", "互助保障"),
            ("/aid/apply/aidp_send_warmth", "困难帮扶"),
        ] {
            // A full load each time: shell, session check, the screen's code, its data.
            ctx.open(path).await?;
            wait_until_loaded(&ctx, title).await?;
            let shifts = ctx.browser.execute_async(LAYOUT_SHIFTS, vec![]).await?;
            let total = shifts[0].as_f64().unwrap_or(f64::MAX);
            let still = total < 0.01;
            ensure!(
                still,
                "{path} at {text_size}px text: layout shift {total:.3}, moved {}",
                shifts[1]
            );
        }
    }
    Ok(())
}

pub async fn a_slow_panel_holds_the_others_back_only_briefly(ctx: Ctx) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/privacy").await?;
    // The messages never answer: Chromium holds every such request.
    cdp(
        &ctx.browser,
        "Fetch.enable",
        serde_json::json!({ "patterns": [{ "urlPattern": "*/api/v1/notifications*" }] }),
    )
    .await?;
    // Home opened in the app (a page load of `/` would come with the messages drawn and
    // answered by the server: its first paint).
    ctx.wait_until(
        "return !!document.querySelector(\"nav.tab-bar a[href='/']\")",
        "the tab bar",
    )
    .await?;
    ctx.click(Locator::Css("nav.tab-bar a[href='/']")).await?;
    // The card arrives and shows on its own after a short wait, messages still loading.
    ctx.wait_for_text("main", "6217 **** **** 5000").await?;
    ctx.wait_for_text("main", "常用服务").await?;
    let messages_loading = ctx
        .script("return document.querySelector('main .skeleton') !== null")
        .await?;
    ensure!(
        messages_loading == true,
        "the messages should still be loading"
    );
    Ok(())
}

/// What this page load downloaded: wasm files and route-plan packs by name, API requests by
/// path, and the route plan's API answers that nothing took.
pub const DOWNLOADS: &str = "
    const entries = performance.getEntriesByType('resource');
    const named = (suffix) => entries.filter(e => new URL(e.name).pathname.endsWith(suffix))
        .map(e => new URL(e.name).pathname.split('/').pop());
    return {
        wasm: named('.wasm'),
        packs: named('.pack'),
        api: entries.map(e => new URL(e.name)).filter(u => u.pathname.startsWith('/api/'))
            .map(u => u.pathname + u.search),
        untaken: Object.keys(window.__portalPrefetch || {}),
    };";

pub async fn a_signed_in_visit_asks_for_its_code_and_data_at_once(ctx: Ctx) -> TestResult {
    // Home for a member whose card is still being made: the server draws no first paint for a
    // card that is not active (its next step is in the app's own words), so on a fresh page
    // load with the session the route plan asks for the screen's code and data itself.
    ctx.sign_in_and_open("13800000003", "/").await?;
    ctx.wait_for_text("h1", "首页").await?;
    ctx.browser.refresh().await?;
    ctx.wait_until(
        "return document.querySelector('#app .home .quick-entries') !== null \
         && Object.keys(window.__portalPrefetch || {}).length === 0",
        "home drawn from the answers the page asked for",
    )
    .await?;
    let loaded = ctx.script(DOWNLOADS).await?;
    ensure!(
        loaded["wasm"] == serde_json::json!(["portal_bg.wasm"]),
        "every chunk of home should come from its pack, not one by one: {loaded}"
    );
    ensure!(
        loaded["packs"] == serde_json::json!(["pack_home.pack"]),
        "the screen's pack should be fetched once: {loaded}"
    );
    let api = api_requests(&loaded);
    for asked in [
        "/api/v1/auth/session",
        "/api/v1/card",
        "/api/v1/me",
        "/api/v1/notifications",
    ] {
        ensure!(
            api.iter().filter(|a| **a == asked).count() == 1,
            "{asked} should be asked exactly once (the app takes the page's answer): {loaded}"
        );
    }
    Ok(())
}

/// The API paths (with their queries) the page has requested.
pub fn api_requests(loaded: &serde_json::Value) -> Vec<&str> {
    loaded["api"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default()
}

pub async fn a_signed_out_deep_link_downloads_nothing_but_sign_in(ctx: Ctx) -> TestResult {
    ctx.open("/card").await?;
    ctx.wait_until(
        "return document.querySelector('input[type=tel]') !== null",
        "the sign-in form",
    )
    .await?;
    let url = ctx.browser.current_url().await?;
    ensure!(
        url.path() == "/login" && url.query() == Some("next=%2Fcard"),
        "a signed-out deep link should become sign-in returning there: {url}"
    );
    let loaded = ctx.script(DOWNLOADS).await?;
    ensure!(
        loaded["wasm"] == serde_json::json!(["portal_bg.wasm"])
            && loaded["packs"] == serde_json::json!([]),
        "sign-in needs only the main module, not the router or a screen: {loaded}"
    );
    Ok(())
}
