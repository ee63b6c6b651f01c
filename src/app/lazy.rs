//! Screens whose code arrives in their own wasm chunk, fetched when first visited: every screen
//! behind sign-in, and the public pages other than sign-in; and the routed app itself. A first
//! visit on a device has no session, so it always shows the sign-in page, which is in the main
//! module.
//!
//! `cargo xtask build` cuts the wasm at each split point below (see `split`). The load is fallible:
//! on a dropped connection the member sees a notice with a retry instead of a dead page.
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use leptos_router::LazyRoute;

use crate::components::chunk_load_failed::ChunkLoadFailed;
use crate::pages;
use crate::split::split_point;

/// The page a chunk produced, or the notice with a retry when it could not be fetched. One
/// function for every route rather than a closure per route: the first load carries it once.
fn loaded(page: Result<AnyView, SplitLoaderError>) -> AnyView {
    page.unwrap_or_else(|_| ChunkLoadFailed().into_any())
}

/// Declares a lazily loaded route type `$route` whose view is `$page`, in chunk `$chunk`.
macro_rules! lazy_page {
    ($route:ident, $chunk:ident, $page:path) => {
        #[doc = concat!("Route type of `", stringify!($page), "`, loaded with its own chunk.")]
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_: Self) -> AnyView {
                loaded($chunk().await)
            }
        }

        split_point!(
            $chunk,
            fn $chunk() -> Result<AnyView, SplitLoaderError> {
                Ok($page().into_any())
            }
        );
    };
}

lazy_page!(HomeRoute, home_page, pages::home::HomePage);
lazy_page!(CardRoute, card_page, pages::card::CardPage);
lazy_page!(MeRoute, me_page, pages::me::MePage);
lazy_page!(
    NotFoundRoute,
    not_found_page,
    pages::not_found::NotFoundPage
);
lazy_page!(KioskRoute, kiosk_page, pages::kiosk::KioskPage);
lazy_page!(PrivacyRoute, privacy_page, pages::privacy::PrivacyPage);
lazy_page!(
    WeChatReturnRoute,
    wechat_return_page,
    pages::wechat_return::WeChatReturnPage
);
lazy_page!(CentresRoute, centres_page, pages::centres::CentresPage);
lazy_page!(OffersRoute, offers_page, pages::offers::OffersPage);
lazy_page!(
    OfferDetailRoute,
    offer_detail_page,
    pages::offers::detail::OfferDetailPage
);
lazy_page!(
    CouponsRoute,
    coupons_page,
    pages::offers::coupons::CouponsPage
);
lazy_page!(
    InsuranceRoute,
    insurance_page,
    pages::insurance::InsurancePage
);
lazy_page!(
    InsuranceDetailRoute,
    insurance_detail_page,
    pages::insurance::detail::InsuranceDetailPage
);
lazy_page!(AidRoute, aid_area, pages::aid::AidArea);

split_point!(
    routed_app,
    /// The router and its route table (see `routed`): everything but sign-in.
    pub fn routed_app() -> Result<AnyView, SplitLoaderError> {
        Ok(super::routed::RoutedApp().into_any())
    }
);

split_point!(
    tab_bar,
    /// The member tab bar. Signed out there is none, so its code (and the router links it is
    /// made of) waits for sign-in like the member screens do.
    pub fn tab_bar() -> Result<AnyView, SplitLoaderError> {
        Ok(crate::components::tab_bar::TabBar().into_any())
    }
);
