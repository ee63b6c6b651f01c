//! `/aid/apply/:program`: one program in full, whether this member may apply now (and
//! why not), and the application form.
use contract::aid::{AidProgram, Eligibility};
use leptos::prelude::*;
use leptos_router::components::A;

use super::ProgramFacts;
use super::form::AidForm;
use crate::api::use_api;
use crate::components::async_panel::{AsyncPanel, WhenAllAnswered};
use crate::components::page_header::PageHeader;
use crate::i18n::{tr, use_i18n};
use crate::routes;
use crate::state::aid_draft;
use crate::state::session::use_session;

/// The program, the eligibility check and the form.
#[component]
pub fn AidApplyPage(program: String) -> impl IntoView {
    let api = use_api();
    let program = LocalResource::new(move || {
        let api = api.clone();
        let id = program.clone();
        async move {
            let program = api.aid_program(&id).await?;
            let eligibility = api.aid_eligibility(&id).await?;
            // Only for an early hint on the applicant's own ID number: without it the form
            // still works and the server checks the number anyway.
            let own_id_masked = match eligibility.eligible {
                true => api.profile().await.ok().map(|p| p.id_number_masked),
                false => None,
            };
            Ok((program, eligibility, own_id_masked))
        }
    });
    view! {
        <section class="page aid-apply">
            <PageHeader title=|s| s.pages().aid/>
            // The back link comes with the content, so it never moves.
            <WhenAllAnswered answered=move || program.with(Option::is_some) lines=9>
                <AsyncPanel resource=program lines=8 render=program_and_form/>
                <A href=routes::AID attr:class="button button-secondary">{tr(|s| s.aid().back_to_aid)}</A>
            </WhenAllAnswered>
        </section>
    }
}

fn program_and_form(
    (program, eligibility, own_id_masked): (AidProgram, Eligibility, Option<String>),
) -> impl IntoView {
    let facts = view! {
        <section class="panel" aria-labelledby="program-heading">
            <h2 id="program-heading">{program.name.clone()}</h2>
            <p>{program.summary.clone()}</p>
            <ProgramFacts program=program.clone()/>
        </section>
    };
    let body = if eligibility.eligible {
        view! { <AidForm program own_id_masked/> }.into_any()
    } else {
        forget_settled_draft(&program.id, &eligibility);
        ineligible(eligibility).into_any()
    };
    view! { {facts} {body} }
}

/// An application already exists (e.g. an earlier submission whose answer was lost on the
/// way): a draft for this program can never be sent, so it is not offered again.
fn forget_settled_draft(program_id: &str, eligibility: &Eligibility) {
    if eligibility.existing_application_id.is_some()
        && let Some(session) = use_session().session()
    {
        aid_draft::clear(&session.member_id, program_id);
    }
}

fn ineligible(eligibility: Eligibility) -> impl IntoView {
    let reasons = eligibility.reasons.into_iter().map(|reason| {
        view! { <li>{use_i18n().current().aid().reason(reason)}</li> }
    });
    let existing = eligibility.existing_application_id.map(|id| {
        view! {
            <A href=routes::aid_application(&id) attr:class="button button-secondary">
                {tr(|s| s.aid().see_existing)}
            </A>
        }
    });
    view! {
        <section class="notice notice-step" role="status" aria-labelledby="cannot-heading">
            <h2 id="cannot-heading">{tr(|s| s.aid().cannot_apply)}</h2>
            <ul>{reasons.collect_view()}</ul>
            {existing}
        </section>
    }
}
