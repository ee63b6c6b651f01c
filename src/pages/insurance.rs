//! Route `/insurance`: the member's mutual-aid cover (互助保障) — each plan with its sum insured,
//! period and status, and when it is not active, why and what to do.
pub mod detail;

use contract::insurance::{Entitlement, EntitlementStatus};
use contract::validate::Fen;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::use_api;
use crate::components::async_panel::AsyncPanel;
use crate::components::card_status_badge::Shape;
use crate::components::page_header::PageHeader;
use crate::i18n::{tr, use_i18n};
use crate::routes;

/// The list of the member's entitlements.
#[component]
pub fn InsurancePage() -> impl IntoView {
    let api = use_api();
    let entitlements = LocalResource::new(move || {
        let api = api.clone();
        async move { api.entitlements().await }
    });
    view! {
        <section class="page insurance">
            <PageHeader title=|s| s.pages().insurance/>
            <p class="intro">{tr(|s| s.insurance().intro)}</p>
            <AsyncPanel resource=entitlements lines=5 render=entitlement_list/>
        </section>
    }
}

fn entitlement_list(list: Vec<Entitlement>) -> AnyView {
    if list.is_empty() {
        view! { <p class="notice">{tr(|s| s.insurance().none)}</p> }.into_any()
    } else {
        let cards = list.into_iter().map(entitlement_card).collect_view();
        view! { <ul class="entitlements">{cards}</ul> }.into_any()
    }
}

/// One entitlement as a card linking to its detail.
fn entitlement_card(entitlement: Entitlement) -> impl IntoView {
    let i18n = use_i18n();
    let href = routes::insurance_entitlement(&entitlement.id);
    view! {
        <li class="panel entitlement">
            <h2>{entitlement.plan_name.clone()}</h2>
            <p><EntitlementBadge status=entitlement.status/></p>
            {entitlement.reason.map(|reason| view! {
                <p class="notice notice-step">{move || i18n.t().insurance().reason(reason)}</p>
            })}
            <dl class="facts">
                <dt>{tr(|s| s.insurance().sum_insured)}</dt>
                <dd>{Fen(entitlement.sum_insured_fen).display_yuan()}</dd>
                <dt>{tr(|s| s.insurance().period)}</dt>
                <dd>{period(&entitlement)}</dd>
                <dt>{tr(|s| s.insurance().claims_count)}</dt>
                <dd>{entitlement.claim_count}</dd>
            </dl>
            <A href=href attr:class="button button-secondary">{tr(|s| s.insurance().details)}</A>
        </li>
    }
}

/// `2026-01-01 – 2026-12-31`, or that cover starts with activation.
pub fn period(entitlement: &Entitlement) -> String {
    match (&entitlement.covered_from, &entitlement.covered_until) {
        (Some(from), Some(until)) => format!("{} – {}", day(from), day(until)),
        (Some(from), None) => format!("{} –", day(from)),
        _ => tr(|s| s.insurance().period_open).to_owned(),
    }
}

fn day(date: &str) -> &str {
    date.get(..10).unwrap_or(date)
}

/// The status in words and a shape, never colour alone.
#[component]
pub fn EntitlementBadge(status: EntitlementStatus) -> impl IntoView {
    let i18n = use_i18n();
    let (tone, shape) = match status {
        EntitlementStatus::Active => ("ok", Shape::Tick),
        EntitlementStatus::PendingCardActivation => ("wait", Shape::Clock),
        EntitlementStatus::Suspended | EntitlementStatus::Expired => ("stop", Shape::Bang),
    };
    view! {
        <span class=format!("badge badge-{tone}")>
            {shape.view()}
            {move || i18n.t().insurance().status_label(status)}
        </span>
    }
}
