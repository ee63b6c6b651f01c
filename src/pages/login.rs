//! Sign-in: phone + SMS code (default) or phone + password, then back to where the member was
//! going.
use std::time::Duration;

use contract::validate::{PhoneNumber, parse_one_time_code};
use leptos::prelude::*;

use crate::api::{ApiError, use_api};
use crate::app::navigation::use_navigation;
use crate::browser::{page, prefetch};
use crate::components::error_notice::error_text;
use crate::components::page_header::PageHeader;
use crate::config::use_config;
use crate::i18n::{TextKey, fill, tr, use_i18n};
use crate::routes;
use crate::state::device;
use crate::state::session::use_session;

/// Where a bind token waits while a member whose WeChat account is not yet bound signs in.
pub const WECHAT_BIND_KEY: &str = "portal.member.wechat-bind";

/// Whether the page runs in WeChat's in-app browser.
fn in_wechat() -> bool {
    window()
        .navigator()
        .user_agent()
        .is_ok_and(|agent| agent.contains("MicroMessenger"))
}

/// Route `/login`.
///
/// Written lean on purpose: this page is in the main module, the first thing every new device
/// downloads, so it avoids generic helpers that would each add their own copy of reactive code
/// (plain closures over `Show`/`Memo`/`Signal::derive`; one `bool` picks the method).
#[component]
pub fn LoginPage() -> impl IntoView {
    let session = use_session();
    let navigation = use_navigation();
    let next = || routes::safe_next(page::query_param("next"));
    // Once signed in (here or already), go where the member was heading; a WeChat account that
    // came back not yet bound is linked on the way (by the WeChat page, loaded on demand).
    let kiosk = use_config().kiosk;
    Effect::new(move || {
        if kiosk && session.is_signed_in() == Some(false) {
            // A kiosk signs in by member card and PIN on its own screen.
            navigation.go(routes::KIOSK, false);
        } else if session.is_signed_in() == Some(true) {
            let next = next();
            let next = if device::get(WECHAT_BIND_KEY).is_some() {
                routes::wechat_sign_in_returning_to(&next)
            } else {
                next
            };
            navigation.go(&next, true);
            // The form that had focus is gone: hand focus to the destination screen.
            crate::app::focus_main();
        }
    });
    let with_password = RwSignal::new(false);
    let tab = move |password: bool, label: TextKey| {
        view! {
            <button
                type="button"
                role="tab"
                aria-selected=move || (with_password.get() == password).to_string()
                class="tab"
                on:click=move |_| with_password.set(password)
            >
                {tr(label)}
            </button>
        }
    };
    let offers_wechat = in_wechat() && use_config().wechat_app_id.is_some();
    view! {
        // The member starts on the form: fetch the code of the screen they will land on.
        <section class="page login" on:focusin=move |_| prefetch::prepare_screen(&next())>
            <PageHeader title=|s| s.shell.login_title/>
            {move || session.just_expired().then(|| view! {
                <p class="notice" role="status">{tr(|s| s.common.error_session_expired)}</p>
            })}
            {device::get(WECHAT_BIND_KEY).map(|_| view! {
                <p class="notice" role="status">{tr(|s| s.auth.wechat_bind_hint)}</p>
            })}
            {offers_wechat.then(|| view! {
                <a class="button button-block wechat" href=routes::wechat_sign_in_returning_to(&next())>{tr(|s| s.auth.wechat_sign_in)}</a>
            })}
            <div class="tabs" role="tablist">
                {tab(false, |s| s.auth.with_code)}
                {tab(true, |s| s.auth.with_password)}
            </div>
            {login_form(with_password)}
            <p class="hint">{tr(|s| s.auth.no_account_hint)}</p>
        </section>
    }
}

/// The form for the chosen method. Typed values survive switching methods and failures.
fn login_form(with_password: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let phone = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    // Errors show once a field was left with something typed in it, or a submit was tried:
    // not while typing, and not for merely tabbing past an empty field.
    let phone_touched = RwSignal::new(false);
    let attempted = RwSignal::new(false);
    // Counts failed submissions, so the same error coming back is drawn (and announced) anew.
    let failures = RwSignal::new(0u32);

    let phone_valid = move || phone.with(|p| PhoneNumber::parse(p).is_ok());
    let phone_error = move || (phone_touched.get() || attempted.get()) && !phone_valid();
    let secret_missing = move || {
        if with_password.get() {
            password.with(String::is_empty)
        } else {
            code.with(|c| parse_one_time_code(c).is_err())
        }
    };
    let secret_error = move || attempted.get() && secret_missing();
    let consent_error = move || attempted.get() && !consent.get();

    let sign_in = Action::new_local(move |_: &()| {
        let api = api.clone();
        let phone = phone.get_untracked();
        let password_secret = with_password
            .get_untracked()
            .then(|| password.get_untracked());
        let code = code.get_untracked();
        async move {
            let result = match password_secret {
                Some(password) => api.sign_in_with_password(phone, password).await,
                None => api.sign_in_with_code(phone, code).await,
            };
            if result.is_err() {
                failures.update(|n| *n += 1);
            }
            session.signed_in(result?);
            Ok(())
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempted.set(true);
        let ready = phone_valid() && !secret_missing() && consent.get_untracked();
        if ready && !sign_in.pending().get_untracked() {
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
                    on:blur=move |_| phone_touched.set(phone.with(|p| !p.is_empty()))
                />
                <span id="phone-hint" class="hint">{tr(|s| s.auth.phone_hint)}</span>
                <span id="phone-error" class="field-error" aria-live="polite">
                    {move || phone_error().then(|| i18n.t().auth.phone_invalid)}
                </span>
            </div>
            {move || if with_password.get() {
                password_field(password, secret_error).into_any()
            } else {
                code_field(phone, code, secret_error, with_password).into_any()
            }}
            <div class="field">
                <label class="choice">
                    <input type="checkbox" bind:checked=consent aria-describedby="consent-error"/>
                    <span>
                        {tr(|s| s.auth.consent_before)}
                        <a href=routes::PRIVACY>{tr(|s| s.auth.privacy_notice)}</a>
                        {tr(|s| s.auth.consent_after)}
                    </span>
                </label>
                <span id="consent-error" class="field-error" aria-live="polite">
                    {move || consent_error().then(|| i18n.t().auth.consent_required)}
                </span>
            </div>
            <div aria-live="assertive">
                {move || {
                    // A new node per failure (and none while trying): a repeated error is seen
                    // and heard again rather than silently staying.
                    failures.track();
                    if sign_in.pending().get() {
                        return None;
                    }
                    sign_in.value().with(|v| match v {
                        Some(Err(error)) => Some(failure_notice(error, with_password)),
                        _ => None,
                    })
                }}
            </div>
            <button type="submit" class="button button-block" disabled=move || sign_in.pending().get()>
                {move || if sign_in.pending().get() { i18n.t().auth.signing_in } else { i18n.t().auth.sign_in }}
            </button>
        </form>
    }
}

/// Why sign-in failed, with tries left before a lock, how long a lock lasts, and the other
/// way to sign in when this one is blocked for a while.
fn failure_notice(error: &ApiError, with_password: RwSignal<bool>) -> AnyView {
    let strings = use_i18n().current();
    let auth = strings.auth;
    let locked = error.code() == Some("locked");
    let mut text = match error.retry_after() {
        Some(seconds) if locked => fill(auth.locked_for, wait(seconds, strings)),
        Some(seconds) => fill(auth.retry_after, wait(seconds, strings)),
        None => error_text(error, strings),
    };
    match error.attempts_remaining() {
        Some(0) => text = format!("{text} {}", auth.attempts_used_up),
        Some(left) => text = format!("{text} {}", fill(auth.attempts_left, left)),
        None => {}
    }
    let blocked = locked || error.attempts_remaining() == Some(0);
    view! {
        <div class="notice notice-error notice-new" role="alert">
            <p>{text}</p>
            {blocked.then(|| switch_method(with_password, false))}
        </div>
    }
    .into_any()
}

/// A button that switches to the other way of signing in (`to_password` or the SMS code).
fn switch_method(with_password: RwSignal<bool>, to_password: bool) -> impl IntoView {
    let label = if to_password {
        tr(|s| s.auth.use_password_instead)
    } else {
        tr(|s| s.auth.use_code_instead)
    };
    view! {
        <button type="button" class="button button-secondary" on:click=move |_| with_password.set(to_password)>
            {label}
        </button>
    }
}

/// A wait as a member reads it: seconds under a minute, else whole minutes rounded up, so a
/// 38-minute throttle never reads "2265 seconds".
pub fn wait(seconds: u32, strings: &'static crate::i18n::Strings) -> String {
    match seconds {
        0..60 => fill(strings.auth.seconds, seconds),
        _ => fill(strings.auth.about_minutes, seconds.div_ceil(60)),
    }
}

/// The SMS code with its "send code" button and the server's cooldown as a countdown.
fn code_field(
    phone: RwSignal<String>,
    code: RwSignal<String>,
    invalid: impl Fn() -> bool + Copy + Send + Sync + 'static,
    with_password: RwSignal<bool>,
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
            result.map(drop)
        }
    });
    let can_send = move || {
        phone.with(|p| PhoneNumber::parse(p).is_ok())
            && cooldown.get() == 0
            && !send.pending().get()
    };
    let status = move || {
        send.value().with(|v| match v {
            Some(Ok(())) => Some(("field-ok", i18n.t().auth.code_sent.to_owned())),
            Some(Err(error)) => Some(("field-error", send_error_text(error, i18n.t()))),
            None => None,
        })
    };
    // Codes throttled for a while, or SMS down: the password is the way in meanwhile.
    let throttled = move || {
        send.value().with(|v| {
            matches!(v, Some(Err(e)) if e.retry_after().is_some() || e.code() == Some(SMS_UNAVAILABLE))
        })
    };
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
                    aria-invalid=move || invalid().to_string()
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
                        match cooldown.get() {
                            _ if send.pending().get() => t.auth.sending.to_owned(),
                            0 => t.auth.send_code.to_owned(),
                            seconds => fill(t.auth.resend_in, wait(seconds, t)),
                        }
                    }}
                </button>
            </div>
            <span id="code-hint" class="hint">{tr(|s| s.auth.code_hint)}</span>
            <span id="code-status" aria-live="polite">
                {move || invalid().then(|| view! { <span class="field-error">{i18n.t().auth.code_invalid}</span> })}
                {move || status().map(|(class, text)| view! { <span class=class>{text}</span> })}
            </span>
            {move || throttled().then(|| switch_method(with_password, true))}
        </div>
    }
}

/// The server's code for an SMS provider failure (nothing sent, nothing counted).
const SMS_UNAVAILABLE: &str = "sms_unavailable";

/// Throttling says when to retry; everything else (a provider failure included: nothing was
/// sent, nothing counted) as the server or network put it.
fn send_error_text(error: &ApiError, strings: &'static crate::i18n::Strings) -> String {
    match error.retry_after() {
        Some(seconds) => fill(strings.auth.retry_after, wait(seconds, strings)),
        None => error_text(error, strings),
    }
}

/// The password alternative.
fn password_field(
    password: RwSignal<String>,
    invalid: impl Fn() -> bool + Copy + Send + Sync + 'static,
) -> impl IntoView {
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
                aria-invalid=move || invalid().to_string()
                bind:value=password
            />
            <span id="password-error" class="field-error" aria-live="polite">
                {move || invalid().then(|| i18n.t().auth.password_required)}
            </span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_waits_read_in_minutes_and_short_ones_in_seconds() {
        let zh = crate::i18n::Locale::ZhCn.strings();
        assert_eq!(wait(45, zh), "45秒");
        assert_eq!(wait(60, zh), "约1分钟");
        assert_eq!(wait(2265, zh), "约38分钟");
        assert_eq!(
            fill(zh.auth.retry_after, wait(2265, zh)),
            "操作过于频繁，请约38分钟后再试。"
        );
        assert_eq!(
            fill(zh.auth.resend_in, wait(2255, zh)),
            "约38分钟后可重新获取"
        );
        let en = crate::i18n::Locale::En.strings();
        assert_eq!(fill(en.auth.resend_in, wait(59, en)), "Resend in 59 s");
    }

    #[test]
    fn an_sms_provider_failure_shows_the_servers_words() {
        let error = ApiError::Api {
            status: 502,
            envelope: contract::error::ErrorEnvelope::new(
                SMS_UNAVAILABLE,
                "短信暂时发送不出去，验证码未发出。",
            ),
        };
        let zh = crate::i18n::Locale::ZhCn.strings();
        assert_eq!(
            send_error_text(&error, zh),
            "短信暂时发送不出去，验证码未发出。"
        );
        assert_eq!(error.code(), Some(SMS_UNAVAILABLE));
    }
}
