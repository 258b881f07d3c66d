//! Login sessions: an access token in the body, a rotating refresh token in
//! an httpOnly cookie scoped to the auth endpoints.

use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use diesel::QueryResult;
use shared::auth::SessionResponse;
use shared::users::Role;

use crate::config::Config;
use crate::db::models::{now, NewRefreshToken, User};
use crate::db::{tokens, DbConnection};
use crate::error::ApiResult;
use crate::startup::AppState;

pub const REFRESH_COOKIE: &str = "wv_refresh";
const COOKIE_PATH: &str = "/api/auth";
/// Readable by the client and holding no secret: it tells the page that a
/// refresh is worth trying, so anonymous visits make no failing call, and
/// holds the role (`participant`, ...), so that the server's first view of a
/// page shows that role's menu (see `web_assets`). Set anew with every
/// session answer, so a changed role shows from the next page on.
pub const MARKER_COOKIE: &str = "wv_session";

/// Stores a new refresh token in `family` and returns the token itself. A new
/// token means the person is active (login, sign-up or session refresh), which
/// the inactive-account retention rule counts from.
pub fn issue_refresh(
    conn: &mut DbConnection,
    config: &Config,
    user_id: i32,
    family: &str,
) -> QueryResult<String> {
    let token = super::random_token();
    let created_at = now();
    let ttl =
        chrono::Duration::from_std(config.refresh_token_ttl).unwrap_or(chrono::Duration::days(14));
    tokens::insert_refresh(
        conn,
        &NewRefreshToken {
            user_id,
            family_id: family,
            token_hash: &super::hash_token(&token),
            created_at,
            expires_at: created_at + ttl,
        },
    )?;
    crate::privacy::touch(conn, user_id, created_at)?;
    Ok(token)
}

/// A new session family id.
pub fn new_family() -> String {
    super::random_token()
}

pub fn refresh_cookie(config: &Config, token: &str) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, token.to_owned())
        .path(COOKIE_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(config.is_production())
        .max_age(time::Duration::seconds(
            config.refresh_token_ttl.as_secs() as i64
        ))
        .finish()
}

pub fn marker_cookie(config: &Config, role: Role) -> Cookie<'static> {
    Cookie::build(MARKER_COOKIE, role.as_str())
        .path("/")
        .same_site(SameSite::Strict)
        .secure(config.is_production())
        .max_age(time::Duration::seconds(
            config.refresh_token_ttl.as_secs() as i64
        ))
        .finish()
}

/// Removal of both cookies.
pub fn clear_cookies(config: &Config) -> [Cookie<'static>; 2] {
    let mut refresh = refresh_cookie(config, "");
    refresh.make_removal();
    let mut marker = marker_cookie(config, Role::Participant);
    marker.make_removal();
    [refresh, marker]
}

/// The JSON answer for sign-up, login and refresh, with the cookie set.
pub fn respond(
    state: &AppState,
    status: StatusCode,
    user: &User,
    family: &str,
    refresh_token: &str,
) -> ApiResult<HttpResponse> {
    let access_token = state.jwt.issue(user.id, user.role(), family)?;
    Ok(HttpResponse::build(status)
        .cookie(refresh_cookie(&state.config, refresh_token))
        .cookie(marker_cookie(&state.config, user.role()))
        .insert_header(("Cache-Control", "no-store"))
        .json(SessionResponse {
            access_token,
            token_type: "Bearer".into(),
            expires_in: state.jwt.ttl_secs,
            user: user.to_dto(),
        }))
}
