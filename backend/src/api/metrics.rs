//! Dashboards, pilot targets and the council monitor. Coordinators and
//! admins see every count; partners see the same figures with counts under
//! five hidden; the monitor hides them for everyone.

use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use serde::Deserialize;

use crate::auth::{AuthUser, Caller};
use crate::db::models::now;
use crate::db::schema::metric_targets;
use crate::db::{self, write_tx, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::metrics::{self as m, attach_targets, Ctx, Scope};
use crate::startup::AppState;
use shared::metrics::*;
use shared::users::Role;
use shared::{FieldError, Problem};

const VIEWERS: &[Role] = &[Role::Coordinator, Role::Admin, Role::Partner];
const EDITORS: &[Role] = &[Role::Coordinator, Role::Admin];

fn parse_period(p: Option<&str>) -> Result<Period, FieldError> {
    match p {
        None | Some("") => Ok(Period::All),
        Some(s) => Period::parse(s).ok_or_else(|| {
            FieldError::new(
                "period",
                "invalid",
                "Use all, a year (2026), a quarter (2026-Q3) or a month (2026-07).",
            )
        }),
    }
}

fn check_hood(conn: &mut DbConnection, hood: Option<i32>) -> ApiResult<()> {
    if let Some(h) = hood {
        if !crate::db::users::neighbourhood_exists(conn, h)? {
            return Err(ApiError::field(
                "neighbourhood_id",
                "unknown_neighbourhood",
                "Choose a neighbourhood from the list.",
            ));
        }
    }
    Ok(())
}

/// Runs one area's computation with its targets, for the caller's role, in
/// the same trip to the database as the caller's account.
async fn area<T: serde::Serialize + Send + 'static>(
    state: web::Data<AppState>,
    caller: Caller,
    query: MetricsQuery,
    area: MetricArea,
    compute: fn(&mut DbConnection, &Ctx, &Scope) -> QueryResult<T>,
    indicators: fn(&mut T) -> &mut Vec<Indicator>,
) -> ApiResult<HttpResponse> {
    let out = caller
        .run(&state.pool, move |conn, auth| {
            auth.require(VIEWERS)?;
            let period =
                parse_period(query.period.as_deref()).map_err(|e| ApiError::Validation(vec![e]))?;
            let suppress = auth.role() == Role::Partner;
            check_hood(conn, query.neighbourhood_id)?;
            let at = now();
            let ctx = Ctx::load_for(conn, suppress, at, Some(area))?;
            let scope = Scope::new(period, query.group, query.neighbourhood_id, at.date());
            let mut out = compute(conn, &ctx, &scope)?;
            attach_targets(conn, &ctx, area, &scope, indicators(&mut out))?;
            Ok::<_, ApiError>(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[utoipa::path(get, path = "/api/metrics/participation", tag = "metrics", security(("bearer" = [])),
    params(MetricsQuery),
    responses((status = 200, body = ParticipationMetrics), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn participation(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<MetricsQuery>,
) -> ApiResult<HttpResponse> {
    area(
        state,
        caller,
        query.into_inner(),
        MetricArea::Participation,
        m::participation,
        |o| &mut o.indicators,
    )
    .await
}

#[utoipa::path(get, path = "/api/metrics/reports", tag = "metrics", security(("bearer" = [])),
    params(MetricsQuery),
    responses((status = 200, body = ReportMetrics), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn reports(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<MetricsQuery>,
) -> ApiResult<HttpResponse> {
    area(
        state,
        caller,
        query.into_inner(),
        MetricArea::Reports,
        m::reports,
        |o| &mut o.indicators,
    )
    .await
}

#[utoipa::path(get, path = "/api/metrics/surveys", tag = "metrics", security(("bearer" = [])),
    params(MetricsQuery),
    responses((status = 200, body = SurveyMetrics), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn surveys(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<MetricsQuery>,
) -> ApiResult<HttpResponse> {
    area(
        state,
        caller,
        query.into_inner(),
        MetricArea::Surveys,
        m::surveys,
        |o| &mut o.indicators,
    )
    .await
}

#[utoipa::path(get, path = "/api/metrics/meetings", tag = "metrics", security(("bearer" = [])),
    params(MetricsQuery),
    responses((status = 200, body = MeetingMetrics), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn meetings(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<MetricsQuery>,
) -> ApiResult<HttpResponse> {
    area(
        state,
        caller,
        query.into_inner(),
        MetricArea::Meetings,
        m::meetings,
        |o| &mut o.indicators,
    )
    .await
}

#[utoipa::path(get, path = "/api/metrics/targets", tag = "metrics", security(("bearer" = [])),
    responses((status = 200, body = [TargetDto]), (status = 403, body = Problem)))]
pub async fn list_targets(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    auth.require(VIEWERS)?;
    let out = db::run(&state.pool, |conn| Ok::<_, ApiError>(m::targets(conn)?)).await?;
    Ok(HttpResponse::Ok().json(out))
}

#[utoipa::path(post, path = "/api/metrics/targets", tag = "metrics", security(("bearer" = [])),
    request_body = TargetRequest,
    responses((status = 201, body = TargetDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_target(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<TargetRequest>,
) -> ApiResult<HttpResponse> {
    auth.require(EDITORS)?;
    let body = body.into_inner();
    ApiError::check(body.validate(now().date()))?;
    let actor = auth.id();
    let dto = db::run_write(&state.pool, move |conn| {
        check_hood(conn, body.neighbourhood_id)?;
        write_tx(conn, |conn| -> ApiResult<TargetDto> {
            let row: m::TargetRow = diesel::insert_into(metric_targets::table)
                .values((
                    metric_targets::metric.eq(body.metric.as_str()),
                    metric_targets::user_group.eq(body.group.map(|g| g.as_str())),
                    metric_targets::neighbourhood_id.eq(body.neighbourhood_id),
                    metric_targets::value.eq(body.value),
                    metric_targets::due_on.eq(body.due_on),
                    metric_targets::label.eq(body.label.trim()),
                    metric_targets::created_by.eq(actor),
                    metric_targets::created_at.eq(now()),
                ))
                .returning(m::TARGET_COLUMNS)
                .get_result(conn)?;
            m::target_dto(row).ok_or(ApiError::NotFound)
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(dto))
}

#[utoipa::path(delete, path = "/api/metrics/targets/{id}", tag = "metrics", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_target(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    auth.require(EDITORS)?;
    let id = path.into_inner();
    let n = db::run_write(&state.pool, move |conn| {
        Ok::<_, ApiError>(diesel::delete(metric_targets::table.find(id)).execute(conn)?)
    })
    .await?;
    if n == 0 {
        return Err(ApiError::NotFound);
    }
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MonitorQuery {
    /// A year (2026), a quarter (2026-Q3), a month (2026-07) or `all`.
    pub period: String,
    /// `html` (default, printable) or `csv`.
    pub format: Option<String>,
    /// With `sig`: a link from `POST /api/monitor/links`, valid until then (unix seconds).
    pub expires: Option<i64>,
    pub sig: Option<String>,
}

/// A link to the printable monitor lives this long.
const LINK_SECONDS: i64 = 120;

fn link_message(period: &str, expires: i64) -> String {
    format!("monitor:{period}:{expires}")
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitorLinkRequest {
    pub period: String,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MonitorLink {
    /// Opens the printable monitor without a bearer token, for two minutes.
    pub url: String,
}

#[utoipa::path(post, path = "/api/monitor/links", tag = "metrics", security(("bearer" = [])),
    request_body = MonitorLinkRequest,
    responses((status = 200, body = MonitorLink), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn monitor_link(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<MonitorLinkRequest>,
) -> ApiResult<HttpResponse> {
    auth.require(VIEWERS)?;
    let period = parse_period(Some(&body.period)).map_err(|e| ApiError::Validation(vec![e]))?;
    let period = period.as_string();
    let expires = chrono::Utc::now().timestamp() + LINK_SECONDS;
    let sig =
        crate::auth::link_signature(&state.config.jwt_secret, &link_message(&period, expires));
    Ok(HttpResponse::Ok().json(MonitorLink {
        url: format!("/api/monitor?period={period}&expires={expires}&sig={sig}"),
    }))
}

#[utoipa::path(get, path = "/api/monitor", tag = "metrics", security(("bearer" = [])), params(MonitorQuery),
    responses(
        (status = 200, content_type = "text/html", body = String, description = "Printable report; `format=csv` gives CSV"),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn monitor(
    state: web::Data<AppState>,
    auth: Option<AuthUser>,
    query: web::Query<MonitorQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    match (&auth, q.expires, &q.sig) {
        (Some(auth), _, _) => auth.require(VIEWERS)?,
        (None, Some(expires), Some(sig)) => {
            let expected = crate::auth::link_signature(
                &state.config.jwt_secret,
                &link_message(&q.period, expires),
            );
            let same = expected.len() == sig.len()
                && expected
                    .bytes()
                    .zip(sig.bytes())
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0;
            if !same || expires < chrono::Utc::now().timestamp() {
                return Err(ApiError::Unauthorized(
                    "This link has expired; open the monitor again from the dashboard.",
                ));
            }
        }
        (None, _, _) => return Err(ApiError::Unauthorized("Log in to see the monitor.")),
    }
    let mut errors = Vec::new();
    let period = parse_period(Some(&q.period))
        .map_err(|e| errors.push(e))
        .ok();
    let csv = match q.format.as_deref() {
        None | Some("html") => false,
        Some("csv") => true,
        Some(_) => {
            errors.push(FieldError::new("format", "invalid", "Use html or csv."));
            false
        }
    };
    ApiError::check(errors)?;
    let period = period.ok_or(ApiError::NotFound)?;
    let ctx = db::run(&state.pool, |conn| {
        Ok::<_, ApiError>(Ctx::load(conn, true, now())?)
    })
    .await?;
    // This period and the one before on two connections at once.
    let current = {
        let ctx = ctx.clone();
        db::run(&state.pool, move |conn| {
            Ok::<_, ApiError>(m::monitor::areas(conn, &ctx, period)?)
        })
    };
    let before = async {
        match period.previous() {
            Some(prev) => {
                let ctx = ctx.clone();
                db::run(&state.pool, move |conn| {
                    Ok::<_, ApiError>(Some(m::monitor::areas(conn, &ctx, prev)?))
                })
                .await
            }
            None => Ok(None),
        }
    };
    let (current, before) = futures_util::future::join(current, before).await;
    let report = m::monitor::Monitor::new(period, current?, before?);
    let body = if csv { report.csv() } else { report.html() };
    let name = format!("monitor-{}", period.as_string());
    Ok(if csv {
        HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"{name}.csv\""),
            ))
            .body(body)
    } else {
        use base64::Engine;
        use sha2::Digest;
        let style = base64::engine::general_purpose::STANDARD
            .encode(sha2::Sha256::digest(m::monitor::STYLE.as_bytes()));
        HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            // A document of its own: no script at all, only its inline style.
            .insert_header((
                "Content-Security-Policy",
                format!("default-src 'none'; style-src 'sha256-{style}'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
            ))
            .insert_header((
                "Content-Disposition",
                format!("inline; filename=\"{name}.html\""),
            ))
            .body(body)
    })
}
