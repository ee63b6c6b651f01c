//! What any unknown path shows.
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::page_header::PageHeader;
use crate::i18n::tr;
use crate::routes;

/// The router's fallback: says so plainly and offers the way home.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="page">
            <PageHeader title=|s| s.pages().not_found/>
            <p class="intro">{tr(|s| s.pages().not_found_intro)}</p>
            <A href=routes::HOME attr:class="button">{tr(|s| s.shell.back_home)}</A>
        </section>
    }
}
