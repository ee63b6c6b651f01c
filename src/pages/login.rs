//! Sign-in: phone + SMS code (default) or phone + password, then back to where the member was
//! going.
use std::time::Duration;

use contract::validate::{PhoneNumber, parse_one_time_code};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{ApiError, use_api};
use crate::components::error_notice::error_text;
use crate::components::page_header::PageHeader;
use crate::i18n::{fill, tr, use_i18n};
use crate::state::session::use_session;

/// Which way the member signs in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Method {
    Code,
    Password,
}

/// Only same-site paths, so a crafted link cannot send the member elsewhere after sign-in.
pub fn safe_next(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/login"))
        .unwrap_or_else(|| "/".to_owned())
}

/// The sign-in route that returns to `next` (a same-site path) afterwards.
pub fn login_path(next: &str) -> String {
    if next == "/" {
        return "/login".to_owned();
    }
    let encoded: String = web_sys::js_sys::encode_uri_component(next).into();
    format!("/login?next={encoded}")
}

/// Route `/login`.
#[component]
pub fn LoginPage() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let method = RwSignal::new(Method::Code);
    let next = move || safe_next(query.with(|q| q.get("next")));
    // Once signed in (here or already), go where the member was heading.
    Effect::new(move || {
        if session.is_signed_in() == Some(true) {
            navigate(
                &next(),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    let tab = move |m: Method, label: fn(&'static crate::i18n::Strings) -> &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                aria-selected=move || (method.get() == m).to_string()
                class="tab"
                on:click=move |_| method.set(m)
            >
                {tr(label)}
            </button>
        }
    };
    view! {
        <section class="page login">
            <PageHeader title=|s| s.shell.login_title/>
            <Show when=move || session.just_expired()>
                <p class="notice" role="status">{tr(|s| s.common.error_session_expired)}</p>
            </Show>
            <div class="tabs" role="tablist">
                {tab(Method::Code, |s| s.auth.with_code)}
                {tab(Method::Password, |s| s.auth.with_password)}
            </div>
            <LoginForm method/>
            <p class="hint">{tr(|s| s.auth.no_account_hint)}</p>
        </section>
    }
}

/// The form for the chosen method. Typed values survive switching methods and failures.
#[component]
fn LoginForm(method: RwSignal<Method>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let phone = RwSignal::new(String::new());
    let phone_touched = RwSignal::new(false);
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let attempted = RwSignal::new(false);

    let phone_valid = Memo::new(move |_| phone.with(|p| PhoneNumber::parse(p).is_ok()));
    let phone_error = move || (phone_touched.get() || attempted.get()) && !phone_valid.get();
    let secret_error = move || {
        attempted.get()
            && match method.get() {
                Method::Code => code.with(|c| parse_one_time_code(c).is_err()),
                Method::Password => password.with(String::is_empty),
            }
    };
    let consent_error = move || attempted.get() && !consent.get();

    let sign_in = Action::new_local(move |_: &()| {
        let api = api.clone();
        let (phone, code, password) = (
            phone.get_untracked(),
            code.get_untracked(),
            password.get_untracked(),
        );
        let method = method.get_untracked();
        async move {
            let result = match method {
                Method::Code => api.sign_in_with_code(phone, code).await,
                Method::Password => api.sign_in_with_password(phone, password).await,
            };
            if let Ok(signed_in) = &result {
                session.signed_in(signed_in.clone());
            }
            result.map(|_| ())
        }
    });
    let failure = move || match sign_in.value().get() {
        Some(Err(error)) => Some(error),
        _ => None,
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempted.set(true);
        if phone_valid.get_untracked()
            && !secret_error()
            && consent.get_untracked()
            && !sign_in.pending().get_untracked()
        {
            sign_in.dispatch(());
        }
    };

    view! {
        <form class="form" on:submit=on_submit novalidate>
            <div class="field">
                <label for="phone">{tr(|s| s.auth.phone)}</label>
                <input
                    id="phone"
                    name="phone"
                    type="tel"
                    inputmode="numeric"
                    autocomplete="tel-national"
                    maxlength="13"
                    aria-describedby="phone-hint phone-error"
                    aria-invalid=move || phone_error().to_string()
                    bind:value=phone
                    on:blur=move |_| phone_touched.set(true)
                />
                <span id="phone-hint" class="hint">{tr(|s| s.auth.phone_hint)}</span>
                <span id="phone-error" class="field-error" aria-live="polite">
                    {move || phone_error().then(|| i18n.t().auth.phone_invalid)}
                </span>
            </div>
            <Show
                when=move || method.get() == Method::Code
                fallback=move || view! { <PasswordField password invalid=Signal::derive(secret_error)/> }
            >
                <CodeField phone code phone_valid invalid=Signal::derive(secret_error)/>
            </Show>
            <div class="field">
                <label class="choice">
                    <input type="checkbox" bind:checked=consent aria-describedby="consent-error"/>
                    <span>
                        {tr(|s| s.auth.consent_before)}
                        <A href="/privacy">{tr(|s| s.auth.privacy_notice)}</A>
                        {tr(|s| s.auth.consent_after)}
                    </span>
                </label>
                <span id="consent-error" class="field-error" aria-live="polite">
                    {move || consent_error().then(|| i18n.t().auth.consent_required)}
                </span>
            </div>
            <div aria-live="assertive">
                {move || failure().map(|error| view! {
                    <p class="notice notice-error" role="alert">{error_text(&error, i18n.t())}</p>
                })}
            </div>
            <button type="submit" class="button button-block" disabled=move || sign_in.pending().get()>
                {move || if sign_in.pending().get() { i18n.t().auth.signing_in } else { i18n.t().auth.sign_in }}
            </button>
        </form>
    }
}

/// The SMS code with its "send code" button and cooldown countdown.
#[component]
fn CodeField(
    phone: RwSignal<String>,
    code: RwSignal<String>,
    phone_valid: Memo<bool>,
    invalid: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let cooldown = RwSignal::new(0u32);
    let tick = set_interval_with_handle(
        move || {
            if cooldown.get_untracked() > 0 {
                cooldown.update(|c| *c -= 1);
            }
        },
        Duration::from_secs(1),
    );
    on_cleanup(move || {
        if let Ok(tick) = tick {
            tick.clear();
        }
    });
    let send = Action::new_local(move |_: &()| {
        let api = api.clone();
        let phone = phone.get_untracked();
        async move {
            let result = api.request_code(phone).await;
            // The server decides the wait: after a send, or when it says we are throttled.
            cooldown.set(match &result {
                Ok(sent) => sent.cooldown_seconds,
                Err(error) => error.retry_after().unwrap_or(0),
            });
            result
        }
    });
    let status = move || match send.value().get() {
        Some(Ok(_)) => Some((false, i18n.t().auth.code_sent.to_owned())),
        Some(Err(error)) => Some((true, send_error_text(&error, i18n.t()))),
        None => None,
    };
    let can_send = move || phone_valid.get() && cooldown.get() == 0 && !send.pending().get();
    view! {
        <div class="field">
            <label for="code">{tr(|s| s.auth.code)}</label>
            <div class="input-with-button">
                <input
                    id="code"
                    name="code"
                    type="text"
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    pattern="[0-9]{6}"
                    maxlength="6"
                    aria-describedby="code-hint code-status"
                    aria-invalid=move || invalid.get().to_string()
                    bind:value=code
                />
                <button
                    type="button"
                    class="button button-secondary send-code"
                    disabled=move || !can_send()
                    on:click=move |_| { if can_send() { send.dispatch(()); } }
                >
                    {move || {
                        let t = i18n.t();
                        if send.pending().get() {
                            t.auth.sending.to_owned()
                        } else if cooldown.get() > 0 {
                            fill(t.auth.resend_in, cooldown.get())
                        } else {
                            t.auth.send_code.to_owned()
                        }
                    }}
                </button>
            </div>
            <span id="code-hint" class="hint">{tr(|s| s.auth.code_hint)}</span>
            <span id="code-status" aria-live="polite">
                {move || invalid.get().then(|| view! { <span class="field-error">{i18n.t().auth.code_invalid}</span> })}
                {move || status().map(|(is_error, text)| view! {
                    <span class=if is_error { "field-error" } else { "field-ok" }>{text}</span>
                })}
            </span>
        </div>
    }
}

/// Throttling says when to retry; everything else as the server or network put it.
fn send_error_text(error: &ApiError, strings: &'static crate::i18n::Strings) -> String {
    match error.retry_after() {
        Some(seconds) => fill(strings.auth.retry_after, seconds),
        None => error_text(error, strings),
    }
}

/// The password alternative.
#[component]
fn PasswordField(password: RwSignal<String>, invalid: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for="password">{tr(|s| s.auth.password)}</label>
            <input
                id="password"
                name="password"
                type="password"
                autocomplete="current-password"
                aria-describedby="password-error"
                aria-invalid=move || invalid.get().to_string()
                bind:value=password
            />
            <span id="password-error" class="field-error" aria-live="polite">
                {move || invalid.get().then(|| i18n.t().auth.password_required)}
            </span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_same_site_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/card".into())), "/card");
        assert_eq!(
            safe_next(Some("/offers?category=dining".into())),
            "/offers?category=dining"
        );
        assert_eq!(safe_next(Some("//evil.example".into())), "/");
        assert_eq!(safe_next(Some("https://evil.example".into())), "/");
        assert_eq!(safe_next(Some("/login?next=/x".into())), "/");
        assert_eq!(safe_next(None), "/");
    }
}
