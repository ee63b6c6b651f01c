//! Supporting documents: uploaded as the raw body, typed by their bytes (JPEG, PNG or PDF
//! only), capped per member per day, and served back to their owner only.
use std::collections::HashMap;

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use contract::aid::{Attachment, MAX_ATTACHMENT_BYTES, MAX_UPLOADS_PER_DAY};
use contract::error::ErrorEnvelope;
use http_body_util::BodyExt;

use crate::AppState;
use crate::aid::attachment::{self, NewAttachment, Rejected, StoredFile};
use crate::clock::rfc3339;
use crate::crypto::new_id;
use crate::error::{ApiError, ApiResult, Refusal};
use crate::extract::CurrentMember;

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
    path = "/aid/attachments",
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
pub(super) async fn upload(
    State(state): State<AppState>,
    member: CurrentMember,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<Attachment>)> {
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
    let size = bytes.len();
    let sha256 = sha256_bytes_hex(&bytes);
    // A member over the daily cap is refused before the bytes go anywhere; the locked count
    // when recording is the one that holds under concurrency.
    if attachment::uploads_today(&state.db, &member.member_id, now).await? >= MAX_UPLOADS_PER_DAY {
        return Err(too_many_uploads().into());
    }
    // The bytes first, outside the recording transaction (an object store is a network call,
    // and the database store must not wait on the lock that transaction holds); they are
    // deleted again when the row is not recorded.
    let store = state.documents.primary();
    let key = crate::documents::aid_key(&id);
    store
        .put(&key, content_type, bytes)
        .await
        .map_err(storage_unavailable)?;
    let upload = NewAttachment {
        id: &id,
        member_id: &member.member_id,
        filename: &filename,
        content_type,
        sha256: &sha256,
        size,
        stored_in: store.name(),
    };
    let recorded = match attachment::record_within_daily_cap(&state.db, upload, now).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(Rejected::DailyCapReached)) => Err(ApiError::from(too_many_uploads())),
        Err(error) => Err(ApiError::from(error)),
    };
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

#[utoipa::path(
    get,
    path = "/aid/attachments/{id}",
    tag = "aid",
    summary = "Download one of the member's own documents.",
    params(("id" = String, Path, description = "Attachment id")),
    responses(
        (status = 200, description = "The file, with the type sniffed from its bytes at upload", content(
            (FileBytes = "image/jpeg"),
            (FileBytes = "image/png"),
            (FileBytes = "application/pdf"),
        )),
        (status = 404, description = "Not found (or another member's)", body = ErrorEnvelope),
        (status = 503, description = "The document store cannot be reached (`storage_unavailable`)", body = ErrorEnvelope),
    ),
    security(("session" = [])),
)]
/// The file, to its owner only; anyone else is told it does not exist.
pub(super) async fn download(
    State(state): State<AppState>,
    member: CurrentMember,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let StoredFile {
        filename,
        content_type,
        stored_in,
    } = attachment::file(&state.db, &id, &member.member_id)
        .await?
        .ok_or(ApiError::NotFound)?;
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

/// The SHA-256 of the bytes, lower-case hex.
fn sha256_bytes_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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
