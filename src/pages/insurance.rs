//! The insurance page (placeholder until its issue lands).
use leptos::prelude::*;

use crate::components::placeholder::Placeholder;

/// Route `/insurance`.
#[component]
pub fn InsurancePage() -> impl IntoView {
    view! { <Placeholder title=|s| s.shell.insurance_title intro=|s| s.shell.insurance_intro/> }
}
