//! The e-card's QR code: a short-lived signed token drawn in the browser, renewed before it
//! expires with a visible countdown; with no network, a code the phone derives every 30 s from
//! the device key it kept while online.
use std::time::Duration;

use leptos::prelude::*;

use crate::api::use_api;
use crate::components::async_panel::AsyncPanel;
use crate::components::qr_code::QrCodeSvg;
use crate::i18n::{fill, tr, use_i18n};
use crate::state::offline_card;

/// Renew this many seconds before the token runs out, so a scanner never sees an expired code.
const RENEW_MARGIN: f64 = 5.0;

fn now_seconds() -> f64 {
    web_sys::js_sys::Date::now() / 1000.0
}

/// The member code for merchants, large and black on white, with its countdown.
#[component]
pub fn EcardQr() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    // The token and the local time it arrived: the countdown never trusts the device's clock
    // against the server's.
    let token = LocalResource::new(move || {
        let api = api.clone();
        async move { api.ecard_token().await.map(|t| (t, now_seconds())) }
    });
    let now = RwSignal::new(now_seconds());
    let deadline = move || {
        token
            .get()
            .and_then(Result::ok)
            .map(|(t, received)| received + f64::from(t.valid_for_seconds))
    };
    let last_renewal = StoredValue::new(0.0);
    let tick = set_interval_with_handle(
        move || {
            let time = now_seconds();
            now.set(time);
            let due = deadline().is_some_and(|d| d - time <= RENEW_MARGIN);
            if due && time - last_renewal.get_value() > RENEW_MARGIN {
                last_renewal.set_value(time);
                token.refetch();
            }
        },
        Duration::from_secs(1),
    );
    on_cleanup(move || {
        if let Ok(tick) = tick {
            tick.clear();
        }
    });
    let seconds_left = move || {
        deadline()
            .map(|d| (d - now.get()).max(0.0).round() as u32)
            .unwrap_or(0)
    };
    view! {
        <div class="ecard-qr">
            // The code's square is kept while it loads, so the lines below never move.
            <div class="qr-slot">
                <AsyncPanel resource=token lines=6 render=move |(t, _)| view! {
                    <QrCodeSvg text=t.token label=Signal::derive(move || i18n.t().card().qr_label.to_owned())/>
                }/>
            </div>
            <p class="qr-countdown" aria-live="off">{move || fill(i18n.t().card().qr_refresh_in, seconds_left())}</p>
            <p class="hint">{tr(|s| s.card().qr_hint)}</p>
        </div>
    }
}

/// The member code with no network, from the device key kept while online; the
/// needs-network notice when no unexpired key is kept. The payload is also in `data-payload`,
/// as merchants' scanners read it from the QR code.
#[component]
pub fn OfflineEcardQr() -> impl IntoView {
    let i18n = use_i18n();
    let code = RwSignal::new(offline_card::offline_code_now());
    let tick = set_interval_with_handle(
        move || code.set(offline_card::offline_code_now()),
        Duration::from_secs(1),
    );
    on_cleanup(move || {
        if let Ok(tick) = tick {
            tick.clear();
        }
    });
    // Only a new step redraws the symbol; the countdown changes every second.
    let payload = Memo::new(move |_| code.with(|c| c.as_ref().map(|(p, _)| p.clone())));
    let seconds_left = move || code.with(|c| c.as_ref().map_or(0, |(_, s)| *s));
    view! {
        <Show
            when=move || payload.with(Option::is_some)
            fallback=|| view! { <p class="notice">{tr(|s| s.card().qr_needs_network)}</p> }
        >
            <div class="ecard-qr ecard-qr-offline">
                <div class="qr-slot" data-payload=move || payload.get().unwrap_or_default()>
                    <QrCodeSvg
                        text=Signal::derive(move || payload.get().unwrap_or_default())
                        label=Signal::derive(move || i18n.t().card().qr_label.to_owned())
                    />
                </div>
                <p class="qr-countdown" aria-live="off">
                    {move || fill(i18n.t().card().offline_qr_changes_in, seconds_left())}
                </p>
                <p class="hint">{tr(|s| s.card().offline_qr_hint)}</p>
            </div>
        </Show>
    }
}
