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

#[wasm_bindgen_test]
async fn the_tab_bar_labels_follow_the_ui_language() {
    let i18n = I18n::new(Locale::ZhCn);
    let container = mount(move || {
        provide_context(i18n);
        view! { <Router><TabBar/></Router> }.into_any()
    });
    let text = container.text_content().unwrap_or_default();
    assert!(
        text.contains("首页") && text.contains("我的"),
        "Chinese labels expected: {text}"
    );
    assert_eq!(container.query_selector_all("a").unwrap().length(), 5);

    i18n.set_locale(Locale::En);
    leptos::task::tick().await;
    let text = container.text_content().unwrap_or_default();
    assert!(
        text.contains("Home") && text.contains("Me"),
        "English labels expected: {text}"
    );
}

#[wasm_bindgen_test]
async fn the_navigation_landmark_is_labelled() {
    let i18n = I18n::new(Locale::ZhCn);
    let container = mount(move || {
        provide_context(i18n);
        view! { <Router><TabBar/></Router> }.into_any()
    });
    let nav = container
        .query_selector("nav")
        .unwrap()
        .expect("a nav element");
    assert_eq!(nav.get_attribute("aria-label").as_deref(), Some("主导航"));
}
