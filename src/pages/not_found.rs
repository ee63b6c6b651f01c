//! What any unknown path shows.
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::page_header::PageHeader;
use crate::i18n::use_i18n;

/// The router's fallback: says so plainly and offers the way home.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <PageHeader title=|s| s.shell.not_found_title/>
            <p class="intro">{move || i18n.t().shell.not_found_intro}</p>
            <A href="/" attr:class="button">{move || i18n.t().shell.back_home}</A>
        </section>
    }
}
