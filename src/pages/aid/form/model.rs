//! What the steps of the form share: the draft, its problems, and which fields show their
//! advice; where each field is entered and its element id.
use std::collections::BTreeSet;

use contract::aid::{AidKind, Attachment, FieldProblem, foreign_applicant_ids, matches_masked};
use leptos::prelude::*;

use super::saver::Saver;
use crate::components::document_upload::Uploads;
use crate::i18n::I18n;
use crate::state::aid_draft::AidDraft;

/// What the steps share: the draft, its problems, and which fields show theirs.
#[derive(Clone, Copy)]
pub(super) struct Form {
    pub(super) draft: RwSignal<AidDraft>,
    pub(super) problems: Memo<Vec<FieldProblem>>,
    /// Fields the member has left or tried to move past: only these show advice, so nobody
    /// is scolded for a field they have not reached yet.
    pub(super) shown: RwSignal<BTreeSet<String>>,
    pub(super) kind: AidKind,
    pub(super) saver: Saver,
    pub(super) i18n: I18n,
    /// Owned here, not by the documents step, so an upload that ends after the member moved
    /// on is still recorded in the draft.
    pub(super) uploads: Uploads,
    pub(super) added: Callback<Attachment>,
    pub(super) removed: Callback<String>,
}

impl Form {
    /// Applies a change and schedules the save.
    pub(super) fn edit(self, change: impl FnOnce(&mut AidDraft)) {
        self.draft.update(change);
        self.saver.schedule(self.draft);
    }

    /// How to fix `field`, once it is shown (reactive).
    pub(super) fn advice(self, field: &str) -> Option<&'static str> {
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

    pub(super) fn show(self, field: &str) {
        if !self.shown.with_untracked(|shown| shown.contains(field)) {
            self.shown.update(|shown| {
                shown.insert(field.to_owned());
            });
        }
    }

    /// The fields of `step` (all steps for `None`) that still have problems, now shown.
    pub(super) fn unfinished(self, step: Option<u8>) -> Vec<String> {
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
pub(super) fn problems_of(
    draft: &AidDraft,
    kind: AidKind,
    own_id_masked: Option<&str>,
) -> Vec<FieldProblem> {
    let (application, mut problems) = draft.application(kind);
    if let Some(masked) = own_id_masked {
        problems.extend(foreign_applicant_ids(&application.household, |id| {
            matches_masked(id, masked)
        }));
    }
    problems
}

/// The step on which a field is entered.
pub(super) fn step_of(field: &str) -> u8 {
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
pub(super) fn field_id(field: &str) -> String {
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
