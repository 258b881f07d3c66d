use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::users::{AdminUpdateUserRequest, Role, UserDto, UserPage, DEFAULT_PER_PAGE};

use crate::api::use_session;
use crate::components::{fetch, page_title, Notice, Pager, Paging};
use crate::i18n::{role_name, use_i18n};

fn encode(s: &str) -> String {
    js_sys::encode_uri_component(s).into()
}

#[component]
pub fn AdminUsers() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|t| t.users_title);
    let allowed = super::require_login();
    let is_admin = move || {
        session
            .user
            .with(|u| u.as_ref().is_some_and(|u| u.role == Role::Admin))
    };

    let query = RwSignal::new(String::new());
    let applied = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let version = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<String>);

    let users = fetch(move || {
        let (q, role, page, _) = (applied.get(), role.get(), page.get(), version.get());
        async move {
            let mut path = format!("/api/admin/users?page={page}&per_page={DEFAULT_PER_PAGE}");
            if !q.is_empty() {
                path.push_str(&format!("&q={}", encode(&q)));
            }
            if !role.is_empty() {
                path.push_str(&format!("&role={role}"));
            }
            session.call::<(), UserPage>(Method::GET, &path, None).await
        }
    });

    let update = move |user: UserDto, change: AdminUpdateUserRequest| {
        spawn_local(async move {
            let path = format!("/api/admin/users/{}", user.id);
            match session
                .call::<_, UserDto>(Method::PATCH, &path, Some(&change))
                .await
            {
                Ok(u) => notice.set(Some(format!(
                    "{}: {} ({})",
                    u.display_name,
                    role_name(i18n.lang.get_untracked(), u.role),
                    if u.active { "✓" } else { i18n.t().inactive }
                ))),
                Err(e) => notice.set(Some(e.message(i18n.t()))),
            }
            version.update(|v| *v += 1);
        });
    };

    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        page.set(1);
        applied.set(query.get_untracked());
    };

    let row = move |u: UserDto| {
        let select_id = format!("role-{}", u.id);
        let label = format!("{} {}", i18n.t().role_label, u.display_name);
        let (for_role, for_active) = (u.clone(), u.clone());
        let current = u.role;
        let active = u.active;
        view! {
            <li class="user" class:inactive=!active>
                <div class="who">
                    <strong>{u.display_name.clone()}</strong>
                    <span class="email">{u.email.clone()}</span>
                    {(!active).then(|| view! { <span class="warn">{move || i18n.t().inactive}</span> })}
                </div>
                <div class="controls">
                    <label class="visually-hidden" for=select_id.clone()>{label}</label>
                    <select id=select_id on:change=move |ev| {
                        if let Some(r) = Role::parse(&event_target_value(&ev)) {
                            update(for_role.clone(), AdminUpdateUserRequest { role: Some(r), active: None });
                        }
                    }>
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=r == current>{move || role_name(i18n.lang.get(), r)}</option>
                        }).collect_view()}
                    </select>
                    <button type="button" class="button small" on:click=move |_| {
                        update(for_active.clone(), AdminUpdateUserRequest { role: None, active: Some(!active) });
                    }>
                        {move || if active { i18n.t().deactivate } else { i18n.t().activate }}
                    </button>
                </div>
            </li>
        }
    };

    view! {
        <h1>{move || i18n.t().users_title}</h1>
        <Show when=move || allowed.get() && is_admin() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            <form class="filters" role="search" on:submit=on_search>
                <div class="field">
                    <label for="user-search">{move || i18n.t().search_label}</label>
                    <input id="user-search" type="search" prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="role-filter">{move || i18n.t().role_filter_label}</label>
                    <select id="role-filter" on:change=move |ev| { page.set(1); role.set(event_target_value(&ev)); }>
                        <option value="">{move || i18n.t().all_roles}</option>
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str()>{move || role_name(i18n.lang.get(), r)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button">{move || i18n.t().search_submit}</button>
            </form>
            <Notice message=notice/>
            {move || match users.get() {
                None => view! { <p>{move || i18n.t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e.message(i18n.t())}</p> }.into_any(),
                Some(Ok(p)) => {
                    view! {
                        <p role="status">{p.total} " " {move || i18n.t().users_found}</p>
                        {p.items.is_empty().then(|| view! { <p>{move || i18n.t().no_users}</p> })}
                        <ul class="users">{p.items.into_iter().map(row).collect_view()}</ul>
                    }.into_any()
                }
            }}
            <Pager page paging=Signal::derive(move || users.with(|u| match u {
                Some(Ok(p)) => Some(Paging::new(p.page, p.per_page, p.total, false, p.items.len())),
                _ => None,
            }))/>
        </Show>
    }
}
