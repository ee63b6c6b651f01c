//! Hardship aid (困难帮扶): programs and their windows, eligibility, supporting documents and
//! applications with their review history. Approved aid is paid onto the member's card.
use serde::{Deserialize, Serialize};

use crate::validate::{Fen, ResidentId};

/// Header carrying the client's idempotency key on `POST /api/v1/aid/applications`: a retried
/// submission with the same key returns the application the first one created.
pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
/// Largest accepted attachment: 5 MiB.
pub const MAX_ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;
/// Most documents one member may upload in 24 hours.
pub const MAX_UPLOADS_PER_DAY: i64 = 40;
/// Most attachments on one submission or supplement.
pub const MAX_ATTACHMENTS: usize = 10;
/// Most household members on one application.
pub const MAX_HOUSEHOLD: usize = 12;
/// Longest hardship description, in characters.
pub const MAX_HARDSHIP_CHARS: usize = 1000;
/// Shortest hardship description, in characters.
pub const MIN_HARDSHIP_CHARS: usize = 10;
/// Longest short text (a name, a school, a hospital), in characters.
pub const MAX_SHORT_TEXT_CHARS: usize = 60;
/// Longest note on a supplement or withdrawal, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// The kind of program, which decides the extra fields an application carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AidKind {
    /// Spring Festival "Send Warmth" (送温暖): a fixed sum per household.
    SendWarmth,
    /// "Golden Autumn" education aid (金秋助学): per student, by school level; needs `schooling`.
    GoldenAutumn,
    /// Serious-illness relief (大病救助): up to a maximum; needs `illness`.
    SeriousIllness,
    /// Special relief from the love-card fund (爱心卡专项救助).
    SpecialRelief,
}

impl AidKind {
    pub const ALL: [AidKind; 4] = [
        AidKind::SendWarmth,
        AidKind::GoldenAutumn,
        AidKind::SeriousIllness,
        AidKind::SpecialRelief,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AidKind::SendWarmth => "send_warmth",
            AidKind::GoldenAutumn => "golden_autumn",
            AidKind::SeriousIllness => "serious_illness",
            AidKind::SpecialRelief => "special_relief",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

/// A student's school level for 金秋助学.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SchoolLevel {
    /// 普通高中.
    SeniorHigh,
    /// 中等职业学校.
    SecondaryVocational,
    /// 大专 / 高职.
    College,
    /// 本科.
    Undergraduate,
}

impl SchoolLevel {
    pub const ALL: [SchoolLevel; 4] = [
        SchoolLevel::SeniorHigh,
        SchoolLevel::SecondaryVocational,
        SchoolLevel::College,
        SchoolLevel::Undergraduate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SchoolLevel::SeniorHigh => "senior_high",
            SchoolLevel::SecondaryVocational => "secondary_vocational",
            SchoolLevel::College => "college",
            SchoolLevel::Undergraduate => "undergraduate",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == value)
    }
}

/// One amount a program pays: a fixed sum, a per-level sum, or a maximum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AidAmount {
    /// In the requested language, e.g. `高中/中职每人` or `Per household`.
    pub label: String,
    pub amount_fen: i64,
    /// For 金秋助学: the school level the amount applies to.
    pub level: Option<SchoolLevel>,
    /// True when the amount is a ceiling, decided case by case.
    pub up_to: bool,
}

/// The word for a ceiling ("up to") in Chinese and in English: the portal's aid screens and the
/// server's first paint of them word amounts with it.
pub const UP_TO: [&str; 2] = ["最高", "Up to"];

impl AidAmount {
    /// `高中/中职每人 ¥2,500.00`, `最高 ¥20,000.00`: a ceiling is said once, whether or not the
    /// program's own label already says it. `up_to` is the word in the label's language.
    pub fn line(&self, up_to: &str) -> String {
        let money = Fen(self.amount_fen).display_yuan();
        let label = self.label.trim();
        // Plain `contains`: case folding would bring Unicode's case tables into the portal.
        let says_up_to = label.contains(up_to);
        match (self.up_to && !says_up_to, label.is_empty()) {
            (true, true) => format!("{up_to} {money}"),
            (true, false) => format!("{label} {up_to} {money}"),
            (false, true) => money,
            (false, false) => format!("{label} {money}"),
        }
    }
}

/// Every amount a program pays, in one line, as the aid screens show it.
pub fn amounts_line(amounts: &[AidAmount], up_to: &str) -> String {
    let lines: Vec<String> = amounts.iter().map(|amount| amount.line(up_to)).collect();
    lines.join("；")
}

/// `GET /api/v1/aid/programs` (and `/{id}`): a program, in the requested language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AidProgram {
    pub id: String,
    pub kind: AidKind,
    pub name: String,
    pub summary: String,
    /// Who may apply, one rule per entry.
    pub eligibility_rules: Vec<String>,
    /// Documents to upload, one per entry.
    pub required_documents: Vec<String>,
    pub amounts: Vec<AidAmount>,
    /// `YYYY-MM-DD`, first and last day applications are accepted.
    pub opens_on: String,
    pub closes_on: String,
    /// Whether today is inside the window.
    pub open: bool,
}

/// Why the current member cannot apply now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IneligibleReason {
    /// The member's card is not active (not yet activated, reported lost, frozen or cancelled):
    /// aid is paid onto the card.
    CardNotActive,
    /// Membership has lapsed: renew it with the union first.
    MembershipLapsed,
    /// The program is not accepting applications today.
    WindowClosed,
    /// The member already has an application in this program that is not withdrawn or
    /// rejected.
    AlreadyApplied,
}

impl IneligibleReason {
    pub fn as_str(self) -> &'static str {
        match self {
            IneligibleReason::CardNotActive => "card_not_active",
            IneligibleReason::MembershipLapsed => "membership_lapsed",
            IneligibleReason::WindowClosed => "window_closed",
            IneligibleReason::AlreadyApplied => "already_applied",
        }
    }
}

/// `GET /api/v1/aid/programs/{id}/eligibility`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Eligibility {
    pub program_id: String,
    pub eligible: bool,
    /// Empty when eligible.
    pub reasons: Vec<IneligibleReason>,
    /// With `already_applied`: the application in question.
    pub existing_application_id: Option<String>,
}

/// `POST /api/v1/aid/attachments` answer: a stored supporting document.
///
/// The request body is the file's bytes; `?filename=` names it. The type is decided by the
/// bytes alone (JPEG, PNG or PDF); a declared `Content-Type` or file name that disagrees with
/// them is refused as `unsupported_file_type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    pub id: String,
    pub filename: String,
    /// `image/jpeg`, `image/png` or `application/pdf`.
    pub content_type: String,
    pub size_bytes: u64,
    /// RFC 3339.
    pub uploaded_at: String,
}

/// How a household member is related to the applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Applicant,
    Spouse,
    Child,
    Parent,
    Grandparent,
    Sibling,
    Other,
}

impl Relation {
    pub const ALL: [Relation; 7] = [
        Relation::Applicant,
        Relation::Spouse,
        Relation::Child,
        Relation::Parent,
        Relation::Grandparent,
        Relation::Sibling,
        Relation::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Applicant => "applicant",
            Relation::Spouse => "spouse",
            Relation::Child => "child",
            Relation::Parent => "parent",
            Relation::Grandparent => "grandparent",
            Relation::Sibling => "sibling",
            Relation::Other => "other",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }
}

/// A household member as the applicant enters them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HouseholdMemberInput {
    pub name: String,
    pub relation: Relation,
    /// 18-character resident ID number, check digit verified. Stored, never returned in full.
    pub resident_id: String,
    /// E.g. `在校学生`, `务工`, `无业`.
    #[serde(default)]
    pub occupation: String,
}

/// For 金秋助学: the student.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Schooling {
    pub student_name: String,
    pub level: SchoolLevel,
    pub school: String,
    /// Year of enrolment, e.g. 2026.
    pub enrolment_year: u16,
}

/// For 大病救助: the illness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Illness {
    pub patient_name: String,
    pub diagnosis: String,
    pub hospital: String,
    /// Medical costs the household paid itself, in fen.
    pub out_of_pocket_fen: i64,
}

/// `POST /api/v1/aid/applications` body (with the `Idempotency-Key` header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAidApplication {
    pub program_id: String,
    /// Everyone in the household, the applicant included.
    pub household: Vec<HouseholdMemberInput>,
    /// The whole household's monthly income, in fen.
    pub household_monthly_income_fen: i64,
    /// The hardship in the applicant's words.
    pub hardship: String,
    /// Required for 金秋助学, refused otherwise.
    #[serde(default)]
    pub schooling: Option<Schooling>,
    /// Required for 大病救助, refused otherwise.
    #[serde(default)]
    pub illness: Option<Illness>,
    /// Ids from `POST /api/v1/aid/attachments`, uploaded by this member.
    #[serde(default)]
    pub attachment_ids: Vec<String>,
    /// The applicant declares the information true (承诺书); must be `true`.
    pub declaration_accepted: bool,
}

/// A problem with one field of an application, found without the server's help. The server
/// adds its own (e.g. an attachment that is not the member's) and words them all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// E.g. `household[1].resident_id`, `schooling.school`.
    pub field: String,
    /// `required`, `too_short`, `too_long`, `too_many`, `duplicate`, `not_applicable`,
    /// `must_accept`, `invalid_amount`, `invalid_year`, or a resident ID code
    /// (`invalid_id_format`, `invalid_id_birth_date`, `invalid_id_check_digit`, and
    /// `not_own_id` for an applicant's row that is not the member's own number).
    pub code: &'static str,
}

fn problem(field: impl Into<String>, code: &'static str) -> FieldProblem {
    FieldProblem {
        field: field.into(),
        code,
    }
}

/// Checks a short required text: not blank, at most `max` characters.
fn check_text(out: &mut Vec<FieldProblem>, field: &str, value: &str, max: usize) {
    let length = value.trim().chars().count();
    if length == 0 {
        out.push(problem(field, "required"));
    } else if length > max {
        out.push(problem(field, "too_long"));
    }
}

impl NewAidApplication {
    /// Everything wrong with the application for a program of `kind`, field by field.
    pub fn problems(&self, kind: AidKind) -> Vec<FieldProblem> {
        let mut out = Vec::new();
        if self.program_id.trim().is_empty() {
            out.push(problem("program_id", "required"));
        }
        if self.household.is_empty() {
            out.push(problem("household", "required"));
        } else if self.household.len() > MAX_HOUSEHOLD {
            out.push(problem("household", "too_many"));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, person) in self.household.iter().enumerate() {
            check_text(
                &mut out,
                &format!("household[{i}].name"),
                &person.name,
                MAX_SHORT_TEXT_CHARS,
            );
            let id_field = format!("household[{i}].resident_id");
            match ResidentId::parse(&person.resident_id) {
                Ok(id) => {
                    if !seen.insert(id.as_str().to_owned()) {
                        out.push(problem(id_field, "duplicate"));
                    }
                }
                Err(invalid) => out.push(problem(id_field, invalid.code())),
            }
            if person.occupation.chars().count() > MAX_SHORT_TEXT_CHARS {
                out.push(problem(format!("household[{i}].occupation"), "too_long"));
            }
        }
        if self.household_monthly_income_fen < 0 {
            out.push(problem("household_monthly_income_fen", "invalid_amount"));
        }
        let hardship = self.hardship.trim().chars().count();
        if hardship == 0 {
            out.push(problem("hardship", "required"));
        } else if hardship < MIN_HARDSHIP_CHARS {
            out.push(problem("hardship", "too_short"));
        } else if hardship > MAX_HARDSHIP_CHARS {
            out.push(problem("hardship", "too_long"));
        }
        match (&self.schooling, kind == AidKind::GoldenAutumn) {
            (None, true) => out.push(problem("schooling", "required")),
            (Some(_), false) => out.push(problem("schooling", "not_applicable")),
            (Some(s), true) => {
                check_text(
                    &mut out,
                    "schooling.student_name",
                    &s.student_name,
                    MAX_SHORT_TEXT_CHARS,
                );
                check_text(
                    &mut out,
                    "schooling.school",
                    &s.school,
                    MAX_SHORT_TEXT_CHARS,
                );
                if !(1990..=2100).contains(&s.enrolment_year) {
                    out.push(problem("schooling.enrolment_year", "invalid_year"));
                }
            }
            (None, false) => {}
        }
        match (&self.illness, kind == AidKind::SeriousIllness) {
            (None, true) => out.push(problem("illness", "required")),
            (Some(_), false) => out.push(problem("illness", "not_applicable")),
            (Some(ill), true) => {
                check_text(
                    &mut out,
                    "illness.patient_name",
                    &ill.patient_name,
                    MAX_SHORT_TEXT_CHARS,
                );
                check_text(&mut out, "illness.diagnosis", &ill.diagnosis, 200);
                check_text(
                    &mut out,
                    "illness.hospital",
                    &ill.hospital,
                    MAX_SHORT_TEXT_CHARS,
                );
                if ill.out_of_pocket_fen < 0 {
                    out.push(problem("illness.out_of_pocket_fen", "invalid_amount"));
                }
            }
            (None, false) => {}
        }
        check_attachment_ids(&mut out, &self.attachment_ids);
        if !self.declaration_accepted {
            out.push(problem("declaration_accepted", "must_accept"));
        }
        out
    }
}

/// The applicant's own rows (`relation: applicant`) whose ID number is well formed but not the
/// member's, as `not_own_id` problems. `is_own` decides: the server compares with the full
/// number on file, the portal with the masked one it was shown (its check is only an early
/// hint; the server's is authoritative). Malformed numbers are left to `problems`.
pub fn foreign_applicant_ids(
    household: &[HouseholdMemberInput],
    is_own: impl Fn(&ResidentId) -> bool,
) -> Vec<FieldProblem> {
    household
        .iter()
        .enumerate()
        .filter(|(_, person)| person.relation == Relation::Applicant)
        .filter_map(|(i, person)| {
            let id = ResidentId::parse(&person.resident_id).ok()?;
            (!is_own(&id)).then(|| problem(format!("household[{i}].resident_id"), "not_own_id"))
        })
        .collect()
}

/// Whether `id` agrees with a masked number (`4403**********100X`) wherever a character is
/// shown.
pub fn matches_masked(id: &ResidentId, masked: &str) -> bool {
    let id = id.as_str();
    id.chars().count() == masked.chars().count()
        && id
            .chars()
            .zip(masked.chars())
            .all(|(shown, mask)| mask == '*' || shown == mask.to_ascii_uppercase())
}

fn check_attachment_ids(out: &mut Vec<FieldProblem>, ids: &[String]) {
    if ids.len() > MAX_ATTACHMENTS {
        out.push(problem("attachment_ids", "too_many"));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, id) in ids.iter().enumerate() {
        if !seen.insert(id.as_str()) {
            out.push(problem(format!("attachment_ids[{i}]"), "duplicate"));
        }
    }
}

/// `POST /api/v1/aid/applications/{id}/supplement`: more documents when the reviewer asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AidSupplement {
    /// At least one.
    pub attachment_ids: Vec<String>,
    #[serde(default)]
    pub note: String,
}

impl AidSupplement {
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut out = Vec::new();
        if self.attachment_ids.is_empty() {
            out.push(problem("attachment_ids", "required"));
        }
        check_attachment_ids(&mut out, &self.attachment_ids);
        if self.note.chars().count() > MAX_NOTE_CHARS {
            out.push(problem("note", "too_long"));
        }
        out
    }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AidStatus {
    Submitted,
    UnderReview,
    /// The reviewer asked for more documents: supplement to continue.
    MoreInfoNeeded,
    Approved,
    /// Paid onto the member's card.
    Paid,
    Rejected,
    /// Withdrawn by the member.
    Withdrawn,
}

impl AidStatus {
    pub const ALL: [AidStatus; 7] = [
        AidStatus::Submitted,
        AidStatus::UnderReview,
        AidStatus::MoreInfoNeeded,
        AidStatus::Approved,
        AidStatus::Paid,
        AidStatus::Rejected,
        AidStatus::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AidStatus::Submitted => "submitted",
            AidStatus::UnderReview => "under_review",
            AidStatus::MoreInfoNeeded => "more_info_needed",
            AidStatus::Approved => "approved",
            AidStatus::Paid => "paid",
            AidStatus::Rejected => "rejected",
            AidStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Not yet decided: the member may still withdraw.
    pub fn is_undecided(self) -> bool {
        AidTransition::Withdraw.allowed_from(self)
    }
}

/// Every allowed change of an application's status, who makes it, and the states it may
/// start from: the one table both the server's member routes and the reviewer's commands obey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AidTransition {
    /// The reviewer starts on a submitted application.
    Review,
    /// The reviewer asks for more documents.
    RequestInfo,
    Approve,
    /// The approved amount is paid onto the member's card.
    Pay,
    Reject,
    /// The member adds the documents asked for; the application returns to review.
    Supplement,
    /// The member withdraws an undecided application.
    Withdraw,
}

impl AidTransition {
    pub const ALL: [AidTransition; 7] = [
        AidTransition::Review,
        AidTransition::RequestInfo,
        AidTransition::Approve,
        AidTransition::Pay,
        AidTransition::Reject,
        AidTransition::Supplement,
        AidTransition::Withdraw,
    ];

    /// The status the application enters.
    pub fn to(self) -> AidStatus {
        match self {
            AidTransition::Review | AidTransition::Supplement => AidStatus::UnderReview,
            AidTransition::RequestInfo => AidStatus::MoreInfoNeeded,
            AidTransition::Approve => AidStatus::Approved,
            AidTransition::Pay => AidStatus::Paid,
            AidTransition::Reject => AidStatus::Rejected,
            AidTransition::Withdraw => AidStatus::Withdrawn,
        }
    }

    /// Who makes this change.
    pub fn actor(self) -> AidActor {
        match self {
            AidTransition::Supplement | AidTransition::Withdraw => AidActor::Member,
            _ => AidActor::Reviewer,
        }
    }

    /// The states this change may start from.
    pub fn from(self) -> &'static [AidStatus] {
        use AidStatus::*;
        match self {
            AidTransition::Review => &[Submitted],
            AidTransition::RequestInfo | AidTransition::Approve => &[Submitted, UnderReview],
            AidTransition::Pay => &[Approved],
            AidTransition::Supplement => &[MoreInfoNeeded],
            AidTransition::Reject | AidTransition::Withdraw => {
                &[Submitted, UnderReview, MoreInfoNeeded]
            }
        }
    }

    /// Whether an application in `status` may make this change.
    pub fn allowed_from(self, status: AidStatus) -> bool {
        self.from().contains(&status)
    }
}

/// Who moved an application on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AidActor {
    Member,
    Reviewer,
}

/// One step of an application's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AidEvent {
    /// The status the application entered.
    pub status: AidStatus,
    /// RFC 3339.
    pub at: String,
    pub actor: AidActor,
    /// The reviewer's request or reason, or the member's note.
    pub note: Option<String>,
    /// With `approved` and `paid`.
    pub amount_fen: Option<i64>,
    /// Documents added at this step.
    pub attachments_added: u32,
}

/// A household member as the server returns them: the ID number masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HouseholdMember {
    pub name: String,
    pub relation: Relation,
    /// `4403**********1234`.
    pub id_number_masked: String,
    pub occupation: String,
}

/// `GET /api/v1/aid/applications`: one of the member's applications, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AidApplicationSummary {
    pub id: String,
    pub program_id: String,
    pub program_name: String,
    pub kind: AidKind,
    pub status: AidStatus,
    /// RFC 3339.
    pub submitted_at: String,
    pub updated_at: String,
    pub approved_fen: Option<i64>,
}

/// `GET /api/v1/aid/applications/{id}`, and the answer to submit, supplement and withdraw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AidApplication {
    pub id: String,
    pub program_id: String,
    pub program_name: String,
    pub kind: AidKind,
    pub status: AidStatus,
    /// RFC 3339.
    pub submitted_at: String,
    pub updated_at: String,
    pub household: Vec<HouseholdMember>,
    pub household_monthly_income_fen: i64,
    pub hardship: String,
    pub schooling: Option<Schooling>,
    pub illness: Option<Illness>,
    pub attachments: Vec<Attachment>,
    /// What the program would pay for this application (fixed or by school level), or its
    /// ceiling when decided case by case.
    pub expected_fen: Option<i64>,
    pub approved_fen: Option<i64>,
    /// `YYYY-MM-DD`, when paid.
    pub paid_on: Option<String>,
    /// The card paid to, masked.
    pub paid_to_card_masked: Option<String>,
    /// What the reviewer asked for, while `more_info_needed`.
    pub info_requested: Option<String>,
    /// Why it was rejected.
    pub rejection_reason: Option<String>,
    pub can_withdraw: bool,
    pub can_supplement: bool,
    /// Oldest first.
    pub history: Vec<AidEvent>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(kind: AidKind) -> NewAidApplication {
        NewAidApplication {
            program_id: "aidp_x".into(),
            household: vec![HouseholdMemberInput {
                name: "张伟".into(),
                relation: Relation::Applicant,
                resident_id: "11010519491231002X".into(),
                occupation: "务工".into(),
            }],
            household_monthly_income_fen: 180_000,
            hardship: "家中老人长期患病，收入微薄，生活困难。".into(),
            schooling: (kind == AidKind::GoldenAutumn).then(|| Schooling {
                student_name: "张小明".into(),
                level: SchoolLevel::College,
                school: "深圳职业技术大学".into(),
                enrolment_year: 2026,
            }),
            illness: (kind == AidKind::SeriousIllness).then(|| Illness {
                patient_name: "张伟".into(),
                diagnosis: "慢性肾功能衰竭".into(),
                hospital: "深圳市人民医院".into(),
                out_of_pocket_fen: 4_500_000,
            }),
            attachment_ids: vec!["att_1".into()],
            declaration_accepted: true,
        }
    }

    #[test]
    fn a_complete_application_has_no_problems() {
        for kind in AidKind::ALL {
            assert_eq!(valid(kind).problems(kind), vec![], "{kind:?}");
        }
    }

    #[test]
    fn a_mistyped_household_id_is_named_by_field() {
        let mut application = valid(AidKind::SendWarmth);
        application.household[0].resident_id = "110105194912310021".into();
        assert_eq!(
            application.problems(AidKind::SendWarmth),
            vec![problem(
                "household[0].resident_id",
                "invalid_id_check_digit"
            )]
        );
    }

    #[test]
    fn only_the_applicants_own_row_must_carry_the_members_id() {
        let mut application = valid(AidKind::SendWarmth);
        application.household.push(HouseholdMemberInput {
            name: "陈丽".into(),
            relation: Relation::Spouse,
            resident_id: "11010519491231002X".into(),
            occupation: String::new(),
        });
        let own = ResidentId::parse("11010519491231002X").unwrap();
        let theirs = |id: &ResidentId| id == &own;
        assert_eq!(
            foreign_applicant_ids(&application.household, theirs),
            vec![]
        );
        let someone_else = |_: &ResidentId| false;
        assert_eq!(
            foreign_applicant_ids(&application.household, someone_else),
            vec![problem("household[0].resident_id", "not_own_id")]
        );
        application.household[0].resident_id = "110105194912310021".into();
        assert_eq!(
            foreign_applicant_ids(&application.household, someone_else),
            vec![],
            "a malformed number is reported by `problems`, not twice"
        );
    }

    #[test]
    fn a_number_matches_its_mask_only_where_digits_are_shown() {
        let id = ResidentId::parse("11010519491231002X").unwrap();
        assert!(matches_masked(&id, "1101**********002X"));
        assert!(matches_masked(&id, "1101**********002x"));
        assert!(!matches_masked(&id, "4403**********002X"));
        assert!(!matches_masked(&id, "1101**********1000"));
        assert!(!matches_masked(&id, "1101*002X"));
    }

    #[test]
    fn program_specific_fields_are_required_and_refused_elsewhere() {
        let mut education = valid(AidKind::GoldenAutumn);
        education.schooling = None;
        assert_eq!(
            education.problems(AidKind::GoldenAutumn),
            vec![problem("schooling", "required")]
        );
        let illness = valid(AidKind::SeriousIllness);
        assert_eq!(
            illness.problems(AidKind::SendWarmth),
            vec![problem("illness", "not_applicable")]
        );
    }

    #[test]
    fn the_declaration_must_be_accepted() {
        let mut application = valid(AidKind::SendWarmth);
        application.declaration_accepted = false;
        application.hardship = "困难".into();
        assert_eq!(
            application.problems(AidKind::SendWarmth),
            vec![
                problem("hardship", "too_short"),
                problem("declaration_accepted", "must_accept")
            ]
        );
    }

    #[test]
    fn a_supplement_needs_a_document() {
        let supplement = AidSupplement {
            attachment_ids: vec![],
            note: String::new(),
        };
        assert_eq!(
            supplement.problems(),
            vec![problem("attachment_ids", "required")]
        );
    }

    #[test]
    fn decided_applications_move_only_to_payment() {
        let from = |status: AidStatus| -> Vec<AidTransition> {
            AidTransition::ALL
                .into_iter()
                .filter(|t| t.allowed_from(status))
                .collect()
        };
        assert_eq!(from(AidStatus::Approved), [AidTransition::Pay]);
        for end in [AidStatus::Paid, AidStatus::Rejected, AidStatus::Withdrawn] {
            assert!(from(end).is_empty(), "{end:?} is final");
        }
        assert_eq!(
            from(AidStatus::MoreInfoNeeded),
            [
                AidTransition::Reject,
                AidTransition::Supplement,
                AidTransition::Withdraw
            ]
        );
        assert_eq!(AidTransition::Supplement.to(), AidStatus::UnderReview);
        assert_eq!(AidTransition::Supplement.actor(), AidActor::Member);
        assert_eq!(AidTransition::Review.actor(), AidActor::Reviewer);
    }

    #[test]
    fn only_undecided_applications_can_be_withdrawn() {
        let undecided: Vec<_> = AidStatus::ALL
            .into_iter()
            .filter(|s| s.is_undecided())
            .collect();
        assert_eq!(
            undecided,
            [
                AidStatus::Submitted,
                AidStatus::UnderReview,
                AidStatus::MoreInfoNeeded
            ]
        );
    }

    #[test]
    fn a_ceiling_is_said_once_whether_or_not_the_label_says_it() {
        let amount = |label: &str, yuan: i64, up_to| AidAmount {
            label: label.to_owned(),
            amount_fen: yuan * 100,
            level: None,
            up_to,
        };
        let [zh, en] = UP_TO;
        assert_eq!(amount("最高", 20_000, true).line(zh), "最高 ¥20,000.00");
        assert_eq!(amount("", 5_000, true).line(zh), "最高 ¥5,000.00");
        assert_eq!(
            amount("Per household", 3_000, true).line(en),
            "Per household Up to ¥3,000.00"
        );
        assert_eq!(amount("", 800, false).line(en), "¥800.00");
        assert_eq!(
            amounts_line(
                &[
                    amount("本科每人", 5_000, false),
                    amount("最高", 8_000, true)
                ],
                zh
            ),
            "本科每人 ¥5,000.00；最高 ¥8,000.00"
        );
    }
}
