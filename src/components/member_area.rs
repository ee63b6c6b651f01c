//! The guard around every member screen: it waits for the session check, sends a signed-out
//! visitor to sign-in (remembering where they were going) and renders the screen otherwise.
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_navigate};

use crate::routes;
use crate::state::session::use_session;

/// Parent route of the member screens.
#[component]
pub fn MemberArea() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();
    // The static brand header belongs to the public pages (see index.html): it stays while
    // the session is checked and goes before the member screen is drawn, so nothing drawn
    // moves up (`main` has no height while empty, see main.css); it is back for sign-in.
    if session.is_signed_in() == Some(true) {
        show_brand(false);
    }
    on_cleanup(|| show_brand(true));
    Effect::new(move || {
        if session.is_signed_in() == Some(true) {
            show_brand(false);
        }
        if session.is_signed_in() == Some(false) {
            let here = routes::return_path(
                &location.pathname.get_untracked(),
                &location.search.get_untracked(),
                &location.hash.get_untracked(),
            );
            navigate(
                &routes::login_returning_to(&here),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    // Nothing while the session is checked (one round trip) rather than a skeleton that
    // the screen would replace at another height.
    move || match session.is_signed_in() {
        Some(true) => view! { <Outlet/> }.into_any(),
        _ => ().into_any(),
    }
}

/// Shows or hides the static brand header of `index.html`.
fn show_brand(shown: bool) {
    if let Some(brand) = document().get_element_by_id("brand") {
        crate::browser::page::set_hidden(&brand, !shown);
    }
}
