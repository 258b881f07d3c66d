use actix_web::{web, HttpResponse};

use crate::db;
use crate::error::ApiResult;
use crate::startup::AppState;

/// Alive: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200)))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// Ready: the database answers too. 503 otherwise.
#[utoipa::path(get, path = "/readyz", tag = "health",
    responses((status = 200), (status = 503, body = shared::Problem)))]
pub async fn readyz(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    db::ping(&state.pool).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"status": "ready"})))
}
