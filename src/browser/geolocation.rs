//! The device's position (`navigator.geolocation`).
use leptos::prelude::window;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys::{Function, Object, Promise};

use super::{call, get, number, set};

/// Why no position could be had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PositionError {
    /// The member (or WeChat, or the browser) refused.
    Denied,
    /// No fix, a timeout, or no geolocation at all.
    Unavailable,
}

/// Asks for the position (the browser shows its own prompt): (latitude, longitude), giving
/// up after `timeout_ms` and accepting a fix up to `maximum_age_ms` old.
pub async fn current_position(
    timeout_ms: u32,
    maximum_age_ms: u32,
) -> Result<(f64, f64), PositionError> {
    let geolocation = get(&window().navigator(), "geolocation");
    if geolocation.is_undefined() {
        return Err(PositionError::Unavailable);
    }
    let options = Object::new();
    set(&options, "timeout", &JsValue::from(timeout_ms));
    set(&options, "maximumAge", &JsValue::from(maximum_age_ms));
    let asked = Promise::new(&mut |resolve: Function, reject: Function| {
        let args = [resolve.into(), reject.into(), options.clone().into()];
        let _ = call(&geolocation, "getCurrentPosition", &args);
    });
    match JsFuture::from(asked).await {
        Ok(position) => {
            let coords = get(&position, "coords");
            let lat = number(&coords, "latitude").ok_or(PositionError::Unavailable)?;
            let lng = number(&coords, "longitude").ok_or(PositionError::Unavailable)?;
            Ok((lat, lng))
        }
        // GeolocationPositionError.PERMISSION_DENIED is 1.
        Err(error) if number(&error, "code") == Some(1.0) => Err(PositionError::Denied),
        Err(_) => Err(PositionError::Unavailable),
    }
}
