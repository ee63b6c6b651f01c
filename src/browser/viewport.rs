//! Noticing an element coming near the viewport (`IntersectionObserver`).
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;
use web_sys::js_sys::Object;

use super::{call, construct, get, set};

/// Watches one element; calls back whenever it comes within the margin of the viewport.
/// Watching stops with [`NearViewport::stop`].
pub struct NearViewport {
    observer: JsValue,
    /// Kept alive as long as the observer may call it.
    _on_near: Closure<dyn Fn(JsValue)>,
}

impl NearViewport {
    /// Starts watching `element`; `root_margin` as in CSS, e.g. `600px 0px`. `None` where the
    /// browser has no `IntersectionObserver`.
    pub fn watch(
        element: &JsValue,
        root_margin: &str,
        on_near: impl Fn() + 'static,
    ) -> Option<Self> {
        let on_near = Closure::<dyn Fn(JsValue)>::new(move |entries: JsValue| {
            if get(&get(&entries, "0"), "isIntersecting").is_truthy() {
                on_near();
            }
        });
        let options = Object::new();
        set(&options, "rootMargin", &root_margin.into());
        let args = [on_near.as_ref().clone(), options.into()];
        let observer = construct("IntersectionObserver", &args).ok()?;
        let _ = call(&observer, "observe", std::slice::from_ref(element));
        Some(NearViewport {
            observer,
            _on_near: on_near,
        })
    }

    /// Stops watching.
    pub fn stop(&self) {
        let _ = call(&self.observer, "disconnect", &[]);
    }
}
