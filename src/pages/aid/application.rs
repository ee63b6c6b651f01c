//! `/aid/applications/:id`: one application — where it stands, its history, the amount
//! approved and when it was paid, why it was refused, adding the documents a reviewer asked
//! for, and withdrawing it while it is undecided.
use contract::aid::{AidActor, AidApplication, AidEvent, AidSupplement, Attachment};
use contract::validate::Fen;
use leptos::ev;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::{AidStatusBadge, day};
use crate::api::{ApiError, use_api};
use crate::components::async_panel::{AsyncPanel, WhenAllAnswered};
use crate::components::document_upload::{DocumentUpload, Uploads};
use crate::components::error_notice::ErrorNotice;
use crate::components::page_header::PageHeader;
use crate::i18n::{fill, tr, use_i18n};
use crate::routes;

/// The application page.
#[component]
pub fn AidApplicationPage(id: String) -> impl IntoView {
    let api = use_api();
    let just_submitted = use_query_map().with_untracked(|q| q.get("submitted").is_some());
    let application = LocalResource::new(move || {
        let api = api.clone();
        let id = id.clone();
        async move { api.aid_application(&id).await }
    });
    let changed = Callback::new(move |()| application.refetch());
    view! {
        <section class="page aid-application-page">
            <PageHeader title=|s| s.pages().aid/>
            {just_submitted.then(|| view! {
                <p class="notice" role="status">{tr(|s| s.aid().submitted)}</p>
            })}
            // The back link comes with the content, so it never moves.
            <WhenAllAnswered answered=move || application.with(Option::is_some) lines=9>
                <AsyncPanel resource=application lines=8 render=move |a| application_view(a, changed)/>
                <A href=routes::AID attr:class="button button-secondary">{tr(|s| s.aid().back_to_aid)}</A>
            </WhenAllAnswered>
        </section>
    }
}

fn application_view(application: AidApplication, changed: Callback<()>) -> impl IntoView {
    let AidApplication {
        id,
        program_name,
        status,
        submitted_at,
        expected_fen,
        approved_fen,
        paid_on,
        paid_to_card_masked,
        info_requested,
        rejection_reason,
        can_withdraw,
        can_supplement,
        history,
        household,
        household_monthly_income_fen,
        hardship,
        attachments,
        ..
    } = application;
    let undecided = status.is_undecided();
    let money = |fen: i64| Fen(fen).display_yuan();
    view! {
        <section class="panel" aria-labelledby="application-heading">
            <h2 id="application-heading">{program_name}</h2>
            <p><AidStatusBadge status/></p>
            {info_requested.map(|what| view! {
                <div class="notice notice-step"><p>{tr(|s| s.aid().info_requested)}</p><p>{what}</p></div>
            })}
            {rejection_reason.map(|why| view! {
                <div class="notice notice-error"><p>{tr(|s| s.aid().rejected_because)}</p><p>{why}</p></div>
            })}
            <dl class="facts">
                <dt>{tr(|s| s.aid().submitted_on)}</dt>
                <dd>{day(&submitted_at).to_owned()}</dd>
                {expected_fen.filter(|_| undecided).map(|fen| view! {
                    <dt>{tr(|s| s.aid().expected)}</dt><dd>{money(fen)}</dd>
                })}
                {approved_fen.map(|fen| view! {
                    <dt>{tr(|s| s.aid().approved)}</dt><dd>{money(fen)}</dd>
                })}
                {paid_on.map(|date| view! {
                    <dt>{tr(|s| s.aid().paid_on)}</dt><dd>{date}</dd>
                })}
                {paid_to_card_masked.map(|card| view! {
                    <dt>{tr(|s| s.aid().paid_to)}</dt><dd>{card}</dd>
                })}
            </dl>
        </section>
        {can_supplement.then(|| view! { <SupplementPanel id=id.clone() changed/> })}
        <section class="panel" aria-labelledby="history-heading">
            <h2 id="history-heading">{tr(|s| s.aid().progress)}</h2>
            <ol class="timeline">{history.into_iter().rev().map(event_view).collect_view()}</ol>
        </section>
        <section class="panel" aria-labelledby="content-heading">
            <h2 id="content-heading">{tr(|s| s.aid().household)}</h2>
            <ul>
                {household.into_iter().map(|person| view! {
                    <li>{person.name}" · "{move || use_i18n().t().aid().relation_label(person.relation)}" · "{person.id_number_masked}</li>
                }).collect_view()}
            </ul>
            <dl class="facts">
                <dt>{tr(|s| s.aid().income)}</dt>
                <dd>{money(household_monthly_income_fen)}</dd>
                <dt>{tr(|s| s.aid().hardship)}</dt>
                <dd>{hardship}</dd>
                <dt>{tr(|s| s.aid().documents)}</dt>
                <dd>
                    {fill(tr(|s| s.aid().documents_count), attachments.len())}
                    <ul>{attachments.into_iter().map(|a: Attachment| view! { <li>{a.filename}</li> }).collect_view()}</ul>
                </dd>
            </dl>
        </section>
        {can_withdraw.then(|| view! { <WithdrawPanel id changed/> })}
    }
}

fn event_view(event: AidEvent) -> impl IntoView {
    let i18n = use_i18n();
    let actor = match event.actor {
        AidActor::Member => tr(|s| s.aid().by_member),
        AidActor::Reviewer => tr(|s| s.aid().by_union),
    };
    view! {
        <li>
            <strong>{move || i18n.t().aid().status_label(event.status)}</strong>
            <time datetime=event.at.clone()>{day(&event.at).to_owned()}</time>
            <span class="hint">{actor}</span>
            {event.amount_fen.map(|fen| view! { <span>{Fen(fen).display_yuan()}</span> })}
            {(event.attachments_added > 0).then(|| view! {
                <span class="hint">{fill(tr(|s| s.aid().documents_count), event.attachments_added)}</span>
            })}
            {event.note.map(|note| view! { <span class="hint">{note}</span> })}
        </li>
    }
}

/// The documents the reviewer asked for, with an optional note.
#[component]
fn SupplementPanel(id: String, changed: Callback<()>) -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let uploads = Uploads::new();
    let attachments = RwSignal::new(Vec::<Attachment>::new());
    let note = RwSignal::new(String::new());
    let added = Callback::new(move |a| attachments.update(|list| list.push(a)));
    let removed = Callback::new(move |gone: String| {
        attachments.update(|list| list.retain(|a| a.id != gone));
    });
    let send = Action::new_local(move |_: &()| {
        let api = api.clone();
        let id = id.clone();
        let supplement = AidSupplement {
            attachment_ids: attachments
                .with_untracked(|l| l.iter().map(|a| a.id.clone()).collect()),
            note: note.get_untracked().trim().to_owned(),
        };
        async move {
            api.supplement_aid_application(&id, &supplement).await?;
            changed.run(());
            Ok::<_, ApiError>(())
        }
    });
    let nothing_to_send = move || attachments.with(Vec::is_empty) || uploads.busy();
    let on_submit = move |event: ev::SubmitEvent| {
        event.prevent_default();
        if !nothing_to_send() && !send.pending().get_untracked() {
            send.dispatch(());
        }
    };
    view! {
        <section class="panel" aria-labelledby="supplement-heading">
            <h2 id="supplement-heading">{tr(|s| s.aid().supplement)}</h2>
            <form class="form" on:submit=on_submit novalidate>
                <DocumentUpload uploads attachments added removed/>
                <div class="field">
                    <label for="supplement-note">{tr(|s| s.aid().supplement_note)}</label>
                    <textarea id="supplement-note" rows="3" maxlength="500" bind:value=note></textarea>
                </div>
                {move || send.value().with(|outcome| match outcome {
                    Some(Err(error)) => Some(view! { <ErrorNotice error=error.clone()/> }),
                    _ => None,
                })}
                <button type="submit" class="button button-block"
                    disabled=move || nothing_to_send() || send.pending().get()>
                    {move || i18n.t().aid().send_supplement}
                </button>
            </form>
        </section>
    }
}

/// Withdrawing takes two taps: the first asks, the second does it.
#[component]
fn WithdrawPanel(id: String, changed: Callback<()>) -> impl IntoView {
    let api = use_api();
    let asking = RwSignal::new(false);
    let withdraw = Action::new_local(move |_: &()| {
        let api = api.clone();
        let id = id.clone();
        async move {
            api.withdraw_aid_application(&id).await?;
            changed.run(());
            Ok::<_, ApiError>(())
        }
    });
    view! {
        <section class="panel">
            {move || if asking.get() {
                view! {
                    <div class="notice notice-step" role="alertdialog" aria-labelledby="withdraw-question">
                        <p id="withdraw-question">{tr(|s| s.aid().withdraw_confirm)}</p>
                        <div class="button-row">
                            <button type="button" class="button button-danger"
                                disabled=move || withdraw.pending().get()
                                on:click=move |_| { withdraw.dispatch(()); }>
                                {tr(|s| s.aid().withdraw_yes)}
                            </button>
                            <button type="button" class="button button-secondary" on:click=move |_| asking.set(false)>
                                {tr(|s| s.aid().keep_it)}
                            </button>
                        </div>
                    </div>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="button button-secondary" on:click=move |_| asking.set(true)>
                        {tr(|s| s.aid().withdraw)}
                    </button>
                }.into_any()
            }}
            {move || withdraw.value().with(|outcome| match outcome {
                Some(Err(error)) => Some(view! { <ErrorNotice error=error.clone()/> }),
                _ => None,
            })}
        </section>
    }
}
