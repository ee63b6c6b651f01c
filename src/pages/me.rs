//! The me page (placeholder until its issue lands).
use leptos::prelude::*;

use crate::components::placeholder::Placeholder;

/// Route `/me`.
#[component]
pub fn MePage() -> impl IntoView {
    view! { <Placeholder title=|s| s.shell.me_title intro=|s| s.shell.me_intro/> }
}
