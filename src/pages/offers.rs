//! Route `/offers`: partner discounts (普惠优惠) by category and district. The filters live in
//! the address, so a filtered list can be shared and back/forward restore it.
pub mod coupons;
pub mod detail;

use contract::offers::{DistrictCount, OfferCategory, OfferPage, OfferSummary};
use leptos::prelude::TimeoutHandle;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::offers::OfferFilter;
use crate::api::{ApiError, use_api};
use crate::components::async_panel::AsyncPanel;
use crate::components::error_notice::error_text;
use crate::components::page_header::PageHeader;
use crate::i18n::{fill, tr, use_i18n};

/// The catalogue.
#[component]
pub fn OffersPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| OfferFilter {
            category: q.get("category"),
            district: q.get("district"),
            q: q.get("q"),
            cursor: None,
        })
    });
    view! {
        <section class="page offers">
            <PageHeader title=|s| s.shell.offers_title/>
            <A href="/coupons" attr:class="button button-secondary">{tr(|s| s.offers().my_coupons)}</A>
            <Search filter/>
            <CategoryChips filter/>
            <DistrictSelect filter/>
            {move || view! { <OfferList filter=filter.get()/> }}
        </section>
    }
}

/// The `/offers` address for a filter.
fn offers_path(filter: &OfferFilter) -> String {
    let query = filter.query();
    // `query()` always starts with the page size, which the address does not need.
    let rest = query
        .strip_prefix("limit=20")
        .unwrap_or(&query)
        .trim_start_matches('&');
    if rest.is_empty() {
        "/offers".to_owned()
    } else {
        format!("/offers?{rest}")
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
                    let path = offers_path(&OfferFilter {
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

#[component]
fn CategoryChips(filter: Memo<OfferFilter>) -> impl IntoView {
    let chip = move |category: Option<OfferCategory>| {
        let i18n = use_i18n();
        let code = category.map(|c| c.as_str().to_owned());
        let href = move || {
            offers_path(&OfferFilter {
                category: code.clone(),
                ..filter.get()
            })
        };
        let current =
            move || filter.with(|f| f.category.as_deref() == category.map(|c| c.as_str()));
        view! {
            <A href=href attr:class="chip" attr:aria-current=move || current().then_some("true")>
                {move || match category {
                    Some(c) => i18n.t().offers().category_name(c),
                    None => i18n.t().offers().all,
                }}
            </A>
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
        let path = offers_path(&OfferFilter {
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

/// The offers of one filter: the first page, then more on request.
#[component]
fn OfferList(filter: OfferFilter) -> impl IntoView {
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
}

#[component]
fn Pages(first: OfferPage, filter: OfferFilter) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let items = RwSignal::new(first.items);
    let next = RwSignal::new(first.next_cursor);
    let loading = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let load_more = move |_| {
        let (api, cursor) = (api.clone(), next.get_untracked());
        let filter = OfferFilter {
            cursor,
            ..filter.clone()
        };
        loading.set(true);
        spawn_local(async move {
            match api.offers(&filter).await {
                Ok(page) => {
                    items.update(|list| list.extend(page.items));
                    next.set(page.next_cursor);
                    failure.set(None);
                }
                Err(error) => failure.set(Some(error)),
            }
            loading.set(false);
        });
    };
    view! {
        {move || items.with(Vec::is_empty).then(|| view! { <p class="notice">{tr(|s| s.offers().none)}</p> })}
        <ul class="offer-list">
            {move || items.get().into_iter().map(offer_item).collect_view()}
        </ul>
        <div aria-live="polite">
            {move || failure.get().map(|e| view! { <p class="notice notice-error" role="alert">{error_text(&e, i18n.t())}</p> })}
        </div>
        {move || next.get().is_some().then(|| view! {
            <button type="button" class="button button-secondary button-block load-more" disabled=move || loading.get() on:click=load_more.clone()>
                {tr(|s| s.offers().load_more)}
            </button>
        })}
    }
}

fn offer_item(offer: OfferSummary) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/offers/{}", offer.id);
    let stock = offer.stock_left;
    view! {
        <li class="offer">
            <A href=href>
                <strong class="offer-merchant">{offer.merchant_name}</strong>
                <span class="offer-discount">{offer.discount}</span>
                <span class="hint">
                    {offer.district_name}" · "{tr(|s| s.offers().valid_until)}" "{offer.valid_until.get(..10).unwrap_or_default().to_owned()}
                </span>
                {stock.map(|left| view! {
                    <span class="badge badge-wait">
                        {move || if left == 0 { i18n.t().offers().sold_out.to_owned() } else { fill(i18n.t().offers().stock_left, left) }}
                    </span>
                })}
            </A>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_carries_only_the_chosen_filters() {
        assert_eq!(offers_path(&OfferFilter::default()), "/offers");
    }
}
