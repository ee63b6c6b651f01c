//! Step 2: income, the hardship, and the programme's own details (schooling or illness).
use contract::aid::{AidKind, SchoolLevel};
use leptos::prelude::*;

use super::fields::{ChoiceField, TextField};
use super::model::Form;
use crate::i18n::tr;

pub(super) fn circumstances_step(form: Form) -> impl IntoView {
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
