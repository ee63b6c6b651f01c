//! The card page (placeholder until its issue lands).
use leptos::prelude::*;

use crate::components::placeholder::Placeholder;

/// Route `/card`.
#[component]
pub fn CardPage() -> impl IntoView {
    view! { <Placeholder title=|s| s.shell.card_title intro=|s| s.shell.card_intro/> }
}
