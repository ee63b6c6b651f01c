//! The programs: rules, documents, amounts and application window.
use axum::Json;
use axum::extract::{Path, State};
use contract::aid::AidProgram;
use contract::error::ErrorEnvelope;

use crate::AppState;
use crate::aid::program;
use crate::clock::china_date;
use crate::error::{ApiError, ApiResult};
use crate::lang::Lang;

#[utoipa::path(
    get,
    path = "/aid/programs",
    tag = "aid",
    summary = "Hardship-aid programs: rules, documents, amounts and application window.",
    responses((status = 200, description = "Programs", body = Vec<AidProgram>)),
)]
pub(super) async fn programs(
    State(state): State<AppState>,
    lang: Lang,
) -> ApiResult<Json<Vec<AidProgram>>> {
    Ok(Json(all(&state, lang).await?))
}

/// Every program as `GET /aid/programs` answers (and a first paint of `/aid` draws).
pub(in crate::http) async fn all(state: &AppState, lang: Lang) -> sqlx::Result<Vec<AidProgram>> {
    let ids = program::ids(&state.db).await?;
    let today = china_date(state.clock.now());
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(program) = program::load(&state.db, &id).await? {
            out.push(program.describe(lang, &today));
        }
    }
    Ok(out)
}

#[utoipa::path(
    get,
    path = "/aid/programs/{id}",
    tag = "aid",
    summary = "One program.",
    params(("id" = String, Path, description = "Program id")),
    responses(
        (status = 200, description = "Program", body = AidProgram),
        (status = 404, description = "No such program", body = ErrorEnvelope),
    ),
)]
pub(super) async fn program(
    State(state): State<AppState>,
    lang: Lang,
    Path(id): Path<String>,
) -> ApiResult<Json<AidProgram>> {
    let program = program::load(&state.db, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(program.describe(lang, &china_date(state.clock.now()))))
}
