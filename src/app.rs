//! The root component: app-wide state, layout and routes.
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::tab_bar::TabBar;
use crate::i18n::use_i18n;
use crate::pages::{
    aid::AidPage, card::CardPage, home::HomePage, insurance::InsurancePage, login::LoginPage,
    me::MePage, not_found::NotFoundPage, offers::OffersPage,
};
use crate::state::provide_app_state;

/// The portal: a skip link, the routed page and the bottom tab bar.
#[component]
pub fn App() -> impl IntoView {
    provide_app_state();
    let i18n = use_i18n();
    view! {
        <Router>
            <a class="skip-link" href="#main">{move || i18n.t().shell.skip_to_content}</a>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFoundPage/> }>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/card") view=CardPage/>
                    <Route path=path!("/offers") view=OffersPage/>
                    <Route path=path!("/insurance") view=InsurancePage/>
                    <Route path=path!("/aid") view=AidPage/>
                    <Route path=path!("/me") view=MePage/>
                    <Route path=path!("/login") view=LoginPage/>
                </Routes>
            </main>
            <TabBar/>
        </Router>
    }
}
