//! Hardship aid over HTTP: programs, eligibility, supporting documents (type sniffed from the
//! bytes, served to their owner only) and applications submitted with an idempotency key,
//! then supplemented or withdrawn by the member. One file per concern; the SQL lives in
//! `crate::aid`, shared with the reviewer's commands.
mod applications;
mod attachments;
mod eligibility;
mod history;
mod programs;

pub(super) use programs::all as all_programs;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(programs::programs))
        .routes(routes!(programs::program))
        .routes(routes!(eligibility::eligibility))
        .routes(routes!(attachments::upload))
        .routes(routes!(attachments::download))
        .routes(routes!(applications::applications, applications::submit))
        .routes(routes!(applications::application))
        .routes(routes!(history::supplement))
        .routes(routes!(history::withdraw))
}
