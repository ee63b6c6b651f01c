//! What a member sees when a screen's code could not be fetched (no signal, say).
use leptos::prelude::*;

use crate::i18n::tr;

/// A notice with a reload button, in place of a screen whose code did not arrive.
#[component]
pub fn ChunkLoadFailed() -> impl IntoView {
    let reload = |_| {
        let _ = window().location().reload();
    };
    view! {
        <section class="page" role="alert">
            <h1>{tr(|s| s.shell.chunk_failed_title)}</h1>
            <p>{tr(|s| s.shell.chunk_failed_body)}</p>
            <button type="button" class="button" on:click=reload>
                {tr(|s| s.common.retry)}
            </button>
        </section>
    }
}
