//! The application form in four steps: household, income and hardship, documents, then check
//! and submit. The step lives in the address (`?step=`), so the back button goes back a step.
//! Every keystroke lands in the draft, which is saved on the device (see `aid_draft`).
use std::collections::BTreeSet;
use std::time::Duration;

use contract::aid::{
    AidKind, AidProgram, Attachment, FieldProblem, MAX_HOUSEHOLD, Relation, SchoolLevel,
    foreign_applicant_ids, matches_masked,
};
use contract::validate::{Fen, ResidentId};
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{ApiError, use_api};
use crate::components::document_upload::{DocumentUpload, Uploads};
use crate::components::error_notice::error_text;
use crate::i18n::{I18n, TextKey, fill, tr, use_i18n};
use crate::state::aid_draft::{self, AidDraft, PersonDraft};
use crate::state::pending_files;
use crate::state::session::use_session;

/// The number of steps.
const STEPS: u8 = 4;

/// What the steps share: the draft, its problems, and which fields show theirs.
#[derive(Clone, Copy)]
struct Form {
    draft: RwSignal<AidDraft>,
    problems: Memo<Vec<FieldProblem>>,
    /// Fields the member has left or tried to move past: only these show advice, so nobody
    /// is scolded for a field they have not reached yet.
    shown: RwSignal<BTreeSet<String>>,
    kind: AidKind,
    saver: Saver,
    i18n: I18n,
    /// Owned here, not by the documents step, so an upload that ends after the member moved
    /// on is still recorded in the draft.
    uploads: Uploads,
    added: Callback<Attachment>,
    removed: Callback<String>,
}

impl Form {
    /// Applies a change and schedules the save.
    fn edit(self, change: impl FnOnce(&mut AidDraft)) {
        self.draft.update(change);
        self.saver.schedule(self.draft);
    }

    /// How to fix `field`, once it is shown (reactive).
    fn advice(self, field: &str) -> Option<&'static str> {
        if !self.shown.with(|shown| shown.contains(field)) {
            return None;
        }
        let aid = self.i18n.t().aid();
        self.problems.with(|problems| {
            problems
                .iter()
                .find(|p| p.field == field)
                .map(|p| aid.problem(&p.field, p.code))
        })
    }

    fn show(self, field: &str) {
        if !self.shown.with_untracked(|shown| shown.contains(field)) {
            self.shown.update(|shown| {
                shown.insert(field.to_owned());
            });
        }
    }

    /// The fields of `step` (all steps for `None`) that still have problems, now shown.
    fn unfinished(self, step: Option<u8>) -> Vec<String> {
        let fields: Vec<String> = self.problems.with_untracked(|problems| {
            problems
                .iter()
                .filter(|p| step.is_none_or(|step| step_of(&p.field) == step))
                .map(|p| p.field.clone())
                .collect()
        });
        self.shown
            .update(|shown| shown.extend(fields.iter().cloned()));
        fields
    }
}

/// Everything wrong with the draft, including an applicant's row that is plainly not the
/// member's own ID number (where the masked number on file shows a character).
fn problems_of(draft: &AidDraft, kind: AidKind, own_id_masked: Option<&str>) -> Vec<FieldProblem> {
    let (application, mut problems) = draft.application(kind);
    if let Some(masked) = own_id_masked {
        problems.extend(foreign_applicant_ids(&application.household, |id| {
            matches_masked(id, masked)
        }));
    }
    problems
}

/// The step on which a field is entered.
fn step_of(field: &str) -> u8 {
    if field == "household" || field.starts_with("household[") {
        1
    } else if field.starts_with("attachment_ids") {
        3
    } else if field == "declaration_accepted" || field == "program_id" {
        4
    } else {
        2
    }
}

/// The element id of a field, e.g. `f-household-1-resident_id`.
fn field_id(field: &str) -> String {
    let mut id = String::from("f-");
    for c in field.chars() {
        match c {
            '[' | '.' => id.push('-'),
            ']' => {}
            c => id.push(c),
        }
    }
    id
}

/// Writes the draft to the device 400 ms after the last change, and at once when the page is
/// hidden (the member switches app, or WeChat is about to kill the webview).
#[derive(Clone, Copy)]
struct Saver {
    member: StoredValue<String>,
    timer: StoredValue<Option<TimeoutHandle>, LocalStorage>,
    /// Set once the server has the application: nothing may bring the draft back.
    finished: StoredValue<bool>,
}

impl Saver {
    fn new(member: String) -> Self {
        Saver {
            member: StoredValue::new(member),
            timer: StoredValue::new_local(None),
            finished: StoredValue::new(false),
        }
    }

    fn schedule(self, draft: RwSignal<AidDraft>) {
        self.cancel();
        let timer =
            set_timeout_with_handle(move || self.save_now(draft), Duration::from_millis(400));
        self.timer.set_value(timer.ok());
    }

    fn save_now(self, draft: RwSignal<AidDraft>) {
        if !self.finished.get_value() {
            self.member
                .with_value(|member| draft.with_untracked(|d| aid_draft::save(member, d)));
        }
    }

    fn cancel(self) {
        if let Some(timer) = self.timer.get_value() {
            timer.clear();
        }
    }

    /// The server confirmed the submission: forget the draft for good, with any document
    /// still kept for it.
    fn finish(self, program_id: &str) {
        self.cancel();
        self.finished.set_value(true);
        self.member
            .with_value(|member| aid_draft::clear(member, program_id));
        let draft_key = self.member.with_value(|m| aid_draft::key(m, program_id));
        spawn_local(async move { pending_files::forget_all(&draft_key).await });
    }

    /// Saves whenever the page is hidden, while the form is on screen.
    fn save_when_hidden(self, draft: RwSignal<AidDraft>) {
        let hidden = window_event_listener(ev::visibilitychange, move |_| {
            if crate::browser::get(&document(), "hidden").is_truthy() {
                self.save_now(draft);
            }
        });
        let leaving = window_event_listener(ev::pagehide, move |_| self.save_now(draft));
        on_cleanup(move || {
            hidden.remove();
            leaving.remove();
        });
    }
}

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
            &format!("/aid/apply/{program_id}?step={target}"),
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
            let _ = crate::browser::call(&heading, "focus", &[]);
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
        let _ = crate::browser::call(&element, "focus", &[]);
    }
}

// ---------------------------------------------------------------------------------------------
// Step 1: household

fn household_step(form: Form) -> impl IntoView {
    let count = Memo::new(move |_| form.draft.with(|d| d.household.len()));
    let add = move |_| form.edit(|d| d.household.push(PersonDraft::default()));
    view! {
        {move || (0..count.get()).map(|index| person_fields(form, index)).collect_view()}
        <button type="button" class="button button-secondary" on:click=add
            disabled=move || { count.get() >= MAX_HOUSEHOLD }>
            {tr(|s| s.aid().add_person)}
        </button>
        <Advice form field="household".into()/>
    }
}

fn person_fields(form: Form, index: usize) -> impl IntoView {
    let field = move |name: &str| format!("household[{index}].{name}");
    // Rows are rebuilt when one is removed; until then a row may outlive its index.
    let get = move |d: &AidDraft, read: fn(&PersonDraft) -> &String| {
        d.household
            .get(index)
            .map(read)
            .cloned()
            .unwrap_or_default()
    };
    let put = move |d: &mut AidDraft, write: fn(&mut PersonDraft) -> &mut String, value| {
        if let Some(person) = d.household.get_mut(index) {
            *write(person) = value;
        }
    };
    let relation = (index > 0).then(|| {
        let options = Relation::ALL[1..]
            .iter()
            .map(|r| (r.as_str(), form.i18n.current().aid().relation_label(*r)))
            .collect();
        view! {
            <ChoiceField form field=field("relation") label=|s| s.aid().relation options
                value=move |d| get(d, |p| &p.relation)
                set=move |d, v| put(d, |p| &mut p.relation, v)/>
        }
    });
    let remove = move |_| {
        form.edit(|d| {
            if index < d.household.len() {
                d.household.remove(index);
            }
        })
    };
    view! {
        <fieldset class="aid-person">
            <legend>{fill(tr(|s| s.aid().person), index + 1)}</legend>
            <TextField form field=field("name") label=|s| s.aid().name autocomplete="name"
                value=move |d| get(d, |p| &p.name)
                set=move |d, v| put(d, |p| &mut p.name, v)/>
            {relation}
            <TextField form field=field("resident_id") label=|s| s.aid().resident_id
                hint=|s| s.aid().resident_id_hint maxlength=18 check_at_length=18
                value=move |d| get(d, |p| &p.resident_id)
                set=move |d, v| put(d, |p| &mut p.resident_id, v)/>
            <TextField form field=field("occupation") label=|s| s.aid().occupation
                hint=|s| s.aid().occupation_hint
                value=move |d| get(d, |p| &p.occupation)
                set=move |d, v| put(d, |p| &mut p.occupation, v)/>
            {(index > 0).then(|| view! {
                <button type="button" class="button button-secondary" on:click=remove>
                    {tr(|s| s.aid().remove_person)}
                </button>
            })}
        </fieldset>
    }
}

// ---------------------------------------------------------------------------------------------
// Step 2: income, the hardship, and the program's own details

fn circumstances_step(form: Form) -> impl IntoView {
    view! {
        <TextField form field="household_monthly_income_fen".into() label=|s| s.aid().income
            hint=|s| s.aid().income_hint inputmode="decimal"
            value=|d| d.income_yuan.clone() set=|d, v| d.income_yuan = v/>
        <TextField form field="hardship".into() label=|s| s.aid().hardship
            hint=|s| s.aid().hardship_hint multiline=true maxlength=1000
            value=|d| d.hardship.clone() set=|d, v| d.hardship = v/>
        {(form.kind == AidKind::GoldenAutumn).then(|| schooling_fields(form))}
        {(form.kind == AidKind::SeriousIllness).then(|| illness_fields(form))}
    }
}

fn schooling_fields(form: Form) -> impl IntoView {
    let levels = SchoolLevel::ALL
        .iter()
        .map(|l| (l.as_str(), form.i18n.current().aid().level_label(*l)))
        .collect();
    view! {
        <fieldset class="aid-person">
            <legend>{tr(|s| s.aid().schooling)}</legend>
            <TextField form field="schooling.student_name".into() label=|s| s.aid().student_name
                value=|d| d.student_name.clone() set=|d, v| d.student_name = v/>
            <ChoiceField form field="schooling.level".into() label=|s| s.aid().school_level
                options=levels value=|d| d.school_level.clone() set=|d, v| d.school_level = v/>
            <TextField form field="schooling.school".into() label=|s| s.aid().school
                value=|d| d.school.clone() set=|d, v| d.school = v/>
            <TextField form field="schooling.enrolment_year".into() label=|s| s.aid().enrolment_year
                hint=|s| s.aid().enrolment_year_hint inputmode="numeric" maxlength=4
                value=|d| d.enrolment_year.clone() set=|d, v| d.enrolment_year = v/>
        </fieldset>
    }
}

fn illness_fields(form: Form) -> impl IntoView {
    view! {
        <fieldset class="aid-person">
            <legend>{tr(|s| s.aid().illness)}</legend>
            <TextField form field="illness.patient_name".into() label=|s| s.aid().patient_name
                value=|d| d.patient_name.clone() set=|d, v| d.patient_name = v/>
            <TextField form field="illness.diagnosis".into() label=|s| s.aid().diagnosis
                value=|d| d.diagnosis.clone() set=|d, v| d.diagnosis = v/>
            <TextField form field="illness.hospital".into() label=|s| s.aid().hospital
                value=|d| d.hospital.clone() set=|d, v| d.hospital = v/>
            <TextField form field="illness.out_of_pocket_fen".into() label=|s| s.aid().out_of_pocket
                hint=|s| s.aid().out_of_pocket_hint inputmode="decimal"
                value=|d| d.out_of_pocket_yuan.clone() set=|d, v| d.out_of_pocket_yuan = v/>
        </fieldset>
    }
}

// ---------------------------------------------------------------------------------------------
// Step 3: documents

fn documents_step(form: Form) -> impl IntoView {
    let attachments = Signal::derive(move || form.draft.with(|d| d.attachments.clone()));
    view! {
        <DocumentUpload uploads=form.uploads attachments added=form.added removed=form.removed/>
        <Advice form field="attachment_ids".into()/>
    }
}

// ---------------------------------------------------------------------------------------------
// Step 4: check and submit

#[component]
fn ReviewStep(form: Form, go_to: Callback<u8>) -> impl IntoView {
    let api = use_api();
    let navigate = use_navigate();
    let submit = Action::new_local(move |_: &()| {
        let api = api.clone();
        let navigate = navigate.clone();
        let draft = form.draft.get_untracked();
        async move {
            let (application, _) = draft.application(form.kind);
            let created = api
                .submit_aid_application(&draft.idempotency_key, &application)
                .await?;
            form.saver.finish(&draft.program_id);
            navigate(
                &format!("/aid/applications/{}?submitted=1", created.id),
                NavigateOptions {
                    replace: true,
                    ..NavigateOptions::default()
                },
            );
            Ok::<_, ApiError>(())
        }
    });
    let attempted = RwSignal::new(false);
    let on_submit = move |event: ev::SubmitEvent| {
        event.prevent_default();
        attempted.set(true);
        let unfinished = form.unfinished(None);
        if unfinished.is_empty() && !submit.pending().get_untracked() {
            submit.dispatch(());
        }
    };
    let accept = move |event: ev::Event| {
        let checked = event_target_checked(&event);
        form.edit(|d| d.declaration_accepted = checked);
        form.show("declaration_accepted");
    };
    let steps_to_fix = Memo::new(move |_| {
        let mut steps: Vec<u8> = form
            .problems
            .with(|problems| problems.iter().map(|p| step_of(&p.field)).collect());
        steps.sort_unstable();
        steps.dedup();
        steps.retain(|step| *step < STEPS);
        steps
    });
    view! {
        <p>{tr(|s| s.aid().check_before_submit)}</p>
        <Summary form go_to/>
        {move || (attempted.get() && !steps_to_fix.get().is_empty()).then(|| view! {
            <div class="notice notice-error" role="alert">
                <p>{tr(|s| s.aid().fix_first)}</p>
                <div class="button-row">
                    {steps_to_fix.get().into_iter().map(|step| view! {
                        <button type="button" class="button button-secondary" on:click=move |_| go_to.run(step)>
                            {tr(|s| s.aid().edit)}" · "{form.i18n.current().aid().steps[usize::from(step - 1)]}
                        </button>
                    }).collect_view()}
                </div>
            </div>
        })}
        <form class="form" on:submit=on_submit novalidate>
            <div class="field">
                <label class="choice">
                    <input type="checkbox" id=field_id("declaration_accepted")
                        prop:checked=move || form.draft.with(|d| d.declaration_accepted)
                        on:change=accept aria-describedby="f-declaration_accepted-error"/>
                    <span>{tr(|s| s.aid().declaration)}</span>
                </label>
                <span id="f-declaration_accepted-error" class="field-error" aria-live="polite">
                    {move || form.advice("declaration_accepted")}
                </span>
            </div>
            <div aria-live="assertive">
                {move || submit.value().with(|outcome| match outcome {
                    Some(Err(error)) => Some(submit_failure(error, form.i18n)),
                    _ => None,
                })}
            </div>
            <button type="submit" class="button button-block"
                disabled=move || submit.pending().get() || form.uploads.busy()>
                {move || if submit.pending().get() { tr(|s| s.aid().submitting) } else { tr(|s| s.aid().submit) }}
            </button>
        </form>
    }
}

/// Why the submission did not go through, and that nothing was lost.
fn submit_failure(error: &ApiError, i18n: I18n) -> impl IntoView + use<> {
    let strings = i18n.current();
    let arrived = error.code() == Some("idempotency_key_reused");
    let message = if arrived {
        strings.aid().already_arrived.to_owned()
    } else {
        error_text(error, strings)
    };
    let fields: Vec<String> = match error {
        ApiError::Api { envelope, .. } => {
            envelope.fields.iter().map(|f| f.message.clone()).collect()
        }
        _ => Vec::new(),
    };
    view! {
        <div class="notice notice-error" role="alert">
            <p>{message}</p>
            <ul>{fields.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul>
            {(!arrived).then(|| view! { <p>{strings.aid().kept_for_retry}</p> })}
        </div>
    }
}

/// Everything entered, each part with a way back to change it. ID numbers are masked. Each
/// label sits above its value across the whole width, so numbers and file names keep their
/// line on a narrow phone and still read well at double text size.
#[component]
fn Summary(form: Form, go_to: Callback<u8>) -> impl IntoView {
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

// ---------------------------------------------------------------------------------------------
// Fields

/// The advice for a field that is not an input of its own (e.g. the household as a whole).
#[component]
fn Advice(form: Form, field: String) -> impl IntoView {
    view! {
        <p class="field-error" aria-live="polite">{move || form.advice(&field)}</p>
    }
}

/// A labelled text input (or text area) bound to one draft field, with its hint and advice.
/// Only this thin wrapper is generic; the markup is built once, in `text_input`, rather than
/// once per field.
#[component]
fn TextField(
    form: Form,
    /// The validator's name for it, e.g. `household[1].resident_id`.
    field: String,
    label: TextKey,
    #[prop(optional)] hint: Option<TextKey>,
    value: impl Fn(&AidDraft) -> String + Send + Sync + 'static,
    set: impl Fn(&mut AidDraft, String) + Send + Sync + 'static,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] maxlength: Option<u32>,
    /// Check as soon as this many characters are typed (for fixed-length numbers).
    #[prop(optional)]
    check_at_length: Option<usize>,
) -> impl IntoView {
    let binding = Binding {
        current: Signal::derive(move || form.draft.with(&value)),
        write: Callback::new(move |text: String| form.edit(|d| set(d, text))),
    };
    let input = InputSpec {
        multiline,
        inputmode,
        autocomplete,
        maxlength,
        check_at_length,
    };
    text_input(form, field, label, hint, binding, input)
}

/// A draft field seen from a control: its text, and how to change it.
struct Binding {
    current: Signal<String>,
    write: Callback<String>,
}

/// How a text control behaves.
struct InputSpec {
    multiline: bool,
    inputmode: Option<&'static str>,
    autocomplete: Option<&'static str>,
    maxlength: Option<u32>,
    check_at_length: Option<usize>,
}

fn text_input(
    form: Form,
    field: String,
    label: TextKey,
    hint: Option<TextKey>,
    binding: Binding,
    input: InputSpec,
) -> AnyView {
    let id = field_id(&field);
    let described = format!("{id}-hint {id}-error");
    let Binding { current, write } = binding;
    let on_input = {
        let field = field.clone();
        move |event: ev::Event| {
            let text = event_target_value(&event);
            let complete = input
                .check_at_length
                .is_some_and(|n| text.chars().count() >= n);
            write.run(text);
            if complete {
                form.show(&field);
            }
        }
    };
    let on_blur = {
        let field = field.clone();
        move |_| form.show(&field)
    };
    let advice = Signal::derive(move || form.advice(&field));
    let invalid = move || advice.with(Option::is_some).to_string();
    let maxlength = input.maxlength;
    let control = if input.multiline {
        view! {
            <textarea id=id.clone() rows="5" maxlength=maxlength aria-describedby=described
                aria-invalid=invalid prop:value=current on:input=on_input on:blur=on_blur></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type="text" inputmode=input.inputmode autocomplete=input.autocomplete
                maxlength=maxlength aria-describedby=described aria-invalid=invalid
                prop:value=current on:input=on_input on:blur=on_blur/>
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id.clone()>{tr(label)}</label>
            {control}
            {hint.map(|hint| view! { <span id=format!("{id}-hint") class="hint">{tr(hint)}</span> })}
            <span id=format!("{id}-error") class="field-error" aria-live="polite">{advice}</span>
        </div>
    }
    .into_any()
}

/// A labelled choice of codes bound to one draft field (generic wrapper as for `TextField`).
#[component]
fn ChoiceField(
    form: Form,
    field: String,
    label: TextKey,
    /// (code, label) pairs.
    options: Vec<(&'static str, &'static str)>,
    value: impl Fn(&AidDraft) -> String + Send + Sync + 'static,
    set: impl Fn(&mut AidDraft, String) + Send + Sync + 'static,
) -> impl IntoView {
    let binding = Binding {
        current: Signal::derive(move || form.draft.with(&value)),
        write: Callback::new(move |code: String| form.edit(|d| set(d, code))),
    };
    choice_input(form, field, label, options, binding)
}

fn choice_input(
    form: Form,
    field: String,
    label: TextKey,
    options: Vec<(&'static str, &'static str)>,
    binding: Binding,
) -> AnyView {
    let id = field_id(&field);
    let Binding { current, write } = binding;
    let on_change = {
        let field = field.clone();
        move |event: ev::Event| {
            write.run(event_target_value(&event));
            form.show(&field);
        }
    };
    let advice = Signal::derive(move || form.advice(&field));
    let options = options.into_iter().map(|(code, text)| {
        view! { <option value=code selected=move || current.with(|c| c == code)>{text}</option> }
    });
    view! {
        <div class="field">
            <label for=id.clone()>{tr(label)}</label>
            <select id=id.clone() aria-describedby=format!("{id}-error")
                aria-invalid=move || advice.with(Option::is_some).to_string() on:change=on_change>
                <option value="" selected=move || current.with(String::is_empty)>
                    {tr(|s| s.aid().choose)}
                </option>
                {options.collect_view()}
            </select>
            <span id=format!("{id}-error") class="field-error" aria-live="polite">{advice}</span>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_field_belongs_to_the_step_that_asks_for_it() {
        assert_eq!(step_of("household[2].resident_id"), 1);
        assert_eq!(step_of("household"), 1);
        assert_eq!(step_of("household_monthly_income_fen"), 2);
        assert_eq!(step_of("schooling.level"), 2);
        assert_eq!(step_of("attachment_ids[3]"), 3);
        assert_eq!(step_of("declaration_accepted"), 4);
    }

    #[test]
    fn field_ids_are_valid_element_ids() {
        assert_eq!(
            field_id("household[1].resident_id"),
            "f-household-1-resident_id"
        );
    }
}
