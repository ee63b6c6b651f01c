//! Workers' service centres: where to go in person, with hours and a tap-to-call number.
use contract::service::ServiceCentre;
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::async_panel::AsyncPanel;
use crate::components::page_header::PageHeader;

/// Route `/centres`.
#[component]
pub fn CentresPage() -> impl IntoView {
    let api = use_api();
    let centres = LocalResource::new(move || {
        let api = api.clone();
        async move { api.service_centres().await }
    });
    let render = |list: Vec<ServiceCentre>| {
        let items = list.into_iter().map(|c| {
            view! {
                <li class="panel">
                    <h2>{c.name}</h2>
                    <p>{c.address}</p>
                    <p class="hint">{c.hours}</p>
                    <a class="button button-secondary" href=format!("tel:{}", c.phone)>{c.phone.clone()}</a>
                </li>
            }
        });
        view! { <ul class="centres">{items.collect_view()}</ul> }
    };
    view! {
        <section class="page">
            <PageHeader title=|s| s.pages().centres/>
            <AsyncPanel resource=centres lines=6 render/>
        </section>
    }
}
