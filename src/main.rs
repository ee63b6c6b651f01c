//! Entry point: install the panic hook (debug builds only: its formatting machinery costs
//! first-load bytes) and mount the app. Everything else lives in the library.
fn main() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    portal::start();
}
