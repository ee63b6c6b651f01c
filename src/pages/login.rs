//! The login page (placeholder until its issue lands).
use leptos::prelude::*;

use crate::components::placeholder::Placeholder;

/// Route `/login`.
#[component]
pub fn LoginPage() -> impl IntoView {
    view! { <Placeholder title=|s| s.shell.login_title intro=|s| s.shell.login_intro/> }
}
