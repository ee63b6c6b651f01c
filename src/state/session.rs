//! Who is signed in. Written by sign-in, sign-out and any 401; read by route guards and the
//! API client (for the CSRF token).
use contract::auth::{CSRF_COOKIE, SECURE_CSRF_COOKIE, Session, SessionKind};
use leptos::prelude::*;

use super::{aid_draft, device, pending_files};
use crate::browser::prefetch;

/// The app's knowledge of the session.
#[derive(Debug, Clone, PartialEq)]
pub enum Auth {
    /// Asking the server at start-up.
    Checking,
    /// Not signed in; `expired` when a session just ended under the member's feet.
    SignedOut {
        expired: bool,
    },
    SignedIn(Session),
    /// The server could not be reached at start-up, but a member's data is on this device:
    /// screens show what is remembered until the network returns.
    Offline,
}

/// The session store, provided as context.
#[derive(Clone, Copy)]
pub struct SessionStore {
    auth: RwSignal<Auth>,
}

impl Default for SessionStore {
    fn default() -> Self {
        Self {
            auth: RwSignal::new(Auth::Checking),
        }
    }
}

impl SessionStore {
    /// `None` while checking, then whether a member is signed in (reactive).
    pub fn is_signed_in(&self) -> Option<bool> {
        self.auth.with(|auth| match auth {
            Auth::Checking => None,
            Auth::SignedOut { .. } => Some(false),
            Auth::SignedIn(_) | Auth::Offline => Some(true),
        })
    }

    /// Whether the member area runs on remembered data, without the server (reactive).
    pub fn is_offline(&self) -> bool {
        self.auth.with(|auth| matches!(auth, Auth::Offline))
    }

    /// Whether the last session ended by expiry rather than by signing out (reactive).
    pub fn just_expired(&self) -> bool {
        self.auth
            .with(|auth| matches!(auth, Auth::SignedOut { expired: true }))
    }

    /// The signed-in member's session (reactive).
    pub fn session(&self) -> Option<Session> {
        self.auth.with(|auth| match auth {
            Auth::SignedIn(session) => Some(session.clone()),
            _ => None,
        })
    }

    /// Whether this is a kiosk session, on a screen the next person uses (reactive).
    pub fn is_kiosk(&self) -> bool {
        self.auth.with(
            |auth| matches!(auth, Auth::SignedIn(session) if session.kind == SessionKind::Kiosk),
        )
    }

    /// The CSRF token for unsafe requests (not reactive: read when sending).
    pub fn csrf_token(&self) -> Option<String> {
        self.auth.with_untracked(|auth| match auth {
            Auth::SignedIn(session) => Some(session.csrf_token.clone()),
            _ => None,
        })
    }

    /// The start-up check's answer.
    pub fn resolved(&self, session: Option<Session>) {
        self.auth.set(match session {
            Some(session) => Auth::SignedIn(session),
            None => Auth::SignedOut { expired: false },
        });
    }

    /// Start-up found no network but a member's remembered data.
    pub fn offline(&self) {
        self.auth.set(Auth::Offline);
    }

    pub fn signed_in(&self, session: Session) {
        prefetch::forget_all();
        self.auth.set(Auth::SignedIn(session));
    }

    /// The server said the session is gone: forget member data, remember why. Drafts stay
    /// (see `aid_draft`): the member did not choose to leave, and signs in to finish them.
    pub fn expired(&self) {
        if self
            .auth
            .with_untracked(|auth| matches!(auth, Auth::SignedIn(_) | Auth::Offline))
        {
            device::remove_prefixed(MEMBER_PREFIX);
            prefetch::forget_all();
            self.auth.set(Auth::SignedOut { expired: true });
        }
    }

    /// The member signed out: forget everything about them.
    pub fn signed_out(&self) {
        prefetch::forget_all();
        wipe_member_data();
        self.auth.set(Auth::SignedOut { expired: false });
    }
}

/// Keys of member data kept on the device.
const MEMBER_PREFIX: &str = "portal.member.";

/// Removes every member datum kept on the device (keys under `portal.member.`), every unsent
/// draft and every document waiting to be uploaded; display preferences stay.
pub fn wipe_member_data() {
    device::remove_prefixed(MEMBER_PREFIX);
    device::remove_prefixed(aid_draft::PREFIX);
    pending_files::forget_everything();
}

/// Whether this browser may hold a session: it has the CSRF cookie that is set with every
/// session (the session cookie itself is HttpOnly and cannot be seen). Production names it
/// with the `__Host-` prefix, plain-HTTP development without. With the API on another origin
/// (`api_cross_origin`) its cookies cannot be seen from here, so only the server can tell.
pub fn may_be_signed_in(api_cross_origin: bool) -> bool {
    api_cross_origin || holds_csrf_cookie(&crate::browser::page::cookies())
}

/// Whether `document.cookie`-style text holds the CSRF cookie under either of its names.
fn holds_csrf_cookie(cookies: &str) -> bool {
    [SECURE_CSRF_COOKIE, CSRF_COOKIE]
        .iter()
        .any(|name| has_cookie(cookies, name))
}

/// Whether `document.cookie`-style text holds a non-empty cookie called `name`.
pub fn has_cookie(cookies: &str, name: &str) -> bool {
    cookies
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .any(|(key, value)| key == name && !value.is_empty())
}

/// Reads the session store.
pub fn use_session() -> SessionStore {
    expect_context::<SessionStore>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_non_empty_cookie_of_that_exact_name_counts() {
        assert!(has_cookie("portal_csrf=abc", "portal_csrf"));
        assert!(has_cookie("a=1; portal_csrf=abc; b=2", "portal_csrf"));
        assert!(has_cookie("__Host-portal_csrf=abc", "__Host-portal_csrf"));
        assert!(!has_cookie("", "portal_csrf"));
        assert!(!has_cookie("portal_csrf=", "portal_csrf"));
        assert!(!has_cookie("x_portal_csrf=abc", "portal_csrf"));
        assert!(!has_cookie("portal_csrf_old=abc", "portal_csrf"));
        assert!(!has_cookie("portal_session=abc", "portal_csrf"));
    }

    #[test]
    fn a_production_csrf_cookie_counts_as_much_as_a_development_one() {
        assert!(holds_csrf_cookie("__Host-portal_csrf=abc"));
        assert!(holds_csrf_cookie("lang=zh; portal_csrf=abc"));
        assert!(!holds_csrf_cookie("__Host-portal_session=abc"));
        assert!(!holds_csrf_cookie(""));
    }
}
