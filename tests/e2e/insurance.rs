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
