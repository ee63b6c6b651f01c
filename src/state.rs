//! App-wide state, provided once by `App` through small contexts: runtime configuration,
//! the UI language and the member's device preferences.
pub mod aid_draft;
pub mod device;
pub mod offline_card;
pub mod pending_files;
pub mod preferences;
pub mod session;

use leptos::prelude::*;

use leptos::task::spawn_local;

use crate::api::{ApiClient, ApiError};
use crate::config;
use crate::i18n::{I18n, Locale};

pub(crate) const LOCALE_KEY: &str = "portal.locale";

/// Provides every app-wide context. Called once, at the top of `App`.
pub fn provide_app_state() {
    let config = config::from_document();
    let i18n = I18n::new(initial_locale());
    let session = session::SessionStore::default();
    let api = ApiClient::new(
        config.api_root(),
        Signal::derive(move || i18n.locale()),
        session,
    );
    provide_context(config);
    provide_context(i18n);
    provide_context(session);
    provide_context(preferences::Preferences::load());
    provide_context(api.clone());
    persist_locale();
    check_session(api, session);
}

/// Asks the server once, at start-up, whether this browser is signed in. With no network, a
/// member whose card is remembered on the device gets the member area offline (the card page
/// shows the remembered card); anyone else gets sign-in, which reports the network itself.
fn check_session(api: ApiClient, session: session::SessionStore) {
    spawn_local(async move {
        match api.current_session().await {
            Err(ApiError::Network) if offline_card::exists() => session.offline(),
            answer => session.resolved(answer.ok().flatten()),
        }
    });
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
