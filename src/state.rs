//! App-wide state, provided once by `App` through small contexts: runtime configuration,
//! the UI language and the member's device preferences.
pub mod device;
pub mod preferences;

use leptos::prelude::*;

use crate::api::ApiClient;
use crate::config;
use crate::i18n::{I18n, Locale};

const LOCALE_KEY: &str = "portal.locale";

/// Provides every app-wide context. Called once, at the top of `App`.
pub fn provide_app_state() {
    let config = config::from_document();
    provide_context(ApiClient::new(config.api_root()));
    provide_context(config);
    provide_context(I18n::new(initial_locale()));
    provide_context(preferences::Preferences::load());
    persist_locale();
}

/// The member's stored choice, else Simplified Chinese (the portal's language whatever the
/// phone's system language is; English is one tap away in settings).
fn initial_locale() -> Locale {
    device::get(LOCALE_KEY)
        .map(|tag| Locale::from_tag(&tag))
        .unwrap_or_default()
}

/// Keeps `<html lang>` and the stored choice in step with the UI language.
fn persist_locale() {
    let i18n = expect_context::<I18n>();
    Effect::new(move |previous: Option<Locale>| {
        let locale = i18n.locale();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", locale.tag());
        }
        if previous.is_some_and(|p| p != locale) {
            device::set(LOCALE_KEY, locale.tag());
        }
        locale
    });
}
