//! Aid programs as stored: texts in both languages, the application window and the amounts.
use contract::aid::{AidAmount, AidKind, AidProgram, SchoolLevel};

use super::undecodable;
use crate::db::Db;
use crate::lang::Lang;

#[derive(sqlx::FromRow)]
struct ProgramRow {
    id: String,
    kind: String,
    name_zh: String,
    name_en: String,
    summary_zh: String,
    summary_en: String,
    rules_zh: String,
    rules_en: String,
    documents_zh: String,
    documents_en: String,
    opens_on: String,
    closes_on: String,
}

#[derive(sqlx::FromRow)]
struct AmountRow {
    label_zh: String,
    label_en: String,
    amount_fen: i64,
    school_level: Option<String>,
    up_to: i64,
}

/// One amount a program pays: fixed, per school level, or a ceiling (`up_to`).
struct Amount {
    label_zh: String,
    label_en: String,
    fen: i64,
    level: Option<SchoolLevel>,
    up_to: bool,
}

/// A program as stored, with its amounts.
pub struct StoredProgram {
    pub kind: AidKind,
    row: ProgramRow,
    amounts: Vec<Amount>,
}

impl StoredProgram {
    pub fn name(&self, lang: Lang) -> String {
        lang.pick(&self.row.name_zh, &self.row.name_en).to_owned()
    }

    /// Whether `today` (`YYYY-MM-DD`, China time) is inside the application window.
    pub fn is_open(&self, today: &str) -> bool {
        self.row.opens_on.as_str() <= today && today <= self.row.closes_on.as_str()
    }

    /// What an application of this program pays: fixed or per level, else the ceiling.
    pub fn expected_fen(&self, level: Option<SchoolLevel>) -> Option<i64> {
        let by_level = self
            .amounts
            .iter()
            .find(|a| a.level.is_some() && a.level == level);
        let general = self.amounts.iter().find(|a| a.level.is_none());
        by_level.or(general).map(|a| a.fen)
    }

    /// The program as the contract shows it, in `lang`.
    pub fn describe(&self, lang: Lang, today: &str) -> AidProgram {
        let r = &self.row;
        let lines = |zh: &str, en: &str| {
            lang.pick(zh, en)
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        AidProgram {
            id: r.id.clone(),
            kind: self.kind,
            name: self.name(lang),
            summary: lang.pick(&r.summary_zh, &r.summary_en).to_owned(),
            eligibility_rules: lines(&r.rules_zh, &r.rules_en),
            required_documents: lines(&r.documents_zh, &r.documents_en),
            amounts: self
                .amounts
                .iter()
                .map(|a| AidAmount {
                    label: lang.pick(&a.label_zh, &a.label_en).to_owned(),
                    amount_fen: a.fen,
                    level: a.level,
                    up_to: a.up_to,
                })
                .collect(),
            open: self.is_open(today),
            opens_on: r.opens_on.clone(),
            closes_on: r.closes_on.clone(),
        }
    }
}

/// Every program's id, in display order.
pub async fn ids(db: &Db) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT id FROM aid_programs ORDER BY sort_order, id")
        .fetch_all(db)
        .await
}

/// One program with its amounts.
pub async fn load(db: &Db, id: &str) -> sqlx::Result<Option<StoredProgram>> {
    let row: Option<ProgramRow> = sqlx::query_as(
        "SELECT id, kind, name_zh, name_en, summary_zh, summary_en, rules_zh, rules_en,
            documents_zh, documents_en, opens_on, closes_on
         FROM aid_programs WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let kind = AidKind::parse(&row.kind).ok_or_else(|| undecodable("kind", &row.kind))?;
    let amounts: Vec<AmountRow> = sqlx::query_as(
        "SELECT label_zh, label_en, amount_fen, school_level, up_to FROM aid_program_amounts
         WHERE program_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    Ok(Some(StoredProgram {
        kind,
        row,
        amounts: amounts
            .into_iter()
            .map(|a| Amount {
                level: a.school_level.as_deref().and_then(SchoolLevel::parse),
                label_zh: a.label_zh,
                label_en: a.label_en,
                fen: a.amount_fen,
                up_to: a.up_to != 0,
            })
            .collect(),
    }))
}
