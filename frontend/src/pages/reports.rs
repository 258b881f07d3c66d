//! Reports: file one (participants), follow it, and work the queue (staff, partners).

use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use shared::reports::{
    Category, CreateReportRequest, FeedbackRequest, Location, NotificationDto, PartnerNoteRequest,
    ReopenRequest, ReportDto, ReportKind, ReportPage, ReportStatus, TransitionRequest,
};
use shared::users::{Language, Role};
use shared::validation::validate_text;
use wasm_bindgen::prelude::*;

use super::neighbourhoods::load_neighbourhoods;
use crate::api::{self, use_session};
use crate::components::{
    code, fetch, field_error, page_title, summary_items, ErrorSummary, Field, FormState, Notice,
    Pager, Paging,
};
use crate::i18n::{reports_for, status_name, use_i18n};
use crate::time::{fmt_time, local_now_input, parse_local};

/// The report categories (public).
pub(crate) const CATEGORIES: &str = "/api/report-categories";

pub(crate) fn load_categories() -> ReadSignal<Option<Vec<Category>>> {
    fetch(|| async {
        api::get::<Vec<Category>>(CATEGORIES)
            .await
            .unwrap_or_default()
    })
}

const DRAFT_KEY: &str = "wv_report_draft";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn load_draft() -> Option<serde_json::Value> {
    let text = storage()?.get_item(DRAFT_KEY).ok()??;
    serde_json::from_str(&text).ok()
}

/// Stores the draft, or removes it with `None`.
fn save_draft(draft: Option<&str>) {
    if let Some(s) = storage() {
        let _ = match draft {
            Some(d) => s.set_item(DRAFT_KEY, d),
            None => s.remove_item(DRAFT_KEY),
        };
    }
}

fn now_utc() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// A pictogram beside each category name (decorative: the name says it all).
fn category_icon(code: &str) -> &'static str {
    match code {
        "noise" => "🔊",
        "party" => "🎉",
        "litter" => "🗑",
        "vandalism" => "🔨",
        "drug_dealing" => "💊",
        "intimidation" => "⚠",
        "bicycle_nuisance" | "bicycle_theft" => "🚲",
        "home" => "🏠",
        "shed_garage" => "🏚",
        "car" => "🚗",
        "attempted" => "🔓",
        _ => "•",
    }
}

fn category_name(cats: &[Category], id: i32, lang: Language) -> String {
    cats.iter()
        .find(|c| c.id == id)
        .map(|c| {
            if lang == Language::Nl {
                c.name_nl.clone()
            } else {
                c.name_en.clone()
            }
        })
        .unwrap_or_default()
}

#[component]
pub fn NewReport() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    page_title(|_| "Melding / Report");
    let allowed = super::require_login();
    let form = FormState::new();
    let categories = load_categories();
    let neighbourhoods = load_neighbourhoods();

    let kind = RwSignal::new(None::<ReportKind>);
    let anonymous = RwSignal::new(true);
    let contact = RwSignal::new(true);
    let category = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let occurred = RwSignal::new(local_now_input());
    let address = RwSignal::new(String::new());
    let neighbourhood = RwSignal::new(
        session
            .user
            .get_untracked()
            .and_then(|u| u.neighbourhood_id)
            .map(|n| n.to_string())
            .unwrap_or_default(),
    );
    // A report being written survives a reload or a lost connection.
    if let Some(d) = load_draft() {
        kind.set(d["kind"].as_str().and_then(ReportKind::parse));
        category.set(d["category"].as_str().unwrap_or_default().to_owned());
        description.set(d["description"].as_str().unwrap_or_default().to_owned());
        if let Some(o) = d["occurred"].as_str().filter(|o| !o.is_empty()) {
            occurred.set(o.to_owned());
        }
        address.set(d["address"].as_str().unwrap_or_default().to_owned());
        if let Some(n) = d["neighbourhood"].as_str().filter(|n| !n.is_empty()) {
            neighbourhood.set(n.to_owned());
        }
        anonymous.set(d["anonymous"].as_bool().unwrap_or(true));
        contact.set(d["contact"].as_bool().unwrap_or(true));
    }
    // Stored on every change, not on the first run: the form then holds only
    // what was stored or the defaults.
    Effect::new(move |previous_run: Option<()>| {
        let draft = serde_json::json!({
            "kind": kind.get().map(|k| k.as_str()),
            "category": category.get(),
            "description": description.get(),
            "occurred": occurred.get(),
            "address": address.get(),
            "neighbourhood": neighbourhood.get(),
            "anonymous": anonymous.get(),
            "contact": contact.get(),
        });
        if previous_run.is_some() {
            save_draft(Some(&draft.to_string()));
        }
    });
    // After a reload the session arrives later: default to the user's own neighbourhood then.
    Effect::new(move |_| {
        let own = session
            .user
            .with(|u| u.as_ref().and_then(|u| u.neighbourhood_id));
        if let Some(n) = own {
            if neighbourhood.get_untracked().is_empty() {
                neighbourhood.set(n.to_string());
            }
        }
    });
    let location = RwSignal::new(None::<Location>);
    let location_notice = RwSignal::new(None::<String>);
    let touched: [RwSignal<bool>; 5] = std::array::from_fn(|_| RwSignal::new(false));
    let photos: NodeRef<leptos::html::Input> = NodeRef::new();
    let photo_error = RwSignal::new(None::<String>);

    let category_error = field_error(form, "category_id", touched[0], move || {
        category
            .get()
            .parse::<i32>()
            .is_err()
            .then(|| "unknown_category".to_owned())
    });
    let description_error = field_error(form, "description", touched[1], move || {
        code(validate_text("description", &description.get(), 10, 4000))
    });
    let occurred_error = field_error(form, "occurred_at", touched[2], move || {
        match parse_local(&occurred.get()) {
            None => Some("required".to_owned()),
            Some(t) if t > now_utc() + chrono::Duration::minutes(5) => Some("in_future".to_owned()),
            Some(t) if t < now_utc() - chrono::Duration::days(365) => Some("too_old".to_owned()),
            Some(_) => None,
        }
    });
    let address_error = field_error(form, "address", touched[3], move || {
        let a = address.get();
        (!a.trim().is_empty())
            .then(|| code(validate_text("address", &a, 3, 200)))
            .flatten()
    });
    let neighbourhood_error = field_error(form, "neighbourhood_id", touched[4], move || {
        neighbourhood
            .get()
            .parse::<i32>()
            .is_err()
            .then(|| "unknown_neighbourhood".to_owned())
    });
    let location_error = Signal::derive(move || form.server_error("location"));
    let items = summary_items(vec![
        (
            "category_id",
            |t| reports_for(t).category_label,
            category_error,
        ),
        (
            "description",
            |t| reports_for(t).description_label,
            description_error,
        ),
        (
            "occurred_at",
            |t| reports_for(t).occurred_label,
            occurred_error,
        ),
        ("address", |t| reports_for(t).address_label, address_error),
        (
            "neighbourhood_id",
            |t| t.neighbourhood_label,
            neighbourhood_error,
        ),
        (
            "use-location",
            |t| reports_for(t).use_location,
            location_error,
        ),
    ]);

    let use_location = move |_| {
        let Some(geo) = window().navigator().geolocation().ok() else {
            location_notice.set(Some(i18n.r().location_failed.to_owned()));
            return;
        };
        let ok = Closure::once_into_js(move |pos: web_sys::Position| {
            let c = pos.coords();
            location.set(Some(Location {
                lat: c.latitude(),
                lon: c.longitude(),
            }));
            location_notice.set(Some(i18n.r().location_set.to_owned()));
        });
        let fail = Closure::once_into_js(move |_e: JsValue| {
            location_notice.set(Some(i18n.r().location_failed.to_owned()));
        });
        let _ = geo.get_current_position_with_error_callback(
            ok.unchecked_ref(),
            Some(fail.unchecked_ref()),
        );
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let errors = [
            category_error,
            description_error,
            occurred_error,
            address_error,
            neighbourhood_error,
        ];
        if form.pending.get_untracked()
            || !form.begin(|| errors.iter().any(|e| e.get_untracked().is_some()))
        {
            return;
        }
        let address_text = address.get_untracked();
        let body = CreateReportRequest {
            category_id: category.get_untracked().parse().unwrap_or_default(),
            description: description.get_untracked(),
            occurred_at: parse_local(&occurred.get_untracked()).unwrap_or_else(now_utc),
            neighbourhood_id: neighbourhood.get_untracked().parse().unwrap_or_default(),
            location: location.get_untracked(),
            address: (!address_text.trim().is_empty()).then_some(address_text),
            anonymous_to_partners: anonymous.get_untracked(),
            contact_ok: contact.get_untracked(),
        };
        let navigate = navigate.clone();
        let files: Vec<web_sys::File> = photos
            .get_untracked()
            .and_then(|input| input.files())
            .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
            .unwrap_or_default();
        if files.len() > shared::reports::MAX_PHOTOS {
            photo_error.set(Some(format!("Max {}", shared::reports::MAX_PHOTOS)));
            form.pending.set(false);
            return;
        }
        spawn_local(async move {
            match session
                .call::<_, ReportDto>(Method::POST, "/api/reports", Some(&body))
                .await
            {
                Ok(r) => {
                    let mut failed = false;
                    for file in files {
                        let Ok(buffer) =
                            wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await
                        else {
                            continue;
                        };
                        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                        let path = format!("/api/reports/{}/photos", r.id);
                        if let Err(e) = session.upload(&path, &bytes, &file.type_()).await {
                            let message = e
                                .field_errors()
                                .first()
                                .map(|f| f.message.clone())
                                .unwrap_or_else(|| e.message(i18n.t()));
                            photo_error.set(Some(message));
                            failed = true;
                        }
                    }
                    form.done();
                    save_draft(None);
                    let flag = if failed { "&photos_failed=1" } else { "" };
                    navigate(
                        &format!("/reports/{}?new=1{flag}", r.id),
                        NavigateOptions::default(),
                    );
                }
                Err(e) => form.fail(e, i18n.t()),
            }
        });
    };

    let kind_choice = move |k: ReportKind, id: &'static str| {
        view! {
            <div class="choice">
                <input type="radio" id=id name="kind" prop:checked=move || kind.get() == Some(k)
                    on:change=move |_| { kind.set(Some(k)); category.set(String::new()); } />
                <label for=id>{move || if k == ReportKind::Nuisance { i18n.r().kind_nuisance } else { i18n.r().kind_burglary }}</label>
            </div>
        }
    };

    view! {
        <h1>{move || i18n.r().new_title}</h1>
        <div hidden=move || !allowed.get()>
            <p class="emergency">{move || i18n.t().emergency}</p>
            // The form appears whole, once the categories are there: their
            // grid growing later would push every field below it down.
            <p hidden=move || categories.with(Option::is_some)>{move || i18n.t().loading}</p>
            <form novalidate on:submit=on_submit hidden=move || categories.with(Option::is_none)>
                <ErrorSummary form=form items=items/>
                <fieldset class="field">
                    <legend>{move || i18n.r().kind_legend}</legend>
                    <div class="choices">
                        {kind_choice(ReportKind::Nuisance, "kind-nuisance")}
                        {kind_choice(ReportKind::Burglary, "kind-burglary")}
                    </div>
                </fieldset>
                <Show when=move || kind.get() == Some(ReportKind::Burglary)>
                    <div class="guidance" role="note">
                        <p><strong>{move || if i18n.lang.get() == Language::Nl { "Dit is geen aangifte." } else { "This is not an official police report." }}</strong></p>
                        <p>{move || if i18n.lang.get() == Language::Nl { "Doe aangifte via politie.nl/aangifte of bel 0900-8844." } else { "Report the crime at politie.nl/aangifte or call 0900-8844." }}</p>
                    </div>
                </Show>
                <fieldset id="category_id" tabindex="-1" class="field" class:has-error=move || category_error.get().is_some()>
                    <legend>{move || i18n.r().category_label}</legend>
                    {move || category_error.get().map(|e| view! { <p class="error" id="category_id-error">{e}</p> })}
                    <div class="categories">
                        {move || categories.get().map(|cats| cats.into_iter()
                            .filter(|c| kind.get().is_none_or(|k| k == c.kind))
                            .map(|c| {
                                let value = c.id.to_string();
                                let checked = value.clone();
                                let id = format!("category-{}", c.code);
                                let name = if i18n.lang.get() == Language::Nl { c.name_nl } else { c.name_en };
                                view! {
                                    <div class="category">
                                        <input type="radio" name="category" id=id.clone() value=value.clone()
                                            prop:checked=move || category.get() == checked
                                            on:change=move |_| { category.set(value.clone()); touched[0].set(true); form.clear_field("category_id"); }/>
                                        <label for=id><span class="icon" aria-hidden="true">{category_icon(&c.code)}</span>{name}</label>
                                    </div>
                                }
                            }).collect_view())}
                    </div>
                </fieldset>
                <div class="field" class:has-error=move || description_error.get().is_some()>
                    <label for="description">{move || i18n.r().description_label}</label>
                    <p class="hint" id="description-hint">{move || i18n.r().description_hint}</p>
                    {move || description_error.get().map(|e| view! { <p class="error" id="description-error">{e}</p> })}
                    <textarea id="description" rows="5" maxlength="4000" aria-describedby="description-hint"
                        prop:value=move || description.get()
                        on:input=move |ev| { description.set(event_target_value(&ev)); form.clear_field("description"); }
                        on:blur=move |_| touched[1].set(true)></textarea>
                </div>
                <Field id="occurred_at" label=Signal::derive(move || i18n.r().occurred_label.to_owned())
                    input_type="datetime-local" value=occurred error=occurred_error touched=touched[2] form=form/>
                <div class="field" class:has-error=move || neighbourhood_error.get().is_some()>
                    <label for="neighbourhood_id">{move || i18n.t().neighbourhood_label}</label>
                    {move || neighbourhood_error.get().map(|e| view! { <p class="error">{e}</p> })}
                    <select id="neighbourhood_id" on:change=move |ev| { neighbourhood.set(event_target_value(&ev)); touched[4].set(true); }>
                        <option value="" selected=move || neighbourhood.get().is_empty()>{move || i18n.t().neighbourhood_choose}</option>
                        {move || neighbourhoods.get().map(|list| list.into_iter().map(|n| {
                            let value = n.id.to_string();
                            let selected = value.clone();
                            view! { <option value=value selected=move || neighbourhood.get() == selected>{n.name}</option> }
                        }).collect_view())}
                    </select>
                </div>
                <Field id="address" label=Signal::derive(move || i18n.r().address_label.to_owned())
                    hint=Signal::derive(move || i18n.r().address_hint.to_owned())
                    autocomplete="street-address" value=address error=address_error touched=touched[3] form=form/>
                <p>
                    <button type="button" id="use-location" class="button small" on:click=use_location>{move || i18n.r().use_location}</button>
                </p>
                {move || location_error.get().map(|e| view! { <p class="error">{e}</p> })}
                <Notice message=location_notice/>
                <div class="field">
                    <label for="photos">{move || if i18n.lang.get() == Language::Nl { "Foto's (maximaal 3, mag leeg)" } else { "Photos (up to 3, optional)" }}</label>
                    {move || photo_error.get().map(|e| view! { <p class="error">{e}</p> })}
                    <input type="file" id="photos" accept="image/jpeg,image/png,image/webp" multiple node_ref=photos/>
                </div>
                <div class="field check">
                    <div class="choice">
                        <input type="checkbox" id="anonymous" prop:checked=move || anonymous.get()
                            on:change=move |ev| anonymous.set(event_target_checked(&ev))/>
                        <label for="anonymous">{move || i18n.r().anonymous_label}</label>
                    </div>
                    <div class="choice">
                        <input type="checkbox" id="contact_ok" prop:checked=move || contact.get()
                            on:change=move |ev| contact.set(event_target_checked(&ev))/>
                        <label for="contact_ok">{move || i18n.r().contact_label}</label>
                    </div>
                </div>
                <button type="submit" class="button primary" disabled=move || form.pending.get()>
                    {move || if form.pending.get() { i18n.t().busy } else { i18n.r().submit }}
                </button>
            </form>
        </div>
    }
}

/// A list of reports: mine (participants) or the queue (staff, partners).
#[component]
pub fn ReportList(#[prop(optional)] queue: bool) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|_| "Meldingen / Reports");
    let allowed = super::require_login();
    let categories = load_categories();
    // The dashboard drills down here with its filters in the address.
    let start = leptos_router::hooks::use_query_map().get_untracked();
    let initial = |k: &str| start.get(k).unwrap_or_default();
    // Opened from the menu (no filters in the address), the queue shows
    // what still needs work; closed reports would otherwise lead the
    // due-date order.
    let status = RwSignal::new(if queue && start.latest_values().next().is_none() {
        OPEN_STATUSES.to_owned()
    } else {
        initial("status")
    });
    let kind = RwSignal::new(initial("kind"));
    let overdue = RwSignal::new(start.get("overdue").is_some());
    let category_f = RwSignal::new(initial("category_id"));
    let hood_f = RwSignal::new(initial("neighbourhood_id"));
    let from_f = RwSignal::new(initial("from"));
    let to_f = RwSignal::new(initial("to"));
    let text = RwSignal::new(String::new());
    let applied_text = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    // A new filter starts again on the first page.
    let refilter = move |filter: RwSignal<String>, value: String| {
        page.set(1);
        filter.set(value);
    };
    let neighbourhoods = load_neighbourhoods();
    let reports = fetch(move || {
        let (status, kind, overdue) = (status.get(), kind.get(), overdue.get());
        let page = page.get();
        let extra: Vec<(&str, String)> = vec![
            ("category_id", category_f.get()),
            ("neighbourhood_id", hood_f.get()),
            ("from", from_f.get()),
            ("to", to_f.get()),
            ("q", applied_text.get()),
        ];
        async move {
            let mut path = format!("/api/reports?per_page={PER_PAGE}&page={page}");
            if !queue {
                path.push_str("&mine=true");
            } else {
                path.push_str("&sort=due");
            }
            if !status.is_empty() {
                path.push_str(&format!("&status={status}"));
            }
            if !kind.is_empty() {
                path.push_str(&format!("&kind={kind}"));
            }
            if overdue {
                path.push_str("&overdue=true");
            }
            for (name, value) in extra.into_iter().filter(|(_, v)| !v.is_empty()) {
                let value: String = js_sys::encode_uri_component(&value).into();
                path.push_str(&format!("&{name}={value}"));
            }
            session
                .call::<(), ReportPage>(Method::GET, &path, None)
                .await
        }
    });
    view! {
        <h1>{move || if queue { i18n.r().queue_title } else { i18n.r().my_title }}</h1>
        <Show when=move || allowed.get() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            <Show when=move || !queue>
                <p><A href="/reports/new" attr:class="button primary">{move || i18n.r().new_title}</A></p>
            </Show>
            <Show when=move || queue>
                <div class="filters">
                    <div class="field">
                        <label for="filter-status">{move || i18n.r().status}</label>
                        <select id="filter-status" on:change=move |ev| refilter(status, event_target_value(&ev))>
                            <option value="" selected=move || status.get().is_empty()>{move || i18n.r().all_statuses}</option>
                            <option value=OPEN_STATUSES selected=move || status.get() == OPEN_STATUSES>{move || i18n.pick("Open (nog te doen)", "Open (to do)")}</option>
                            {ReportStatus::ALL.into_iter().map(|s| view! {
                                <option value=s.as_str() selected=move || status.get() == s.as_str()>{move || status_name(i18n.lang.get(), s)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-kind">{move || i18n.r().kind_legend}</label>
                        <select id="filter-kind" on:change=move |ev| refilter(kind, event_target_value(&ev))>
                            <option value="">{move || i18n.r().all_kinds}</option>
                            <option value="nuisance" selected=move || kind.get() == "nuisance">{move || i18n.r().kind_nuisance}</option>
                            <option value="burglary" selected=move || kind.get() == "burglary">{move || i18n.r().kind_burglary}</option>
                        </select>
                    </div>
                    <div class="field check choice">
                        <input type="checkbox" id="filter-overdue" prop:checked=move || overdue.get() on:change=move |ev| { page.set(1); overdue.set(event_target_checked(&ev)); }/>
                        <label for="filter-overdue">{move || i18n.r().only_overdue}</label>
                    </div>
                    <div class="field">
                        <label for="filter-category">{move || i18n.r().category_label}</label>
                        <select id="filter-category" on:change=move |ev| refilter(category_f, event_target_value(&ev))>
                            <option value="">{move || i18n.r().all_kinds}</option>
                            {move || categories.get().map(|cats| cats.into_iter().map(|c| {
                                let name = if i18n.lang.get() == Language::Nl { c.name_nl } else { c.name_en };
                                let v = c.id.to_string();
                                let sel = v.clone();
                                view! { <option value=v selected=move || category_f.get() == sel>{name}</option> }
                            }).collect_view())}
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-neighbourhood">{move || i18n.t().neighbourhood_label}</label>
                        <select id="filter-neighbourhood" on:change=move |ev| refilter(hood_f, event_target_value(&ev))>
                            <option value="">"—"</option>
                            {move || neighbourhoods.get().map(|list| list.into_iter().map(|n| {
                                let v = n.id.to_string();
                                let sel = v.clone();
                                view! { <option value=v selected=move || hood_f.get() == sel>{n.name}</option> }
                            }).collect_view())}
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-from">{move || if i18n.lang.get() == Language::Nl { "Vanaf" } else { "From" }}</label>
                        <input type="date" id="filter-from" prop:value=move || from_f.get() on:change=move |ev| refilter(from_f, event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for="filter-to">{move || if i18n.lang.get() == Language::Nl { "Tot en met" } else { "Until" }}</label>
                        <input type="date" id="filter-to" prop:value=move || to_f.get() on:change=move |ev| refilter(to_f, event_target_value(&ev))/>
                    </div>
                    <form class="field" role="search" on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        refilter(applied_text, text.get_untracked());
                    }>
                        <label for="filter-text">{move || if i18n.lang.get() == Language::Nl { "Zoek in de beschrijving" } else { "Search the description" }}</label>
                        <input type="search" id="filter-text" minlength="3" maxlength="100" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
                        <button type="submit" class="button small">{move || i18n.t().search_submit}</button>
                    </form>
                </div>
            </Show>
            {move || match reports.get() {
                None => view! { <p>{move || i18n.t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e.message(i18n.t())}</p> }.into_any(),
                Some(Ok(list)) if list.items.is_empty() && list.page <= 1 => view! {
                    <p role="status">{move || if queue { i18n.pick("Geen meldingen met deze filters.", "No reports match these filters.") } else { i18n.r().none_yet }}</p>
                }.into_any(),
                Some(Ok(list)) => {
                    let cats = categories.get().unwrap_or_default();
                    let count = if list.total_capped {
                        format!("{} {}", i18n.pick("Meer dan", "More than"), list.total)
                    } else {
                        list.total.to_string()
                    };
                    let one = list.total == 1 && !list.total_capped;
                    view! {
                        <p role="status">{count} " " {move || if one { i18n.pick("melding", "report") } else { i18n.pick("meldingen", "reports") }}</p>
                        <ul class="reports">
                            {list.items.into_iter().map(|r| {
                                let lang = i18n.lang.get();
                                let name = category_name(&cats, r.category_id, lang);
                                view! {
                                    <li class="report" class:overdue=r.overdue>
                                        <A href=format!("/reports/{}", r.id)>{r.reference.clone()} " · " {name}</A>
                                        <span class="status">{status_name(lang, r.status)}</span>
                                        {r.overdue.then(|| view! { <span class="warn">{i18n.r().overdue}</span> })}
                                        <span class="meta">{i18n.r().due} ": " {fmt_time(r.due_at)}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            <Pager page paging=Signal::derive(move || reports.with(|r| match r {
                Some(Ok(l)) if !(l.items.is_empty() && l.page <= 1) => {
                    Some(Paging::new(l.page, l.per_page, l.total, l.total_capped, l.items.len()))
                }
                _ => None,
            }))/>
        </Show>
    }
}

/// Reports a page of the list shows.
const PER_PAGE: u32 = 50;

/// The statuses of reports that still need work: the queue's first view.
const OPEN_STATUSES: &str = "submitted,triaged,forwarded,reopened";

#[component]
pub fn MyReports() -> impl IntoView {
    view! { <ReportList/> }
}

#[component]
pub fn Queue() -> impl IntoView {
    view! { <ReportList queue=true/> }
}

#[component]
pub fn ReportDetail() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|_| "Melding / Report");
    let allowed = super::require_login();
    let params = use_params_map();
    let id = move || {
        params.with(|p| {
            p.get("id")
                .and_then(|v| v.parse::<i32>().ok())
                .unwrap_or_default()
        })
    };
    let version = RwSignal::new(0u32);
    let categories = load_categories();
    let report = fetch(move || {
        let (id, _) = (id(), version.get());
        async move {
            session
                .call::<(), ReportDto>(Method::GET, &format!("/api/reports/{id}"), None)
                .await
        }
    });
    let query = leptos_router::hooks::use_query_map().get_untracked();
    let is_new = query.get("new").is_some();
    let photos_failed = query.get("photos_failed").is_some();
    let role = move || session.user.with(|u| u.as_ref().map(|u| u.role));
    view! {
        <Show when=move || allowed.get() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            {move || match report.get() {
                None => view! { <h1>{move || i18n.r().reference}</h1><p>{move || i18n.t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <h1>{move || i18n.t().not_found_title}</h1><p class="error">{e.message(i18n.t())}</p> }.into_any(),
                Some(Ok(r)) => {
                    let lang = i18n.lang.get();
                    let cats = categories.get().unwrap_or_default();
                    let name = category_name(&cats, r.category_id, lang);
                    let guidance = r.guidance.clone();
                    let timeline = r.timeline.clone();
                    let reporter = r.reporter.clone();
                    let rr = r.clone();
                    view! {
                        <h1>{r.reference.clone()}</h1>
                        {is_new.then(|| view! { <div class="notice" role="status"><p><strong>{i18n.r().filed}</strong></p><p>{i18n.r().what_next}</p></div> })}
                        {guidance.map(|g| view! {
                            <div class="guidance" role="note">
                                <p><strong>{g.not_a_police_report}</strong></p>
                                <p>{g.how_to_report}</p>
                                <p class="emergency">{g.emergency}</p>
                            </div>
                        })}
                        <dl class="facts">
                            <dt>{i18n.r().status}</dt>
                            <dd data-testid="status"><strong>{status_name(lang, r.status)}</strong>
                                {r.overdue.then(|| view! { " · " <span class="warn">{i18n.r().overdue}</span> })}</dd>
                            <dt>{i18n.r().category_label}</dt><dd>{name}</dd>
                            <dt>{i18n.r().due}</dt><dd>{fmt_time(r.due_at)}</dd>
                            <dt>{i18n.r().description_label}</dt><dd class="pre">{r.description.clone()}</dd>
                            {r.address.clone().map(|a| view! { <dt>{i18n.r().address_label}</dt><dd>{a}</dd> })}
                            {(role() != Some(Role::Participant)).then(|| view! {
                                <dt>{i18n.r().reporter}</dt>
                                <dd data-testid="reporter">{reporter.map(|p| p.display_name).unwrap_or_else(|| i18n.r().anonymous.to_owned())}</dd>
                            })}
                        </dl>
                        {photos_failed.then(|| view! {
                            <p class="error" role="alert">{if lang == Language::Nl {
                                "Niet alle foto's konden worden toegevoegd: alleen JPEG, PNG of WebP tot 8 MB."
                            } else {
                                "Not every photo could be added: only JPEG, PNG or WebP up to 8 MB."
                            }}</p>
                        })}
                        <Photos refs=r.photos.clone()/>
                        <h2>{i18n.r().timeline}</h2>
                        <ol class="timeline">
                            {timeline.into_iter().map(|e| view! {
                                <li>
                                    <span class="meta">{fmt_time(e.at)}</span> " "
                                    {e.to_status.map(|s| status_name(lang, s).to_owned()).unwrap_or_else(|| e.event.replace('_', " "))}
                                    {e.public_note.map(|n| view! { <p class="note">{n}</p> })}
                                    {e.internal_note.map(|n| view! { <p class="note internal">{n}</p> })}
                                </li>
                            }).collect_view()}
                        </ol>
                        <Actions report=rr version=version/>
                    }.into_any()
                }
            }}
        </Show>
    }
}

/// What the viewer can do with the report now.
#[component]
fn Actions(report: ReportDto, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let role = session.user.get_untracked().map(|u| u.role);
    let id = report.id;
    let notice = RwSignal::new(None::<String>);
    let text = RwSignal::new(String::new());
    let internal = RwSignal::new(String::new());
    let target = RwSignal::new(
        report
            .allowed_transitions
            .first()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
    );
    let handled = RwSignal::new(false);
    let form = FormState::new();
    let send = move |path: String, body: serde_json::Value| {
        spawn_local(async move {
            match session
                .call::<_, ReportDto>(Method::POST, &path, Some(&body))
                .await
            {
                Ok(_) => {
                    text.set(String::new());
                    internal.set(String::new());
                    form.done();
                    version.update(|v| *v += 1);
                }
                Err(e) => {
                    form.submitted.set(true);
                    form.fail(e, i18n.t())
                }
            }
        });
    };
    let text_error = Signal::derive(move || {
        form.server_error("public_note")
            .or_else(|| form.server_error("reason"))
            .or_else(|| form.server_error("note"))
            .or_else(|| form.server_error("comment"))
    });
    let is_reporter = role == Some(Role::Participant);
    let can_feedback = is_reporter
        && matches!(report.status, ReportStatus::Resolved | ReportStatus::Closed)
        && report.satisfied.is_none();
    let can_reopen = is_reporter && report.reopen_until.is_some();
    let is_staff = !report.allowed_transitions.is_empty();
    let is_partner = role == Some(Role::Partner);
    let transitions = report.allowed_transitions.clone();
    view! {
        <Notice message=notice/>
        {move || text_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        {move || form.general.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        {can_feedback.then(|| view! {
            <section class="card" aria-labelledby="feedback-heading">
                <h2 id="feedback-heading">{move || i18n.r().feedback_title}</h2>
                <div class="field">
                    <label for="feedback-comment">{move || i18n.r().comment_label}</label>
                    <textarea id="feedback-comment" rows="3" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </div>
                <p class="actions">
                    <button type="button" class="button primary" on:click=move |_| send(format!("/api/reports/{id}/feedback"), serde_json::to_value(FeedbackRequest { satisfied: true, comment: Some(text.get_untracked()) }).unwrap_or_default())>{move || i18n.r().satisfied_yes}</button>
                    <button type="button" class="button" on:click=move |_| send(format!("/api/reports/{id}/feedback"), serde_json::to_value(FeedbackRequest { satisfied: false, comment: Some(text.get_untracked()) }).unwrap_or_default())>{move || i18n.r().satisfied_no}</button>
                </p>
            </section>
        })}
        {(is_reporter && report.satisfied.is_some()).then(|| view! { <p class="ok">{move || i18n.r().thanks_feedback}</p> })}
        {can_reopen.then(|| view! {
            <section class="card" aria-labelledby="reopen-heading">
                <h2 id="reopen-heading">{move || i18n.r().reopen_title}</h2>
                <div class="field">
                    <label for="reopen-reason">{move || i18n.r().reason_label}</label>
                    <textarea id="reopen-reason" rows="3" prop:value=move || internal.get() on:input=move |ev| internal.set(event_target_value(&ev))></textarea>
                </div>
                <button type="button" class="button" on:click=move |_| send(format!("/api/reports/{id}/reopen"), serde_json::to_value(ReopenRequest { reason: internal.get_untracked() }).unwrap_or_default())>{move || i18n.r().reopen_submit}</button>
            </section>
        })}
        {is_staff.then(|| view! {
            <section class="card" aria-labelledby="move-heading">
                <h2 id="move-heading">{move || i18n.r().move_title}</h2>
                <div class="field">
                    <label for="transition-to">{move || i18n.r().status}</label>
                    <select id="transition-to" on:change=move |ev| target.set(event_target_value(&ev))>
                        {transitions.iter().map(|s| { let s = *s; view! {
                            <option value=s.as_str() selected=move || target.get() == s.as_str()>{move || status_name(i18n.lang.get(), s)}</option>
                        }}).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="public-note">{move || i18n.r().public_note_label}</label>
                    <textarea id="public-note" rows="3" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </div>
                <div class="field">
                    <label for="internal-note">{move || i18n.r().internal_note_label}</label>
                    <textarea id="internal-note" rows="2" prop:value=move || internal.get() on:input=move |ev| internal.set(event_target_value(&ev))></textarea>
                </div>
                <button type="button" class="button primary" on:click=move |_| {
                    let to = ReportStatus::parse(&target.get_untracked()).unwrap_or(ReportStatus::Triaged);
                    let public_note = Some(text.get_untracked()).filter(|t| !t.trim().is_empty());
                    let internal_note = Some(internal.get_untracked()).filter(|t| !t.trim().is_empty());
                    send(format!("/api/reports/{id}/transitions"), serde_json::to_value(TransitionRequest { to, public_note, internal_note }).unwrap_or_default())
                }>{move || i18n.r().move_title}</button>
            </section>
        })}
        {is_partner.then(|| view! {
            <section class="card" aria-labelledby="partner-heading">
                <h2 id="partner-heading">{move || i18n.r().partner_note_label}</h2>
                <div class="field">
                    <label for="partner-note">{move || i18n.r().partner_note_label}</label>
                    <textarea id="partner-note" rows="3" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </div>
                <div class="field check choice">
                    <input type="checkbox" id="partner-handled" on:change=move |ev| handled.set(event_target_checked(&ev))/>
                    <label for="partner-handled">{move || i18n.r().handled_label}</label>
                </div>
                <button type="button" class="button primary" on:click=move |_| send(format!("/api/reports/{id}/partner-notes"), serde_json::to_value(PartnerNoteRequest { note: text.get_untracked(), handled: handled.get_untracked() }).unwrap_or_default())>{move || i18n.r().send}</button>
            </section>
        })}
    }
}

#[component]
pub fn Notifications() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|_| "Berichten / Messages");
    let allowed = super::require_login();
    let version = RwSignal::new(0u32);
    let list = fetch(move || {
        version.get();
        async move {
            session
                .call::<(), Vec<NotificationDto>>(Method::GET, "/api/me/notifications", None)
                .await
        }
    });
    let mark_all = move |_| {
        spawn_local(async move {
            let _ = session
                .call::<(), ()>(Method::POST, "/api/me/notifications/read-all", None)
                .await;
            version.update(|v| *v += 1);
        });
    };
    view! {
        <h1>{move || i18n.r().notifications_title}</h1>
        <Show when=move || allowed.get() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            <p><button type="button" class="button small" on:click=mark_all>{move || i18n.r().mark_all_read}</button></p>
            {move || match list.get() {
                Some(Ok(items)) if !items.is_empty() => view! {
                    <ul class="reports">
                        {items.into_iter().map(|n| {
                            let lang = i18n.lang.get();
                            view! {
                                <li class="report" class:unread=!n.read>
                                    {n.report_id.map(|rid| view! { <A href=format!("/reports/{rid}")>{n.report_reference.clone().unwrap_or_default()}</A> })}
                                    " " {n.status.map(|s| status_name(lang, s))}
                                    {n.topic_id.map(|_| view! { <A href="/my-topics">{n.topic_title.clone().unwrap_or_default()}</A> })}
                                    " " {n.topic_status.map(|s| super::meetings::topic_status_name(lang, s))}
                                    {n.public_note.map(|p| view! { <p class="note">{p}</p> })}
                                    <span class="meta">{fmt_time(n.created_at)}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Some(Ok(_)) => view! { <p>{move || i18n.r().no_notifications}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e.message(i18n.t())}</p> }.into_any(),
                None => view! { <p>{move || i18n.t().loading}</p> }.into_any(),
            }}
        </Show>
    }
}

/// The report's photos, fetched with the access token (an `<img>` cannot send it).
#[component]
fn Photos(refs: Vec<shared::reports::PhotoRef>) -> impl IntoView {
    let session = use_session();
    let urls = fetch(move || {
        let refs = refs.clone();
        async move {
            let mut urls = Vec::new();
            for r in refs {
                if let Some(u) = session.image_url(&r.url).await {
                    urls.push(u);
                }
            }
            urls
        }
    });
    view! {
        <div class="photos">
            {move || urls.get().map(|list| list.into_iter().enumerate().map(|(i, u)| view! {
                <img src=u alt=format!("Foto / photo {}", i + 1) width="160"/>
            }).collect_view())}
        </div>
    }
}
