//! Rollups: the dashboard's counts, kept current by every write in the same
//! transaction. The functions here say which counts a write changes; a
//! [`Sink`] applies them to the database (live writes) or to an in-memory
//! [`Tally`] (the full recount and the demo seeder), so both paths share one
//! definition of every metric.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Date, Integer, Text};

use crate::db::schema::{user_activity, users};
use crate::db::DbConnection;
use shared::metrics::week_start;

pub const SIGNUPS: &str = "signups";
pub const ACTIVE: &str = "active";
pub const LAST_ACTION: &str = "last_action";
pub const FUNNEL: &str = "funnel";
pub const COHORT: &str = "cohort";
pub const REPORTS: &str = "reports";
pub const REPORTS_CAT: &str = "reports_cat";
pub const STATUS: &str = "status";
pub const TRIAGE: &str = "triage_h";
pub const RESOLVE: &str = "resolve_h";
pub const SATISFACTION: &str = "satisfaction";
pub const RESPONSES: &str = "responses";
pub const TOPICS: &str = "topics";
pub const SUPPORTS: &str = "supports";
pub const RSVPS: &str = "rsvps";
/// Sign-ups, verified students and participants activated within 30 days,
/// by the campaign they came through (`dim` = campaign id, "" for none), on
/// the day they signed up.
pub const CAMP_SIGNUPS: &str = "camp_signups";
pub const CAMP_VERIFIED: &str = "camp_verified";
pub const CAMP_ACTIVATED: &str = "camp_activated";

/// Dimension of a verified student's sign-up.
pub const VERIFIED: &str = "verified";

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub metric: &'static str,
    pub day: NaiveDate,
    pub group: String,
    pub hood: i32,
    pub dim: String,
}

/// Who acted, as the rollups see them: group and neighbourhood at the time.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i32,
    pub group: String,
    pub hood: i32,
    pub signed_up: NaiveDate,
    /// The campaign they signed up through.
    pub campaign: Option<i32>,
}

impl Actor {
    pub fn of(user: &crate::db::models::User) -> Actor {
        Actor {
            user_id: user.id,
            group: user.user_group.clone().unwrap_or_default(),
            hood: user.neighbourhood_id.unwrap_or(0),
            signed_up: user.created_at.date(),
            campaign: user.campaign_id,
        }
    }

    fn campaign_dim(&self) -> String {
        self.campaign.map(|c| c.to_string()).unwrap_or_default()
    }

    fn key(&self, metric: &'static str, day: NaiveDate, dim: impl Into<String>) -> Key {
        Key {
            metric,
            day,
            group: self.group.clone(),
            hood: self.hood,
            dim: dim.into(),
        }
    }
}

pub fn month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// Durations count in whole hours up to two days, in whole days after that:
/// exact enough for a median, and a few dozen rows per month at most.
pub fn hours_bucket(from: NaiveDateTime, to: NaiveDateTime) -> i64 {
    let h = (to - from).num_hours().max(0);
    if h < 48 {
        h
    } else {
        h / 24 * 24
    }
}

pub trait Sink {
    fn add(&mut self, key: Key, delta: i64) -> QueryResult<()>;
}

/// Applies counts to `metric_rollups`, in the caller's transaction.
pub struct Db<'a>(pub &'a mut DbConnection);

impl Sink for Db<'_> {
    fn add(&mut self, k: Key, delta: i64) -> QueryResult<()> {
        AddToRollup(&RollupRow::of(&k, delta)).execute(self.0)?;
        Ok(())
    }
}

/// What follows the values in every statement that adds to the rollups.
const ON_CONFLICT_ADD: &str = " ON CONFLICT (metric, day, user_group, neighbourhood_id, dim) \
     DO UPDATE SET n = metric_rollups.n + excluded.n";

/// Adds one row's `n` to `metric_rollups`, making the row if it is new.
///
/// Written out rather than built with `insert_into(..).on_conflict(..)
/// .do_update()`: diesel never keeps a `DO UPDATE` statement prepared (its
/// changeset could render differently from call to call), so every count a
/// write adds was parsed and planned anew, on SQLite on the writer thread
/// that every write of the process waits for. This text never changes, so
/// its type is its cache key and the connection prepares it once.
struct AddToRollup<'a>(&'a RollupRow<'a>);

impl QueryId for AddToRollup<'_> {
    type QueryId = AddToRollup<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<DB> QueryFragment<DB> for AddToRollup<'_>
where
    DB: diesel::backend::Backend
        + diesel::sql_types::HasSqlType<Text>
        + diesel::sql_types::HasSqlType<Date>
        + diesel::sql_types::HasSqlType<Integer>
        + diesel::sql_types::HasSqlType<BigInt>,
    str: diesel::serialize::ToSql<Text, DB>,
    NaiveDate: diesel::serialize::ToSql<Date, DB>,
    i32: diesel::serialize::ToSql<Integer, DB>,
    i64: diesel::serialize::ToSql<BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let row = self.0;
        out.push_sql(
            "INSERT INTO metric_rollups (metric, day, user_group, neighbourhood_id, dim, n) VALUES (",
        );
        out.push_bind_param::<Text, _>(row.metric)?;
        out.push_sql(", ");
        out.push_bind_param::<Date, _>(&row.day)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(row.user_group)?;
        out.push_sql(", ");
        out.push_bind_param::<Integer, _>(&row.neighbourhood_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(row.dim)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&row.n)?;
        out.push_sql(")");
        out.push_sql(ON_CONFLICT_ADD);
        Ok(())
    }
}

impl<Conn> RunQueryDsl<Conn> for AddToRollup<'_> {}

/// Counts in memory: the recount and the seeder fill one, then compare it
/// with or write it to the table.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Tally(pub HashMap<Key, i64>);

impl Sink for Tally {
    fn add(&mut self, key: Key, delta: i64) -> QueryResult<()> {
        *self.0.entry(key).or_default() += delta;
        Ok(())
    }
}

impl Tally {
    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &Tally) {
        for (key, n) in &other.0 {
            *self.0.entry(key.clone()).or_default() += n;
        }
    }

    /// Without zero rows, which the table may keep after a +1 and a -1.
    pub fn nonzero(&self) -> std::collections::BTreeMap<Key, i64> {
        self.0
            .iter()
            .filter(|(_, n)| **n != 0)
            .map(|(k, n)| (k.clone(), *n))
            .collect()
    }
}

// ---- participation ----

pub fn signed_up(sink: &mut impl Sink, who: &Actor) -> QueryResult<()> {
    sink.add(who.key(SIGNUPS, who.signed_up, ""), 1)?;
    sink.add(who.key(CAMP_SIGNUPS, who.signed_up, who.campaign_dim()), 1)
}

/// A student proved their enrolment: their sign-up moves to the verified column.
pub fn student_verified(sink: &mut impl Sink, who: &Actor) -> QueryResult<()> {
    sink.add(who.key(SIGNUPS, who.signed_up, ""), -1)?;
    sink.add(who.key(SIGNUPS, who.signed_up, VERIFIED), 1)?;
    sink.add(who.key(CAMP_VERIFIED, who.signed_up, who.campaign_dim()), 1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Report,
    Survey,
    Topic,
    Rsvp,
    /// Became a member of a prevention team.
    Team,
}

/// `firsts` flag: the person's activation (see [`CAMP_ACTIVATED`]) was counted.
const ACTIVATED_BIT: i32 = 64;

impl Action {
    fn bit(self) -> i32 {
        match self {
            Action::Report => 1,
            Action::Survey => 2,
            Action::Topic => 4,
            Action::Rsvp => 8,
            Action::Team => 16,
        }
    }

    /// What makes a new sign-up an active participant (an RSVP alone does not).
    pub fn activates(self) -> bool {
        !matches!(self, Action::Rsvp)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Report => "report",
            Action::Survey => "survey",
            Action::Topic => "topic",
            Action::Rsvp => "rsvp",
            Action::Team => "team",
        }
    }

    pub const ALL: [Action; 5] = [
        Action::Report,
        Action::Survey,
        Action::Topic,
        Action::Rsvp,
        Action::Team,
    ];
}

/// What the platform remembers of a person's past actions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ActivityState {
    /// Stored: the first action of the latest day with one (only its date counts).
    pub last_action_at: Option<NaiveDateTime>,
    pub firsts: i32,
}

/// Counts one action: the first of its kind enters the funnel, the first of
/// a week counts the person as active that week (and in their cohort's
/// retention), and the "last action" count moves to today. The first
/// activating action within 30 days of the sign-up activates the person for
/// the campaign results.
pub fn acted(
    sink: &mut impl Sink,
    who: &Actor,
    state: ActivityState,
    action: Action,
    at: NaiveDateTime,
) -> QueryResult<ActivityState> {
    let today = at.date();
    let week = week_start(today);
    let mut firsts = state.firsts | action.bit();
    if state.firsts & action.bit() == 0 {
        sink.add(who.key(FUNNEL, who.signed_up, action.as_str()), 1)?;
    }
    if state.firsts & ACTIVATED_BIT == 0
        && action.activates()
        && (today - who.signed_up).num_days() <= shared::campaigns::ACTIVATION_DAYS
    {
        sink.add(
            who.key(CAMP_ACTIVATED, who.signed_up, who.campaign_dim()),
            1,
        )?;
        firsts |= ACTIVATED_BIT;
    }
    let last = state.last_action_at.map(|t| t.date());
    if last.map(week_start) != Some(week) {
        sink.add(who.key(ACTIVE, week, ""), 1)?;
        let cohort = week_start(who.signed_up);
        let after = (week - cohort).num_weeks();
        if after >= 1 && after as usize <= shared::metrics::COHORT_WEEKS {
            sink.add(who.key(COHORT, cohort, after.to_string()), 1)?;
        }
    }
    if last != Some(today) {
        if let Some(last) = last {
            sink.add(who.key(LAST_ACTION, last, ""), -1)?;
        }
        sink.add(who.key(LAST_ACTION, today, ""), 1)?;
    }
    Ok(ActivityState {
        last_action_at: Some(at.max(state.last_action_at.unwrap_or(at))),
        firsts,
    })
}

/// [`acted`] against the database: reads and updates `user_activity` under a
/// row lock, so two concurrent actions of one person count once.
pub fn record_action(
    conn: &mut DbConnection,
    who: &Actor,
    action: Action,
    at: NaiveDateTime,
) -> QueryResult<()> {
    record_action_with(conn, who, action, at, Tally::default())
}

/// [`record_action`] that also applies `counts` the caller collected for the
/// same write, all in one statement.
pub fn record_action_with(
    conn: &mut DbConnection,
    who: &Actor,
    action: Action,
    at: NaiveDateTime,
    mut counts: Tally,
) -> QueryResult<()> {
    let state = locked_activity(conn, who.user_id, at)?;
    if let Some(next) = plan_action(&mut counts, who, state, action, at)? {
        diesel::update(user_activity::table.find(who.user_id))
            .set((
                user_activity::last_action_at.eq(next.last_action_at),
                user_activity::firsts.eq(next.firsts),
            ))
            .execute(conn)?;
    }
    apply(conn, &counts)
}

/// [`acted`], saying whether the person's stored state must change: `None`
/// when it stays as it is. Only the day of the last action is ever read, so
/// a person's second action of a day changes nothing, and then it adds no
/// counts either (every count [`acted`] adds goes with a new bit or a new
/// day). Both only move forward, so a `None` seen without a lock stays true.
pub fn plan_action(
    counts: &mut Tally,
    who: &Actor,
    state: ActivityState,
    action: Action,
    at: NaiveDateTime,
) -> QueryResult<Option<ActivityState>> {
    let next = acted(counts, who, state, action, at)?;
    let day = |s: &ActivityState| s.last_action_at.map(|t| t.date());
    Ok((next.firsts != state.firsts || day(&next) != day(&state)).then_some(next))
}

/// A person's activity state, locked until the end of the transaction; the
/// row is made first when they have none yet (a first action without a
/// login record, e.g. made by a script).
pub fn locked_activity(
    conn: &mut DbConnection,
    user_id: i32,
    at: NaiveDateTime,
) -> QueryResult<ActivityState> {
    if let Some(state) = activity_for_update(conn, user_id)? {
        return Ok(state);
    }
    let row = (
        user_activity::user_id.eq(user_id),
        user_activity::last_seen_at.eq(at),
    );
    match conn {
        DbConnection::Pg(c) => diesel::insert_into(user_activity::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(c)?,
        DbConnection::Sqlite(c) => diesel::insert_into(user_activity::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(c)?,
    };
    Ok(activity_for_update(conn, user_id)?.unwrap_or_default())
}

/// A person's activity state, row-locked on PostgreSQL until the end of the
/// transaction (SQLite's write transaction is exclusive already).
fn activity_for_update(
    conn: &mut DbConnection,
    user_id: i32,
) -> QueryResult<Option<ActivityState>> {
    let query = user_activity::table
        .find(user_id)
        .select((user_activity::last_action_at, user_activity::firsts));
    let row: Option<(Option<NaiveDateTime>, i32)> = match conn {
        DbConnection::Pg(c) => query.for_update().first(c).optional()?,
        DbConnection::Sqlite(c) => query.first(c).optional()?,
    };
    Ok(row.map(|(last_action_at, firsts)| ActivityState {
        last_action_at,
        firsts,
    }))
}

struct RollupRow<'a> {
    metric: &'a str,
    day: NaiveDate,
    user_group: &'a str,
    neighbourhood_id: i32,
    dim: &'a str,
    n: i64,
}

impl<'a> RollupRow<'a> {
    fn of(k: &'a Key, n: i64) -> RollupRow<'a> {
        RollupRow {
            metric: k.metric,
            day: k.day,
            user_group: &k.group,
            neighbourhood_id: k.hood,
            dim: &k.dim,
            n,
        }
    }
}

/// Rollup rows as columns, for PostgreSQL: bound as one array per column and
/// read back with `unnest`, so that any number of rows make the same text,
/// which PostgreSQL keeps prepared.
#[derive(Default)]
pub struct RollupColumns<'a> {
    metric: Vec<&'a str>,
    day: Vec<NaiveDate>,
    group: Vec<&'a str>,
    hood: Vec<i32>,
    dim: Vec<&'a str>,
    n: Vec<i64>,
}

impl<'a> RollupColumns<'a> {
    /// In key order (`Tally::nonzero`), so that concurrent writers lock the
    /// rows in the same order.
    pub fn extend(&mut self, counts: &'a std::collections::BTreeMap<Key, i64>) {
        for (k, n) in counts {
            self.metric.push(k.metric);
            self.day.push(k.day);
            self.group.push(&k.group);
            self.hood.push(k.hood);
            self.dim.push(&k.dim);
            self.n.push(*n);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.n.is_empty()
    }

    /// `INSERT INTO metric_rollups … SELECT * FROM unnest(…) ON CONFLICT …`.
    pub fn walk_upsert<'b>(&'b self, out: &mut AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql(
            "INSERT INTO metric_rollups (metric, day, user_group, neighbourhood_id, dim, n) \
             SELECT * FROM unnest(",
        );
        out.push_bind_param::<Array<Text>, _>(&self.metric)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Date>, _>(&self.day)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&self.group)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Integer>, _>(&self.hood)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&self.dim)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<BigInt>, _>(&self.n)?;
        out.push_sql(")");
        out.push_sql(ON_CONFLICT_ADD);
        Ok(())
    }
}

/// [`RollupColumns::walk_upsert`] as a statement of its own.
struct AddColumns<'a>(&'a RollupColumns<'a>);

impl QueryId for AddColumns<'_> {
    type QueryId = AddColumns<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl QueryFragment<Pg> for AddColumns<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.0.walk_upsert(&mut out)
    }
}

impl<Conn> RunQueryDsl<Conn> for AddColumns<'_> {}

/// Adds every count of `counts` to `metric_rollups`, in key order (so that
/// concurrent writers lock rows in the same order): one statement on
/// PostgreSQL, where each is a round trip; one per row on SQLite, which has
/// no round trips to save. Both statements stay prepared: diesel's own
/// `DO UPDATE` upsert would be parsed and planned on every write.
pub fn apply(conn: &mut DbConnection, counts: &Tally) -> QueryResult<()> {
    let nonzero = counts.nonzero();
    if nonzero.is_empty() {
        return Ok(());
    }
    match conn {
        DbConnection::Pg(c) => {
            let mut columns = RollupColumns::default();
            columns.extend(&nonzero);
            AddColumns(&columns).execute(c)?;
        }
        DbConnection::Sqlite(c) => {
            for (k, n) in &nonzero {
                AddToRollup(&RollupRow::of(k, *n)).execute(c)?;
            }
        }
    }
    Ok(())
}

/// The actor for a user id, read from the account.
pub fn actor(conn: &mut DbConnection, user_id: i32) -> QueryResult<Actor> {
    let user: crate::db::models::User = users::table.find(user_id).first(conn)?;
    Ok(Actor::of(&user))
}

// ---- reports ----

/// What the rollups need to know of a report.
#[derive(Debug, Clone)]
pub struct ReportFacts {
    pub created_at: NaiveDateTime,
    pub group: String,
    pub hood: i32,
    pub category_id: i32,
}

impl ReportFacts {
    fn key(&self, metric: &'static str, day: NaiveDate, dim: impl Into<String>) -> Key {
        Key {
            metric,
            day,
            group: self.group.clone(),
            hood: self.hood,
            dim: dim.into(),
        }
    }

    fn month(&self) -> NaiveDate {
        month(self.created_at.date())
    }
}

pub fn report_filed(sink: &mut impl Sink, r: &ReportFacts, status: &str) -> QueryResult<()> {
    sink.add(r.key(REPORTS, r.created_at.date(), ""), 1)?;
    sink.add(r.key(REPORTS_CAT, r.month(), r.category_id.to_string()), 1)?;
    sink.add(r.key(STATUS, r.month(), status), 1)
}

/// A status change; `from = submitted` is the triage decision, `to = resolved`
/// a resolution.
pub fn report_moved(
    sink: &mut impl Sink,
    r: &ReportFacts,
    from: &str,
    to: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    sink.add(r.key(STATUS, r.month(), from), -1)?;
    sink.add(r.key(STATUS, r.month(), to), 1)?;
    if from == "submitted" {
        let h = hours_bucket(r.created_at, at);
        sink.add(r.key(TRIAGE, r.month(), h.to_string()), 1)?;
    }
    if to == "resolved" {
        let h = hours_bucket(r.created_at, at);
        sink.add(r.key(RESOLVE, r.month(), h.to_string()), 1)?;
    }
    Ok(())
}

/// The reporter reopened a resolved report: its resolution no longer counts.
pub fn report_reopened(
    sink: &mut impl Sink,
    r: &ReportFacts,
    resolved_at: NaiveDateTime,
) -> QueryResult<()> {
    sink.add(r.key(STATUS, r.month(), "resolved"), -1)?;
    sink.add(r.key(STATUS, r.month(), "reopened"), 1)?;
    let h = hours_bucket(r.created_at, resolved_at);
    sink.add(r.key(RESOLVE, r.month(), h.to_string()), -1)
}

pub fn report_feedback(sink: &mut impl Sink, r: &ReportFacts, satisfied: bool) -> QueryResult<()> {
    let dim = if satisfied { "yes" } else { "no" };
    sink.add(r.key(SATISFACTION, r.month(), dim), 1)
}

pub fn report_facts(row: &crate::db::reports::ReportRow) -> ReportFacts {
    ReportFacts {
        created_at: row.created_at,
        group: row.reporter_group.clone().unwrap_or_default(),
        hood: row.neighbourhood_id,
        category_id: row.category_id,
    }
}

// ---- surveys and meetings ----

pub fn survey_answered(
    sink: &mut impl Sink,
    survey_id: i32,
    group: &str,
    hood: i32,
    day: NaiveDate,
) -> QueryResult<()> {
    sink.add(
        Key {
            metric: RESPONSES,
            day,
            group: group.to_owned(),
            hood,
            dim: survey_id.to_string(),
        },
        1,
    )
}

/// Topics, supports and RSVPs count on the meeting's day, in its neighbourhood,
/// under the group of the person who acted.
pub fn meeting_count(
    sink: &mut impl Sink,
    metric: &'static str,
    group: &str,
    meeting_hood: i32,
    meeting_day: NaiveDate,
    delta: i64,
) -> QueryResult<()> {
    sink.add(
        Key {
            metric,
            day: meeting_day,
            group: group.to_owned(),
            hood: meeting_hood,
            dim: String::new(),
        },
        delta,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    #[test]
    fn buckets_are_hours_then_days() {
        assert_eq!(hours_bucket(at(2, 0), at(2, 5)), 5);
        assert_eq!(hours_bucket(at(2, 0), at(3, 23)), 47);
        assert_eq!(hours_bucket(at(2, 0), at(4, 5)), 48);
        assert_eq!(hours_bucket(at(2, 0), at(5, 23)), 72);
        assert_eq!(hours_bucket(at(2, 5), at(2, 0)), 0);
    }

    #[test]
    fn actions_count_once_per_kind_and_week() {
        let who = Actor {
            user_id: 1,
            group: "student".into(),
            hood: 3,
            signed_up: at(2, 0).date(),
            campaign: Some(7),
        };
        let mut t = Tally::default();
        // Monday 2 Nov: report twice the same day, survey on Wednesday, report a week later.
        let s = acted(
            &mut t,
            &who,
            ActivityState::default(),
            Action::Report,
            at(2, 9),
        )
        .unwrap();
        let s = acted(&mut t, &who, s, Action::Report, at(2, 10)).unwrap();
        let s = acted(&mut t, &who, s, Action::Survey, at(4, 10)).unwrap();
        acted(&mut t, &who, s, Action::Report, at(9, 10)).unwrap();
        let count = |metric, day: NaiveDateTime, dim: &str| {
            t.0.get(&who.key(metric, day.date(), dim))
                .copied()
                .unwrap_or(0)
        };
        assert_eq!(count(FUNNEL, at(2, 0), "report"), 1);
        assert_eq!(count(FUNNEL, at(2, 0), "survey"), 1);
        assert_eq!(count(ACTIVE, at(2, 0), ""), 1);
        assert_eq!(count(ACTIVE, at(9, 0), ""), 1);
        assert_eq!(count(COHORT, at(2, 0), "1"), 1);
        // The "last action" count ends on the last day only.
        assert_eq!(count(LAST_ACTION, at(2, 0), ""), 0);
        assert_eq!(count(LAST_ACTION, at(4, 0), ""), 0);
        assert_eq!(count(LAST_ACTION, at(9, 0), ""), 1);
        // Activated once, on the sign-up day, for the campaign.
        assert_eq!(count(CAMP_ACTIVATED, at(2, 0), "7"), 1);
    }

    #[test]
    fn activation_needs_a_real_action_within_30_days() {
        let who = Actor {
            user_id: 1,
            group: "resident".into(),
            hood: 3,
            signed_up: at(1, 0).date(),
            campaign: None,
        };
        let late = NaiveDate::from_ymd_opt(2026, 12, 2)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let mut t = Tally::default();
        let s = acted(
            &mut t,
            &who,
            ActivityState::default(),
            Action::Rsvp,
            at(2, 9),
        )
        .unwrap();
        acted(&mut t, &who, s, Action::Report, late).unwrap();
        assert_eq!(t.0.get(&who.key(CAMP_ACTIVATED, who.signed_up, "")), None);
        let mut t = Tally::default();
        let s = acted(&mut t, &who, s, Action::Team, at(30, 9)).unwrap();
        acted(&mut t, &who, s, Action::Report, at(30, 10)).unwrap();
        assert_eq!(t.0[&who.key(CAMP_ACTIVATED, who.signed_up, "")], 1);
    }
}
