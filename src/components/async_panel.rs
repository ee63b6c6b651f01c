//! Loading, failure and retry for one panel of data, so each panel fails on its own and the
//! page never goes blank.
use std::time::Duration;

use leptos::prelude::*;

use crate::i18n::tr;

use crate::api::ApiError;
use crate::components::error_notice::ErrorNotice;

/// Shows a skeleton while `resource` loads, `render(data)` when it arrives, and a specific
/// error with a retry button when it fails. A refresh keeps the old content on screen.
///
/// Deliberately a plain reactive match rather than `<Transition>` + `Suspend`: every use of
/// those instantiates the async machinery for its data type, which cost the first load
/// several KiB per panel; this is one small closure per panel.
#[component]
pub fn AsyncPanel<T, V>(
    resource: LocalResource<Result<T, ApiError>>,
    render: impl Fn(T) -> V + Send + Sync + 'static,
    /// Skeleton lines shown while loading.
    #[prop(default = 3)]
    lines: usize,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    let retry = Callback::new(move |()| resource.refetch());
    move || match resource.get() {
        None => view! { <Skeleton lines/> }.into_any(),
        Some(Ok(data)) => render(data).into_any(),
        Some(Err(error)) => view! { <ErrorNotice error on_retry=retry/> }.into_any(),
    }
}

/// Grey placeholder lines of the expected content's shape.
#[component]
pub fn Skeleton(#[prop(default = 3)] lines: usize) -> impl IntoView {
    view! {
        <div class="skeleton" role="status" aria-live="polite">
            <span class="visually-hidden">{tr(|s| s.common.loading)}</span>
            {(0..lines).map(|_| view! { <span class="skeleton-line" aria-hidden="true"></span> }).collect_view()}
        </div>
    }
}

/// How long a slow panel may hold the others back; after that each shows on its own, so a
/// member on a weak signal sees what has arrived.
const PATIENCE: Duration = Duration::from_millis(1500);

/// Holds a page's panels back until every one has its first answer (data or an error), with
/// one skeleton meanwhile. Panels that arrived one by one, each replacing a skeleton of
/// another height, would push down everything below them: the page would jump.
#[component]
pub fn WhenAllAnswered(
    /// Whether every panel's resource has answered.
    answered: impl Fn() -> bool + Send + Sync + 'static,
    /// Skeleton lines shown meanwhile.
    #[prop(default = 6)]
    lines: usize,
    children: ChildrenFn,
) -> impl IntoView {
    let patience_over = RwSignal::new(false);
    let timer = set_timeout_with_handle(move || patience_over.set(true), PATIENCE);
    on_cleanup(move || {
        if let Ok(timer) = timer {
            timer.clear();
        }
    });
    // Once shown, always shown: a panel's refresh or retry happens in place.
    let shown = Memo::new(move |before: Option<&bool>| {
        before == Some(&true) || answered() || patience_over.get()
    });
    move || match shown.get() {
        true => children().into_any(),
        false => view! { <Skeleton lines/> }.into_any(),
    }
}
