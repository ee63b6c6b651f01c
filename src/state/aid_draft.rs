//! A hardship-aid application being written, kept on the device as the member types so that a
//! reload, a killed WeChat webview or a flat battery loses nothing.
//!
//! Fields are kept exactly as typed (strings), so even half-typed or wrong input comes back.
//! One draft per member and program, under `portal.draft.<member>.aid.<program>`: another
//! member on the same device never sees it. A session expiring keeps drafts (the member did
//! not choose to leave); signing out, and a kiosk's wipe, remove them with every other member
//! datum. The draft is cleared only once the server has confirmed the submission.
use contract::aid::{
    AidKind, Attachment, FieldProblem, HouseholdMemberInput, Illness, NewAidApplication, Relation,
    SchoolLevel, Schooling,
};
use contract::validate::Fen;
use serde::{Deserialize, Serialize};

use super::device;

/// Prefix of every draft key; `session::wipe_member_data` removes them.
pub const PREFIX: &str = "portal.draft.";

/// One household member as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonDraft {
    pub name: String,
    /// A `Relation` code.
    pub relation: String,
    pub resident_id: String,
    pub occupation: String,
}

/// Everything the member has entered for one program.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AidDraft {
    pub program_id: String,
    /// Chosen once per draft and sent with every submission attempt, so retries after a
    /// timeout or a double tap return the same application.
    pub idempotency_key: String,
    pub household: Vec<PersonDraft>,
    pub income_yuan: String,
    pub hardship: String,
    pub student_name: String,
    /// A `SchoolLevel` code.
    pub school_level: String,
    pub school: String,
    pub enrolment_year: String,
    pub patient_name: String,
    pub diagnosis: String,
    pub hospital: String,
    pub out_of_pocket_yuan: String,
    pub attachments: Vec<Attachment>,
    pub declaration_accepted: bool,
}

impl AidDraft {
    /// A fresh draft: the applicant as the first household member, a new idempotency key.
    pub fn new(program_id: &str, applicant_name: &str, idempotency_key: String) -> Self {
        AidDraft {
            program_id: program_id.to_owned(),
            idempotency_key,
            household: vec![PersonDraft {
                name: applicant_name.to_owned(),
                relation: Relation::Applicant.as_str().to_owned(),
                ..PersonDraft::default()
            }],
            ..AidDraft::default()
        }
    }

    /// The application this draft makes for a program of `kind`, and what is wrong with it,
    /// field by field (the contract's checks plus amounts that are not numbers).
    pub fn application(&self, kind: AidKind) -> (NewAidApplication, Vec<FieldProblem>) {
        let mut problems = Vec::new();
        let income = yuan_to_fen(
            &self.income_yuan,
            "household_monthly_income_fen",
            &mut problems,
        );
        let schooling = (kind == AidKind::GoldenAutumn).then(|| self.schooling(&mut problems));
        let illness = (kind == AidKind::SeriousIllness).then(|| self.illness(&mut problems));
        for (i, person) in self.household.iter().enumerate() {
            if Relation::parse(&person.relation).is_none() {
                problems.push(problem(&format!("household[{i}].relation"), "required"));
            }
        }
        let application = NewAidApplication {
            program_id: self.program_id.clone(),
            household: self.household.iter().map(PersonDraft::input).collect(),
            household_monthly_income_fen: income,
            hardship: self.hardship.trim().to_owned(),
            schooling,
            illness,
            attachment_ids: self.attachments.iter().map(|a| a.id.clone()).collect(),
            declaration_accepted: self.declaration_accepted,
        };
        problems.extend(application.problems(kind));
        (application, problems)
    }

    fn schooling(&self, problems: &mut Vec<FieldProblem>) -> Schooling {
        let level = SchoolLevel::parse(&self.school_level);
        if level.is_none() {
            problems.push(problem("schooling.level", "required"));
        }
        Schooling {
            student_name: self.student_name.trim().to_owned(),
            level: level.unwrap_or(SchoolLevel::SeniorHigh),
            school: self.school.trim().to_owned(),
            // Anything not a year fails the contract's range check as `invalid_year`.
            enrolment_year: self.enrolment_year.trim().parse().unwrap_or(0),
        }
    }

    fn illness(&self, problems: &mut Vec<FieldProblem>) -> Illness {
        Illness {
            patient_name: self.patient_name.trim().to_owned(),
            diagnosis: self.diagnosis.trim().to_owned(),
            hospital: self.hospital.trim().to_owned(),
            out_of_pocket_fen: yuan_to_fen(
                &self.out_of_pocket_yuan,
                "illness.out_of_pocket_fen",
                problems,
            ),
        }
    }
}

impl PersonDraft {
    fn input(&self) -> HouseholdMemberInput {
        HouseholdMemberInput {
            name: self.name.trim().to_owned(),
            relation: Relation::parse(&self.relation).unwrap_or(Relation::Other),
            resident_id: self.resident_id.trim().to_uppercase(),
            occupation: self.occupation.trim().to_owned(),
        }
    }
}

/// Parses typed yuan into fen, noting `required` or `invalid_amount` against `field`.
fn yuan_to_fen(typed: &str, field: &str, problems: &mut Vec<FieldProblem>) -> i64 {
    if typed.trim().is_empty() {
        problems.push(problem(field, "required"));
        return 0;
    }
    match Fen::parse_yuan(typed) {
        Ok(fen) => fen.0,
        Err(_) => {
            problems.push(problem(field, "invalid_amount"));
            0
        }
    }
}

fn problem(field: &str, code: &'static str) -> FieldProblem {
    FieldProblem {
        field: field.to_owned(),
        code,
    }
}

/// The storage key of a member's draft for a program.
pub fn key(member_id: &str, program_id: &str) -> String {
    format!("{PREFIX}{member_id}.aid.{program_id}")
}

/// The member's saved draft for a program, if any.
pub fn load(member_id: &str, program_id: &str) -> Option<AidDraft> {
    serde_json::from_str(&device::get(&key(member_id, program_id))?).ok()
}

/// Saves the draft (silently skipped where storage is unavailable).
pub fn save(member_id: &str, draft: &AidDraft) {
    if let Ok(json) = serde_json::to_string(draft) {
        device::set(&key(member_id, &draft.program_id), &json);
    }
}

/// Forgets the draft: only after the server confirmed the submission.
pub fn clear(member_id: &str, program_id: &str) {
    device::remove(&key(member_id, program_id));
}

/// A key no other draft has used: time and randomness (`Math.random`, so no secure context is
/// needed), reached through `browser` as only the aid screens need it.
pub fn new_idempotency_key() -> String {
    let random = || {
        let fraction = crate::browser::page::random_fraction().unwrap_or(0.5);
        (fraction * 9_007_199_254_740_992.0) as u64
    };
    format!(
        "aid-{:x}-{:x}{:x}",
        web_sys::js_sys::Date::now() as u64,
        random(),
        random()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(draft: &AidDraft, kind: AidKind) -> Vec<(String, &'static str)> {
        draft
            .application(kind)
            .1
            .into_iter()
            .map(|p| (p.field, p.code))
            .collect()
    }

    fn complete() -> AidDraft {
        let mut draft = AidDraft::new("aidp_send_warmth", "张伟", "k1".into());
        draft.household[0].resident_id = "11010519491231002x".into();
        draft.income_yuan = "3,900".into();
        draft.hardship = "父亲中风偏瘫需要照顾，家中两个孩子上学。".into();
        draft.declaration_accepted = true;
        draft
    }

    #[test]
    fn a_complete_draft_makes_a_valid_application_in_fen() {
        let (application, problems) = complete().application(AidKind::SendWarmth);
        assert_eq!(problems, vec![]);
        assert_eq!(application.household_monthly_income_fen, 390_000);
        assert_eq!(application.household[0].resident_id, "11010519491231002X");
        assert_eq!(application.household[0].relation, Relation::Applicant);
    }

    #[test]
    fn amounts_that_are_not_numbers_are_named_by_field() {
        let mut draft = complete();
        draft.income_yuan = "三千".into();
        assert_eq!(
            codes(&draft, AidKind::SendWarmth),
            vec![("household_monthly_income_fen".into(), "invalid_amount")]
        );
        draft.income_yuan = " ".into();
        assert_eq!(
            codes(&draft, AidKind::SendWarmth),
            vec![("household_monthly_income_fen".into(), "required")]
        );
    }

    #[test]
    fn program_fields_are_checked_only_for_their_program() {
        let mut draft = complete();
        draft.enrolment_year = "明年".into();
        assert_eq!(codes(&draft, AidKind::SendWarmth), vec![]);
        let education = codes(&draft, AidKind::GoldenAutumn);
        for field in [
            "schooling.level",
            "schooling.student_name",
            "schooling.school",
            "schooling.enrolment_year",
        ] {
            assert!(
                education.iter().any(|(f, _)| f == field),
                "{field} not reported: {education:?}"
            );
        }
    }

    #[test]
    fn a_wrong_check_digit_is_reported_on_its_row() {
        let mut draft = complete();
        draft.household.push(PersonDraft {
            name: "陈丽".into(),
            relation: "spouse".into(),
            resident_id: "110105194912310021".into(),
            occupation: String::new(),
        });
        assert_eq!(
            codes(&draft, AidKind::SendWarmth),
            vec![("household[1].resident_id".into(), "invalid_id_check_digit")]
        );
    }

    #[test]
    fn drafts_are_kept_per_member_and_program() {
        assert_ne!(key("mem_a", "aidp_x"), key("mem_b", "aidp_x"));
        assert!(key("mem_a", "aidp_x").starts_with(PREFIX));
    }

    #[test]
    fn a_draft_survives_a_round_trip_through_json_even_when_older() {
        let draft = complete();
        let json = serde_json::to_string(&draft).unwrap();
        assert_eq!(serde_json::from_str::<AidDraft>(&json).unwrap(), draft);
        let older: AidDraft = serde_json::from_str(r#"{"program_id":"p","hardship":"x"}"#).unwrap();
        assert_eq!(older.hardship, "x");
    }
}
