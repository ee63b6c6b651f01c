//! Every in-app address, built in one place: pages and components link and navigate through
//! these functions and constants rather than writing paths by hand, so a route that moves
//! changes here (and in the route table of `app.rs`), and query values are always escaped.
//!
//! Builders return the address exactly as the router and the browser's address bar see it;
//! the tests below check each one against the pattern it must match in `app.rs`.
use crate::api::offers::OfferFilter;

/// Home (`/`).
pub const HOME: &str = "/";
/// The member's card and e-card.
pub const CARD: &str = "/card";
/// Profile and settings.
pub const ME: &str = "/me";
/// Partner discounts, unfiltered.
pub const OFFERS: &str = "/offers";
/// The member's coupons.
pub const COUPONS: &str = "/coupons";
/// Mutual-aid cover.
pub const INSURANCE: &str = "/insurance";
/// Hardship aid: programmes and the member's applications.
pub const AID: &str = "/aid";
/// Service centres.
pub const CENTRES: &str = "/centres";
/// The privacy notice.
pub const PRIVACY: &str = "/privacy";
/// A kiosk's card + PIN sign-in.
pub const KIOSK: &str = "/kiosk";
/// Sign-in, returning home afterwards.
pub const LOGIN: &str = "/login";
/// WeChat sign-in (without a return address).
pub const WECHAT_SIGN_IN: &str = "/login/wechat";

/// One partner offer.
pub fn offer(id: &str) -> String {
    format!("{OFFERS}/{}", encode_component(id))
}

/// The offers list filtered by `filter`: only the filters a member may share, with
/// `sort=nearby` rather than their position.
pub fn offers_list(filter: &OfferFilter) -> String {
    let sort = filter.near.map(|_| "nearby".to_owned());
    let pairs = [
        ("category", &filter.category),
        ("district", &filter.district),
        ("q", &filter.q),
        ("sort", &sort),
    ];
    let mut query = String::new();
    for (name, value) in pairs {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            query.push(if query.is_empty() { '?' } else { '&' });
            query.push_str(name);
            query.push('=');
            query.push_str(&encode_component(value));
        }
    }
    format!("{OFFERS}{query}")
}

/// One insurance entitlement.
pub fn insurance_entitlement(id: &str) -> String {
    format!("{INSURANCE}/{}", encode_component(id))
}

/// The application form of an aid programme, at its first step (or the saved draft's).
pub fn aid_apply(program_id: &str) -> String {
    format!("{AID}/apply/{}", encode_component(program_id))
}

/// The application form of an aid programme at `step` (1-based).
pub fn aid_apply_step(program_id: &str, step: u8) -> String {
    format!("{}?step={step}", aid_apply(program_id))
}

/// One of the member's aid applications.
pub fn aid_application(id: &str) -> String {
    format!("{AID}/applications/{}", encode_component(id))
}

/// An aid application right after it was submitted (the page then says it arrived).
pub fn aid_application_submitted(id: &str) -> String {
    format!("{}?submitted=1", aid_application(id))
}

/// Whether `path` is a member screen (behind sign-in), as the router's member area matches
/// them: the single screens, one offer or entitlement, and anything under aid.
pub fn is_member_path(path: &str) -> bool {
    let one_below = |parent: &str| {
        path.strip_prefix(parent)
            .and_then(|rest| rest.strip_prefix('/'))
            .is_some_and(|id| !id.is_empty() && !id.contains('/'))
    };
    [HOME, CARD, ME, OFFERS, COUPONS, INSURANCE, AID].contains(&path)
        || one_below(OFFERS)
        || one_below(INSURANCE)
        || path.starts_with("/aid/")
}

/// Sign-in, which returns to `next` (a same-site path, see [`safe_next`]) afterwards.
pub fn login_returning_to(next: &str) -> String {
    if next == HOME {
        return LOGIN.to_owned();
    }
    format!("{LOGIN}?next={}", encode_component(next))
}

/// WeChat sign-in, which returns to `next` afterwards.
pub fn wechat_sign_in_returning_to(next: &str) -> String {
    format!("{WECHAT_SIGN_IN}?next={}", encode_component(next))
}

/// The address to come back to after sign-in, exactly as opened: the router gives the query
/// without its `?` and the fragment with or without its `#`.
pub fn return_path(path: &str, search: &str, hash: &str) -> String {
    let mut here = path.to_owned();
    let search = search.trim_start_matches('?');
    if !search.is_empty() {
        here.push('?');
        here.push_str(search);
    }
    let hash = hash.trim_start_matches('#');
    if !hash.is_empty() {
        here.push('#');
        here.push_str(hash);
    }
    here
}

/// Only in-app paths of this origin, so a crafted link cannot send the member elsewhere after
/// sign-in; anything else means home.
pub fn safe_next(next: Option<String>) -> String {
    next.filter(|n| is_in_app_path(n))
        .unwrap_or_else(|| HOME.to_owned())
}

/// A path (with query and fragment) on this origin and not sign-in itself. Browsers read `\`
/// as `/` and drop tabs and newlines from addresses, so `/\evil` and `/\t/evil` would leave
/// the origin like `//evil` does: both are refused outright.
fn is_in_app_path(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with(LOGIN)
        && !next.chars().any(|c| c == '\\' || c.is_control())
}

/// `value` escaped as JavaScript's `encodeURIComponent` does (every byte of UTF-8 but
/// `A–Z a–z 0–9 - _ . ! ~ * ' ( )` as `%XX`), in Rust so it runs in native tests too.
pub fn encode_component(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push('%');
            encoded.push(char::from(HEX[usize::from(byte >> 4)]));
            encoded.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;
    use leptos_router::{PossibleRouteMatch, path};

    /// The parameters `pattern` (a `path!` of the route table in `app.rs`) takes from the
    /// path part of `address`, or `None` when it does not match all of it.
    fn params(pattern: impl PossibleRouteMatch, address: &str) -> Option<Vec<(String, String)>> {
        let path = address.split(['?', '#']).next().unwrap_or_default();
        let matched = pattern.test(path).filter(|m| m.is_complete())?;
        Some(
            matched
                .params()
                .into_iter()
                .map(|(name, value)| (name.into_owned(), value))
                .collect(),
        )
    }

    fn param(name: &str, value: &str) -> Option<Vec<(String, String)>> {
        Some(vec![(name.to_owned(), value.to_owned())])
    }

    /// Whether a member route of the table in `app/routed.rs` matches `address`.
    fn a_member_route_matches(address: &str) -> bool {
        params(path!("/"), address).is_some()
            || params(path!("/card"), address).is_some()
            || params(path!("/me"), address).is_some()
            || params(path!("/offers"), address).is_some()
            || params(path!("/offers/:id"), address).is_some()
            || params(path!("/coupons"), address).is_some()
            || params(path!("/insurance"), address).is_some()
            || params(path!("/insurance/:id"), address).is_some()
            || params(path!("/aid/*rest"), address).is_some()
    }

    #[test]
    fn member_paths_are_what_the_member_routes_match() {
        for address in [
            "/",
            "/card",
            "/card/x",
            "/cardx",
            "/me",
            "/offers",
            "/offers/off_1",
            "/offers/off_1/x",
            "/coupons",
            "/insurance",
            "/insurance/ins_2",
            "/aid",
            "/aid/apply/aidp_x",
            "/aid/applications/aid_7",
            "/privacy",
            "/centres",
            "/kiosk",
            "/login",
            "/login/wechat",
            "/nowhere",
        ] {
            assert_eq!(
                is_member_path(address),
                a_member_route_matches(address),
                "{address}"
            );
        }
    }

    #[test]
    fn each_fixed_address_is_matched_by_its_route() {
        let none = Some(Vec::new());
        assert_eq!(params(path!("/"), HOME), none);
        assert_eq!(params(path!("/card"), CARD), none);
        assert_eq!(params(path!("/me"), ME), none);
        assert_eq!(params(path!("/offers"), OFFERS), none);
        assert_eq!(params(path!("/coupons"), COUPONS), none);
        assert_eq!(params(path!("/insurance"), INSURANCE), none);
        assert_eq!(params(path!("/centres"), CENTRES), none);
        assert_eq!(params(path!("/privacy"), PRIVACY), none);
        assert_eq!(params(path!("/kiosk"), KIOSK), none);
        assert_eq!(params(path!("/login"), LOGIN), none);
        assert_eq!(params(path!("/login/wechat"), WECHAT_SIGN_IN), none);
        assert_eq!(params(path!("/aid/*rest"), AID), param("rest", ""));
    }

    #[test]
    fn each_built_address_is_matched_by_its_route_with_its_parameter() {
        assert_eq!(
            params(path!("/offers/:id"), &offer("off_1")),
            param("id", "off_1")
        );
        assert_eq!(
            params(path!("/insurance/:id"), &insurance_entitlement("ins_2")),
            param("id", "ins_2")
        );
        let aid = path!("/aid/*rest");
        assert_eq!(
            params(aid, &aid_apply("aidp_x")),
            param("rest", "apply/aidp_x")
        );
        assert_eq!(
            params(aid, &aid_apply_step("aidp_x", 3)),
            param("rest", "apply/aidp_x")
        );
        assert_eq!(
            params(aid, &aid_application("aid_7")),
            param("rest", "applications/aid_7")
        );
        assert_eq!(
            params(aid, &aid_application_submitted("aid_7")),
            param("rest", "applications/aid_7")
        );
        let filtered = offers_list(&OfferFilter {
            category: Some("dining".into()),
            ..OfferFilter::default()
        });
        assert_eq!(params(path!("/offers"), &filtered), Some(Vec::new()));
        assert_eq!(
            params(path!("/login"), &login_returning_to("/card")),
            Some(Vec::new())
        );
        assert_eq!(
            params(path!("/login/wechat"), &wechat_sign_in_returning_to("/")),
            Some(Vec::new())
        );
    }

    #[test]
    fn a_path_segment_cannot_leave_its_route() {
        assert_eq!(offer("a/b?c"), "/offers/a%2Fb%3Fc");
        assert_eq!(
            params(path!("/offers/:id"), &offer("a/b?c")),
            param("id", "a%2Fb%3Fc")
        );
    }

    #[test]
    fn queries_carry_the_step_and_the_arrival() {
        assert_eq!(aid_apply_step("aidp_x", 2), "/aid/apply/aidp_x?step=2");
        assert_eq!(
            aid_application_submitted("aid_7"),
            "/aid/applications/aid_7?submitted=1"
        );
    }

    #[test]
    fn the_offers_address_carries_only_the_chosen_filters_escaped() {
        assert_eq!(offers_list(&OfferFilter::default()), "/offers");
        let filter = OfferFilter {
            category: Some("dining".into()),
            district: Some(String::new()),
            q: Some("饭 & 酒=1".into()),
            near: Some((22.5, 114.0)),
            cursor: Some("ignored".into()),
        };
        assert_eq!(
            offers_list(&filter),
            "/offers?category=dining&q=%E9%A5%AD%20%26%20%E9%85%92%3D1&sort=nearby"
        );
    }

    #[test]
    fn sign_in_returns_to_the_escaped_address() {
        assert_eq!(login_returning_to("/"), "/login");
        assert_eq!(login_returning_to("/card"), "/login?next=%2Fcard");
        assert_eq!(
            login_returning_to("/offers?category=dining&q=%E9%A5%AD#top"),
            "/login?next=%2Foffers%3Fcategory%3Ddining%26q%3D%25E9%25A5%25AD%23top"
        );
        assert_eq!(wechat_sign_in_returning_to("/"), "/login/wechat?next=%2F");
        assert_eq!(
            wechat_sign_in_returning_to("/me?kiosk=X"),
            "/login/wechat?next=%2Fme%3Fkiosk%3DX"
        );
    }

    #[test]
    fn components_are_escaped_as_encode_uri_component_does() {
        assert_eq!(encode_component("AZaz09-_.!~*'()"), "AZaz09-_.!~*'()");
        assert_eq!(
            encode_component(" /?#&=+%,;:@$"),
            "%20%2F%3F%23%26%3D%2B%25%2C%3B%3A%40%24"
        );
        assert_eq!(encode_component("证明"), "%E8%AF%81%E6%98%8E");
        assert_eq!(encode_component(""), "");
    }

    #[test]
    fn only_same_site_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/card".into())), "/card");
        assert_eq!(
            safe_next(Some("/offers?category=dining".into())),
            "/offers?category=dining"
        );
        assert_eq!(safe_next(Some("/me?kiosk=X#top".into())), "/me?kiosk=X#top");
        assert_eq!(safe_next(Some("//evil.example".into())), "/");
        assert_eq!(safe_next(Some("https://evil.example".into())), "/");
        assert_eq!(safe_next(Some("/\\evil.example".into())), "/");
        assert_eq!(safe_next(Some("/\\/evil.example".into())), "/");
        assert_eq!(safe_next(Some("/\t/evil.example".into())), "/");
        assert_eq!(safe_next(Some("/\n/evil.example".into())), "/");
        assert_eq!(safe_next(Some("evil.example".into())), "/");
        assert_eq!(safe_next(Some("javascript:alert(1)".into())), "/");
        assert_eq!(safe_next(Some("".into())), "/");
        assert_eq!(safe_next(Some("/login?next=/x".into())), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn the_return_path_keeps_query_and_fragment_exactly() {
        assert_eq!(return_path("/me", "kiosk=X", ""), "/me?kiosk=X");
        assert_eq!(return_path("/me", "?kiosk=X", "#top"), "/me?kiosk=X#top");
        assert_eq!(
            return_path("/offers", "category=dining&q=%E9%A5%AD", "top"),
            "/offers?category=dining&q=%E9%A5%AD#top"
        );
        assert_eq!(return_path("/card", "", ""), "/card");
        assert_eq!(return_path("/card", "?", "#"), "/card");
    }

    #[test]
    fn a_return_path_survives_the_round_trip_through_sign_in() {
        // What the guard writes is what sign-in follows, unchanged.
        let here = return_path("/offers", "category=dining", "");
        assert_eq!(safe_next(Some(here.clone())), here);
    }
}
