//! The application form in four steps: household, income and hardship, documents, then check
//! and submit. The step lives in the address (`?step=`), so the back button goes back a step.
//! Every keystroke lands in the draft, which is saved on the device (see `aid_draft` and
//! `saver`). One module per step; `model` is what they share, `fields` their controls.
mod circumstances;
mod documents;
mod fields;
mod household;
mod model;
mod review;
mod saver;
mod summary;

use std::collections::BTreeSet;

use contract::aid::{AidProgram, Attachment};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use self::circumstances::circumstances_step;
use self::documents::documents_step;
use self::household::household_step;
use self::model::{Form, field_id, problems_of};
use self::review::ReviewStep;
use self::saver::Saver;
use crate::api::use_api;
use crate::components::document_upload::Uploads;
use crate::i18n::{fill, tr, use_i18n};
use crate::routes;
use crate::state::aid_draft::{self, AidDraft};
use crate::state::session::use_session;

/// The number of steps.
const STEPS: u8 = 4;

/// The form for `program`, starting from the member's saved draft when there is one.
#[component]
pub fn AidForm(
    program: AidProgram,
    /// The member's ID number as shown to them (`4403**********100X`), to catch someone
    /// else's number on the applicant's own row before the server does.
    own_id_masked: Option<String>,
) -> impl IntoView {
    let session = use_session().session();
    let member = session
        .as_ref()
        .map(|s| s.member_id.clone())
        .unwrap_or_default();
    let applicant = session.map(|s| s.display_name).unwrap_or_default();
    let saved = aid_draft::load(&member, &program.id);
    let draft_key = aid_draft::key(&member, &program.id);
    let restored = saved.is_some();
    let draft = RwSignal::new(saved.unwrap_or_else(|| {
        AidDraft::new(&program.id, &applicant, aid_draft::new_idempotency_key())
    }));
    let kind = program.kind;
    let saver = Saver::new(member);
    let edit = move |change: &dyn Fn(&mut AidDraft)| {
        draft.update(|d| change(d));
        saver.schedule(draft);
    };
    let added = Callback::new(move |attachment: Attachment| {
        draft.update(|d| d.attachments.push(attachment));
        // At once, not debounced: the copy kept on the device is forgotten right after.
        saver.save_now(draft);
    });
    let form = Form {
        draft,
        problems: Memo::new(move |_| {
            draft.with(|d| problems_of(d, kind, own_id_masked.as_deref()))
        }),
        shown: RwSignal::new(BTreeSet::new()),
        kind,
        saver,
        i18n: use_i18n(),
        uploads: Uploads::kept_for(draft_key, use_api(), added),
        added,
        removed: Callback::new(move |id: String| edit(&|d| d.attachments.retain(|a| a.id != id))),
    };
    form.saver.save_when_hidden(draft);

    let query = use_query_map();
    let step = Memo::new(move |_| {
        query
            .with(|q| q.get("step"))
            .and_then(|s| s.parse::<u8>().ok())
            .filter(|s| (1..=STEPS).contains(s))
            .unwrap_or(1)
    });
    let navigate = use_navigate();
    let program_id = program.id;
    let go_to = Callback::new(move |target: u8| {
        navigate(
            &routes::aid_apply_step(&program_id, target),
            NavigateOptions::default(),
        );
    });
    let heading = NodeRef::<leptos::html::H2>::new();
    // A new step starts at its heading, for screen readers and keyboards alike.
    Effect::new(move |previous: Option<u8>| {
        let current = step.get();
        if previous.is_some_and(|p| p != current)
            && let Some(heading) = heading.get_untracked()
        {
            crate::browser::page::focus(&heading);
        }
        current
    });

    view! {
        <section class="panel aid-form" aria-labelledby="step-heading">
            {restored.then(|| view! { <p class="notice" role="status">{tr(|s| s.aid().restored)}</p> })}
            <p class="hint">
                {move || fill(form.i18n.t().aid().step_of, step.get())}
                " · "{tr(|s| s.aid().saved_on_device)}
            </p>
            <h2 id="step-heading" tabindex="-1" node_ref=heading>
                {move || form.i18n.t().aid().steps[usize::from(step.get() - 1)]}
            </h2>
            {move || match step.get() {
                1 => household_step(form).into_any(),
                2 => circumstances_step(form).into_any(),
                3 => documents_step(form).into_any(),
                _ => view! { <ReviewStep form go_to/> }.into_any(),
            }}
            <StepButtons form step go_to/>
        </section>
    }
}

/// Back and next; next only when the step's fields are in order, else the first one to fix
/// gets focus and the member is told what to do.
#[component]
fn StepButtons(form: Form, step: Memo<u8>, go_to: Callback<u8>) -> impl IntoView {
    let blocked = RwSignal::new(false);
    let next = move |_| {
        let current = step.get_untracked();
        let unfinished = form.unfinished(Some(current));
        blocked.set(!unfinished.is_empty());
        match unfinished.first() {
            None => go_to.run(current + 1),
            Some(field) => focus_field(field),
        }
    };
    view! {
        {move || blocked.get().then(|| view! {
            <p class="notice notice-error" role="alert">{tr(|s| s.aid().fix_first)}</p>
        })}
        <div class="button-row">
            {move || (step.get() > 1).then(|| view! {
                <button type="button" class="button button-secondary"
                    on:click=move |_| { blocked.set(false); go_to.run(step.get_untracked() - 1) }>
                    {tr(|s| s.aid().previous)}
                </button>
            })}
            {move || (step.get() < STEPS).then(|| view! {
                <button type="button" class="button" on:click=next>{tr(|s| s.aid().next)}</button>
            })}
        </div>
    }
}

fn focus_field(field: &str) {
    if let Some(element) = document().get_element_by_id(&field_id(field)) {
        crate::browser::page::focus(&element);
    }
}
