//! Route `/coupons`: the coupons the member claimed, with status and codes, and for an unused
//! one the QR code the cashier scans.
use contract::offers::{Coupon, CouponStatus};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::use_api;
use crate::components::async_panel::{AsyncPanel, WhenAllAnswered};
use crate::components::page_header::PageHeader;
use crate::components::qr_code::QrCodeSvg;
use crate::i18n::{tr, use_i18n};
use crate::routes;

/// My coupons.
#[component]
pub fn CouponsPage() -> impl IntoView {
    let api = use_api();
    let coupons = LocalResource::new(move || {
        let api = api.clone();
        async move { api.my_coupons().await }
    });
    view! {
        <section class="page coupons">
            <PageHeader title=|s| s.offers().my_coupons/>
            // The back link comes with the content, so it never moves.
            <WhenAllAnswered answered=move || coupons.with(Option::is_some) lines=5>
                <AsyncPanel resource=coupons lines=4 render=coupon_list/>
                <A href=routes::OFFERS attr:class="button button-secondary">{tr(|s| s.offers().back)}</A>
            </WhenAllAnswered>
        </section>
    }
}

fn coupon_list(coupons: Vec<Coupon>) -> AnyView {
    if coupons.is_empty() {
        return view! { <p class="notice">{tr(|s| s.offers().no_coupons)}</p> }.into_any();
    }
    let i18n = use_i18n();
    let items = coupons.into_iter().map(|coupon| {
        let status = coupon.status;
        // Only a coupon that can still be used is worth scanning.
        let qr = (status == CouponStatus::Unused).then(|| {
            let label = format!("{}: {}", tr(|s| s.offers().coupon_code), coupon.code);
            // `coupon` sizes the code as on the offer page.
            view! { <div class="coupon"><QrCodeSvg text=coupon.code.clone() label/></div> }
        });
        view! {
            <li class="panel coupon-item">
                <strong>{coupon.merchant_name}</strong>" · "{coupon.discount}
                <p>
                    <span class="badge badge-neutral">{move || i18n.t().offers().coupon_status_text(status)}</span>
                    " "<span class="coupon-code">{coupon.code}</span>
                </p>
                {qr}
            </li>
        }
    });
    view! { <ul class="coupon-list">{items.collect_view()}</ul> }.into_any()
}
