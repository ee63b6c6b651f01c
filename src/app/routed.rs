//! The routed app: the router, the route table and the member tab bar. Its code is a chunk of
//! its own, so a first visit to sign-in (the main module's own screen) never downloads the
//! router; every other address fetches it at start-up, and sign-in does on leaving.
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::{Lazy, NavigateOptions, path};

use super::lazy;
use super::navigation::Navigation;
use crate::components::later::drawn_later;
use crate::components::member_area::MemberArea;
use crate::pages::login::LoginPage;
use crate::state::session::use_session;

/// The router around the screens.
#[component]
pub fn RoutedApp() -> impl IntoView {
    view! {
        <Router>
            <RoutedScreens/>
        </Router>
    }
}

/// The routed page and the tab bar, with the router's navigation provided to sign-in.
#[component]
fn RoutedScreens() -> impl IntoView {
    let navigate = use_navigate();
    provide_context(Navigation::new(move |address, replace| {
        navigate(
            &address,
            NavigateOptions {
                replace,
                ..Default::default()
            },
        )
    }));
    let session = use_session();
    Effect::new(|| {
        if super::take_focus_on_arrival() {
            super::focus_main();
        }
    });
    // The route table is built a task after the router: at start-up everything is at hand
    // (the route plan's pack and answers), and router, routes and screen would otherwise be
    // one long task on a slow phone's main thread.
    let routes = drawn_later(|| view! { <AppRoutes/> });
    view! {
        <main id="main" tabindex="-1">{routes}</main>
        // Member navigation only: signed out, every tab would lead back to sign-in.
        {move || (session.is_signed_in() == Some(true)).then(member_tab_bar)}
    }
}

/// The tab bar once its chunk has arrived (nothing if it could not be fetched: every screen
/// is still reachable from home).
fn member_tab_bar() -> Suspend<AnyView> {
    Suspend::new(async { lazy::tab_bar().await.unwrap_or_else(|_| ().into_any()) })
}

/// The route table. Member screens sit under `MemberArea`, which sends a signed-out visitor
/// to sign-in and back. Every screen loads its code on first visit (see `lazy`).
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
