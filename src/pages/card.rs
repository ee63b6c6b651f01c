//! The member card: status explained, history, activation guide, loss report and the e-card QR.
use contract::card::{Card, CardStatus, LossReason};
use leptos::prelude::*;

use crate::api::{ApiError, use_api};
use crate::browser::prefetch::a_task_later;
use crate::components::async_panel::AsyncPanel;
use crate::components::card_status_badge::CardStatusBadge;
use crate::components::ecard_qr::{EcardQr, OfflineEcardQr};
use crate::components::error_notice::error_text;
use crate::components::later::drawn_later;
use crate::components::page_header::PageHeader;
use crate::i18n::{TextKey, fill, tr, use_i18n};
use crate::state::offline_card;
use crate::state::session::use_session;

/// Route `/card`.
#[component]
pub fn CardPage() -> impl IntoView {
    let api = use_api();
    // Fresh cards are remembered on the device; with no network the remembered one is shown,
    // marked with when it was last updated.
    let card = LocalResource::new(move || {
        let api = api.clone();
        async move {
            match api.card().await {
                Ok(card) => {
                    offline_card::save(&card);
                    Ok((card, None))
                }
                Err(ApiError::Network) => offline_card::load()
                    .map(|(card, saved_at)| (card, Some(saved_at)))
                    .ok_or(ApiError::Network),
                Err(error) => Err(error),
            }
        }
    });
    view! {
        <section class="page card-page">
            <PageHeader title=|s| s.pages().card/>
            <AsyncPanel resource=card lines=6 render=move |(c, saved_at): (Card, Option<f64>)| view! {
                <CardDetails card=c saved_at on_change=Callback::new(move |()| card.refetch())/>
            }/>
        </section>
    }
}

/// Everything about one card; `saved_at` (ms since the epoch) when it is the remembered copy.
#[component]
fn CardDetails(card: Card, saved_at: Option<f64>, on_change: Callback<()>) -> impl IntoView {
    let live = saved_at.is_none();
    let active = card.status == CardStatus::Active;
    if live {
        keep_offline_key(card.status);
    }
    view! {
        {saved_at.map(|at| view! {
            <p class="notice notice-offline" role="status">
                <strong>{tr(|s| s.common.offline_badge)}</strong>" "
                {fill(tr(|s| s.card().offline_as_of), local_time(at))}
            </p>
        })}
        {active.then(|| view! { <EcardFace number=card.number_masked.clone() live/> })}
        // The rest of the page, below the face, a task later: the face alone first is a short
        // task on a slow phone, and nothing drawn moves when the rest arrives below it.
        {drawn_later(move || view! { <CardFacts card live on_change/> })}
    }
}

/// The card's status, next step, activation guide, loss report and history.
#[component]
fn CardFacts(card: Card, live: bool, on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let status = card.status;
    let events = card.events;
    let active = status == CardStatus::Active;
    view! {
        <section class="panel" aria-labelledby="status-heading">
            <h2 id="status-heading">{tr(|s| s.card().status)}</h2>
            <p><CardStatusBadge status/></p>
            <p class="status-explained">{move || i18n.t().card().status_explained(status)}</p>
            {card.next_step.map(|step| view! {
                <p class="notice notice-step">
                    <strong>{tr(|s| s.card().next_step)}": "</strong>
                    {move || i18n.t().card().next_step_text(step)}
                </p>
            })}
            <dl class="facts">
                {(!active).then_some(card.number_masked.clone()).flatten().map(|number| view! {
                    <dt>{tr(|s| s.card().card_number)}</dt>
                    <dd class="card-number">{number}</dd>
                })}
                <dt>{tr(|s| s.card().bank)}</dt>
                <dd>{card.bank}</dd>
            </dl>
        </section>
        {(status == CardStatus::AwaitingActivation).then(|| view! { <ActivationGuide/> })}
        {(live && status.can_report_loss()).then(|| view! { <ReportLossPanel on_change/> })}
        <section class="panel" aria-labelledby="history-heading">
            <h2 id="history-heading">{tr(|s| s.card().history)}</h2>
            <ol class="timeline">
                {events.into_iter().rev().map(|event| {
                    let kind = event.kind.clone();
                    let day = event.at.get(..10).unwrap_or_default().to_owned();
                    view! {
                        <li>
                            <strong>{move || i18n.t().card().event_label(&kind)}</strong>
                            <time datetime=event.at>{day}</time>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// What a member shows at the till, first on the page: the card number and the member code.
/// The server draws the same face into a signed-in visit's first paint
/// (`public/first-paint/card.html`), which this replaces where it stands.
#[component]
fn EcardFace(number: Option<String>, live: bool) -> impl IntoView {
    view! {
        <section class="panel ecard-face" aria-labelledby="qr-heading">
            <h2 id="qr-heading">{tr(|s| s.card().show_qr)}</h2>
            {number.map(|number| view! {
                <p class="ecard-face-number">
                    <span>{tr(|s| s.card().card_number)}</span>" "
                    <span class="card-number">{number}</span>
                </p>
            })}
            {if live {
                view! { <EcardQr/> }.into_any()
            } else {
                view! { <OfflineEcardQr/> }.into_any()
            }}
        </section>
    }
}

/// Online with an active card, provisions this session's offline device key so the e-card can be
/// shown later with no signal; with any other status, forgets it. A kiosk session never gets one
/// (nothing may outlive it on a shared screen). Failure changes nothing: the online code works
/// regardless.
fn keep_offline_key(status: CardStatus) {
    if status != CardStatus::Active || use_session().is_kiosk() {
        offline_card::forget_device();
        return;
    }
    let api = use_api();
    leptos::task::spawn_local(async move {
        // Not needed for this screen: asked once the screen is drawn.
        a_task_later().await;
        if let Ok(device) = api.offline_device().await {
            offline_card::save_device(&device);
        }
    });
}

/// `MM-DD HH:MM` in the device's time zone.
fn local_time(ms: f64) -> String {
    let date = web_sys::js_sys::Date::new(&ms.into());
    format!(
        "{:02}-{:02} {:02}:{:02}",
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

#[component]
fn ActivationGuide() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel" aria-labelledby="activation-heading">
            <h2 id="activation-heading">{tr(|s| s.card().activation_guide)}</h2>
            <ol class="steps">
                {(0..3).map(|i| view! { <li>{move || i18n.t().card().activation_steps[i]}</li> }).collect_view()}
            </ol>
        </section>
    }
}

/// Reporting loss takes two deliberate steps; the request itself is idempotent, and the
/// button is disabled while it runs, so a double tap cannot report twice.
#[component]
fn ReportLossPanel(on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let confirming = RwSignal::new(false);
    let reason = RwSignal::new(LossReason::Lost);
    let report = Action::new_local(move |reason: &LossReason| {
        let api = api.clone();
        let reason = *reason;
        async move {
            let result = api.report_loss(reason).await;
            if result.is_ok() {
                on_change.run(());
            }
            result
        }
    });
    let reasons: [(LossReason, TextKey); 3] = [
        (LossReason::Lost, |s| s.card().reason_lost),
        (LossReason::Stolen, |s| s.card().reason_stolen),
        (LossReason::Damaged, |s| s.card().reason_damaged),
    ];
    view! {
        <section class="panel" aria-labelledby="loss-heading">
            <h2 id="loss-heading">{tr(|s| s.card().report_loss)}</h2>
            <p>{tr(|s| s.card().report_loss_intro)}</p>
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button type="button" class="button button-danger" on:click=move |_| confirming.set(true)>
                        {tr(|s| s.card().report_loss)}
                    </button>
                }
            >
                <fieldset class="choice-row">
                    <legend>{tr(|s| s.card().reason)}</legend>
                    {reasons.map(|(value, label)| view! {
                        <label class="choice">
                            <input type="radio" name="loss-reason" prop:checked=move || reason.get() == value on:change=move |_| reason.set(value)/>
                            <span>{tr(label)}</span>
                        </label>
                    })}
                </fieldset>
                <div class="button-row">
                    <button type="button" class="button button-secondary" on:click=move |_| confirming.set(false)>
                        {tr(|s| s.common.cancel)}
                    </button>
                    <button
                        type="button"
                        class="button button-danger"
                        disabled=move || report.pending().get()
                        on:click=move |_| { report.dispatch(reason.get_untracked()); }
                    >
                        {move || if report.pending().get() { i18n.t().card().reporting } else { i18n.t().card().confirm_report }}
                    </button>
                </div>
                <div aria-live="assertive">
                    {move || report.value().get().and_then(Result::err).map(|error| view! {
                        <p class="notice notice-error" role="alert">{error_text(&error, i18n.t())}</p>
                    })}
                </div>
            </Show>
        </section>
    }
}
