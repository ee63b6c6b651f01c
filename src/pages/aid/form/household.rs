//! Step 1: the household, the applicant first.
use contract::aid::{MAX_HOUSEHOLD, Relation};
use leptos::prelude::*;

use super::fields::{Advice, ChoiceField, TextField};
use super::model::Form;
use crate::i18n::{fill, tr};
use crate::state::aid_draft::{AidDraft, PersonDraft};

pub(super) fn household_step(form: Form) -> impl IntoView {
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
