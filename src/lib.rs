//! The trade-union member portal: a Leptos client-side app compiled to WebAssembly.
pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod config;
pub mod i18n;
pub mod pages;
pub mod routes;
mod split;
pub mod state;

use wasm_bindgen::JsCast;

/// Mounts the app into `#app`, replacing the static loading shell of `index.html`.
pub fn start() {
    let document = leptos::prelude::document();
    let Some(root) = document
        .get_element_by_id("app")
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    leptos::mount::mount_to(root, app::App).forget();
    if let Some(shell) = document.get_element_by_id("shell") {
        shell.remove();
    }
    mark_started();
}

/// Tells the shell's watchdog script that the app is running, so it never shows the fallback.
fn mark_started() {
    browser::page::raise_window_flag("__portalStarted");
}
