//! Display preferences kept on this device: large text and the elder-friendly mode (长辈版).
//! They are classes on `<html>`, so CSS does the work and the first paint after a reload
//! already has them (the shell script in `index.html` applies them before the wasm starts).
use leptos::prelude::*;

use super::device;

pub(crate) const LARGE_TEXT_KEY: &str = "portal.largeText";
pub(crate) const ELDER_KEY: &str = "portal.elder";

/// The member's display choices on this device.
#[derive(Clone, Copy)]
pub struct Preferences {
    pub large_text: RwSignal<bool>,
    pub elder: RwSignal<bool>,
}

impl Preferences {
    /// Reads the stored choices and keeps `<html>`'s classes and storage in step with them.
    pub fn load() -> Self {
        let prefs = Preferences {
            large_text: RwSignal::new(device::get(LARGE_TEXT_KEY).is_some_and(|v| v == "1")),
            elder: RwSignal::new(device::get(ELDER_KEY).is_some_and(|v| v == "1")),
        };
        reflect(prefs.large_text, LARGE_TEXT_KEY, "large-text");
        reflect(prefs.elder, ELDER_KEY, "elder");
        prefs
    }
}

/// Mirrors one flag onto a class of `<html>` and into storage.
fn reflect(flag: RwSignal<bool>, key: &'static str, class: &'static str) {
    Effect::new(move || {
        let on = flag.get();
        if let Some(html) = document().document_element() {
            let _ = html.class_list().toggle_with_force(class, on);
        }
        device::set(key, if on { "1" } else { "0" });
    });
}

/// Reads the preferences context.
pub fn use_preferences() -> Preferences {
    expect_context::<Preferences>()
}
