//! Step 3: the supporting documents.
use leptos::prelude::*;

use super::fields::Advice;
use super::model::Form;
use crate::components::document_upload::DocumentUpload;

pub(super) fn documents_step(form: Form) -> impl IntoView {
    let attachments = Signal::derive(move || form.draft.with(|d| d.attachments.clone()));
    view! {
        <DocumentUpload uploads=form.uploads attachments added=form.added removed=form.removed/>
        <Advice form field="attachment_ids".into()/>
    }
}
