//! Sign-up, login, token refresh, logout, email verification, password reset.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use shared::auth::{
    Accepted, LoginRequest, PasswordResetConfirm, PasswordResetRequest, SessionResponse,
    SignupRequest, TokenRequest,
};
use shared::users::{Group, Language, Role};
use shared::validation::{
    domain_matches, email_domain, normalize_email, validate_email, validate_token,
};
use shared::{FieldError, Problem};

use super::client_ip;
use crate::auth::session::{self, REFRESH_COOKIE};
use crate::auth::{hash_token, random_token};
use crate::db::models::{now, NewEmailToken, NewUser, User};
use crate::db::{self, tokens, users, write_tx, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::mail::{self, Mail, Mailer, Outgoing};
use crate::metrics::rollup;
use crate::ratelimit::{self, key};
use crate::startup::AppState;

pub const PURPOSE_VERIFY_EMAIL: &str = "verify_email";
pub const PURPOSE_VERIFY_STUDENT: &str = "verify_student";
pub const PURPOSE_RESET: &str = "reset_password";

const BAD_CREDENTIALS: &str = "Email address or password is not correct.";
const SESSION_ENDED: &str = "Your session has ended. Log in again.";

/// A mail with a single-use link: whom it is for, what its token allows and
/// for how long, and how its text is written around the link.
pub struct LinkMail {
    pub user_id: i32,
    pub purpose: &'static str,
    /// Stored with the token (a student's institution domain).
    pub detail: Option<String>,
    pub valid_for: chrono::Duration,
    /// The page the link opens.
    pub page: &'static str,
    pub to: String,
    pub language: Language,
    /// Subject and body around the link.
    pub compose: fn(Language, &str) -> (String, String),
}

/// Creates the link's token and records the mail that carries it, on
/// `conn` inside the caller's transaction: a token nobody was mailed, or a
/// mail with a token that was never stored, cannot happen, and it is one trip
/// to the database. [`Mailer::dispatch`] sends the mail once committed.
pub fn record_link_mail(
    conn: &mut DbConnection,
    mailer: &Mailer,
    public_url: &str,
    m: LinkMail,
) -> ApiResult<Outgoing> {
    let token = random_token();
    let created_at = now();
    tokens::insert_email_token(
        conn,
        &NewEmailToken {
            user_id: m.user_id,
            purpose: m.purpose,
            token_hash: &hash_token(&token),
            detail: m.detail.as_deref(),
            created_at,
            expires_at: created_at + m.valid_for,
        },
    )?;
    let link = format!("{public_url}/{}?token={token}", m.page);
    let (subject, body) = (m.compose)(m.language, &link);
    mailer.record(
        conn,
        Mail {
            to: m.to,
            subject,
            body,
        },
    )
}

/// [`record_link_mail`] in a transaction of its own, then sends the mail.
pub async fn send_link_mail(state: &AppState, link: LinkMail) -> ApiResult<()> {
    let (mailer, public_url) = (state.mailer.clone(), state.config.public_url.clone());
    let mail = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| {
            record_link_mail(conn, &mailer, &public_url, link)
        })
    })
    .await?;
    state.mailer.dispatch(&state.pool, mail);
    Ok(())
}

/// The institution domain of `email` if it is a recognised one.
pub fn institution_domain(state: &AppState, email: &str) -> Option<String> {
    let domain = email_domain(email);
    state
        .config
        .student_domains
        .iter()
        .find(|allowed| domain_matches(domain, allowed))
        .cloned()
}

#[utoipa::path(post, path = "/api/auth/signup", tag = "auth", request_body = SignupRequest,
    responses(
        (status = 201, body = SessionResponse, description = "Account created; refresh cookie set"),
        (status = 409, body = Problem, description = "Email already registered"),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn signup(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<SignupRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let admission = state.hasher.admit()?;
    let limits = &state.config.rate_limits;
    let mut errors = body.validate();
    let email = normalize_email(&body.email);
    let neighbourhood_id = body.neighbourhood_id;
    let lookup_email = email.clone();
    // The limit first (every attempt counts, even an invalid one), and what
    // the checks need from the database in the same trip.
    let (neighbourhood_ok, taken) = ratelimit::guard_then(
        &state.pool,
        vec![(
            key("signup-ip", &client_ip(&req, &state.config)),
            limits.signup_per_ip,
        )],
        None,
        move |conn| {
            Ok((
                users::neighbourhood_exists(conn, neighbourhood_id)?,
                users::email_taken(conn, &lookup_email)?,
            ))
        },
    )
    .await?;
    if !neighbourhood_ok {
        errors.push(FieldError::new(
            "neighbourhood_id",
            "unknown_neighbourhood",
            "Choose a neighbourhood from the list.",
        ));
    }
    ApiError::check(errors)?;
    if taken {
        return Err(email_taken());
    }

    let password_hash = state.hasher.hash(admission, body.password).await?;
    let display_name = body.display_name.trim().to_owned();
    let language = body.language.unwrap_or_default();
    let student_domain = (body.group == Group::Student)
        .then(|| institution_domain(&state, &email))
        .flatten();
    let config = state.config.clone();
    let campaign_code = body.campaign.clone();
    let mailer = state.mailer.clone();
    let created = db::run_write_for_hash(&state.pool, move |conn| {
        write_tx(conn, |conn| {
            let at = now();
            // First touch; an unknown or ended campaign is simply not attributed.
            let campaign_id = match campaign_code.as_deref() {
                Some(code) => crate::db::campaigns::running_by_code(conn, code, at.date())?,
                None => None,
            };
            let user = users::insert(
                conn,
                &NewUser {
                    email: &email,
                    password_hash: &password_hash,
                    display_name: &display_name,
                    role: Role::Participant.as_str(),
                    user_group: Some(body.group.as_str()),
                    neighbourhood_id: Some(neighbourhood_id),
                    language: language.as_str(),
                    privacy_version: Some(shared::PRIVACY_VERSION),
                    privacy_accepted_at: Some(at),
                    email_verified_at: None,
                    active: true,
                    created_at: at,
                    updated_at: at,
                    campaign_id,
                },
            )?;
            crate::privacy::record_consent(conn, user.id, shared::PRIVACY_VERSION, at)?;
            rollup::signed_up(&mut rollup::Db(conn), &rollup::Actor::of(&user))?;
            // No account without its confirmation mail.
            let mail = record_link_mail(
                conn,
                &mailer,
                &config.public_url,
                LinkMail {
                    user_id: user.id,
                    purpose: PURPOSE_VERIFY_EMAIL,
                    detail: student_domain,
                    valid_for: chrono::Duration::hours(48),
                    page: "verify-email",
                    to: user.email.clone(),
                    language,
                    compose: mail::verify_email,
                },
            )?;
            let family = session::new_family();
            let refresh = session::issue_refresh(conn, &config, user.id, &family)?;
            Ok::<_, ApiError>((user, mail, family, refresh))
        })
    })
    .await;
    let (user, mail, family, refresh) = match created {
        // Two sign-ups with one address at the same moment.
        Err(ApiError::Conflict { .. }) => return Err(email_taken()),
        other => other?,
    };
    state.mailer.dispatch(&state.pool, mail);
    tracing::info!(user_id = user.id, "signed up");
    session::respond(&state, StatusCode::CREATED, &user, &family, &refresh)
}

fn email_taken() -> ApiError {
    ApiError::Conflict {
        detail: "An account with this email address already exists. Log in or reset your password."
            .into(),
        errors: vec![FieldError::new(
            "email",
            "already_registered",
            "An account with this email address already exists.",
        )],
    }
}

#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = SessionResponse, description = "Logged in; refresh cookie set"),
        (status = 401, body = Problem, description = "Same answer for unknown email and wrong password"),
        (status = 429, body = Problem), (status = 503, body = Problem)))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let email = normalize_email(&body.email);
    let admission = state.hasher.admit()?;
    let limits = &state.config.rate_limits;
    // Every attempt counts against the account. Against the address only
    // failures count: a lecture hall behind one campus NAT can log in, while
    // guessing across accounts from one address is still bounded.
    let ip_limit = (
        key("login-ip", &client_ip(&req, &state.config)),
        limits.login_per_ip,
    );
    let lookup = email.clone();
    let user = ratelimit::guard_then(
        &state.pool,
        vec![(key("login-account", &email), limits.login_per_account)],
        Some(ip_limit.clone()),
        move |conn| Ok(users::find_by_email(conn, &lookup)?),
    )
    .await?
    .filter(|u| u.active);
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let matches = state.hasher.verify(admission, body.password, hash).await?;
    let user = match user {
        Some(user) if matches => user,
        _ => {
            // This attempt is answered; one over the limit refuses the next.
            match ratelimit::check(&state.pool, vec![ip_limit]).await {
                Ok(()) | Err(ApiError::RateLimited { .. }) => {}
                Err(e) => return Err(e),
            }
            return Err(ApiError::Unauthorized(BAD_CREDENTIALS));
        }
    };
    let config = state.config.clone();
    let user_id = user.id;
    let (family, refresh) = db::run_write_for_hash(&state.pool, move |conn| {
        let family = session::new_family();
        let refresh = session::issue_refresh(conn, &config, user_id, &family)?;
        Ok((family, refresh))
    })
    .await?;
    session::respond(&state, StatusCode::OK, &user, &family, &refresh)
}

enum Rotation {
    Rotated(Box<User>, String, String),
    /// Expired, revoked, unknown, or reused (the family is revoked).
    Refused,
}

#[utoipa::path(post, path = "/api/auth/refresh", tag = "auth",
    responses(
        (status = 200, body = SessionResponse, description = "New access token; the refresh cookie rotates"),
        (status = 401, body = Problem, description = "No valid refresh cookie; a reused one ends its session"),
        (status = 429, body = Problem)))]
pub async fn refresh(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    let Some(cookie) = req.cookie(REFRESH_COOKIE).filter(|c| !c.value().is_empty()) else {
        return Ok(refused(&state));
    };
    let limits = state.config.rate_limits.clone();
    ratelimit::check(
        &state.pool,
        vec![(
            key("refresh-ip", &client_ip(&req, &state.config)),
            limits.refresh_per_ip,
        )],
    )
    .await?;
    let token_hash = hash_token(cookie.value());
    let config = state.config.clone();
    let outcome = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| {
            let at = now();
            let Some(token) = tokens::find_refresh(conn, &token_hash)? else {
                return Ok(Rotation::Refused);
            };
            if token.revoked_at.is_some() || token.expires_at <= at {
                return Ok(Rotation::Refused);
            }
            // A spent token coming back means it was copied: end the session.
            if token.used_at.is_some() || !tokens::spend_refresh(conn, token.id, at)? {
                tokens::revoke_family(conn, &token.family_id, at)?;
                tracing::warn!(
                    user_id = token.user_id,
                    "refresh token reuse; session revoked"
                );
                return Ok(Rotation::Refused);
            }
            ratelimit::hit(
                conn,
                &key("refresh-account", &token.user_id.to_string()),
                limits.refresh_per_account,
            )?;
            match users::find(conn, token.user_id)? {
                Some(user) if user.active => {
                    let next = session::issue_refresh(conn, &config, user.id, &token.family_id)?;
                    Ok(Rotation::Rotated(Box::new(user), token.family_id, next))
                }
                _ => {
                    tokens::revoke_family(conn, &token.family_id, at)?;
                    Ok(Rotation::Refused)
                }
            }
        })
    })
    .await?;
    match outcome {
        Rotation::Rotated(user, family, next) => {
            session::respond(&state, StatusCode::OK, &user, &family, &next)
        }
        Rotation::Refused => Ok(refused(&state)),
    }
}

/// 401 that also removes the refresh cookie.
fn refused(state: &AppState) -> HttpResponse {
    let mut response = ApiError::Unauthorized(SESSION_ENDED).error_response();
    for cookie in session::clear_cookies(&state.config) {
        let _ = response.add_cookie(&cookie);
    }
    response
}

#[utoipa::path(post, path = "/api/auth/logout", tag = "auth",
    responses((status = 204, description = "Session ended and cookie removed")))]
pub async fn logout(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    if let Some(cookie) = req.cookie(REFRESH_COOKIE).filter(|c| !c.value().is_empty()) {
        let token_hash = hash_token(cookie.value());
        db::run_write(&state.pool, move |conn| {
            if let Some(token) = tokens::find_refresh(conn, &token_hash)? {
                tokens::revoke_family(conn, &token.family_id, now())?;
            }
            Ok(())
        })
        .await?;
    }
    let mut response = HttpResponse::NoContent();
    for cookie in session::clear_cookies(&state.config) {
        response.cookie(cookie);
    }
    Ok(response.finish())
}

fn invalid_link() -> ApiError {
    ApiError::field(
        "token",
        "invalid_token",
        "This link is not valid or has expired. Request a new one.",
    )
}

#[utoipa::path(post, path = "/api/auth/verify-email", tag = "auth", request_body = TokenRequest,
    responses((status = 200, body = Accepted), (status = 422, body = Problem)))]
pub async fn verify_email(
    state: web::Data<AppState>,
    body: web::Json<TokenRequest>,
) -> ApiResult<HttpResponse> {
    validate_token("token", &body.token).map_err(|e| ApiError::Validation(vec![e]))?;
    let token_hash = hash_token(&body.token);
    let purpose = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| {
            let at = now();
            let found = tokens::find_email_token(
                conn,
                &token_hash,
                &[PURPOSE_VERIFY_EMAIL, PURPOSE_VERIFY_STUDENT],
                at,
            )?;
            let Some(token) = found else {
                return Err(invalid_link());
            };
            if !tokens::spend_email_token(conn, token.id, at)? {
                return Err(invalid_link());
            }
            if token.purpose == PURPOSE_VERIFY_EMAIL {
                users::set_email_verified(conn, token.user_id, at)?;
            }
            // Detail holds the institution domain when the address proves studenthood.
            if let Some(domain) = &token.detail {
                let user = users::find(conn, token.user_id)?.ok_or(ApiError::NotFound)?;
                users::set_student_verified(conn, token.user_id, domain, at)?;
                if user.student_verified_at.is_none() && user.role == Role::Participant.as_str() {
                    rollup::student_verified(&mut rollup::Db(conn), &rollup::Actor::of(&user))?;
                }
            }
            Ok(token.purpose)
        })
    })
    .await?;
    let detail = if purpose == PURPOSE_VERIFY_STUDENT {
        "Your student address is confirmed."
    } else {
        "Your email address is confirmed."
    };
    Ok(HttpResponse::Ok().json(Accepted {
        detail: detail.into(),
    }))
}

const RESET_SENT: &str =
    "If an account exists for this address, we have sent it a link to choose a new password.";

#[utoipa::path(post, path = "/api/auth/password-reset", tag = "auth", request_body = PasswordResetRequest,
    responses(
        (status = 202, body = Accepted, description = "Same answer whether or not the account exists"),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<PasswordResetRequest>,
) -> ApiResult<HttpResponse> {
    let email = validate_email("email", &body.email).map_err(|e| ApiError::Validation(vec![e]))?;
    let limits = &state.config.rate_limits;
    ratelimit::check(
        &state.pool,
        vec![
            (
                key("reset-ip", &client_ip(&req, &state.config)),
                limits.reset_per_ip,
            ),
            (key("reset-account", &email), limits.reset_per_account),
        ],
    )
    .await?;
    // The work happens after the answer, so its timing reveals nothing.
    let state = state.into_inner();
    actix_web::rt::spawn(async move {
        if let Err(e) = send_reset_link(&state, email).await {
            tracing::error!(error = %e, "password reset mail failed");
        }
    });
    Ok(HttpResponse::Accepted().json(Accepted {
        detail: RESET_SENT.into(),
    }))
}

async fn send_reset_link(state: &AppState, email: String) -> ApiResult<()> {
    let (mailer, public_url) = (state.mailer.clone(), state.config.public_url.clone());
    let mail = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| {
            let Some(user) = users::find_by_email(conn, &email)?.filter(|u| u.active) else {
                return Ok(None);
            };
            let link = LinkMail {
                user_id: user.id,
                purpose: PURPOSE_RESET,
                detail: None,
                valid_for: chrono::Duration::hours(1),
                page: "reset-password",
                to: user.email,
                language: Language::parse(&user.language).unwrap_or_default(),
                compose: mail::reset_password,
            };
            Ok(Some(record_link_mail(conn, &mailer, &public_url, link)?))
        })
    })
    .await?;
    if let Some(mail) = mail {
        state.mailer.dispatch(&state.pool, mail);
    }
    Ok(())
}

#[utoipa::path(post, path = "/api/auth/password-reset/confirm", tag = "auth", request_body = PasswordResetConfirm,
    responses(
        (status = 200, body = Accepted, description = "Password changed; every session ended"),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<PasswordResetConfirm>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    ApiError::check(body.validate())?;
    let admission = state.hasher.admit()?;
    ratelimit::check(
        &state.pool,
        vec![(
            key("reset-confirm-ip", &client_ip(&req, &state.config)),
            state.config.rate_limits.reset_per_ip,
        )],
    )
    .await?;
    let token_hash = hash_token(&body.token);
    let lookup = token_hash.clone();
    // Check the link before paying for a hash.
    db::run(&state.pool, move |conn| {
        tokens::find_email_token(conn, &lookup, &[PURPOSE_RESET], now())?
            .map(|_| ())
            .ok_or_else(invalid_link)
    })
    .await?;
    let password_hash = state.hasher.hash(admission, body.new_password).await?;
    db::run_write_for_hash(&state.pool, move |conn| {
        write_tx(conn, |conn| {
            let at = now();
            let token = tokens::find_email_token(conn, &token_hash, &[PURPOSE_RESET], at)?
                .ok_or_else(invalid_link)?;
            if !tokens::spend_email_token(conn, token.id, at)? {
                return Err(invalid_link());
            }
            users::set_password(conn, token.user_id, &password_hash)?;
            tokens::spend_all_email_tokens(conn, token.user_id, PURPOSE_RESET, at)?;
            tokens::revoke_user(conn, token.user_id, None, at)?;
            // Following the link proved the address.
            users::set_email_verified(conn, token.user_id, at)?;
            Ok(())
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(Accepted {
        detail: "Your password is changed. Log in with the new password.".into(),
    }))
}
