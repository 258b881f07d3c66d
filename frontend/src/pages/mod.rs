#[cfg(feature = "staff")]
pub mod admin_categories;
#[cfg(feature = "staff")]
pub mod admin_privacy;
#[cfg(feature = "staff")]
pub mod admin_users;
#[cfg(feature = "staff")]
pub mod campaigns;
#[cfg(feature = "staff")]
pub mod dashboard;
pub mod home;
pub mod login;
pub mod meetings;
#[cfg(feature = "staff")]
pub mod neighbourhood_list;
pub mod neighbourhoods;
pub mod not_found;
pub mod privacy;
pub mod profile;
pub mod reports;
pub mod reset;
pub mod signup;
#[cfg(feature = "staff")]
pub mod survey_editor;
#[cfg(feature = "staff")]
pub mod survey_results;
pub mod surveys;
pub mod teams;
pub mod verify;

/// The pages only staff use: the real ones in the staff client, a page load
/// of the staff client in the participant client.
pub mod staff {
    #[cfg(not(feature = "staff"))]
    pub use super::not_found::{
        StaffPage as AdminCategories, StaffPage as AdminPrivacy, StaffPage as AdminUsers,
        StaffPage as Campaigns, StaffPage as Poster, StaffPage as Dashboard,
        StaffPage as ActionTracker, StaffPage as NewMeeting, StaffPage as Neighbourhoods,
        StaffPage as Queue, StaffPage as SurveyEditor, StaffPage as SurveyResultsPage,
    };
    #[cfg(feature = "staff")]
    pub use super::{
        admin_categories::AdminCategories,
        admin_privacy::AdminPrivacy,
        admin_users::AdminUsers,
        campaigns::{Campaigns, Poster},
        dashboard::Dashboard,
        meetings::{ActionTracker, NewMeeting},
        neighbourhood_list::Neighbourhoods,
        reports::Queue,
        survey_editor::SurveyEditor,
        survey_results::SurveyResultsPage,
    };
}

/// The public data a page reads as it mounts, for [`crate::api::prefetch`].
pub fn public_reads(path: &str) -> &'static [&'static str] {
    use self::{neighbourhoods::NEIGHBOURHOODS, reports::CATEGORIES};
    match path {
        "/reports/new" => &[CATEGORIES, NEIGHBOURHOODS],
        "/signup" => &[NEIGHBOURHOODS],
        _ => &[],
    }
}

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
