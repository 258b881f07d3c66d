//! HTTP handlers, one module per resource. Handlers extract, call, answer.

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

/// Routes under `/api`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    use web::{get, patch, post, resource};
    // Explicit resources, so that a wrong method is 405 (with Allow), not 404.
    cfg.service(resource("/auth/signup").route(post().to(auth::signup)))
        .service(resource("/auth/login").route(post().to(auth::login)))
        .service(resource("/auth/refresh").route(post().to(auth::refresh)))
        .service(resource("/auth/logout").route(post().to(auth::logout)))
        .service(resource("/auth/verify-email").route(post().to(auth::verify_email)))
        .service(resource("/auth/password-reset").route(post().to(auth::request_password_reset)))
        .service(
            resource("/auth/password-reset/confirm").route(post().to(auth::confirm_password_reset)),
        )
        .service(
            resource("/me")
                .route(get().to(me::get_me))
                .route(patch().to(me::update_me))
                .route(web::delete().to(privacy::delete_me)),
        )
        .service(resource("/me/export").route(get().to(privacy::export_me)))
        .service(resource("/me/consent").route(post().to(privacy::consent)))
        .service(resource("/admin/audit").route(get().to(privacy::audit_log_list)))
        .service(
            resource("/admin/retention")
                .route(get().to(privacy::retention))
                .route(web::put().to(privacy::set_retention)),
        )
        .service(resource("/me/password").route(post().to(me::change_password)))
        .service(resource("/me/verification-email").route(post().to(me::resend_verification)))
        .service(
            resource("/me/student-verification").route(post().to(me::request_student_verification)),
        )
        .service(resource("/neighbourhoods").route(get().to(neighbourhoods::list)))
        .service(resource("/admin/users").route(get().to(admin_users::list)))
        .service(resource("/admin/users/{id}").route(patch().to(admin_users::update)))
        .service(
            resource("/admin/api-keys")
                .route(get().to(admin_api_keys::list))
                .route(post().to(admin_api_keys::create)),
        )
        .service(resource("/admin/api-keys/{id}").route(web::delete().to(admin_api_keys::revoke)))
        .service(
            resource("/admin/report-categories")
                .route(get().to(admin_categories::list))
                .route(post().to(admin_categories::create)),
        )
        .service(
            resource("/admin/report-categories/{id}").route(patch().to(admin_categories::update)),
        )
        .service(resource("/me/notifications").route(get().to(notifications::list)))
        .service(
            resource("/me/notifications/read-all").route(post().to(notifications::mark_all_read)),
        )
        .service(resource("/me/notifications/{id}/read").route(post().to(notifications::mark_read)))
        .service(resource("/report-categories").route(get().to(reports::categories)))
        .service(
            resource("/reports")
                .route(get().to(reports::list))
                .route(post().to(reports::create)),
        )
        .service(resource("/reports/{id}").route(get().to(reports::get)))
        .service(resource("/reports/{id}/transitions").route(post().to(reports::transition)))
        .service(resource("/reports/{id}/feedback").route(post().to(reports::feedback)))
        .service(resource("/reports/{id}/reopen").route(post().to(reports::reopen)))
        .service(
            resource("/reports/{id}/photos")
                .app_data(web::PayloadConfig::new(shared::reports::MAX_PHOTO_BYTES))
                .route(post().to(photos::upload)),
        )
        .service(resource("/reports/{id}/photos/{photo_id}").route(get().to(photos::download)))
        .service(resource("/reports/{id}/partner-notes").route(post().to(reports::partner_note)))
        .service(
            resource("/surveys")
                .route(get().to(surveys::list))
                .route(post().to(surveys::create)),
        )
        .service(
            resource("/surveys/{id}")
                .route(get().to(surveys::get))
                .route(web::put().to(surveys::update)),
        )
        .service(resource("/surveys/{id}/publish").route(post().to(surveys::publish)))
        .service(resource("/surveys/{id}/close").route(post().to(surveys::close)))
        .service(resource("/surveys/{id}/copy").route(post().to(surveys::copy)))
        .service(resource("/surveys/{id}/responses").route(post().to(surveys::respond)))
        .service(resource("/surveys/{id}/results").route(get().to(surveys::results)))
        .service(resource("/surveys/{id}/results.csv").route(get().to(surveys::results_csv)))
        .service(
            resource("/meetings")
                .route(get().to(meetings::list))
                .route(post().to(meetings::create)),
        )
        .service(
            resource("/meetings/{id}")
                .route(get().to(meetings::get))
                .route(patch().to(meetings::update)),
        )
        .service(resource("/meetings/{id}/transitions").route(post().to(meetings::transition)))
        .service(resource("/meetings/{id}/copy").route(post().to(meetings::copy)))
        .service(resource("/meetings/{id}/rsvp").route(web::put().to(meetings::rsvp)))
        .service(resource("/meetings/{id}/ics").route(get().to(meetings::ics)))
        .service(
            resource("/meetings/{id}/topics")
                .route(get().to(meetings::topics))
                .route(post().to(meetings::propose)),
        )
        .service(resource("/meetings/{id}/suggestions").route(get().to(meetings::suggestions)))
        .service(
            resource("/meetings/{id}/topics/from-reports").route(post().to(meetings::from_reports)),
        )
        .service(
            resource("/topics/{id}")
                .route(get().to(meetings::get_topic))
                .route(patch().to(meetings::edit_topic)),
        )
        .service(
            resource("/topics/{id}/support")
                .route(post().to(meetings::support))
                .route(web::delete().to(meetings::withdraw_support)),
        )
        .service(resource("/topics/{id}/transitions").route(post().to(meetings::transition_topic)))
        .service(resource("/topics/{id}/actions").route(post().to(meetings::add_action)))
        .service(resource("/actions").route(get().to(meetings::tracker)))
        .service(resource("/actions/{id}/updates").route(post().to(meetings::update_action)))
        .service(resource("/me/topics").route(get().to(meetings::my_topics)))
        .service(resource("/metrics/participation").route(get().to(metrics::participation)))
        .service(resource("/metrics/reports").route(get().to(metrics::reports)))
        .service(resource("/metrics/surveys").route(get().to(metrics::surveys)))
        .service(resource("/metrics/meetings").route(get().to(metrics::meetings)))
        .service(
            resource("/metrics/targets")
                .route(get().to(metrics::list_targets))
                .route(post().to(metrics::create_target)),
        )
        .service(resource("/metrics/targets/{id}").route(web::delete().to(metrics::delete_target)))
        .service(resource("/monitor").route(get().to(metrics::monitor)))
        .service(resource("/monitor/links").route(post().to(metrics::monitor_link)))
        .service(
            resource("/teams")
                .route(get().to(teams::list))
                .route(post().to(teams::propose)),
        )
        // Before /teams/{id}, which would take "overview" for an id.
        .service(resource("/teams/overview").route(get().to(teams::overview)))
        .service(resource("/teams/{id}").route(get().to(teams::get)))
        .service(resource("/teams/{id}/decision").route(post().to(teams::decide)))
        .service(resource("/teams/{id}/members").route(post().to(teams::join)))
        .service(
            resource("/teams/{id}/members/{user_id}")
                .route(patch().to(teams::update_member))
                .route(web::delete().to(teams::remove_member)),
        )
        .service(
            resource("/teams/{id}/patrols")
                .route(get().to(teams::patrols))
                .route(post().to(teams::plan_patrol)),
        )
        .service(
            resource("/patrols/{id}/signup")
                .route(web::put().to(teams::sign_up))
                .route(web::delete().to(teams::withdraw)),
        )
        .service(
            resource("/patrols/{id}/observations")
                .route(get().to(teams::observations))
                .route(post().to(teams::observe)),
        )
        .service(resource("/observations/{id}/report").route(post().to(teams::to_report)))
        .service(
            resource("/campaigns")
                .route(get().to(campaigns::list))
                .route(post().to(campaigns::create)),
        )
        .service(resource("/campaigns/results").route(get().to(campaigns::results)))
        .service(resource("/campaigns/{id}").route(get().to(campaigns::get)))
        .service(resource("/campaigns/{id}/qr.svg").route(get().to(campaigns::qr_svg_file)))
        .service(resource("/campaigns/{id}/qr.png").route(get().to(campaigns::qr_png_file)))
        .service(resource("/openapi.json").route(get().to(crate::openapi::serve)));
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
