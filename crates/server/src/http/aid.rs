//! Hardship aid over HTTP: programs, eligibility, supporting documents (type sniffed from the
//! bytes, served to their owner only) and applications submitted with an idempotency key,
//! then supplemented or withdrawn by the member. One file per concern; the SQL lives in
//! `crate::aid`, shared with the reviewer's commands.
mod applications;
mod attachments;
mod eligibility;
mod history;
mod programs;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The hardship-aid part of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        programs::programs,
        programs::program,
        eligibility::eligibility,
        attachments::upload,
        attachments::download,
        applications::submit,
        applications::applications,
        applications::application,
        history::supplement,
        history::withdraw
    ),
    tags((name = "aid", description = "Hardship aid: programs, eligibility, documents, applications")),
)]
pub struct AidApi;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/aid/programs", get(programs::programs))
        .route("/aid/programs/{id}", get(programs::program))
        .route(
            "/aid/programs/{id}/eligibility",
            get(eligibility::eligibility),
        )
        .route("/aid/attachments", post(attachments::upload))
        .route("/aid/attachments/{id}", get(attachments::download))
        .route(
            "/aid/applications",
            get(applications::applications).post(applications::submit),
        )
        .route("/aid/applications/{id}", get(applications::application))
        .route(
            "/aid/applications/{id}/supplement",
            post(history::supplement),
        )
        .route("/aid/applications/{id}/withdraw", post(history::withdraw))
}
