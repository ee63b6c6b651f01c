//! The aid page (placeholder until its issue lands).
use leptos::prelude::*;

use crate::components::placeholder::Placeholder;

/// Route `/aid`.
#[component]
pub fn AidPage() -> impl IntoView {
    view! { <Placeholder title=|s| s.shell.aid_title intro=|s| s.shell.aid_intro/> }
}
