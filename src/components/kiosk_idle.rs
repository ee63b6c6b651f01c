//! The kiosk's idle guard: after a while without input it warns with a countdown and a
//! "keep going" button; when the countdown ends it signs out and reloads the attract screen,
//! which clears every member datum from storage and, by the reload, from memory.
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use wasm_bindgen::JsCast;

use crate::api::ApiClient;
use crate::i18n::{I18n, fill, tr};
use crate::routes;
use crate::split::split_point;
use crate::state::LOCALE_KEY;
use crate::state::preferences::{ELDER_KEY, LARGE_TEXT_KEY};
use crate::state::session::{SessionStore, wipe_member_data};

/// Starts the guard (its code is a chunk loaded only on kiosks).
pub async fn install(guard: IdleGuard) {
    let _ = install_guard(guard).await;
}

/// What the guard needs from the app, and its timing.
pub struct IdleGuard {
    pub api: ApiClient,
    pub session: SessionStore,
    pub i18n: I18n,
    pub warn_after: u32,
    pub sign_out_after: u32,
}

split_point!(
    kiosk_idle,
    fn install_guard(guard: IdleGuard) -> Result<(), SplitLoaderError> {
        let IdleGuard {
            api,
            session,
            i18n,
            warn_after,
            sign_out_after,
        } = guard;
        let idle = RwSignal::new(0u32);
        // Any touch, click or key counts as someone still at the screen.
        for event in ["pointerdown", "keydown", "touchstart"] {
            let reset = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || idle.set(0));
            let _ =
                document().add_event_listener_with_callback(event, reset.as_ref().unchecked_ref());
            reset.forget();
        }
        let tick = move || {
            if session.is_signed_in() != Some(true) {
                idle.set(0);
                return;
            }
            idle.update(|s| *s += 1);
            if idle.get_untracked() >= warn_after + sign_out_after {
                sign_out(api.clone(), session);
            }
        };
        let _ = set_interval_with_handle(tick, std::time::Duration::from_secs(1));
        let warning = move || {
            let seconds = idle.get();
            (seconds >= warn_after && session.is_signed_in() == Some(true))
                .then(|| warn_after + sign_out_after - seconds.min(warn_after + sign_out_after))
        };
        let view = move || {
            warning().map(|left| {
            view! {
                <div class="idle-warning" role="alertdialog" aria-labelledby="idle-title" aria-describedby="idle-body">
                    <h2 id="idle-title">{tr(|s| s.kiosk().idle_title)}</h2>
                    <p id="idle-body">{fill(i18n.t().kiosk().idle_body, left)}</p>
                    <button type="button" class="button button-block" on:click=move |_| idle.set(0)>
                        {tr(|s| s.kiosk().keep_going)}
                    </button>
                </div>
            }
        })
        };
        // The warning sits above whatever screen is open, in a root of its own.
        if let (Ok(host), Some(body)) = (document().create_element("div"), document().body()) {
            let _ = body.append_child(&host);
            let root = leptos::mount::mount_to(host.unchecked_into(), move || {
                provide_context(i18n);
                view
            });
            root.forget();
        }
        Ok(())
    }
);

/// Ends the session on the server (best effort), forgets everything on the device and reloads
/// the attract screen, so nothing of the member stays in memory either, and the display
/// settings are back to their defaults.
fn sign_out(api: ApiClient, session: SessionStore) {
    leptos::task::spawn_local(async move {
        let _ = api.sign_out().await;
        session.signed_out();
        wipe_member_data();
        // The next person starts with the default display: no elder mode, normal text, the
        // default language (the reload below reads them afresh).
        for key in [LARGE_TEXT_KEY, ELDER_KEY, LOCALE_KEY] {
            crate::state::device::remove(key);
        }
        let _ = window().location().replace(routes::KIOSK);
    });
}
