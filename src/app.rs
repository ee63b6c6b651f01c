//! The root component: app-wide state, layout and routes.
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{Lazy, path};

mod lazy;

use crate::api::use_api;
use crate::components::kiosk_idle::{self, IdleGuard};
use crate::components::member_area::MemberArea;
use crate::config::use_config;
use crate::i18n::{I18n, tr, use_i18n};
use crate::pages::login::LoginPage;
use crate::state::provide_app_state;
use crate::state::session::use_session;
use leptos::task::spawn_local;

/// The portal: a skip link, the routed page and the bottom tab bar.
#[component]
pub fn App() -> impl IntoView {
    provide_app_state();
    let i18n = use_i18n();
    start_kiosk_guard(i18n);
    let session = use_session();
    // Switching language rebuilds the view tree, so text can be static (see `i18n::tr`).
    move || {
        i18n.locale();
        view! {
        <Router>
            <a class="skip-link" href="#main">{tr(|s| s.shell.skip_to_content)}</a>
            <main id="main" tabindex="-1">
                <AppRoutes/>
            </main>
            // Member navigation only: signed out, every tab would lead back to sign-in.
            {move || (session.is_signed_in() == Some(true)).then(member_tab_bar)}
        </Router>
        }
    }
}

/// The tab bar once its chunk has arrived (nothing if it could not be fetched: every screen
/// is still reachable from home). A `Suspend` of a view, as the router renders lazy routes,
/// so the first load reuses the router's code for it.
fn member_tab_bar() -> Suspend<AnyView> {
    Suspend::new(async { lazy::tab_bar().await.unwrap_or_else(|_| ().into_any()) })
}

/// Moves focus to the main landmark, after a navigation that removed the focused element
/// (sign-in's form), so keyboard and screen-reader users continue on the new screen.
pub fn focus_main() {
    // Called by name: a web-sys `focus` would add a shim to the first load's glue.
    if let Some(main) = document().get_element_by_id("main") {
        crate::browser::page::focus(&main);
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

/// The route table. Member screens sit under `MemberArea`, which sends a signed-out visitor
/// to sign-in and back. Sign-in and the small public pages are in the main module; every
/// screen behind sign-in loads its code on first visit (see `lazy`).
#[component]
fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=|| ()>
            <Route path=path!("/login") view=LoginPage/>
            <Route path=path!("/kiosk") view={Lazy::<lazy::KioskRoute>::new()}/>
            <Route path=path!("/login/wechat") view={Lazy::<lazy::WeChatReturnRoute>::new()}/>
            <Route path=path!("/privacy") view={Lazy::<lazy::PrivacyRoute>::new()}/>
            <Route path=path!("/centres") view={Lazy::<lazy::CentresRoute>::new()}/>
            <ParentRoute path=path!("") view=MemberArea>
                <Route path=path!("/") view={Lazy::<lazy::HomeRoute>::new()}/>
                <Route path=path!("/card") view={Lazy::<lazy::CardRoute>::new()}/>
                <Route path=path!("/me") view={Lazy::<lazy::MeRoute>::new()}/>
                <Route path=path!("/offers") view={Lazy::<lazy::OffersRoute>::new()}/>
                <Route path=path!("/offers/:id") view={Lazy::<lazy::OfferDetailRoute>::new()}/>
                <Route path=path!("/coupons") view={Lazy::<lazy::CouponsRoute>::new()}/>
                <Route path=path!("/insurance") view={Lazy::<lazy::InsuranceRoute>::new()}/>
                <Route path=path!("/insurance/:id") view={Lazy::<lazy::InsuranceDetailRoute>::new()}/>
                <Route path=path!("/aid/*rest") view={Lazy::<lazy::AidRoute>::new()}/>
            </ParentRoute>
            <Route path=path!("/*any") view={Lazy::<lazy::NotFoundRoute>::new()}/>
        </Routes>
    }
}
