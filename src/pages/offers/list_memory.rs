//! Where the member was in the offers list: the offers loaded and how far down the page, kept
//! for this tab, so coming back from an offer (browser back or the in-app back button) lands
//! on the same offer with the same pages rather than at the top of page one. Under
//! `portal.member.`, so signing out forgets it.
use contract::offers::{OfferPage, OfferSummary};
use serde::{Deserialize, Serialize};

use crate::state::device;

const KEY: &str = "portal.member.offers-list";
/// The address alone, so the way back needs no JSON.
const ADDRESS_KEY: &str = "portal.member.offers-list-address";

#[derive(Serialize, Deserialize)]
struct Snapshot {
    /// The list's address (`/offers?…`): a snapshot is only for the list it was taken of.
    address: String,
    items: Vec<OfferSummary>,
    next_cursor: Option<String>,
    scroll_y: f64,
}

/// Remembers the list at `address` as it is on screen now.
pub fn remember(address: &str, items: &[OfferSummary], next_cursor: Option<String>) {
    let snapshot = Snapshot {
        address: address.to_owned(),
        items: items.to_vec(),
        next_cursor,
        scroll_y: crate::browser::page::scroll_y(),
    };
    if let Ok(json) = serde_json::to_string(&snapshot) {
        device::set_for_tab(KEY, &json);
    }
    device::set_for_tab(ADDRESS_KEY, address);
}

/// The list at `address` as the member left it, and how far down it was scrolled.
pub fn recall(address: &str) -> Option<(OfferPage, f64)> {
    let snapshot: Snapshot = serde_json::from_str(&device::get_for_tab(KEY)?).ok()?;
    (snapshot.address == address).then(|| {
        let page = OfferPage {
            items: snapshot.items,
            next_cursor: snapshot.next_cursor,
        };
        (page, snapshot.scroll_y)
    })
}

/// The address of the list the member last opened an offer from, for the way back.
pub fn last_address() -> Option<String> {
    device::get_for_tab(ADDRESS_KEY)
}
