//! Neighbourhood safety meetings: coordinators organise them, residents of
//! the neighbourhood propose topics, anyone logged in supports topics and
//! RSVPs, coordinators set the agenda and follow-up actions, partners update
//! the actions they own. Every topic change is an event its proposer and
//! supporters see and are notified of.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use chrono::{NaiveDateTime, Utc};
use serde::Deserialize;
use shared::meetings::{
    ActionDto, ActionInput, ActionList, ActionOwner, ActionStatus, ActionUpdateDto,
    ActionUpdateInput, CopyMeetingRequest, FromReportsRequest, MeetingDto, MeetingInput,
    MeetingList, MeetingStatus, MeetingTransition, MeetingUpdate, RsvpRequest, TopicDto,
    TopicEventDto, TopicInput, TopicStatus, TopicSuggestion, TopicTransition, ACTION_MAX_CHARS,
    MINUTES_MAX_CHARS, SUGGESTION_DAYS,
};
use shared::users::Role;
use shared::validation::validate_text;
use shared::{FieldError, Problem};

use crate::auth::AuthUser;
use crate::db::meetings::{
    self as q, ActionRow, MeetingChanges, MeetingRow, NewAction, NewActionUpdate, NewMeeting,
    NewTopic, NewTopicEvent, TopicRow,
};
use crate::db::models::now;
use crate::db::reports::{notify, NewNotification};
use crate::db::{self, schema, write_tx, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::metrics::rollup::{self, Action};
use crate::startup::AppState;

const STAFF: &[Role] = &[Role::Coordinator, Role::Admin];

fn is_staff(auth: &AuthUser) -> bool {
    STAFF.contains(&auth.role())
}

fn meeting_status(row: &MeetingRow) -> MeetingStatus {
    MeetingStatus::parse(&row.status).unwrap_or(MeetingStatus::Planned)
}

fn topic_status(row: &TopicRow) -> TopicStatus {
    TopicStatus::parse(&row.status).unwrap_or(TopicStatus::Proposed)
}

fn neighbourhood_name(conn: &mut DbConnection, id: i32) -> ApiResult<String> {
    use diesel::prelude::*;
    use schema::neighbourhoods;
    Ok(neighbourhoods::table
        .find(id)
        .select(neighbourhoods::name)
        .first::<String>(conn)
        .optional()?
        .unwrap_or_default())
}

fn may_propose(auth: &AuthUser, m: &MeetingRow, at: NaiveDateTime) -> bool {
    auth.role() == Role::Participant
        && auth.user.neighbourhood_id == Some(m.neighbourhood_id)
        && m.status == "planned"
        && at < m.propose_until
}

/// Meetings as `auth` sees them, with counts in one query each.
fn meeting_dtos(
    conn: &mut DbConnection,
    auth: &AuthUser,
    rows: Vec<MeetingRow>,
) -> ApiResult<Vec<MeetingDto>> {
    let ids: Vec<i32> = rows.iter().map(|m| m.id).collect();
    let rsvps = q::rsvp_counts(conn, &ids)?;
    let mine: HashMap<i32, bool> = q::my_rsvps(conn, auth.id(), &ids)?.into_iter().collect();
    let topics: HashMap<i32, i64> = q::topic_counts(conn, &ids)?.into_iter().collect();
    let names: HashMap<i32, String> = crate::db::surveys::neighbourhood_names(conn)?
        .into_iter()
        .collect();
    let count = |id: i32, going: bool| {
        rsvps
            .iter()
            .find(|(m, g, _)| *m == id && *g == going)
            .map(|(_, _, n)| *n)
            .unwrap_or(0)
    };
    let at = now();
    Ok(rows
        .into_iter()
        .map(|m| {
            let status = meeting_status(&m);
            MeetingDto {
                id: m.id,
                neighbourhood_id: m.neighbourhood_id,
                neighbourhood_name: names.get(&m.neighbourhood_id).cloned().unwrap_or_default(),
                title: m.title.clone(),
                starts_at: m.starts_at,
                place: m.place.clone(),
                description: m.description.clone(),
                propose_until: m.propose_until,
                capacity: m.capacity,
                status,
                allowed_transitions: if is_staff(auth) {
                    status.next().to_vec()
                } else {
                    Vec::new()
                },
                minutes: m.minutes.clone(),
                evaluation_survey_id: m.evaluation_survey_id,
                going: count(m.id, true),
                not_going: is_staff(auth).then(|| count(m.id, false)),
                my_rsvp: mine.get(&m.id).copied(),
                can_propose: may_propose(auth, &m, at),
                topic_count: topics.get(&m.id).copied().unwrap_or(0),
            }
        })
        .collect())
}

fn load_meeting(conn: &mut DbConnection, auth: &AuthUser, id: i32) -> ApiResult<MeetingDto> {
    let row = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
    Ok(meeting_dtos(conn, auth, vec![row])?.remove(0))
}

fn action_dtos(
    conn: &mut DbConnection,
    rows: Vec<ActionRow>,
    topics: &[TopicRow],
) -> ApiResult<Vec<ActionDto>> {
    let ids: Vec<i32> = rows.iter().map(|a| a.id).collect();
    let updates = q::updates_of(conn, &ids)?;
    let today = Utc::now().date_naive();
    Ok(rows
        .into_iter()
        .map(|a| {
            let status = ActionStatus::parse(&a.status).unwrap_or(ActionStatus::Open);
            let topic = topics.iter().find(|t| t.id == a.topic_id);
            ActionDto {
                id: a.id,
                topic_id: a.topic_id,
                topic_title: topic.map(|t| t.title.clone()).unwrap_or_default(),
                meeting_id: topic.map(|t| t.meeting_id).unwrap_or_default(),
                description: a.description,
                owner: ActionOwner::parse(&a.owner).unwrap_or(ActionOwner::Municipality),
                due_on: a.due_on,
                status,
                overdue: status != ActionStatus::Done && a.due_on < today,
                updates: updates
                    .iter()
                    .filter(|u| u.action_id == a.id)
                    .map(|u| ActionUpdateDto {
                        at: u.created_at,
                        by: u.actor_role.clone(),
                        status: u.status.as_deref().and_then(ActionStatus::parse),
                        note: u.note.clone(),
                    })
                    .collect(),
            }
        })
        .collect())
}

/// Topics as `auth` sees them; with `details`, their events and actions too.
fn topic_dtos(
    conn: &mut DbConnection,
    auth: &AuthUser,
    rows: Vec<TopicRow>,
    details: bool,
) -> ApiResult<Vec<TopicDto>> {
    let ids: Vec<i32> = rows.iter().map(|t| t.id).collect();
    let supported = q::supported_by(conn, auth.id(), &ids)?;
    let reports: HashMap<i32, i64> = q::report_counts(conn, &ids)?.into_iter().collect();
    let (events, actions) = if details {
        let events = q::events_of(conn, &ids)?;
        let actions = q::actions_of(conn, &ids)?;
        (events, action_dtos(conn, actions, &rows)?)
    } else {
        (Vec::new(), Vec::new())
    };
    let names: HashMap<i32, String> = if is_staff(auth) {
        let proposers: Vec<i32> = rows.iter().filter_map(|t| t.proposer_id).collect();
        crate::db::users::names(conn, &proposers)?
            .into_iter()
            .collect()
    } else {
        HashMap::new()
    };
    Ok(rows
        .into_iter()
        .map(|t| {
            let status = topic_status(&t);
            TopicDto {
                id: t.id,
                meeting_id: t.meeting_id,
                title: t.title.clone(),
                description: t.description.clone(),
                status,
                public_reason: t.public_reason.clone(),
                merged_into: t.merged_into,
                support_count: t.support_count,
                supported_by_me: supported.contains(&t.id),
                mine: t.proposer_id == Some(auth.id()),
                proposer_name: t.proposer_id.and_then(|p| names.get(&p).cloned()),
                report_count: reports.get(&t.id).copied().unwrap_or(0),
                created_at: t.created_at,
                allowed_transitions: if is_staff(auth) {
                    status.next().to_vec()
                } else {
                    Vec::new()
                },
                events: events
                    .iter()
                    .filter(|e| e.topic_id == t.id)
                    .map(|e| TopicEventDto {
                        at: e.created_at,
                        event: e.event.clone(),
                        from_status: e.from_status.as_deref().and_then(TopicStatus::parse),
                        to_status: e.to_status.as_deref().and_then(TopicStatus::parse),
                        note: e.note.clone(),
                        by: e.actor_role.clone(),
                    })
                    .collect(),
                actions: actions
                    .iter()
                    .filter(|a| a.topic_id == t.id)
                    .cloned()
                    .collect(),
            }
        })
        .collect())
}

fn load_topic(conn: &mut DbConnection, auth: &AuthUser, id: i32) -> ApiResult<TopicDto> {
    let row = q::find_topic(conn, id)?.ok_or(ApiError::NotFound)?;
    Ok(topic_dtos(conn, auth, vec![row], true)?.remove(0))
}

fn check_neighbourhood(conn: &mut DbConnection, id: i32) -> ApiResult<()> {
    if neighbourhood_name(conn, id)?.is_empty() {
        return Err(ApiError::field(
            "neighbourhood_id",
            "unknown_neighbourhood",
            "Choose a neighbourhood from the list.",
        ));
    }
    Ok(())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub neighbourhood_id: Option<i32>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

#[utoipa::path(get, path = "/api/meetings", tag = "meetings", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = MeetingList), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<ListQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    let (page, per_page, errors) = super::paging(query.page, query.per_page);
    ApiError::check(errors)?;
    let list = db::run(&state.pool, move |conn| {
        let offset = (page as i64 - 1) * per_page as i64;
        let (rows, total) = q::list(conn, query.neighbourhood_id, offset, per_page as i64)?;
        Ok(MeetingList {
            items: meeting_dtos(conn, &auth, rows)?,
            total,
            page: page as i64,
            per_page: per_page as i64,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(post, path = "/api/meetings", tag = "meetings", security(("bearer" = [])),
    request_body = MeetingInput,
    responses((status = 201, body = MeetingDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<MeetingInput>,
) -> ApiResult<HttpResponse> {
    auth.require(STAFF)?;
    let input = body.into_inner();
    ApiError::check(input.validate(Utc::now()))?;
    let dto = db::run_write(&state.pool, move |conn| {
        check_neighbourhood(conn, input.neighbourhood_id)?;
        let at = now();
        let id = q::insert(
            conn,
            &NewMeeting {
                neighbourhood_id: input.neighbourhood_id,
                title: input.title.trim(),
                starts_at: input.starts_at.naive_utc(),
                place: input.place.trim(),
                description: input.description.trim(),
                propose_until: input.propose_until.naive_utc(),
                capacity: input.capacity,
                status: "planned",
                copied_from: None,
                created_by: Some(auth.id()),
                created_at: at,
                updated_at: at,
            },
        )?;
        load_meeting(conn, &auth, id)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/meetings/{}", dto.id)))
        .json(dto))
}

#[utoipa::path(get, path = "/api/meetings/{id}", tag = "meetings", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = MeetingDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let dto = db::run(&state.pool, move |conn| load_meeting(conn, &auth, id)).await?;
    Ok(HttpResponse::Ok().json(dto))
}

#[utoipa::path(patch, path = "/api/meetings/{id}", tag = "meetings", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = MeetingUpdate,
    responses((status = 200, body = MeetingDto), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Minutes or an evaluation before the meeting was held"),
        (status = 422, body = Problem)))]
pub async fn update(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<MeetingUpdate>,
) -> ApiResult<HttpResponse> {
    auth.require(STAFF)?;
    let id = path.into_inner();
    let u = body.into_inner();
    let dto = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| -> ApiResult<()> {
            use diesel::prelude::*;
            let m = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
            let mut errors = Vec::new();
            let mut text = |field: &str, v: &Option<String>, min: usize, max: usize| {
                v.as_deref()
                    .and_then(|t| match validate_text(field, t, min, max) {
                        Ok(t) => Some(t),
                        Err(e) => {
                            errors.push(e);
                            None
                        }
                    })
            };
            let changes = MeetingChanges {
                title: text("title", &u.title, 3, shared::meetings::TITLE_MAX_CHARS),
                place: text("place", &u.place, 2, shared::meetings::PLACE_MAX_CHARS),
                description: text(
                    "description",
                    &u.description,
                    0,
                    shared::meetings::DESCRIPTION_MAX_CHARS,
                ),
                minutes: text("minutes", &u.minutes, 1, MINUTES_MAX_CHARS),
                starts_at: u.starts_at.map(|t| t.naive_utc()),
                propose_until: u.propose_until.map(|t| t.naive_utc()),
                capacity: u.capacity,
                evaluation_survey_id: u.evaluation_survey_id,
                updated_at: Some(now()),
            };
            if u.capacity.is_some_and(|c| !(1..=10_000).contains(&c)) {
                errors.push(FieldError::new(
                    "capacity",
                    "out_of_range",
                    "Allow 1 to 10000 people.",
                ));
            }
            let starts = changes.starts_at.unwrap_or(m.starts_at);
            if changes.propose_until.unwrap_or(m.propose_until) > starts {
                errors.push(FieldError::new(
                    "propose_until",
                    "after_start",
                    "Proposing must close before the meeting starts.",
                ));
            }
            if let Some(s) = u.evaluation_survey_id {
                if crate::db::surveys::find(conn, s)?.is_none() {
                    errors.push(FieldError::new(
                        "evaluation_survey_id",
                        "unknown",
                        "Choose an existing survey.",
                    ));
                }
            }
            ApiError::check(errors)?;
            let held = matches!(
                meeting_status(&m),
                MeetingStatus::Held | MeetingStatus::Evaluated
            );
            if (u.minutes.is_some() || u.evaluation_survey_id.is_some()) && !held {
                return Err(ApiError::conflict(
                    "Minutes and an evaluation survey come after the meeting was held.",
                ));
            }
            diesel::update(schema::meetings::table.find(id))
                .set(&changes)
                .execute(conn)?;
            Ok(())
        })?;
        load_meeting(conn, &auth, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(dto))
}

#[utoipa::path(post, path = "/api/meetings/{id}/transitions", tag = "meetings", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = MeetingTransition,
    responses((status = 200, body = MeetingDto), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Not allowed from the current status; names the allowed ones")))]
pub async fn transition(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<MeetingTransition>,
) -> ApiResult<HttpResponse> {
    auth.require(STAFF)?;
    let id = path.into_inner();
    let to = body.into_inner().to;
    let dto = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| -> ApiResult<()> {
            use diesel::prelude::*;
            use schema::meetings;
            let m = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
            let from = meeting_status(&m);
            if !from.next().contains(&to) {
                let allowed: Vec<&str> = from.next().iter().map(|s| s.as_str()).collect();
                return Err(ApiError::invalid_transition(
                    "meeting",
                    from.as_str(),
                    to.as_str(),
                    &allowed,
                ));
            }
            diesel::update(
                meetings::table
                    .find(id)
                    .filter(meetings::status.eq(from.as_str())),
            )
            .set((
                meetings::status.eq(to.as_str()),
                meetings::updated_at.eq(now()),
            ))
            .execute(conn)?;
            Ok(())
        })?;
        load_meeting(conn, &auth, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(dto))
}

#[utoipa::path(post, path = "/api/meetings/{id}/copy", tag = "meetings", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = CopyMeetingRequest,
    responses((status = 201, body = MeetingDto, description = "A new planned meeting in the same format"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn copy(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<CopyMeetingRequest>,
) -> ApiResult<HttpResponse> {
    auth.require(STAFF)?;
    let source_id = path.into_inner();
    let input = body.into_inner();
    ApiError::check(input.validate(Utc::now()))?;
    let dto = db::run_write(&state.pool, move |conn| {
        let source = q::find(conn, source_id)?.ok_or(ApiError::NotFound)?;
        check_neighbourhood(conn, input.neighbourhood_id)?;
        let at = now();
        let id = q::insert(
            conn,
            &NewMeeting {
                neighbourhood_id: input.neighbourhood_id,
                title: &source.title,
                starts_at: input.starts_at.naive_utc(),
                place: &source.place,
                description: &source.description,
                propose_until: input.propose_until.naive_utc(),
                capacity: source.capacity,
                status: "planned",
                copied_from: Some(source_id),
                created_by: Some(auth.id()),
                created_at: at,
                updated_at: at,
            },
        )?;
        load_meeting(conn, &auth, id)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/meetings/{}", dto.id)))
        .json(dto))
}

#[utoipa::path(put, path = "/api/meetings/{id}/rsvp", tag = "meetings", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = RsvpRequest,
    responses((status = 200, body = MeetingDto), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Full, cancelled or already held")))]
pub async fn rsvp(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<RsvpRequest>,
) -> ApiResult<HttpResponse> {
    auth.require(&[Role::Participant])?;
    let id = path.into_inner();
    let going = body.into_inner().going;
    let dto = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| -> ApiResult<()> {
            let m = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
            if !matches!(
                meeting_status(&m),
                MeetingStatus::Planned | MeetingStatus::AgendaSet
            ) {
                return Err(ApiError::conflict(
                    "This meeting is cancelled or already held.",
                ));
            }
            let already = q::my_rsvps(conn, auth.id(), &[id])?
                .first()
                .is_some_and(|(_, g)| *g);
            if going && !already && q::going_count(conn, id)? >= m.capacity as i64 {
                return Err(ApiError::conflict("This meeting is full."));
            }
            let at = now();
            q::set_rsvp(conn, id, auth.id(), going, at)?;
            if going != already {
                let who = rollup::Actor::of(&auth.user);
                rollup::meeting_count(
                    &mut rollup::Db(conn),
                    rollup::RSVPS,
                    &who.group,
                    m.neighbourhood_id,
                    m.starts_at.date(),
                    if going { 1 } else { -1 },
                )?;
                if going {
                    rollup::record_action(conn, &who, Action::Rsvp, at)?;
                }
            }
            Ok(())
        })?;
        load_meeting(conn, &auth, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(dto))
}

/// Text for an iCalendar property: backslash, semicolon, comma and newlines
/// escaped, lines folded at 75 octets.
fn ics_text(name: &str, value: &str) -> String {
    let escaped = value
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n");
    let line = format!("{name}:{escaped}");
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

#[utoipa::path(get, path = "/api/meetings/{id}/ics", tag = "meetings", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = Problem)))]
pub async fn ics(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let host = state
        .config
        .public_url
        .split("://")
        .nth(1)
        .unwrap_or("wijkveilig")
        .trim_end_matches('/')
        .to_owned();
    let url = format!(
        "{}/meetings/{id}",
        state.config.public_url.trim_end_matches('/')
    );
    let body = db::run(&state.pool, move |conn| {
        let m = load_meeting(conn, &auth, id)?;
        let stamp = |t: NaiveDateTime| t.format("%Y%m%dT%H%M%SZ").to_string();
        // Two hours unless the coordinator says otherwise in the description.
        let end = m.starts_at + chrono::Duration::hours(2);
        let mut out = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Wijkveilig//Meetings//NL\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\n");
        out.push_str(&format!("UID:meeting-{id}@{host}\r\n"));
        out.push_str(&format!("DTSTAMP:{}\r\n", stamp(now())));
        out.push_str(&format!("DTSTART:{}\r\n", stamp(m.starts_at)));
        out.push_str(&format!("DTEND:{}\r\n", stamp(end)));
        out.push_str(&ics_text("SUMMARY", &m.title));
        out.push_str(&ics_text("LOCATION", &m.place));
        out.push_str(&ics_text("DESCRIPTION", &m.description));
        out.push_str(&ics_text("URL", &url));
        if m.status == MeetingStatus::Cancelled {
            out.push_str("STATUS:CANCELLED\r\n");
        }
        out.push_str("END:VEVENT\r\nEND:VCALENDAR\r\n");
        Ok(out)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"meeting-{id}.ics\""),
        ))
        .body(body))
}

#[utoipa::path(get, path = "/api/meetings/{id}/topics", tag = "meetings", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = [TopicDto], description = "By support, most first"), (status = 404, body = Problem)))]
pub async fn topics(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let list = db::run(&state.pool, move |conn| {
        q::find(conn, id)?.ok_or(ApiError::NotFound)?;
        let rows = q::topics_of(conn, id)?;
        topic_dtos(conn, &auth, rows, true)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

fn add_event(
    conn: &mut DbConnection,
    auth: &AuthUser,
    topic_id: i32,
    event: &str,
    from: Option<TopicStatus>,
    to: Option<TopicStatus>,
    note: Option<&str>,
) -> ApiResult<()> {
    q::insert_event(
        conn,
        &NewTopicEvent {
            topic_id,
            actor_id: Some(auth.id()),
            actor_role: auth.role().as_str(),
            event,
            from_status: from.map(|s| s.as_str()),
            to_status: to.map(|s| s.as_str()),
            note,
            created_at: now(),
        },
    )?;
    Ok(())
}

#[utoipa::path(post, path = "/api/meetings/{id}/topics", tag = "meetings", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = TopicInput,
    responses((status = 201, body = TopicDto), (status = 403, body = Problem, description = "Not living in the meeting's neighbourhood"),
        (status = 404, body = Problem), (status = 409, body = Problem, description = "The deadline for proposing has passed"),
        (status = 422, body = Problem)))]
pub async fn propose(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<TopicInput>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let input = body.into_inner();
    let dto = db::run_write(&state.pool, move |conn| {
        let m = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
        if auth.role() != Role::Participant
            || auth.user.neighbourhood_id != Some(m.neighbourhood_id)
        {
            return Err(ApiError::Forbidden);
        }
        let at = now();
        if m.status != "planned" || at >= m.propose_until {
            return Err(ApiError::conflict(
                "The deadline for proposing topics for this meeting has passed.",
            ));
        }
        ApiError::check(input.validate())?;
        let topic_id = write_tx(conn, |conn| -> ApiResult<i32> {
            let topic_id = q::insert_topic(
                conn,
                &NewTopic {
                    meeting_id: id,
                    proposer_id: Some(auth.id()),
                    title: input.title.trim(),
                    description: input.description.trim(),
                    status: "proposed",
                    support_count: 0,
                    created_at: at,
                    updated_at: at,
                },
            )?;
            add_event(
                conn,
                &auth,
                topic_id,
                "proposed",
                None,
                Some(TopicStatus::Proposed),
                None,
            )?;
            let who = rollup::Actor::of(&auth.user);
            rollup::meeting_count(
                &mut rollup::Db(conn),
                rollup::TOPICS,
                &who.group,
                m.neighbourhood_id,
                m.starts_at.date(),
                1,
            )?;
            rollup::record_action(conn, &who, Action::Topic, at)?;
            Ok(topic_id)
        })?;
        load_topic(conn, &auth, topic_id)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/topics/{}", dto.id)))
        .json(dto))
}

#[utoipa::path(get, path = "/api/meetings/{id}/suggestions", tag = "meetings", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = [TopicSuggestion], description = "Report categories of the last 90 days in the neighbourhood, most first; counts under 5 suppressed"),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn suggestions(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    auth.require(STAFF)?;
    let id = path.into_inner();
    let list = db::run(&state.pool, move |conn| {
        use diesel::prelude::*;
        use schema::{report_categories as c, reports as r};
        let m = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
        let since = now() - chrono::Duration::days(SUGGESTION_DAYS);
        let counts: Vec<(i32, i64)> = r::table
            .filter(r::neighbourhood_id.eq(m.neighbourhood_id))
            .filter(r::created_at.ge(since))
            .group_by(r::category_id)
            .select((r::category_id, diesel::dsl::count_star()))
            .load(conn)?;
        let cats: Vec<(i32, String, String, String)> = c::table
            .select((c::id, c::code, c::name_nl, c::name_en))
            .load(conn)?;
        let mut out: Vec<TopicSuggestion> = counts
            .into_iter()
            .filter_map(|(cat, n)| {
                cats.iter().find(|x| x.0 == cat).map(|x| TopicSuggestion {
                    category_id: cat,
                    code: x.1.clone(),
                    name_nl: x.2.clone(),
                    name_en: x.3.clone(),
                    count: Some(n),
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(a.category_id.cmp(&b.category_id))
        });
        for s in &mut out {
            if s.count.is_some_and(|n| n < shared::surveys::SUPPRESS_BELOW) {
                s.count = None;
            }
        }
        Ok(out)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(post, path = "/api/meetings/{id}/topics/from-reports", tag = "meetings", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = FromReportsRequest,
    responses((status = 201, body = TopicDto, description = "A topic linked to the category's reports of the last 90 days"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn from_reports(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<FromReportsRequest>,
) -> ApiResult<HttpResponse> {
    auth.require(STAFF)?;
    let id = path.into_inner();
    let category_id = body.into_inner().category_id;
    let dto = db::run_write(&state.pool, move |conn| {
        use diesel::prelude::*;
        use schema::{report_categories as c, reports as r};
        let m = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
        let (name_nl, name_en): (String, String) = c::table
            .find(category_id)
            .select((c::name_nl, c::name_en))
            .first(conn)
            .optional()?
            .ok_or_else(|| {
                ApiError::field("category_id", "unknown_category", "Choose a category from the list.")
            })?;
        let since = now() - chrono::Duration::days(SUGGESTION_DAYS);
        let report_ids: Vec<i32> = r::table
            .filter(r::neighbourhood_id.eq(m.neighbourhood_id))
            .filter(r::category_id.eq(category_id))
            .filter(r::created_at.ge(since))
            .select(r::id)
            .load(conn)?;
        if report_ids.is_empty() {
            return Err(ApiError::field(
                "category_id",
                "no_reports",
                "There are no recent reports of this kind in the neighbourhood.",
            ));
        }
        let at = now();
        let title = format!("{name_nl} / {name_en}");
        let description = format!(
            "{} meldingen in de afgelopen {SUGGESTION_DAYS} dagen. / {} reports in the last {SUGGESTION_DAYS} days.",
            report_ids.len(),
            report_ids.len()
        );
        let topic_id = write_tx(conn, |conn| -> ApiResult<i32> {
            let topic_id = q::insert_topic(
                conn,
                &NewTopic {
                    meeting_id: id,
                    proposer_id: None,
                    title: &title,
                    description: &description,
                    status: "proposed",
                    support_count: 0,
                    created_at: at,
                    updated_at: at,
                },
            )?;
            q::link_reports(conn, topic_id, &report_ids)?;
            rollup::meeting_count(
                &mut rollup::Db(conn),
                rollup::TOPICS,
                "",
                m.neighbourhood_id,
                m.starts_at.date(),
                1,
            )?;
            add_event(conn, &auth, topic_id, "from_reports", None, Some(TopicStatus::Proposed), None)?;
            Ok(topic_id)
        })?;
        load_topic(conn, &auth, topic_id)
    })
    .await?;
    Ok(HttpResponse::Created().json(dto))
}

#[utoipa::path(get, path = "/api/topics/{id}", tag = "meetings", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = TopicDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_topic(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let dto = db::run(&state.pool, move |conn| load_topic(conn, &auth, id)).await?;
    Ok(HttpResponse::Ok().json(dto))
}

#[utoipa::path(patch, path = "/api/topics/{id}", tag = "meetings", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = TopicInput,
    responses((status = 200, body = TopicDto), (status = 403, body = Problem, description = "Someone else's topic"),
        (status = 404, body = Problem), (status = 409, body = Problem, description = "No longer open for changes"),
        (status = 422, body = Problem)))]
pub async fn edit_topic(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<TopicInput>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let input = body.into_inner();
    let dto = db::run_write(&state.pool, move |conn| {
        let t = q::find_topic(conn, id)?.ok_or(ApiError::NotFound)?;
        if t.proposer_id != Some(auth.id()) {
            return Err(ApiError::Forbidden);
        }
        let m = q::find(conn, t.meeting_id)?.ok_or(ApiError::NotFound)?;
        if t.status != "proposed" || now() >= m.propose_until {
            return Err(ApiError::conflict(
                "This topic can no longer be changed: the deadline passed or it is on the agenda.",
            ));
        }
        ApiError::check(input.validate())?;
        write_tx(conn, |conn| -> ApiResult<()> {
            use diesel::prelude::*;
            use schema::topics;
            diesel::update(topics::table.find(id))
                .set((
                    topics::title.eq(input.title.trim()),
                    topics::description.eq(input.description.trim()),
                    topics::updated_at.eq(now()),
                ))
                .execute(conn)?;
            add_event(conn, &auth, id, "edited", None, None, None)
        })?;
        load_topic(conn, &auth, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(dto))
}

async fn set_support(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: i32,
    on: bool,
) -> ApiResult<HttpResponse> {
    // Support is the residents' voice: staff and partners would skew the counts.
    auth.require(&[Role::Participant])?;
    let dto = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| -> ApiResult<()> {
            let t = q::find_topic(conn, id)?.ok_or(ApiError::NotFound)?;
            if on
                && !matches!(
                    topic_status(&t),
                    TopicStatus::Proposed | TopicStatus::OnAgenda
                )
            {
                return Err(ApiError::conflict(
                    "Only proposed topics and topics on the agenda can be supported.",
                ));
            }
            let at = now();
            if !q::set_support(conn, id, auth.id(), on, at)? {
                return Err(ApiError::conflict(if on {
                    "You support this topic already."
                } else {
                    "You do not support this topic."
                }));
            }
            let m = q::find(conn, t.meeting_id)?.ok_or(ApiError::NotFound)?;
            let who = rollup::Actor::of(&auth.user);
            rollup::meeting_count(
                &mut rollup::Db(conn),
                rollup::SUPPORTS,
                &who.group,
                m.neighbourhood_id,
                m.starts_at.date(),
                if on { 1 } else { -1 },
            )?;
            if on {
                rollup::record_action(conn, &who, Action::Topic, at)?;
            }
            Ok(())
        })?;
        load_topic(conn, &auth, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(dto))
}

#[utoipa::path(post, path = "/api/topics/{id}/support", tag = "meetings", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = TopicDto), (status = 403, body = Problem, description = "Not a participant"),
        (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Supported already, or the topic is closed")))]
pub async fn support(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    set_support(state, auth, path.into_inner(), true).await
}

#[utoipa::path(delete, path = "/api/topics/{id}/support", tag = "meetings", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = TopicDto), (status = 403, body = Problem, description = "Not a participant"),
        (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Not supported")))]
pub async fn withdraw_support(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    set_support(state, auth, path.into_inner(), false).await
}

/// Tells the proposer and every supporter (except whoever acted) about a change.
fn notify_followers(
    conn: &mut DbConnection,
    auth: &AuthUser,
    topic: &TopicRow,
    status: TopicStatus,
    note: Option<&str>,
) -> ApiResult<()> {
    let at = now();
    for user_id in q::followers(conn, topic)? {
        if user_id == auth.id() {
            continue;
        }
        notify(
            conn,
            &NewNotification {
                user_id,
                report_id: None,
                topic_id: Some(topic.id),
                kind: "topic_status",
                status: Some(status.as_str()),
                public_note: note,
                created_at: at,
            },
        )?;
    }
    Ok(())
}

#[utoipa::path(post, path = "/api/topics/{id}/transitions", tag = "meetings", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = TopicTransition,
    responses((status = 200, body = TopicDto), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Not allowed from the current status; names the allowed ones"),
        (status = 422, body = Problem, description = "Declining needs a reason, merging a topic to merge into")))]
pub async fn transition_topic(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<TopicTransition>,
) -> ApiResult<HttpResponse> {
    auth.require(STAFF)?;
    let id = path.into_inner();
    let body = body.into_inner();
    let dto = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| -> ApiResult<()> {
            use diesel::prelude::*;
            use schema::topics;
            let t = q::find_topic(conn, id)?.ok_or(ApiError::NotFound)?;
            let from = topic_status(&t);
            if !from.next().contains(&body.to) {
                let allowed: Vec<&str> = from.next().iter().map(|s| s.as_str()).collect();
                return Err(ApiError::invalid_transition(
                    "topic",
                    from.as_str(),
                    body.to.as_str(),
                    &allowed,
                ));
            }
            let reason = match body
                .reason
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
            {
                Some(r) => Some(
                    validate_text("reason", r, 3, ACTION_MAX_CHARS)
                        .map_err(|e| ApiError::Validation(vec![e]))?,
                ),
                None if body.to == TopicStatus::Declined => {
                    return Err(ApiError::field(
                        "reason",
                        "required",
                        "Give a public reason for declining.",
                    ))
                }
                None => None,
            };
            let merged_into = if body.to == TopicStatus::Merged {
                let target = body
                    .merged_into
                    .and_then(|m| q::find_topic(conn, m).ok().flatten())
                    .filter(|m| {
                        m.id != id
                            && m.meeting_id == t.meeting_id
                            && !matches!(
                                topic_status(m),
                                TopicStatus::Merged | TopicStatus::Declined
                            )
                    })
                    .ok_or_else(|| {
                        ApiError::field(
                            "merged_into",
                            "unknown_topic",
                            "Choose another open topic of the same meeting.",
                        )
                    })?;
                Some(target.id)
            } else {
                None
            };
            diesel::update(
                topics::table
                    .find(id)
                    .filter(topics::status.eq(from.as_str())),
            )
            .set((
                topics::status.eq(body.to.as_str()),
                topics::merged_into.eq(merged_into.or(t.merged_into)),
                topics::public_reason.eq(reason.clone().or(t.public_reason.clone())),
                topics::updated_at.eq(now()),
            ))
            .execute(conn)?;
            add_event(
                conn,
                &auth,
                id,
                "status",
                Some(from),
                Some(body.to),
                reason.as_deref(),
            )?;
            notify_followers(conn, &auth, &t, body.to, reason.as_deref())?;
            Ok(())
        })?;
        load_topic(conn, &auth, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(dto))
}

#[utoipa::path(post, path = "/api/topics/{id}/actions", tag = "meetings", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = ActionInput,
    responses((status = 201, body = TopicDto), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "The topic is merged or declined"),
        (status = 422, body = Problem)))]
pub async fn add_action(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<ActionInput>,
) -> ApiResult<HttpResponse> {
    auth.require(STAFF)?;
    let id = path.into_inner();
    let input = body.into_inner();
    ApiError::check(input.validate(Utc::now().date_naive()))?;
    let dto = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| -> ApiResult<()> {
            let t = q::find_topic(conn, id)?.ok_or(ApiError::NotFound)?;
            if matches!(
                topic_status(&t),
                TopicStatus::Merged | TopicStatus::Declined
            ) {
                return Err(ApiError::conflict(
                    "A merged or declined topic gets no actions.",
                ));
            }
            let at = now();
            q::insert_action(
                conn,
                &NewAction {
                    topic_id: id,
                    description: input.description.trim(),
                    owner: input.owner.as_str(),
                    due_on: input.due_on,
                    status: "open",
                    created_by: Some(auth.id()),
                    created_at: at,
                    updated_at: at,
                },
            )?;
            add_event(
                conn,
                &auth,
                id,
                "action_added",
                None,
                None,
                Some(input.description.trim()),
            )?;
            notify_followers(
                conn,
                &auth,
                &t,
                topic_status(&t),
                Some(input.description.trim()),
            )
        })?;
        load_topic(conn, &auth, id)
    })
    .await?;
    Ok(HttpResponse::Created().json(dto))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TrackerQuery {
    /// Only actions that are not done.
    pub open: Option<bool>,
    /// Only actions past their due date and not done.
    pub overdue: Option<bool>,
}

#[utoipa::path(get, path = "/api/actions", tag = "meetings", security(("bearer" = [])), params(TrackerQuery),
    responses((status = 200, body = ActionList, description = "Coordinators: all actions; partners: the police's and prosecutor's"),
        (status = 403, body = Problem)))]
pub async fn tracker(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<TrackerQuery>,
) -> ApiResult<HttpResponse> {
    auth.require(&[Role::Coordinator, Role::Admin, Role::Partner])?;
    let query = query.into_inner();
    let list = db::run(&state.pool, move |conn| {
        let owners: &[&str] = if auth.role() == Role::Partner {
            &["police", "prosecutor"]
        } else {
            &[]
        };
        let overdue = query
            .overdue
            .unwrap_or(false)
            .then(|| Utc::now().date_naive());
        let rows = q::tracker(conn, query.open.unwrap_or(false), overdue, owners)?;
        let topic_ids: Vec<i32> = rows.iter().map(|a| a.topic_id).collect();
        let topics = q::topics_by_ids(conn, &topic_ids)?;
        let items = action_dtos(conn, rows, &topics)?;
        Ok(ActionList {
            total: items.len() as i64,
            items,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(post, path = "/api/actions/{id}/updates", tag = "meetings", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = ActionUpdateInput,
    responses((status = 201, body = TopicDto), (status = 403, body = Problem, description = "Partners update only the actions they own"),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_action(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<ActionUpdateInput>,
) -> ApiResult<HttpResponse> {
    auth.require(&[Role::Coordinator, Role::Admin, Role::Partner])?;
    let id = path.into_inner();
    let input = body.into_inner();
    let note = validate_text("note", &input.note, 1, ACTION_MAX_CHARS)
        .map_err(|e| ApiError::Validation(vec![e]))?;
    let dto = db::run_write(&state.pool, move |conn| {
        let topic_id = write_tx(conn, |conn| -> ApiResult<i32> {
            use diesel::prelude::*;
            use schema::follow_up_actions as a;
            let action = q::find_action(conn, id)?.ok_or(ApiError::NotFound)?;
            let owner = ActionOwner::parse(&action.owner).unwrap_or(ActionOwner::Municipality);
            if auth.role() == Role::Partner && !owner.is_partner() {
                return Err(ApiError::Forbidden);
            }
            if let Some(s) = input.status {
                diesel::update(a::table.find(id))
                    .set((a::status.eq(s.as_str()), a::updated_at.eq(now())))
                    .execute(conn)?;
            }
            q::insert_update(
                conn,
                &NewActionUpdate {
                    action_id: id,
                    actor_id: Some(auth.id()),
                    actor_role: auth.role().as_str(),
                    status: input.status.map(|s| s.as_str()),
                    note: &note,
                    created_at: now(),
                },
            )?;
            let t = q::find_topic(conn, action.topic_id)?.ok_or(ApiError::NotFound)?;
            notify_followers(conn, &auth, &t, topic_status(&t), Some(&note))?;
            Ok(action.topic_id)
        })?;
        load_topic(conn, &auth, topic_id)
    })
    .await?;
    Ok(HttpResponse::Created().json(dto))
}

#[utoipa::path(get, path = "/api/me/topics", tag = "meetings", security(("bearer" = [])),
    responses((status = 200, body = [TopicDto], description = "Topics I proposed or support, with their history and actions"),
        (status = 401, body = Problem)))]
pub async fn my_topics(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    let list = db::run(&state.pool, move |conn| {
        let rows = q::topics_of_user(conn, auth.id())?;
        topic_dtos(conn, &auth, rows, true)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[cfg(test)]
mod tests {
    use super::ics_text;

    #[test]
    fn ics_text_escapes_and_folds() {
        assert_eq!(
            ics_text("SUMMARY", "a,b;c\\d\ne"),
            "SUMMARY:a\\,b\\;c\\\\d\\ne\r\n"
        );
        let long = ics_text("DESCRIPTION", &"é".repeat(60));
        assert!(long.split("\r\n").all(|l| l.len() <= 75), "{long}");
        assert_eq!(
            long.replace("\r\n ", ""),
            format!("DESCRIPTION:{}\r\n", "é".repeat(60))
        );
    }
}
