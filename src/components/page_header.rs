//! The page's heading, which also names the browser tab (and the WeChat title bar).
use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The page's `<h1>`; keeps `document.title` in step with it and the UI language.
#[component]
pub fn PageHeader(title: fn(&'static crate::i18n::Strings) -> &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let heading = move || title(i18n.t());
    Effect::new(move || {
        document().set_title(&format!("{} · {}", heading(), i18n.t().shell.app_name));
    });
    view! { <h1 class="page-title">{heading}</h1> }
}
