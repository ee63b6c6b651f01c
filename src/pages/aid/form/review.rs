//! Step 4: check everything, accept the declaration and submit.
use leptos::ev;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use super::STEPS;
use super::model::{Form, field_id, step_of};
use super::summary::Summary;
use crate::api::{ApiError, use_api};
use crate::components::error_notice::error_text;
use crate::i18n::{I18n, tr};
use crate::routes;

#[component]
pub(super) fn ReviewStep(form: Form, go_to: Callback<u8>) -> impl IntoView {
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
                &routes::aid_application_submitted(&created.id),
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
