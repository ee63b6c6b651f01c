//! The card status as a badge: words plus a shape, never colour alone. The shapes are shared
//! by every status badge (card, cover, aid), so "waiting" looks the same everywhere.
use contract::card::CardStatus;
use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The shape beside a status's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Tick,
    /// Waiting on someone (the bank, the union, the member): a clock. An ellipsis here read as
    /// "still loading".
    Clock,
    Circle,
    Bang,
    Cross,
    Dash,
}

impl Shape {
    /// The shape, hidden from screen readers: the words beside it say it all.
    pub fn view(self) -> AnyView {
        let glyph = match self {
            Shape::Clock => return clock().into_any(),
            Shape::Tick => "✓",
            Shape::Circle => "○",
            Shape::Bang => "!",
            Shape::Cross => "✕",
            Shape::Dash => "–",
        };
        view! { <span aria-hidden="true">{glyph}</span> }.into_any()
    }
}

/// A small clock in the text's colour, drawn rather than a font glyph so it never falls back
/// to an empty box on phones without a symbol font.
fn clock() -> impl IntoView {
    view! {
        <svg data-shape="clock" width="1em" height="1em" viewBox="0 0 16 16" aria-hidden="true"
            focusable="false">
            <circle cx="8" cy="8" r="6.25" fill="none" stroke="currentColor" stroke-width="1.5"/>
            <path d="M8 4.5V8l2.5 1.75" fill="none" stroke="currentColor" stroke-width="1.5"
                stroke-linecap="round" stroke-linejoin="round"/>
        </svg>
    }
}

/// A pill with an icon and the status in words.
#[component]
pub fn CardStatusBadge(status: CardStatus) -> impl IntoView {
    let i18n = use_i18n();
    let (tone, shape) = match status {
        CardStatus::Active => ("ok", Shape::Tick),
        CardStatus::InProduction | CardStatus::AwaitingActivation => ("wait", Shape::Clock),
        CardStatus::NotApplied => ("neutral", Shape::Circle),
        CardStatus::ReportedLost | CardStatus::Frozen | CardStatus::Cancelled => {
            ("stop", Shape::Bang)
        }
    };
    view! {
        <span class=format!("badge badge-{tone}") data-status=status.as_str()>
            {shape.view()}
            {move || i18n.t().card().status_label(status)}
        </span>
    }
}
