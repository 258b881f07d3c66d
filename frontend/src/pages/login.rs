use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use shared::auth::{LoginRequest, SessionResponse};
use shared::validation::validate_email;

use crate::api::{self, use_session};
use crate::components::{
    code, field_error, page_title, submit_label, summary_items, ErrorSummary, Field, FormState,
};
use crate::i18n::use_i18n;

#[component]
pub fn Login() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    page_title(|t| t.login_title);
    let form = FormState::new();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let touched = [RwSignal::new(false), RwSignal::new(false)];
    // Emptied after a failed login: not the person's mistake, so no "fill in
    // this field" for it until they submit again.
    let cleared = RwSignal::new(false);
    let email_error = field_error(form, "email", touched[0], move || {
        code(validate_email("email", &email.get()))
    });
    let password_error = field_error(form, "password", touched[1], move || {
        (password.get().is_empty() && !cleared.get()).then(|| "required".to_owned())
    });
    let items = summary_items(vec![
        ("email", |t| t.email_label, email_error),
        ("password", |t| t.password_label, password_error),
    ]);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        cleared.set(false);
        if form.pending.get_untracked()
            || !form.begin(|| {
                email_error.get_untracked().is_some() || password_error.get_untracked().is_some()
            })
        {
            return;
        }
        let body = LoginRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::call_hashing::<_, SessionResponse>(
                Method::POST,
                "/api/auth/login",
                Some(&body),
            )
            .await
            {
                Ok(s) => {
                    form.done();
                    session.start(s);
                    navigate("/", NavigateOptions::default());
                }
                Err(e) => {
                    password.set(String::new());
                    cleared.set(true);
                    form.fail(e, i18n.t());
                }
            }
        });
    };

    view! {
        <h1>{move || i18n.t().login_title}</h1>
        <form novalidate on:submit=on_submit>
            <ErrorSummary form=form items=items/>
            <Field id="email" label=Signal::derive(move || i18n.t().email_label.to_owned())
                input_type="email" autocomplete="username" value=email error=email_error touched=touched[0] form=form/>
            <Field id="password" label=Signal::derive(move || i18n.t().password_label.to_owned())
                input_type="password" autocomplete="current-password" value=password error=password_error touched=touched[1] form=form/>
            <button type="submit" class="button primary" disabled=move || form.pending.get()>
                {submit_label(form, |t| t.login_submit)}
            </button>
        </form>
        <p><A href="/reset-password">{move || i18n.t().forgot_password}</A></p>
        <p><A href="/signup">{move || i18n.t().no_account}</A></p>
    }
}
