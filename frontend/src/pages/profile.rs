use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use shared::auth::Accepted;
use shared::users::{
    ChangePasswordRequest, Group, Language, StudentVerificationRequest, UpdateMeRequest, UserDto,
};
use shared::validation::{validate_display_name, validate_email, validate_password};

use super::neighbourhoods::load_neighbourhoods;
use crate::api::use_session;
use crate::components::{
    code, field_error, page_title, submit_label, summary_items, ErrorSummary, Field, FormState,
    Notice,
};
use crate::i18n::{group_name, role_name, use_i18n};

#[component]
pub fn Profile() -> impl IntoView {
    let i18n = use_i18n();
    page_title(|t| t.profile_title);
    let allowed = super::require_login();
    view! {
        <h1>{move || i18n.t().profile_title}</h1>
        <Show when=move || allowed.get() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            <Account/>
            <StudentVerification/>
            <Details/>
            <ChangePassword/>
            <MyData/>
            <Logout/>
        </Show>
    }
}

fn current_user() -> UserDto {
    use_session()
        .user
        .get_untracked()
        .expect("profile sections render only when logged in")
}

#[component]
fn Account() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let notice = RwSignal::new(None::<String>);
    let user = move || session.user.get();
    let resend = move |_| {
        spawn_local(async move {
            let result = session
                .call::<(), Accepted>(Method::POST, "/api/me/verification-email", None)
                .await;
            notice.set(Some(match result {
                Ok(a) => a.detail,
                Err(e) => e.message(i18n.t()),
            }));
        });
    };
    view! {
        <section class="card" aria-labelledby="account-heading">
            <h2 id="account-heading">{move || i18n.t().account_heading}</h2>
            {move || user().map(|u| {
                let verified = u.email_verified;
                let group = u.group;
                view! {
                    <dl class="facts">
                        <dt>{move || i18n.t().email_label}</dt>
                        <dd>{u.email.clone()} " — "
                            <span class=if verified { "ok" } else { "warn" }>
                                {move || if verified { i18n.t().email_verified } else { i18n.t().email_not_verified }}
                            </span>
                        </dd>
                        <dt>{move || i18n.t().role_filter_label}</dt>
                        <dd>{move || role_name(i18n.lang.get(), u.role)}
                            {move || group.map(|g| format!(" · {}", group_name(i18n.lang.get(), g)))}
                        </dd>
                    </dl>
                    <Show when=move || !verified>
                        <button type="button" class="button" on:click=resend>{move || i18n.t().resend_verification}</button>
                    </Show>
                }
            })}
            <Notice message=notice/>
        </section>
    }
}

#[component]
fn StudentVerification() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let is_student = move || {
        session
            .user
            .with(|u| u.as_ref().is_some_and(|u| u.group == Some(Group::Student)))
    };
    let verified = move || {
        session
            .user
            .with(|u| u.as_ref().is_some_and(|u| u.verified_student))
    };
    let form = FormState::new();
    let email = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    let email_error = field_error(form, "email", touched, move || {
        code(validate_email("email", &email.get()))
    });
    let email_error_field = Signal::derive(move || email_error.get());
    let items = summary_items(vec![(
        "student-email",
        |t| t.student_email_label,
        email_error_field,
    )]);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() || !form.begin(|| email_error.get_untracked().is_some()) {
            return;
        }
        let body = StudentVerificationRequest {
            email: email.get_untracked(),
        };
        spawn_local(async move {
            match session
                .call::<_, Accepted>(Method::POST, "/api/me/student-verification", Some(&body))
                .await
            {
                Ok(a) => {
                    form.done();
                    notice.set(Some(a.detail));
                }
                Err(e) => form.fail(e, i18n.t()),
            }
        });
    };
    view! {
        <Show when=is_student>
            <section class="card" aria-labelledby="student-heading">
                <h2 id="student-heading">{move || i18n.t().student_heading}</h2>
                <Show
                    when=verified
                    fallback=move || view! {
                        <p>{move || i18n.t().student_lead}</p>
                        <Notice message=notice/>
                        <form novalidate on:submit=on_submit>
                            <ErrorSummary form=form items=items/>
                            <Field id="student-email" label=Signal::derive(move || i18n.t().student_email_label.to_owned())
                                input_type="email" autocomplete="email" value=email error=email_error touched=touched form=form/>
                            <button type="submit" class="button" disabled=move || form.pending.get()>
                                {submit_label(form, |t| t.student_submit)}
                            </button>
                        </form>
                    }
                >
                    <p class="ok">{move || i18n.t().student_verified}</p>
                </Show>
            </section>
        </Show>
    }
}

#[component]
fn Details() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let user = current_user();
    let form = FormState::new();
    let neighbourhoods = load_neighbourhoods();
    let name = RwSignal::new(user.display_name.clone());
    let neighbourhood = RwSignal::new(
        user.neighbourhood_id
            .map(|n| n.to_string())
            .unwrap_or_default(),
    );
    let language = RwSignal::new(user.language);
    let touched = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    let name_error = field_error(form, "display_name", touched, move || {
        code(validate_display_name("display_name", &name.get()))
    });
    let neighbourhood_error = Signal::derive(move || form.server_error("neighbourhood_id"));
    let items = summary_items(vec![
        ("display_name", |t| t.display_name_label, name_error),
        (
            "profile-neighbourhood",
            |t| t.neighbourhood_label,
            neighbourhood_error,
        ),
    ]);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        notice.set(None);
        if form.pending.get_untracked() || !form.begin(|| name_error.get_untracked().is_some()) {
            return;
        }
        let body = UpdateMeRequest {
            display_name: Some(name.get_untracked()),
            neighbourhood_id: neighbourhood.get_untracked().parse().ok(),
            language: Some(language.get_untracked()),
        };
        spawn_local(async move {
            match session
                .call::<_, UserDto>(Method::PATCH, "/api/me", Some(&body))
                .await
            {
                Ok(u) => {
                    form.done();
                    i18n.set(u.language);
                    session.user.set(Some(u));
                    notice.set(Some(i18n.t().saved.to_owned()));
                }
                Err(e) => form.fail(e, i18n.t()),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="details-heading">
            <h2 id="details-heading">{move || i18n.t().details_heading}</h2>
            <form novalidate on:submit=on_submit>
                <ErrorSummary form=form items=items/>
                <Field id="display_name" label=Signal::derive(move || i18n.t().display_name_label.to_owned())
                    autocomplete="given-name" value=name error=name_error touched=touched form=form/>
                <Show when=move || session.user.with(|u| u.as_ref().is_some_and(|u| u.group.is_some()))>
                    <div class="field">
                        <label for="profile-neighbourhood">{move || i18n.t().neighbourhood_label}</label>
                        {move || neighbourhood_error.get().map(|e| view! { <p class="error">{e}</p> })}
                        <select id="profile-neighbourhood" on:change=move |ev| neighbourhood.set(event_target_value(&ev))>
                            {move || neighbourhoods.get().map(|list| list.into_iter().map(|n| {
                                let value = n.id.to_string();
                                let selected = value.clone();
                                view! { <option value=value selected=move || neighbourhood.get() == selected>{n.name}</option> }
                            }).collect_view())}
                        </select>
                    </div>
                </Show>
                <div class="field">
                    <label for="profile-language">{move || i18n.t().language_label}</label>
                    <select id="profile-language" on:change=move |ev| {
                        if let Some(l) = Language::parse(&event_target_value(&ev)) { language.set(l) }
                    }>
                        <option value="nl" selected=move || language.get() == Language::Nl>"Nederlands"</option>
                        <option value="en" selected=move || language.get() == Language::En>"English"</option>
                    </select>
                </div>
                <button type="submit" class="button primary" disabled=move || form.pending.get()>
                    {submit_label(form, |t| t.save)}
                </button>
                <Notice message=notice/>
            </form>
        </section>
    }
}

#[component]
fn ChangePassword() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let form = FormState::new();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let touched = [RwSignal::new(false), RwSignal::new(false)];
    let notice = RwSignal::new(None::<String>);
    let current_error = field_error(form, "current_password", touched[0], move || {
        current.get().is_empty().then(|| "required".to_owned())
    });
    let new_error = field_error(form, "new_password", touched[1], move || {
        code(validate_password("new_password", &new.get()))
    });
    let items = summary_items(vec![
        (
            "current_password",
            |t| t.current_password_label,
            current_error,
        ),
        ("new_password", |t| t.new_password_label, new_error),
    ]);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        notice.set(None);
        if form.pending.get_untracked()
            || !form.begin(|| {
                current_error.get_untracked().is_some() || new_error.get_untracked().is_some()
            })
        {
            return;
        }
        let body = ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        spawn_local(async move {
            match session
                .call_hashing::<_, ()>(Method::POST, "/api/me/password", Some(&body))
                .await
            {
                Ok(()) => {
                    form.done();
                    touched.iter().for_each(|t| t.set(false));
                    current.set(String::new());
                    new.set(String::new());
                    notice.set(Some(i18n.t().password_changed.to_owned()));
                }
                Err(e) => form.fail(e, i18n.t()),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="password-heading">
            <h2 id="password-heading">{move || i18n.t().password_heading}</h2>
            <form novalidate on:submit=on_submit>
                <ErrorSummary form=form items=items/>
                <Field id="current_password" label=Signal::derive(move || i18n.t().current_password_label.to_owned())
                    input_type="password" autocomplete="current-password" value=current error=current_error touched=touched[0] form=form/>
                <Field id="new_password" label=Signal::derive(move || i18n.t().new_password_label.to_owned())
                    hint=Signal::derive(move || i18n.t().password_hint.to_owned())
                    input_type="password" autocomplete="new-password" value=new error=new_error touched=touched[1] form=form/>
                <button type="submit" class="button" disabled=move || form.pending.get()>
                    {submit_label(form, |t| t.change_password_submit)}
                </button>
                <Notice message=notice/>
            </form>
        </section>
    }
}

#[component]
fn Logout() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let on_click = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            session.logout().await;
            navigate("/", NavigateOptions::default());
        });
    };
    view! {
        <p><button type="button" class="button danger" on:click=on_click>{move || i18n.t().logout}</button></p>
    }
}

/// Download everything the platform holds about me, or erase my account.
#[component]
fn MyData() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let download = move |_| {
        spawn_local(async move {
            session
                .download(
                    "/api/me/export",
                    "application/json",
                    "wijkveilig-export.json",
                )
                .await;
        });
    };
    let erase = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !confirming.get_untracked() {
            confirming.set(true);
            return;
        }
        let body = shared::privacy::DeleteAccountRequest {
            password: password.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match session
                .call::<_, ()>(Method::DELETE, "/api/me", Some(&body))
                .await
            {
                Ok(()) => {
                    // Leave the profile first: it sends logged-out visitors to the login page.
                    navigate("/?erased=1", NavigateOptions::default());
                    session.logout().await;
                }
                Err(e) => {
                    let lang = i18n.lang.get_untracked();
                    error.set(Some(
                        e.field_errors()
                            .first()
                            .and_then(|f| crate::i18n::field_message(lang, &f.code))
                            .map(str::to_owned)
                            .unwrap_or_else(|| e.message(i18n.t())),
                    ));
                }
            }
        });
    };
    view! {
        <section class="card">
            <h2>{move || i18n.pick("Mijn gegevens", "My data")}</h2>
            <p>{move || i18n.pick(
                "Download alles wat Wijkveilig over je bewaart, als JSON-bestand.",
                "Download everything Wijkveilig holds about you, as a JSON file.")}</p>
            <p><button type="button" class="button" on:click=download>{move || i18n.pick("Mijn gegevens downloaden", "Download my data")}</button></p>
            <form on:submit=erase novalidate>
                <h3>{move || i18n.pick("Account verwijderen", "Delete account")}</h3>
                <p>{move || i18n.pick(
                    "Je account en je sessies verdwijnen. Je meldingen blijven zonder je naam bewaard voor de statistiek; dit kan niet ongedaan worden.",
                    "Your account and sessions are deleted. Your reports stay without your name for statistics; this cannot be undone.")}</p>
                <div class="field" class:has-error=move || error.get().is_some()>
                    <label for="erase-password">{move || i18n.pick("Je wachtwoord", "Your password")}</label>
                    {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <input type="password" id="erase-password" autocomplete="current-password"
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                </div>
                {move || confirming.get().then(|| view! {
                    <p class="warn" role="alert">{i18n.pick("Weet je het zeker? Klik nogmaals om je account definitief te verwijderen.", "Are you sure? Click again to delete your account for good.")}</p>
                })}
                <button type="submit" class="button danger">{move || if confirming.get() {
                    i18n.pick("Ja, verwijder mijn account", "Yes, delete my account")
                } else {
                    i18n.pick("Account verwijderen", "Delete account")
                }}</button>
            </form>
        </section>
    }
}
