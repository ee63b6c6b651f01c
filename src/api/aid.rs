//! Hardship aid: programs, the member's eligibility, submitting an application once, and the
//! member's applications with their supplements and withdrawal. Uploads are in `upload`.
use contract::aid::{
    AidApplication, AidApplicationSummary, AidProgram, AidSupplement, Eligibility,
    IDEMPOTENCY_KEY_HEADER, NewAidApplication,
};

use super::{ApiClient, ApiError};

fn segment(id: &str) -> String {
    web_sys::js_sys::encode_uri_component(id).into()
}

impl ApiClient {
    pub async fn aid_programs(&self) -> Result<Vec<AidProgram>, ApiError> {
        self.get("/v1/aid/programs").await
    }

    pub async fn aid_program(&self, id: &str) -> Result<AidProgram, ApiError> {
        self.get(&format!("/v1/aid/programs/{}", segment(id))).await
    }

    pub async fn aid_eligibility(&self, program_id: &str) -> Result<Eligibility, ApiError> {
        self.get(&format!(
            "/v1/aid/programs/{}/eligibility",
            segment(program_id)
        ))
        .await
    }

    /// Submits an application under the draft's `key`: sending it again (after a timeout, a
    /// lost answer or a double tap) returns the application the first attempt created.
    pub async fn submit_aid_application(
        &self,
        key: &str,
        application: &NewAidApplication,
    ) -> Result<AidApplication, ApiError> {
        self.post_with_header(
            "/v1/aid/applications",
            (IDEMPOTENCY_KEY_HEADER, key),
            application,
        )
        .await
    }

    pub async fn aid_applications(&self) -> Result<Vec<AidApplicationSummary>, ApiError> {
        self.get("/v1/aid/applications").await
    }

    pub async fn aid_application(&self, id: &str) -> Result<AidApplication, ApiError> {
        self.get(&format!("/v1/aid/applications/{}", segment(id)))
            .await
    }

    /// Adds the documents a reviewer asked for.
    pub async fn supplement_aid_application(
        &self,
        id: &str,
        supplement: &AidSupplement,
    ) -> Result<AidApplication, ApiError> {
        self.post(
            &format!("/v1/aid/applications/{}/supplement", segment(id)),
            supplement,
        )
        .await
    }

    /// Withdraws an undecided application.
    pub async fn withdraw_aid_application(&self, id: &str) -> Result<AidApplication, ApiError> {
        self.post_fields(
            &format!("/v1/aid/applications/{}/withdraw", segment(id)),
            &[],
        )
        .await
    }
}
