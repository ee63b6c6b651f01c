//! The summary of everything entered, shown before submitting.
use contract::aid::{AidKind, Relation, SchoolLevel};
use contract::validate::{Fen, ResidentId};
use leptos::prelude::*;

use super::model::Form;
use crate::i18n::{fill, use_i18n};

/// Everything entered, each part with a way back to change it. ID numbers are masked. Each
/// label sits above its value across the whole width, so numbers and file names keep their
/// line on a narrow phone and still read well at double text size.
#[component]
pub(super) fn Summary(form: Form, go_to: Callback<u8>) -> impl IntoView {
    let d = form.draft.get_untracked();
    let aid = form.i18n.current().aid();
    let people = d
        .household
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let id = ResidentId::parse(&p.resident_id)
                .map(|id| id.masked())
                .unwrap_or_else(|_| p.resident_id.clone());
            let relation = Relation::parse(&p.relation).map(|r| aid.relation_label(r));
            let occupation = match p.occupation.trim() {
                "" => aid.not_given.to_owned(),
                given => given.to_owned(),
            };
            let pairs = [
                (aid.name, p.name.clone()),
                (aid.relation, relation.unwrap_or_default().to_owned()),
                (aid.resident_id, id),
                (aid.occupation_short, occupation),
            ];
            view! {
                <h4>{fill(aid.person, i + 1)}</h4>
                {pairs_view(pairs.to_vec())}
            }
        })
        .collect_view();
    let money = |typed: &str| {
        Fen::parse_yuan(typed)
            .map(Fen::display_yuan)
            .unwrap_or_else(|_| typed.to_owned())
    };
    let mut circumstances = vec![
        (aid.income, money(&d.income_yuan)),
        (aid.hardship, d.hardship.clone()),
    ];
    match form.kind {
        AidKind::GoldenAutumn => circumstances.extend([
            (aid.student_name, d.student_name.clone()),
            (
                aid.school_level,
                SchoolLevel::parse(&d.school_level)
                    .map(|l| aid.level_label(l))
                    .unwrap_or_default()
                    .to_owned(),
            ),
            (aid.school, d.school.clone()),
            (aid.enrolment_year, d.enrolment_year.clone()),
        ]),
        AidKind::SeriousIllness => circumstances.extend([
            (aid.patient_name, d.patient_name.clone()),
            (aid.diagnosis, d.diagnosis.clone()),
            (aid.hospital, d.hospital.clone()),
            (aid.out_of_pocket, money(&d.out_of_pocket_yuan)),
        ]),
        _ => {}
    }
    let documents = d
        .attachments
        .iter()
        .map(|a| view! { <li>{a.filename.clone()}</li> })
        .collect_view();
    let files = view! {
        <p>{fill(aid.documents_count, d.attachments.len())}</p>
        <ul class="aid-summary-files">{documents}</ul>
    };
    view! {
        <div class="aid-summary">
            {summary_part(1, go_to, people.into_any())}
            {summary_part(2, go_to, pairs_view(circumstances).into_any())}
            {summary_part(3, go_to, files.into_any())}
        </div>
    }
}

/// One step's part of the summary: its name, a way back to it, and what was entered there.
fn summary_part(step: u8, go_to: Callback<u8>, body: AnyView) -> impl IntoView {
    let aid = use_i18n().current().aid();
    let name = aid.steps[usize::from(step - 1)];
    view! {
        <h3>{name}</h3>
        <button type="button" class="link-button" aria-label=format!("{} · {name}", aid.edit)
            on:click=move |_| go_to.run(step)>
            {aid.edit}
        </button>
        {body}
    }
}

/// Each label above its value, across the whole width.
fn pairs_view(pairs: Vec<(&'static str, String)>) -> impl IntoView {
    let rows = pairs.into_iter().map(|(label, value)| {
        view! { <p class="aid-summary-value"><span class="hint">{label}</span>{value}</p> }
    });
    rows.collect_view()
}
