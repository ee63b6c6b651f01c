//! Route `/offers`: partner discounts (普惠优惠) by category and district. The filters live in
//! the address, so a filtered list can be shared and back/forward restore it.
pub mod coupons;
pub mod detail;
mod list_memory;
mod nearby;

use contract::offers::{DistrictCount, OfferCategory, OfferPage, OfferSummary};
use leptos::prelude::TimeoutHandle;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::offers::OfferFilter;
use crate::api::{ApiError, use_api};
use crate::browser::viewport::NearViewport;
use crate::components::async_panel::AsyncPanel;
use crate::components::error_notice::error_text;
use crate::components::later::drawn_later;
use crate::components::page_header::PageHeader;
use crate::i18n::{fill, tr, use_i18n};
use crate::routes;

/// The catalogue.
#[component]
pub fn OffersPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| OfferFilter {
            category: q.get("category"),
            district: q.get("district"),
            q: q.get("q"),
            // A shared `sort=nearby` link sorts by distance once this member allows location.
            near: (q.get("sort").as_deref() == Some("nearby"))
                .then(nearby::saved)
                .flatten(),
            cursor: None,
        })
    });
    view! {
        <section class="page offers">
            <PageHeader title=|s| s.pages().offers/>
            <a href=routes::COUPONS class="button button-secondary">{tr(|s| s.offers().my_coupons)}</a>
            <Search filter/>
            // Each part below a task after the one above: the functions a part calls for the
            // first time are compiled then, on the main thread (a trace), so one render of the
            // whole page was a long task on a slow phone. Each arrives below all that is drawn:
            // nothing moves.
            {drawn_later(move || view! {
                <CategoryChips filter/>
                {drawn_later(move || view! {
                    <DistrictSelect filter/>
                    <NearbyToggle filter/>
                    {drawn_later(move || view! { {move || view! { <OfferList filter=filter.get()/> }} })}
                })}
            })}
        </section>
    }
}

/// "Nearest first": asks for the position only when tapped; says plainly when it cannot.
#[component]
fn NearbyToggle(filter: Memo<OfferFilter>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let locate = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            let near = nearby::locate().await?;
            let path = routes::offers_list(&OfferFilter {
                near: Some(near),
                ..filter.get_untracked()
            });
            navigate(&path, NavigateOptions::default());
            Ok::<_, nearby::LocationError>(())
        }
    });
    let navigate = use_navigate();
    let on = move || filter.with(|f| f.near.is_some());
    let toggle = move |_| {
        if on() {
            let path = routes::offers_list(&OfferFilter {
                near: None,
                ..filter.get_untracked()
            });
            navigate(&path, NavigateOptions::default());
        } else if !locate.pending().get_untracked() {
            locate.dispatch(());
        }
    };
    view! {
        <div class="nearby">
            <button type="button" id="nearby-toggle" class="button button-secondary" aria-pressed=move || on().to_string()
                aria-describedby="nearby-status" on:click=toggle>
                <span aria-hidden="true">"📍 "</span>{tr(|s| s.offers().nearby)}
            </button>
            <p id="nearby-status" class="hint" aria-live="polite">
                {move || if locate.pending().get() {
                    Some(i18n.t().offers().locating)
                } else {
                    locate.value().with(|v| match v {
                        Some(Err(error)) => Some(error.text(i18n.t())),
                        _ => None,
                    })
                }}
            </p>
        </div>
    }
}

/// Keyword search, applied 400 ms after typing stops. While a Chinese input method is composing
/// (pinyin not yet turned into characters) nothing is searched: only the finished text is.
#[component]
fn Search(filter: Memo<OfferFilter>) -> impl IntoView {
    let navigate = use_navigate();
    let composing = RwSignal::new(false);
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    let search = move |text: String| {
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let navigate = navigate.clone();
        let handle = set_timeout_with_handle(
            move || {
                let q = Some(text.trim().to_owned()).filter(|t| !t.is_empty());
                if q != filter.with_untracked(|f| f.q.clone()) {
                    let path = routes::offers_list(&OfferFilter {
                        q,
                        ..filter.get_untracked()
                    });
                    navigate(
                        &path,
                        NavigateOptions {
                            replace: true,
                            ..Default::default()
                        },
                    );
                }
            },
            std::time::Duration::from_millis(400),
        );
        pending.set_value(handle.ok());
    };
    let on_input = {
        let search = search.clone();
        move |ev: leptos::ev::Event| {
            if !composing.get_untracked() {
                search(event_target_value(&ev));
            }
        }
    };
    view! {
        <div class="field">
            <label for="offer-search">{tr(|s| s.offers().search)}</label>
            <input
                id="offer-search"
                type="search"
                enterkeyhint="search"
                prop:value=move || filter.with(|f| f.q.clone().unwrap_or_default())
                on:compositionstart=move |_| composing.set(true)
                on:compositionend=move |ev| {
                    composing.set(false);
                    search(event_target_value(&ev));
                }
                on:input=on_input
            />
        </div>
    }
}

/// The category filters: plain links, like the offers (see `offer_item`).
#[component]
fn CategoryChips(filter: Memo<OfferFilter>) -> impl IntoView {
    let chip = move |category: Option<OfferCategory>| {
        let i18n = use_i18n();
        let code = category.map(|c| c.as_str().to_owned());
        let href = move || {
            routes::offers_list(&OfferFilter {
                category: code.clone(),
                ..filter.get()
            })
        };
        let current =
            move || filter.with(|f| f.category.as_deref() == category.map(|c| c.as_str()));
        view! {
            <a href=href class="chip" aria-current=move || current().then_some("true")>
                {move || match category {
                    Some(c) => i18n.t().offers().category_name(c),
                    None => i18n.t().offers().all,
                }}
            </a>
        }
    };
    view! {
        <nav class="chips" aria-label=tr(|s| s.offers().category)>
            {chip(None)}
            {OfferCategory::ALL.map(|c| chip(Some(c)))}
        </nav>
    }
}

#[component]
fn DistrictSelect(filter: Memo<OfferFilter>) -> impl IntoView {
    let api = use_api();
    let navigate = use_navigate();
    let districts = LocalResource::new(move || {
        let api = api.clone();
        async move { api.districts().await }
    });
    let on_change = move |ev: leptos::ev::Event| {
        let district = Some(event_target_value(&ev)).filter(|d| !d.is_empty());
        let path = routes::offers_list(&OfferFilter {
            district,
            ..filter.get_untracked()
        });
        navigate(&path, NavigateOptions::default());
    };
    let options = move |list: Vec<DistrictCount>| {
        let selected = filter.with(|f| f.district.clone()).unwrap_or_default();
        list.into_iter()
            .map(|d| {
                let is_selected = d.code == selected;
                view! { <option value=d.code selected=is_selected>{d.name}</option> }
            })
            .collect_view()
    };
    view! {
        <div class="field">
            <label for="district">{tr(|s| s.offers().district)}</label>
            <select id="district" on:change=on_change>
                <option value="">{tr(|s| s.offers().all_districts)}</option>
                {move || districts.get().and_then(Result::ok).map(options)}
            </select>
        </div>
    }
}

/// The offers of one filter: as the member left them when coming back from an offer, else
/// the first page.
#[component]
fn OfferList(filter: OfferFilter) -> impl IntoView {
    if let Some((page, scroll_y)) = list_memory::recall(&routes::offers_list(&filter)) {
        return view! { <Pages first=page filter scroll_to=scroll_y/> }.into_any();
    }
    let api = use_api();
    let first = {
        let filter = filter.clone();
        LocalResource::new(move || {
            let (api, filter) = (api.clone(), filter.clone());
            async move { api.offers(&filter).await }
        })
    };
    view! {
        <AsyncPanel resource=first lines=6 render=move |page: OfferPage| view! { <Pages first=page filter=filter.clone()/> }/>
    }
    .into_any()
}

/// The list, growing page by page as the member nears its end (or taps "load more"), and
/// remembered when they open an offer.
#[component]
fn Pages(
    first: OfferPage,
    filter: OfferFilter,
    /// Where to scroll once drawn, when coming back.
    #[prop(optional)]
    scroll_to: Option<f64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let items = RwSignal::new(first.items);
    let next = RwSignal::new(first.next_cursor);
    let address = routes::offers_list(&filter);
    let more = Action::new_local(move |cursor: &String| {
        let api = api.clone();
        let filter = OfferFilter {
            cursor: Some(cursor.clone()),
            ..filter.clone()
        };
        async move {
            let page = api.offers(&filter).await?;
            items.update(|list| list.extend(page.items));
            next.set(page.next_cursor);
            Ok::<_, ApiError>(())
        }
    });
    let load_more = move || {
        if let Some(cursor) = next.get_untracked()
            && !more.pending().get_untracked()
        {
            more.dispatch(cursor);
        }
    };
    let sentinel = NodeRef::<leptos::html::Div>::new();
    load_when_near(sentinel, load_more);
    if let Some(y) = scroll_to {
        request_animation_frame(move || {
            crate::browser::page::scroll_to(y);
        });
    }
    let remember = move |_| {
        items.with_untracked(|list| list_memory::remember(&address, list, next.get_untracked()));
    };
    view! {
        {move || items.with(Vec::is_empty).then(|| view! { <p class="notice">{tr(|s| s.offers().none)}</p> })}
        <ul class="offer-list" on:click=remember>
            {move || items.get().into_iter().map(offer_item).collect_view()}
        </ul>
        <div node_ref=sentinel aria-live="polite">
            {move || more.value().with(|v| match v {
                Some(Err(e)) => Some(view! { <p class="notice notice-error" role="alert">{error_text(e, i18n.t())}</p> }),
                _ => None,
            })}
        </div>
        {move || next.get().is_some().then(|| view! {
            <button type="button" class="button button-secondary button-block load-more"
                disabled=move || more.pending().get() on:click=move |_| load_more()>
                {tr(|s| s.offers().load_more)}
            </button>
        })}
    }
}

/// Calls `load` whenever `sentinel` comes within 600 px of the viewport (reached through
/// `browser` so the first load carries no shims for it). The button stays for keyboards,
/// screen readers and browsers without it.
fn load_when_near(sentinel: NodeRef<leptos::html::Div>, load: impl Fn() + Copy + 'static) {
    let watching = StoredValue::new_local(None::<NearViewport>);
    sentinel.on_load(move |element| {
        watching.set_value(NearViewport::watch(&element, "600px 0px", load));
    });
    on_cleanup(move || {
        watching.try_with_value(|watching| {
            if let Some(watching) = watching {
                watching.stop();
            }
        });
    });
}

/// One offer. Its link is a plain `<a>`, which the router follows as it does an `<A>` (an
/// absolute address, no active-link state): twenty router links made the page's first render
/// the longest task of a member's start on a slow phone (a trace).
fn offer_item(offer: OfferSummary) -> impl IntoView {
    let i18n = use_i18n();
    let href = routes::offer(&offer.id);
    let stock = offer.stock_left;
    view! {
        <li class="offer">
            <a href=href>
                <strong class="offer-merchant">{offer.merchant_name}</strong>
                <span class="offer-discount">{offer.discount}</span>
                <span class="hint">
                    {offer.distance_m.map(|m| format!("{} · ", nearby::distance_text(m, i18n.current())))}
                    {offer.district_name}" · "{tr(|s| s.offers().valid_until)}" "{offer.valid_until.get(..10).unwrap_or_default().to_owned()}
                </span>
                {stock.map(|left| view! {
                    <span class="badge badge-wait">
                        {move || if left == 0 { i18n.t().offers().sold_out.to_owned() } else { fill(i18n.t().offers().stock_left, left) }}
                    </span>
                })}
            </a>
        </li>
    }
}
