//! The form's controls: text and choice fields bound to one draft field each, with their
//! hint and advice.
use leptos::ev;
use leptos::prelude::*;

use super::model::{Form, field_id};
use crate::i18n::{TextKey, tr};
use crate::state::aid_draft::AidDraft;

/// The advice for a field that is not an input of its own (e.g. the household as a whole).
#[component]
pub(super) fn Advice(form: Form, field: String) -> impl IntoView {
    view! {
        <p class="field-error" aria-live="polite">{move || form.advice(&field)}</p>
    }
}

/// A labelled text input (or text area) bound to one draft field, with its hint and advice.
/// Only this thin wrapper is generic; the markup is built once, in `text_input`, rather than
/// once per field.
#[component]
pub(super) fn TextField(
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
pub(super) fn ChoiceField(
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
