//! The card status as a badge: words plus a shape, never colour alone.
use contract::card::CardStatus;
use leptos::prelude::*;

use crate::i18n::use_i18n;

/// A pill with an icon and the status in words.
#[component]
pub fn CardStatusBadge(status: CardStatus) -> impl IntoView {
    let i18n = use_i18n();
    let (tone, icon) = match status {
        CardStatus::Active => ("ok", "✓"),
        CardStatus::InProduction | CardStatus::AwaitingActivation => ("wait", "…"),
        CardStatus::NotApplied => ("neutral", "○"),
        CardStatus::ReportedLost | CardStatus::Frozen | CardStatus::Cancelled => ("stop", "!"),
    };
    view! {
        <span class=format!("badge badge-{tone}") data-status=status.as_str()>
            <span aria-hidden="true">{icon}</span>
            {move || i18n.t().card().status_label(status)}
        </span>
    }
}
