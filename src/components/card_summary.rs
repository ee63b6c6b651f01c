//! The e-card at the top of the home page: name, union, status and masked number.
use contract::card::Card;
use contract::member::Profile;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::card_status_badge::CardStatusBadge;
use crate::i18n::{tr, use_i18n};
use crate::routes;

/// The member's card as a card-shaped panel, with the next step when it is not active.
#[component]
pub fn CardSummary(card: Card, profile: Profile) -> impl IntoView {
    let i18n = use_i18n();
    let next_step = card.next_step;
    let union = profile.union_path.last().cloned().unwrap_or_default();
    view! {
        // The link's name is what it shows, led by a hidden "e-card" (WCAG 2.5.3: the visible
        // text must be part of the accessible name, so no aria-label here).
        <A href=routes::CARD attr:class="ecard">
            <span class="visually-hidden">{tr(|s| s.card().ecard)}</span>
            <div class="ecard-top">
                <span class="ecard-brand">{tr(|s| s.shell.app_name)}</span>
                <CardStatusBadge status=card.status/>
            </div>
            <div class="ecard-name">{profile.name}</div>
            <div class="ecard-union">{union}</div>
            <div class="ecard-number">{card.number_masked.unwrap_or_default()}</div>
        </A>
        {next_step.map(|step| view! {
            <p class="notice notice-step">
                <strong>{tr(|s| s.card().next_step)}": "</strong>
                {move || i18n.t().card().next_step_text(step)}
            </p>
        })}
    }
}
