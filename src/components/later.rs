//! A view drawn in a later task than the views before it. On a slow phone, drawing a whole
//! screen at once is one long task (a trace: most of it V8 compiling, on first call, the
//! functions the screen runs), during which the page answers no tap; drawn in parts, the
//! browser can handle input in between.
use leptos::prelude::*;

use crate::browser::prefetch::a_task_later;

/// `draw`'s view, drawn a task later. Put it below what is already drawn (or where nothing is
/// yet): it arrives under it and nothing the member sees moves.
pub fn drawn_later<V>(draw: impl FnOnce() -> V + Send + 'static) -> Suspend<V>
where
    V: IntoView + 'static,
{
    Suspend::new(async move {
        a_task_later().await;
        draw()
    })
}
