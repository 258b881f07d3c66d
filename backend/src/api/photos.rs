//! Photos of a report: uploaded by its reporter (at most three), cleaned of
//! metadata, and served only to those who may see the report.

use actix_web::{web, HttpResponse};
use shared::reports::{PhotoRef, MAX_PHOTOS};
use shared::Problem;

use super::reports::{own_report, viewer_of};
use crate::auth::{random_token, AuthUser, Caller};
use crate::db::models::now;
use crate::db::reports::{self as q, NewPhoto};
use crate::db::{self, write_tx};
use crate::domain::photos::{clean, PhotoError};
use crate::error::{ApiError, ApiResult};
use crate::startup::AppState;

fn too_many() -> ApiError {
    ApiError::Conflict {
        detail: format!("A report has at most {MAX_PHOTOS} photos."),
        errors: vec![shared::FieldError::new(
            "photo",
            "too_many",
            format!("At most {MAX_PHOTOS} photos."),
        )],
    }
}

#[utoipa::path(post, path = "/api/reports/{id}/photos", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path)),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "JPEG, PNG or WebP, at most 8 MB; the type is read from the bytes"),
    responses(
        (status = 201, body = PhotoRef), (status = 403, body = Problem, description = "Not the reporter"),
        (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Already three photos"),
        (status = 413, body = Problem), (status = 422, body = Problem, description = "Not an image")))]
pub async fn upload(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i32>,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    // The account is read in the first trip, once the body (up to 8 MB) is
    // here: read beside the body (`AuthUser`), it would take the request's
    // place at the gate while a slow client was still sending (`crate::gate`).
    let count = db::run(&state.pool, move |conn| {
        let reporter = caller.load(conn)?;
        own_report(conn, &reporter, id)?;
        Ok(q::photo_count(conn, id)?)
    })
    .await?;
    if count >= MAX_PHOTOS as i64 {
        return Err(too_many());
    }
    let cleaned = web::block(move || clean(&body)).await?.map_err(|e| {
        let code = match e {
            PhotoError::NotAnImage => "not_an_image",
            PhotoError::Unreadable => "unreadable_image",
        };
        ApiError::field(
            "photo",
            code,
            format!("{e}: send a JPEG, PNG or WebP photo."),
        )
    })?;
    let key = format!("{}.jpg", random_token());
    let store = state.photos.clone();
    let (put_key, bytes) = (key.clone(), cleaned.jpeg);
    let size = bytes.len() as i32;
    web::block(move || store.put(&put_key, &bytes))
        .await?
        .map_err(|e| ApiError::Internal(e.into()))?;
    let (width, height) = (cleaned.width as i32, cleaned.height as i32);
    let row_key = key.clone();
    let saved = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| {
            // Counted again inside the transaction: two uploads may race.
            if q::photo_count(conn, id)? >= MAX_PHOTOS as i64 {
                return Err(too_many());
            }
            Ok(q::add_photo(
                conn,
                &NewPhoto {
                    report_id: id,
                    storage_key: &row_key,
                    content_type: "image/jpeg",
                    byte_size: size,
                    width,
                    height,
                    created_at: now(),
                },
            )?)
        })
    })
    .await;
    match saved {
        Ok(photo_id) => Ok(HttpResponse::Created().json(PhotoRef {
            id: photo_id,
            url: format!("/api/reports/{id}/photos/{photo_id}"),
        })),
        Err(e) => {
            let store = state.photos.clone();
            let _ = web::block(move || store.delete(&key)).await;
            Err(e)
        }
    }
}

#[utoipa::path(get, path = "/api/reports/{id}/photos/{photo_id}", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path), ("photo_id" = i32, Path)),
    responses((status = 200, content_type = "image/jpeg"), (status = 404, body = Problem)))]
pub async fn download(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(i32, i32)>,
) -> ApiResult<HttpResponse> {
    let (id, photo_id) = path.into_inner();
    let photo = db::run(&state.pool, move |conn| {
        let report = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
        viewer_of(&auth, &report).ok_or(ApiError::NotFound)?;
        q::photo(conn, id, photo_id)?.ok_or(ApiError::NotFound)
    })
    .await?;
    let store = state.photos.clone();
    let bytes = web::block(move || store.get(&photo.storage_key))
        .await?
        .map_err(|e| ApiError::Internal(e.into()))?;
    Ok(HttpResponse::Ok()
        .content_type(photo.content_type)
        .insert_header(("Cache-Control", "private, max-age=3600"))
        .body(bytes))
}
