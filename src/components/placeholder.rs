//! A page that says what will be built there, used until its issue lands.
use leptos::prelude::*;

use crate::components::page_header::PageHeader;
use crate::i18n::{Strings, use_i18n};

/// A titled page with one paragraph describing what it will hold.
#[component]
pub fn Placeholder(
    title: fn(&'static Strings) -> &'static str,
    intro: fn(&'static Strings) -> &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <PageHeader title=title/>
            <p class="intro">{move || intro(i18n.t())}</p>
        </section>
    }
}
