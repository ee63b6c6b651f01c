//! Hardship aid (困难帮扶), under `/aid`: the programs with who may apply, how much, the
//! documents and the window, and the member's own applications with their status
//! (`/aid`); applying (`/aid/apply/:program`); one application (`/aid/applications/:id`).
//!
//! The three screens share one route and one chunk: every route in the table costs the first
//! load about 0.35 KiB, and every split point adds to the chunk loader.
pub mod application;
pub mod apply;
mod form;

use contract::aid::{AidAmount, AidApplicationSummary, AidProgram, AidStatus};
use contract::validate::Fen;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use self::application::AidApplicationPage;
use self::apply::AidApplyPage;
use crate::pages::not_found::NotFoundPage;

use crate::api::use_api;
use crate::components::async_panel::{AsyncPanel, WhenAllAnswered};
use crate::components::page_header::PageHeader;
use crate::i18n::{tr, use_i18n};
use crate::state::aid_draft;
use crate::state::session::use_session;

/// Which aid screen an address under `/aid` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum AidScreen {
    Programs,
    Apply(String),
    Application(String),
    Unknown,
}

impl AidScreen {
    /// `rest` is the address after `/aid/`.
    fn of(rest: &str) -> Self {
        let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [] => AidScreen::Programs,
            ["apply", program] => AidScreen::Apply((*program).to_owned()),
            ["applications", id] => AidScreen::Application((*id).to_owned()),
            _ => AidScreen::Unknown,
        }
    }
}

/// Route `/aid/*rest`: the aid screen the address names.
#[component]
pub fn AidArea() -> impl IntoView {
    let params = use_params_map();
    let screen =
        Memo::new(move |_| AidScreen::of(&params.with(|p| p.get("rest").unwrap_or_default())));
    move || match screen.get() {
        AidScreen::Programs => view! { <AidPage/> }.into_any(),
        AidScreen::Apply(program) => view! { <AidApplyPage program/> }.into_any(),
        AidScreen::Application(id) => view! { <AidApplicationPage id/> }.into_any(),
        AidScreen::Unknown => NotFoundPage().into_any(),
    }
}

/// The programs and the member's applications.
#[component]
fn AidPage() -> impl IntoView {
    let api = use_api();
    let programs = LocalResource::new({
        let api = api.clone();
        move || {
            let api = api.clone();
            async move { api.aid_programs().await }
        }
    });
    let applications = LocalResource::new(move || {
        let api = api.clone();
        async move { api.aid_applications().await }
    });
    let answered = move || programs.with(Option::is_some) && applications.with(Option::is_some);
    view! {
        <section class="page aid">
            <PageHeader title=|s| s.pages().aid/>
            <p class="intro">{tr(|s| s.aid().intro)}</p>
            <WhenAllAnswered answered lines=12>
                <section aria-labelledby="mine-heading">
                    <h2 id="mine-heading">{tr(|s| s.aid().mine)}</h2>
                    <AsyncPanel resource=applications render=application_list/>
                </section>
                <section aria-labelledby="programs-heading">
                    <h2 id="programs-heading">{tr(|s| s.aid().programs)}</h2>
                    <AsyncPanel resource=programs lines=8 render=program_list/>
                </section>
            </WhenAllAnswered>
        </section>
    }
}

fn program_list(list: Vec<AidProgram>) -> impl IntoView {
    view! { <ul class="aid-programs">{list.into_iter().map(program_card).collect_view()}</ul> }
}

fn application_list(list: Vec<AidApplicationSummary>) -> AnyView {
    if list.is_empty() {
        return view! { <p class="notice">{tr(|s| s.aid().none_yet)}</p> }.into_any();
    }
    let rows = list.into_iter().map(|application| {
        let href = format!("/aid/applications/{}", application.id);
        let submitted_on = day(&application.submitted_at).to_owned();
        view! {
            <li class="panel aid-application">
                <h3>{application.program_name}</h3>
                <p><AidStatusBadge status=application.status/></p>
                <p class="hint">
                    {tr(|s| s.aid().submitted_on)}" "
                    <time datetime=application.submitted_at>{submitted_on}</time>
                </p>
                <A href=href attr:class="button button-secondary">{tr(|s| s.aid().follow)}</A>
            </li>
        }
    });
    view! { <ul class="aid-applications">{rows.collect_view()}</ul> }.into_any()
}

/// One program: what it pays, who may apply, what to bring, and the way in.
fn program_card(program: AidProgram) -> impl IntoView {
    let member = use_session().session().map(|s| s.member_id);
    let has_draft = member.is_some_and(|member| aid_draft::load(&member, &program.id).is_some());
    let href = format!("/aid/apply/{}", program.id);
    let apply = if has_draft {
        tr(|s| s.aid().continue_draft)
    } else {
        tr(|s| s.aid().apply)
    };
    let (tone, icon, window) = if program.open {
        ("badge badge-ok", "✓", tr(|s| s.aid().open))
    } else {
        ("badge badge-neutral", "–", tr(|s| s.aid().closed))
    };
    view! {
        <li class="panel aid-program">
            <h3>{program.name.clone()}</h3>
            <p>
                <span class=tone><span aria-hidden="true">{icon}</span>{window}</span>
            </p>
            <p>{program.summary.clone()}</p>
            <ProgramFacts program=program.clone()/>
            {program.open.then(|| view! {
                <A href=href attr:class="button button-block">{apply}</A>
            })}
        </li>
    }
}

/// The amounts, the window, the rules and the documents of a program.
#[component]
pub fn ProgramFacts(program: AidProgram) -> impl IntoView {
    let list = |items: Vec<String>| {
        view! { <ul>{items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}</ul> }
    };
    view! {
        <dl class="facts">
            <dt>{tr(|s| s.aid().amounts)}</dt>
            <dd>{program.amounts.iter().map(amount_line).collect::<Vec<_>>().join("；")}</dd>
            <dt>{tr(|s| s.aid().window)}</dt>
            <dd>{format!("{} – {}", program.opens_on, program.closes_on)}</dd>
        </dl>
        <details class="aid-details">
            <summary>{tr(|s| s.aid().who_can_apply)}" · "{tr(|s| s.aid().documents_needed)}</summary>
            <h4>{tr(|s| s.aid().who_can_apply)}</h4>
            {list(program.eligibility_rules)}
            <h4>{tr(|s| s.aid().documents_needed)}</h4>
            {list(program.required_documents)}
        </details>
    }
}

fn amount_line(amount: &AidAmount) -> String {
    let money = Fen(amount.amount_fen).display_yuan();
    if amount.up_to {
        format!("{} {} {money}", amount.label, tr(|s| s.aid().up_to))
    } else {
        format!("{} {money}", amount.label)
    }
}

/// An application's status in words and a shape, never colour alone.
#[component]
pub fn AidStatusBadge(status: AidStatus) -> impl IntoView {
    let i18n = use_i18n();
    let (tone, icon) = match status {
        AidStatus::Approved | AidStatus::Paid => ("ok", "✓"),
        AidStatus::Submitted | AidStatus::UnderReview => ("wait", "…"),
        AidStatus::MoreInfoNeeded => ("stop", "!"),
        AidStatus::Rejected => ("stop", "✕"),
        AidStatus::Withdrawn => ("neutral", "–"),
    };
    view! {
        <span class=format!("badge badge-{tone}") data-status=status.as_str()>
            <span aria-hidden="true">{icon}</span>
            {move || i18n.t().aid().status_label(status)}
        </span>
    }
}

/// `2026-11-23` from an RFC 3339 time.
pub fn day(rfc3339: &str) -> &str {
    rfc3339.get(..10).unwrap_or(rfc3339)
}

#[cfg(test)]
mod tests {
    use super::AidScreen;

    #[test]
    fn each_address_under_aid_names_its_screen() {
        assert_eq!(AidScreen::of(""), AidScreen::Programs);
        assert_eq!(AidScreen::of("/"), AidScreen::Programs);
        assert_eq!(
            AidScreen::of("apply/aidp_send_warmth"),
            AidScreen::Apply("aidp_send_warmth".into())
        );
        assert_eq!(
            AidScreen::of("applications/aid_1/"),
            AidScreen::Application("aid_1".into())
        );
        assert_eq!(AidScreen::of("apply"), AidScreen::Unknown);
        assert_eq!(AidScreen::of("elsewhere/x/y"), AidScreen::Unknown);
    }
}
