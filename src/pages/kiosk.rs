//! Route `/kiosk`: the service-centre kiosk's attract screen and sign-in by member card number
//! and PIN, with an on-screen numeric keypad (a card reader that types the number works too).
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use contract::auth::KioskHandoffState;
use leptos::task::spawn_local;

use crate::api::use_api;
use crate::browser::page::sleep_ms;
use crate::components::error_notice::error_text;
use crate::components::qr_code::QrCodeSvg;
use crate::i18n::{tr, use_i18n};
use crate::routes;
use crate::state::session::use_session;

/// Which field the keypad types into.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Card,
    Pin,
}

/// The kiosk's sign-in screen.
#[component]
pub fn KioskPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let navigate = use_navigate();
    Effect::new(move || {
        if session.is_signed_in() == Some(true) {
            navigate(
                routes::HOME,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    let card = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let target = RwSignal::new(Field::Card);
    let incomplete = RwSignal::new(false);
    let field = move |f: Field| if f == Field::Card { card } else { pin };
    let sign_in = Action::new_local(move |_: &()| {
        let api = api.clone();
        let (card, pin) = (card.get_untracked(), pin.get_untracked());
        async move {
            let signed_in = api.kiosk_sign_in(&card, &pin).await?;
            session.signed_in(signed_in);
            Ok::<(), crate::api::ApiError>(())
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let ready = card.with(|c| (16..=19).contains(&c.len())) && pin.with(|p| p.len() == 6);
        incomplete.set(!ready);
        if ready && !sign_in.pending().get_untracked() {
            sign_in.dispatch(());
            pin.set(String::new());
        }
    };
    let key = move |label: &'static str, press: Box<dyn Fn() + Send + Sync>| {
        view! { <button type="button" class="key" on:click=move |_| press()>{label}</button> }
    };
    let digit = move |d: char| {
        key(
            ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"][d as usize - '0' as usize],
            Box::new(move || {
                let limit = if target.get_untracked() == Field::Card {
                    19
                } else {
                    6
                };
                field(target.get_untracked()).update(|v| {
                    if v.len() < limit {
                        v.push(d);
                    }
                });
            }),
        )
    };
    let input = move |f: Field, id: &'static str, kind: &'static str, hint: &'static str| {
        view! {
            <input
                id=id
                type=kind
                inputmode="none"
                autocomplete="off"
                aria-describedby=hint
                class:active=move || target.get() == f
                prop:value=move || field(f).get()
                on:focus=move |_| target.set(f)
                on:input=move |ev| {
                    let digits: String = event_target_value(&ev).chars().filter(char::is_ascii_digit).collect();
                    field(f).set(digits);
                }
            />
        }
    };
    view! {
        <section class="page kiosk">
            <h1 class="page-title">{tr(|s| s.kiosk().title)}</h1>
            <p class="intro">{tr(|s| s.kiosk().intro)}</p>
            <form class="form" on:submit=on_submit novalidate>
                <div class="field">
                    <label for="kiosk-card">{tr(|s| s.kiosk().card_number)}</label>
                    {input(Field::Card, "kiosk-card", "text", "kiosk-card-hint")}
                    <span id="kiosk-card-hint" class="hint">{tr(|s| s.kiosk().card_number_hint)}</span>
                </div>
                <div class="field">
                    <label for="kiosk-pin">{tr(|s| s.kiosk().pin)}</label>
                    {input(Field::Pin, "kiosk-pin", "password", "kiosk-pin-hint")}
                    <span id="kiosk-pin-hint" class="hint">{tr(|s| s.kiosk().pin_hint)}</span>
                </div>
                <div class="keypad" role="group" aria-label=tr(|s| s.kiosk().keypad)>
                    {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map(digit)}
                    {key(tr(|s| s.kiosk().clear), Box::new(move || field(target.get_untracked()).set(String::new())))}
                    {digit('0')}
                    {key(tr(|s| s.kiosk().delete), Box::new(move || field(target.get_untracked()).update(|v| { v.pop(); })))}
                </div>
                <div aria-live="assertive">
                    {move || incomplete.get().then(|| view! { <p class="notice notice-error" role="alert">{tr(|s| s.kiosk().incomplete)}</p> })}
                    {move || sign_in.value().with(|v| match v {
                        Some(Err(error)) => Some(error_text(error, i18n.t())),
                        _ => None,
                    }).map(|text| view! { <p class="notice notice-error" role="alert">{text}</p> })}
                </div>
                <button type="submit" class="button button-block" disabled=move || sign_in.pending().get()>
                    {move || if sign_in.pending().get() { i18n.t().kiosk().signing_in } else { i18n.t().kiosk().sign_in }}
                </button>
            </form>
            <PhoneSignIn/>
        </section>
    }
}

/// Signing in with the member's own phone: a QR code of the member portal's
/// `/me?kiosk=…` (the deployment's `memberPortalUrl`, else this origin), renewed when it
/// expires, and polled every two seconds until the phone approves. Polling stops when the
/// page goes (the stored flag is disposed with it). A kiosk that is not enrolled says so
/// instead of showing a code.
#[component]
fn PhoneSignIn() -> impl IntoView {
    let api = use_api();
    let session = use_session();
    let i18n = use_i18n();
    let address = RwSignal::new(String::new());
    let refused = RwSignal::new(None::<crate::api::ApiError>);
    let on_screen = StoredValue::new(());
    let portal = crate::config::use_config()
        .member_portal_url
        .unwrap_or_else(|| window().location().origin().unwrap_or_default());
    spawn_local(async move {
        let still_here = move || on_screen.try_get_value().is_some();
        'renew: while still_here() {
            let handoff = match api.kiosk_handoff().await {
                Ok(handoff) => handoff,
                Err(error) if error.code() == Some("kiosk_not_enrolled") => {
                    // Only an operator can fix this (`admin kiosk enroll`): stop asking.
                    refused.try_set(Some(error));
                    return;
                }
                Err(_) => {
                    sleep_ms(5_000).await;
                    continue;
                }
            };
            address.try_set(format!("{portal}/me?kiosk={}", handoff.code));
            loop {
                sleep_ms(2_000).await;
                if !still_here() {
                    return;
                }
                match api.claim_kiosk_handoff(&handoff).await {
                    Ok(KioskHandoffState::SignedIn { session: signed_in }) => {
                        session.signed_in(signed_in);
                        return;
                    }
                    Err(error) if error.code() == Some("handoff_expired") => continue 'renew,
                    // Waiting, or a dropped connection: ask again.
                    _ => {}
                }
            }
        }
    });
    view! {
        <section class="panel kiosk-phone" aria-labelledby="phone-heading">
            <h2 id="phone-heading">{tr(|s| s.kiosk().or_phone)}</h2>
            <p>{tr(|s| s.kiosk().phone_hint)}</p>
            {move || address.with(|a| !a.is_empty()).then(|| view! {
                <div class="kiosk-qr" data-handoff=address>
                    <QrCodeSvg text=address label=tr(|s| s.kiosk().phone_qr).to_owned()/>
                </div>
            })}
            {move || refused.get().map(|error| view! {
                <p class="notice notice-error" role="alert">{error_text(&error, i18n.t())}</p>
            })}
            {move || refused.with(Option::is_none).then(|| view! {
                <p class="hint" role="status">{tr(|s| s.kiosk().phone_waiting)}</p>
            })}
        </section>
    }
}
