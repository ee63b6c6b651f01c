//! Sending a request body with progress. `fetch` cannot report how much of a request body has
//! been sent, so this uses `XMLHttpRequest`.
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys::{Function, Promise};

use super::{call, construct, get, number, set, text};

/// A request that was answered: its status and body.
pub struct Answer {
    pub status: u16,
    pub text: String,
}

/// The request could not be made or got no answer (offline, timed out, aborted).
#[derive(Debug)]
pub struct NoAnswer;

/// POSTs `body` (a `File` or `Blob`) to `url` with `headers`, giving up after `timeout_ms`;
/// `on_progress` hears the percentage of the body sent. `cross_origin_cookies`: `url` is on
/// another origin whose cookies must go with the request (`withCredentials`).
pub async fn post_with_progress(
    url: &str,
    headers: impl IntoIterator<Item = (&'static str, String)>,
    body: &JsValue,
    timeout_ms: u32,
    cross_origin_cookies: bool,
    on_progress: impl Fn(u8) + 'static,
) -> Result<Answer, NoAnswer> {
    let request = construct("XMLHttpRequest", &[]).map_err(|_| NoAnswer)?;
    call(&request, "open", &["POST".into(), url.into()]).map_err(|_| NoAnswer)?;
    for (name, value) in headers {
        let _ = call(&request, "setRequestHeader", &[name.into(), value.into()]);
    }
    set(&request, "timeout", &timeout_ms.into());
    if cross_origin_cookies {
        set(&request, "withCredentials", &true.into());
    }
    let progress = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
        let sent = number(&event, "loaded").unwrap_or(0.0);
        let total = number(&event, "total").unwrap_or(0.0);
        if get(&event, "lengthComputable").is_truthy() && total > 0.0 {
            on_progress((sent / total * 100.0).round() as u8);
        }
    });
    set(&get(&request, "upload"), "onprogress", progress.as_ref());
    // `loadend` follows success, failure, abort and timeout alike.
    let finished = Promise::new(&mut |resolve: Function, _reject: Function| {
        set(&request, "onloadend", &resolve);
    });
    call(&request, "send", std::slice::from_ref(body)).map_err(|_| NoAnswer)?;
    let _ = JsFuture::from(finished).await;
    drop(progress);
    let status = number(&request, "status").unwrap_or(0.0) as u16;
    if status == 0 {
        return Err(NoAnswer);
    }
    Ok(Answer {
        status,
        text: text(&request, "responseText"),
    })
}
