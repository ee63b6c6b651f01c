//! Route `/insurance/:id`: one plan — what it covers and not, how to claim (documents, hotline)
//! — and the member's claims on it with each claim's status history.
use contract::insurance::{EntitlementDetail, InsuranceClaim};
use contract::validate::Fen;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::{EntitlementBadge, period};
use crate::api::use_api;
use crate::components::async_panel::{AsyncPanel, WhenAllAnswered};
use crate::components::page_header::PageHeader;
use crate::i18n::{tr, use_i18n};
use crate::routes;

/// The detail page.
#[component]
pub fn InsuranceDetailPage() -> impl IntoView {
    let api = use_api();
    let params = use_params_map();
    let detail = LocalResource::new(move || {
        let api = api.clone();
        let id = params.with(|p| p.get("id").unwrap_or_default());
        async move { api.entitlement(&id).await }
    });
    view! {
        <section class="page insurance-detail">
            <PageHeader title=|s| s.pages().insurance/>
            // The back link comes with the content, so it never moves.
            <WhenAllAnswered answered=move || detail.with(Option::is_some) lines=9>
                <AsyncPanel resource=detail lines=8 render=plan_view/>
                <A href=routes::INSURANCE attr:class="button button-secondary">{tr(|s| s.insurance().back)}</A>
            </WhenAllAnswered>
        </section>
    }
}

fn plan_view(detail: EntitlementDetail) -> impl IntoView {
    let i18n = use_i18n();
    let EntitlementDetail {
        entitlement,
        plan,
        claims,
    } = detail;
    let hotline = plan.hotline.clone();
    view! {
        <section class="panel" aria-labelledby="plan-heading">
            <h2 id="plan-heading">{plan.name.clone()}</h2>
            <p><EntitlementBadge status=entitlement.status/></p>
            {entitlement.reason.map(|reason| view! {
                <p class="notice notice-step">{move || i18n.t().insurance().reason(reason)}</p>
            })}
            <dl class="facts">
                <dt>{tr(|s| s.insurance().sum_insured)}</dt>
                <dd>{Fen(plan.sum_insured_fen).display_yuan()}</dd>
                <dt>{tr(|s| s.insurance().period)}</dt>
                <dd>{period(&entitlement)}</dd>
            </dl>
            <h3>{tr(|s| s.insurance().covers)}</h3>
            <p>{plan.covers}</p>
            <h3>{tr(|s| s.insurance().exclusions)}</h3>
            <p>{plan.exclusions}</p>
        </section>
        <section class="panel" aria-labelledby="claim-heading">
            <h2 id="claim-heading">{tr(|s| s.insurance().how_to_claim)}</h2>
            <p>{plan.how_to_claim}</p>
            <h3>{tr(|s| s.insurance().documents)}</h3>
            <ul>{plan.claim_documents.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
            <p>
                {tr(|s| s.insurance().hotline)}": "
                <a href=format!("tel:{hotline}")>{hotline.clone()}</a>
            </p>
        </section>
        <section class="panel" aria-labelledby="claims-heading">
            <h2 id="claims-heading">{tr(|s| s.insurance().claims)}</h2>
            {if claims.is_empty() {
                view! { <p>{tr(|s| s.insurance().no_claims)}</p> }.into_any()
            } else {
                view! { <ul class="claims">{claims.into_iter().map(claim_view).collect_view()}</ul> }.into_any()
            }}
        </section>
    }
}

fn claim_view(claim: InsuranceClaim) -> impl IntoView {
    let i18n = use_i18n();
    let status = claim.status;
    view! {
        <li class="claim">
            <p><strong>{claim.incident}</strong>" · "<time datetime=claim.incident_on.clone()>{claim.incident_on.clone()}</time></p>
            <p class="claim-status">{move || i18n.t().insurance().claim_label(status)}</p>
            <dl class="facts">
                <dt>{tr(|s| s.insurance().claimed)}</dt>
                <dd>{Fen(claim.claimed_fen).display_yuan()}</dd>
                {claim.approved_fen.map(|fen| view! {
                    <dt>{tr(|s| s.insurance().approved)}</dt>
                    <dd>{Fen(fen).display_yuan()}</dd>
                })}
                {claim.paid_to_card_masked.map(|card| view! {
                    <dt>{tr(|s| s.insurance().paid_to)}</dt>
                    <dd>{card}</dd>
                })}
            </dl>
            <ol class="timeline">
                {claim.history.into_iter().rev().map(|event| {
                    let day = event.at.get(..10).unwrap_or_default().to_owned();
                    view! {
                        <li>
                            <strong>{move || i18n.t().insurance().claim_label(event.status)}</strong>
                            <time datetime=event.at.clone()>{day}</time>
                            {event.note.map(|note| view! { <span class="hint">{note}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </li>
    }
}
