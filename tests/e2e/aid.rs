//! Issue 6: hardship-aid applications that never lose a member's work — the draft survives a
//! reload, a submission survives the server going away, photos are shrunk before upload,
//! disguised files are refused, and a reviewer's decision reaches the member.
use contract::validate::check_character;
use fantoccini::Locator;

use crate::ensure;
use crate::support::{Ctx, Server, TestResult, default_text_size, emulate_screen};

const SEND_WARMTH: &str = "/aid/apply/aidp_send_warmth";

/// The first 17 characters of 张伟's (13800000001) ID number on file: the seed's
/// `demo_resident_id(0)`. The applicant's own row must carry it.
const ZHANG_WEI_ID: &str = "44030519660101100";

/// A resident ID number with the right check character for its first 17 digits.
fn resident_id(first17: &str) -> String {
    let check = check_character(first17.as_bytes()) as char;
    format!("{first17}{check}")
}

async fn type_into(ctx: &Ctx, css: &str, text: &str) -> TestResult {
    let field = ctx.browser.find(Locator::Css(css)).await?;
    field.send_keys(text).await?;
    Ok(())
}

async fn value_of(ctx: &Ctx, css: &str) -> Result<String, crate::support::Error> {
    let field = ctx.browser.find(Locator::Css(css)).await?;
    Ok(field.prop("value").await?.unwrap_or_default())
}

async fn press(ctx: &Ctx, label: &str) -> TestResult {
    ctx.click(Locator::XPath(&format!(
        "//main//button[normalize-space()='{label}']"
    )))
    .await
}

/// From step 1 of 送温暖 to step 4 with a complete application for the signed-in applicant.
async fn fill_a_complete_application(ctx: &Ctx) -> TestResult {
    ctx.wait_for_text("main", "第1步").await?;
    type_into(
        ctx,
        "#f-household-0-resident_id",
        &resident_id(ZHANG_WEI_ID),
    )
    .await?;
    press(ctx, "下一步").await?;
    ctx.wait_for_text("main", "第2步").await?;
    type_into(ctx, "#f-household_monthly_income_fen", "3900").await?;
    type_into(
        ctx,
        "#f-hardship",
        "父亲中风偏瘫需要长期照顾，家中两个孩子上学，收入不够开支。",
    )
    .await?;
    press(ctx, "下一步").await?;
    ctx.wait_for_text("main", "第3步").await?;
    press(ctx, "下一步").await?;
    ctx.wait_for_text("main", "第4步").await?;
    ctx.click(Locator::Css("#f-declaration_accepted")).await
}

pub async fn a_half_filled_application_comes_back_after_a_reload(ctx: Ctx) -> TestResult {
    ctx.sign_in_and_open("13800000001", "/aid").await?;
    ctx.wait_for_text("main", "春节送温暖").await?;
    ctx.click(Locator::Css(&format!("a[href=\"{SEND_WARMTH}\"]")))
        .await?;
    ctx.wait_for_text("main", "第1步").await?;
    ensure!(
        value_of(&ctx, "#f-household-0-name").await? == "张伟",
        "the applicant is not filled in from the session"
    );
    let spouse_id = resident_id("44030519850612004");
    type_into(
        &ctx,
        "#f-household-0-resident_id",
        &resident_id(ZHANG_WEI_ID),
    )
    .await?;
    press(&ctx, "添加家庭成员").await?;
    type_into(&ctx, "#f-household-1-name", "陈丽").await?;
    ctx.browser
        .find(Locator::Css("#f-household-1-relation"))
        .await?
        .select_by_value("spouse")
        .await?;
    type_into(&ctx, "#f-household-1-resident_id", &spouse_id).await?;
    press(&ctx, "下一步").await?;
    ctx.wait_for_text("main", "第2步").await?;
    type_into(&ctx, "#f-household_monthly_income_fen", "3900.5").await?;
    type_into(&ctx, "#f-hardship", "家里老人长期患病，孩子上学，入不敷出").await?;

    ctx.browser.refresh().await?;
    ctx.wait_for_text("main", "已恢复您上次填写的内容").await?;
    ctx.wait_for_text("main", "第2步").await?;
    ensure!(
        value_of(&ctx, "#f-household_monthly_income_fen").await? == "3900.5",
        "the income was not restored"
    );
    ensure!(
        value_of(&ctx, "#f-hardship").await? == "家里老人长期患病，孩子上学，入不敷出",
        "the hardship text was not restored"
    );
    ctx.browser.back().await?;
    ctx.wait_for_text("main", "第1步").await?;
    ensure!(
        value_of(&ctx, "#f-household-1-name").await? == "陈丽",
        "the second household member was not restored"
    );
    ensure!(
        value_of(&ctx, "#f-household-1-relation").await? == "spouse",
        "the relation was not restored"
    );
    ensure!(
        value_of(&ctx, "#f-household-1-resident_id").await? == spouse_id,
        "the household member's ID number was not restored"
    );
    Ok(())
}

pub async fn a_mistyped_id_number_is_explained_while_typing(ctx: Ctx) -> TestResult {
    ctx.sign_in_and_open("13800000001", SEND_WARMTH).await?;
    ctx.wait_for_text("main", "第1步").await?;
    // The right number ends in X; a 1 there is a typical slip.
    type_into(&ctx, "#f-household-0-resident_id", "110105194912310021").await?;
    ctx.wait_for_text("#f-household-0-resident_id-error", "校验码")
        .await?;
    let invalid = ctx
        .browser
        .find(Locator::Css("#f-household-0-resident_id"))
        .await?
        .attr("aria-invalid")
        .await?;
    ensure!(
        invalid.as_deref() == Some("true"),
        "the field is not marked invalid: {invalid:?}"
    );
    press(&ctx, "下一步").await?;
    ctx.wait_for_text("main", "请先按提示改正").await?;
    ctx.wait_for_text("main", "第1步").await?;
    Ok(())
}

pub async fn a_submission_while_the_server_is_down_is_kept_and_applies_once_on_retry(
    ctx: Ctx,
) -> TestResult {
    let mut server = Server::own()?;
    let ctx = ctx.on(&server);
    ctx.sign_in_and_open("13800000001", SEND_WARMTH).await?;
    fill_a_complete_application(&ctx).await?;

    server.stop();
    ctx.click(Locator::Css("main form button[type=submit]"))
        .await?;
    ctx.wait_for_text("main", "您填写的内容都还在").await?;
    ctx.wait_for_text("main", "第4步").await?;
    ensure!(
        ctx.browser
            .find(Locator::Css("#f-declaration_accepted"))
            .await?
            .prop("checked")
            .await?
            .as_deref()
            == Some("true"),
        "the declaration was lost"
    );

    server.restart()?;
    ctx.click(Locator::Css("main form button[type=submit]"))
        .await?;
    ctx.wait_for_text("main", "申请已提交").await?;
    let count = ctx
        .browser
        .execute_async(
            r#"const [done] = arguments;
            fetch('/api/v1/aid/applications').then(r => r.json())
                .then(list => done(list.filter(a => a.program_id === 'aidp_send_warmth').length),
                      e => done(String(e)));"#,
            vec![],
        )
        .await?;
    ensure!(
        count == 1,
        "expected exactly one application, found {count}"
    );
    let drafts = ctx
        .script(
            "return Object.keys(localStorage).filter(k => k.startsWith('portal.draft.')).length",
        )
        .await?;
    ensure!(
        drafts == 0,
        "the draft was kept after the server confirmed it"
    );
    Ok(())
}

/// Makes a photo-like 12-megapixel JPEG in the page and hands it to the file picker.
const CHOOSE_A_BIG_PHOTO: &str = r#"const [done] = arguments;
const canvas = document.createElement('canvas');
canvas.width = 4000; canvas.height = 3000;
const context = canvas.getContext('2d');
const image = context.createImageData(4000, 3000);
let seed = 7;
for (let i = 0; i < image.data.length; i += 4) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const x = (i / 4) % 4000;
    image.data[i] = (x / 16) + (seed & 31);
    image.data[i + 1] = ((i / 16000) % 255) + ((seed >> 5) & 31);
    image.data[i + 2] = 120 + ((seed >> 10) & 63);
    image.data[i + 3] = 255;
}
context.putImageData(image, 0, 0);
canvas.toBlob(blob => {
    const files = new DataTransfer();
    files.items.add(new File([blob], 'IMG_0001.jpg', {type: 'image/jpeg'}));
    const input = document.querySelector('main input[type=file][multiple]');
    input.files = files.files;
    input.dispatchEvent(new Event('change', {bubbles: true}));
    done(blob.size);
}, 'image/jpeg', 0.95);"#;

/// A text file that claims to be a JPEG.
const CHOOSE_A_DISGUISED_FILE: &str = r#"
const files = new DataTransfer();
files.items.add(new File(['This is not a picture at all.'], 'receipt.jpg', {type: 'image/jpeg'}));
const input = document.querySelector('main input[type=file][multiple]');
input.files = files.files;
input.dispatchEvent(new Event('change', {bubbles: true}));
return true;"#;

pub async fn a_big_photo_is_shrunk_before_upload_and_a_disguised_file_is_refused(
    ctx: Ctx,
) -> TestResult {
    ctx.sign_in_and_open("13800000001", &format!("{SEND_WARMTH}?step=3"))
        .await?;
    ctx.wait_for_text("main", "证明材料").await?;
    let original = ctx
        .browser
        .execute_async(CHOOSE_A_BIG_PHOTO, vec![])
        .await?
        .as_f64()
        .unwrap_or(0.0) as u64;
    ensure!(
        original > 3_000_000,
        "the test photo is only {original} bytes"
    );
    if let Err(error) = ctx
        .wait_for_text(
            "main li.attachment:not(.attachment-pending)",
            "IMG_0001.jpg",
        )
        .await
    {
        let page = ctx
            .script("return document.querySelector('main').innerText")
            .await?;
        return Err(format!("{error}; the page said: {page}").into());
    }
    let stored = ctx
        .browser
        .execute_async(
            r#"const [done] = arguments;
            // The draft is saved 400 ms after the last change.
            const saved = () => {
                const key = Object.keys(localStorage).find(k => k.startsWith('portal.draft.'));
                return key && JSON.parse(localStorage.getItem(key)).attachments[0];
            };
            const wait = ms => new Promise(resolve => setTimeout(resolve, ms));
            const draft = async () => { for (let i = 0; i < 50 && !saved(); i++) await wait(100); return saved(); };
            draft().then(attachment => fetch('/api/v1/aid/attachments/' + attachment.id).then(r => r.blob())
                .then(blob => done([attachment.size_bytes, blob.size, blob.type])))
                .catch(e => done(String(e)));"#,
            vec![],
        )
        .await?;
    let recorded = stored[0].as_u64().unwrap_or(u64::MAX);
    let served = stored[1].as_u64().unwrap_or(u64::MAX);
    ensure!(
        recorded == served,
        "the draft and the server disagree on the size: {stored}"
    );
    ensure!(
        served < original / 4 && served < 1_500_000,
        "the photo was not shrunk: {original} bytes chosen, {served} uploaded"
    );
    ensure!(stored[2] == "image/jpeg", "stored as {}", stored[2]);
    println!("    photo: {original} bytes chosen, {served} bytes uploaded");

    ctx.script(CHOOSE_A_DISGUISED_FILE).await?;
    ctx.wait_for_text("main li.attachment-pending", "按文件内容识别")
        .await?;
    Ok(())
}

/// How many documents the portal keeps on the device, waiting to be uploaded (0 when it keeps
/// none; the database is only read, never created, here).
async fn kept_on_device(ctx: &Ctx) -> Result<i64, crate::support::Error> {
    let count = ctx
        .browser
        .execute_async(
            r#"const [done] = arguments;
            indexedDB.databases().then(list => {
                if (!list.some(d => d.name === 'portal-pending')) return done(0);
                const request = indexedDB.open('portal-pending');
                request.onerror = () => done(-1);
                request.onsuccess = () => {
                    const db = request.result;
                    if (!db.objectStoreNames.contains('files')) { db.close(); return done(0); }
                    const count = db.transaction('files').objectStore('files').count();
                    count.onsuccess = () => { db.close(); done(count.result); };
                };
            }, e => done(String(e)));"#,
            vec![],
        )
        .await?;
    count
        .as_i64()
        .ok_or_else(|| format!("could not count kept documents: {count}").into())
}

/// Waits up to 10 s for the device to keep `expected` documents.
async fn wait_until_kept(ctx: &Ctx, expected: i64) -> TestResult {
    let mut kept = -1;
    for _ in 0..50 {
        kept = kept_on_device(ctx).await?;
        if kept == expected {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    Err(format!("{kept} documents kept on the device, expected {expected}").into())
}

/// The attachments recorded in the member's saved draft.
async fn attachments_in_draft(ctx: &Ctx) -> Result<serde_json::Value, crate::support::Error> {
    ctx.script(
        "const key = Object.keys(localStorage).find(k => k.startsWith('portal.draft.'));
         return key ? JSON.parse(localStorage.getItem(key)).attachments : null;",
    )
    .await
}

pub async fn a_photo_still_on_its_way_when_the_webview_dies_is_sent_on_the_next_visit(
    ctx: Ctx,
) -> TestResult {
    let mut server = Server::own()?;
    let ctx = ctx.on(&server);
    let documents_step = format!("{SEND_WARMTH}?step=3");
    ctx.sign_in_and_open("13800000001", &documents_step).await?;
    ctx.wait_for_text("main", "证明材料").await?;
    // As an older WebView may leave it: the database exists, but its upgrade made no store.
    let storeless = ctx
        .browser
        .execute_async(
            r#"const [done] = arguments;
            const request = indexedDB.open('portal-pending', 1);
            request.onsuccess = () => { request.result.close(); done(true); };
            request.onerror = () => done(String(request.error));"#,
            vec![],
        )
        .await?;
    ensure!(
        storeless == true,
        "could not prepare the database: {storeless}"
    );

    // No signal: the photo is shrunk and kept, but cannot be sent.
    server.stop();
    ctx.browser
        .execute_async(CHOOSE_A_BIG_PHOTO, vec![])
        .await?;
    ctx.wait_for_text("main li.attachment-pending", "IMG_0001.jpg")
        .await?;
    wait_until_kept(&ctx, 1).await?;

    // WeChat kills the webview; later the member is back, with signal.
    ctx.browser.goto("about:blank").await?;
    server.restart()?;
    ctx.open(&documents_step).await?;
    ctx.wait_for_text(
        "main li.attachment:not(.attachment-pending)",
        "IMG_0001.jpg",
    )
    .await?;
    wait_until_kept(&ctx, 0).await?;
    let recorded = attachments_in_draft(&ctx).await?;
    ensure!(
        recorded.as_array().map(Vec::len) == Some(1),
        "the draft should record the one uploaded photo: {recorded}"
    );
    let size = recorded[0]["size_bytes"].as_u64().unwrap_or(u64::MAX);
    ensure!(size < 1_500_000, "the kept photo was sent at {size} bytes");

    // A document still listed (here one the server refused) is kept until removed, and
    // signing out wipes it with the rest of the member's data.
    ctx.script(CHOOSE_A_DISGUISED_FILE).await?;
    ctx.wait_for_text("main li.attachment-pending", "按文件内容识别")
        .await?;
    wait_until_kept(&ctx, 1).await?;
    ctx.open("/me").await?;
    ctx.wait_for_text("main", "退出登录").await?;
    ctx.click(Locator::XPath("//button[contains(., '退出登录')]"))
        .await?;
    ctx.wait_for_text("h1", "登录").await?;
    wait_until_kept(&ctx, 0).await
}

pub async fn a_reviewers_decision_reaches_the_timeline_and_the_messages(ctx: Ctx) -> TestResult {
    let server = Server::own()?;
    let ctx = ctx.on(&server);
    server.admin(&[
        "aid",
        "approve",
        "aid_demo_under_review",
        "--amount-fen",
        "350000",
    ])?;
    ctx.sign_in_and_open("13800000009", "/aid/applications/aid_demo_under_review")
        .await?;
    ctx.wait_for_text("main .badge", "已批准").await?;
    ctx.wait_for_text("main .timeline", "¥3,500.00").await?;
    ctx.wait_for_text("main .timeline", "工会").await?;
    ctx.open("/").await?;
    ctx.wait_for_text("main", "帮扶申请已批准").await?;
    Ok(())
}

/// A small PNG, made in the page and handed to the file picker.
const CHOOSE_A_SMALL_SCAN: &str = r#"const [done] = arguments;
const canvas = document.createElement('canvas');
canvas.width = 300; canvas.height = 200;
const context = canvas.getContext('2d');
context.fillStyle = '#fff'; context.fillRect(0, 0, 300, 200);
context.fillStyle = '#000'; context.fillText('社区困难情况证明', 20, 100);
canvas.toBlob(blob => {
    const files = new DataTransfer();
    files.items.add(new File([blob], 'proof.png', {type: 'image/png'}));
    const input = document.querySelector('main input[type=file][multiple]');
    input.files = files.files;
    input.dispatchEvent(new Event('change', {bubbles: true}));
    done(blob.size);
}, 'image/png');"#;

pub async fn asked_for_more_documents_the_member_adds_them_and_can_withdraw(
    ctx: Ctx,
) -> TestResult {
    ctx.sign_in_and_open("13800000008", "/aid/applications/aid_demo_more_info")
        .await?;
    ctx.wait_for_text("main", "社区居委会出具的家庭困难情况证明")
        .await?;
    ctx.browser
        .execute_async(CHOOSE_A_SMALL_SCAN, vec![])
        .await?;
    ctx.wait_for_text("main li.attachment:not(.attachment-pending)", "proof.png")
        .await?;
    type_into(&ctx, "#supplement-note", "已补充社区证明").await?;
    press(&ctx, "提交补充材料").await?;
    ctx.wait_for_text("main .badge", "审核中").await?;
    ctx.wait_for_text("main .timeline", "1 份").await?;

    press(&ctx, "撤回申请").await?;
    ctx.wait_for_text("main", "确定撤回这份申请吗").await?;
    press(&ctx, "确定撤回").await?;
    ctx.wait_for_text("main .badge", "已撤回").await?;
    let withdraw_buttons = ctx
        .browser
        .find_all(Locator::XPath(
            "//main//button[normalize-space()='撤回申请']",
        ))
        .await?;
    ensure!(
        withdraw_buttons.is_empty(),
        "a withdrawn application still offers withdrawal"
    );
    Ok(())
}

/// Issue 18.7: each programme says its ceiling once; the cards sit flush, without list
/// bullets; a programme the member already applied to leads to that application.
pub async fn the_programmes_reflect_an_existing_application_and_sit_flush(ctx: Ctx) -> TestResult {
    // 张伟 holds a paid 大病救助 application (aid_demo_paid).
    ctx.sign_in_and_open("13800000001", "/aid").await?;
    ctx.wait_for_text("ul.aid-programs", "大病救助").await?;
    ctx.wait_for_text("ul.aid-applications", "大病救助").await?;
    let illness = ctx
        .script(
            "const card = [...document.querySelectorAll('li.aid-program')]
                 .find(li => li.querySelector('h3').innerText.includes('大病救助'));
             return {
                 facts: card.querySelector('dl.facts').innerText,
                 links: [...card.querySelectorAll('a')].map(a => [a.getAttribute('href'), a.innerText]),
             };",
        )
        .await?;
    let facts = illness["facts"].as_str().unwrap_or_default();
    ensure!(
        facts.contains("最高 ¥20,000.00") && !facts.contains("最高 最高"),
        "the ceiling reads: {facts}"
    );
    ensure!(
        illness["links"]
            == serde_json::json!([["/aid/applications/aid_demo_paid", "查看我的申请"]]),
        "the programme already applied to should lead to the application only: {}",
        illness["links"]
    );
    let others = ctx
        .script(
            "return [...document.querySelectorAll('li.aid-program a[href^=\"/aid/apply/\"]')]
                 .map(a => a.getAttribute('href'))",
        )
        .await?;
    let others: Vec<&str> = others
        .as_array()
        .map(|a| a.iter().filter_map(|h| h.as_str()).collect())
        .unwrap_or_default();
    ensure!(
        others.contains(&"/aid/apply/aidp_send_warmth")
            && !others.contains(&"/aid/apply/aidp_serious_illness"),
        "the open programmes not applied to should offer to apply: {others:?}"
    );
    let layout = ctx
        .script(
            "return [...document.querySelectorAll('ul.aid-programs > li, ul.aid-applications > li')].map(li => {
                 const heading = li.closest('section').querySelector('h2');
                 return [getComputedStyle(li).listStyleType,
                         Math.round(li.getBoundingClientRect().left - heading.getBoundingClientRect().left)];
             })",
        )
        .await?;
    let cards = layout.as_array().cloned().unwrap_or_default();
    ensure!(cards.len() >= 5, "too few cards: {layout}");
    ensure!(
        cards.iter().all(|c| c[0] == "none" && c[1] == 0),
        "cards with bullets or pushed inward ([list style, offset from the heading]): {layout}"
    );

    // 周杰 withdrew his 大病救助 application: he may apply again.
    ctx.sign_in_and_open("13800000009", "/aid").await?;
    ctx.wait_for_text("ul.aid-applications", "已撤回").await?;
    ctx.wait_for_text("ul.aid-programs", "大病救助").await?;
    let apply = ctx
        .script("return document.querySelector('li.aid-program a[href=\"/aid/apply/aidp_serious_illness\"]')?.innerText ?? null")
        .await?;
    ensure!(
        apply == "申请",
        "a withdrawn application should not block applying: {apply}"
    );
    Ok(())
}

/// Issue 18.7: the applicant's own row takes only the member's own ID number; the form says
/// so as soon as a complete number is typed, and will not go on.
pub async fn someone_elses_id_on_the_applicants_row_is_refused_while_typing(
    ctx: Ctx,
) -> TestResult {
    ctx.sign_in_and_open("13800000001", SEND_WARMTH).await?;
    ctx.wait_for_text("main", "第1步").await?;
    // A valid number, but not 张伟's.
    type_into(
        &ctx,
        "#f-household-0-resident_id",
        &resident_id("11010519491231002"),
    )
    .await?;
    ctx.wait_for_text("#f-household-0-resident_id-error", "您本人的身份证号")
        .await?;
    press(&ctx, "下一步").await?;
    ctx.wait_for_text("main", "请先按提示改正").await?;
    ctx.wait_for_text("main", "第1步").await?;
    // The same number is fine on a spouse's row, and his own on his.
    press(&ctx, "添加家庭成员").await?;
    type_into(&ctx, "#f-household-1-name", "陈丽").await?;
    ctx.browser
        .find(Locator::Css("#f-household-1-relation"))
        .await?
        .select_by_value("spouse")
        .await?;
    type_into(
        &ctx,
        "#f-household-1-resident_id",
        &resident_id("11010519491231002"),
    )
    .await?;
    ctx.script(
        "const i = document.getElementById('f-household-0-resident_id');
         i.value = ''; i.dispatchEvent(new Event('input', {bubbles: true})); return true",
    )
    .await?;
    type_into(
        &ctx,
        "#f-household-0-resident_id",
        &resident_id(ZHANG_WEI_ID),
    )
    .await?;
    press(&ctx, "下一步").await?;
    ctx.wait_for_text("main", "第2步").await?;
    Ok(())
}

/// A PNG with a long Chinese file name, as phones name shared files.
const CHOOSE_A_LONG_NAMED_SCAN: &str = r#"const [done] = arguments;
const canvas = document.createElement('canvas');
canvas.width = 120; canvas.height = 80;
canvas.toBlob(blob => {
    const files = new DataTransfer();
    files.items.add(new File([blob], '社区困难证明2026.png', {type: 'image/png'}));
    const input = document.querySelector('main input[type=file][multiple]');
    input.files = files.files;
    input.dispatchEvent(new Event('change', {bubbles: true}));
    done(blob.size);
}, 'image/png');"#;

/// Each label and value of the review: the value's width as a share of the review's, and how
/// many lines its text takes.
const REVIEW_LAYOUT: &str = r#"
const review = document.querySelector('.aid-summary').getBoundingClientRect().width;
// The lines the value's own text takes (not its label's).
const lines = el => {
    const text = [...el.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim()).pop();
    if (!text) return 0;
    const r = document.createRange(); r.selectNodeContents(text); return r.getClientRects().length;
};
const value = (el, label) => ({
    label, text: el.innerText, share: el.getBoundingClientRect().width / review, lines: lines(el),
});
return [
    ...[...document.querySelectorAll('.aid-summary-value')].map(p => value(p, p.firstElementChild.innerText)),
    // A file name is a list item, indented for its bullet: its share is not the point.
    ...[...document.querySelectorAll('.aid-summary-files li')].map(li => ({...value(li, 'file'), share: 1})),
];"#;

/// Issue 18.7: the review shows every answer, the occupation too, each value across the
/// whole width under its label, on a 360 px phone and at double text size.
pub async fn the_review_reads_well_on_a_small_phone_and_at_double_text(ctx: Ctx) -> TestResult {
    emulate_screen(&ctx.browser, (360, 740), 2.0, true).await?;
    ctx.sign_in_and_open("13800000001", SEND_WARMTH).await?;
    ctx.wait_for_text("main", "第1步").await?;
    type_into(
        &ctx,
        "#f-household-0-resident_id",
        &resident_id(ZHANG_WEI_ID),
    )
    .await?;
    type_into(&ctx, "#f-household-0-occupation", "物流司机").await?;
    press(&ctx, "下一步").await?;
    ctx.wait_for_text("main", "第2步").await?;
    type_into(&ctx, "#f-household_monthly_income_fen", "3900").await?;
    type_into(
        &ctx,
        "#f-hardship",
        "父亲中风偏瘫需要长期照顾，收入不够开支。",
    )
    .await?;
    press(&ctx, "下一步").await?;
    ctx.wait_for_text("main", "第3步").await?;
    ctx.browser
        .execute_async(CHOOSE_A_LONG_NAMED_SCAN, vec![])
        .await?;
    ctx.wait_for_text(
        "main li.attachment:not(.attachment-pending)",
        "社区困难证明2026.png",
    )
    .await?;
    press(&ctx, "下一步").await?;
    ctx.wait_for_text("main", "第4步").await?;
    ctx.wait_for_text(".aid-summary", "职业或状况").await?;
    ctx.wait_for_text(".aid-summary", "物流司机").await?;
    ctx.wait_for_text(".aid-summary", "¥3,900.00").await?;

    let values = ctx.script(REVIEW_LAYOUT).await?;
    let values = values.as_array().cloned().unwrap_or_default();
    ensure!(
        values.len() >= 7,
        "too few answers on the review: {values:?}"
    );
    for value in &values {
        let share = value["share"].as_f64().unwrap_or(0.0);
        let full_width = share > 0.95;
        ensure!(full_width, "a value squeezed into a column: {value}");
    }
    for wanted in ["4403**********", "社区困难证明2026.png"] {
        let one = values
            .iter()
            .find(|v| v["text"].as_str().is_some_and(|t| t.contains(wanted)))
            .ok_or_else(|| format!("{wanted} is not on the review: {values:?}"))?;
        ensure!(one["lines"] == 1, "{wanted} breaks across lines: {one}");
    }

    // Double text size: still every value under its label, nothing sticking out.
    default_text_size(&ctx.browser, 32).await?;
    ctx.browser.refresh().await?;
    ctx.wait_for_text(".aid-summary", "物流司机").await?;
    let values = ctx.script(REVIEW_LAYOUT).await?;
    for value in values.as_array().cloned().unwrap_or_default() {
        let share = value["share"].as_f64().unwrap_or(0.0);
        let full_width = share > 0.95;
        ensure!(full_width, "at double text a value is squeezed: {value}");
    }
    let sticking_out = ctx
        .script(
            "return [...document.querySelectorAll('main *')]
                 .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                 .map(el => el.tagName + ' ' + el.innerText.slice(0, 30))",
        )
        .await?;
    ensure!(
        sticking_out.as_array().is_some_and(Vec::is_empty),
        "at double text, sticking out: {sticking_out}"
    );
    Ok(())
}
