pub mod admin_categories;
pub mod admin_privacy;
pub mod admin_users;
pub mod campaigns;
pub mod dashboard;
pub mod home;
pub mod login;
pub mod meetings;
pub mod neighbourhoods;
pub mod not_found;
pub mod privacy;
pub mod profile;
pub mod reports;
pub mod reset;
pub mod signup;
pub mod surveys;
pub mod teams;
pub mod verify;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::api::use_session;

/// Sends visitors who are not logged in to the login page, once the session
/// restore has finished. Returns whether the page may render.
pub fn require_login() -> Signal<bool> {
    let session = use_session();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if session.ready.get() && session.user.with(Option::is_none) {
            navigate(
                "/login",
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    Signal::derive(move || session.ready.get() && session.user.with(Option::is_some))
}
