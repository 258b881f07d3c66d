//! Open311 GeoReport v2 (JSON) over the reports. The public feed carries
//! nuisance reports only, without personal data (no description, no address)
//! and with locations rounded to about 100 m; burglary reports never appear.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::reports::{
    parse_reference, reference, CreateReportRequest, Location, ReportKind, ReportStatus,
};

use crate::auth::hash_token;
use crate::db::models::now;
use crate::db::reports::{self as q, CategoryRow, NewEvent, NewReport, ReportRow};
use crate::db::{self, schema, users, write_tx};
use crate::domain::working_days::add_working_days;
use crate::error::ApiError;
use crate::metrics::rollup;
use crate::startup::AppState;

/// Open311's error body: a list of `{code, description}`.
#[derive(Debug, Serialize)]
struct Open311Error {
    code: u16,
    description: String,
}

fn error(status: u16, description: impl Into<String>) -> HttpResponse {
    let code = actix_web::http::StatusCode::from_u16(status)
        .unwrap_or(actix_web::http::StatusCode::BAD_REQUEST);
    HttpResponse::build(code).json(vec![Open311Error {
        code: status,
        description: description.into(),
    }])
}

/// An Open311 error answer, usable with `?`.
#[derive(Debug, thiserror::Error)]
#[error("open311 {0}: {1}")]
pub struct Failure(u16, String);

impl actix_web::ResponseError for Failure {
    fn status_code(&self) -> actix_web::http::StatusCode {
        actix_web::http::StatusCode::from_u16(self.0)
            .unwrap_or(actix_web::http::StatusCode::BAD_REQUEST)
    }

    fn error_response(&self) -> HttpResponse {
        error(self.0, self.1.clone())
    }
}

fn fail(status: u16, description: impl Into<String>) -> Failure {
    Failure(status, description.into())
}

fn internal(e: impl std::fmt::Display) -> Failure {
    tracing::error!(error = %e, "open311 failure");
    fail(500, "Internal error")
}

type Answer = Result<HttpResponse, Failure>;

route_table! {
    /// Every `(method, path)` under `/open311/v2`.
    ROUTES,
    routes;
    "/discovery.json" { get => discovery },
    "/services.json" { get => services },
    "/services/{file}" { get => service_definition },
    "/requests.json" { get => list_requests, post => create_request },
    "/requests/{file}" { get => get_request },
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    routes(cfg);
    cfg.default_service(web::to(|| async { error(404, "Not found") }));
}

async fn discovery(state: web::Data<AppState>) -> HttpResponse {
    let url = format!("{}/open311/v2", state.config.public_url);
    HttpResponse::Ok().json(serde_json::json!({
        "changeset": "2026-11-25T00:00:00Z",
        "contact": "Gemeente Groningen, Wijkveilig",
        "key_service": "API keys are issued by the municipality's administrators.",
        "endpoints": [{
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": url,
            "changeset": "2026-11-25T00:00:00Z",
            "type": "production",
            "formats": ["application/json"]
        }]
    }))
}

fn nuisance_categories(rows: Vec<CategoryRow>) -> Vec<CategoryRow> {
    rows.into_iter()
        .filter(|c| c.kind == ReportKind::Nuisance.as_str())
        .collect()
}

async fn load_categories(state: &AppState) -> Result<Vec<CategoryRow>, Failure> {
    db::run(&state.pool, |conn| Ok(q::categories(conn)?))
        .await
        .map(nuisance_categories)
        .map_err(internal)
}

async fn services(state: web::Data<AppState>) -> Answer {
    let cats = load_categories(&state).await?;
    Ok(HttpResponse::Ok().json(
        cats.iter()
            .map(|c| {
                serde_json::json!({
                    "service_code": c.code,
                    "service_name": c.name_nl,
                    "description": c.name_en,
                    "metadata": true,
                    "type": "realtime",
                    "keywords": "overlast,nuisance",
                    "group": "overlast",
                })
            })
            .collect::<Vec<_>>(),
    ))
}

async fn service_definition(state: web::Data<AppState>, path: web::Path<String>) -> Answer {
    let code = path
        .strip_suffix(".json")
        .map(str::to_owned)
        .ok_or_else(|| fail(404, "Not found"))?;
    let cats = load_categories(&state).await?;
    if !cats.iter().any(|c| c.code == code) {
        return Err(fail(404, format!("No service {code}")));
    }
    let hoods = db::run(&state.pool, |conn| Ok(users::list_neighbourhoods(conn)?))
        .await
        .map_err(internal)?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "service_code": code,
        "attributes": [{
            "variable": true,
            "code": "neighbourhood_id",
            "datatype": "singlevaluelist",
            "required": true,
            "datatype_description": "The neighbourhood (wijk) where it happened",
            "order": 1,
            "description": "Wijk",
            "values": hoods.iter().map(|h| serde_json::json!({"key": h.id.to_string(), "name": h.name})).collect::<Vec<_>>(),
        }]
    })))
}

/// Rounds to three decimals: about 110 m north-south, 70 m east-west here.
fn coarse(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

fn rfc3339(t: NaiveDateTime) -> String {
    DateTime::<Utc>::from_naive_utc_and_offset(t, Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn open_or_closed(status: &str) -> &'static str {
    match ReportStatus::parse(status) {
        Some(s) if s.is_open() => "open",
        _ => "closed",
    }
}

fn request_json(
    r: &ReportRow,
    cat: Option<&CategoryRow>,
    notes: Option<String>,
) -> serde_json::Value {
    serde_json::json!({
        "service_request_id": reference(r.id, r.created_at.year()),
        "status": open_or_closed(&r.status),
        "status_notes": notes,
        "service_name": cat.map(|c| c.name_nl.clone()),
        "service_code": cat.map(|c| c.code.clone()),
        "requested_datetime": rfc3339(r.created_at),
        "updated_datetime": rfc3339(r.updated_at),
        "expected_datetime": rfc3339(r.due_at),
        "lat": r.lat.map(coarse),
        "long": r.lon.map(coarse),
    })
}

#[derive(Debug, Deserialize)]
struct ListParams {
    service_request_id: Option<String>,
    service_code: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    status: Option<String>,
    jurisdiction_id: Option<String>,
}

fn parse_time(field: &str, v: &Option<String>) -> Result<Option<NaiveDateTime>, Failure> {
    match v {
        None => Ok(None),
        Some(s) => DateTime::parse_from_rfc3339(s)
            .map(|t| Some(t.with_timezone(&Utc).naive_utc()))
            .map_err(|_| {
                fail(
                    400,
                    format!("{field} must be a W3C date-time such as 2026-11-01T00:00:00Z"),
                )
            }),
    }
}

const MAX_RESULTS: i64 = 1000;

async fn list_requests(state: web::Data<AppState>, params: web::Query<ListParams>) -> Answer {
    let p = params.into_inner();
    let _ = &p.jurisdiction_id;
    let start = parse_time("start_date", &p.start_date)?;
    let end = parse_time("end_date", &p.end_date)?;
    let statuses: Vec<String> = match p.status.as_deref() {
        None => Vec::new(),
        Some("open") => ["submitted", "triaged", "forwarded", "reopened"]
            .map(String::from)
            .to_vec(),
        Some("closed") => ["resolved", "rejected", "closed"]
            .map(String::from)
            .to_vec(),
        Some(_) => return Err(fail(400, "status must be open or closed")),
    };
    let ids: Option<Vec<i32>> = match &p.service_request_id {
        Some(list) => Some(
            list.split(',')
                .map(|r| parse_reference(r.trim()))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    fail(
                        400,
                        "service_request_id must be references such as WV-2026-000123",
                    )
                })?,
        ),
        None => None,
    };
    let cats = load_categories(&state).await?;
    let category_id = match &p.service_code {
        Some(code) => Some(
            cats.iter()
                .find(|c| &c.code == code)
                .ok_or_else(|| fail(404, format!("No service {code}")))?
                .id,
        ),
        None => None,
    };
    // Without dates: the last 90 days, as the specification suggests.
    let start = start
        .or_else(|| (end.is_none() && ids.is_none()).then(|| now() - chrono::Duration::days(90)));
    let rows = db::run(&state.pool, move |conn| {
        use diesel::prelude::*;
        use schema::reports;
        let mut query = reports::table
            .filter(reports::kind.eq(ReportKind::Nuisance.as_str()))
            .into_boxed();
        if let Some(ids) = ids {
            query = query.filter(reports::id.eq_any(ids));
        }
        if let Some(c) = category_id {
            query = query.filter(reports::category_id.eq(c));
        }
        if let Some(s) = start {
            query = query.filter(reports::created_at.ge(s));
        }
        if let Some(e) = end {
            query = query.filter(reports::created_at.le(e));
        }
        if !statuses.is_empty() {
            query = query.filter(reports::status.eq_any(statuses));
        }
        let rows: Vec<ReportRow> = query
            .order((reports::created_at.desc(), reports::id.desc()))
            .limit(MAX_RESULTS)
            .select(ReportRow::as_select())
            .load(conn)?;
        let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
        let mut notes = q::last_public_notes(conn, &ids)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let n = notes.remove(&r.id);
                (r, n)
            })
            .collect::<Vec<_>>())
    })
    .await
    .map_err(internal)?;
    Ok(HttpResponse::Ok().json(
        rows.iter()
            .map(|(r, notes)| {
                request_json(
                    r,
                    cats.iter().find(|c| c.id == r.category_id),
                    notes.clone(),
                )
            })
            .collect::<Vec<_>>(),
    ))
}

async fn get_request(state: web::Data<AppState>, path: web::Path<String>) -> Answer {
    let id = path
        .strip_suffix(".json")
        .and_then(parse_reference)
        .ok_or_else(|| fail(404, "Not found"))?;
    let cats = load_categories(&state).await?;
    let found = db::run(&state.pool, move |conn| {
        match q::find(conn, id)?.filter(|r| r.kind == ReportKind::Nuisance.as_str()) {
            Some(r) => {
                let notes = q::last_public_notes(conn, &[r.id])?.remove(&r.id);
                Ok(Some((r, notes)))
            }
            None => Ok(None),
        }
    })
    .await
    .map_err(internal)?;
    match found {
        // The reference must match the filing year too.
        Some((r, notes))
            if reference(r.id, r.created_at.year()) == path.trim_end_matches(".json") =>
        {
            let category = cats.iter().find(|c| c.id == r.category_id);
            Ok(HttpResponse::Ok().json(vec![request_json(&r, category, notes)]))
        }
        _ => Err(fail(404, "No such service request")),
    }
}

/// POST requests.json (form-encoded, as the specification has it).
async fn create_request(
    state: web::Data<AppState>,
    form: web::Form<HashMap<String, String>>,
) -> Answer {
    let form = form.into_inner();
    let key = form
        .get("api_key")
        .filter(|k| !k.is_empty() && k.len() <= 128)
        .ok_or_else(|| fail(403, "api_key is required"))?;
    let key_hash = hash_token(key);
    let key_ok = db::run(&state.pool, move |conn| {
        use diesel::prelude::*;
        use schema::api_keys;
        Ok(diesel::select(diesel::dsl::exists(
            api_keys::table
                .filter(api_keys::key_hash.eq(key_hash))
                .filter(api_keys::revoked_at.is_null()),
        ))
        .get_result::<bool>(conn)?)
    })
    .await
    .map_err(internal)?;
    if !key_ok {
        return Err(fail(403, "api_key is not valid"));
    }
    let get = |k: &str| form.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let code = get("service_code").ok_or_else(|| fail(400, "service_code is required"))?;
    let category = load_categories(&state)
        .await?
        .into_iter()
        .find(|c| c.code == code)
        .ok_or_else(|| fail(404, format!("No service {code}")))?;
    let neighbourhood_id = get("attribute[neighbourhood_id]")
        .and_then(|v| v.parse::<i32>().ok())
        .ok_or_else(|| {
            fail(
                400,
                "attribute[neighbourhood_id] is required (see the service definition)",
            )
        })?;
    let location = match (get("lat"), get("long")) {
        (Some(lat), Some(lon)) => match (lat.parse::<f64>(), lon.parse::<f64>()) {
            (Ok(lat), Ok(lon)) => Some(Location { lat, lon }),
            _ => return Err(fail(400, "lat and long must be numbers")),
        },
        (None, None) => None,
        _ => return Err(fail(400, "lat and long go together")),
    };
    let address = get("address_string").map(str::to_owned);
    if location.is_none() && address.is_none() {
        return Err(fail(400, "Give lat and long, or address_string"));
    }
    let request = CreateReportRequest {
        category_id: category.id,
        description: get("description").unwrap_or("").to_owned(),
        occurred_at: Utc::now(),
        neighbourhood_id,
        location,
        address,
        anonymous_to_partners: true,
        contact_ok: false,
    };
    if let Some(e) = request
        .validate(Utc::now(), &state.config.area)
        .into_iter()
        .next()
    {
        return Err(fail(400, format!("{}: {}", e.field, e.message)));
    }
    let created = db::run_write(&state.pool, move |conn| {
        if !users::neighbourhood_exists(conn, neighbourhood_id)? {
            return Err(ApiError::field(
                "neighbourhood_id",
                "unknown_neighbourhood",
                "unknown",
            ));
        }
        write_tx(conn, |conn| {
            let at = now();
            let report = q::insert(
                conn,
                &NewReport {
                    reporter_id: None,
                    category_id: category.id,
                    kind: &category.kind,
                    neighbourhood_id,
                    description: request.description.trim(),
                    occurred_at: at,
                    lat: request.location.map(|l| l.lat),
                    lon: request.location.map(|l| l.lon),
                    address: request.address.as_deref(),
                    anonymous_to_partners: true,
                    contact_ok: false,
                    status: ReportStatus::Submitted.as_str(),
                    due_at: add_working_days(at, category.triage_days as u32),
                    created_at: at,
                    updated_at: at,
                    reporter_group: None,
                },
            )?;
            q::add_event(
                conn,
                &NewEvent::new(report.id, None, "open311", "created", at)
                    .status(None, ReportStatus::Submitted.as_str()),
            )?;
            rollup::report_filed(
                &mut rollup::Db(conn),
                &rollup::report_facts(&report),
                ReportStatus::Submitted.as_str(),
            )?;
            Ok::<_, ApiError>(report)
        })
    })
    .await;
    match created {
        Ok(r) => Ok(HttpResponse::Created().json(vec![serde_json::json!({
            "service_request_id": reference(r.id, r.created_at.year()),
            "service_notice": "Thank you. The municipality triages reports within the stated working days.",
        })])),
        Err(ApiError::Validation(_)) => Err(fail(400, "attribute[neighbourhood_id] is not a known neighbourhood")),
        Err(e) => Err(internal(e)),
    }
}
