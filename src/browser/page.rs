//! The document and the window: focus, the page's visibility, scrolling, cookies, timers and
//! randomness.
use leptos::prelude::{document, window};
use wasm_bindgen::JsValue;
use web_sys::js_sys::{Function, Promise};

use super::{call, get, global, number, set, text};

/// Moves focus to `element` (`HTMLElement.focus()`).
pub fn focus(element: &JsValue) {
    let _ = call(element, "focus", &[]);
}

/// Hides or shows `element` (its `hidden` attribute).
pub fn set_hidden(element: &JsValue, hidden: bool) {
    set(element, "hidden", &hidden.into());
}

/// Whether the page is hidden (`document.hidden`): the member switched app or tab.
pub fn is_hidden() -> bool {
    get(&document(), "hidden").is_truthy()
}

/// How far down the page is scrolled, in CSS pixels (`window.scrollY`).
pub fn scroll_y() -> f64 {
    number(&window(), "scrollY").unwrap_or(0.0)
}

/// Scrolls the page to `y` CSS pixels from the top (`window.scrollTo(0, y)`).
pub fn scroll_to(y: f64) {
    let _ = call(&window(), "scrollTo", &[0.into(), y.into()]);
}

/// The cookies scripts may see (`document.cookie`).
pub fn cookies() -> String {
    text(&document().into(), "cookie")
}

/// A number in `[0, 1)` from `Math.random` (needs no secure context); `None` if unavailable.
pub fn random_fraction() -> Option<f64> {
    call(&global("Math"), "random", &[])
        .ok()
        .and_then(|n| n.as_f64())
}

/// Sets `window[name] = true`: a flag for the inline scripts of `index.html`.
pub fn raise_window_flag(name: &str) {
    set(&window(), name, &true.into());
}

/// Resolves after `milliseconds` (a `setTimeout` wrapped in a promise).
pub async fn sleep_ms(milliseconds: i32) {
    let elapsed = Promise::new(&mut |resolve: Function, _reject: Function| {
        let _ =
            window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, milliseconds);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(elapsed).await;
}

/// This page's origin (`location.origin`), e.g. `https://portal.union.cn`.
pub fn origin() -> String {
    location_text("origin")
}

/// The address bar's path (`location.pathname`), e.g. `/card`.
pub fn path() -> String {
    location_text("pathname")
}

/// The address bar's query with its `?` (`location.search`), or empty.
pub fn search() -> String {
    location_text("search")
}

/// The address bar's fragment with its `#` (`location.hash`), or empty.
pub fn fragment() -> String {
    location_text("hash")
}

fn location_text(part: &str) -> String {
    text(&get(&window(), "location"), part)
}

/// One query parameter of the address bar, decoded (`URLSearchParams.get`).
pub fn query_param(name: &str) -> Option<String> {
    let params = super::construct("URLSearchParams", &[search().into()]).ok()?;
    call(&params, "get", &[name.into()]).ok()?.as_string()
}

/// Changes the address without loading it (`history.pushState` or `replaceState`); the
/// router reads it when it starts.
pub fn change_address(address: &str, replace: bool) {
    let method = if replace { "replaceState" } else { "pushState" };
    let history = get(&window(), "history");
    let _ = call(
        &history,
        method,
        &[JsValue::NULL, JsValue::from_str(""), address.into()],
    );
}
