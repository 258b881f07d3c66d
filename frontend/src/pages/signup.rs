use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use shared::auth::{SessionResponse, SignupRequest};
use shared::users::Group;
use shared::validation::{validate_display_name, validate_email, validate_password};

use super::neighbourhoods::load_neighbourhoods;
use crate::api::{self, use_session};
use crate::components::{
    code, field_error, page_title, submit_label, summary_items, ErrorSummary, Field, FormState,
};
use crate::i18n::{group_name, use_i18n};

#[component]
pub fn Signup() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    page_title(|t| t.signup_title);
    let form = FormState::new();
    let neighbourhoods = load_neighbourhoods();
    // The code of the campaign link the visitor came through (`/c/{code}`);
    // it goes with the sign-up and nowhere else.
    let campaign = use_query_map().with_untracked(|q| q.get("campaign"));

    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let group = RwSignal::new(None::<Group>);
    let neighbourhood = RwSignal::new(String::new());
    let privacy = RwSignal::new(false);
    let touched: [RwSignal<bool>; 6] = std::array::from_fn(|_| RwSignal::new(false));

    let email_error = field_error(form, "email", touched[0], move || {
        code(validate_email("email", &email.get()))
    });
    let password_error = field_error(form, "password", touched[1], move || {
        code(validate_password("password", &password.get()))
    });
    let name_error = field_error(form, "display_name", touched[2], move || {
        code(validate_display_name("display_name", &name.get()))
    });
    let group_error = field_error(form, "group", touched[3], move || {
        group.get().is_none().then(|| "required".to_owned())
    });
    let neighbourhood_error = field_error(form, "neighbourhood_id", touched[4], move || {
        neighbourhood
            .get()
            .parse::<i32>()
            .is_err()
            .then(|| "unknown_neighbourhood".to_owned())
    });
    let privacy_error = field_error(form, "accepted_privacy_version", touched[5], move || {
        (!privacy.get()).then(|| "privacy_not_accepted".to_owned())
    });
    let items = summary_items(vec![
        ("email", |t| t.email_label, email_error),
        ("password", |t| t.password_label, password_error),
        ("display_name", |t| t.display_name_label, name_error),
        ("group-student", |t| t.group_legend, group_error),
        (
            "neighbourhood_id",
            |t| t.neighbourhood_label,
            neighbourhood_error,
        ),
        (
            "accepted_privacy_version",
            |t| t.privacy_link,
            privacy_error,
        ),
    ]);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked()
            || !form.begin(|| {
                [
                    email_error,
                    password_error,
                    name_error,
                    group_error,
                    neighbourhood_error,
                    privacy_error,
                ]
                .iter()
                .any(|e| e.get_untracked().is_some())
            })
        {
            return;
        }
        let body = SignupRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
            display_name: name.get_untracked(),
            group: group.get_untracked().unwrap_or(Group::Resident),
            neighbourhood_id: neighbourhood.get_untracked().parse().unwrap_or_default(),
            accepted_privacy_version: shared::PRIVACY_VERSION.to_owned(),
            language: Some(i18n.lang.get_untracked()),
            campaign: campaign.clone(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::call_hashing::<_, SessionResponse>(
                Method::POST,
                "/api/auth/signup",
                Some(&body),
            )
            .await
            {
                Ok(s) => {
                    form.done();
                    session.start(s);
                    navigate("/", NavigateOptions::default());
                }
                Err(e) => form.fail(e, i18n.t()),
            }
        });
    };

    let radio = move |g: Group, id: &'static str| {
        view! {
            <div class="choice">
                <input
                    type="radio"
                    id=id
                    name="group"
                    value=g.as_str()
                    prop:checked=move || group.get() == Some(g)
                    aria-describedby=move || group_error.get().map(|_| "group-error")
                    on:change=move |_| {
                        group.set(Some(g));
                        touched[3].set(true);
                        form.clear_field("group");
                    }
                />
                <label for=id>{move || group_name(i18n.lang.get(), g)}</label>
            </div>
        }
    };

    view! {
        <h1>{move || i18n.t().signup_title}</h1>
        <p class="lead">{move || i18n.t().signup_lead}</p>
        <form novalidate on:submit=on_submit>
            <ErrorSummary form=form items=items/>
            <Field id="email" label=Signal::derive(move || i18n.t().email_label.to_owned())
                hint=Signal::derive(move || i18n.t().email_hint.to_owned())
                input_type="email" autocomplete="email" value=email error=email_error touched=touched[0] form=form/>
            <Field id="password" label=Signal::derive(move || i18n.t().password_label.to_owned())
                hint=Signal::derive(move || i18n.t().password_hint.to_owned())
                input_type="password" autocomplete="new-password" value=password error=password_error touched=touched[1] form=form/>
            <Field id="display_name" label=Signal::derive(move || i18n.t().display_name_label.to_owned())
                hint=Signal::derive(move || i18n.t().display_name_hint.to_owned())
                autocomplete="given-name" value=name error=name_error touched=touched[2] form=form/>
            <fieldset class="field" class:has-error=move || group_error.get().is_some()>
                <legend>{move || i18n.t().group_legend}</legend>
                {move || group_error.get().map(|e| view! { <p class="error" id="group-error">{e}</p> })}
                <div class="choices">
                    {radio(Group::Student, "group-student")}
                    {radio(Group::Resident, "group-resident")}
                </div>
            </fieldset>
            <div class="field" class:has-error=move || neighbourhood_error.get().is_some()>
                <label for="neighbourhood_id">{move || i18n.t().neighbourhood_label}</label>
                {move || neighbourhood_error.get().map(|e| view! { <p class="error" id="neighbourhood_id-error">{e}</p> })}
                <select
                    id="neighbourhood_id"
                    name="neighbourhood_id"
                    aria-invalid=move || if neighbourhood_error.get().is_some() { "true" } else { "false" }
                    aria-describedby=move || neighbourhood_error.get().map(|_| "neighbourhood_id-error")
                    on:change=move |ev| {
                        neighbourhood.set(event_target_value(&ev));
                        touched[4].set(true);
                        form.clear_field("neighbourhood_id");
                    }
                >
                    <option value="" selected=move || neighbourhood.get().is_empty()>{move || i18n.t().neighbourhood_choose}</option>
                    {move || neighbourhoods.get().map(|list| list.into_iter().map(|n| {
                        let value = n.id.to_string();
                        let selected = value.clone();
                        view! { <option value=value selected=move || neighbourhood.get() == selected>{n.name}</option> }
                    }).collect_view())}
                </select>
            </div>
            <div class="field check" class:has-error=move || privacy_error.get().is_some()>
                {move || privacy_error.get().map(|e| view! { <p class="error" id="accepted_privacy_version-error">{e}</p> })}
                <div class="choice">
                    <input
                        type="checkbox"
                        id="accepted_privacy_version"
                        prop:checked=move || privacy.get()
                        aria-describedby=move || privacy_error.get().map(|_| "accepted_privacy_version-error")
                        on:change=move |ev| {
                            privacy.set(event_target_checked(&ev));
                            touched[5].set(true);
                            form.clear_field("accepted_privacy_version");
                        }
                    />
                    <label for="accepted_privacy_version">
                        {move || i18n.t().privacy_before}
                        <A href="/privacy" attr:target="_blank">{move || i18n.t().privacy_link}</A>
                        {move || i18n.t().privacy_after}
                    </label>
                </div>
            </div>
            <button type="submit" class="button primary" disabled=move || form.pending.get()>
                {submit_label(form, |t| t.signup_submit)}
            </button>
        </form>
        <p><A href="/login">{move || i18n.t().have_account}</A></p>
    }
}
