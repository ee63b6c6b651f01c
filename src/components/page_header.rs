//! The page's heading, which also names the browser tab (and the WeChat title bar).
use leptos::prelude::*;

use crate::i18n::{Strings, tr};

/// The page's `<h1>`; sets `document.title` to match.
#[component]
pub fn PageHeader(title: fn(&'static Strings) -> &'static str) -> impl IntoView {
    let heading = tr(title);
    document().set_title(&format!("{heading} · {}", tr(|s| s.shell.app_name)));
    view! { <h1 class="page-title">{heading}</h1> }
}

/// Names the tab `<what> · <app>`: for detail screens, whose own name (an offer, a plan)
/// arrives with their data after the page's heading. (Not shared with `PageHeader`, which the
/// sign-in page's first load carries.)
pub fn set_page_title(what: &str) {
    document().set_title(&format!("{what} · {}", tr(|s| s.shell.app_name)));
}
