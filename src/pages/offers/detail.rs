//! Route `/offers/:id`: one offer — merchant, discount, terms, validity, address with a map
//! link, how to redeem, tap-to-call — and for limited offers the stock and the claim.
use contract::card::CardStatus;
use contract::offers::{Coupon, OfferDetail};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::offers::map_link;
use crate::api::use_api;
use crate::components::async_panel::{AsyncPanel, WhenAllAnswered};
use crate::components::error_notice::error_text;
use crate::components::page_header::{PageHeader, set_page_title};
use crate::components::qr_code::QrCodeSvg;
use crate::i18n::{fill, tr, use_i18n};
use crate::routes;

/// The detail page.
#[component]
pub fn OfferDetailPage() -> impl IntoView {
    let api = use_api();
    let params = use_params_map();
    let offer = LocalResource::new(move || {
        let api = api.clone();
        let id = params.with(|p| p.get("id").unwrap_or_default());
        async move { api.offer(&id).await }
    });
    // Asked at once, beside the offer, so the claim section knows whether this member can
    // claim before it offers the button.
    let api = use_api();
    let card = LocalResource::new(move || {
        let api = api.clone();
        async move { api.card().await }
    });
    let card_status =
        move || card.with(|c| c.as_ref().and_then(|c| c.as_ref().ok()).map(|c| c.status));
    let answered = move || offer.with(Option::is_some) && card.with(Option::is_some);
    view! {
        <section class="page offer-detail">
            <PageHeader title=|s| s.pages().offers/>
            // The back link comes with the content, so it never moves.
            <WhenAllAnswered answered lines=9>
                <AsyncPanel resource=offer lines=8 render=move |offer| offer_view(offer, card_status())/>
                // Back to the list the member came from, with its filters and where they were.
                <A href=super::list_memory::last_address().unwrap_or_else(|| routes::OFFERS.into())
                    attr:class="button button-secondary">{tr(|s| s.offers().back)}</A>
            </WhenAllAnswered>
        </section>
    }
}

/// `card`: the member's card status, when it could be read (the server decides a claim
/// anyway).
fn offer_view(offer: OfferDetail, card: Option<CardStatus>) -> impl IntoView {
    let i18n = use_i18n();
    // The tab (and WeChat's title bar) names this offer, not the list.
    set_page_title(&format!("{} · {}", offer.merchant_name, offer.discount));
    let redemption = offer.redemption;
    let map = map_link(&offer);
    let limited = offer.stock_total.is_some();
    view! {
        <section class="panel" aria-labelledby="offer-heading">
            <h2 id="offer-heading">{offer.merchant_name.clone()}</h2>
            <p class="offer-discount">{offer.discount.clone()}</p>
            <dl class="facts">
                <dt>{tr(|s| s.offers().valid_until)}</dt>
                <dd>{offer.valid_until.get(..10).unwrap_or_default().to_owned()}</dd>
                <dt>{tr(|s| s.offers().address)}</dt>
                <dd>{offer.district_name.clone()}" "{offer.address.clone()}" · "<a href=map>{tr(|s| s.offers().open_map)}</a></dd>
                {super::nearby::saved().map(|here| {
                    let metres = super::nearby::metres_between(here, (offer.lat, offer.lng));
                    view! {
                        <dt>{tr(|s| s.offers().distance)}</dt>
                        <dd>{super::nearby::distance_text(metres, i18n.current())}</dd>
                    }
                })}
            </dl>
            <h3>{tr(|s| s.offers().how_to_redeem)}</h3>
            <p>{move || i18n.t().offers().redemption_text(redemption)}</p>
            <h3>{tr(|s| s.offers().terms)}</h3>
            <p>{offer.terms.clone()}</p>
            <a class="button button-secondary" href=format!("tel:{}", offer.phone)>{tr(|s| s.offers().call)}" "{offer.phone.clone()}</a>
        </section>
        {limited.then(|| view! { <ClaimPanel offer card/> })}
    }
}

/// Stock and the claim button; a claimed coupon shows its code and QR at once. A double tap
/// cannot claim twice: the button is disabled while claiming and the server returns the same
/// coupon to a second claim. A member whose card cannot claim is told why and what to do,
/// and offered no button.
#[component]
fn ClaimPanel(offer: OfferDetail, card: Option<CardStatus>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let id = offer.id.clone();
    let mine = RwSignal::new(offer.my_coupon.clone());
    let stock_left = offer.stock_left.unwrap_or(0);
    let claim = Action::new_local(move |_: &()| {
        let (api, id) = (api.clone(), id.clone());
        async move {
            let outcome = api.claim_offer(&id).await?;
            mine.set(Some(outcome.coupon));
            Ok::<(), crate::api::ApiError>(())
        }
    });
    let blocked_by_card = card.filter(|status| *status != CardStatus::Active);
    view! {
        <section class="panel" aria-labelledby="claim-heading">
            <h2 id="claim-heading">
                {move || if mine.with(Option::is_some) { i18n.t().offers().your_coupon } else { i18n.t().offers().claim }}
            </h2>
            // Present before the claim, so screen readers announce the success when it lands.
            <div role="status" aria-live="polite">
                {move || claim.value().with(|v| matches!(v, Some(Ok(())))).then(|| view! {
                    <p class="notice">{move || i18n.t().offers().claim_succeeded}</p>
                })}
            </div>
            {move || match (mine.get(), blocked_by_card) {
                (Some(coupon), _) => coupon_view(coupon).into_any(),
                (None, _) if stock_left == 0 || !offer.claimable => view! {
                    <p class="badge badge-stop"><span aria-hidden="true">"!"</span>{tr(|s| s.offers().sold_out)}</p>
                }.into_any(),
                (None, Some(status)) => card_blocks_claim(status).into_any(),
                (None, None) => view! {
                    <p>{fill(i18n.t().offers().stock_left, stock_left)}</p>
                    <button type="button" class="button button-block claim" disabled=move || claim.pending().get() on:click=move |_| {
                        // A second tap before the button disables must not send a second claim.
                        if !claim.pending().get_untracked() {
                            claim.dispatch(());
                        }
                    }>
                        {move || if claim.pending().get() { i18n.t().offers().claiming } else { i18n.t().offers().claim }}
                    </button>
                }.into_any(),
            }}
            <div aria-live="assertive">
                {move || claim.value().with(|v| match v {
                    Some(Err(error)) => Some(error_text(error, i18n.t())),
                    _ => None,
                }).map(|text| view! { <p class="notice notice-error" role="alert">{text}</p> })}
            </div>
        </section>
    }
}

/// Why this member's card cannot claim, in the card page's own words, and what to do.
fn card_blocks_claim(status: CardStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="notice notice-step" data-card-status=status.as_str()>
            <p>
                <strong>{move || fill(i18n.t().offers().card_cannot_claim, i18n.t().card().status_label(status))}</strong>
            </p>
            <p>{move || i18n.t().card().status_explained(status)}</p>
            {status.next_step().map(|step| view! {
                <p>
                    <strong>{move || i18n.t().card().next_step}": "</strong>
                    {move || i18n.t().card().next_step_text(step)}
                </p>
            })}
            <A href=routes::CARD attr:class="button button-secondary">{move || i18n.t().offers().see_card}</A>
        </div>
    }
}

/// A coupon's code, large and as a QR code for the cashier.
pub fn coupon_view(coupon: Coupon) -> impl IntoView {
    let i18n = use_i18n();
    let status = coupon.status;
    let code = coupon.code.clone();
    view! {
        <div class="coupon">
            <p class="badge badge-ok">
                <span aria-hidden="true">"✓"</span>
                {move || i18n.t().offers().coupon_status_text(status)}
            </p>
            <p>{tr(|s| s.offers().coupon_code)}": "<strong class="coupon-code">{coupon.code}</strong></p>
            <QrCodeSvg text=code.clone() label=code/>
        </div>
    }
}
