//! Hardship aid (困难帮扶), under `/aid`: the programs with who may apply, how much, the
//! documents and the window, and the member's own applications with their status
//! (`/aid`); applying (`/aid/apply/:program`); one application (`/aid/applications/:id`).
//!
//! The three screens share one route (the address is read here), but each is a chunk of its
//! own: the application form alone is larger than most screens, and a member checking an
//! application's status should not download it.
pub mod application;
pub mod apply;
mod form;

use contract::aid::{AidApplicationSummary, AidProgram, AidStatus, amounts_line};
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use self::application::AidApplicationPage;
use self::apply::AidApplyPage;
use crate::pages::not_found::NotFoundPage;

use crate::api::use_api;
use crate::components::async_panel::{AsyncPanel, WhenAllAnswered};
use crate::components::card_status_badge::Shape;
use crate::components::chunk_load_failed::ChunkLoadFailed;
use crate::components::later::drawn_later;
use crate::components::page_header::PageHeader;
use crate::i18n::{tr, use_i18n};
use crate::routes;
use crate::split::split_point;
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
        AidScreen::Programs => when_loaded(aid_programs_page()),
        AidScreen::Apply(program) => when_loaded(aid_apply_page(program)),
        AidScreen::Application(id) => when_loaded(aid_application_page(id)),
        AidScreen::Unknown => NotFoundPage().into_any(),
    }
}

/// The screen once its chunk has arrived, or the notice with a retry.
fn when_loaded(
    screen: impl Future<Output = Result<AnyView, SplitLoaderError>> + Send + 'static,
) -> AnyView {
    Suspend::new(async move {
        screen
            .await
            .unwrap_or_else(|_| ChunkLoadFailed().into_any())
    })
    .into_any()
}

split_point!(
    aid_programs_page,
    fn aid_programs_page() -> Result<AnyView, SplitLoaderError> {
        Ok(view! { <AidPage/> }.into_any())
    }
);

split_point!(
    aid_apply_page,
    fn aid_apply_page(program: String) -> Result<AnyView, SplitLoaderError> {
        Ok(view! { <AidApplyPage program/> }.into_any())
    }
);

split_point!(
    aid_application_page,
    fn aid_application_page(id: String) -> Result<AnyView, SplitLoaderError> {
        Ok(view! { <AidApplicationPage id/> }.into_any())
    }
);

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
                // The programmes below a task later: one render of both lists was a long task
                // on a slow phone (a trace), and they arrive below all that is drawn.
                {drawn_later(move || view! {
                    <section aria-labelledby="programs-heading">
                        <h2 id="programs-heading">{tr(|s| s.aid().programs)}</h2>
                        <AsyncPanel resource=programs lines=8
                            render=move |list| program_list(list, live_applications(applications))/>
                    </section>
                })}
            </WhenAllAnswered>
        </section>
    }
}

/// (program id, application id) of the member's applications that still stand in the way of
/// a new one (as the server's eligibility check sees it: not withdrawn, not rejected).
fn live_applications(
    applications: LocalResource<Result<Vec<AidApplicationSummary>, crate::api::ApiError>>,
) -> Vec<(String, String)> {
    applications.with(|loaded| match loaded {
        Some(Ok(list)) => list
            .iter()
            .filter(|a| !matches!(a.status, AidStatus::Withdrawn | AidStatus::Rejected))
            .map(|a| (a.program_id.clone(), a.id.clone()))
            .collect(),
        _ => Vec::new(),
    })
}

fn program_list(list: Vec<AidProgram>, live: Vec<(String, String)>) -> impl IntoView {
    let cards = list.into_iter().map(|program| {
        let existing = live
            .iter()
            .find(|(program_id, _)| *program_id == program.id)
            .map(|(_, id)| id.clone());
        program_card(program, existing)
    });
    view! { <ul class="aid-programs">{cards.collect_view()}</ul> }
}

fn application_list(list: Vec<AidApplicationSummary>) -> AnyView {
    if list.is_empty() {
        return view! { <p class="notice">{tr(|s| s.aid().none_yet)}</p> }.into_any();
    }
    let rows = list.into_iter().map(|application| {
        let href = routes::aid_application(&application.id);
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

/// One program: what it pays, who may apply, what to bring, and the way in — or, when the
/// member already applied, the way to that application instead.
fn program_card(program: AidProgram, existing: Option<String>) -> impl IntoView {
    let way_in = match existing {
        Some(id) => Some((
            routes::aid_application(&id),
            tr(|s| s.aid().see_existing),
            "button button-block button-secondary",
        )),
        None if program.open => Some((
            routes::aid_apply(&program.id),
            apply_label(&program.id),
            "button button-block",
        )),
        None => None,
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
            {way_in.map(|(href, label, class)| view! { <A href=href attr:class=class>{label}</A> })}
        </li>
    }
}

/// "Apply", or "continue" when a draft is kept on this device.
fn apply_label(program_id: &str) -> &'static str {
    let member = use_session().session().map(|s| s.member_id);
    if member.is_some_and(|member| aid_draft::load(&member, program_id).is_some()) {
        tr(|s| s.aid().continue_draft)
    } else {
        tr(|s| s.aid().apply)
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
            <dd>{amounts_line(&program.amounts, tr(|s| s.aid().up_to))}</dd>
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

/// An application's status in words and a shape, never colour alone.
#[component]
pub fn AidStatusBadge(status: AidStatus) -> impl IntoView {
    let i18n = use_i18n();
    let (tone, shape) = match status {
        AidStatus::Approved | AidStatus::Paid => ("ok", Shape::Tick),
        AidStatus::Submitted | AidStatus::UnderReview => ("wait", Shape::Clock),
        AidStatus::MoreInfoNeeded => ("stop", Shape::Bang),
        AidStatus::Rejected => ("stop", Shape::Cross),
        AidStatus::Withdrawn => ("neutral", Shape::Dash),
    };
    view! {
        <span class=format!("badge badge-{tone}") data-status=status.as_str()>
            {shape.view()}
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
    use crate::routes;

    /// The part of an address under `/aid/` that `AidScreen::of` reads.
    fn rest(address: &str) -> &str {
        let path = address.split('?').next().unwrap_or_default();
        path.strip_prefix(routes::AID).unwrap_or(path)
    }

    #[test]
    fn each_aid_address_the_portal_builds_names_its_screen() {
        assert_eq!(AidScreen::of(rest(routes::AID)), AidScreen::Programs);
        let program = AidScreen::Apply("aidp_x".into());
        assert_eq!(AidScreen::of(rest(&routes::aid_apply("aidp_x"))), program);
        assert_eq!(
            AidScreen::of(rest(&routes::aid_apply_step("aidp_x", 2))),
            program
        );
        let application = AidScreen::Application("aid_7".into());
        assert_eq!(
            AidScreen::of(rest(&routes::aid_application("aid_7"))),
            application
        );
        assert_eq!(
            AidScreen::of(rest(&routes::aid_application_submitted("aid_7"))),
            application
        );
    }

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
