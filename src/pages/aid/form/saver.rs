//! Keeping the draft on the device while the member types, and forgetting it once submitted.
use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::state::aid_draft::{self, AidDraft};
use crate::state::pending_files;

/// Writes the draft to the device 400 ms after the last change, and at once when the page is
/// hidden (the member switches app, or WeChat is about to kill the webview).
#[derive(Clone, Copy)]
pub(super) struct Saver {
    member: StoredValue<String>,
    timer: StoredValue<Option<TimeoutHandle>, LocalStorage>,
    /// Set once the server has the application: nothing may bring the draft back.
    finished: StoredValue<bool>,
}

impl Saver {
    pub(super) fn new(member: String) -> Self {
        Saver {
            member: StoredValue::new(member),
            timer: StoredValue::new_local(None),
            finished: StoredValue::new(false),
        }
    }

    pub(super) fn schedule(self, draft: RwSignal<AidDraft>) {
        self.cancel();
        let timer =
            set_timeout_with_handle(move || self.save_now(draft), Duration::from_millis(400));
        self.timer.set_value(timer.ok());
    }

    pub(super) fn save_now(self, draft: RwSignal<AidDraft>) {
        if !self.finished.get_value() {
            self.member
                .with_value(|member| draft.with_untracked(|d| aid_draft::save(member, d)));
        }
    }

    fn cancel(self) {
        if let Some(timer) = self.timer.get_value() {
            timer.clear();
        }
    }

    /// The server confirmed the submission: forget the draft for good, with any document
    /// still kept for it.
    pub(super) fn finish(self, program_id: &str) {
        self.cancel();
        self.finished.set_value(true);
        self.member
            .with_value(|member| aid_draft::clear(member, program_id));
        let draft_key = self.member.with_value(|m| aid_draft::key(m, program_id));
        spawn_local(async move { pending_files::forget_all(&draft_key).await });
    }

    /// Saves whenever the page is hidden, while the form is on screen.
    pub(super) fn save_when_hidden(self, draft: RwSignal<AidDraft>) {
        let hidden = window_event_listener(ev::visibilitychange, move |_| {
            if crate::browser::page::is_hidden() {
                self.save_now(draft);
            }
        });
        let leaving = window_event_listener(ev::pagehide, move |_| self.save_now(draft));
        on_cleanup(move || {
            hidden.remove();
            leaving.remove();
        });
    }
}
