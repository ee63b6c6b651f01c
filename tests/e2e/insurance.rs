//! Issue 5 (insurance part): the member's mutual-aid cover, its status and reason, the plan's
//! detail with how to claim.
use fantoccini::Locator;

use crate::ensure;
use crate::support::{Ctx, TestResult};

pub async fn cover_pending_activation_says_why_and_what_to_do(ctx: Ctx) -> TestResult {
    ctx.sign_in_and_open("13800000002", "/insurance").await?;
    ctx.wait_for_text("main", "待生效").await?;
    ctx.wait_for_text("main", "中国银行网点激活会员卡").await?;
    ctx.wait_for_text("main", "会员卡激活后开始").await?;
    ctx.click(Locator::Css("li.entitlement a")).await?;
    ctx.wait_for_text("main", "如何申请理赔").await?;
    ctx.wait_for_text("main", "需要准备的材料").await?;
    let tel = ctx
        .script(
            "return document.querySelector('main a[href^=\"tel:\"]')?.getAttribute('href') ?? ''",
        )
        .await?;
    ensure!(
        tel.as_str().is_some_and(|t| t.len() > 4),
        "no tap-to-call claims hotline: {tel}"
    );
    Ok(())
}

pub async fn active_cover_shows_the_sum_insured_in_wan_and_the_period(ctx: Ctx) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/insurance").await?;
    ctx.wait_for_text("main", "保障中").await?;
    let text = ctx
        .script("return document.querySelector('main').innerText")
        .await?;
    let text = text.as_str().unwrap_or_default();
    ensure!(
        text.contains("万元") || text.contains('¥'),
        "the sum insured is not shown as money: {text}"
    );
    ensure!(text.contains(" – "), "no period of cover: {text}");
    Ok(())
}

/// Issue 18.10: one money format on the cover list and the plan (no `万元` beside `¥…`).
pub async fn money_reads_the_same_on_the_cover_list_and_the_plan(ctx: Ctx) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/insurance").await?;
    ctx.wait_for_text("main", "保障中").await?;
    check_sums(&ctx, "the cover list").await?;
    ctx.click(Locator::Css("li.entitlement a")).await?;
    ctx.wait_for_text("main", "如何申请理赔").await?;
    check_sums(&ctx, "the plan").await
}

/// Every amount among the page's facts (`dl.facts`) reads `¥10,000.00`, none `1万元`.
async fn check_sums(ctx: &Ctx, page: &str) -> TestResult {
    let sums = ctx
        .script(
            "return [...document.querySelectorAll('main dl.facts dd')]
                 .map(dd => dd.innerText).filter(t => /¥|元/.test(t))",
        )
        .await?;
    let sums = sums.as_array().cloned().unwrap_or_default();
    ensure!(!sums.is_empty(), "no sums on {page}");
    let yuan = |text: &str| {
        text.strip_prefix('¥').is_some_and(|rest| {
            let (whole, cents) = rest.split_once('.').unwrap_or(("", ""));
            cents.len() == 2
                && !whole.is_empty()
                && whole.chars().all(|c| c.is_ascii_digit() || c == ',')
        })
    };
    for sum in &sums {
        let text = sum.as_str().unwrap_or_default();
        ensure!(
            yuan(text),
            "on {page}, not in the one money format: {text:?}"
        );
    }
    Ok(())
}

/// What a status badge shows beside its words: `clock` for the drawn clock, else its glyph.
const BADGE_SHAPE: &str = "const badge = [...document.querySelectorAll('main .badge')]
        .find(b => b.innerText.includes(arguments[0]));
    if (!badge) return null;
    const clock = badge.querySelector('svg[data-shape=clock][aria-hidden=true]');
    return clock ? 'clock' : badge.querySelector('[aria-hidden]')?.textContent ?? '';";

async fn badge_shape(ctx: &Ctx, words: &str) -> Result<serde_json::Value, crate::support::Error> {
    ctx.wait_for_text("main .badge", words).await?;
    Ok(ctx.browser.execute(BADGE_SHAPE, vec![words.into()]).await?)
}

/// Issue 18.10: waiting statuses (cover 待生效, card 待激活, aid 审核中 / 已提交) show a clock,
/// not the "…" that reads as loading.
pub async fn waiting_statuses_show_a_clock_not_a_loading_ellipsis(ctx: Ctx) -> TestResult {
    ctx.sign_in_and_open("13800000002", "/insurance").await?;
    let shape = badge_shape(&ctx, "待生效").await?;
    ensure!(shape == "clock", "待生效 shows {shape}");
    ctx.open("/card").await?;
    let shape = badge_shape(&ctx, "待激活").await?;
    ensure!(shape == "clock", "待激活 shows {shape}");

    ctx.sign_in_and_open("13800000009", "/aid").await?;
    let shape = badge_shape(&ctx, "审核中").await?;
    ensure!(shape == "clock", "审核中 shows {shape}");
    let text = ctx
        .script("return document.querySelector('main').innerText")
        .await?;
    ensure!(
        !text.as_str().unwrap_or_default().contains('…'),
        "a status still shows an ellipsis: {text}"
    );
    Ok(())
}
