//! Your own data (export, erasure, consent) and, for admins, the audit log
//! and the retention periods.

use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use serde::Deserialize;
use shared::meetings::TopicStatus;
use shared::privacy::{
    AuditEntryDto, AuditPage, ConsentDto, ConsentRequest, DataExport, DeleteAccountRequest,
    ExportedAnswer, ExportedResponse, ExportedRsvp, ExportedSupport, ExportedTopic,
    RetentionSetting,
};
use shared::surveys::{QuestionKind, QuestionSettings};
use shared::users::{Role, UserDto};
use shared::{FieldError, Problem};

use crate::auth::AuthUser;
use crate::db::models::now;
use crate::db::schema::{
    audit_log, consents, meeting_rsvps, meetings, retention_settings, survey_answers,
    survey_questions, survey_responses, surveys, topic_supports, topics, users,
};
use crate::db::{self, write_tx, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::privacy::{audit, erase_account, AuditEntry};
use crate::startup::AppState;

/// Question text, kind, settings, and the answer's choices, number and text.
type AnswerRow = (
    String,
    String,
    String,
    Option<String>,
    Option<f64>,
    Option<String>,
);

fn answer_text(
    kind: &str,
    config: &str,
    a: (Option<String>, Option<f64>, Option<String>),
) -> String {
    let settings: QuestionSettings = serde_json::from_str(config).unwrap_or_default();
    match (QuestionKind::parse(kind), a) {
        (Some(QuestionKind::SingleChoice | QuestionKind::MultipleChoice), (Some(c), _, _)) => c
            .split(',')
            .filter_map(|i| i.parse::<usize>().ok())
            .filter_map(|i| settings.options.get(i).map(|o| o.nl.clone()))
            .collect::<Vec<_>>()
            .join("; "),
        (_, (_, Some(n), _)) => shared::surveys::fmt_num(n),
        (_, (_, _, Some(t))) => t,
        _ => String::new(),
    }
}

fn export(conn: &mut DbConnection, auth: &AuthUser) -> ApiResult<DataExport> {
    let me = auth.id();
    let consents = consents::table
        .filter(consents::user_id.eq(me))
        .order(consents::accepted_at.asc())
        .select((consents::privacy_version, consents::accepted_at))
        .load::<(String, chrono::NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(privacy_version, accepted_at)| ConsentDto {
            privacy_version,
            accepted_at,
        })
        .collect();
    let report_ids: Vec<i32> = crate::db::schema::reports::table
        .filter(crate::db::schema::reports::reporter_id.eq(me))
        .order(crate::db::schema::reports::id.asc())
        .select(crate::db::schema::reports::id)
        .load(conn)?;
    let photos = {
        use crate::db::schema::report_photos as ph;
        ph::table
            .filter(ph::report_id.eq_any(&report_ids))
            .order((ph::report_id.asc(), ph::id.asc()))
            .select((
                ph::report_id,
                ph::id,
                ph::content_type,
                ph::byte_size,
                ph::width,
                ph::height,
                ph::created_at,
            ))
            .load::<(i32, i32, String, i32, i32, i32, chrono::NaiveDateTime)>(conn)?
            .into_iter()
            .map(
                |(report_id, id, content_type, byte_size, width, height, uploaded_at)| {
                    shared::privacy::ExportedPhoto {
                        report_id,
                        id,
                        content_type,
                        byte_size,
                        width,
                        height,
                        uploaded_at,
                    }
                },
            )
            .collect()
    };
    let reports = report_ids
        .into_iter()
        .map(|id| super::reports::load_detail(conn, auth, id))
        .collect::<ApiResult<Vec<_>>>()?;
    let responses: Vec<(i32, i32, String, chrono::NaiveDateTime)> = survey_responses::table
        .inner_join(surveys::table)
        .filter(survey_responses::respondent_id.eq(me))
        .select((
            survey_responses::id,
            surveys::id,
            surveys::title_nl,
            survey_responses::submitted_at,
        ))
        .load(conn)?;
    let mut survey_responses = Vec::new();
    for (rid, survey_id, survey_title, submitted_at) in responses {
        let rows: Vec<AnswerRow> = survey_answers::table
            .inner_join(survey_questions::table)
            .filter(survey_answers::response_id.eq(rid))
            .order(survey_questions::position.asc())
            .select((
                survey_questions::text_nl,
                survey_questions::kind,
                survey_questions::config,
                survey_answers::choices,
                survey_answers::number,
                survey_answers::text,
            ))
            .load(conn)?;
        survey_responses.push(ExportedResponse {
            survey_id,
            survey_title,
            submitted_at,
            answers: rows
                .into_iter()
                .map(|(question, kind, config, c, n, t)| ExportedAnswer {
                    answer: answer_text(&kind, &config, (c, n, t)),
                    question,
                })
                .collect(),
        });
    }
    let topics_out = topics::table
        .filter(topics::proposer_id.eq(me))
        .order(topics::id.asc())
        .select((
            topics::id,
            topics::meeting_id,
            topics::title,
            topics::description,
            topics::status,
            topics::created_at,
        ))
        .load::<(i32, i32, String, String, String, chrono::NaiveDateTime)>(conn)?
        .into_iter()
        .map(
            |(id, meeting_id, title, description, status, created_at)| ExportedTopic {
                id,
                meeting_id,
                title,
                description,
                status: TopicStatus::parse(&status).unwrap_or(TopicStatus::Proposed),
                created_at,
            },
        )
        .collect();
    let supports = topic_supports::table
        .inner_join(topics::table)
        .filter(topic_supports::user_id.eq(me))
        .select((topics::id, topics::title, topic_supports::created_at))
        .load::<(i32, String, chrono::NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(topic_id, topic_title, created_at)| ExportedSupport {
            topic_id,
            topic_title,
            created_at,
        })
        .collect();
    let rsvps = meeting_rsvps::table
        .inner_join(meetings::table)
        .filter(meeting_rsvps::user_id.eq(me))
        .select((
            meetings::id,
            meetings::title,
            meeting_rsvps::going,
            meeting_rsvps::updated_at,
        ))
        .load::<(i32, String, bool, chrono::NaiveDateTime)>(conn)?
        .into_iter()
        .map(
            |(meeting_id, meeting_title, going, updated_at)| ExportedRsvp {
                meeting_id,
                meeting_title,
                going,
                updated_at,
            },
        )
        .collect();
    let notifications = super::notifications::load(conn, me, i64::from(i32::MAX))?;
    let (campaign, teams, patrols, observations) = team_export(conn, me, auth.user.campaign_id)?;
    Ok(DataExport {
        exported_at: now(),
        account: auth.user.to_dto(),
        consents,
        reports,
        photos,
        survey_responses,
        topics: topics_out,
        supports,
        rsvps,
        notifications,
        campaign,
        teams,
        patrols,
        observations,
    })
}

#[utoipa::path(get, path = "/api/me/export", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = DataExport, description = "Everything the platform holds about me, as a JSON download"),
        (status = 401, body = Problem)))]
pub async fn export_me(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    let data = db::run_write(&state.pool, move |conn| {
        let data = export(conn, &auth)?;
        audit(
            conn,
            AuditEntry {
                actor_id: Some(auth.id()),
                actor_role: auth.role().as_str(),
                action: "data_exported",
                subject: Some(("user", auth.id())),
                detail: None,
            },
            now(),
        )?;
        Ok(data)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"wijkveilig-export.json\"",
        ))
        .insert_header(("Cache-Control", "no-store"))
        .json(data))
}

#[utoipa::path(delete, path = "/api/me", tag = "me", security(("bearer" = [])),
    request_body = DeleteAccountRequest,
    responses((status = 204, description = "The account and its sessions are gone; reports stay without a link"),
        (status = 401, body = Problem), (status = 422, body = Problem, description = "Wrong password (field `password`)")))]
pub async fn delete_me(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<DeleteAccountRequest>,
) -> ApiResult<HttpResponse> {
    let ok = state
        .hasher
        .verify(
            state.hasher.admit()?,
            body.into_inner().password,
            Some(auth.user.password_hash.clone()),
        )
        .await?;
    if !ok {
        return Err(ApiError::field(
            "password",
            "wrong_password",
            "This is not your current password.",
        ));
    }
    let role = auth.role();
    db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| -> ApiResult<()> {
            let counts = erase_account(conn, auth.id())?;
            // No id or name: the entry must not be a trace of the person.
            audit(
                conn,
                AuditEntry {
                    actor_id: None,
                    actor_role: role.as_str(),
                    action: "account_erased",
                    subject: None,
                    detail: serde_json::to_string(&counts).ok(),
                },
                now(),
            )?;
            Ok(())
        })
    })
    .await?;
    let mut response = HttpResponse::NoContent();
    for cookie in crate::auth::session::clear_cookies(&state.config) {
        response.cookie(cookie);
    }
    Ok(response.finish())
}

#[utoipa::path(post, path = "/api/me/consent", tag = "me", security(("bearer" = [])),
    request_body = ConsentRequest,
    responses((status = 200, body = UserDto), (status = 401, body = Problem),
        (status = 422, body = Problem, description = "Not the current privacy statement version")))]
pub async fn consent(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<ConsentRequest>,
) -> ApiResult<HttpResponse> {
    if body.privacy_version != shared::PRIVACY_VERSION {
        return Err(ApiError::field(
            "privacy_version",
            "privacy_not_accepted",
            "Accept the current privacy statement.",
        ));
    }
    let user = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| -> ApiResult<()> {
            let at = now();
            crate::privacy::record_consent(conn, auth.id(), shared::PRIVACY_VERSION, at)?;
            diesel::update(users::table.find(auth.id()))
                .set((
                    users::privacy_version.eq(shared::PRIVACY_VERSION),
                    users::privacy_accepted_at.eq(at),
                ))
                .execute(conn)?;
            Ok(())
        })?;
        crate::db::users::find(conn, auth.id())?.ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(HttpResponse::Ok().json(user.to_dto()))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    pub action: Option<String>,
    pub actor_id: Option<i32>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

#[utoipa::path(get, path = "/api/admin/audit", tag = "admin", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, body = AuditPage, description = "Newest first"), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
pub async fn audit_log_list(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<AuditQuery>,
) -> ApiResult<HttpResponse> {
    auth.require(&[Role::Admin])?;
    let q = query.into_inner();
    let (page, per_page, errors) = super::paging(q.page, q.per_page);
    ApiError::check(errors)?;
    let out = db::run(&state.pool, move |conn| {
        let build = || {
            let mut b = audit_log::table.into_boxed();
            if let Some(a) = &q.action {
                b = b.filter(audit_log::action.eq(a.clone()));
            }
            if let Some(a) = q.actor_id {
                b = b.filter(audit_log::actor_id.eq(a));
            }
            b
        };
        let total = build().count().get_result(conn)?;
        type Row = (
            i32,
            chrono::NaiveDateTime,
            Option<i32>,
            String,
            String,
            Option<String>,
            Option<i32>,
            Option<String>,
        );
        let rows: Vec<Row> = build()
            .order((audit_log::created_at.desc(), audit_log::id.desc()))
            .offset((page as i64 - 1) * per_page as i64)
            .limit(per_page as i64)
            .select((
                audit_log::id,
                audit_log::created_at,
                audit_log::actor_id,
                audit_log::actor_role,
                audit_log::action,
                audit_log::subject_type,
                audit_log::subject_id,
                audit_log::detail,
            ))
            .load(conn)?;
        Ok(AuditPage {
            items: rows
                .into_iter()
                .map(|r| AuditEntryDto {
                    id: r.0,
                    at: r.1,
                    actor_id: r.2,
                    actor_role: r.3,
                    action: r.4,
                    subject_type: r.5,
                    subject_id: r.6,
                    detail: r.7,
                })
                .collect(),
            total,
            page: page as i64,
            per_page: per_page as i64,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[utoipa::path(get, path = "/api/admin/retention", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = [RetentionSetting]), (status = 403, body = Problem)))]
pub async fn retention(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    auth.require(&[Role::Admin])?;
    let list = db::run(&state.pool, |conn| {
        Ok(crate::privacy::retention_days(conn)?
            .into_iter()
            .map(|(kind, days)| RetentionSetting { kind, days })
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(put, path = "/api/admin/retention", tag = "admin", security(("bearer" = [])),
    request_body = [RetentionSetting],
    responses((status = 200, body = [RetentionSetting]), (status = 403, body = Problem),
        (status = 422, body = Problem, description = "Unknown kind or days out of range; nothing changes")))]
pub async fn set_retention(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<Vec<RetentionSetting>>,
) -> ApiResult<HttpResponse> {
    auth.require(&[Role::Admin])?;
    let settings = body.into_inner();
    let list = db::run_write(&state.pool, move |conn| {
        let known: Vec<String> = crate::privacy::retention_days(conn)?
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        let mut errors = Vec::new();
        for (i, s) in settings.iter().enumerate() {
            if !known.contains(&s.kind) {
                errors.push(FieldError::new(
                    &format!("[{i}].kind"),
                    "unknown",
                    "Unknown kind of data.",
                ));
            }
            if !(1..=36_500).contains(&s.days) {
                errors.push(FieldError::new(
                    &format!("[{i}].days"),
                    "out_of_range",
                    "Keep data for 1 to 36500 days.",
                ));
            }
        }
        ApiError::check(errors)?;
        write_tx(conn, |conn| -> ApiResult<()> {
            for s in &settings {
                diesel::update(retention_settings::table.find(&s.kind))
                    .set((
                        retention_settings::days.eq(s.days),
                        retention_settings::updated_at.eq(now()),
                    ))
                    .execute(conn)?;
            }
            audit(
                conn,
                AuditEntry {
                    actor_id: Some(auth.id()),
                    actor_role: auth.role().as_str(),
                    action: "retention_changed",
                    subject: None,
                    detail: serde_json::to_string(
                        &settings
                            .iter()
                            .map(|s| (s.kind.as_str(), s.days))
                            .collect::<Vec<_>>(),
                    )
                    .ok(),
                },
                now(),
            )?;
            Ok(())
        })?;
        Ok(crate::privacy::retention_days(conn)?
            .into_iter()
            .map(|(kind, days)| RetentionSetting { kind, days })
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

type TeamExport = (
    Option<String>,
    Vec<shared::privacy::ExportedMembership>,
    Vec<shared::privacy::ExportedPatrol>,
    Vec<shared::privacy::ExportedObservation>,
);

/// My campaign, team memberships and proposals, patrol sign-ups and observations.
fn team_export(
    conn: &mut DbConnection,
    me: i32,
    campaign_id: Option<i32>,
) -> ApiResult<TeamExport> {
    use crate::db::schema::{
        campaigns, observations, patrol_signups, patrols, team_members, teams,
    };
    use shared::privacy::{ExportedMembership, ExportedObservation, ExportedPatrol};
    let campaign = match campaign_id {
        Some(id) => campaigns::table
            .find(id)
            .select(campaigns::name)
            .first::<String>(conn)
            .optional()?,
        None => None,
    };
    let mut memberships: Vec<ExportedMembership> = team_members::table
        .inner_join(teams::table)
        .filter(team_members::user_id.eq(me))
        .select((
            teams::id,
            teams::name,
            team_members::status,
            team_members::lead,
            team_members::requested_at,
        ))
        .load::<(i32, String, String, bool, chrono::NaiveDateTime)>(conn)?
        .into_iter()
        .map(
            |(team_id, team_name, status, lead, since)| ExportedMembership {
                team_id,
                team_name,
                status,
                lead,
                since,
            },
        )
        .collect();
    let proposed: Vec<(i32, String, String, chrono::NaiveDateTime)> = teams::table
        .filter(teams::proposer_id.eq(me))
        .select((teams::id, teams::name, teams::status, teams::created_at))
        .load(conn)?;
    for (team_id, team_name, status, since) in proposed {
        if !memberships.iter().any(|m| m.team_id == team_id) {
            memberships.push(ExportedMembership {
                team_id,
                team_name,
                status: if status == "approved" {
                    "proposed".into()
                } else {
                    status
                },
                lead: false,
                since,
            });
        }
    }
    let patrol_rows = patrol_signups::table
        .inner_join(patrols::table)
        .filter(patrol_signups::user_id.eq(me))
        .select((
            patrols::id,
            patrols::team_id,
            patrols::starts_at,
            patrols::meeting_point,
            patrol_signups::created_at,
        ))
        .load::<(
            i32,
            i32,
            chrono::NaiveDateTime,
            String,
            chrono::NaiveDateTime,
        )>(conn)?
        .into_iter()
        .map(
            |(patrol_id, team_id, starts_at, meeting_point, signed_up_at)| ExportedPatrol {
                patrol_id,
                team_id,
                starts_at,
                meeting_point,
                signed_up_at,
            },
        )
        .collect();
    let observation_rows = observations::table
        .filter(observations::user_id.eq(me))
        .select((
            observations::id,
            observations::patrol_id,
            observations::what,
            observations::place,
            observations::observed_at,
            observations::report_id,
        ))
        .load::<(i32, i32, String, String, chrono::NaiveDateTime, Option<i32>)>(conn)?
        .into_iter()
        .map(
            |(id, patrol_id, what, place, observed_at, report_id)| ExportedObservation {
                id,
                patrol_id,
                what,
                place,
                observed_at,
                report_id,
            },
        )
        .collect();
    Ok((campaign, memberships, patrol_rows, observation_rows))
}
