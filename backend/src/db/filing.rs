//! Filing a report on PostgreSQL in one statement: the report, its first
//! event, the reporter's activity state (when it changes) and the dashboard
//! counts, as data-modifying parts of one `WITH`. Each statement is a round
//! trip to the database, and filing is the write a rush of reports repeats:
//! the general path takes six (BEGIN, report, event, activity lock, counts,
//! COMMIT) where this takes one, with no transaction around it (a statement
//! is atomic by itself) when the reporter's activity state stays as it is.
//!
//! SQLite keeps the general path: it has no round trips to save, and its
//! writes are batched by the writer thread.

use diesel::pg::{Pg, PgConnection};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Date, Integer, Nullable, Text, Timestamp};

use super::reports::{EventRow, NewEvent, NewReport, ReportRow};
use super::schema::reports;
use super::DbConnection;
use crate::metrics::rollup::{ActivityState, Tally};

/// Stores `report`, its first `event` (whose `report_id` is ignored: it is
/// the new report's), the reporter's new activity state if given, and adds
/// `counts` to the rollups (in key order, as [`crate::metrics::rollup::apply`]
/// does, so that concurrent writers lock rows in the same order).
pub fn file(
    conn: &mut DbConnection,
    report: &NewReport,
    event: &NewEvent,
    activity: Option<(i32, ActivityState)>,
    counts: &Tally,
) -> QueryResult<(ReportRow, EventRow)> {
    let nonzero = counts.nonzero();
    let mut rollups = Rollups::default();
    for (k, n) in &nonzero {
        rollups.metric.push(k.metric);
        rollups.day.push(k.day);
        rollups.group.push(&k.group);
        rollups.hood.push(k.hood);
        rollups.dim.push(&k.dim);
        rollups.n.push(*n);
    }
    let statement = Filing {
        report: diesel::insert_into(reports::table)
            .values(report)
            .returning(reports::all_columns),
        event,
        activity,
        rollups,
    };
    let (row, event_id): (ReportRow, i32) = match conn {
        DbConnection::Pg(c) => statement.get_result(c)?,
        DbConnection::Sqlite(_) => {
            return Err(diesel::result::Error::QueryBuilderError(
                "one-statement filing is PostgreSQL's".into(),
            ))
        }
    };
    let event = EventRow {
        id: event_id,
        report_id: row.id,
        actor_id: event.actor_id,
        actor_role: event.actor_role.to_owned(),
        event: event.event.to_owned(),
        from_status: event.from_status.map(str::to_owned),
        to_status: event.to_status.map(str::to_owned),
        public_note: event.public_note.map(str::to_owned),
        internal_note: event.internal_note.map(str::to_owned),
        created_at: event.created_at,
    };
    Ok((row, event))
}

/// The rollup rows as columns, bound as arrays and read back by `unnest`, so
/// that the statement's text does not depend on how many counts change and
/// PostgreSQL can keep it prepared.
#[derive(Default)]
struct Rollups<'a> {
    metric: Vec<&'a str>,
    day: Vec<chrono::NaiveDate>,
    group: Vec<&'a str>,
    hood: Vec<i32>,
    dim: Vec<&'a str>,
    n: Vec<i64>,
}

struct Filing<'a, R> {
    /// diesel's own `INSERT … RETURNING` of the report, so that its columns
    /// stay checked against the schema.
    report: R,
    event: &'a NewEvent<'a>,
    activity: Option<(i32, ActivityState)>,
    rollups: Rollups<'a>,
}

impl<R: QueryFragment<Pg>> QueryFragment<Pg> for Filing<'_, R> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("WITH r AS (");
        self.report.walk_ast(out.reborrow())?;
        out.push_sql(
            "), e AS (INSERT INTO report_events (report_id, actor_id, actor_role, event, \
             from_status, to_status, public_note, internal_note, created_at) SELECT r.id, ",
        );
        let e = self.event;
        out.push_bind_param::<Nullable<Integer>, _>(&e.actor_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(e.actor_role)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(e.event)?;
        for text in [
            &e.from_status,
            &e.to_status,
            &e.public_note,
            &e.internal_note,
        ] {
            out.push_sql(", ");
            out.push_bind_param::<Nullable<Text>, _>(text)?;
        }
        out.push_sql(", ");
        out.push_bind_param::<Timestamp, _>(&e.created_at)?;
        out.push_sql(" FROM r RETURNING id)");
        if let Some((user_id, state)) = &self.activity {
            out.push_sql(", a AS (UPDATE user_activity SET last_action_at = ");
            out.push_bind_param::<Nullable<Timestamp>, _>(&state.last_action_at)?;
            out.push_sql(", firsts = ");
            out.push_bind_param::<Integer, _>(&state.firsts)?;
            out.push_sql(" WHERE user_id = ");
            out.push_bind_param::<Integer, _>(user_id)?;
            out.push_sql(")");
        }
        let c = &self.rollups;
        if !c.n.is_empty() {
            out.push_sql(
                ", c AS (INSERT INTO metric_rollups \
                 (metric, day, user_group, neighbourhood_id, dim, n) SELECT * FROM unnest(",
            );
            out.push_bind_param::<Array<Text>, _>(&c.metric)?;
            out.push_sql(", ");
            out.push_bind_param::<Array<Date>, _>(&c.day)?;
            out.push_sql(", ");
            out.push_bind_param::<Array<Text>, _>(&c.group)?;
            out.push_sql(", ");
            out.push_bind_param::<Array<Integer>, _>(&c.hood)?;
            out.push_sql(", ");
            out.push_bind_param::<Array<Text>, _>(&c.dim)?;
            out.push_sql(", ");
            out.push_bind_param::<Array<BigInt>, _>(&c.n)?;
            out.push_sql(
                ") ON CONFLICT (metric, day, user_group, neighbourhood_id, dim) \
                 DO UPDATE SET n = metric_rollups.n + excluded.n)",
            );
        }
        out.push_sql(" SELECT r.*, e.id FROM r, e");
        Ok(())
    }
}

/// Its text depends on which parts are present, so it is cached by that text.
impl<R> QueryId for Filing<'_, R> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<R: Query> Query for Filing<'_, R> {
    type SqlType = (R::SqlType, Integer);
}

impl<R> RunQueryDsl<PgConnection> for Filing<'_, R> {}
