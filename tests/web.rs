//! Component tests in a real browser (`wasm-bindgen-test`), run by `cargo xtask test`.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos_router::components::Router;
use portal::components::tab_bar::TabBar;
use portal::i18n::{I18n, Locale};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a view into a fresh container and returns the container.
fn mount(view: impl FnOnce() -> AnyView + 'static) -> web_sys::HtmlElement {
    let container: web_sys::HtmlElement =
        document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    leptos::mount::mount_to(container.clone(), view).forget();
    container
}

fn mount_tab_bar(locale: Locale) -> web_sys::HtmlElement {
    mount(move || {
        provide_context(I18n::new(locale));
        view! { <Router><TabBar/></Router> }.into_any()
    })
}

#[wasm_bindgen_test]
async fn the_tab_bar_speaks_the_ui_language() {
    let zh = mount_tab_bar(Locale::ZhCn)
        .text_content()
        .unwrap_or_default();
    assert!(
        zh.contains("首页") && zh.contains("我的"),
        "Chinese labels expected: {zh}"
    );
    let en = mount_tab_bar(Locale::En);
    let text = en.text_content().unwrap_or_default();
    assert!(
        text.contains("Home") && text.contains("Me"),
        "English labels expected: {text}"
    );
    assert_eq!(en.query_selector_all("a").unwrap().length(), 5);
}

#[wasm_bindgen_test]
async fn the_navigation_landmark_is_labelled() {
    let container = mount_tab_bar(Locale::ZhCn);
    let nav = container
        .query_selector("nav")
        .unwrap()
        .expect("a nav element");
    assert_eq!(nav.get_attribute("aria-label").as_deref(), Some("主导航"));
}

/// Sets an input's value the way typing does, so `bind:value` sees it.
fn type_into(container: &web_sys::HtmlElement, selector: &str, value: &str) {
    let input: web_sys::HtmlInputElement = container
        .query_selector(selector)
        .unwrap()
        .unwrap()
        .unchecked_into();
    input.set_value(value);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    input
        .dispatch_event(&web_sys::Event::new("blur").unwrap())
        .unwrap();
}

fn send_code_button(container: &web_sys::HtmlElement) -> web_sys::HtmlButtonElement {
    container
        .query_selector("button.send-code")
        .unwrap()
        .unwrap()
        .unchecked_into()
}

fn mount_login() -> web_sys::HtmlElement {
    mount(|| {
        portal::state::provide_app_state();
        // Sign-in runs without the router (see `portal::app`): it needs only a navigation.
        provide_context(portal::app::navigation::Navigation::new(|_, _| {}));
        view! { <portal::pages::login::LoginPage/> }.into_any()
    })
}

#[wasm_bindgen_test]
async fn the_send_code_button_waits_for_a_valid_phone() {
    let container = mount_login();
    assert!(send_code_button(&container).disabled(), "no phone yet");
    type_into(&container, "#phone", "1380013800");
    leptos::task::tick().await;
    assert!(
        send_code_button(&container).disabled(),
        "10 digits is not a phone number"
    );
    let error = container
        .query_selector("#phone-error")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap_or_default();
    assert!(
        error.contains("11位"),
        "the phone error explains the fix: {error}"
    );
    type_into(&container, "#phone", "138 0013 8000");
    leptos::task::tick().await;
    assert!(
        !send_code_button(&container).disabled(),
        "a valid phone enables sending"
    );
    let error = container
        .query_selector("#phone-error")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap_or_default();
    assert!(error.is_empty(), "no error once valid: {error}");
}

#[wasm_bindgen_test]
async fn submitting_without_consent_or_code_says_what_is_missing() {
    let container = mount_login();
    type_into(&container, "#phone", "13800138000");
    let form: web_sys::HtmlElement = container
        .query_selector("form")
        .unwrap()
        .unwrap()
        .unchecked_into();
    form.dispatch_event(&web_sys::Event::new("submit").unwrap())
        .unwrap();
    leptos::task::tick().await;
    let text = container.text_content().unwrap_or_default();
    assert!(
        text.contains("验证码为6位数字"),
        "code error expected: {text}"
    );
    assert!(
        text.contains("请先阅读并同意"),
        "consent error expected: {text}"
    );
    let code: web_sys::HtmlInputElement = container
        .query_selector("#code")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(
        code.get_attribute("autocomplete").as_deref(),
        Some("one-time-code")
    );
    assert_eq!(code.get_attribute("inputmode").as_deref(), Some("numeric"));
}

#[wasm_bindgen_test]
async fn a_qr_code_renders_as_labelled_svg() {
    let container = mount(|| {
        view! { <portal::components::qr_code::QrCodeSvg text="card_1.1700000000.abcdef".to_owned() label="会员码".to_owned()/> }.into_any()
    });
    let svg = container
        .query_selector("svg.qr-code")
        .unwrap()
        .expect("an svg");
    assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
    assert_eq!(svg.get_attribute("aria-label").as_deref(), Some("会员码"));
    let path = svg
        .query_selector("path")
        .unwrap()
        .expect("modules drawn as one path");
    assert!(path.get_attribute("d").unwrap_or_default().len() > 500);
}
