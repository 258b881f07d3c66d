use actix_web::dev::Payload;
use actix_web::{http::header, web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use shared::users::Role;

use crate::db::{self, models::User};
use crate::error::{ApiError, ApiResult};
use crate::startup::AppState;

/// The authenticated caller: a valid access token for an account that still
/// exists and is active. The account is read on every request, so a
/// deactivation or a role change takes effect at once, not when the token
/// expires.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user: User,
    /// The refresh-token family (login session) the token was issued for.
    pub session_id: String,
}

impl AuthUser {
    pub fn id(&self) -> i32 {
        self.user.id
    }

    pub fn role(&self) -> Role {
        self.user.role()
    }

    /// Role guard: `auth.require(&[Role::Admin])?`.
    pub fn require(&self, roles: &[Role]) -> ApiResult<()> {
        if roles.contains(&self.role()) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

const NOT_LOGGED_IN: &str = "Log in to continue.";
const EXPIRED: &str = "Your session has expired. Log in again.";

/// A caller whose access token is valid, before its account is read. Hot
/// handlers take this instead of [`AuthUser`] and read the account in the
/// same trip to the database as their own work ([`Caller::run`],
/// [`Caller::run_write`]): one hand-off to a blocking thread and one pooled
/// connection per request instead of two. The only ways to an [`AuthUser`]
/// from here are that read and [`Caller::accept`] of the row a handler read
/// itself, so the account checks cannot be skipped.
#[derive(Debug)]
pub struct Caller {
    user_id: i32,
    session_id: String,
}

impl Caller {
    /// The account behind the token, if it still exists and is active.
    pub fn load(self, conn: &mut db::DbConnection) -> ApiResult<AuthUser> {
        let user = db::users::find(conn, self.user_id)?;
        self.accept(user)
    }

    /// The id of the account the token names, for a handler whose first
    /// query reads that account together with its own lookups (filing).
    /// Nothing may be done for the caller before [`Caller::accept`].
    pub fn user_id(&self) -> i32 {
        self.user_id
    }

    /// The caller, given the row of [`Caller::user_id`] as
    /// [`db::users::find`] reads it: refused unless it exists and is active.
    pub fn accept(self, user: Option<User>) -> ApiResult<AuthUser> {
        match user {
            Some(user) if user.active && user.id == self.user_id => Ok(AuthUser {
                user,
                session_id: self.session_id,
            }),
            _ => Err(ApiError::Unauthorized(EXPIRED)),
        }
    }

    /// `f` with the caller's account read first, on the same connection.
    fn with_account<T, F>(self, f: F) -> impl FnOnce(&mut db::DbConnection) -> ApiResult<T>
    where
        F: FnOnce(&mut db::DbConnection, AuthUser) -> ApiResult<T>,
    {
        move |conn| {
            let auth = self.load(conn)?;
            f(conn, auth)
        }
    }

    /// [`db::run`] with the caller's account read first, on the same connection.
    pub async fn run<T, F>(self, pool: &db::Pool, f: F) -> ApiResult<T>
    where
        F: FnOnce(&mut db::DbConnection, AuthUser) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        db::run(pool, self.with_account(f)).await
    }

    /// [`db::run_write`] with the caller's account read first, on the same
    /// connection (on SQLite, the writer's).
    pub async fn run_write<T, F>(self, pool: &db::Pool, f: F) -> ApiResult<T>
    where
        F: FnOnce(&mut db::DbConnection, AuthUser) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        db::run_write(pool, self.with_account(f)).await
    }
}

/// Checks the bearer token of `req`: signature, algorithm, expiry, issuer,
/// audience (see [`crate::auth::jwt`]).
fn caller_of(req: &HttpRequest) -> ApiResult<(web::Data<AppState>, Caller)> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no app state")))?;
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or(ApiError::Unauthorized(NOT_LOGGED_IN))?;
    let claims = state
        .jwt
        .verify(token)
        .ok_or(ApiError::Unauthorized(EXPIRED))?;
    let user_id: i32 = claims
        .sub
        .parse()
        .map_err(|_| ApiError::Unauthorized(EXPIRED))?;
    Ok((
        state,
        Caller {
            user_id,
            session_id: claims.sid,
        },
    ))
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(caller_of(req).map(|(_, caller)| caller))
    }
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let checked = caller_of(req);
        Box::pin(async move {
            let (state, caller) = checked?;
            db::run(&state.pool, move |conn| caller.load(conn)).await
        })
    }
}
