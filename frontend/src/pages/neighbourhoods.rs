use leptos::prelude::*;
use shared::neighbourhoods::Neighbourhood;

use crate::api;
use crate::components::{fetch, page_title};
use crate::i18n::use_i18n;

/// Loads the neighbourhood list once per page.
pub fn load_neighbourhoods() -> ReadSignal<Option<Vec<Neighbourhood>>> {
    fetch(|| async {
        api::get::<Vec<Neighbourhood>>("/api/neighbourhoods")
            .await
            .unwrap_or_default()
    })
}

#[component]
pub fn Neighbourhoods() -> impl IntoView {
    let i18n = use_i18n();
    page_title(|t| t.neighbourhoods_title);
    let allowed = super::require_login();
    let list = load_neighbourhoods();
    view! {
        <h1>{move || i18n.t().neighbourhoods_title}</h1>
        <p>{move || i18n.t().neighbourhoods_lead}</p>
        <Show when=move || allowed.get() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            <ul class="list">
                {move || list.get().map(|items| items.into_iter().map(|n| view! { <li>{n.name}</li> }).collect_view())}
            </ul>
        </Show>
    }
}
