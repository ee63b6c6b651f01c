//! A failure said in plain words, with a way forward.
use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::{tr, use_i18n};

/// The member-facing wording of an error: the server's own message when it sent one.
pub fn error_text(error: &ApiError, strings: &'static crate::i18n::Strings) -> String {
    match error {
        ApiError::Api { envelope, .. } => envelope.message.clone(),
        ApiError::Network => strings.common.error_network.to_owned(),
        ApiError::Unexpected { .. } => strings.common.error_unexpected.to_owned(),
    }
}

/// An alert announcing the error, with a retry button when `on_retry` is given.
#[component]
pub fn ErrorNotice(
    error: ApiError,
    #[prop(optional)] on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || error_text(&error, i18n.t());
    view! {
        <div class="notice notice-error" role="alert">
            <p>{text}</p>
            {on_retry.map(|retry| view! {
                <button type="button" class="button button-secondary" on:click=move |_| retry.run(())>
                    {tr(|s| s.common.retry)}
                </button>
            })}
        </div>
    }
}
