use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use shared::auth::{Accepted, PasswordResetConfirm, PasswordResetRequest};
use shared::validation::{validate_email, validate_password};

use crate::api;
use crate::components::{
    code, field_error, page_title, submit_label, summary_items, ErrorSummary, Field, FormState,
    Notice,
};
use crate::i18n::use_i18n;

/// Without a token: ask for a link. With `?token=`: choose the new password.
#[component]
pub fn ResetPassword() -> impl IntoView {
    let query = use_query_map();
    let token = query.get_untracked().get("token");
    match token {
        Some(token) => view! { <ChooseNew token=token/> }.into_any(),
        None => view! { <RequestLink/> }.into_any(),
    }
}

#[component]
fn RequestLink() -> impl IntoView {
    let i18n = use_i18n();
    page_title(|t| t.reset_title);
    let form = FormState::new();
    let email = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    let email_error = field_error(form, "email", touched, move || {
        code(validate_email("email", &email.get()))
    });
    let items = summary_items(vec![("email", |t| t.email_label, email_error)]);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() || !form.begin(|| email_error.get_untracked().is_some()) {
            return;
        }
        let body = PasswordResetRequest {
            email: email.get_untracked(),
        };
        spawn_local(async move {
            match api::call::<_, Accepted>(Method::POST, "/api/auth/password-reset", Some(&body))
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
        <h1>{move || i18n.t().reset_title}</h1>
        <p>{move || i18n.t().reset_lead}</p>
        <Notice message=notice/>
        <form novalidate on:submit=on_submit>
            <ErrorSummary form=form items=items/>
            <Field id="email" label=Signal::derive(move || i18n.t().email_label.to_owned())
                input_type="email" autocomplete="email" value=email error=email_error touched=touched form=form/>
            <button type="submit" class="button primary" disabled=move || form.pending.get()>
                {submit_label(form, |t| t.reset_submit)}
            </button>
        </form>
    }
}

#[component]
fn ChooseNew(token: String) -> impl IntoView {
    let i18n = use_i18n();
    page_title(|t| t.reset_new_title);
    let form = FormState::new();
    let password = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let done = RwSignal::new(false);
    let password_error = field_error(form, "new_password", touched, move || {
        code(validate_password("new_password", &password.get()))
    });
    let token_error = Signal::derive(move || form.server_error("token"));
    let items = summary_items(vec![
        ("new_password", |t| t.new_password_label, password_error),
        ("new_password", |t| t.new_password_label, token_error),
    ]);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.pending.get_untracked() || !form.begin(|| password_error.get_untracked().is_some())
        {
            return;
        }
        let body = PasswordResetConfirm {
            token: token.clone(),
            new_password: password.get_untracked(),
        };
        spawn_local(async move {
            match api::call_hashing::<_, Accepted>(
                Method::POST,
                "/api/auth/password-reset/confirm",
                Some(&body),
            )
            .await
            {
                Ok(_) => {
                    form.done();
                    done.set(true);
                }
                Err(e) => form.fail(e, i18n.t()),
            }
        });
    };
    view! {
        <h1>{move || i18n.t().reset_new_title}</h1>
        <Show
            when=move || done.get()
            fallback=move || {
                let on_submit = on_submit.clone();
                view! {
                    <form novalidate on:submit=on_submit>
                        <ErrorSummary form=form items=items/>
                        <Field id="new_password" label=Signal::derive(move || i18n.t().new_password_label.to_owned())
                            hint=Signal::derive(move || i18n.t().password_hint.to_owned())
                            input_type="password" autocomplete="new-password" value=password error=password_error touched=touched form=form/>
                        <button type="submit" class="button primary" disabled=move || form.pending.get()>
                            {submit_label(form, |t| t.reset_confirm_submit)}
                        </button>
                    </form>
                }
            }
        >
            <p role="status">{move || i18n.t().reset_done}</p>
            <p><A href="/login">{move || i18n.t().login_title}</A></p>
        </Show>
    }
}
