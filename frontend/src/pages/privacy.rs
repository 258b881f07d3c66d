use leptos::prelude::*;

use crate::components::page_title;
use crate::i18n::use_i18n;

#[component]
pub fn Privacy() -> impl IntoView {
    let i18n = use_i18n();
    page_title(|t| t.privacy_title);
    view! {
        <h1>{move || i18n.t().privacy_title}</h1>
        <p class="meta">"Versie / version " {shared::PRIVACY_VERSION}</p>
        {move || i18n.t().privacy_body.iter().map(|p| view! { <p>{*p}</p> }).collect_view()}
    }
}
