//! Issue 5 (discounts part): filter the catalogue, claim a limited offer, my coupons, sold out.
use fantoccini::Locator;

use crate::ensure;
use crate::support::{Ctx, TestResult};

pub async fn category_and_district_filters_live_in_the_address(ctx: Ctx) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/offers").await?;
    ctx.wait_for_text("nav.chips", "餐饮美食").await?;
    ctx.wait_for_text("ul.offer-list", "").await?;
    let all = count_offers(&ctx).await?;
    ctx.click(Locator::XPath(
        "//nav[@class='chips']/a[contains(., '餐饮美食')]",
    ))
    .await?;
    wait_for_query(&ctx, "category=dining").await?;
    ctx.wait_for_text("nav.chips a[aria-current=true]", "餐饮美食")
        .await?;
    let dining = count_offers(&ctx).await?;
    ensure!(dining > 0 && dining <= all, "dining {dining} of {all}");
    let district = ctx
        .script("const o = [...document.querySelectorAll('#district option')].find(o => o.value); return o ? o.value : ''")
        .await?;
    let district = district.as_str().unwrap_or_default().to_owned();
    ensure!(!district.is_empty(), "no districts to choose from");
    ctx.script(&format!(
        "const s = document.getElementById('district'); s.value = '{district}'; s.dispatchEvent(new Event('change')); return true"
    ))
    .await?;
    wait_for_query(&ctx, &format!("district={district}")).await?;
    let url = ctx.browser.current_url().await?;
    ensure!(
        url.query().is_some_and(|q| q.contains("category=dining")),
        "choosing a district dropped the category: {url}"
    );
    // The filtered list survives a reload: it is in the address.
    ctx.browser.refresh().await?;
    ctx.wait_for_text("nav.chips a[aria-current=true]", "餐饮美食")
        .await?;
    Ok(())
}

pub async fn a_limited_offer_is_claimed_once_and_shows_under_my_coupons(ctx: Ctx) -> TestResult {
    ctx.sign_in_and_open("13800000008", "/offers/ofr_flash_park")
        .await?;
    ctx.wait_for_text("main", "剩余1份").await?;
    // A double tap: the second tap finds the button disabled, the server would answer the same.
    ctx.script(
        "const b = document.querySelector('button.claim'); b.click(); b.click(); return true",
    )
    .await?;
    ctx.wait_for_text(".coupon", "券码").await?;
    let code = ctx
        .script("return document.querySelector('.coupon-code').innerText")
        .await?;
    let code = code.as_str().unwrap_or_default().to_owned();
    ensure!(!code.is_empty(), "no coupon code shown");
    ensure!(
        ctx.script("return document.querySelector('.coupon svg[role=img]') !== null")
            .await?
            == true,
        "no coupon QR code"
    );
    ctx.open("/coupons").await?;
    ctx.wait_for_text("main", &code).await?;
    let count = ctx
        .browser
        .execute(
            "return [...document.querySelectorAll('li.coupon-item .coupon-code')].filter(c => c.innerText === arguments[0]).length",
            vec![code.clone().into()],
        )
        .await?;
    ensure!(count == 1, "claimed once, that coupon listed {count} times");
    Ok(())
}

pub async fn a_sold_out_offer_says_so_and_offers_no_claim(ctx: Ctx) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/offers/ofr_flash_soldout")
        .await?;
    ctx.wait_for_text("main", "已领完").await?;
    let button = ctx
        .script("return document.querySelector('button.claim') === null")
        .await?;
    ensure!(button == true, "a sold-out offer still has a claim button");
    Ok(())
}

async fn count_offers(ctx: &Ctx) -> Result<u64, crate::support::Error> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let n = ctx
            .script("return document.querySelectorAll('ul.offer-list li').length")
            .await?;
        if let Some(n) = n.as_u64().filter(|n| *n > 0) {
            return Ok(n);
        }
        ensure!(std::time::Instant::now() < deadline, "no offers listed");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn wait_for_query(ctx: &Ctx, part: &str) -> crate::support::TestResult {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let url = ctx.browser.current_url().await?;
        if url.query().is_some_and(|q| q.contains(part)) {
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            return Ok(());
        }
        ensure!(
            std::time::Instant::now() < deadline,
            "the address never got {part}: {url}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

pub async fn search_waits_for_the_input_method_and_keeps_the_keywords_in_the_address(
    ctx: Ctx,
) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/offers").await?;
    let before = count_offers(&ctx).await?;
    // Pinyin being composed is not searched; the finished characters are.
    ctx.script(
        "const i = document.getElementById('offer-search');
         i.dispatchEvent(new CompositionEvent('compositionstart'));
         i.value = 'tingche'; i.dispatchEvent(new Event('input'));
         return true",
    )
    .await?;
    tokio::time::sleep(std::time::Duration::from_millis(900)).await;
    let url = ctx.browser.current_url().await?;
    ensure!(
        url.query().is_none_or(|q| !q.contains("q=")),
        "searched while composing: {url}"
    );
    // The composed text: the name of a merchant in the list.
    let merchant = ctx
        .script(
            "const name = document.querySelector('.offer-merchant').innerText;
             const i = document.getElementById('offer-search');
             i.value = name;
             i.dispatchEvent(new CompositionEvent('compositionend', {data: name}));
             return name",
        )
        .await?;
    let merchant = merchant.as_str().unwrap_or_default().to_owned();
    wait_for_query(&ctx, "q=").await?;
    ctx.wait_for_text("ul.offer-list", &merchant).await?;
    let after = count_offers(&ctx).await?;
    ensure!(
        after < before,
        "searching {merchant:?} did not narrow the list ({after} of {before})"
    );
    Ok(())
}
