//! The "me" page: the member's profile and this device's settings.
use leptos::prelude::*;

use crate::components::page_header::PageHeader;
use crate::components::settings_panel::SettingsPanel;

/// Route `/me`.
#[component]
pub fn MePage() -> impl IntoView {
    view! {
        <section class="page">
            <PageHeader title=|s| s.shell.me_title/>
            <SettingsPanel/>
        </section>
    }
}
