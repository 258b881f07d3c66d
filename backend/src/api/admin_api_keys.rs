//! Keys for Open311 clients, issued and revoked by admins.

use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use shared::users::{ApiKeyDto, CreateApiKeyRequest, Role};
use shared::validation::validate_text;
use shared::Problem;

use crate::auth::{hash_token, random_token, AuthUser};
use crate::db::models::now;
use crate::db::{self, schema::api_keys};
use crate::error::{ApiError, ApiResult};
use crate::startup::AppState;

type Row = (
    i32,
    String,
    chrono::NaiveDateTime,
    Option<chrono::NaiveDateTime>,
);

fn dto((id, name, created_at, revoked_at): Row, key: Option<String>) -> ApiKeyDto {
    ApiKeyDto {
        id,
        name,
        key,
        created_at,
        revoked: revoked_at.is_some(),
    }
}

#[utoipa::path(post, path = "/api/admin/api-keys", tag = "admin", security(("bearer" = [])),
    request_body = CreateApiKeyRequest,
    responses((status = 201, body = ApiKeyDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<CreateApiKeyRequest>,
) -> ApiResult<HttpResponse> {
    auth.require(&[Role::Admin])?;
    let name =
        validate_text("name", &body.name, 1, 100).map_err(|e| ApiError::Validation(vec![e]))?;
    let key = format!("wv_{}", random_token());
    let (hash, creator) = (hash_token(&key), auth.id());
    let row: Row = db::run_write(&state.pool, move |conn| {
        Ok(diesel::insert_into(api_keys::table)
            .values((
                api_keys::name.eq(&name),
                api_keys::key_hash.eq(&hash),
                api_keys::created_by.eq(creator),
                api_keys::created_at.eq(now()),
            ))
            .returning((
                api_keys::id,
                api_keys::name,
                api_keys::created_at,
                api_keys::revoked_at,
            ))
            .get_result(conn)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(dto(row, Some(key))))
}

#[utoipa::path(get, path = "/api/admin/api-keys", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = [ApiKeyDto]), (status = 403, body = Problem)))]
pub async fn list(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    auth.require(&[Role::Admin])?;
    let rows: Vec<Row> = db::run(&state.pool, |conn| {
        Ok(api_keys::table
            .order(api_keys::id.asc())
            .select((
                api_keys::id,
                api_keys::name,
                api_keys::created_at,
                api_keys::revoked_at,
            ))
            .load(conn)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(|r| dto(r, None)).collect::<Vec<_>>()))
}

#[utoipa::path(delete, path = "/api/admin/api-keys/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn revoke(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    auth.require(&[Role::Admin])?;
    let id = path.into_inner();
    let n = db::run_write(&state.pool, move |conn| {
        Ok(diesel::update(
            api_keys::table
                .find(id)
                .filter(api_keys::revoked_at.is_null()),
        )
        .set(api_keys::revoked_at.eq(now()))
        .execute(conn)?)
    })
    .await?;
    if n == 0 {
        return Err(ApiError::NotFound);
    }
    Ok(HttpResponse::NoContent().finish())
}
