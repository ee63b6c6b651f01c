//! Hardship aid: programs, eligibility, supporting documents (type sniffed from the bytes,
//! stored in the database, served to their owner only) and applications submitted with an
//! idempotency key, then supplemented or withdrawn by the member.
use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use contract::aid::{
    AidActor, AidAmount, AidApplication, AidApplicationSummary, AidEvent, AidKind, AidProgram,
    AidStatus, AidSupplement, Attachment, Eligibility, FieldProblem, HouseholdMember,
    HouseholdMemberInput, IDEMPOTENCY_KEY_HEADER, IneligibleReason, MAX_ATTACHMENT_BYTES,
    MAX_UPLOADS_PER_DAY, NewAidApplication, Relation, SchoolLevel, Schooling,
};
use contract::error::ErrorEnvelope;
use contract::mask;
use http_body_util::BodyExt;
use sqlx::{Any, Transaction};

use crate::AppState;
use crate::clock::rfc3339;
use crate::crypto::{new_id, sha256_hex};
use crate::db::{Db, is_unique_violation};
use crate::error::ApiError;
use crate::extract::{AppJson, CurrentMember, Lang};
use crate::http::problem::{Failure, Outcome, Refusal, china_date};
use crate::notify::{self, Message};

/// The hardship-aid part of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        programs,
        program,
        eligibility,
        upload,
        download,
        submit,
        applications,
        application,
        supplement,
        withdraw
    ),
    tags((name = "aid", description = "Hardship aid: programs, eligibility, documents, applications")),
)]
pub struct AidApi;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/aid/programs", get(programs))
        .route("/aid/programs/{id}", get(program))
        .route("/aid/programs/{id}/eligibility", get(eligibility))
        .route("/aid/attachments", post(upload))
        .route("/aid/attachments/{id}", get(download))
        .route("/aid/applications", get(applications).post(submit))
        .route("/aid/applications/{id}", get(application))
        .route("/aid/applications/{id}/supplement", post(supplement))
        .route("/aid/applications/{id}/withdraw", post(withdraw))
}

// ---------------------------------------------------------------------------------------------
// Programs and eligibility

type ProgramRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

/// A program as stored, with its amounts.
pub(crate) struct StoredProgram {
    pub kind: AidKind,
    row: ProgramRow,
    amounts: Vec<(String, String, i64, Option<SchoolLevel>, bool)>,
}

impl StoredProgram {
    pub fn name(&self, lang: Lang) -> String {
        lang.pick(&self.row.2, &self.row.3).to_owned()
    }

    fn window(&self) -> (&str, &str) {
        (&self.row.10, &self.row.11)
    }

    /// What an application of this program pays: fixed or per level, else the ceiling.
    pub fn expected_fen(&self, level: Option<SchoolLevel>) -> Option<i64> {
        let by_level = self
            .amounts
            .iter()
            .find(|(.., l, _)| l.is_some() && *l == level);
        let general = self.amounts.iter().find(|(.., l, _)| l.is_none());
        by_level.or(general).map(|(_, _, fen, ..)| *fen)
    }

    fn describe(&self, lang: Lang, today: &str) -> AidProgram {
        let r = &self.row;
        let lines = |zh: &str, en: &str| {
            lang.pick(zh, en)
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        let (opens_on, closes_on) = self.window();
        AidProgram {
            id: r.0.clone(),
            kind: self.kind,
            name: self.name(lang),
            summary: lang.pick(&r.4, &r.5).to_owned(),
            eligibility_rules: lines(&r.6, &r.7),
            required_documents: lines(&r.8, &r.9),
            amounts: self
                .amounts
                .iter()
                .map(|(zh, en, fen, level, up_to)| AidAmount {
                    label: lang.pick(zh, en).to_owned(),
                    amount_fen: *fen,
                    level: *level,
                    up_to: *up_to,
                })
                .collect(),
            open: opens_on <= today && today <= closes_on,
            opens_on: opens_on.to_owned(),
            closes_on: closes_on.to_owned(),
        }
    }
}

pub(crate) async fn load_program(db: &Db, id: &str) -> Result<Option<StoredProgram>, ApiError> {
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
    let kind = AidKind::parse(&row.1)
        .ok_or_else(|| ApiError::Internal(format!("bad aid kind {}", row.1)))?;
    let amounts: Vec<(String, String, i64, Option<String>, i64)> = sqlx::query_as(
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
            .map(|(zh, en, fen, level, up_to)| {
                (
                    zh,
                    en,
                    fen,
                    level.as_deref().and_then(SchoolLevel::parse),
                    up_to != 0,
                )
            })
            .collect(),
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/aid/programs",
    tag = "aid",
    summary = "Hardship-aid programs: rules, documents, amounts and application window.",
    responses((status = 200, description = "Programs", body = Vec<AidProgram>)),
)]
async fn programs(State(state): State<AppState>, lang: Lang) -> Outcome<Json<Vec<AidProgram>>> {
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM aid_programs ORDER BY sort_order, id")
            .fetch_all(&state.db)
            .await?;
    let today = china_date(state.clock.now());
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(program) = load_program(&state.db, &id).await? {
            out.push(program.describe(lang, &today));
        }
    }
    Ok(Json(out))
}

#[utoipa::path(
    get,
    path = "/api/v1/aid/programs/{id}",
    tag = "aid",
    summary = "One program.",
    params(("id" = String, Path, description = "Program id")),
    responses(
        (status = 200, description = "Program", body = AidProgram),
        (status = 404, description = "No such program", body = ErrorEnvelope),
    ),
)]
async fn program(
    State(state): State<AppState>,
    lang: Lang,
    Path(id): Path<String>,
) -> Outcome<Json<AidProgram>> {
    let program = load_program(&state.db, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(program.describe(lang, &china_date(state.clock.now()))))
}

/// Why `member_id` cannot apply to `program` today (empty when they can), and the live
/// application that is in the way, if any.
async fn assess(
    state: &AppState,
    member_id: &str,
    program_id: &str,
    program: &StoredProgram,
) -> Result<(Vec<IneligibleReason>, Option<String>), ApiError> {
    let today = china_date(state.clock.now());
    let mut reasons = Vec::new();
    let (opens_on, closes_on) = program.window();
    if today.as_str() < opens_on || today.as_str() > closes_on {
        reasons.push(IneligibleReason::WindowClosed);
    }
    let standing: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT m.membership_status, c.status FROM members m LEFT JOIN cards c ON c.member_id = m.id
         WHERE m.id = $1",
    )
    .bind(member_id)
    .fetch_optional(&state.db)
    .await?;
    let (membership, card) = standing.unwrap_or_default();
    if membership == "lapsed" {
        reasons.push(IneligibleReason::MembershipLapsed);
    }
    if card.as_deref() != Some("active") {
        reasons.push(IneligibleReason::CardNotActive);
    }
    let existing: Option<String> = sqlx::query_scalar(
        "SELECT id FROM aid_applications WHERE member_id = $1 AND program_id = $2
            AND status <> 'withdrawn' AND status <> 'rejected'",
    )
    .bind(member_id)
    .bind(program_id)
    .fetch_optional(&state.db)
    .await?;
    if existing.is_some() {
        reasons.push(IneligibleReason::AlreadyApplied);
    }
    Ok((reasons, existing))
}

#[utoipa::path(
    get,
    path = "/api/v1/aid/programs/{id}/eligibility",
    tag = "aid",
    summary = "Whether the member may apply now, and every reason why not.",
    params(("id" = String, Path, description = "Program id")),
    responses(
        (status = 200, description = "Eligibility", body = Eligibility),
        (status = 404, description = "No such program", body = ErrorEnvelope),
    ),
    security(("session" = [])),
)]
async fn eligibility(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<String>,
) -> Outcome<Json<Eligibility>> {
    let program = load_program(&state.db, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let (reasons, existing) = assess(&state, &member.member_id, &id, &program).await?;
    Ok(Json(Eligibility {
        program_id: id,
        eligible: reasons.is_empty(),
        reasons,
        existing_application_id: existing,
    }))
}

/// The refusal for the first reason a member cannot apply.
fn ineligible(reason: IneligibleReason) -> Refusal {
    match reason {
        IneligibleReason::WindowClosed => Refusal::conflict(
            "window_closed",
            "该项目当前不在申请时间内。",
            "This program is not accepting applications now.",
        ),
        IneligibleReason::MembershipLapsed => Refusal::conflict(
            "membership_lapsed",
            "您的会籍已失效，请先联系所在工会办理会籍续期。",
            "Your membership has lapsed. Ask your union to renew it first.",
        ),
        IneligibleReason::CardNotActive => Refusal::card_not_active(),
        IneligibleReason::AlreadyApplied => Refusal::conflict(
            "already_applied",
            "您已提交过该项目的申请，请在“我的申请”中查看进度。",
            "You have already applied to this program; follow it under My applications.",
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Attachments

/// Uploads beyond this many bytes are read and discarded before answering 413, so the client
/// sees the answer instead of a reset connection; beyond it the connection is simply closed.
const DRAIN_LIMIT: usize = 4 * MAX_ATTACHMENT_BYTES;

/// The type the bytes say they are: JPEG, PNG or PDF, nothing else.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// The type a file name's extension claims, if it has an extension at all.
fn type_of_name(filename: &str) -> Option<Option<&'static str>> {
    let (_, extension) = filename.rsplit_once('.')?;
    Some(match extension.to_ascii_lowercase().as_str() {
        "jpg" | "jpeg" | "jpe" => Some("image/jpeg"),
        "png" => Some("image/png"),
        "pdf" => Some("application/pdf"),
        _ => None,
    })
}

/// The type a `Content-Type` header claims; none for absent or generic ones.
fn type_of_header(value: Option<&str>) -> Option<String> {
    let essence = value?.split(';').next()?.trim().to_ascii_lowercase();
    match essence.as_str() {
        "" | "application/octet-stream" | "binary/octet-stream" => None,
        "image/jpg" | "image/pjpeg" => Some("image/jpeg".to_owned()),
        _ => Some(essence),
    }
}

/// The last path segment, without control characters, at most 100 characters.
fn clean_filename(raw: Option<&str>, content_type: &str) -> String {
    let base = raw
        .unwrap_or("")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(100)
        .collect::<String>();
    let base = base.trim();
    if base.is_empty() || base.chars().all(|c| c == '.') {
        let extension = match content_type {
            "image/jpeg" => "jpg",
            "image/png" => "png",
            _ => "pdf",
        };
        format!("attachment.{extension}")
    } else {
        base.to_owned()
    }
}

fn unsupported_type(zh: &str, en: &str) -> Refusal {
    Refusal::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_file_type",
        zh,
        en,
    )
}

fn too_large() -> Refusal {
    Refusal::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "文件过大，单个文件不能超过 5 MB，请压缩后重新上传。",
        "The file is too large: at most 5 MB per file. Please shrink it and upload again.",
    )
}

/// Reads the whole body, refusing (after draining a bounded amount) anything over the limit.
async fn read_limited(body: Body, declared: Option<usize>) -> Result<Vec<u8>, Refusal> {
    let mut body = body;
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0).min(MAX_ATTACHMENT_BYTES));
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| {
            Refusal::new(
                StatusCode::BAD_REQUEST,
                "bad_request",
                "上传中断，请重试。",
                "The upload was interrupted; please try again.",
            )
        })?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen += data.len();
        if seen > DRAIN_LIMIT {
            break;
        }
        if seen <= MAX_ATTACHMENT_BYTES {
            bytes.extend_from_slice(&data);
        }
    }
    if seen > MAX_ATTACHMENT_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// The upload body in the OpenAPI document: the file's raw bytes, a binary string.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
struct FileBytes(Vec<u8>);

#[utoipa::path(
    post,
    path = "/api/v1/aid/attachments",
    tag = "aid",
    summary = "Upload a supporting document: the body is the file (at most 5 MiB); JPEG, PNG or PDF judged by its bytes.",
    params(("filename" = Option<String>, Query, description = "The file's name, e.g. `证明.jpg`")),
    request_body(content = FileBytes, content_type = "application/octet-stream", description = "The file's bytes. A `Content-Type` or file extension that disagrees with them is refused."),
    responses(
        (status = 201, description = "Stored", body = Attachment),
        (status = 413, description = "Larger than 5 MiB (`payload_too_large`)", body = ErrorEnvelope),
        (status = 415, description = "Not a JPEG, PNG or PDF, or not what its name or type claims (`unsupported_file_type`)", body = ErrorEnvelope),
        (status = 422, description = "Empty (`empty_file`)", body = ErrorEnvelope),
        (status = 429, description = "Too many uploads in 24 hours (`too_many_uploads`)", body = ErrorEnvelope),
        (status = 503, description = "The document store cannot be reached (`storage_unavailable`)", body = ErrorEnvelope),
    ),
    security(("session" = [], "csrf" = [])),
)]
/// `POST /aid/attachments?filename=…`: the body is the file itself.
async fn upload(
    State(state): State<AppState>,
    member: CurrentMember,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Body,
) -> Outcome<(StatusCode, Json<Attachment>)> {
    let declared_length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let bytes = read_limited(body, declared_length).await?;
    let now = state.clock.now();
    if bytes.is_empty() {
        return Err(Refusal::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty_file",
            "文件是空的，请重新选择。",
            "The file is empty; please choose it again.",
        )
        .into());
    }
    let Some(content_type) = sniff(&bytes) else {
        return Err(unsupported_type(
            "只能上传 JPG、PNG 图片或 PDF 文件（按文件内容识别，改文件名无效）。",
            "Only JPG or PNG images and PDF files can be uploaded (judged by the file's content, not its name).",
        )
        .into());
    };
    let raw_name = query.get("filename").map(String::as_str);
    let declared_by_header = type_of_header(
        headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
    );
    let declared_by_name = raw_name.and_then(type_of_name);
    let header_disagrees = declared_by_header.is_some_and(|t| t != content_type);
    let name_disagrees = declared_by_name.is_some_and(|t| t != Some(content_type));
    if header_disagrees || name_disagrees {
        return Err(unsupported_type(
            "文件内容与文件名或声明的类型不符，请上传真实的 JPG、PNG 图片或 PDF 文件。",
            "The file's content does not match its name or declared type. Upload a genuine JPG, PNG or PDF file.",
        )
        .into());
    }
    let filename = clean_filename(raw_name, content_type);
    let id = new_id("att");
    let digest = {
        use sha2::Digest;
        sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let size = bytes.len();
    // Refuse a member over the daily cap before sending the bytes anywhere; the locked count
    // below is the one that holds under concurrency.
    if uploads_today(&state.db, &member.member_id, now).await? >= MAX_UPLOADS_PER_DAY {
        return Err(too_many_uploads().into());
    }
    // The bytes first, outside the transaction (an object store is a network call, and the
    // database store must not wait on the lock this transaction holds); undone if the row
    // is not recorded.
    let store = state.documents.primary();
    let key = crate::documents::aid_key(&id);
    store
        .put(&key, content_type, bytes)
        .await
        .map_err(storage_unavailable)?;
    let recorded = record_upload(
        &state,
        &member.member_id,
        NewUpload {
            id: &id,
            filename: &filename,
            content_type,
            size,
            digest: &digest,
            now,
            stored_in: store.name(),
        },
    )
    .await;
    if let Err(failure) = recorded {
        if let Err(error) = store.delete(&key).await {
            tracing::warn!(%key, %error, "bytes of an unrecorded upload could not be deleted");
        }
        return Err(failure);
    }
    Ok((
        StatusCode::CREATED,
        Json(Attachment {
            id,
            filename,
            content_type: content_type.to_owned(),
            size_bytes: size as u64,
            uploaded_at: rfc3339(now),
        }),
    ))
}

/// A stored upload's metadata, recorded once its bytes are in the store.
struct NewUpload<'a> {
    id: &'a str,
    filename: &'a str,
    content_type: &'a str,
    size: usize,
    digest: &'a str,
    now: i64,
    stored_in: &'static str,
}

/// Records an upload under the daily cap: the member's limit row is locked first, so
/// concurrent uploads count and insert one after another and the 41st of a burst sees the 40
/// before it.
async fn record_upload(state: &AppState, member_id: &str, upload: NewUpload<'_>) -> Outcome<()> {
    let mut tx = state.db.begin().await?;
    crate::throttle::lock(&mut tx, "upload:member", member_id, upload.now).await?;
    if uploads_today(&mut *tx, member_id, upload.now).await? >= MAX_UPLOADS_PER_DAY {
        return Err(too_many_uploads().into());
    }
    sqlx::query(
        "INSERT INTO aid_attachments (id, member_id, filename, content_type, size_bytes, sha256, uploaded_at, stored_in)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(upload.id)
    .bind(member_id)
    .bind(upload.filename)
    .bind(upload.content_type)
    .bind(upload.size as i64)
    .bind(upload.digest)
    .bind(upload.now)
    .bind(upload.stored_in)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The member's uploads in the 24 hours before `now`.
async fn uploads_today<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    member_id: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM aid_attachments WHERE member_id = $1 AND uploaded_at > $2",
    )
    .bind(member_id)
    .bind(now - 86_400)
    .fetch_one(executor)
    .await
}

fn too_many_uploads() -> Refusal {
    Refusal::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_uploads",
        "今天上传的材料已达上限，请明天再试或联系所在工会。",
        "You have uploaded the most documents allowed today. Try again tomorrow or contact your union.",
    )
}

/// 503 when the document store cannot be reached; the detail is logged, not shown.
fn storage_unavailable(error: crate::documents::StoreError) -> Refusal {
    tracing::error!(%error, "document store failed");
    Refusal::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "storage_unavailable",
        "材料存储暂时不可用，请稍后再试。",
        "Documents cannot be stored or fetched right now. Please try again in a few minutes.",
    )
}

#[utoipa::path(
    get,
    path = "/api/v1/aid/attachments/{id}",
    tag = "aid",
    summary = "Download one of the member's own documents.",
    params(("id" = String, Path, description = "Attachment id")),
    responses(
        (status = 200, description = "The file, with its sniffed `Content-Type`", content_type = "application/octet-stream"),
        (status = 404, description = "Not found (or another member's)", body = ErrorEnvelope),
        (status = 503, description = "The document store cannot be reached (`storage_unavailable`)", body = ErrorEnvelope),
    ),
    security(("session" = [])),
)]
/// The file, to its owner only; anyone else is told it does not exist.
async fn download(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<String>,
) -> Outcome<Response> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT filename, content_type, stored_in FROM aid_attachments WHERE id = $1 AND member_id = $2",
    )
    .bind(&id)
    .bind(&member.member_id)
    .fetch_optional(&state.db)
    .await?;
    let (filename, content_type, stored_in) = row.ok_or(ApiError::NotFound)?;
    let key = crate::documents::aid_key(&id);
    let store = state.documents.holding(&stored_in).ok_or_else(|| {
        ApiError::Internal(format!(
            "{key} is in the {stored_in} store, which is not configured"
        ))
    })?;
    let content = store
        .get(&key)
        .await
        .map_err(storage_unavailable)?
        .ok_or_else(|| {
            ApiError::Internal(format!("{key} is missing from the {stored_in} store"))
        })?;
    let mut response = content.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&content_disposition(&filename)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

/// `inline` with an ASCII fallback name and the UTF-8 name percent-encoded (RFC 6266).
fn content_disposition(filename: &str) -> String {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"._-".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("inline; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The attachments (of all `ids`) that `member_id` does not own, as field problems.
async fn foreign_attachments(
    state: &AppState,
    member_id: &str,
    ids: &[String],
) -> Result<Vec<FieldProblem>, ApiError> {
    let mut problems = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let owned: Option<String> =
            sqlx::query_scalar("SELECT id FROM aid_attachments WHERE id = $1 AND member_id = $2")
                .bind(id)
                .bind(member_id)
                .fetch_optional(&state.db)
                .await?;
        if owned.is_none() {
            problems.push(FieldProblem {
                field: format!("attachment_ids[{i}]"),
                code: "attachment_not_found",
            });
        }
    }
    Ok(problems)
}

/// The applicant's own household rows whose ID number is not the member's on file. Compared
/// here, so the full number on file never leaves the server.
async fn not_own_ids(
    state: &AppState,
    member_id: &str,
    household: &[HouseholdMemberInput],
) -> Result<Vec<FieldProblem>, ApiError> {
    let on_file: Option<String> =
        sqlx::query_scalar("SELECT resident_id FROM members WHERE id = $1")
            .bind(member_id)
            .fetch_optional(&state.db)
            .await?;
    let on_file = on_file.unwrap_or_default();
    Ok(contract::aid::foreign_applicant_ids(household, |id| {
        id.as_str().eq_ignore_ascii_case(on_file.trim())
    }))
}

// ---------------------------------------------------------------------------------------------
// Applications

fn idempotency_key(headers: &HeaderMap) -> Result<String, Refusal> {
    let key = headers
        .get(IDEMPOTENCY_KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or("");
    let valid = (1..=128).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic());
    if valid {
        Ok(key.to_owned())
    } else {
        Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "idempotency_key_required",
            "提交申请需要附带 Idempotency-Key 请求头（1–128 个可见 ASCII 字符）。",
            "Submitting an application needs an Idempotency-Key header (1–128 visible ASCII characters).",
        ))
    }
}

/// The application stored under this member's key: the same body gets it back, another body
/// is refused.
async fn replay(
    state: &AppState,
    lang: Lang,
    member_id: &str,
    key: &str,
    request_hash: &str,
) -> Result<Option<AidApplication>, Failure> {
    let stored: Option<(String, String)> = sqlx::query_as(
        "SELECT id, request_hash FROM aid_applications WHERE member_id = $1 AND idempotency_key = $2",
    )
    .bind(member_id)
    .bind(key)
    .fetch_optional(&state.db)
    .await?;
    let Some((id, stored_hash)) = stored else {
        return Ok(None);
    };
    if stored_hash != request_hash {
        return Err(Refusal::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "该 Idempotency-Key 已用于另一份不同的申请，请为新申请使用新的标识。",
            "This Idempotency-Key was already used for a different application; use a new key for a new application.",
        )
        .into());
    }
    Ok(Some(load_application(state, lang, member_id, &id).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/aid/applications",
    tag = "aid",
    summary = "Submit an application. Retrying with the same `Idempotency-Key` and body returns the same application (200), never a second one.",
    params(("Idempotency-Key" = String, Header, description = "A client-chosen key per application (1–128 visible ASCII characters)")),
    request_body = NewAidApplication,
    responses(
        (status = 201, description = "Created", body = AidApplication),
        (status = 200, description = "A retry: the application this key created", body = AidApplication),
        (status = 400, description = "Missing or malformed key (`idempotency_key_required`)", body = ErrorEnvelope),
        (status = 409, description = "`window_closed`, `membership_lapsed`, `card_not_active` or `already_applied`", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed` with `fields` (among them `not_own_id` on the applicant's own `household[i].resident_id` when it is not the member's ID number on file), `invalid_body`, or `idempotency_key_reused` (same key, other body)", body = ErrorEnvelope),
    ),
    security(("session" = [], "csrf" = [])),
)]
/// Submits an application. A retry with the same key and body answers 200 with the
/// application the first request created (201); never a second one.
async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    member: CurrentMember,
    headers: HeaderMap,
    AppJson(request): AppJson<NewAidApplication>,
) -> Outcome<Response> {
    let key = idempotency_key(&headers)?;
    let canonical = serde_json::to_string(&request)
        .map_err(|e| ApiError::Internal(format!("cannot serialise application: {e}")))?;
    let request_hash = sha256_hex(&canonical);
    let member_id = member.member_id.as_str();
    if let Some(existing) = replay(&state, lang, member_id, &key, &request_hash).await? {
        return Ok((StatusCode::OK, Json(existing)).into_response());
    }

    let Some(program) = load_program(&state.db, &request.program_id).await? else {
        return Err(Refusal::invalid_field("program_id", "unknown_program").into());
    };
    let mut problems = request.problems(program.kind);
    problems.extend(foreign_attachments(&state, member_id, &request.attachment_ids).await?);
    problems.extend(not_own_ids(&state, member_id, &request.household).await?);
    if !problems.is_empty() {
        return Err(Refusal::invalid(problems).into());
    }
    let (reasons, _) = assess(&state, member_id, &request.program_id, &program).await?;
    if let Some(reason) = reasons.first() {
        // A concurrent retry with this key may have just created the application in the way.
        if let Some(existing) = replay(&state, lang, member_id, &key, &request_hash).await? {
            return Ok((StatusCode::OK, Json(existing)).into_response());
        }
        return Err(ineligible(*reason).into());
    }

    let now = state.clock.now();
    let id = new_id("aid");
    let mut tx = state.db.begin().await?;
    // Written first: takes SQLite's write lock, and the unique (member, key) and one-live-
    // application-per-program constraints decide every race.
    let inserted =
        insert_application(&mut tx, &id, member_id, &key, &request_hash, &request, now).await;
    match inserted {
        Ok(()) => {}
        Err(error) if is_unique_violation(&error) => {
            tx.rollback().await?;
            return match replay(&state, lang, member_id, &key, &request_hash).await? {
                Some(existing) => Ok((StatusCode::OK, Json(existing)).into_response()),
                None => Err(ineligible(IneligibleReason::AlreadyApplied).into()),
            };
        }
        Err(error) => return Err(error.into()),
    }
    for (position, person) in request.household.iter().enumerate() {
        let resident_id = contract::validate::ResidentId::parse(&person.resident_id)
            .map_err(|_| ApiError::Internal("validated ID failed to parse".into()))?;
        sqlx::query(
            "INSERT INTO aid_household_members (application_id, position, name, relation, resident_id, occupation)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(position as i64)
        .bind(person.name.trim())
        .bind(person.relation.as_str())
        .bind(resident_id.as_str())
        .bind(person.occupation.trim())
        .execute(&mut *tx)
        .await?;
    }
    let event_id = record_event(
        &mut tx,
        &id,
        AidStatus::Submitted,
        AidActor::Member,
        None,
        None,
        now,
    )
    .await?;
    link_attachments(&mut tx, &id, &event_id, &request.attachment_ids).await?;
    let name_zh = program.name(Lang::Zh);
    let name_en = program.name(Lang::En);
    let body_zh = format!("您的“{name_zh}”申请已提交，工会将尽快审核，请留意消息通知。");
    let body_en = format!(
        "Your application to {name_en} has been submitted. The union will review it soon; watch your messages."
    );
    notify::send(
        &mut tx,
        member_id,
        Message {
            kind: "aid",
            title_zh: "帮扶申请已提交",
            title_en: "Aid application submitted",
            body_zh: &body_zh,
            body_en: &body_en,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    let created = load_application(&state, lang, member_id, &id).await?;
    let mut response = (StatusCode::CREATED, Json(created)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/aid/applications/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

async fn insert_application(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    member_id: &str,
    key: &str,
    request_hash: &str,
    request: &NewAidApplication,
    now: i64,
) -> sqlx::Result<()> {
    let schooling = request.schooling.as_ref();
    let illness = request.illness.as_ref();
    sqlx::query(
        "INSERT INTO aid_applications (id, member_id, program_id, idempotency_key, request_hash, status,
            household_monthly_income_fen, hardship, student_name, school_level, school, enrolment_year,
            patient_name, diagnosis, hospital, out_of_pocket_fen, declared_at, submitted_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'submitted', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $16)",
    )
    .bind(id)
    .bind(member_id)
    .bind(&request.program_id)
    .bind(key)
    .bind(request_hash)
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
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Appends a history event; returns its id.
pub(crate) async fn record_event(
    tx: &mut Transaction<'_, Any>,
    application_id: &str,
    status: AidStatus,
    actor: AidActor,
    note: Option<&str>,
    amount_fen: Option<i64>,
    now: i64,
) -> sqlx::Result<String> {
    let seq: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM aid_application_events WHERE application_id = $1",
    )
    .bind(application_id)
    .fetch_one(&mut **tx)
    .await?;
    let id = new_id("aev");
    sqlx::query(
        "INSERT INTO aid_application_events (id, application_id, status, actor, at, note, amount_fen, seq)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(application_id)
    .bind(status.as_str())
    .bind(match actor {
        AidActor::Member => "member",
        AidActor::Reviewer => "reviewer",
    })
    .bind(now)
    .bind(note)
    .bind(amount_fen)
    .bind(seq)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

async fn link_attachments(
    tx: &mut Transaction<'_, Any>,
    application_id: &str,
    event_id: &str,
    ids: &[String],
) -> sqlx::Result<()> {
    for attachment_id in ids {
        sqlx::query(
            "INSERT INTO aid_application_attachments (application_id, attachment_id, event_id) VALUES ($1, $2, $3)",
        )
        .bind(application_id)
        .bind(attachment_id)
        .bind(event_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

type SummaryRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    Option<i64>,
);

#[utoipa::path(
    get,
    path = "/api/v1/aid/applications",
    tag = "aid",
    summary = "The member's applications, newest first.",
    responses(
        (status = 200, description = "Applications", body = Vec<AidApplicationSummary>),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
    ),
    security(("session" = [])),
)]
async fn applications(
    State(state): State<AppState>,
    lang: Lang,
    member: CurrentMember,
) -> Outcome<Json<Vec<AidApplicationSummary>>> {
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT a.id, p.id, p.kind, p.name_zh, p.name_en, a.status, a.submitted_at, a.updated_at, a.approved_fen
         FROM aid_applications a JOIN aid_programs p ON p.id = a.program_id
         WHERE a.member_id = $1 ORDER BY a.submitted_at DESC, a.id DESC",
    )
    .bind(&member.member_id)
    .fetch_all(&state.db)
    .await?;
    let items = rows
        .into_iter()
        .map(
            |(id, program_id, kind, zh, en, status, submitted_at, updated_at, approved_fen)| {
                Ok(AidApplicationSummary {
                    id,
                    program_id,
                    program_name: lang.pick(&zh, &en).to_owned(),
                    kind: parse_kind(&kind)?,
                    status: parse_status(&status)?,
                    submitted_at: rfc3339(submitted_at),
                    updated_at: rfc3339(updated_at),
                    approved_fen,
                })
            },
        )
        .collect::<Result<_, ApiError>>()?;
    Ok(Json(items))
}

#[utoipa::path(
    get,
    path = "/api/v1/aid/applications/{id}",
    tag = "aid",
    summary = "One application with household (ID numbers masked), documents and status history.",
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, description = "Application", body = AidApplication),
        (status = 404, description = "Not found (or another member's)", body = ErrorEnvelope),
    ),
    security(("session" = [])),
)]
async fn application(
    State(state): State<AppState>,
    lang: Lang,
    member: CurrentMember,
    Path(id): Path<String>,
) -> Outcome<Json<AidApplication>> {
    Ok(Json(
        load_application(&state, lang, &member.member_id, &id).await?,
    ))
}

fn parse_status(value: &str) -> Result<AidStatus, ApiError> {
    AidStatus::parse(value).ok_or_else(|| ApiError::Internal(format!("bad aid status {value}")))
}

fn parse_kind(value: &str) -> Result<AidKind, ApiError> {
    AidKind::parse(value).ok_or_else(|| ApiError::Internal(format!("bad aid kind {value}")))
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

/// id, status, actor, at, note, amount.
type EventRow = (String, String, String, i64, Option<String>, Option<i64>);

/// The member's application in full; another member's is not found.
pub(crate) async fn load_application(
    state: &AppState,
    lang: Lang,
    member_id: &str,
    id: &str,
) -> Result<AidApplication, Failure> {
    let row: Option<ApplicationRow> = sqlx::query_as(
        "SELECT program_id, status, household_monthly_income_fen, hardship, student_name, school_level,
            school, enrolment_year, patient_name, diagnosis, hospital, out_of_pocket_fen, approved_fen,
            paid_on, paid_to_card, submitted_at, updated_at
         FROM aid_applications WHERE id = $1 AND member_id = $2",
    )
    .bind(id)
    .bind(member_id)
    .fetch_optional(&state.db)
    .await?;
    let ApplicationRow {
        program_id,
        status,
        household_monthly_income_fen: income,
        hardship,
        student_name,
        school_level,
        school,
        enrolment_year,
        patient_name,
        diagnosis,
        hospital,
        out_of_pocket_fen,
        approved_fen,
        paid_on,
        paid_to_card,
        submitted_at,
        updated_at,
    } = row.ok_or(ApiError::NotFound)?;
    let program = load_program(&state.db, &program_id)
        .await?
        .ok_or_else(|| ApiError::Internal(format!("application {id} without program")))?;
    let status = parse_status(&status)?;
    let household: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT name, relation, resident_id, occupation FROM aid_household_members
         WHERE application_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(&state.db)
    .await?;
    let attachments: Vec<(String, String, String, i64, i64, String)> = sqlx::query_as(
        "SELECT t.id, t.filename, t.content_type, t.size_bytes, t.uploaded_at, l.event_id
         FROM aid_application_attachments l JOIN aid_attachments t ON t.id = l.attachment_id
         WHERE l.application_id = $1 ORDER BY t.uploaded_at, t.id",
    )
    .bind(id)
    .fetch_all(&state.db)
    .await?;
    let events: Vec<EventRow> = sqlx::query_as(
        "SELECT id, status, actor, at, note, amount_fen FROM aid_application_events
         WHERE application_id = $1 ORDER BY seq",
    )
    .bind(id)
    .fetch_all(&state.db)
    .await?;
    let latest_note = |wanted: AidStatus| {
        events
            .iter()
            .rev()
            .find(|e| e.1 == wanted.as_str())
            .and_then(|e| e.4.clone())
    };
    let info_requested =
        (status == AidStatus::MoreInfoNeeded).then(|| latest_note(AidStatus::MoreInfoNeeded));
    let rejection_reason =
        (status == AidStatus::Rejected).then(|| latest_note(AidStatus::Rejected));
    let history = events
        .iter()
        .map(|(event_id, status, actor, at, note, amount_fen)| {
            Ok(AidEvent {
                status: parse_status(status)?,
                at: rfc3339(*at),
                actor: if actor == "reviewer" {
                    AidActor::Reviewer
                } else {
                    AidActor::Member
                },
                note: note.clone(),
                amount_fen: *amount_fen,
                attachments_added: attachments.iter().filter(|a| &a.5 == event_id).count() as u32,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let level = school_level.as_deref().and_then(SchoolLevel::parse);
    let schooling = match (student_name, level, school) {
        (Some(student_name), Some(level), Some(school)) => Some(Schooling {
            student_name,
            level,
            school,
            enrolment_year: enrolment_year.unwrap_or(0) as u16,
        }),
        _ => None,
    };
    let illness = match (patient_name, diagnosis, hospital) {
        (Some(patient_name), Some(diagnosis), Some(hospital)) => Some(contract::aid::Illness {
            patient_name,
            diagnosis,
            hospital,
            out_of_pocket_fen: out_of_pocket_fen.unwrap_or(0),
        }),
        _ => None,
    };
    Ok(AidApplication {
        id: id.to_owned(),
        program_name: program.name(lang),
        kind: program.kind,
        expected_fen: program.expected_fen(level),
        program_id,
        status,
        submitted_at: rfc3339(submitted_at),
        updated_at: rfc3339(updated_at),
        household: household
            .into_iter()
            .map(
                |(name, relation, resident_id, occupation)| HouseholdMember {
                    name,
                    relation: Relation::parse(&relation).unwrap_or(Relation::Other),
                    id_number_masked: mask::resident_id(&resident_id),
                    occupation,
                },
            )
            .collect(),
        household_monthly_income_fen: income,
        hardship,
        schooling,
        illness,
        attachments: attachments
            .into_iter()
            .map(
                |(id, filename, content_type, size, uploaded_at, _)| Attachment {
                    id,
                    filename,
                    content_type,
                    size_bytes: size as u64,
                    uploaded_at: rfc3339(uploaded_at),
                },
            )
            .collect(),
        approved_fen,
        paid_on,
        paid_to_card_masked: paid_to_card.as_deref().map(mask::card_number),
        info_requested: info_requested.flatten(),
        rejection_reason: rejection_reason.flatten(),
        can_withdraw: status.is_undecided(),
        can_supplement: status == AidStatus::MoreInfoNeeded,
        history,
    })
}

#[utoipa::path(
    post,
    path = "/api/v1/aid/applications/{id}/supplement",
    tag = "aid",
    summary = "Add documents (and a note) when more information was asked for; the application returns to review.",
    params(("id" = String, Path, description = "Application id")),
    request_body = AidSupplement,
    responses(
        (status = 200, description = "Application", body = AidApplication),
        (status = 404, description = "Not found (or another member's)", body = ErrorEnvelope),
        (status = 409, description = "Not waiting for documents (`not_awaiting_information`)", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed` with `fields`", body = ErrorEnvelope),
    ),
    security(("session" = [], "csrf" = [])),
)]
/// Adds documents (and a note) when the reviewer asked for more; back to review.
async fn supplement(
    State(state): State<AppState>,
    lang: Lang,
    member: CurrentMember,
    Path(id): Path<String>,
    AppJson(request): AppJson<AidSupplement>,
) -> Outcome<Json<AidApplication>> {
    let member_id = member.member_id.as_str();
    let current = load_application(&state, lang, member_id, &id).await?;
    if current.status != AidStatus::MoreInfoNeeded {
        return Err(not_awaiting_information().into());
    }
    let mut problems = request.problems();
    problems.extend(foreign_attachments(&state, member_id, &request.attachment_ids).await?);
    for (i, attachment_id) in request.attachment_ids.iter().enumerate() {
        if current.attachments.iter().any(|a| &a.id == attachment_id) {
            problems.push(FieldProblem {
                field: format!("attachment_ids[{i}]"),
                code: "duplicate",
            });
        }
    }
    if !problems.is_empty() {
        return Err(Refusal::invalid(problems).into());
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let changed = sqlx::query(
        "UPDATE aid_applications SET status = 'under_review', updated_at = $1
         WHERE id = $2 AND member_id = $3 AND status = 'more_info_needed'",
    )
    .bind(now)
    .bind(&id)
    .bind(member_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        tx.rollback().await?;
        return Err(not_awaiting_information().into());
    }
    let note = request.note.trim();
    let event_id = record_event(
        &mut tx,
        &id,
        AidStatus::UnderReview,
        AidActor::Member,
        (!note.is_empty()).then_some(note),
        None,
        now,
    )
    .await?;
    link_attachments(&mut tx, &id, &event_id, &request.attachment_ids).await?;
    tx.commit().await?;
    Ok(Json(load_application(&state, lang, member_id, &id).await?))
}

fn not_awaiting_information() -> Refusal {
    Refusal::conflict(
        "not_awaiting_information",
        "该申请当前不需要补充材料。",
        "This application is not waiting for more documents.",
    )
}

#[utoipa::path(
    post,
    path = "/api/v1/aid/applications/{id}/withdraw",
    tag = "aid",
    summary = "Withdraw an application that is not yet decided. No body.",
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, description = "Application", body = AidApplication),
        (status = 404, description = "Not found (or another member's)", body = ErrorEnvelope),
        (status = 409, description = "Already decided or withdrawn (`not_withdrawable`)", body = ErrorEnvelope),
    ),
    security(("session" = [], "csrf" = [])),
)]
/// Withdraws an application that is not yet decided.
async fn withdraw(
    State(state): State<AppState>,
    lang: Lang,
    member: CurrentMember,
    Path(id): Path<String>,
) -> Outcome<Json<AidApplication>> {
    let member_id = member.member_id.as_str();
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let changed = sqlx::query(
        "UPDATE aid_applications SET status = 'withdrawn', updated_at = $1
         WHERE id = $2 AND member_id = $3
            AND status IN ('submitted', 'under_review', 'more_info_needed')",
    )
    .bind(now)
    .bind(&id)
    .bind(member_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        tx.rollback().await?;
        // Not found (or not the member's) stays 404; otherwise it is already decided.
        load_application(&state, lang, member_id, &id).await?;
        return Err(Refusal::conflict(
            "not_withdrawable",
            "该申请已有审核结果或已撤回，不能再撤回。",
            "This application is already decided or withdrawn and cannot be withdrawn.",
        )
        .into());
    }
    record_event(
        &mut tx,
        &id,
        AidStatus::Withdrawn,
        AidActor::Member,
        None,
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(load_application(&state, lang, member_id, &id).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_decided_by_the_bytes() {
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some("image/jpeg")
        );
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some("image/png"));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b"<html>"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn names_and_headers_declare_types() {
        assert_eq!(type_of_name("证明.JPG"), Some(Some("image/jpeg")));
        assert_eq!(type_of_name("scan.exe"), Some(None));
        assert_eq!(type_of_name("scan"), None);
        assert_eq!(
            type_of_header(Some("image/png; q=1")),
            Some("image/png".into())
        );
        assert_eq!(type_of_header(Some("application/octet-stream")), None);
        assert_eq!(type_of_header(None), None);
    }

    #[test]
    fn file_names_lose_their_paths_and_control_characters() {
        assert_eq!(
            clean_filename(Some("C:\\x\\病历.pdf"), "application/pdf"),
            "病历.pdf"
        );
        assert_eq!(
            clean_filename(Some("../../etc/pass\nwd"), "image/png"),
            "passwd"
        );
        assert_eq!(clean_filename(None, "image/png"), "attachment.png");
        assert_eq!(clean_filename(Some(".."), "image/jpeg"), "attachment.jpg");
    }

    #[test]
    fn content_disposition_keeps_unicode_names() {
        assert_eq!(
            content_disposition("诊断.pdf"),
            "inline; filename=\"__.pdf\"; filename*=UTF-8''%E8%AF%8A%E6%96%AD.pdf"
        );
    }
}
