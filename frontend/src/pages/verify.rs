use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use shared::auth::{Accepted, TokenRequest};

use crate::api::{self, use_session};
use crate::components::page_title;
use crate::i18n::use_i18n;

#[derive(Clone, Copy, PartialEq)]
enum State {
    Busy,
    Done,
    Failed,
}

#[component]
pub fn VerifyEmail() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|t| t.verify_title);
    let query = use_query_map();
    let state = RwSignal::new(State::Busy);
    let token = query.get_untracked().get("token").unwrap_or_default();
    spawn_local(async move {
        let body = TokenRequest { token };
        let result =
            api::call::<_, Accepted>(Method::POST, "/api/auth/verify-email", Some(&body)).await;
        state.set(if result.is_ok() {
            State::Done
        } else {
            State::Failed
        });
        if result.is_ok() && session.token.get_untracked().is_some() {
            if let Ok(user) = session
                .call::<(), shared::users::UserDto>(Method::GET, "/api/me", None)
                .await
            {
                session.user.set(Some(user));
            }
        }
    });
    view! {
        <h1>{move || i18n.t().verify_title}</h1>
        <p role="status">
            {move || match state.get() {
                State::Busy => i18n.t().loading,
                State::Done => i18n.t().verify_ok,
                State::Failed => i18n.t().verify_failed,
            }}
        </p>
        <p><A href="/">{move || i18n.t().back_home}</A></p>
    }
}
