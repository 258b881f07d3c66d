//! Queries on meetings, RSVPs, topics, supports, topic events and follow-up actions.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    action_updates, follow_up_actions, meeting_rsvps, meetings, topic_events, topic_reports,
    topic_supports, topics,
};
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = meetings)]
pub struct MeetingRow {
    pub id: i32,
    pub neighbourhood_id: i32,
    pub title: String,
    pub starts_at: NaiveDateTime,
    pub place: String,
    pub description: String,
    pub propose_until: NaiveDateTime,
    pub capacity: i32,
    pub status: String,
    pub minutes: Option<String>,
    pub evaluation_survey_id: Option<i32>,
    pub copied_from: Option<i32>,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = meetings)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewMeeting<'a> {
    pub neighbourhood_id: i32,
    pub title: &'a str,
    pub starts_at: NaiveDateTime,
    pub place: &'a str,
    pub description: &'a str,
    pub propose_until: NaiveDateTime,
    pub capacity: i32,
    pub status: &'a str,
    pub copied_from: Option<i32>,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = meetings)]
pub struct MeetingChanges {
    pub title: Option<String>,
    pub starts_at: Option<NaiveDateTime>,
    pub place: Option<String>,
    pub description: Option<String>,
    pub propose_until: Option<NaiveDateTime>,
    pub capacity: Option<i32>,
    pub minutes: Option<String>,
    pub evaluation_survey_id: Option<i32>,
    pub updated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = topics)]
pub struct TopicRow {
    pub id: i32,
    pub meeting_id: i32,
    pub proposer_id: Option<i32>,
    pub title: String,
    pub description: String,
    pub status: String,
    pub merged_into: Option<i32>,
    pub public_reason: Option<String>,
    pub support_count: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = topics)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewTopic<'a> {
    pub meeting_id: i32,
    pub proposer_id: Option<i32>,
    pub title: &'a str,
    pub description: &'a str,
    pub status: &'a str,
    pub support_count: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = topic_events)]
pub struct TopicEventRow {
    pub id: i32,
    pub topic_id: i32,
    pub actor_id: Option<i32>,
    pub actor_role: String,
    pub event: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = topic_events)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewTopicEvent<'a> {
    pub topic_id: i32,
    pub actor_id: Option<i32>,
    pub actor_role: &'a str,
    pub event: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: Option<&'a str>,
    pub note: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = follow_up_actions)]
pub struct ActionRow {
    pub id: i32,
    pub topic_id: i32,
    pub description: String,
    pub owner: String,
    pub due_on: NaiveDate,
    pub status: String,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = follow_up_actions)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewAction<'a> {
    pub topic_id: i32,
    pub description: &'a str,
    pub owner: &'a str,
    pub due_on: NaiveDate,
    pub status: &'a str,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = action_updates)]
pub struct ActionUpdateRow {
    pub id: i32,
    pub action_id: i32,
    pub actor_id: Option<i32>,
    pub actor_role: String,
    pub status: Option<String>,
    pub note: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = action_updates)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewActionUpdate<'a> {
    pub action_id: i32,
    pub actor_id: Option<i32>,
    pub actor_role: &'a str,
    pub status: Option<&'a str>,
    pub note: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<MeetingRow>> {
    meetings::table
        .find(id)
        .select(MeetingRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, new: &NewMeeting) -> QueryResult<i32> {
    diesel::insert_into(meetings::table)
        .values(new)
        .returning(meetings::id)
        .get_result(conn)
}

/// Meetings, soonest first, optionally in one neighbourhood; with the total.
pub fn list(
    conn: &mut DbConnection,
    neighbourhood_id: Option<i32>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<MeetingRow>, i64)> {
    let build = || {
        let mut q = meetings::table.into_boxed();
        if let Some(n) = neighbourhood_id {
            q = q.filter(meetings::neighbourhood_id.eq(n));
        }
        q
    };
    let total = build().count().get_result(conn)?;
    let rows = build()
        .order((meetings::starts_at.desc(), meetings::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(MeetingRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// (meeting, going, count) for these meetings.
pub fn rsvp_counts(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<Vec<(i32, bool, i64)>> {
    meeting_rsvps::table
        .filter(meeting_rsvps::meeting_id.eq_any(ids))
        .group_by((meeting_rsvps::meeting_id, meeting_rsvps::going))
        .select((
            meeting_rsvps::meeting_id,
            meeting_rsvps::going,
            diesel::dsl::count_star(),
        ))
        .load(conn)
}

pub fn my_rsvps(
    conn: &mut DbConnection,
    user_id: i32,
    ids: &[i32],
) -> QueryResult<Vec<(i32, bool)>> {
    meeting_rsvps::table
        .filter(meeting_rsvps::user_id.eq(user_id))
        .filter(meeting_rsvps::meeting_id.eq_any(ids))
        .select((meeting_rsvps::meeting_id, meeting_rsvps::going))
        .load(conn)
}

pub fn going_count(conn: &mut DbConnection, meeting_id: i32) -> QueryResult<i64> {
    meeting_rsvps::table
        .filter(meeting_rsvps::meeting_id.eq(meeting_id))
        .filter(meeting_rsvps::going.eq(true))
        .count()
        .get_result(conn)
}

/// Sets my RSVP (insert or change).
pub fn set_rsvp(
    conn: &mut DbConnection,
    meeting_id: i32,
    user_id: i32,
    going: bool,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let target = meeting_rsvps::table
        .filter(meeting_rsvps::meeting_id.eq(meeting_id))
        .filter(meeting_rsvps::user_id.eq(user_id));
    let changed = diesel::update(target)
        .set((
            meeting_rsvps::going.eq(going),
            meeting_rsvps::updated_at.eq(at),
        ))
        .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(meeting_rsvps::table)
            .values((
                meeting_rsvps::meeting_id.eq(meeting_id),
                meeting_rsvps::user_id.eq(user_id),
                meeting_rsvps::going.eq(going),
                meeting_rsvps::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn topic_counts(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<Vec<(i32, i64)>> {
    topics::table
        .filter(topics::meeting_id.eq_any(ids))
        .group_by(topics::meeting_id)
        .select((topics::meeting_id, diesel::dsl::count_star()))
        .load(conn)
}

pub fn find_topic(conn: &mut DbConnection, id: i32) -> QueryResult<Option<TopicRow>> {
    topics::table
        .find(id)
        .select(TopicRow::as_select())
        .first(conn)
        .optional()
}

/// A meeting's topics by support, most first.
pub fn topics_of(conn: &mut DbConnection, meeting_id: i32) -> QueryResult<Vec<TopicRow>> {
    topics::table
        .filter(topics::meeting_id.eq(meeting_id))
        .order((topics::support_count.desc(), topics::id.asc()))
        .select(TopicRow::as_select())
        .load(conn)
}

pub fn insert_topic(conn: &mut DbConnection, new: &NewTopic) -> QueryResult<i32> {
    diesel::insert_into(topics::table)
        .values(new)
        .returning(topics::id)
        .get_result(conn)
}

pub fn insert_event(conn: &mut DbConnection, new: &NewTopicEvent) -> QueryResult<usize> {
    diesel::insert_into(topic_events::table)
        .values(new)
        .execute(conn)
}

pub fn events_of(conn: &mut DbConnection, topic_ids: &[i32]) -> QueryResult<Vec<TopicEventRow>> {
    topic_events::table
        .filter(topic_events::topic_id.eq_any(topic_ids))
        .order((topic_events::created_at.asc(), topic_events::id.asc()))
        .select(TopicEventRow::as_select())
        .load(conn)
}

/// Topics among these that `user_id` supports.
pub fn supported_by(
    conn: &mut DbConnection,
    user_id: i32,
    topic_ids: &[i32],
) -> QueryResult<Vec<i32>> {
    topic_supports::table
        .filter(topic_supports::user_id.eq(user_id))
        .filter(topic_supports::topic_id.eq_any(topic_ids))
        .select(topic_supports::topic_id)
        .load(conn)
}

/// Adds or removes a support and keeps `support_count` equal to the rows.
/// Returns false when there was nothing to add or remove.
pub fn set_support(
    conn: &mut DbConnection,
    topic_id: i32,
    user_id: i32,
    on: bool,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let mine = topic_supports::table
        .filter(topic_supports::topic_id.eq(topic_id))
        .filter(topic_supports::user_id.eq(user_id));
    let exists: bool = diesel::select(diesel::dsl::exists(mine)).get_result(conn)?;
    // Checked first: on PostgreSQL a failed insert would abort the transaction.
    // A concurrent duplicate still hits the primary key (a 409).
    let changed = match (on, exists) {
        (true, false) => diesel::insert_into(topic_supports::table)
            .values((
                topic_supports::topic_id.eq(topic_id),
                topic_supports::user_id.eq(user_id),
                topic_supports::created_at.eq(at),
            ))
            .execute(conn)?,
        (false, true) => diesel::delete(mine).execute(conn)?,
        _ => 0,
    };
    if changed == 0 {
        return Ok(false);
    }
    let delta = if on { 1 } else { -1 };
    diesel::update(topics::table.find(topic_id))
        .set(topics::support_count.eq(topics::support_count + delta))
        .execute(conn)?;
    Ok(true)
}

/// Everyone who should hear about a topic: its proposer and its supporters.
pub fn followers(conn: &mut DbConnection, topic: &TopicRow) -> QueryResult<Vec<i32>> {
    let mut ids: Vec<i32> = topic_supports::table
        .filter(topic_supports::topic_id.eq(topic.id))
        .select(topic_supports::user_id)
        .load(conn)?;
    if let Some(p) = topic.proposer_id {
        ids.push(p);
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

pub fn report_counts(conn: &mut DbConnection, topic_ids: &[i32]) -> QueryResult<Vec<(i32, i64)>> {
    topic_reports::table
        .filter(topic_reports::topic_id.eq_any(topic_ids))
        .group_by(topic_reports::topic_id)
        .select((topic_reports::topic_id, diesel::dsl::count_star()))
        .load(conn)
}

pub fn link_reports(conn: &mut DbConnection, topic_id: i32, report_ids: &[i32]) -> QueryResult<()> {
    for r in report_ids {
        diesel::insert_into(topic_reports::table)
            .values((
                topic_reports::topic_id.eq(topic_id),
                topic_reports::report_id.eq(*r),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Topics I proposed or support, newest first.
pub fn topics_of_user(conn: &mut DbConnection, user_id: i32) -> QueryResult<Vec<TopicRow>> {
    let supported = topic_supports::table
        .filter(topic_supports::user_id.eq(user_id))
        .select(topic_supports::topic_id);
    topics::table
        .filter(
            topics::proposer_id
                .eq(user_id)
                .or(topics::id.eq_any(supported)),
        )
        .order((topics::created_at.desc(), topics::id.desc()))
        .select(TopicRow::as_select())
        .load(conn)
}

pub fn find_action(conn: &mut DbConnection, id: i32) -> QueryResult<Option<ActionRow>> {
    follow_up_actions::table
        .find(id)
        .select(ActionRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_action(conn: &mut DbConnection, new: &NewAction) -> QueryResult<i32> {
    diesel::insert_into(follow_up_actions::table)
        .values(new)
        .returning(follow_up_actions::id)
        .get_result(conn)
}

pub fn actions_of(conn: &mut DbConnection, topic_ids: &[i32]) -> QueryResult<Vec<ActionRow>> {
    follow_up_actions::table
        .filter(follow_up_actions::topic_id.eq_any(topic_ids))
        .order((follow_up_actions::due_on.asc(), follow_up_actions::id.asc()))
        .select(ActionRow::as_select())
        .load(conn)
}

/// The follow-up tracker: actions by due date, optionally only unfinished or
/// only overdue ones, and only those of some owners.
pub fn tracker(
    conn: &mut DbConnection,
    open_only: bool,
    overdue_on: Option<NaiveDate>,
    owners: &[&str],
) -> QueryResult<Vec<ActionRow>> {
    let mut q = follow_up_actions::table.into_boxed();
    if open_only || overdue_on.is_some() {
        q = q.filter(follow_up_actions::status.ne("done"));
    }
    if let Some(day) = overdue_on {
        q = q.filter(follow_up_actions::due_on.lt(day));
    }
    if !owners.is_empty() {
        q = q.filter(follow_up_actions::owner.eq_any(owners.to_vec()));
    }
    q.order((follow_up_actions::due_on.asc(), follow_up_actions::id.asc()))
        .limit(500)
        .select(ActionRow::as_select())
        .load(conn)
}

pub fn updates_of(
    conn: &mut DbConnection,
    action_ids: &[i32],
) -> QueryResult<Vec<ActionUpdateRow>> {
    action_updates::table
        .filter(action_updates::action_id.eq_any(action_ids))
        .order((action_updates::created_at.asc(), action_updates::id.asc()))
        .select(ActionUpdateRow::as_select())
        .load(conn)
}

pub fn insert_update(conn: &mut DbConnection, new: &NewActionUpdate) -> QueryResult<usize> {
    diesel::insert_into(action_updates::table)
        .values(new)
        .execute(conn)
}

pub fn topics_by_ids(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<Vec<TopicRow>> {
    topics::table
        .filter(topics::id.eq_any(ids))
        .select(TopicRow::as_select())
        .load(conn)
}
