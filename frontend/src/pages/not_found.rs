use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::page_title;
use crate::i18n::use_i18n;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    page_title(|t| t.not_found_title);
    view! {
        <h1>{move || i18n.t().not_found_title}</h1>
        <p>{move || i18n.t().not_found_body}</p>
        <p><A href="/">{move || i18n.t().back_home}</A></p>
    }
}

/// A staff page in the participant client, which leaves the staff pages out to
/// stay small: the server answers their addresses with the staff client, so a
/// visit by client-side navigation becomes a page load. Reached by a page load
/// (the server sent this client for it after all) it is not found, not a loop.
#[cfg(not(feature = "staff"))]
#[component]
pub fn StaffPage() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let path = location.pathname.get_untracked();
    if crate::first_path() == Some(path.as_str()) {
        return NotFound().into_any();
    }
    let target = format!(
        "{path}{}{}",
        location.search.get_untracked(),
        location.hash.get_untracked()
    );
    // Replace: the router already added this address to the history.
    let _ = window().location().replace(&target);
    ().into_any()
}
