//! Queries on prevention teams, their members, patrols, sign-ups and observations.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{observations, patrol_signups, patrols, team_members, teams, users};
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = teams)]
pub struct TeamRow {
    pub id: i32,
    pub neighbourhood_id: i32,
    pub name: String,
    pub area: String,
    pub contact: String,
    pub status: String,
    pub decision_reason: Option<String>,
    pub proposer_id: Option<i32>,
    pub decided_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = teams)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewTeam<'a> {
    pub neighbourhood_id: i32,
    pub name: &'a str,
    pub area: &'a str,
    pub contact: &'a str,
    pub status: &'a str,
    pub proposer_id: Option<i32>,
    pub created_at: NaiveDateTime,
}

/// A membership with the member's name and address.
#[derive(Debug, Clone)]
pub struct MemberRow {
    pub team_id: i32,
    pub user_id: i32,
    pub status: String,
    pub lead: bool,
    pub requested_at: NaiveDateTime,
    pub joined_at: Option<NaiveDateTime>,
    pub display_name: String,
    pub email: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = patrols)]
pub struct PatrolRow {
    pub id: i32,
    pub team_id: i32,
    pub starts_at: NaiveDateTime,
    pub meeting_point: String,
    pub route: String,
    pub min_members: i32,
    pub max_members: i32,
    pub signup_count: i32,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = patrols)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewPatrol<'a> {
    pub team_id: i32,
    pub starts_at: NaiveDateTime,
    pub meeting_point: &'a str,
    pub route: &'a str,
    pub min_members: i32,
    pub max_members: i32,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = observations)]
pub struct ObservationRow {
    pub id: i32,
    pub patrol_id: i32,
    pub user_id: Option<i32>,
    pub what: String,
    pub place: String,
    pub observed_at: NaiveDateTime,
    pub report_id: Option<i32>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = observations)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewObservation<'a> {
    pub patrol_id: i32,
    pub user_id: Option<i32>,
    pub what: &'a str,
    pub place: &'a str,
    pub observed_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<TeamRow>> {
    teams::table
        .find(id)
        .select(TeamRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, new: &NewTeam) -> QueryResult<i32> {
    diesel::insert_into(teams::table)
        .values(new)
        .returning(teams::id)
        .get_result(conn)
}

/// Teams in a neighbourhood (or all), oldest first. `visible_to`: besides
/// approved teams, the ones this user proposed or is a member of; `None`
/// for coordinators, who see every team.
pub fn list(
    conn: &mut DbConnection,
    neighbourhood: Option<i32>,
    approved_only: bool,
    visible_to: Option<i32>,
) -> QueryResult<Vec<TeamRow>> {
    let mut q = teams::table.select(TeamRow::as_select()).into_boxed();
    if let Some(n) = neighbourhood {
        q = q.filter(teams::neighbourhood_id.eq(n));
    }
    if approved_only {
        q = q.filter(teams::status.eq("approved"));
    } else if let Some(user) = visible_to {
        let mine = team_members::table
            .filter(team_members::user_id.eq(user))
            .select(team_members::team_id);
        q = q.filter(
            teams::status
                .eq("approved")
                .or(teams::proposer_id.eq(user))
                .or(teams::id.eq_any(mine)),
        );
    }
    q.order((teams::created_at.asc(), teams::id.asc()))
        .load(conn)
}

pub fn members_of(conn: &mut DbConnection, team_ids: &[i32]) -> QueryResult<Vec<MemberRow>> {
    type Cols = (
        i32,
        i32,
        String,
        bool,
        NaiveDateTime,
        Option<NaiveDateTime>,
        String,
        String,
    );
    let rows: Vec<Cols> = team_members::table
        .inner_join(users::table)
        .filter(team_members::team_id.eq_any(team_ids))
        .select((
            team_members::team_id,
            team_members::user_id,
            team_members::status,
            team_members::lead,
            team_members::requested_at,
            team_members::joined_at,
            users::display_name,
            users::email,
        ))
        .order((team_members::lead.desc(), team_members::requested_at.asc()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(team_id, user_id, status, lead, requested_at, joined_at, display_name, email)| {
                MemberRow {
                    team_id,
                    user_id,
                    status,
                    lead,
                    requested_at,
                    joined_at,
                    display_name,
                    email,
                }
            },
        )
        .collect())
}

/// The user's membership of a team: (status, lead).
pub fn membership(
    conn: &mut DbConnection,
    team_id: i32,
    user_id: i32,
) -> QueryResult<Option<(String, bool)>> {
    team_members::table
        .find((team_id, user_id))
        .select((team_members::status, team_members::lead))
        .first(conn)
        .optional()
}

pub fn find_patrol(conn: &mut DbConnection, id: i32) -> QueryResult<Option<PatrolRow>> {
    patrols::table
        .find(id)
        .select(PatrolRow::as_select())
        .first(conn)
        .optional()
}

pub fn patrols_of(conn: &mut DbConnection, team_id: i32) -> QueryResult<Vec<PatrolRow>> {
    patrols::table
        .filter(patrols::team_id.eq(team_id))
        .select(PatrolRow::as_select())
        .order((patrols::starts_at.asc(), patrols::id.asc()))
        .load(conn)
}

/// (patrol, walker's user id, walker's name) for the patrols.
pub fn walkers(
    conn: &mut DbConnection,
    patrol_ids: &[i32],
) -> QueryResult<Vec<(i32, i32, String)>> {
    patrol_signups::table
        .inner_join(users::table)
        .filter(patrol_signups::patrol_id.eq_any(patrol_ids))
        .select((
            patrol_signups::patrol_id,
            patrol_signups::user_id,
            users::display_name,
        ))
        .order(patrol_signups::created_at.asc())
        .load(conn)
}

pub fn signed_up(conn: &mut DbConnection, patrol_id: i32, user_id: i32) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        patrol_signups::table.find((patrol_id, user_id)),
    ))
    .get_result(conn)
}

pub fn observation_counts(
    conn: &mut DbConnection,
    patrol_ids: &[i32],
) -> QueryResult<Vec<(i32, i64)>> {
    observations::table
        .filter(observations::patrol_id.eq_any(patrol_ids))
        .group_by(observations::patrol_id)
        .select((observations::patrol_id, diesel::dsl::count_star()))
        .load(conn)
}

pub fn observations_of(
    conn: &mut DbConnection,
    patrol_id: i32,
) -> QueryResult<Vec<ObservationRow>> {
    observations::table
        .filter(observations::patrol_id.eq(patrol_id))
        .select(ObservationRow::as_select())
        .order((observations::observed_at.asc(), observations::id.asc()))
        .load(conn)
}

pub fn find_observation(conn: &mut DbConnection, id: i32) -> QueryResult<Option<ObservationRow>> {
    observations::table
        .find(id)
        .select(ObservationRow::as_select())
        .first(conn)
        .optional()
}
