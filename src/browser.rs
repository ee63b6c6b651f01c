//! Browser APIs called by name, for code that only lazily loaded screens run.
//!
//! Every web-sys method the portal uses adds a JavaScript shim to the glue that the very first
//! page load downloads, even when only a lazily loaded chunk calls it: wasm-split splits the
//! wasm, not the glue. These generic calls (`Reflect.get`, `Reflect.set`, `Reflect.apply`,
//! `Reflect.construct`) reach any API without a shim of its own, at the price of checking
//! names at run time rather than at compile time. Keep them to small, self-contained places
//! that end-to-end tests exercise: uploading documents and shrinking photos.
use wasm_bindgen::{JsCast, JsValue};
use web_sys::js_sys::{Array, Function, Reflect};

/// `target[property]`, or `undefined`.
pub fn get(target: &JsValue, property: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(property)).unwrap_or(JsValue::UNDEFINED)
}

/// `target[property] = value`.
pub fn set(target: &JsValue, property: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(property), value);
}

/// `target[method](...args)`.
pub fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let function: Function = get(target, method).dyn_into()?;
    Reflect::apply(&function, target, &array(args))
}

/// `new globalThis[constructor](...args)`.
pub fn construct(constructor: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let class: Function = get(&web_sys::js_sys::global(), constructor).dyn_into()?;
    Reflect::construct(&class, &array(args))
}

/// `globalThis[name]`, e.g. `Math`.
pub fn global(name: &str) -> JsValue {
    get(&web_sys::js_sys::global(), name)
}

/// An array of `items`, filled with `Reflect.set` (no `Array.push` shim needed).
fn array(items: &[JsValue]) -> Array {
    let array = Array::new();
    for (index, item) in items.iter().enumerate() {
        let _ = Reflect::set(&array, &JsValue::from(index as u32), item);
    }
    array
}

/// Resolves after `milliseconds` (a `setTimeout` wrapped in a promise).
pub async fn sleep_ms(milliseconds: i32) {
    let elapsed = web_sys::js_sys::Promise::new(&mut |resolve: Function, _reject: Function| {
        let _ = leptos::prelude::window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, milliseconds);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(elapsed).await;
}

/// A numeric property, e.g. a file's `size`.
pub fn number(target: &JsValue, property: &str) -> Option<f64> {
    get(target, property).as_f64()
}

/// A string property, e.g. a file's `name`.
pub fn text(target: &JsValue, property: &str) -> String {
    get(target, property).as_string().unwrap_or_default()
}
