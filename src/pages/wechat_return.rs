//! WeChat sign-in, route `/login/wechat`. The sign-in page links here in WeChat's in-app
//! browser; this page sends the member to WeChat's silent OAuth step, which returns here with
//! `code` and `state`: the code is exchanged at once and removed from the address (it is single-use and must
//! not be bookmarked or shared). A WeChat account not yet bound goes to sign-in once, which
//! comes back here to link it. All of this is a chunk loaded on demand, not the first load.
use contract::auth::WeChatSignInResult;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{ApiClient, ApiError, use_api};
use crate::components::error_notice::error_text;
use crate::components::page_header::PageHeader;
use crate::i18n::{tr, use_i18n};
use crate::pages::login::WECHAT_BIND_KEY;
use crate::routes;
use crate::state::device;
use crate::state::session::use_session;

/// Sends the member to WeChat's silent authorisation, which returns to this page.
async fn start(api: ApiClient, next: &str) -> Result<(), ApiError> {
    let origin = window().location().origin().unwrap_or_default();
    let redirect = format!("{origin}{}", routes::wechat_sign_in_returning_to(next));
    let authorize = api.wechat_start(&redirect).await?;
    let _ = window().location().assign(&authorize.authorize_url);
    Ok(())
}

/// Route `/login/wechat`.
#[component]
pub fn WeChatReturnPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map().get_untracked();
    // Without a code the member just tapped "sign in with WeChat": go to WeChat first.
    let code = query.get("code").unwrap_or_default();
    let state = query.get("state").unwrap_or_default();
    let next = routes::safe_next(query.get("next"));
    let failure = RwSignal::new(None);
    let replace = NavigateOptions {
        replace: true,
        ..Default::default()
    };
    spawn_local(async move {
        if session.is_signed_in() == Some(true) {
            // Back from signing in for a WeChat account that was not bound yet: link it now.
            // Best effort: if it fails, the next WeChat sign-in asks again.
            if let Some(token) = device::get(WECHAT_BIND_KEY) {
                device::remove(WECHAT_BIND_KEY);
                let _ = api.wechat_bind(&token).await;
            }
            navigate(&next, replace);
            return;
        }
        if code.is_empty() {
            if let Err(error) = start(api, &next).await {
                failure.set(Some(error));
            }
            return;
        }
        match api.wechat_sign_in(&code, &state).await {
            Ok(WeChatSignInResult::SignedIn { session: signed_in }) => {
                session.signed_in(signed_in);
                navigate(&next, replace);
                crate::app::focus_main();
            }
            Ok(WeChatSignInResult::NotBound { bind_token, .. }) => {
                device::set(WECHAT_BIND_KEY, &bind_token);
                navigate(&routes::login_returning_to(&next), replace);
            }
            Err(error) => {
                // Drop the used code from the address before showing what went wrong.
                navigate(routes::WECHAT_SIGN_IN, replace);
                failure.set(Some(error));
            }
        }
    });
    view! {
        <section class="page">
            <PageHeader title=|s| s.shell.login_title/>
            {move || match failure.get() {
                None => view! { <p role="status">{tr(|s| s.auth.wechat_signing_in)}</p> }.into_any(),
                Some(error) => view! {
                    <p class="notice notice-error" role="alert">{error_text(&error, i18n.t())}</p>
                    <a class="button" href=routes::LOGIN>{tr(|s| s.auth.wechat_use_phone)}</a>
                }.into_any(),
            }}
        </section>
    }
}
