//! Going to another in-app address from code that runs both before the router has loaded
//! (sign-in, drawn by the main module on its own) and inside it (see `App`).
use leptos::prelude::*;

/// Goes to an in-app address; `replace` swaps the current history entry instead of adding one.
/// Provided by `App` (changes the address and loads the routed app) and again, closer to the
/// screens, by the routed app (the router's own navigation).
#[derive(Clone, Copy)]
pub struct Navigation(Callback<(String, bool)>);

impl Navigation {
    pub fn new(go: impl Fn(String, bool) + Send + Sync + 'static) -> Self {
        Self(Callback::new(move |(address, replace)| {
            go(address, replace)
        }))
    }

    pub fn go(&self, address: &str, replace: bool) {
        self.0.run((address.to_owned(), replace));
    }
}

/// The navigation of the nearest provider.
pub fn use_navigation() -> Navigation {
    expect_context()
}
