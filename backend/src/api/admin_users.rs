//! Account management for admins.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use shared::users::{AdminUpdateUserRequest, Role, UserDto, UserPage};
use shared::{FieldError, Problem};

use crate::auth::AuthUser;
use crate::db::models::now;
use crate::db::{self, tokens, users, write_tx};
use crate::error::{ApiError, ApiResult};
use crate::startup::AppState;

const MAX_QUERY_CHARS: usize = 100;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// 1-based page number.
    pub page: Option<u32>,
    /// Items per page, at most 100.
    pub per_page: Option<u32>,
    pub role: Option<Role>,
    /// Part of the email address or display name.
    pub q: Option<String>,
}

#[utoipa::path(get, path = "/api/admin/users", tag = "admin", security(("bearer" = [])), params(ListQuery),
    responses(
        (status = 200, body = UserPage), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<ListQuery>,
) -> ApiResult<HttpResponse> {
    auth.require(&[Role::Admin])?;
    let query = query.into_inner();
    let (page, per_page, mut errors) = super::paging(query.page, query.per_page);
    let text = query
        .q
        .map(|q| q.trim().to_owned())
        .filter(|q| !q.is_empty());
    if text
        .as_ref()
        .is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS)
    {
        errors.push(FieldError::new(
            "q",
            "too_long",
            format!("Search with at most {MAX_QUERY_CHARS} characters."),
        ));
    }
    ApiError::check(errors)?;
    let filter = users::UserFilter {
        role: query.role,
        text,
        offset: i64::from(page - 1) * i64::from(per_page),
        limit: i64::from(per_page),
    };
    let (rows, total) = db::run(&state.pool, move |conn| Ok(users::list(conn, &filter)?)).await?;
    Ok(HttpResponse::Ok().json(UserPage {
        items: rows.iter().map(|u| u.to_dto()).collect(),
        page,
        per_page,
        total,
    }))
}

#[utoipa::path(patch, path = "/api/admin/users/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i32, Path, description = "User id")), request_body = AdminUpdateUserRequest,
    responses(
        (status = 200, body = UserDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, body = Problem, description = "An admin cannot demote or deactivate themself"),
        (status = 422, body = Problem)))]
pub async fn update(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<AdminUpdateUserRequest>,
) -> ApiResult<HttpResponse> {
    auth.require(&[Role::Admin])?;
    let id = path.into_inner();
    let body = body.into_inner();
    if body.role.is_none() && body.active.is_none() {
        return Err(ApiError::field(
            "role",
            "required",
            "Change the role or the active flag.",
        ));
    }
    if id == auth.id()
        && (body.role.is_some_and(|r| r != Role::Admin) || body.active == Some(false))
    {
        return Err(ApiError::conflict(
            "You cannot take away your own admin role or deactivate yourself; ask another admin.",
        ));
    }
    let admin_id = auth.id();
    let user = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| {
            let at = now();
            let before = users::find(conn, id)?.ok_or(ApiError::NotFound)?;
            let user = users::admin_update(
                conn,
                id,
                &users::AdminChange {
                    role: body.role.map(Role::as_str),
                    active: body.active,
                    updated_at: at,
                },
            )?;
            if body.active == Some(false) {
                tokens::revoke_user(conn, id, None, at)?;
            }
            if let Some(role) = body.role.filter(|r| r.as_str() != before.role) {
                crate::privacy::audit(
                    conn,
                    crate::privacy::AuditEntry {
                        actor_id: Some(admin_id),
                        actor_role: "admin",
                        action: "role_changed",
                        subject: Some(("user", id)),
                        detail: Some(format!("{} -> {}", before.role, role.as_str())),
                    },
                    at,
                )?;
            }
            Ok::<_, ApiError>(user)
        })
    })
    .await?;
    tracing::info!(admin_id = auth.id(), user_id = id, role = ?body.role, active = ?body.active, "user updated by admin");
    Ok(HttpResponse::Ok().json(user.to_dto()))
}
