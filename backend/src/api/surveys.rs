//! Pilot surveys: coordinators build, publish, close and copy them;
//! participants in the audience answer once; coordinators (in full) and
//! partners (aggregates, small cells suppressed) read the results.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use chrono::NaiveDateTime;
use serde::Deserialize;
use shared::surveys::{
    check_response, AnswerValue, CopyRequest, QuestionDto, QuestionInput, QuestionKind,
    QuestionSettings, ResponseInput, SurveyDto, SurveyInput, SurveyList, SurveyResults,
    SurveyStatus, SurveySummary, TITLE_MAX_CHARS,
};
use shared::users::{Group, Role};
use shared::{FieldError, Problem};

use crate::auth::{respondent_key, AuthUser, Caller};
use crate::db::models::now;
use crate::db::surveys::{
    self as q, AnswerRow, NewQuestion, NewResponse, NewSurvey, QuestionRow, SurveyFields, SurveyRow,
};
use crate::db::{self, schema, write_tx, DbConnection};
use crate::domain::survey_results::{self, Audience, ResultsInput};
use crate::error::{ApiError, ApiResult};
use crate::metrics::rollup::{self, Action};
use crate::startup::AppState;

const STAFF: &[Role] = &[Role::Coordinator, Role::Admin];
const READERS: &[Role] = &[Role::Coordinator, Role::Admin, Role::Partner];

fn status_of(row: &SurveyRow) -> SurveyStatus {
    SurveyStatus::parse(&row.status).unwrap_or(SurveyStatus::Draft)
}

fn groups_of(row: &SurveyRow) -> Vec<Group> {
    row.groups().into_iter().filter_map(Group::parse).collect()
}

pub(crate) fn question_dto(r: &QuestionRow) -> QuestionDto {
    QuestionDto {
        id: r.id,
        position: r.position,
        key: r.question_key.clone(),
        kind: QuestionKind::parse(&r.kind).unwrap_or(QuestionKind::FreeText),
        text_nl: r.text_nl.clone(),
        text_en: r.text_en.clone(),
        required: r.required,
        settings: serde_json::from_str::<QuestionSettings>(&r.config).unwrap_or_default(),
    }
}

/// May this participant answer (or see) the survey: in its groups and, when
/// it names neighbourhoods, living in one of them.
fn in_audience(auth: &AuthUser, row: &SurveyRow, hoods: &[i32]) -> bool {
    let home = auth.user.neighbourhood_id;
    reaches(
        auth,
        row,
        !hoods.is_empty(),
        home.is_some_and(|n| hoods.contains(&n)),
    )
}

/// [`in_audience`] given whether the survey names neighbourhoods and whether
/// it names the participant's.
fn reaches(auth: &AuthUser, row: &SurveyRow, names_neighbourhoods: bool, names_home: bool) -> bool {
    auth.role() == Role::Participant
        && auth
            .user
            .user_group
            .as_deref()
            .is_some_and(|g| row.groups().contains(&g))
        && (!names_neighbourhoods || names_home)
}

fn key_for(state: &AppState, survey_id: i32, user_id: i32) -> String {
    respondent_key(&state.config.jwt_secret, survey_id, user_id)
}

/// The survey as `auth` may see it, or 404: staff see all, partners what was
/// published, participants published surveys they are in the audience of.
fn load(
    conn: &mut DbConnection,
    auth: &AuthUser,
    id: i32,
    respondent_key: &str,
) -> ApiResult<(SurveyRow, SurveyDto)> {
    let row = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
    let hoods = q::neighbourhood_ids(conn, id)?;
    let status = status_of(&row);
    let visible = match auth.role() {
        Role::Coordinator | Role::Admin => true,
        Role::Partner => status != SurveyStatus::Draft,
        Role::Participant => status != SurveyStatus::Draft && in_audience(auth, &row, &hoods),
    };
    if !visible {
        return Err(ApiError::NotFound);
    }
    let questions = q::questions(conn, id)?.iter().map(question_dto).collect();
    let (answered, respondents) = if auth.role() == Role::Participant {
        let answered = !q::answered_among(conn, &[(id, respondent_key.to_owned())])?.is_empty();
        (answered, None)
    } else {
        let n = q::response_counts(conn, &[id])?
            .first()
            .map(|(_, n)| *n)
            .unwrap_or(0);
        (false, Some(n))
    };
    let at = now();
    let dto = SurveyDto {
        id: row.id,
        title_nl: row.title_nl.clone(),
        title_en: row.title_en.clone(),
        intro_nl: row.intro_nl.clone(),
        intro_en: row.intro_en.clone(),
        groups: groups_of(&row),
        neighbourhood_ids: hoods,
        opens_at: row.opens_at,
        closes_at: row.closes_at,
        anonymous: row.anonymous,
        status,
        baseline_id: row.baseline_id,
        is_open: row.is_open(at),
        questions,
        answered,
        respondents,
    };
    Ok((row, dto))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Staff only: `draft`, `published` or `closed`.
    pub status: Option<SurveyStatus>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

#[utoipa::path(get, path = "/api/surveys", tag = "surveys", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = SurveyList, description = "Participants: the open surveys for me, with whether I answered. Staff: all surveys. Partners: published and closed ones."),
        (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<ListQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    let (page, per_page, errors) = super::paging(query.page, query.per_page);
    ApiError::check(errors)?;
    let keys_state = state.clone();
    let list = db::run(&state.pool, move |conn| {
        use diesel::prelude::*;
        use schema::surveys;
        let at = now();
        let mut rows: Vec<SurveyRow> = {
            let mut qy = surveys::table.into_boxed();
            match auth.role() {
                Role::Participant => {
                    qy = qy
                        .filter(surveys::status.eq("published"))
                        .filter(surveys::opens_at.le(at))
                        .filter(surveys::closes_at.gt(at));
                }
                Role::Partner => qy = qy.filter(surveys::status.ne("draft")),
                Role::Coordinator | Role::Admin => {}
            }
            if let Some(s) = query.status {
                qy = qy.filter(surveys::status.eq(s.as_str()));
            }
            qy.order((surveys::closes_at.desc(), surveys::id.desc()))
                .select(SurveyRow::as_select())
                .load(conn)?
        };
        let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
        let hoods = q::neighbourhoods_of(conn, &ids)?;
        let hoods_of = |id: i32| -> Vec<i32> {
            hoods
                .iter()
                .filter(|(s, _)| *s == id)
                .map(|(_, n)| *n)
                .collect()
        };
        if auth.role() == Role::Participant {
            rows.retain(|r| in_audience(&auth, r, &hoods_of(r.id)));
        }
        let total = rows.len() as i64;
        let start = ((page - 1) as usize) * per_page as usize;
        let rows: Vec<SurveyRow> = rows
            .into_iter()
            .skip(start)
            .take(per_page as usize)
            .collect();
        let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
        let question_counts: HashMap<i32, i64> =
            q::question_counts(conn, &ids)?.into_iter().collect();
        let (answered, respondents): (Vec<i32>, HashMap<i32, i64>) =
            if auth.role() == Role::Participant {
                let keys: Vec<(i32, String)> = ids
                    .iter()
                    .map(|id| (*id, key_for(&keys_state, *id, auth.id())))
                    .collect();
                (q::answered_among(conn, &keys)?, HashMap::new())
            } else {
                (
                    Vec::new(),
                    q::response_counts(conn, &ids)?.into_iter().collect(),
                )
            };
        let items = rows
            .iter()
            .map(|r| SurveySummary {
                id: r.id,
                title_nl: r.title_nl.clone(),
                title_en: r.title_en.clone(),
                status: status_of(r),
                opens_at: r.opens_at,
                closes_at: r.closes_at,
                anonymous: r.anonymous,
                groups: groups_of(r),
                is_open: r.is_open(at),
                question_count: question_counts.get(&r.id).copied().unwrap_or(0),
                answered: answered.contains(&r.id),
                respondents: (auth.role() != Role::Participant)
                    .then(|| respondents.get(&r.id).copied().unwrap_or(0)),
            })
            .collect();
        Ok(SurveyList {
            items,
            total,
            page: page as i64,
            per_page: per_page as i64,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(get, path = "/api/surveys/{id}", tag = "surveys", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = SurveyDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let key = key_for(&state, id, auth.id());
    let (_, dto) = db::run(&state.pool, move |conn| load(conn, &auth, id, &key)).await?;
    Ok(HttpResponse::Ok().json(dto))
}

/// A fresh question key: 12 lower-case hex digits.
fn new_key() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 6];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn new_questions(survey_id: i32, questions: &[QuestionInput]) -> Vec<NewQuestion> {
    questions
        .iter()
        .enumerate()
        .map(|(i, qi)| NewQuestion {
            survey_id,
            position: i as i32 + 1,
            question_key: qi.key.clone().unwrap_or_else(new_key),
            kind: qi.kind.as_str(),
            text_nl: qi.text_nl.trim().to_owned(),
            text_en: qi.text_en.trim().to_owned(),
            required: qi.required,
            config: serde_json::to_string(&qi.normalised_settings()).expect("settings serialise"),
        })
        .collect()
}

/// Checks against the database: neighbourhoods exist, the baseline exists
/// and is another survey.
fn check_references(
    conn: &mut DbConnection,
    input: &SurveyInput,
    own_id: Option<i32>,
) -> ApiResult<()> {
    let mut errors = input.validate();
    let known: Vec<i32> = q::neighbourhood_names(conn)?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    if input.neighbourhood_ids.iter().any(|n| !known.contains(n)) {
        errors.push(FieldError::new(
            "neighbourhood_ids",
            "unknown",
            "Choose neighbourhoods from the list.",
        ));
    }
    if let Some(b) = input.baseline_id {
        if Some(b) == own_id || q::find(conn, b)?.is_none() {
            errors.push(FieldError::new(
                "baseline_id",
                "unknown",
                "Choose another, existing survey as the baseline.",
            ));
        }
    }
    ApiError::check(errors)
}

fn groups_text(groups: &[Group]) -> String {
    let mut g: Vec<&str> = groups.iter().map(|g| g.as_str()).collect();
    g.sort_unstable();
    g.dedup();
    g.join(",")
}

fn dedup(ids: &[i32]) -> Vec<i32> {
    let mut v = ids.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

#[utoipa::path(post, path = "/api/surveys", tag = "surveys", security(("bearer" = [])),
    request_body = SurveyInput,
    responses((status = 201, body = SurveyDto, description = "A draft"), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<SurveyInput>,
) -> ApiResult<HttpResponse> {
    auth.require(STAFF)?;
    let input = body.into_inner();
    let key = key_for(&state, 0, auth.id());
    let (_, dto) = db::run_write(&state.pool, move |conn| {
        check_references(conn, &input, None)?;
        let at = now();
        let groups = groups_text(&input.groups);
        let id = write_tx(conn, |conn| -> ApiResult<i32> {
            use diesel::prelude::*;
            let id: i32 = diesel::insert_into(schema::surveys::table)
                .values(NewSurvey {
                    fields: fields(&input, &groups, at),
                    status: "draft",
                    created_by: Some(auth.id()),
                    created_at: at,
                })
                .returning(schema::surveys::id)
                .get_result(conn)?;
            q::set_neighbourhoods(conn, id, &dedup(&input.neighbourhood_ids))?;
            q::replace_questions(conn, id, new_questions(id, &input.questions))?;
            Ok(id)
        })?;
        load(conn, &auth, id, &key)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/surveys/{}", dto.id)))
        .json(dto))
}

fn fields<'a>(input: &'a SurveyInput, groups: &'a str, at: NaiveDateTime) -> SurveyFields<'a> {
    SurveyFields {
        title_nl: input.title_nl.trim(),
        title_en: input.title_en.trim(),
        intro_nl: input.intro_nl.trim(),
        intro_en: input.intro_en.trim(),
        audience_groups: groups,
        opens_at: input.opens_at.naive_utc(),
        closes_at: input.closes_at.naive_utc(),
        anonymous: input.anonymous,
        baseline_id: input.baseline_id,
        updated_at: at,
    }
}

#[utoipa::path(put, path = "/api/surveys/{id}", tag = "surveys", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = SurveyInput,
    responses((status = 200, body = SurveyDto), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Closed, or questions changed after the first answer"),
        (status = 422, body = Problem)))]
pub async fn update(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<SurveyInput>,
) -> ApiResult<HttpResponse> {
    auth.require(STAFF)?;
    let id = path.into_inner();
    let input = body.into_inner();
    let key = key_for(&state, id, auth.id());
    let (_, dto) = db::run_write(&state.pool, move |conn| {
        let row = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
        check_references(conn, &input, Some(id))?;
        let at = now();
        let groups = groups_text(&input.groups);
        write_tx(conn, |conn| -> ApiResult<()> {
            use diesel::prelude::*;
            let current = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
            if current.status == "closed" {
                return Err(ApiError::conflict("A closed survey cannot be edited; copy it instead."));
            }
            let existing: Vec<QuestionInput> = q::questions(conn, id)?
                .iter()
                .map(|r| question_dto(r).to_input())
                .collect();
            let wanted: Vec<QuestionInput> = input
                .questions
                .iter()
                .map(|qi| QuestionInput {
                    settings: qi.normalised_settings(),
                    text_nl: qi.text_nl.trim().to_owned(),
                    text_en: qi.text_en.trim().to_owned(),
                    ..qi.clone()
                })
                .collect();
            let same = existing.len() == wanted.len()
                && existing.iter().zip(&wanted).all(|(a, b)| {
                    b.key.as_ref().is_none_or(|k| Some(k) == a.key.as_ref())
                        && QuestionInput { key: None, ..a.clone() }
                            == QuestionInput { key: None, ..b.clone() }
                });
            if !same {
                if q::has_responses(conn, id)? {
                    return Err(ApiError::Conflict {
                        detail: "The questions are frozen once the first answer exists.".into(),
                        errors: vec![FieldError::new(
                            "questions",
                            "frozen",
                            "The questions cannot change after the first answer; copy the survey instead.",
                        )],
                    });
                }
                q::replace_questions(conn, id, new_questions(id, &input.questions))?;
            }
            if current.status != "draft" && input.questions.is_empty() {
                return Err(ApiError::field("questions", "required", "A published survey needs questions."));
            }
            diesel::update(schema::surveys::table.find(id))
                .set(fields(&input, &groups, at))
                .execute(conn)?;
            q::set_neighbourhoods(conn, id, &dedup(&input.neighbourhood_ids))?;
            Ok(())
        })?;
        let _ = row;
        load(conn, &auth, id, &key)
    })
    .await?;
    Ok(HttpResponse::Ok().json(dto))
}

#[utoipa::path(post, path = "/api/surveys/{id}/publish", tag = "surveys", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = SurveyDto), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Not a draft"),
        (status = 422, body = Problem, description = "No questions, or the closing time has passed")))]
pub async fn publish(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    change_status(state, auth, path.into_inner(), SurveyStatus::Published).await
}

#[utoipa::path(post, path = "/api/surveys/{id}/close", tag = "surveys", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = SurveyDto), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Not published")))]
pub async fn close(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    change_status(state, auth, path.into_inner(), SurveyStatus::Closed).await
}

async fn change_status(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: i32,
    to: SurveyStatus,
) -> ApiResult<HttpResponse> {
    auth.require(STAFF)?;
    let key = key_for(&state, id, auth.id());
    let (_, dto) = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| -> ApiResult<()> {
            use diesel::prelude::*;
            use schema::surveys;
            let row = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
            let at = now();
            let from = if to == SurveyStatus::Published {
                "draft"
            } else {
                "published"
            };
            if row.status != from {
                return Err(ApiError::conflict(format!(
                    "Only a {from} survey can be {}; this one is {}.",
                    if to == SurveyStatus::Published {
                        "published"
                    } else {
                        "closed"
                    },
                    row.status
                )));
            }
            if to == SurveyStatus::Published {
                let mut errors = Vec::new();
                if q::questions(conn, id)?.is_empty() {
                    errors.push(FieldError::new(
                        "questions",
                        "required",
                        "Add at least one question.",
                    ));
                }
                if row.closes_at <= at {
                    errors.push(FieldError::new(
                        "closes_at",
                        "in_past",
                        "The closing time has passed; change it before publishing.",
                    ));
                }
                ApiError::check(errors)?;
                diesel::update(surveys::table.find(id))
                    .set((
                        surveys::status.eq("published"),
                        surveys::published_at.eq(at),
                        surveys::updated_at.eq(at),
                    ))
                    .execute(conn)?;
            } else {
                diesel::update(surveys::table.find(id))
                    .set((
                        surveys::status.eq("closed"),
                        surveys::closed_at.eq(at),
                        surveys::updated_at.eq(at),
                    ))
                    .execute(conn)?;
            }
            Ok(())
        })?;
        load(conn, &auth, id, &key)
    })
    .await?;
    Ok(HttpResponse::Ok().json(dto))
}

#[utoipa::path(post, path = "/api/surveys/{id}/copy", tag = "surveys", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body(content = CopyRequest, description = "Optional"),
    responses((status = 201, body = SurveyDto, description = "A new draft with the same questions (same keys)"),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn copy(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    auth.require(STAFF)?;
    let source_id = path.into_inner();
    // The body is optional; when there is one it must be valid.
    let request: CopyRequest = if body.iter().all(u8::is_ascii_whitespace) {
        CopyRequest::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| ApiError::BadRequest(format!("The JSON body is not valid: {e}")))?
    };
    let key = key_for(&state, 0, auth.id());
    let (_, dto) = db::run_write(&state.pool, move |conn| {
        let (source, source_dto) = load(conn, &auth, source_id, &key)?;
        let at = now();
        let duration = source.closes_at - source.opens_at;
        let mut input = source_dto.to_input();
        let suffix = (" (kopie)", " (copy)");
        input.title_nl = with_suffix(&input.title_nl, suffix.0);
        input.title_en = with_suffix(&input.title_en, suffix.1);
        input.baseline_id = if request.as_follow_up {
            Some(source_id)
        } else {
            source.baseline_id
        };
        let groups = groups_text(&input.groups);
        let id = write_tx(conn, |conn| -> ApiResult<i32> {
            use diesel::prelude::*;
            let mut f = fields(&input, &groups, at);
            f.opens_at = at;
            f.closes_at = at + duration;
            let id: i32 = diesel::insert_into(schema::surveys::table)
                .values(NewSurvey {
                    fields: f,
                    status: "draft",
                    created_by: Some(auth.id()),
                    created_at: at,
                })
                .returning(schema::surveys::id)
                .get_result(conn)?;
            q::set_neighbourhoods(conn, id, &input.neighbourhood_ids)?;
            q::replace_questions(conn, id, new_questions(id, &input.questions))?;
            Ok(id)
        })?;
        load(conn, &auth, id, &key)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/surveys/{}", dto.id)))
        .json(dto))
}

fn with_suffix(title: &str, suffix: &str) -> String {
    let room = TITLE_MAX_CHARS - suffix.chars().count();
    let base: String = title.chars().take(room).collect();
    format!("{base}{suffix}")
}

#[utoipa::path(post, path = "/api/surveys/{id}/responses", tag = "surveys", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = ResponseInput,
    responses((status = 201, description = "Answered"),
        (status = 403, body = Problem, description = "Not in the survey's audience"),
        (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Answered already, or the survey is not open"),
        (status = 422, body = Problem, description = "An answer does not fit its question; the field is `answers.{question_id}`")))]
pub async fn respond(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<i32>,
    body: web::Json<ResponseInput>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let input = body.into_inner();
    let keys = state.clone();
    caller
        .run_write(&state.pool, move |conn, auth| {
            let key = key_for(&keys, id, auth.id());
            let found = q::find_to_answer(conn, id, auth.user.neighbourhood_id, &key)?
                .ok_or(ApiError::NotFound)?;
            let row = found.row;
            if row.status == "draft" {
                return Err(ApiError::NotFound);
            }
            if !reaches(&auth, &row, found.names_neighbourhoods, found.names_home) {
                return Err(ApiError::Forbidden);
            }
            let at = now();
            if !row.is_open(at) {
                return Err(ApiError::conflict("This survey is not open for answers."));
            }
            if found.answered {
                return Err(ApiError::conflict("You answered this survey already."));
            }
            let questions: Vec<QuestionDto> =
                q::questions(conn, id)?.iter().map(question_dto).collect();
            let values = check_response(&questions, &input).map_err(ApiError::Validation)?;
            let answers = values
                .into_iter()
                .map(|(question_id, v)| {
                    let mut a = AnswerRow {
                        response_id: 0,
                        question_id,
                        choices: None,
                        number: None,
                        text: None,
                    };
                    match v {
                        AnswerValue::Choices(c) => {
                            a.choices =
                                Some(c.iter().map(u32::to_string).collect::<Vec<_>>().join(","))
                        }
                        AnswerValue::Number(n) => a.number = Some(n),
                        AnswerValue::Text(t) => a.text = Some(t),
                    }
                    a
                })
                .collect();
            // Anonymous: no account id, and only the day of answering.
            let submitted_at = if row.anonymous {
                at.date().and_hms_opt(0, 0, 0).unwrap_or(at)
            } else {
                at
            };
            write_tx(conn, |conn| -> ApiResult<()> {
                let current = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
                if !current.is_open(now()) {
                    return Err(ApiError::conflict("This survey is not open for answers."));
                }
                q::insert_response(
                    conn,
                    &NewResponse {
                        survey_id: id,
                        respondent_id: (!row.anonymous).then(|| auth.id()),
                        respondent_key: &key,
                        user_group: auth.user.user_group.as_deref(),
                        neighbourhood_id: auth.user.neighbourhood_id,
                        submitted_at,
                    },
                    answers,
                )
                .map_err(|e| match e {
                    diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::UniqueViolation,
                        _,
                    ) => ApiError::conflict("You answered this survey already."),
                    other => other.into(),
                })?;
                let who = rollup::Actor::of(&auth.user);
                let mut counts = rollup::Tally::default();
                rollup::survey_answered(
                    &mut counts,
                    id,
                    &who.group,
                    who.hood,
                    submitted_at.date(),
                )?;
                // An anonymous answer leaves no trace on the person's activity:
                // its time would tie them to the response.
                if row.anonymous {
                    rollup::apply(conn, &counts)?;
                } else {
                    rollup::record_action_with(conn, &who, Action::Survey, at, counts)?;
                }
                Ok(())
            })?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Created().finish())
}

fn load_results(
    conn: &mut DbConnection,
    auth: &AuthUser,
    id: i32,
) -> ApiResult<(SurveyRow, Vec<QuestionDto>, ResultsInput)> {
    let row = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
    if auth.role() == Role::Partner && row.status == "draft" {
        return Err(ApiError::NotFound);
    }
    let questions: Vec<QuestionDto> = q::questions(conn, id)?.iter().map(question_dto).collect();
    let hoods = q::neighbourhood_ids(conn, id)?;
    let groups = row.groups();
    let eligible = q::eligible(conn, &groups, &hoods)?;
    let responses = q::responses(conn, id)?;
    let answers = q::answers(conn, id)?;
    let baseline = match row.baseline_id {
        Some(b) => match q::find(conn, b)? {
            Some(brow) => {
                let bq: Vec<QuestionDto> =
                    q::questions(conn, b)?.iter().map(question_dto).collect();
                let bresp = q::responses(conn, b)?.len() as i64;
                let bans = q::answers(conn, b)?;
                Some((brow, bq, bresp, bans))
            }
            None => None,
        },
        None => None,
    };
    let names: HashMap<i32, String> = q::neighbourhood_names(conn)?.into_iter().collect();
    Ok((
        row,
        questions,
        ResultsInput {
            eligible,
            responses,
            answers,
            baseline,
            neighbourhood_names: names,
        },
    ))
}

#[utoipa::path(get, path = "/api/surveys/{id}/results", tag = "surveys", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = SurveyResults, description = "Partners: no free text, cells under 5 suppressed"),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn results(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    auth.require(READERS)?;
    let id = path.into_inner();
    let results: SurveyResults = db::run(&state.pool, move |conn| {
        let (row, questions, input) = load_results(conn, &auth, id)?;
        let audience = if auth.role() == Role::Partner {
            Audience::Partner
        } else {
            Audience::Coordinator
        };
        Ok(survey_results::compute(&row, &questions, &input, audience))
    })
    .await?;
    Ok(HttpResponse::Ok().json(results))
}

#[utoipa::path(get, path = "/api/surveys/{id}/results.csv", tag = "surveys", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, content_type = "text/csv", body = String,
        description = "One row per response, pseudonymous respondent ids, UTF-8 with a byte order mark"),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn results_csv(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    auth.require(STAFF)?;
    let id = path.into_inner();
    let csv = db::run(&state.pool, move |conn| {
        let (row, questions, input) = load_results(conn, &auth, id)?;
        Ok(survey_results::csv(&row, &questions, &input))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"survey-{id}-results.csv\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(csv))
}
