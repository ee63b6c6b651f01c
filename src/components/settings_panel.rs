//! Device settings: language, large text and elder mode. They work signed in or not.
use leptos::prelude::*;

use crate::i18n::{Locale, tr, use_i18n};
use crate::state::preferences::use_preferences;

/// The settings list of the "me" page.
#[component]
pub fn SettingsPanel() -> impl IntoView {
    let i18n = use_i18n();
    let prefs = use_preferences();
    view! {
        <section class="panel" aria-labelledby="settings-heading">
            <h2 id="settings-heading">{tr(|s| s.me().settings)}</h2>
            <fieldset class="choice-row">
                <legend>{tr(|s| s.shell.language)}</legend>
                {Locale::ALL.map(|locale| view! {
                    <label class="choice">
                        <input
                            type="radio"
                            name="language"
                            prop:checked=move || i18n.locale() == locale
                            on:change=move |_| i18n.set_locale(locale)
                        />
                        <span lang=locale.tag()>{locale.strings().language_name}</span>
                    </label>
                })}
            </fieldset>
            <Toggle flag=prefs.large_text label=|s| s.me().large_text hint=|s| s.me().large_text_hint/>
            <Toggle flag=prefs.elder label=|s| s.me().elder_mode hint=|s| s.me().elder_mode_hint/>
        </section>
    }
}

/// A labelled switch bound to a preference.
#[component]
fn Toggle(
    flag: RwSignal<bool>,
    label: fn(&'static crate::i18n::Strings) -> &'static str,
    hint: fn(&'static crate::i18n::Strings) -> &'static str,
) -> impl IntoView {
    view! {
        <label class="toggle">
            <span class="toggle-text">
                <span class="toggle-label">{tr(label)}</span>
                <span class="hint">{tr(hint)}</span>
            </span>
            <input type="checkbox" role="switch" bind:checked=flag/>
        </label>
    }
}
