//! HTTP handlers, one module per resource. Handlers extract, call, answer.

pub mod admin_users;
pub mod auth;
pub mod health;
pub mod me;
pub mod neighbourhoods;

use actix_web::{error::JsonPayloadError, error::QueryPayloadError, web, HttpRequest};

use crate::config::Config;
use crate::error::ApiError;

/// Routes under `/api`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/auth")
            .route("/signup", web::post().to(auth::signup))
            .route("/login", web::post().to(auth::login))
            .route("/refresh", web::post().to(auth::refresh))
            .route("/logout", web::post().to(auth::logout))
            .route("/verify-email", web::post().to(auth::verify_email))
            .route(
                "/password-reset",
                web::post().to(auth::request_password_reset),
            )
            .route(
                "/password-reset/confirm",
                web::post().to(auth::confirm_password_reset),
            ),
    )
    .service(
        web::resource("/me")
            .route(web::get().to(me::get_me))
            .route(web::patch().to(me::update_me)),
    )
    .route("/me/password", web::post().to(me::change_password))
    .route(
        "/me/verification-email",
        web::post().to(me::resend_verification),
    )
    .route(
        "/me/student-verification",
        web::post().to(me::request_student_verification),
    )
    .route("/neighbourhoods", web::get().to(neighbourhoods::list))
    .route("/admin/users", web::get().to(admin_users::list))
    .route("/admin/users/{id}", web::patch().to(admin_users::update))
    .route("/openapi.json", web::get().to(crate::openapi::serve));
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
