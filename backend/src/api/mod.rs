//! HTTP handlers, one module per resource. Handlers extract, call, answer.

/// Declares routes once: the function registers them and the constant lists
/// them, so that tests (the authorization matrix, the OpenAPI coverage) see
/// every route and a new one cannot go untested. One resource per path, so
/// that a wrong method is 405 (with Allow), not 404.
macro_rules! route_table {
    (
        $(#[$list_doc:meta])* $list:ident,
        $(#[$fn_doc:meta])* $configure:ident;
        $( $path:literal $([$data:expr])? { $($method:ident => $handler:path),+ $(,)? } ),* $(,)?
    ) => {
        $(#[$list_doc])*
        pub const $list: &[(&str, &str)] = &[$($((stringify!($method), $path)),+),*];

        $(#[$fn_doc])*
        pub fn $configure(cfg: &mut actix_web::web::ServiceConfig) {
            $(
                cfg.service(
                    actix_web::web::resource($path)
                        $(.app_data($data))?
                        $(.route(actix_web::web::$method().to($handler)))+
                );
            )*
        }
    };
}

pub mod admin_api_keys;
pub mod admin_categories;
pub mod admin_users;
pub mod auth;
pub mod campaigns;
pub mod health;
pub mod me;
pub mod meetings;
pub mod metrics;
pub mod neighbourhoods;
pub mod notifications;
pub mod open311;
pub mod photos;
pub mod privacy;
pub mod reports;
pub mod surveys;
pub mod teams;

use actix_web::{error::JsonPayloadError, error::QueryPayloadError, web, HttpRequest};

use crate::config::Config;
use crate::error::ApiError;

route_table! {
    /// Every `(method, path)` under `/api`, in registration order.
    ROUTES,
    /// Routes under `/api`.
    configure;
    "/auth/signup" { post => auth::signup },
    "/auth/login" { post => auth::login },
    "/auth/refresh" { post => auth::refresh },
    "/auth/logout" { post => auth::logout },
    "/auth/verify-email" { post => auth::verify_email },
    "/auth/password-reset" { post => auth::request_password_reset },
    "/auth/password-reset/confirm" { post => auth::confirm_password_reset },
    "/me" { get => me::get_me, patch => me::update_me, delete => privacy::delete_me },
    "/me/export" { get => privacy::export_me },
    "/me/consent" { post => privacy::consent },
    "/admin/audit" { get => privacy::audit_log_list },
    "/admin/retention" { get => privacy::retention, put => privacy::set_retention },
    "/me/password" { post => me::change_password },
    "/me/verification-email" { post => me::resend_verification },
    "/me/student-verification" { post => me::request_student_verification },
    "/neighbourhoods" { get => neighbourhoods::list },
    "/admin/users" { get => admin_users::list },
    "/admin/users/{id}" { patch => admin_users::update },
    "/admin/api-keys" { get => admin_api_keys::list, post => admin_api_keys::create },
    "/admin/api-keys/{id}" { delete => admin_api_keys::revoke },
    "/admin/report-categories" { get => admin_categories::list, post => admin_categories::create },
    "/admin/report-categories/{id}" { patch => admin_categories::update },
    "/me/notifications" { get => notifications::list },
    "/me/notifications/read-all" { post => notifications::mark_all_read },
    "/me/notifications/{id}/read" { post => notifications::mark_read },
    "/report-categories" { get => reports::categories },
    "/reports" { get => reports::list, post => reports::create },
    "/reports/{id}" { get => reports::get },
    "/reports/{id}/transitions" { post => reports::transition },
    "/reports/{id}/feedback" { post => reports::feedback },
    "/reports/{id}/reopen" { post => reports::reopen },
    "/reports/{id}/photos" [web::PayloadConfig::new(shared::reports::MAX_PHOTO_BYTES)] { post => photos::upload },
    "/reports/{id}/photos/{photo_id}" { get => photos::download },
    "/reports/{id}/partner-notes" { post => reports::partner_note },
    "/surveys" { get => surveys::list, post => surveys::create },
    "/surveys/{id}" { get => surveys::get, put => surveys::update },
    "/surveys/{id}/publish" { post => surveys::publish },
    "/surveys/{id}/close" { post => surveys::close },
    "/surveys/{id}/copy" { post => surveys::copy },
    "/surveys/{id}/responses" { post => surveys::respond },
    "/surveys/{id}/results" { get => surveys::results },
    "/surveys/{id}/results.csv" { get => surveys::results_csv },
    "/meetings" { get => meetings::list, post => meetings::create },
    "/meetings/{id}" { get => meetings::get, patch => meetings::update },
    "/meetings/{id}/transitions" { post => meetings::transition },
    "/meetings/{id}/copy" { post => meetings::copy },
    "/meetings/{id}/rsvp" { put => meetings::rsvp },
    "/meetings/{id}/ics" { get => meetings::ics },
    "/meetings/{id}/topics" { get => meetings::topics, post => meetings::propose },
    "/meetings/{id}/suggestions" { get => meetings::suggestions },
    "/meetings/{id}/topics/from-reports" { post => meetings::from_reports },
    "/topics/{id}" { get => meetings::get_topic, patch => meetings::edit_topic },
    "/topics/{id}/support" { post => meetings::support, delete => meetings::withdraw_support },
    "/topics/{id}/transitions" { post => meetings::transition_topic },
    "/topics/{id}/actions" { post => meetings::add_action },
    "/actions" { get => meetings::tracker },
    "/actions/{id}/updates" { post => meetings::update_action },
    "/me/topics" { get => meetings::my_topics },
    "/metrics/participation" { get => metrics::participation },
    "/metrics/reports" { get => metrics::reports },
    "/metrics/surveys" { get => metrics::surveys },
    "/metrics/meetings" { get => metrics::meetings },
    "/metrics/targets" { get => metrics::list_targets, post => metrics::create_target },
    "/metrics/targets/{id}" { delete => metrics::delete_target },
    "/monitor" { get => metrics::monitor },
    "/monitor/links" { post => metrics::monitor_link },
    "/teams" { get => teams::list, post => teams::propose },
    // Before /teams/{id}, which would take "overview" for an id.
    "/teams/overview" { get => teams::overview },
    "/teams/{id}" { get => teams::get },
    "/teams/{id}/decision" { post => teams::decide },
    "/teams/{id}/members" { post => teams::join },
    "/teams/{id}/members/{user_id}" { patch => teams::update_member, delete => teams::remove_member },
    "/teams/{id}/patrols" { get => teams::patrols, post => teams::plan_patrol },
    "/patrols/{id}/signup" { put => teams::sign_up, delete => teams::withdraw },
    "/patrols/{id}/observations" { get => teams::observations, post => teams::observe },
    "/observations/{id}/report" { post => teams::to_report },
    "/campaigns" { get => campaigns::list, post => campaigns::create },
    "/campaigns/results" { get => campaigns::results },
    "/campaigns/{id}" { get => campaigns::get },
    "/campaigns/{id}/qr.svg" { get => campaigns::qr_svg_file },
    "/campaigns/{id}/qr.png" { get => campaigns::qr_png_file },
    "/openapi.json" { get => crate::openapi::serve },
}

route_table! {
    /// The routes outside `/api` and `/open311`: health and campaign links.
    SITE_ROUTES,
    /// Registers [`SITE_ROUTES`] on the application.
    site;
    "/healthz" { get => health::healthz },
    "/readyz" { get => health::readyz },
    "/c/{code}" { get => campaigns::short_link },
}

/// JSON bodies: 64 KiB at most, `application/json` only, and every parse
/// failure answered as a problem that says what was wrong.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(shared::MAX_JSON_BODY)
        .error_handler(|err, _req| {
            match err {
                JsonPayloadError::Overflow { .. }
                | JsonPayloadError::OverflowKnownLength { .. } => ApiError::PayloadTooLarge,
                JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
                JsonPayloadError::Deserialize(e) => {
                    ApiError::BadRequest(format!("The JSON body is not valid: {e}"))
                }
                _ => ApiError::BadRequest("The request body could not be read as JSON.".into()),
            }
            .into()
        })
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        let detail = match err {
            QueryPayloadError::Deserialize(e) => format!("The query string is not valid: {e}"),
            _ => "The query string is not valid.".into(),
        };
        ApiError::BadRequest(detail).into()
    })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err, _req| ApiError::NotFound.into())
}

/// The caller's address: the socket peer, or the proxy's `X-Forwarded-For`
/// when the operator said a trusted proxy sits in front.
pub fn client_ip(req: &HttpRequest, config: &Config) -> String {
    if config.trust_proxy {
        if let Some(ip) = req.connection_info().realip_remote_addr() {
            return ip.to_owned();
        }
    }
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// The page and page size of a list query (defaults 1 and 20), with a field
/// error for each that is out of range. Callers add their own errors and
/// answer them all at once.
pub fn paging(page: Option<u32>, per_page: Option<u32>) -> (u32, u32, Vec<shared::FieldError>) {
    use shared::users::{DEFAULT_PER_PAGE, MAX_PER_PAGE};
    let page = page.unwrap_or(1);
    let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE);
    let mut errors = Vec::new();
    if page == 0 || page > 100_000 {
        errors.push(shared::FieldError::new(
            "page",
            "out_of_range",
            "Pages count from 1.",
        ));
    }
    if per_page == 0 || per_page > MAX_PER_PAGE {
        errors.push(shared::FieldError::new(
            "per_page",
            "out_of_range",
            format!("Choose from 1 to {MAX_PER_PAGE} per page."),
        ));
    }
    (page, per_page, errors)
}
