//! The neighbourhoods the platform knows (coordinators, admins).

use leptos::prelude::*;

use super::neighbourhoods::load_neighbourhoods;
use crate::components::page_title;
use crate::i18n::use_i18n;

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
