//! Answers to requests the page made before the app started. For a member screen opened with
//! a session, the route plan in `index.html` (written by `cargo xtask build`) asks for the
//! session and the screen's first data while the wasm is still downloading; the API client
//! takes each answer once instead of asking again. Sign-in asks for the next screen's code
//! the same way while the member types.
use leptos::prelude::window;
use send_wrapper::SendWrapper;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys::{Object, Promise, Reflect};

use super::{get, number, set, text};

/// The window property the route plan keeps its requests in: `"METHOD url"` → a promise of
/// `{status, text}`, or of `null` when the request failed.
const STORE: &str = "__portalPrefetch";

/// The page's own request for `method url`, if it made one that nothing has taken yet.
pub fn take(method: &str, url: &str) -> Option<Promise> {
    let store = get(&window(), STORE).dyn_into::<Object>().ok()?;
    let key = JsValue::from_str(&format!("{method} {url}"));
    let answer = Reflect::get(&store, &key)
        .ok()?
        .dyn_into::<Promise>()
        .ok()?;
    let _ = Reflect::delete_property(&store, &key);
    Some(answer)
}

/// The status and body of a taken request; `None` if it got no answer (ask again).
pub async fn answer(request: Promise) -> Option<(u16, String)> {
    let answer = JsFuture::from(request).await.ok()?;
    let status = number(&answer, "status")? as u16;
    Some((status, text(&answer, "text")))
}

/// Starts downloading the code of the screen at `address` (its route-plan pack), if no pack
/// is on its way yet: sign-in calls this as the member starts on the form.
pub fn prepare_screen(address: &str) {
    let prepare = get(&window(), "__portalPreparePack");
    if let Ok(prepare) = prepare.dyn_into::<web_sys::js_sys::Function>() {
        let _ = prepare.call1(&JsValue::NULL, &JsValue::from_str(address));
    }
}

/// Resolves a task later (the route plan's `__portalLater`), so the browser can paint and
/// handle input before what follows runs; at once on a page without the route plan. `Send`
/// for `Suspend`: it is only ever polled on the browser's one thread.
pub fn a_task_later() -> impl Future<Output = ()> + Send {
    SendWrapper::new(async {
        let later =
            super::call(&window(), "__portalLater", &[]).and_then(|p| p.dyn_into::<Promise>());
        if let Ok(later) = later {
            let _ = JsFuture::from(later).await;
        }
    })
}

/// Drops every answer not taken yet: they belong to the session the page was opened with.
pub fn forget_all() {
    set(&window(), STORE, &JsValue::UNDEFINED);
}
