//! Admins edit report categories: names, triage deadline, police routing, active.

use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::reports::{Category, CreateCategoryRequest, ReportKind, UpdateCategoryRequest};
use shared::users::{Language, Role};

use crate::api::use_session;
use crate::components::{fetch, page_title, Notice};
use crate::i18n::use_i18n;

#[component]
pub fn AdminCategories() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|_| "Categorieën / Categories");
    let allowed = super::require_login();
    let is_admin = move || {
        session
            .user
            .with(|u| u.as_ref().is_some_and(|u| u.role == Role::Admin))
    };
    let nl = move || i18n.lang.get() == Language::Nl;
    let version = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<String>);
    let list = fetch(move || {
        version.get();
        async move {
            session
                .call::<(), Vec<Category>>(Method::GET, "/api/admin/report-categories", None)
                .await
        }
    });
    let save = move |id: i32, change: UpdateCategoryRequest| {
        spawn_local(async move {
            let path = format!("/api/admin/report-categories/{id}");
            let result = session
                .call::<_, Category>(Method::PATCH, &path, Some(&change))
                .await;
            notice.set(Some(match result {
                Ok(c) => format!("{}: {}", c.name_nl, i18n.t().saved),
                Err(e) => e
                    .field_errors()
                    .first()
                    .map(|f| f.message.clone())
                    .unwrap_or_else(|| e.message(i18n.t())),
            }));
            version.update(|v| *v += 1);
        });
    };

    let code = RwSignal::new(String::new());
    let name_nl = RwSignal::new(String::new());
    let name_en = RwSignal::new(String::new());
    let kind = RwSignal::new(ReportKind::Nuisance);
    let days = RwSignal::new("3".to_owned());
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = CreateCategoryRequest {
            code: code.get_untracked(),
            kind: kind.get_untracked(),
            name_nl: name_nl.get_untracked(),
            name_en: name_en.get_untracked(),
            triage_days: days.get_untracked().parse().unwrap_or(-1),
            police_by_default: kind.get_untracked() == ReportKind::Burglary,
        };
        spawn_local(async move {
            let result = session
                .call::<_, Category>(Method::POST, "/api/admin/report-categories", Some(&body))
                .await;
            notice.set(Some(match result {
                Ok(c) => {
                    code.set(String::new());
                    name_nl.set(String::new());
                    name_en.set(String::new());
                    format!("{}: {}", c.name_nl, i18n.t().saved)
                }
                Err(e) => {
                    let fields: Vec<String> = e
                        .field_errors()
                        .iter()
                        .map(|f| format!("{}: {}", f.field, f.message))
                        .collect();
                    if fields.is_empty() {
                        e.message(i18n.t())
                    } else {
                        fields.join(" ")
                    }
                }
            }));
            version.update(|v| *v += 1);
        });
    };

    view! {
        <h1>{move || if nl() { "Categorieën" } else { "Categories" }}</h1>
        <Show when=move || allowed.get() && is_admin() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            <Notice message=notice/>
            {move || list.get().and_then(Result::ok).map(|cats| view! {
                <ul class="users">
                    {cats.into_iter().map(|c| {
                        let id = c.id;
                        let days_id = format!("days-{id}");
                        let active = c.active;
                        let name = if nl() { c.name_nl.clone() } else { c.name_en.clone() };
                        view! {
                            <li class="user" class:inactive=!active>
                                <div class="who">
                                    <strong>{name.clone()}</strong>
                                    <span class="email">{c.code.clone()} " · " {c.kind.as_str()}</span>
                                </div>
                                <div class="controls">
                                    <label for=days_id.clone()>{move || if nl() { "Werkdagen" } else { "Working days" }}</label>
                                    <input type="number" id=days_id min="0" max="60" value=c.triage_days.to_string()
                                        on:change=move |ev| {
                                            let triage_days = event_target_value(&ev).parse().ok();
                                            save(id, UpdateCategoryRequest { triage_days, ..Default::default() });
                                        }/>
                                    <button type="button" class="button small" on:click=move |_| {
                                        save(id, UpdateCategoryRequest { active: Some(!active), ..Default::default() });
                                    }>
                                        {move || match (active, nl()) {
                                            (true, true) => "Uitzetten",
                                            (true, false) => "Deactivate",
                                            (false, true) => "Aanzetten",
                                            (false, false) => "Activate",
                                        }}
                                    </button>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <h2>{move || if nl() { "Nieuwe categorie" } else { "New category" }}</h2>
            <form on:submit=create>
                <div class="field">
                    <label for="new-code">"Code"</label>
                    <input id="new-code" prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="new-kind">{move || if nl() { "Soort" } else { "Kind" }}</label>
                    <select id="new-kind" on:change=move |ev| kind.set(ReportKind::parse(&event_target_value(&ev)).unwrap_or(ReportKind::Nuisance))>
                        <option value="nuisance">{move || if nl() { "Overlast" } else { "Nuisance" }}</option>
                        <option value="burglary">{move || if nl() { "Inbraak" } else { "Burglary" }}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="new-name-nl">"Naam (Nederlands)"</label>
                    <input id="new-name-nl" prop:value=move || name_nl.get() on:input=move |ev| name_nl.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="new-name-en">"Name (English)"</label>
                    <input id="new-name-en" prop:value=move || name_en.get() on:input=move |ev| name_en.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="new-days">{move || if nl() { "Werkdagen tot beoordeling" } else { "Working days to triage" }}</label>
                    <input id="new-days" type="number" min="0" max="60" prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="button primary">{move || i18n.t().save}</button>
            </form>
        </Show>
    }
}
