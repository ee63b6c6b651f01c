//! A QR code drawn as SVG in the browser, so the e-card needs no image request and stays sharp
//! at any size or zoom.
use contract::qr::svg_path;
use leptos::prelude::*;

/// A square QR code of `text`, black on white for the highest contrast, labelled for screen
/// readers with `label`.
#[component]
pub fn QrCodeSvg(
    #[prop(into)] text: Signal<String>,
    #[prop(into)] label: Signal<String>,
) -> impl IntoView {
    let symbol = Memo::new(move |_| text.with(|t| svg_path(t)));
    move || {
        symbol.get().map(|(path, side)| {
            view! {
                <svg
                    class="qr-code"
                    role="img"
                    aria-label=move || label.get()
                    viewBox=format!("0 0 {side} {side}")
                    shape-rendering="crispEdges"
                >
                    <rect width=side height=side fill="#fff"/>
                    <path d=path fill="#000"/>
                </svg>
            }
        })
    }
}
