use actix_web::{web, HttpResponse};
use shared::neighbourhoods::Neighbourhood;

use crate::db;
use crate::error::ApiResult;
use crate::startup::AppState;

/// Active neighbourhoods, alphabetically. Public: sign-up needs it.
#[utoipa::path(get, path = "/api/neighbourhoods", tag = "neighbourhoods",
    responses((status = 200, body = [Neighbourhood])))]
pub async fn list(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let rows = db::run(&state.pool, |conn| {
        Ok(db::users::list_neighbourhoods(conn)?)
    })
    .await?;
    let items: Vec<Neighbourhood> = rows
        .into_iter()
        .map(|r| Neighbourhood {
            id: r.id,
            name: r.name,
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=300"))
        .json(items))
}
