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

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_owned());
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no app state")))?;
            let token = token.ok_or(ApiError::Unauthorized(NOT_LOGGED_IN))?;
            let claims = state
                .jwt
                .verify(&token)
                .ok_or(ApiError::Unauthorized(EXPIRED))?;
            let id: i32 = claims
                .sub
                .parse()
                .map_err(|_| ApiError::Unauthorized(EXPIRED))?;
            let user = db::run(&state.pool, move |conn| Ok(db::users::find(conn, id)?)).await?;
            match user {
                Some(user) if user.active => Ok(AuthUser {
                    user,
                    session_id: claims.sid,
                }),
                _ => Err(ApiError::Unauthorized(EXPIRED)),
            }
        })
    }
}
