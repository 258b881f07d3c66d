//! Queries on surveys, their audience, questions, responses and answers.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{
    neighbourhoods, survey_answers, survey_neighbourhoods, survey_questions, survey_responses,
    surveys, users,
};
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = surveys)]
pub struct SurveyRow {
    pub id: i32,
    pub title_nl: String,
    pub title_en: String,
    pub intro_nl: String,
    pub intro_en: String,
    pub audience_groups: String,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub anonymous: bool,
    pub status: String,
    pub baseline_id: Option<i32>,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
}

impl SurveyRow {
    pub fn groups(&self) -> Vec<&str> {
        self.audience_groups
            .split(',')
            .filter(|g| !g.is_empty())
            .collect()
    }

    pub fn is_open(&self, at: NaiveDateTime) -> bool {
        self.status == "published" && self.opens_at <= at && at < self.closes_at
    }
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = surveys)]
#[diesel(treat_none_as_default_value = false)]
pub struct SurveyFields<'a> {
    pub title_nl: &'a str,
    pub title_en: &'a str,
    pub intro_nl: &'a str,
    pub intro_en: &'a str,
    pub audience_groups: &'a str,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub anonymous: bool,
    pub baseline_id: Option<i32>,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = surveys)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewSurvey<'a> {
    #[diesel(embed)]
    pub fields: SurveyFields<'a>,
    pub status: &'a str,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = survey_questions)]
pub struct QuestionRow {
    pub id: i32,
    pub survey_id: i32,
    pub position: i32,
    pub question_key: String,
    pub kind: String,
    pub text_nl: String,
    pub text_en: String,
    pub required: bool,
    pub config: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = survey_questions)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewQuestion {
    pub survey_id: i32,
    pub position: i32,
    pub question_key: String,
    pub kind: &'static str,
    pub text_nl: String,
    pub text_en: String,
    pub required: bool,
    pub config: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = survey_responses)]
pub struct ResponseRow {
    pub id: i32,
    pub survey_id: i32,
    pub respondent_id: Option<i32>,
    pub user_group: Option<String>,
    pub neighbourhood_id: Option<i32>,
    pub submitted_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = survey_responses)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewResponse<'a> {
    pub survey_id: i32,
    pub respondent_id: Option<i32>,
    pub respondent_key: &'a str,
    pub user_group: Option<&'a str>,
    pub neighbourhood_id: Option<i32>,
    pub submitted_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = survey_answers)]
#[diesel(treat_none_as_default_value = false)]
pub struct AnswerRow {
    pub response_id: i32,
    pub question_id: i32,
    pub choices: Option<String>,
    pub number: Option<f64>,
    pub text: Option<String>,
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<SurveyRow>> {
    surveys::table
        .find(id)
        .select(SurveyRow::as_select())
        .first(conn)
        .optional()
}

pub fn neighbourhood_ids(conn: &mut DbConnection, survey_id: i32) -> QueryResult<Vec<i32>> {
    survey_neighbourhoods::table
        .filter(survey_neighbourhoods::survey_id.eq(survey_id))
        .order(survey_neighbourhoods::neighbourhood_id.asc())
        .select(survey_neighbourhoods::neighbourhood_id)
        .load(conn)
}

/// A survey as answering it needs it, in one trip: the row, whether its
/// audience names neighbourhoods and `home` among them, and whether
/// `respondent_key` answered it already.
#[derive(Debug)]
pub struct ToAnswer {
    pub row: SurveyRow,
    pub names_neighbourhoods: bool,
    pub names_home: bool,
    pub answered: bool,
}

pub fn find_to_answer(
    conn: &mut DbConnection,
    id: i32,
    home: Option<i32>,
    respondent_key: &str,
) -> QueryResult<Option<ToAnswer>> {
    use diesel::dsl::exists;
    let named = || survey_neighbourhoods::table.filter(survey_neighbourhoods::survey_id.eq(id));
    // A person without a neighbourhood binds NULL, which equals nothing.
    let home_named = named().filter(survey_neighbourhoods::neighbourhood_id.nullable().eq(home));
    let answered = survey_responses::table
        .filter(survey_responses::survey_id.eq(id))
        .filter(survey_responses::respondent_key.eq(respondent_key));
    Ok(surveys::table
        .find(id)
        .select((
            SurveyRow::as_select(),
            exists(named()),
            exists(home_named),
            exists(answered),
        ))
        .first::<(SurveyRow, bool, bool, bool)>(conn)
        .optional()?
        .map(
            |(row, names_neighbourhoods, names_home, answered)| ToAnswer {
                row,
                names_neighbourhoods,
                names_home,
                answered,
            },
        ))
}

/// Audience neighbourhoods of several surveys at once.
pub fn neighbourhoods_of(
    conn: &mut DbConnection,
    survey_ids: &[i32],
) -> QueryResult<Vec<(i32, i32)>> {
    survey_neighbourhoods::table
        .filter(survey_neighbourhoods::survey_id.eq_any(survey_ids))
        .select((
            survey_neighbourhoods::survey_id,
            survey_neighbourhoods::neighbourhood_id,
        ))
        .load(conn)
}

pub fn set_neighbourhoods(conn: &mut DbConnection, survey_id: i32, ids: &[i32]) -> QueryResult<()> {
    diesel::delete(
        survey_neighbourhoods::table.filter(survey_neighbourhoods::survey_id.eq(survey_id)),
    )
    .execute(conn)?;
    // One statement per row: batch inserts are not available on a MultiConnection.
    for n in ids {
        diesel::insert_into(survey_neighbourhoods::table)
            .values((
                survey_neighbourhoods::survey_id.eq(survey_id),
                survey_neighbourhoods::neighbourhood_id.eq(*n),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn questions(conn: &mut DbConnection, survey_id: i32) -> QueryResult<Vec<QuestionRow>> {
    survey_questions::table
        .filter(survey_questions::survey_id.eq(survey_id))
        .order(survey_questions::position.asc())
        .select(QuestionRow::as_select())
        .load(conn)
}

pub fn replace_questions(
    conn: &mut DbConnection,
    survey_id: i32,
    new: Vec<NewQuestion>,
) -> QueryResult<()> {
    diesel::delete(survey_questions::table.filter(survey_questions::survey_id.eq(survey_id)))
        .execute(conn)?;
    for q in new {
        diesel::insert_into(survey_questions::table)
            .values(q)
            .execute(conn)?;
    }
    Ok(())
}

pub fn question_counts(
    conn: &mut DbConnection,
    survey_ids: &[i32],
) -> QueryResult<Vec<(i32, i64)>> {
    survey_questions::table
        .filter(survey_questions::survey_id.eq_any(survey_ids))
        .group_by(survey_questions::survey_id)
        .select((survey_questions::survey_id, diesel::dsl::count_star()))
        .load(conn)
}

pub fn response_counts(
    conn: &mut DbConnection,
    survey_ids: &[i32],
) -> QueryResult<Vec<(i32, i64)>> {
    survey_responses::table
        .filter(survey_responses::survey_id.eq_any(survey_ids))
        .group_by(survey_responses::survey_id)
        .select((survey_responses::survey_id, diesel::dsl::count_star()))
        .load(conn)
}

pub fn has_responses(conn: &mut DbConnection, survey_id: i32) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        survey_responses::table.filter(survey_responses::survey_id.eq(survey_id)),
    ))
    .get_result(conn)
}

/// Which of these surveys the holder of these respondent keys answered.
pub fn answered_among(conn: &mut DbConnection, keys: &[(i32, String)]) -> QueryResult<Vec<i32>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = keys.iter().map(|(id, _)| *id).collect();
    let hashes: Vec<&str> = keys.iter().map(|(_, k)| k.as_str()).collect();
    let found: Vec<(i32, String)> = survey_responses::table
        .filter(survey_responses::survey_id.eq_any(&ids))
        .filter(survey_responses::respondent_key.eq_any(&hashes))
        .select((
            survey_responses::survey_id,
            survey_responses::respondent_key,
        ))
        .load(conn)?;
    Ok(found
        .into_iter()
        .filter(|(id, key)| keys.iter().any(|(i, k)| i == id && k == key))
        .map(|(id, _)| id)
        .collect())
}

pub fn responses(conn: &mut DbConnection, survey_id: i32) -> QueryResult<Vec<ResponseRow>> {
    survey_responses::table
        .filter(survey_responses::survey_id.eq(survey_id))
        .order(survey_responses::id.asc())
        .select(ResponseRow::as_select())
        .load(conn)
}

pub fn answers(conn: &mut DbConnection, survey_id: i32) -> QueryResult<Vec<AnswerRow>> {
    survey_answers::table
        .inner_join(survey_responses::table)
        .filter(survey_responses::survey_id.eq(survey_id))
        .select(AnswerRow::as_select())
        .load(conn)
}

pub fn insert_response(
    conn: &mut DbConnection,
    new: &NewResponse,
    answers: Vec<AnswerRow>,
) -> QueryResult<i32> {
    let id: i32 = diesel::insert_into(survey_responses::table)
        .values(new)
        .returning(survey_responses::id)
        .get_result(conn)?;
    for a in answers {
        diesel::insert_into(survey_answers::table)
            .values(AnswerRow {
                response_id: id,
                ..a
            })
            .execute(conn)?;
    }
    Ok(id)
}

/// Active participants in these groups (and, when given, neighbourhoods).
pub fn eligible(conn: &mut DbConnection, groups: &[&str], hoods: &[i32]) -> QueryResult<i64> {
    let mut q = users::table
        .filter(users::role.eq("participant"))
        .filter(users::active.eq(true))
        .filter(users::user_group.eq_any(groups.to_vec()))
        .into_boxed();
    if !hoods.is_empty() {
        q = q.filter(users::neighbourhood_id.eq_any(hoods.to_vec()));
    }
    q.count().get_result(conn)
}

pub fn neighbourhood_names(conn: &mut DbConnection) -> QueryResult<Vec<(i32, String)>> {
    neighbourhoods::table
        .select((neighbourhoods::id, neighbourhoods::name))
        .load(conn)
}
