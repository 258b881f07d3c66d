use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::use_session;
use crate::components::page_title;
use crate::i18n::use_i18n;

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|t| t.nav_home);
    let name = move || {
        session
            .user
            .with(|u| u.as_ref().map(|u| u.display_name.clone()))
    };
    let erased = leptos_router::hooks::use_query_map()
        .get_untracked()
        .get("erased")
        .is_some();
    view! {
        {erased.then(|| view! {
            <p class="notice" role="status">{move || i18n.pick(
                "Je account is verwijderd. Je meldingen blijven zonder je naam bewaard voor de statistiek.",
                "Your account was deleted. Your reports stay without your name for statistics.")}</p>
        })}
        <section class="hero">
            <h1>{move || i18n.t().home_title}</h1>
            <p class="tagline">{move || i18n.t().app_tagline}</p>
            <p class="lead">{move || i18n.t().home_lead}</p>
        </section>
        {move || match name() {
            Some(name) => view! {
                <section class="card">
                    <h2>{move || i18n.t().home_welcome} ", " {name}</h2>
                    <p>{move || i18n.t().home_member_lead}</p>
                </section>
            }.into_any(),
            None => view! {
                <ul class="points">
                    {move || i18n.t().home_points.iter().map(|p| view! { <li>{*p}</li> }).collect_view()}
                </ul>
                <div class="actions">
                    <A href="/signup" attr:class="button primary">{move || i18n.t().home_signup}</A>
                    <A href="/login" attr:class="button">{move || i18n.t().home_login}</A>
                </div>
            }.into_any(),
        }}
        <p class="emergency">{move || i18n.t().emergency}</p>
    }
}
