//! Report categories, managed by admins.

use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use shared::reports::{Category, CreateCategoryRequest, UpdateCategoryRequest};
use shared::users::Role;
use shared::validation::validate_text;
use shared::{FieldError, Problem};

use super::reports::category_dto;
use crate::auth::AuthUser;
use crate::db::reports::CategoryRow;
use crate::db::{self, schema::report_categories as rc};
use crate::error::{ApiError, ApiResult};
use crate::startup::AppState;

fn check_days(errors: &mut Vec<FieldError>, days: i32) {
    if !(0..=60).contains(&days) {
        errors.push(FieldError::new(
            "triage_days",
            "out_of_range",
            "Use 0 to 60 working days.",
        ));
    }
}

fn check_name(errors: &mut Vec<FieldError>, field: &str, name: &str) -> String {
    validate_text(field, name, 1, 80).unwrap_or_else(|e| {
        errors.push(e);
        String::new()
    })
}

#[utoipa::path(get, path = "/api/admin/report-categories", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = [Category], description = "Active and inactive"), (status = 403, body = Problem)))]
pub async fn list(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    auth.require(&[Role::Admin])?;
    let rows: Vec<CategoryRow> = db::run(&state.pool, |conn| {
        Ok(rc::table
            .order((rc::position.asc(), rc::id.asc()))
            .select(CategoryRow::as_select())
            .load(conn)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(category_dto).collect::<Vec<_>>()))
}

#[utoipa::path(post, path = "/api/admin/report-categories", tag = "admin", security(("bearer" = [])),
    request_body = CreateCategoryRequest,
    responses(
        (status = 201, body = Category), (status = 403, body = Problem),
        (status = 409, body = Problem, description = "Code already in use"), (status = 422, body = Problem)))]
pub async fn create(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<CreateCategoryRequest>,
) -> ApiResult<HttpResponse> {
    auth.require(&[Role::Admin])?;
    let body = body.into_inner();
    let mut errors = Vec::new();
    let code_ok = (2..=40).contains(&body.code.len())
        && body
            .code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !code_ok {
        errors.push(FieldError::new(
            "code",
            "invalid_code",
            "Use 2 to 40 lowercase letters, digits or _.",
        ));
    }
    let name_nl = check_name(&mut errors, "name_nl", &body.name_nl);
    let name_en = check_name(&mut errors, "name_en", &body.name_en);
    check_days(&mut errors, body.triage_days);
    ApiError::check(errors)?;
    let created = db::run_write(&state.pool, move |conn| {
        let position: Option<i32> = rc::table
            .select(diesel::dsl::max(rc::position))
            .first(conn)?;
        Ok(diesel::insert_into(rc::table)
            .values((
                rc::code.eq(&body.code),
                rc::kind.eq(body.kind.as_str()),
                rc::name_nl.eq(&name_nl),
                rc::name_en.eq(&name_en),
                rc::triage_days.eq(body.triage_days),
                rc::police_by_default.eq(body.police_by_default),
                rc::active.eq(true),
                rc::position.eq(position.unwrap_or(0) + 1),
            ))
            .returning(rc::all_columns)
            .get_result::<CategoryRow>(conn)?)
    })
    .await;
    match created {
        Ok(row) => Ok(HttpResponse::Created().json(category_dto(row))),
        Err(ApiError::Conflict { .. }) => Err(ApiError::Conflict {
            detail: "A category with this code exists.".into(),
            errors: vec![FieldError::new("code", "taken", "This code is in use.")],
        }),
        Err(e) => Err(e),
    }
}

#[derive(AsChangeset)]
#[diesel(table_name = rc)]
struct Change<'a> {
    name_nl: Option<&'a str>,
    name_en: Option<&'a str>,
    triage_days: Option<i32>,
    police_by_default: Option<bool>,
    active: Option<bool>,
}

#[utoipa::path(patch, path = "/api/admin/report-categories/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = UpdateCategoryRequest,
    responses(
        (status = 200, body = Category), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn update(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<UpdateCategoryRequest>,
) -> ApiResult<HttpResponse> {
    auth.require(&[Role::Admin])?;
    let id = path.into_inner();
    let body = body.into_inner();
    let mut errors = Vec::new();
    let name_nl = body
        .name_nl
        .as_deref()
        .map(|n| check_name(&mut errors, "name_nl", n));
    let name_en = body
        .name_en
        .as_deref()
        .map(|n| check_name(&mut errors, "name_en", n));
    if let Some(d) = body.triage_days {
        check_days(&mut errors, d);
    }
    let empty = body == UpdateCategoryRequest::default();
    if empty {
        errors.push(FieldError::new(
            "name_nl",
            "required",
            "Change at least one field.",
        ));
    }
    ApiError::check(errors)?;
    let row = db::run_write(&state.pool, move |conn| {
        Ok(diesel::update(rc::table.find(id))
            .set(Change {
                name_nl: name_nl.as_deref(),
                name_en: name_en.as_deref(),
                triage_days: body.triage_days,
                police_by_default: body.police_by_default,
                active: body.active,
            })
            .returning(rc::all_columns)
            .get_result::<CategoryRow>(conn)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(category_dto(row)))
}
