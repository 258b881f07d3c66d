//! The OpenAPI 3 description, generated from the handlers and DTOs. A test
//! checks that `backend/openapi.json` matches; refresh it with
//! `cargo run -p backend -- openapi > backend/openapi.json`.

use std::sync::OnceLock;

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Wijkveilig API",
        description = "Community safety participation platform: accounts, reports, surveys, meetings. \
            Errors are application/problem+json (RFC 9457).",
        license(name = "EUPL-1.2")
    ),
    paths(
        api::health::healthz,
        api::health::readyz,
        api::auth::signup,
        api::auth::login,
        api::auth::refresh,
        api::auth::logout,
        api::auth::verify_email,
        api::auth::request_password_reset,
        api::auth::confirm_password_reset,
        api::me::get_me,
        api::me::update_me,
        api::me::change_password,
        api::me::resend_verification,
        api::me::request_student_verification,
        api::neighbourhoods::list,
        api::admin_users::list,
        api::admin_users::update,
        api::admin_categories::list,
        api::admin_categories::create,
        api::admin_categories::update,
        api::admin_api_keys::create,
        api::admin_api_keys::list,
        api::admin_api_keys::revoke,
        api::reports::categories,
        api::reports::create,
        api::reports::list,
        api::reports::get,
        api::reports::transition,
        api::reports::feedback,
        api::reports::reopen,
        api::reports::partner_note,
        api::photos::upload,
        api::photos::download,
        api::notifications::list,
        api::notifications::mark_read,
        api::notifications::mark_all_read,
        api::surveys::list,
        api::surveys::get,
        api::surveys::create,
        api::surveys::update,
        api::surveys::publish,
        api::surveys::close,
        api::surveys::copy,
        api::surveys::respond,
        api::surveys::results,
        api::surveys::results_csv,
        api::meetings::list,
        api::meetings::create,
        api::meetings::get,
        api::meetings::update,
        api::meetings::transition,
        api::meetings::copy,
        api::meetings::rsvp,
        api::meetings::ics,
        api::meetings::topics,
        api::meetings::propose,
        api::meetings::suggestions,
        api::meetings::from_reports,
        api::meetings::get_topic,
        api::meetings::edit_topic,
        api::meetings::support,
        api::meetings::withdraw_support,
        api::meetings::transition_topic,
        api::meetings::add_action,
        api::meetings::tracker,
        api::meetings::update_action,
        api::meetings::my_topics,
        api::privacy::export_me,
        api::privacy::delete_me,
        api::privacy::consent,
        api::privacy::audit_log_list,
        api::privacy::retention,
        api::privacy::set_retention,
        api::metrics::participation,
        api::metrics::reports,
        api::metrics::surveys,
        api::metrics::meetings,
        api::metrics::list_targets,
        api::metrics::create_target,
        api::metrics::delete_target,
        api::metrics::monitor,
        api::metrics::monitor_link,
        api::teams::list,
        api::teams::propose,
        api::teams::overview,
        api::teams::get,
        api::teams::decide,
        api::teams::join,
        api::teams::update_member,
        api::teams::remove_member,
        api::teams::patrols,
        api::teams::plan_patrol,
        api::teams::sign_up,
        api::teams::withdraw,
        api::teams::observations,
        api::teams::observe,
        api::teams::to_report,
        api::campaigns::list,
        api::campaigns::create,
        api::campaigns::results,
        api::campaigns::get,
        api::campaigns::qr_svg_file,
        api::campaigns::qr_png_file,
    ),
    components(schemas(shared::Problem, shared::FieldError, shared::ErrorKind)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sign-up, login and sessions"),
        (name = "me", description = "The logged-in user's account"),
        (name = "neighbourhoods"),
        (name = "reports", description = "Nuisance and burglary reports (meldingen)"),
        (name = "meetings", description = "Neighbourhood safety meetings, topics and follow-up"),
        (name = "surveys", description = "Pilot surveys: build, answer, results"),
        (name = "teams", description = "Neighbourhood prevention teams, patrols and the patrol log"),
        (name = "campaigns", description = "Outreach campaigns, sign-up links and their results"),
        (name = "metrics", description = "Participation dashboards, pilot targets, council monitor"),
        (name = "admin", description = "Account management (admin role)"),
        (name = "health"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

pub fn spec_json() -> &'static str {
    static SPEC: OnceLock<String> = OnceLock::new();
    SPEC.get_or_init(|| {
        let mut spec =
            serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI document serialises");
        document_problems(&mut spec);
        serde_json::to_string_pretty(&spec).expect("the OpenAPI document serialises")
    })
}

/// The answers every operation can give besides its own: problems are
/// `application/problem+json`; a malformed request is 400, a missing or bad
/// token 401, an unknown id 404, a body that is too large or not JSON 413 or
/// 415, invalid fields 422, and an unavailable database 503. Documented once
/// here rather than on each handler.
fn document_problems(spec: &mut serde_json::Value) {
    use serde_json::{json, Value};
    let problem =
        json!({"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}});
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            let secured = op.get("security").is_some();
            let has_body = op.get("requestBody").is_some();
            let has_params = op
                .get("parameters")
                .and_then(Value::as_array)
                .is_some_and(|p| !p.is_empty());
            let responses = op
                .entry("responses")
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .expect("responses are an object");
            for response in responses.values_mut() {
                let is_problem = response
                    .pointer("/content/application~1json/schema/$ref")
                    .and_then(Value::as_str)
                    == Some("#/components/schemas/Problem");
                if is_problem {
                    response["content"] = problem.clone();
                }
            }
            let mut add = |code: &str, description: &str| {
                responses.entry(code).or_insert_with(
                    || json!({"description": description, "content": problem.clone()}),
                );
            };
            if path.starts_with("/api") {
                add("400", "The request could not be read");
                if secured {
                    add("401", "Not logged in, or the token is invalid or expired");
                }
                if path.contains('{') || method != "get" {
                    add("404", "Not found");
                }
                if has_body {
                    add("413", "The body is too large");
                    add("415", "The body is not JSON");
                }
                if has_body || has_params {
                    add("422", "Invalid fields; `errors` names each one");
                }
                add("503", "The database is unavailable, or the server is busy");
            }
        }
    }
}

pub async fn serve() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(spec_json())
}
