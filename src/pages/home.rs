//! The home page (placeholder until its issue lands).
use leptos::prelude::*;

use crate::components::placeholder::Placeholder;

/// Route `/`.
#[component]
pub fn HomePage() -> impl IntoView {
    view! { <Placeholder title=|s| s.shell.home_title intro=|s| s.shell.home_intro/> }
}
