//! The "me" page: the member's profile (numbers masked), this device's settings, sign-out.
use contract::member::Profile;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::use_api;
use crate::components::async_panel::{AsyncPanel, WhenAllAnswered};
use crate::components::error_notice::ErrorNotice;
use crate::components::page_header::PageHeader;
use crate::components::settings_panel::SettingsPanel;
use crate::i18n::{tr, use_i18n};
use crate::routes;
use crate::state::preferences::use_preferences;
use crate::state::session::use_session;

/// Route `/me`.
#[component]
pub fn MePage() -> impl IntoView {
    let api = use_api();
    let profile = LocalResource::new(move || {
        let api = api.clone();
        async move { api.profile().await }
    });
    view! {
        <section class="page">
            <PageHeader title=|s| s.pages().me/>
            <KioskApproval/>
            <WhenAllAnswered answered=move || profile.with(Option::is_some) lines=10>
                <AsyncPanel resource=profile lines=5 render=|p: Profile| view! { <ProfilePanel profile=p/> }/>
                <SettingsPanel/>
                <SignOutButton/>
                <SignOutEverywhere/>
            </WhenAllAnswered>
        </section>
    }
}

/// Arriving from a kiosk's QR code (`/me?kiosk=…`): approve that kiosk's sign-in, or not.
/// Behind sign-in like the rest of `/me`, so a phone that is not signed in signs in first and
/// comes back here.
#[component]
fn KioskApproval() -> impl IntoView {
    let api = use_api();
    let navigate = use_navigate();
    let code = use_query_map().with_untracked(|q| q.get("kiosk"));
    let approve = Action::new_local(move |code: &String| {
        let api = api.clone();
        let code = code.clone();
        async move { api.approve_kiosk_handoff(&code).await }
    });
    let i18n = use_i18n();
    let dismiss = move |_| {
        navigate(
            routes::ME,
            NavigateOptions {
                replace: true,
                ..NavigateOptions::default()
            },
        )
    };
    code.map(|code| {
        view! {
            <section class="panel notice-step" aria-labelledby="kiosk-approval-heading">
                <h2 id="kiosk-approval-heading">{tr(|s| s.me().kiosk_title)}</h2>
                {move || match approve.value().get() {
                    Some(Ok(())) => view! {
                        <p role="status">{i18n.t().me().kiosk_approved}</p>
                    }.into_any(),
                    outcome => {
                        let code = code.clone();
                        view! {
                            <p>{i18n.t().me().kiosk_question}</p>
                            {outcome.and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
                            <div class="button-row">
                                <button type="button" class="button" disabled=move || approve.pending().get()
                                    on:click=move |_| { approve.dispatch(code.clone()); }>
                                    {i18n.t().me().kiosk_approve}
                                </button>
                                <button type="button" class="button button-secondary" on:click=dismiss.clone()>
                                    {i18n.t().me().kiosk_decline}
                                </button>
                            </div>
                        }.into_any()
                    }
                }}
            </section>
        }
    })
}

#[component]
fn ProfilePanel(profile: Profile) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().me();
    let membership = profile.membership_status;
    let verified = profile.real_name_verified;
    view! {
        <section class="panel" aria-labelledby="profile-heading">
            <h2 id="profile-heading">{tr(|s| s.me().profile)}</h2>
            <dl class="facts">
                <dt>{tr(|s| s.me().name)}</dt>
                <dd>{profile.name}</dd>
                <dt>{tr(|s| s.me().id_number)}</dt>
                <dd class="masked" data-field="id-number">{profile.id_number_masked}</dd>
                <dt>{tr(|s| s.me().phone)}</dt>
                <dd class="masked" data-field="phone">{profile.phone_masked}</dd>
                <dt>{tr(|s| s.me().union)}</dt>
                <dd>{profile.union_path.join(" / ")}</dd>
                <dt>{tr(|s| s.me().joined)}</dt>
                <dd>{profile.joined_on}</dd>
                <dt>{tr(|s| s.me().membership)}</dt>
                <dd>
                    {move || t().membership_labels[membership as usize]}
                    " · "
                    {move || if verified { t().real_name_verified } else { t().real_name_unverified }}
                </dd>
            </dl>
        </section>
    }
}

/// Signs out on the server, wipes member data on the device, and goes to the sign-in page.
#[component]
fn SignOutButton() -> impl IntoView {
    let api = use_api();
    let session = use_session();
    let navigate = use_navigate();
    let preferences = use_preferences();
    let i18n = use_i18n();
    let kiosk = crate::config::use_config().kiosk;
    let sign_out = Action::new_local(move |_: &()| {
        let api = api.clone();
        let navigate = navigate.clone();
        async move {
            // Even if the network fails, the device forgets the member; the server session
            // then ends by its idle timeout.
            let _ = api.sign_out().await;
            session.signed_out();
            if kiosk {
                // The next person at the kiosk starts with the default display and language
                // (the preferences' effects store the defaults).
                preferences.large_text.set(false);
                preferences.elder.set(false);
                i18n.set_locale(crate::i18n::Locale::default());
            }
            navigate(routes::LOGIN, Default::default());
        }
    });
    view! {
        <button type="button" class="button button-secondary button-block sign-out" disabled=move || sign_out.pending().get() on:click=move |_| { sign_out.dispatch(()); }>
            {tr(|s| s.me().sign_out)}
        </button>
    }
}

/// Ends every session of the member (phones, computers, kiosks, this one) and goes to sign-in.
/// Not offered in a kiosk session, which may not reach beyond the kiosk.
#[component]
fn SignOutEverywhere() -> impl IntoView {
    let api = use_api();
    let session = use_session();
    let navigate = use_navigate();
    let i18n = use_i18n();
    let in_kiosk_session = move || session.is_kiosk();
    let action = Action::new_local(move |_: &()| {
        let api = api.clone();
        let navigate = navigate.clone();
        async move {
            api.sign_out_everywhere().await?;
            session.signed_out();
            navigate(routes::LOGIN, Default::default());
            Ok::<(), crate::api::ApiError>(())
        }
    });
    move || {
        (!in_kiosk_session()).then(|| {
            view! {
                <section class="panel sign-out-everywhere" aria-labelledby="everywhere-heading">
                    <h2 id="everywhere-heading" class="visually-hidden">{tr(|s| s.me().sign_out_everywhere)}</h2>
                    <p id="everywhere-hint" class="hint">{tr(|s| s.me().sign_out_everywhere_hint)}</p>
                    {move || action.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
                    <button
                        type="button"
                        class="button button-secondary button-block"
                        aria-describedby="everywhere-hint"
                        disabled=move || action.pending().get()
                        on:click=move |_| { action.dispatch(()); }
                    >
                        {move || if action.pending().get() { i18n.t().me().signing_out_everywhere } else { i18n.t().me().sign_out_everywhere }}
                    </button>
                </section>
            }
        })
    }
}
