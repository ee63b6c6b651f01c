//! Issue 7: how the portal behaves in its channels — phones with the font size raised.
use crate::ensure;
use crate::support::{Ctx, TestResult, cdp};

/// Every element that is cut off sideways: content wider than a box that hides its overflow,
/// and the page itself wider than the screen.
const CLIPPED: &str = r#"
    const clipped = [];
    if (document.documentElement.scrollWidth > window.innerWidth + 1) {
        clipped.push('page scrolls sideways: ' + document.documentElement.scrollWidth + 'px');
    }
    for (const el of document.querySelectorAll('main *, nav *')) {
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
    cdp(
        &ctx.browser,
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": true }),
    )
    .await?;
    // What raising the font size in WeChat or the browser does: a larger default font, which
    // every rem-based size follows.
    cdp(
        &ctx.browser,
        "Page.setFontSizes",
        serde_json::json!({ "fontSizes": { "standard": 32, "fixed": 26 } }),
    )
    .await?;
    ctx.open("/login").await?;
    ctx.wait_for_text("main", "验证码登录").await?;
    check(&ctx, "/login").await?;
    ctx.sign_in_and_open("13800000001", "/").await?;
    for (path, marker) in [("/", "常用服务"), ("/card", "秒后自动刷新"), ("/me", "退出登录")] {
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
        root.as_f64() >= Some(31.0),
        "the raised font size did not apply on {path}: {root}px"
    );
    let clipped = ctx.script(CLIPPED).await?;
    ensure!(
        clipped.as_array().is_some_and(Vec::is_empty),
        "clipped at double text size on {path}: {clipped}"
    );
    Ok(())
}
