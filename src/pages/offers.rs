//! The offers page (placeholder until its issue lands).
use leptos::prelude::*;

use crate::components::placeholder::Placeholder;

/// Route `/offers`.
#[component]
pub fn OffersPage() -> impl IntoView {
    view! { <Placeholder title=|s| s.shell.offers_title intro=|s| s.shell.offers_intro/> }
}
