//! Filing reports on PostgreSQL: the filing lane. Filing is the write a rush
//! of reports repeats, and every filing adds to the same few dashboard counts
//! (reports per day, category and status, per neighbourhood and group). Filed
//! one by one, concurrent filings queue for those rows' locks, each held until
//! its commit, so a rush on one neighbourhood, the very case the platform must
//! bear, files one at a time; and each filing costs PostgreSQL round trips,
//! plan set-ups and a commit of its own.
//!
//! So a filing request, once its token and body are checked, goes to the lane
//! instead of the connection pool: a thread (two, so that one batch is written
//! while the next is read) with a connection of its own takes whatever queued
//! up meanwhile, up to [`MAX_BATCH`], reads what the filings need (accounts,
//! categories, neighbourhoods, activity states: three queries for the batch,
//! one for a single filing), lets each request check its own (the handler's
//! rules, [`Request::prepare`]), and stores the accepted reports with their
//! first events and counts in one statement ([`file_many`]): each count row is
//! updated once per batch. A quiet server files each report alone, without
//! waiting for company, in the two round trips of a single filing. A report
//! whose reporter's activity state changes (their first action of a day) is
//! filed alone, in a transaction that locks that state
//! ([`Draft::file_alone`]). Every request is answered after the commit of its
//! statement, with its own rows. When a batch's statement fails for something
//! other than a lost connection, its reports are filed again one by one, so
//! that one bad filing fails alone.
//!
//! The lane holds nothing between requests: with several instances each has
//! its own, and they meet only in the database. Filings wait in the lane, not
//! in the pool's queue, so a rush of reports does not queue behind reads, nor
//! reads behind it beyond the lane's own connections.
//!
//! SQLite files on its writer thread, which batches every write already.

use std::sync::mpsc;
use std::time::Duration;

use diesel::pg::{Pg, PgConnection};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Integer, Nullable, Text, Timestamp};
use diesel::{Column, Expression};

use super::reports::{EventRow, FilingLookup, NewEvent, NewReport, ReportRow};
use super::schema::{report_events, reports};
use super::{establish_serving, DbConnection};
use crate::config::DatabaseKind;
use crate::error::{ApiError, ApiResult};
use crate::gate::Gate;
use crate::metrics::rollup::{ActivityState, RollupColumns, Tally};

/// At most this many reports share a statement.
const MAX_BATCH: usize = 64;

/// Batches in flight at once: one is written while the next is read.
const THREADS: usize = 2;

/// Filings that may wait for the lane: about a second of its work on a
/// 2-core machine. More are refused at once (503, try again), rather than
/// queued for longer than a client waits.
const QUEUE: usize = 4096;

/// Stores `report`, its first `event` (whose `report_id` is ignored: it is
/// the new report's), the reporter's new activity state if given, and adds
/// `counts` to the rollups, in one statement.
pub fn file(
    conn: &mut DbConnection,
    report: &NewReport,
    event: &NewEvent,
    activity: Option<(i32, ActivityState)>,
    counts: &Tally,
) -> QueryResult<(ReportRow, EventRow)> {
    let nonzero = counts.nonzero();
    let mut rollups = RollupColumns::default();
    rollups.extend(&nonzero);
    let statement = One {
        report: diesel::insert_into(reports::table)
            .values(report)
            .returning(reports::all_columns),
        event,
        activity,
        rollups,
    };
    let (row, event_id): (ReportRow, i32) = match conn {
        DbConnection::Pg(c) => statement.get_result(c)?,
        DbConnection::Sqlite(_) => return Err(not_sqlite()),
    };
    let event = stored_event(event_id, row.id, event);
    Ok((row, event))
}

fn not_sqlite() -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError("one-statement filing is PostgreSQL's".into())
}

/// The event row as stored by a filing statement.
fn stored_event(id: i32, report_id: i32, event: &NewEvent) -> EventRow {
    EventRow {
        id,
        report_id,
        actor_id: event.actor_id,
        actor_role: event.actor_role.to_owned(),
        event: event.event.to_owned(),
        from_status: event.from_status.map(str::to_owned),
        to_status: event.to_status.map(str::to_owned),
        public_note: event.public_note.map(str::to_owned),
        internal_note: event.internal_note.map(str::to_owned),
        created_at: event.created_at,
    }
}

/// Stores every report with its first event (`report_id` ignored) and adds
/// `counts` (all of the reports' counts together) to the rollups, in one
/// statement; answers the stored rows in the order of `filings`.
fn file_many<'a>(
    conn: &mut DbConnection,
    filings: &[(NewReport<'a>, NewEvent<'a>)],
    counts: &'a Tally,
) -> QueryResult<Vec<(ReportRow, EventRow)>> {
    let mut statement = Many {
        reports: ReportColumns::default(),
        events: EventColumns::default(),
        rollups: RollupColumns::default(),
    };
    for (report, event) in filings {
        statement.reports.push(report);
        statement.events.push(event);
    }
    let nonzero = counts.nonzero();
    statement.rollups.extend(&nonzero);
    let rows: Vec<(ReportRow, i32, i64)> = match conn {
        DbConnection::Pg(c) => statement.load(c)?,
        DbConnection::Sqlite(_) => return Err(not_sqlite()),
    };
    if rows.len() != filings.len() {
        return Err(diesel::result::Error::QueryBuilderError(
            format!("filed {} reports of {}", rows.len(), filings.len()).into(),
        ));
    }
    Ok(rows
        .into_iter()
        .zip(filings)
        .map(|((row, event_id, _), (_, event))| {
            let event = stored_event(event_id, row.id, event);
            (row, event)
        })
        .collect())
}

/// Columns of new rows as one array per column, bound as arrays and read
/// back by `unnest`, so that the statement's text does not depend on how many
/// rows there are and PostgreSQL keeps it prepared. Each column's SQL type
/// comes from `schema.rs`, and `push` names every field of the insertable, so
/// a column added to one and not here does not compile.
macro_rules! columns {
    ($name:ident, $new:ident, $table:ident, [$($skip:ident),*], $($col:ident: $ty:ty),+ $(,)?) => {
        #[derive(Default)]
        struct $name<'a> {
            $($col: Vec<$ty>,)+
        }

        impl<'a> $name<'a> {
            fn push(&mut self, row: &$new<'a>) {
                let $new { $($col,)+ $($skip: _,)* } = row;
                $(self.$col.push(*$col);)+
            }

            const NAMES: &'static [&'static str] = &[$(<$table::$col as Column>::NAME),+];

            /// The arrays, separated by commas.
            fn bind<'b>(&'b self, out: &mut AstPass<'_, 'b, Pg>) -> QueryResult<()> {
                let mut first = true;
                $(
                    if !std::mem::take(&mut first) {
                        out.push_sql(", ");
                    }
                    out.push_bind_param::<Array<<$table::$col as Expression>::SqlType>, _>(&self.$col)?;
                )+
                Ok(())
            }
        }
    };
}

columns!(ReportColumns, NewReport, reports, [],
    reporter_id: Option<i32>,
    category_id: i32,
    kind: &'a str,
    neighbourhood_id: i32,
    description: &'a str,
    occurred_at: chrono::NaiveDateTime,
    lat: Option<f64>,
    lon: Option<f64>,
    address: Option<&'a str>,
    anonymous_to_partners: bool,
    contact_ok: bool,
    status: &'a str,
    due_at: chrono::NaiveDateTime,
    created_at: chrono::NaiveDateTime,
    updated_at: chrono::NaiveDateTime,
    reporter_group: Option<&'a str>,
);

// `report_id` is the new report's.
columns!(EventColumns, NewEvent, report_events, [report_id],
    actor_id: Option<i32>,
    actor_role: &'a str,
    event: &'a str,
    from_status: Option<&'a str>,
    to_status: Option<&'a str>,
    public_note: Option<&'a str>,
    internal_note: Option<&'a str>,
    created_at: chrono::NaiveDateTime,
);

/// `, c AS (…upsert…)`, or nothing without counts.
fn walk_rollups<'b>(
    rollups: &'b RollupColumns<'_>,
    out: &mut AstPass<'_, 'b, Pg>,
) -> QueryResult<()> {
    if rollups.is_empty() {
        return Ok(());
    }
    out.push_sql(", c AS (");
    rollups.walk_upsert(out)?;
    out.push_sql(")");
    Ok(())
}

/// One report: diesel's own `INSERT … RETURNING` of it (so that its columns
/// stay checked against the schema), its event, the activity state, the
/// counts. Cheaper for PostgreSQL than [`Many`] with one row.
struct One<'a, R> {
    report: R,
    event: &'a NewEvent<'a>,
    activity: Option<(i32, ActivityState)>,
    rollups: RollupColumns<'a>,
}

impl<R: QueryFragment<Pg>> QueryFragment<Pg> for One<'_, R> {
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
        walk_rollups(&self.rollups, &mut out)?;
        out.push_sql(" SELECT r.*, e.id FROM r, e");
        Ok(())
    }
}

/// Its text depends on which parts are present, so it is cached by that text.
impl<R> QueryId for One<'_, R> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<R: Query> Query for One<'_, R> {
    type SqlType = (R::SqlType, Integer);
}

impl<R> RunQueryDsl<PgConnection> for One<'_, R> {}

/// Any number of reports, with their events and counts.
struct Many<'a> {
    reports: ReportColumns<'a>,
    events: EventColumns<'a>,
    rollups: RollupColumns<'a>,
}

/// `prefix` before each of `names`, separated by commas.
fn push_names(out: &mut AstPass<'_, '_, Pg>, prefix: &str, names: &[&str]) {
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push_sql(", ");
        }
        out.push_sql(prefix);
        out.push_sql(name);
    }
}

impl QueryFragment<Pg> for Many<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        // Each new report's id is drawn here, so that its event can name it
        // and the answer can be matched to its request by `ord`.
        out.push_sql(
            "WITH i AS MATERIALIZED (SELECT nextval('reports_id_seq'::regclass)::integer AS id, \
             t.* FROM unnest(",
        );
        self.reports.bind(&mut out)?;
        out.push_sql(", ");
        self.events.bind(&mut out)?;
        out.push_sql(") WITH ORDINALITY AS t(");
        push_names(&mut out, "r_", ReportColumns::NAMES);
        out.push_sql(", ");
        push_names(&mut out, "e_", EventColumns::NAMES);
        out.push_sql(", ord)), r AS (INSERT INTO reports (id, ");
        push_names(&mut out, "", ReportColumns::NAMES);
        out.push_sql(") SELECT id, ");
        push_names(&mut out, "r_", ReportColumns::NAMES);
        out.push_sql(" FROM i RETURNING ");
        reports::all_columns.walk_ast(out.reborrow())?;
        out.push_sql("), e AS (INSERT INTO report_events (report_id, ");
        push_names(&mut out, "", EventColumns::NAMES);
        out.push_sql(") SELECT id, ");
        push_names(&mut out, "e_", EventColumns::NAMES);
        out.push_sql(" FROM i RETURNING id, report_id)");
        walk_rollups(&self.rollups, &mut out)?;
        out.push_sql(
            " SELECT r.*, e.id, i.ord FROM r JOIN e ON e.report_id = r.id \
             JOIN i ON i.id = r.id ORDER BY i.ord",
        );
        Ok(())
    }
}

/// Its text depends on whether there are counts (not on how many reports),
/// so it is cached by that text.
impl QueryId for Many<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for Many<'_> {
    type SqlType = (reports::SqlType, Integer, BigInt);
}

impl RunQueryDsl<PgConnection> for Many<'_> {}

// ---- the lane ----

/// What a filing needs looked up: the caller's account id, the category id
/// and the neighbourhood id (see [`super::reports::filing_lookups`]).
pub type Keys = (i32, i32, i32);

/// A request to file a report, as the handler hands it to the lane.
pub trait Request: Send + 'static {
    type Draft: Draft;

    fn keys(&self) -> Keys;

    /// Checks the request against what the lane read for it (`None`: no such
    /// account): the report ready to store, and whether it must be filed
    /// alone (its reporter's activity state changes).
    fn prepare(self, lookup: Option<FilingLookup>) -> ApiResult<(Self::Draft, bool)>;
}

/// A report ready to be stored. It comes back with the stored rows, so the
/// request can answer from it.
pub trait Draft: Send + 'static {
    fn report(&self) -> NewReport<'_>;
    /// The first event; its `report_id` is ignored.
    fn event(&self) -> NewEvent<'_>;
    /// The counts the report adds when its reporter's activity stays as it is.
    fn counts(&self) -> &Tally;
    /// Files it in a transaction of its own, with its reporter's activity.
    fn file_alone(&self, conn: &mut DbConnection) -> ApiResult<(ReportRow, EventRow)>;
}

pub type Filed<D> = (D, ReportRow, EventRow);

type Answer<D> = tokio::sync::oneshot::Sender<ApiResult<Filed<D>>>;

/// A queued request and where its answer goes.
trait Job: Send {
    fn keys(&self) -> Keys;
    /// The request checked: ready to store, or answered with its refusal.
    fn prepare(self: Box<Self>, lookup: Option<FilingLookup>) -> Option<Box<dyn Ready>>;
    fn fail(self: Box<Self>, error: ApiError);
}

/// A checked request with its draft.
trait Ready: Send {
    fn draft(&self) -> &dyn Draft;
    fn alone(&self) -> bool;
    fn answer(self: Box<Self>, result: ApiResult<(ReportRow, EventRow)>);
}

struct Pending<R: Request> {
    request: R,
    done: Answer<R::Draft>,
}

struct Prepared<D: Draft> {
    draft: D,
    alone: bool,
    done: Answer<D>,
}

impl<R: Request> Job for Pending<R> {
    fn keys(&self) -> Keys {
        self.request.keys()
    }

    fn prepare(self: Box<Self>, lookup: Option<FilingLookup>) -> Option<Box<dyn Ready>> {
        let Pending { request, done } = *self;
        match request.prepare(lookup) {
            Ok((draft, alone)) => Some(Box::new(Prepared { draft, alone, done })),
            Err(e) => {
                let _ = done.send(Err(e));
                None
            }
        }
    }

    fn fail(self: Box<Self>, error: ApiError) {
        let _ = self.done.send(Err(error));
    }
}

impl<D: Draft> Ready for Prepared<D> {
    fn draft(&self) -> &dyn Draft {
        &self.draft
    }

    fn alone(&self) -> bool {
        self.alone
    }

    fn answer(self: Box<Self>, result: ApiResult<(ReportRow, EventRow)>) {
        let Prepared { draft, done, .. } = *self;
        // The request may be gone (its client disconnected); its report stays.
        let _ = done.send(result.map(|(report, event)| (draft, report, event)));
    }
}

/// The filing lane: threads with a connection of their own each.
#[derive(Clone)]
pub struct Lane {
    jobs: mpsc::SyncSender<Box<dyn Job>>,
    /// The server's request gate: a filing takes its request's place there
    /// before it queues here, as `db::run` and `db::run_write` do.
    gate: Option<Gate>,
}

impl Lane {
    /// A lane whose statements may run for `statement_timeout` each, for
    /// requests that wait at `gate`.
    pub fn start(url: String, statement_timeout: Duration, gate: Gate) -> anyhow::Result<Lane> {
        let mut lane = Lane::with_queue(url, statement_timeout, QUEUE)?;
        lane.gate = Some(gate);
        Ok(lane)
    }

    /// A lane on which at most `queue` filings wait, behind no gate.
    pub fn with_queue(
        url: String,
        statement_timeout: Duration,
        queue: usize,
    ) -> anyhow::Result<Lane> {
        let (jobs, queue) = mpsc::sync_channel::<Box<dyn Job>>(queue);
        let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
        for n in 0..THREADS {
            let (queue, url) = (queue.clone(), url.clone());
            std::thread::Builder::new()
                .name(format!("pg-filing-{n}"))
                .spawn(move || {
                    let mut conn: Option<DbConnection> = None;
                    // Ends when the last sender (the pool) is gone.
                    while let Some(batch) = next_batch(&queue) {
                        if conn.is_none() {
                            conn =
                                establish_serving(&url, DatabaseKind::Postgres, statement_timeout)
                                    .ok();
                        }
                        if !run_batch(conn.as_mut(), batch) {
                            conn = None;
                        }
                    }
                })?;
        }
        Ok(Lane { jobs, gate: None })
    }

    /// Queues `request`, once its request has its place at the gate, and
    /// waits until its report is stored (or why not).
    pub async fn file<R: Request>(&self, request: R) -> ApiResult<Filed<R::Draft>> {
        if let Some(gate) = &self.gate {
            gate.enter().await?;
        }
        let (done, answer) = tokio::sync::oneshot::channel();
        match self.jobs.try_send(Box::new(Pending { request, done })) {
            Ok(()) => {}
            Err(mpsc::TrySendError::Full(_)) => {
                return Err(ApiError::Unavailable("the filing lane is full".into()))
            }
            Err(mpsc::TrySendError::Disconnected(_)) => {
                return Err(ApiError::Internal(anyhow::anyhow!(
                    "the filing lane stopped"
                )))
            }
        }
        answer
            .await
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("a filing was dropped unanswered")))?
    }
}

/// Waits for a job, then takes those queued behind it.
fn next_batch(queue: &std::sync::Mutex<mpsc::Receiver<Box<dyn Job>>>) -> Option<Vec<Box<dyn Job>>> {
    // A poisoned lock still guards a working receiver.
    let queue = queue
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut batch = vec![queue.recv().ok()?];
    while batch.len() < MAX_BATCH {
        match queue.try_recv() {
            Ok(job) => batch.push(job),
            Err(_) => break,
        }
    }
    Some(batch)
}

fn unavailable() -> ApiError {
    ApiError::Unavailable("database: the report was not stored".into())
}

/// Reads, checks and files `batch`, and answers every request; false when
/// the connection must be replaced.
fn run_batch(conn: Option<&mut DbConnection>, batch: Vec<Box<dyn Job>>) -> bool {
    let Some(conn) = conn else {
        for job in batch {
            job.fail(ApiError::Unavailable("database: cannot connect".into()));
        }
        return false;
    };
    let keys: Vec<Keys> = batch.iter().map(|job| job.keys()).collect();
    let lookups = match &keys[..] {
        [(user, category, hood)] => {
            super::reports::filing_lookup(conn, *user, *category, *hood).map(|l| vec![l])
        }
        _ => super::reports::filing_lookups(conn, &keys),
    };
    let lookups = match lookups {
        Ok(lookups) => lookups,
        Err(e) => {
            let e = ApiError::from(e);
            let lost = matches!(e, ApiError::Unavailable(_));
            if !lost {
                tracing::error!(error = ?e, "the filing lane's lookup failed");
            }
            for job in batch {
                job.fail(if lost {
                    unavailable()
                } else {
                    ApiError::Internal(anyhow::anyhow!("the filing lookup failed"))
                });
            }
            return !lost;
        }
    };
    let mut together = Vec::with_capacity(batch.len());
    let mut healthy = true;
    for (job, lookup) in batch.into_iter().zip(lookups) {
        // The handler's checks run here: a panic in one loses its answer
        // (its request gets an error), not the lane.
        let ready = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job.prepare(lookup)));
        let Ok(Some(ready)) = ready else { continue };
        if !ready.alone() {
            together.push(ready);
        } else if healthy {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                ready.draft().file_alone(conn)
            }));
            match result {
                Ok(result) => {
                    healthy &= !matches!(result, Err(ApiError::Unavailable(_)));
                    ready.answer(result);
                }
                // Its transaction may be left open: replace the connection.
                Err(_) => {
                    healthy = false;
                    ready.answer(Err(ApiError::Internal(anyhow::anyhow!(
                        "filing panicked; the report was not stored"
                    ))));
                }
            }
        } else {
            ready.answer(Err(unavailable()));
        }
    }
    if !healthy {
        for ready in together {
            ready.answer(Err(unavailable()));
        }
        return false;
    }
    file_together(conn, together)
}

/// Stores the checked reports of a batch in one statement and answers them;
/// false when the connection must be replaced.
fn file_together(conn: &mut DbConnection, mut batch: Vec<Box<dyn Ready>>) -> bool {
    let stored = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let drafts: Vec<&dyn Draft> = batch.iter().map(|ready| ready.draft()).collect();
        match drafts[..] {
            [] => Ok(Vec::new()),
            [one] => file(conn, &one.report(), &one.event(), None, one.counts()).map(|r| vec![r]),
            _ => {
                let filings: Vec<(NewReport, NewEvent)> =
                    drafts.iter().map(|d| (d.report(), d.event())).collect();
                let mut counts = Tally::default();
                for draft in &drafts {
                    counts.merge(draft.counts());
                }
                file_many(conn, &filings, &counts)
            }
        }
    }));
    match stored {
        Ok(Ok(rows)) => {
            for (ready, rows) in batch.into_iter().zip(rows) {
                ready.answer(Ok(rows));
            }
            true
        }
        // The statement failed as a whole, and nothing of it is stored.
        Ok(Err(e)) => {
            let e = ApiError::from(e);
            if matches!(e, ApiError::Unavailable(_)) {
                for ready in batch {
                    ready.answer(Err(unavailable()));
                }
                return false;
            }
            if batch.len() == 1 {
                if let Some(ready) = batch.pop() {
                    ready.answer(Err(e));
                }
                return true;
            }
            // One of them may be at fault: each on its own, so it fails alone.
            tracing::warn!(
                size = batch.len(),
                "a filing batch failed; filing its reports one by one"
            );
            let mut rest = batch.into_iter();
            while let Some(ready) = rest.next() {
                if !file_together(conn, vec![ready]) {
                    for ready in rest {
                        ready.answer(Err(unavailable()));
                    }
                    return false;
                }
            }
            true
        }
        Err(_) => {
            for ready in batch {
                ready.answer(Err(ApiError::Internal(anyhow::anyhow!(
                    "filing panicked; the report was not stored"
                ))));
            }
            false
        }
    }
}
