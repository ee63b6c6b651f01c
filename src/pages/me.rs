//! The me page (placeholder until its issue lands).
use leptos::prelude::*;

use crate::components::placeholder::Placeholder;

/// Route `/me`.
#[component]
pub fn MePage() -> impl IntoView {
    view! { <Placeholder title=|s| s.me_title intro=|s| s.me_intro/> }
}
