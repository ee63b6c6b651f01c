//! The privacy notice members accept before signing in.
use leptos::prelude::*;

use crate::components::page_header::PageHeader;
use crate::i18n::use_i18n;

/// Route `/privacy`.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <PageHeader title=|s| s.pages().privacy/>
            {(0..4).map(|i| view! { <p>{move || i18n.t().privacy()[i]}</p> }).collect_view()}
        </section>
    }
}
