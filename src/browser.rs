//! Browser APIs called by name, each behind a named, typed function of this folder: the
//! rest of the portal never spells a browser method or property as a string.
//!
//! Every web-sys method the portal uses adds a JavaScript shim to the glue that the very first
//! page load downloads, even when only a lazily loaded chunk calls it: wasm-split splits the
//! wasm, not the glue. The generic calls below (`Reflect.get`, `Reflect.set`, `Reflect.apply`,
//! `Reflect.construct`) reach any API without a shim of its own, at the price of checking
//! names at run time rather than at compile time. So the names live here, one small function
//! each, and end-to-end tests exercise them: focus and scrolling, the page's visibility,
//! geolocation, the offers list's infinite scroll, choosing, shrinking, keeping and uploading
//! documents.
pub mod files;
pub mod geolocation;
pub mod image;
pub mod indexed_db;
pub mod page;
pub mod prefetch;
pub mod upload;
pub mod viewport;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::js_sys::{Array, Function, Reflect};

/// `target[property]`, or `undefined`.
fn get(target: &JsValue, property: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(property)).unwrap_or(JsValue::UNDEFINED)
}

/// `target[property] = value`.
fn set(target: &JsValue, property: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(property), value);
}

/// `target[method](...args)`.
fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let function: Function = get(target, method).dyn_into()?;
    Reflect::apply(&function, target, &array(args))
}

/// `new globalThis[constructor](...args)`.
fn construct(constructor: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let class: Function = get(&web_sys::js_sys::global(), constructor).dyn_into()?;
    Reflect::construct(&class, &array(args))
}

/// `globalThis[name]`, e.g. `Math`.
fn global(name: &str) -> JsValue {
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

/// A numeric property, e.g. a file's `size`.
fn number(target: &JsValue, property: &str) -> Option<f64> {
    get(target, property).as_f64()
}

/// A string property, e.g. a file's `name`.
fn text(target: &JsValue, property: &str) -> String {
    get(target, property).as_string().unwrap_or_default()
}
