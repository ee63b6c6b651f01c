//! A page that says what will be built there, used until its issue lands.
use leptos::prelude::*;

use crate::components::page_header::PageHeader;
use crate::i18n::{Strings, tr};

/// A titled page with one paragraph describing what it will hold.
#[component]
pub fn Placeholder(
    title: fn(&'static Strings) -> &'static str,
    intro: fn(&'static Strings) -> &'static str,
) -> impl IntoView {
    view! {
        <section class="page">
            <PageHeader title=title/>
            <p class="intro">{tr(intro)}</p>
        </section>
    }
}
