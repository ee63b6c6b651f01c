//! The root component: app-wide state and the first screen. Sign-in is drawn by the main
//! module itself; every other screen, and the router that picks it, arrive as one chunk (see
//! `routed`), so a member's first visit to a new device downloads only what sign-in needs.
use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;
use leptos::task::spawn_local;

mod lazy;
pub mod navigation;
mod routed;

use self::navigation::Navigation;
use crate::api::use_api;
use crate::browser::page;
use crate::components::chunk_load_failed::ChunkLoadFailed;
use crate::components::kiosk_idle::{self, IdleGuard};
use crate::config::use_config;
use crate::i18n::{I18n, tr, use_i18n};
use crate::pages::login::LoginPage;
use crate::routes;
use crate::state::provide_app_state;
use crate::state::session::{may_be_signed_in, use_session};

/// Which code draws the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Screen {
    /// Sign-in, from the main module, without the router.
    SignIn,
    /// The routed app (a chunk).
    Routed,
}

impl Screen {
    /// Sign-in when the address is sign-in, or a member screen on a browser that holds no
    /// session (the address then becomes sign-in returning there, as the router's member
    /// area would make it); the routed app otherwise.
    fn at_start(api_cross_origin: bool) -> Self {
        let path = page::path();
        if path == routes::LOGIN {
            return Screen::SignIn;
        }
        if routes::is_member_path(&path) && !may_be_signed_in(api_cross_origin) {
            let here = routes::return_path(&path, &page::search(), &page::fragment());
            page::change_address(&routes::login_returning_to(&here), true);
            return Screen::SignIn;
        }
        Screen::Routed
    }
}

/// The portal: a skip link and the screen.
#[component]
pub fn App() -> impl IntoView {
    provide_app_state();
    let i18n = use_i18n();
    start_kiosk_guard(i18n);
    let screen = RwSignal::new(Screen::at_start(use_api().cross_origin()));
    // Leaving sign-in before the router is there: change the address, then load the router,
    // which opens it.
    provide_context(Navigation::new(move |address, replace| {
        page::change_address(&address, replace);
        FOCUS_ON_ARRIVAL.store(true, Ordering::Relaxed);
        screen.set(Screen::Routed);
    }));
    // Switching language rebuilds the view tree, so text can be static (see `i18n::tr`).
    move || {
        i18n.locale();
        view! {
            <a class="skip-link" href="#main">{tr(|s| s.shell.skip_to_content)}</a>
            {move || match screen.get() {
                Screen::SignIn => view! {
                    <main id="main" tabindex="-1"><LoginPage/></main>
                }
                .into_any(),
                Screen::Routed => routed_app().into_any(),
            }}
        }
    }
}

/// The routed app once its chunk has arrived, or the notice with a retry.
fn routed_app() -> Suspend<AnyView> {
    Suspend::new(async {
        lazy::routed_app()
            .await
            .unwrap_or_else(|_| ChunkLoadFailed().into_any())
    })
}

/// Set when sign-in hands over to the routed app: the focused form is gone, so the routed
/// app's main landmark takes focus once it is drawn (see `routed`).
static FOCUS_ON_ARRIVAL: AtomicBool = AtomicBool::new(false);

/// Whether the routed app, just drawn, should take focus (once).
fn take_focus_on_arrival() -> bool {
    FOCUS_ON_ARRIVAL.swap(false, Ordering::Relaxed)
}

/// Moves focus to the main landmark, after a navigation that removed the focused element
/// (sign-in's form), so keyboard and screen-reader users continue on the new screen.
pub fn focus_main() {
    // Called by name: a web-sys `focus` would add a shim to the first load's glue.
    if let Some(main) = document().get_element_by_id("main") {
        page::focus(&main);
    }
}

/// On a kiosk, the idle guard that warns and then signs out and wipes (a chunk of its own).
fn start_kiosk_guard(i18n: I18n) {
    let config = use_config();
    if !config.kiosk {
        return;
    }
    let guard = IdleGuard {
        api: use_api(),
        session: use_session(),
        i18n,
        warn_after: config.kiosk_warn_after_seconds.unwrap_or(60),
        sign_out_after: config.kiosk_sign_out_after_seconds.unwrap_or(30),
    };
    spawn_local(kiosk_idle::install(guard));
}
