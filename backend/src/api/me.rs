//! The logged-in user's own account.

use actix_web::{web, HttpResponse};
use shared::auth::Accepted;
use shared::users::{
    ChangePasswordRequest, Group, Language, Role, StudentVerificationRequest, UpdateMeRequest,
    UserDto,
};
use shared::validation::validate_email;
use shared::{FieldError, Problem};

use super::auth::{
    institution_domain, send_link_mail, LinkMail, PURPOSE_VERIFY_EMAIL, PURPOSE_VERIFY_STUDENT,
};
use crate::auth::AuthUser;
use crate::db::models::now;
use crate::db::{self, tokens, users, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::mail;
use crate::ratelimit::{self, key};
use crate::startup::AppState;

#[utoipa::path(get, path = "/api/me", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = UserDto), (status = 401, body = Problem)))]
pub async fn get_me(auth: AuthUser) -> HttpResponse {
    HttpResponse::Ok().json(auth.user.to_dto())
}

#[utoipa::path(patch, path = "/api/me", tag = "me", security(("bearer" = [])), request_body = UpdateMeRequest,
    responses((status = 200, body = UserDto), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn update_me(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<UpdateMeRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    ApiError::check(body.validate())?;
    let id = auth.id();
    let user = db::run_write(&state.pool, move |conn| {
        if let Some(n) = body.neighbourhood_id {
            if !users::neighbourhood_exists(conn, n)? {
                return Err(ApiError::field(
                    "neighbourhood_id",
                    "unknown_neighbourhood",
                    "Choose a neighbourhood from the list.",
                ));
            }
        }
        let name = body.display_name.as_deref().map(str::trim);
        Ok(users::update_profile(
            conn,
            id,
            &users::ProfileChange {
                display_name: name,
                neighbourhood_id: body.neighbourhood_id,
                language: body.language,
            },
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(user.to_dto()))
}

#[utoipa::path(post, path = "/api/me/password", tag = "me", security(("bearer" = [])), request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed; the user's other sessions are ended"),
        (status = 401, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn change_password(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<ChangePasswordRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    ApiError::check(body.validate())?;
    let admission = state.hasher.admit()?;
    // Guessing the current password with a stolen access token counts as login attempts.
    ratelimit::check(
        &state.pool,
        vec![(
            key("login-account", &auth.user.email),
            state.config.rate_limits.login_per_account,
        )],
    )
    .await?;
    let current_ok = state
        .hasher
        .verify(
            admission,
            body.current_password,
            Some(auth.user.password_hash.clone()),
        )
        .await?;
    if !current_ok {
        return Err(ApiError::field(
            "current_password",
            "wrong_password",
            "This is not your current password.",
        ));
    }
    let hash = state
        .hasher
        .hash(state.hasher.admit()?, body.new_password)
        .await?;
    let (id, session) = (auth.id(), auth.session_id.clone());
    db::run_write_for_hash(&state.pool, move |conn| {
        write_tx(conn, |conn| {
            let at = now();
            users::set_password(conn, id, &hash)?;
            tokens::revoke_user(conn, id, Some(&session), at)?;
            Ok(())
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/api/me/verification-email", tag = "me", security(("bearer" = [])),
    responses(
        (status = 202, body = Accepted), (status = 401, body = Problem),
        (status = 409, body = Problem, description = "Already verified"), (status = 429, body = Problem)))]
pub async fn resend_verification(
    state: web::Data<AppState>,
    auth: AuthUser,
) -> ApiResult<HttpResponse> {
    if auth.user.email_verified_at.is_some() {
        return Err(ApiError::conflict(
            "Your email address is already confirmed.",
        ));
    }
    ratelimit::check(
        &state.pool,
        vec![(
            key("verification-mail", &auth.id().to_string()),
            state.config.rate_limits.verification_mail_per_account,
        )],
    )
    .await?;
    let is_student = auth.user.user_group.as_deref() == Some(Group::Student.as_str());
    let domain = is_student
        .then(|| institution_domain(&state, &auth.user.email))
        .flatten();
    send_link_mail(
        &state,
        LinkMail {
            user_id: auth.id(),
            purpose: PURPOSE_VERIFY_EMAIL,
            detail: domain,
            valid_for: chrono::Duration::hours(48),
            page: "verify-email",
            to: auth.user.email.clone(),
            language: Language::parse(&auth.user.language).unwrap_or_default(),
            compose: mail::verify_email,
        },
    )
    .await?;
    Ok(HttpResponse::Accepted().json(Accepted {
        detail: "We have sent you a new confirmation link.".into(),
    }))
}

#[utoipa::path(post, path = "/api/me/student-verification", tag = "me", security(("bearer" = [])),
    request_body = StudentVerificationRequest,
    responses(
        (status = 202, body = Accepted, description = "Link sent to the institution address"),
        (status = 401, body = Problem), (status = 403, body = Problem, description = "Not a participant"),
        (status = 409, body = Problem, description = "Not a student account"),
        (status = 422, body = Problem, description = "Not an address at a recognised institution"),
        (status = 429, body = Problem)))]
pub async fn request_student_verification(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<StudentVerificationRequest>,
) -> ApiResult<HttpResponse> {
    auth.require(&[Role::Participant])?;
    let email = validate_email("email", &body.email).map_err(|e| ApiError::Validation(vec![e]))?;
    let Some(domain) = institution_domain(&state, &email) else {
        return Err(ApiError::Validation(vec![FieldError::new(
            "email",
            "not_institution_domain",
            format!(
                "Use your address at one of: {}.",
                state.config.student_domains.join(", ")
            ),
        )]));
    };
    if auth.user.user_group.as_deref() != Some(Group::Student.as_str()) {
        return Err(ApiError::conflict(
            "Only student accounts can confirm a student address.",
        ));
    }
    ratelimit::check(
        &state.pool,
        vec![(
            key("verification-mail", &auth.id().to_string()),
            state.config.rate_limits.verification_mail_per_account,
        )],
    )
    .await?;
    // Only the domain is stored; the institution address is used for this one mail.
    send_link_mail(
        &state,
        LinkMail {
            user_id: auth.id(),
            purpose: PURPOSE_VERIFY_STUDENT,
            detail: Some(domain),
            valid_for: chrono::Duration::hours(48),
            page: "verify-email",
            to: email,
            language: Language::parse(&auth.user.language).unwrap_or_default(),
            compose: mail::verify_student,
        },
    )
    .await?;
    Ok(HttpResponse::Accepted().json(Accepted {
        detail: "We have sent a confirmation link to your student address.".into(),
    }))
}
