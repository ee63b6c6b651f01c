//! The bottom tab bar: the portal's main navigation, reachable with one thumb.
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{Strings, tr};
use crate::routes;

struct Tab {
    href: &'static str,
    label: fn(&'static Strings) -> &'static str,
    /// A 24×24 outline icon path.
    icon: &'static str,
}

const TABS: [Tab; 5] = [
    Tab {
        href: routes::HOME,
        label: |s| s.shell.tab_home,
        icon: "M3 11 12 3l9 8v10h-6v-6H9v6H3z",
    },
    Tab {
        href: routes::CARD,
        label: |s| s.shell.tab_card,
        icon: "M2 6h20v12H2zM2 10h20M6 15h4",
    },
    Tab {
        href: routes::OFFERS,
        label: |s| s.shell.tab_offers,
        icon: "M3 7h18v4a2 2 0 0 0 0 4v4H3v-4a2 2 0 0 0 0-4zM14 7v12",
    },
    Tab {
        href: routes::AID,
        label: |s| s.shell.tab_aid,
        icon: "M12 20s-8-5-8-11a4 4 0 0 1 8-1 4 4 0 0 1 8 1c0 6-8 11-8 11z",
    },
    Tab {
        href: routes::ME,
        label: |s| s.shell.tab_me,
        icon: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0",
    },
];

/// Five tabs; the current one is marked with `aria-current="page"` by the router's links.
#[component]
pub fn TabBar() -> impl IntoView {
    let tabs = TABS.iter().map(|tab| {
        let label = tab.label;
        view! {
            <A href=tab.href exact=tab.href == routes::HOME>
                <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
                    <path d=tab.icon/>
                </svg>
                <span>{tr(label)}</span>
            </A>
        }
    });
    view! {
        <nav class="tab-bar" aria-label=tr(|s| s.shell.main_navigation)>
            {tabs.collect_view()}
        </nav>
    }
}
