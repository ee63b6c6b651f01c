//! Home: the e-card, unread messages and quick entries. The panels appear together (see
//! `WhenAllAnswered`), and each fails on its own.
use contract::card::Card;
use contract::member::Profile;
use contract::notifications::Notifications;
use contract::service::HOTLINE;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{ApiError, use_api};
use crate::components::async_panel::{AsyncPanel, WhenAllAnswered};
use crate::components::card_summary::CardSummary;
use crate::components::later::drawn_later;
use crate::components::page_header::PageHeader;
use crate::i18n::{TextKey, fill, tr, use_i18n};
use crate::routes;
use crate::state::preferences::use_preferences;

/// Route `/`.
#[component]
pub fn HomePage() -> impl IntoView {
    let api = use_api();
    let card_and_profile = LocalResource::new({
        let api = api.clone();
        move || {
            let api = api.clone();
            async move {
                let (card, profile) = futures::future::join(api.card(), api.profile()).await;
                Ok::<_, ApiError>((card?, profile?))
            }
        }
    });
    let notifications = LocalResource::new(move || {
        let api = api.clone();
        async move { api.notifications().await }
    });
    let answered =
        move || card_and_profile.with(Option::is_some) && notifications.with(Option::is_some);
    view! {
        <section class="page home">
            <PageHeader title=|s| s.pages().home/>
            <WhenAllAnswered answered lines=12>
                <EcardPanel card_and_profile/>
                <NotificationsPanel notifications/>
                // Below the panels, a task later: a shorter task on a slow phone, and
                // nothing drawn moves when they arrive under it.
                {drawn_later(|| view! {
                    <QuickEntries/>
                    <ElderModeSwitch/>
                })}
            </WhenAllAnswered>
        </section>
    }
}

/// The card and profile, fetched together.
#[component]
fn EcardPanel(card_and_profile: LocalResource<Result<(Card, Profile), ApiError>>) -> impl IntoView {
    view! {
        <AsyncPanel resource=card_and_profile lines=4 render=|(card, profile)| view! { <CardSummary card profile/> }/>
    }
}

/// Unread count and the newest messages.
#[component]
fn NotificationsPanel(
    notifications: LocalResource<Result<Notifications, ApiError>>,
) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="messages-heading">
            <h2 id="messages-heading">{tr(|s| s.card().notifications)}</h2>
            <AsyncPanel resource=notifications render=move |n: Notifications| view! { <MessageList notifications=n/> }/>
        </section>
    }
}

#[component]
fn MessageList(notifications: Notifications) -> impl IntoView {
    let i18n = use_i18n();
    let unread = notifications.unread;
    let items = notifications.items.into_iter().take(3).map(|n| {
        view! {
            <li class:unread=!n.read>
                <strong>{n.title}</strong>
                <span class="hint">{n.body}</span>
            </li>
        }
    });
    view! {
        <p class="unread-count">
            {move || if unread == 0 { i18n.t().card().no_notifications.to_owned() } else { fill(i18n.t().card().unread, unread) }}
        </p>
        <ul class="messages">{items.collect_view()}</ul>
    }
}

/// Elder mode one tap from home (also in settings): larger text and buttons, remembered here.
#[component]
fn ElderModeSwitch() -> impl IntoView {
    let elder = use_preferences().elder;
    view! {
        <button
            type="button"
            class="button button-secondary button-block elder-switch"
            aria-pressed=move || elder.get().to_string()
            on:click=move |_| elder.update(|on| *on = !*on)
        >
            {tr(|s| s.me().elder_mode)}
        </button>
        <p class="hint">{tr(|s| s.me().elder_mode_hint)}</p>
    }
}

/// Shortcuts to the services, and the hotline one tap away.
#[component]
fn QuickEntries() -> impl IntoView {
    let entries: [(&'static str, TextKey); 4] = [
        (routes::OFFERS, |s| s.card().entry_offers),
        (routes::INSURANCE, |s| s.card().entry_insurance),
        (routes::AID, |s| s.card().entry_aid),
        (routes::CENTRES, |s| s.card().entry_centres),
    ];
    view! {
        <nav class="panel quick-entries" aria-labelledby="entries-heading">
            <h2 id="entries-heading">{tr(|s| s.card().quick_entries)}</h2>
            <ul>
                {entries.map(|(href, label)| view! {
                    <li><A href=href>{tr(label)}</A></li>
                })}
                <li><a href=format!("tel:{HOTLINE}")>{tr(|s| s.common.call_hotline)}</a></li>
            </ul>
        </nav>
    }
}
