//! In-app notifications about the user's reports and meeting topics.

use actix_web::{web, HttpResponse};
use chrono::Datelike;
use shared::meetings::TopicStatus;
use shared::reports::{reference, NotificationDto, ReportStatus};
use shared::Problem;

use crate::auth::AuthUser;
use crate::db::models::now;
use crate::db::{self, reports as q, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::startup::AppState;

const LIMIT: i64 = 50;

/// The newest `limit` notifications of a user, ready to show.
pub(crate) fn load(
    conn: &mut DbConnection,
    id: i32,
    limit: i64,
) -> ApiResult<Vec<NotificationDto>> {
    let rows = q::notifications_for(conn, id, limit)?;
    // The reference needs the filing year of each report: one query for all.
    let ids: Vec<i32> = rows.iter().filter_map(|n| n.report_id).collect();
    let filed = q::created_at_of(conn, &ids)?;
    let topic_ids: Vec<i32> = rows.iter().filter_map(|n| n.topic_id).collect();
    let topics = crate::db::meetings::topics_by_ids(conn, &topic_ids)?;
    let mut out = Vec::with_capacity(rows.len());
    for n in rows {
        let reference = n.report_id.and_then(|rid| {
            filed
                .iter()
                .find(|(id, _)| *id == rid)
                .map(|(id, at)| reference(*id, at.year()))
        });
        let topic_title = n
            .topic_id
            .and_then(|t| topics.iter().find(|x| x.id == t))
            .map(|t| t.title.clone());
        let (status, topic_status) = if n.topic_id.is_some() {
            (None, n.status.as_deref().and_then(TopicStatus::parse))
        } else {
            (n.status.as_deref().and_then(ReportStatus::parse), None)
        };
        out.push(NotificationDto {
            id: n.id,
            report_id: n.report_id,
            report_reference: reference,
            kind: n.kind,
            status,
            topic_id: n.topic_id,
            topic_title,
            topic_status,
            public_note: n.public_note,
            created_at: n.created_at,
            read: n.read_at.is_some(),
        });
    }
    Ok(out)
}

#[utoipa::path(get, path = "/api/me/notifications", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = [NotificationDto], description = "The 50 newest"), (status = 401, body = Problem)))]
pub async fn list(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    let id = auth.id();
    let rows = db::run(&state.pool, move |conn| load(conn, id, LIMIT)).await?;
    Ok(HttpResponse::Ok().json(rows))
}

#[utoipa::path(post, path = "/api/me/notifications/{id}/read", tag = "me", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn mark_read(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    let (user, id) = (auth.id(), path.into_inner());
    db::run_write(&state.pool, move |conn| {
        use crate::db::schema::notifications;
        use diesel::prelude::*;
        let exists: bool = diesel::select(diesel::dsl::exists(
            notifications::table
                .filter(notifications::id.eq(id))
                .filter(notifications::user_id.eq(user)),
        ))
        .get_result(conn)?;
        if !exists {
            return Err(ApiError::NotFound);
        }
        q::mark_read(conn, user, Some(id), now())?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/api/me/notifications/read-all", tag = "me", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem)))]
pub async fn mark_all_read(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    let user = auth.id();
    db::run_write(&state.pool, move |conn| {
        Ok(q::mark_read(conn, user, None, now())?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
