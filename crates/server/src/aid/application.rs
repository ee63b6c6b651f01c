//! Applications: created once per idempotency key, read back in full (ID numbers masked) or
//! as summaries, and moved on by the member (supplement, withdraw).
use contract::aid::{
    AidApplication, AidApplicationSummary, AidEvent, AidKind, AidStatus, AidTransition,
    FieldProblem, HouseholdMember, HouseholdMemberInput, Illness, NewAidApplication, Relation,
    SchoolLevel, Schooling,
};
use contract::mask;
use contract::validate::ResidentId;
use sqlx::{Any, Transaction};

use super::{attachment, event, program, status_list, undecodable};
use crate::clock::rfc3339;
use crate::db::Db;
use crate::lang::Lang;

fn parse_status(value: &str) -> sqlx::Result<AidStatus> {
    AidStatus::parse(value).ok_or_else(|| undecodable("status", value))
}

fn parse_kind(value: &str) -> sqlx::Result<AidKind> {
    AidKind::parse(value).ok_or_else(|| undecodable("kind", value))
}

/// An application as stored.
#[derive(sqlx::FromRow)]
struct ApplicationRow {
    program_id: String,
    status: String,
    household_monthly_income_fen: i64,
    hardship: String,
    student_name: Option<String>,
    school_level: Option<String>,
    school: Option<String>,
    enrolment_year: Option<i64>,
    patient_name: Option<String>,
    diagnosis: Option<String>,
    hospital: Option<String>,
    out_of_pocket_fen: Option<i64>,
    approved_fen: Option<i64>,
    paid_on: Option<String>,
    paid_to_card: Option<String>,
    submitted_at: i64,
    updated_at: i64,
}

/// One person of the household as stored (the full ID number stays here).
#[derive(sqlx::FromRow)]
struct HouseholdRow {
    name: String,
    relation: String,
    resident_id: String,
    occupation: String,
}

/// The member's application in full, in `lang`; another member's is not found.
pub async fn load(
    db: &Db,
    lang: Lang,
    member_id: &str,
    id: &str,
) -> sqlx::Result<Option<AidApplication>> {
    let row: Option<ApplicationRow> = sqlx::query_as(
        "SELECT program_id, status, household_monthly_income_fen, hardship, student_name, school_level,
            school, enrolment_year, patient_name, diagnosis, hospital, out_of_pocket_fen, approved_fen,
            paid_on, paid_to_card, submitted_at, updated_at
         FROM aid_applications WHERE id = $1 AND member_id = $2",
    )
    .bind(id)
    .bind(member_id)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let program = program::load(db, &row.program_id)
        .await?
        .ok_or_else(|| undecodable("program of application", id))?;
    let status = parse_status(&row.status)?;
    let household: Vec<HouseholdRow> = sqlx::query_as(
        "SELECT name, relation, resident_id, occupation FROM aid_household_members
         WHERE application_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    let attachments = attachment::of_application(db, id).await?;
    let events = event::of_application(db, id).await?;
    let latest_note = |wanted: AidStatus| {
        events
            .iter()
            .rev()
            .find(|e| e.status == wanted.as_str())
            .and_then(|e| e.note.clone())
    };
    let info_requested =
        (status == AidStatus::MoreInfoNeeded).then(|| latest_note(AidStatus::MoreInfoNeeded));
    let rejection_reason =
        (status == AidStatus::Rejected).then(|| latest_note(AidStatus::Rejected));
    let history = events
        .iter()
        .map(|e| {
            Ok(AidEvent {
                status: e.status()?,
                at: rfc3339(e.at),
                actor: e.actor(),
                note: e.note.clone(),
                amount_fen: e.amount_fen,
                attachments_added: attachments.iter().filter(|a| a.event_id == e.id).count() as u32,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
    let level = row.school_level.as_deref().and_then(SchoolLevel::parse);
    let schooling = match (row.student_name, level, row.school) {
        (Some(student_name), Some(level), Some(school)) => Some(Schooling {
            student_name,
            level,
            school,
            enrolment_year: row.enrolment_year.unwrap_or(0) as u16,
        }),
        _ => None,
    };
    let illness = match (row.patient_name, row.diagnosis, row.hospital) {
        (Some(patient_name), Some(diagnosis), Some(hospital)) => Some(Illness {
            patient_name,
            diagnosis,
            hospital,
            out_of_pocket_fen: row.out_of_pocket_fen.unwrap_or(0),
        }),
        _ => None,
    };
    Ok(Some(AidApplication {
        id: id.to_owned(),
        program_name: program.name(lang),
        kind: program.kind,
        expected_fen: program.expected_fen(level),
        program_id: row.program_id,
        status,
        submitted_at: rfc3339(row.submitted_at),
        updated_at: rfc3339(row.updated_at),
        household: household
            .into_iter()
            .map(|person| HouseholdMember {
                relation: Relation::parse(&person.relation).unwrap_or(Relation::Other),
                id_number_masked: mask::resident_id(&person.resident_id),
                name: person.name,
                occupation: person.occupation,
            })
            .collect(),
        household_monthly_income_fen: row.household_monthly_income_fen,
        hardship: row.hardship,
        schooling,
        illness,
        attachments: attachments
            .into_iter()
            .map(attachment::LinkedAttachment::describe)
            .collect(),
        approved_fen: row.approved_fen,
        paid_on: row.paid_on,
        paid_to_card_masked: row.paid_to_card.as_deref().map(mask::card_number),
        info_requested: info_requested.flatten(),
        rejection_reason: rejection_reason.flatten(),
        can_withdraw: AidTransition::Withdraw.allowed_from(status),
        can_supplement: AidTransition::Supplement.allowed_from(status),
        history,
    }))
}

/// One line of the member's list of applications.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    program_id: String,
    kind: String,
    name_zh: String,
    name_en: String,
    status: String,
    submitted_at: i64,
    updated_at: i64,
    approved_fen: Option<i64>,
}

/// The member's applications, newest first.
pub async fn summaries(
    db: &Db,
    lang: Lang,
    member_id: &str,
) -> sqlx::Result<Vec<AidApplicationSummary>> {
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT a.id, p.id AS program_id, p.kind, p.name_zh, p.name_en, a.status, a.submitted_at,
            a.updated_at, a.approved_fen
         FROM aid_applications a JOIN aid_programs p ON p.id = a.program_id
         WHERE a.member_id = $1 ORDER BY a.submitted_at DESC, a.id DESC",
    )
    .bind(member_id)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(AidApplicationSummary {
                program_name: lang.pick(&row.name_zh, &row.name_en).to_owned(),
                kind: parse_kind(&row.kind)?,
                status: parse_status(&row.status)?,
                submitted_at: rfc3339(row.submitted_at),
                updated_at: rfc3339(row.updated_at),
                approved_fen: row.approved_fen,
                id: row.id,
                program_id: row.program_id,
            })
        })
        .collect()
}

/// The application a member created under an idempotency key, and the hash of its body.
#[derive(sqlx::FromRow)]
pub struct Keyed {
    pub id: String,
    pub request_hash: String,
}

pub async fn by_key(db: &Db, member_id: &str, key: &str) -> sqlx::Result<Option<Keyed>> {
    sqlx::query_as(
        "SELECT id, request_hash FROM aid_applications WHERE member_id = $1 AND idempotency_key = $2",
    )
    .bind(member_id)
    .bind(key)
    .fetch_optional(db)
    .await
}

/// The applicant's own household rows whose ID number is not the member's on file. Compared
/// here, so the full number on file never leaves the server.
pub async fn not_own_ids(
    db: &Db,
    member_id: &str,
    household: &[HouseholdMemberInput],
) -> sqlx::Result<Vec<FieldProblem>> {
    let on_file: Option<String> =
        sqlx::query_scalar("SELECT resident_id FROM members WHERE id = $1")
            .bind(member_id)
            .fetch_optional(db)
            .await?;
    let on_file = on_file.unwrap_or_default();
    Ok(contract::aid::foreign_applicant_ids(household, |id| {
        id.as_str().eq_ignore_ascii_case(on_file.trim())
    }))
}

/// Who submits, under which key, and when.
pub struct Submission<'a> {
    pub id: &'a str,
    pub member_id: &'a str,
    pub key: &'a str,
    pub request_hash: &'a str,
    pub now: i64,
}

/// Inserts the application row. Written first in its transaction: it takes SQLite's write
/// lock, and the unique (member, key) and one-live-application-per-program constraints
/// decide every race (the caller tells them apart with `db::is_unique_violation`).
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    submission: &Submission<'_>,
    request: &NewAidApplication,
) -> sqlx::Result<()> {
    let schooling = request.schooling.as_ref();
    let illness = request.illness.as_ref();
    sqlx::query(
        "INSERT INTO aid_applications (id, member_id, program_id, idempotency_key, request_hash, status,
            household_monthly_income_fen, hardship, student_name, school_level, school, enrolment_year,
            patient_name, diagnosis, hospital, out_of_pocket_fen, declared_at, submitted_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'submitted', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $16)",
    )
    .bind(submission.id)
    .bind(submission.member_id)
    .bind(&request.program_id)
    .bind(submission.key)
    .bind(submission.request_hash)
    .bind(request.household_monthly_income_fen)
    .bind(request.hardship.trim())
    .bind(schooling.map(|s| s.student_name.trim().to_owned()))
    .bind(schooling.map(|s| s.level.as_str()))
    .bind(schooling.map(|s| s.school.trim().to_owned()))
    .bind(schooling.map(|s| i64::from(s.enrolment_year)))
    .bind(illness.map(|i| i.patient_name.trim().to_owned()))
    .bind(illness.map(|i| i.diagnosis.trim().to_owned()))
    .bind(illness.map(|i| i.hospital.trim().to_owned()))
    .bind(illness.map(|i| i.out_of_pocket_fen))
    .bind(submission.now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Inserts the household, in the order given. The ID numbers were validated with the body.
pub async fn insert_household(
    tx: &mut Transaction<'_, Any>,
    application_id: &str,
    household: &[HouseholdMemberInput],
) -> sqlx::Result<()> {
    for (position, person) in household.iter().enumerate() {
        let resident_id = ResidentId::parse(&person.resident_id)
            .map_err(|_| undecodable("validated resident ID", "(not shown)"))?;
        sqlx::query(
            "INSERT INTO aid_household_members (application_id, position, name, relation, resident_id, occupation)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(application_id)
        .bind(position as i64)
        .bind(person.name.trim())
        .bind(person.relation.as_str())
        .bind(resident_id.as_str())
        .bind(person.occupation.trim())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Makes the member's `transition` if the application is in one of the states it starts
/// from; false when it is not (or is not the member's).
pub async fn member_moves(
    tx: &mut Transaction<'_, Any>,
    member_id: &str,
    id: &str,
    transition: AidTransition,
    now: i64,
) -> sqlx::Result<bool> {
    let sql = format!(
        "UPDATE aid_applications SET status = $1, updated_at = $2
         WHERE id = $3 AND member_id = $4 AND status IN ({})",
        status_list(transition.from())
    );
    let changed = sqlx::query(&sql)
        .bind(transition.to().as_str())
        .bind(now)
        .bind(id)
        .bind(member_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(changed == 1)
}
