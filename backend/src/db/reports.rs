//! Queries on report categories, reports, their events and notifications.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};

use super::models::User;
use super::schema::{
    notifications, report_categories, report_events, report_photos, reporter_report_counts, reports,
};
use super::DbConnection;
use crate::metrics::rollup::ActivityState;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = report_categories)]
pub struct CategoryRow {
    pub id: i32,
    pub code: String,
    pub kind: String,
    pub name_nl: String,
    pub name_en: String,
    pub triage_days: i32,
    pub police_by_default: bool,
    pub active: bool,
    pub position: i32,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = reports)]
pub struct ReportRow {
    pub id: i32,
    pub reporter_id: Option<i32>,
    pub category_id: i32,
    pub kind: String,
    pub neighbourhood_id: i32,
    pub description: String,
    pub occurred_at: NaiveDateTime,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub address: Option<String>,
    pub anonymous_to_partners: bool,
    pub contact_ok: bool,
    pub status: String,
    pub due_at: NaiveDateTime,
    pub forwarded_at: Option<NaiveDateTime>,
    pub police_handled_at: Option<NaiveDateTime>,
    pub resolved_at: Option<NaiveDateTime>,
    pub satisfied: Option<bool>,
    pub feedback: Option<String>,
    pub feedback_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub reporter_group: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = reports)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewReport<'a> {
    pub reporter_id: Option<i32>,
    pub category_id: i32,
    pub kind: &'a str,
    pub neighbourhood_id: i32,
    pub description: &'a str,
    pub occurred_at: NaiveDateTime,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub address: Option<&'a str>,
    pub anonymous_to_partners: bool,
    pub contact_ok: bool,
    pub status: &'a str,
    pub due_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub reporter_group: Option<&'a str>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = report_events)]
pub struct EventRow {
    pub id: i32,
    pub report_id: i32,
    pub actor_id: Option<i32>,
    pub actor_role: String,
    pub event: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub public_note: Option<String>,
    pub internal_note: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = report_events)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewEvent<'a> {
    pub report_id: i32,
    pub actor_id: Option<i32>,
    pub actor_role: &'a str,
    pub event: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: Option<&'a str>,
    pub public_note: Option<&'a str>,
    pub internal_note: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

impl<'a> NewEvent<'a> {
    /// An event without status change or notes; add them with the setters.
    pub fn new(
        report_id: i32,
        actor_id: Option<i32>,
        actor_role: &'a str,
        event: &'a str,
        at: NaiveDateTime,
    ) -> Self {
        NewEvent {
            report_id,
            actor_id,
            actor_role,
            event,
            from_status: None,
            to_status: None,
            public_note: None,
            internal_note: None,
            created_at: at,
        }
    }

    pub fn status(mut self, from: Option<&'a str>, to: &'a str) -> Self {
        self.from_status = from;
        self.to_status = Some(to);
        self
    }

    pub fn notes(mut self, public: Option<&'a str>, internal: Option<&'a str>) -> Self {
        self.public_note = public;
        self.internal_note = internal;
        self
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = report_photos)]
pub struct PhotoRow {
    pub id: i32,
    pub report_id: i32,
    pub storage_key: String,
    pub content_type: String,
    pub byte_size: i32,
    pub width: i32,
    pub height: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    pub id: i32,
    pub user_id: i32,
    pub report_id: Option<i32>,
    pub kind: String,
    pub status: Option<String>,
    pub public_note: Option<String>,
    pub created_at: NaiveDateTime,
    pub read_at: Option<NaiveDateTime>,
    pub topic_id: Option<i32>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = notifications)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewNotification<'a> {
    pub user_id: i32,
    pub report_id: Option<i32>,
    pub topic_id: Option<i32>,
    pub kind: &'a str,
    pub status: Option<&'a str>,
    pub public_note: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

pub fn categories(conn: &mut DbConnection) -> QueryResult<Vec<CategoryRow>> {
    report_categories::table
        .filter(report_categories::active.eq(true))
        .order((
            report_categories::position.asc(),
            report_categories::id.asc(),
        ))
        .select(CategoryRow::as_select())
        .load(conn)
}

pub fn category(conn: &mut DbConnection, id: i32) -> QueryResult<Option<CategoryRow>> {
    report_categories::table
        .find(id)
        .filter(report_categories::active.eq(true))
        .select(CategoryRow::as_select())
        .first(conn)
        .optional()
}

/// What filing a report needs to read first, in one query: the account of
/// the caller `user_id` (as [`super::users::find`] reads it), the active
/// category `id` (as [`category`]), whether neighbourhood `hood` is active,
/// and what the platform remembers of the caller's actions (`None`: no row
/// yet; read without a lock). `None` when there is no such account.
pub struct FilingLookup {
    pub user: User,
    pub category: Option<CategoryRow>,
    pub hood_active: bool,
    pub seen: Option<ActivityState>,
}

/// The account, the category, the neighbourhood's flag and the activity
/// state's two columns, as [`filing_lookup`] reads them.
type LookupRow = (
    User,
    Option<CategoryRow>,
    bool,
    Option<NaiveDateTime>,
    Option<i32>,
);

pub fn filing_lookup(
    conn: &mut DbConnection,
    user_id: i32,
    id: i32,
    hood: i32,
) -> QueryResult<Option<FilingLookup>> {
    use super::schema::{neighbourhoods, user_activity, users};
    let activity = user_activity::table.find(user_id);
    let row: Option<LookupRow> = users::table
        .left_join(
            report_categories::table.on(report_categories::id
                .eq(id)
                .and(report_categories::active.eq(true))),
        )
        .filter(users::id.eq(user_id))
        .select((
            User::as_select(),
            <Option<CategoryRow>>::as_select(),
            diesel::dsl::exists(
                neighbourhoods::table
                    .find(hood)
                    .filter(neighbourhoods::active.eq(true)),
            ),
            activity
                .select(user_activity::last_action_at)
                .single_value(),
            activity.select(user_activity::firsts).single_value(),
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(
        |(user, category, hood_active, last_action_at, firsts)| FilingLookup {
            user,
            category,
            hood_active,
            seen: firsts.map(|firsts| ActivityState {
                last_action_at,
                firsts,
            }),
        },
    ))
}

/// What filing a report reads first, for several filings at once: the
/// [`filing_lookup`] of each of `keys` (caller, category, neighbourhood), in
/// three queries whatever their number.
pub fn filing_lookups(
    conn: &mut DbConnection,
    keys: &[(i32, i32, i32)],
) -> QueryResult<Vec<Option<FilingLookup>>> {
    use super::schema::{neighbourhoods, user_activity, users};
    use std::collections::{HashMap, HashSet};
    let ids = |f: fn(&(i32, i32, i32)) -> i32| {
        let mut v: Vec<i32> = keys.iter().map(f).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let people: Vec<(User, Option<NaiveDateTime>, Option<i32>)> = users::table
        .left_join(user_activity::table)
        .filter(users::id.eq_any(ids(|k| k.0)))
        .select((
            User::as_select(),
            user_activity::last_action_at.nullable(),
            user_activity::firsts.nullable(),
        ))
        .load(conn)?;
    let people: HashMap<i32, (User, Option<ActivityState>)> = people
        .into_iter()
        .map(|(user, last_action_at, firsts)| {
            let seen = firsts.map(|firsts| ActivityState {
                last_action_at,
                firsts,
            });
            (user.id, (user, seen))
        })
        .collect();
    let categories: HashMap<i32, CategoryRow> = report_categories::table
        .filter(report_categories::id.eq_any(ids(|k| k.1)))
        .filter(report_categories::active.eq(true))
        .select(CategoryRow::as_select())
        .load::<CategoryRow>(conn)?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let hoods: HashSet<i32> = neighbourhoods::table
        .filter(neighbourhoods::id.eq_any(ids(|k| k.2)))
        .filter(neighbourhoods::active.eq(true))
        .select(neighbourhoods::id)
        .load::<i32>(conn)?
        .into_iter()
        .collect();
    Ok(keys
        .iter()
        .map(|&(user_id, category, hood)| {
            // One person may file several reports at once.
            let (user, seen) = people.get(&user_id).cloned()?;
            Some(FilingLookup {
                user,
                category: categories.get(&category).cloned(),
                hood_active: hoods.contains(&hood),
                seen,
            })
        })
        .collect())
}

pub fn category_codes(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<Vec<(i32, String)>> {
    report_categories::table
        .filter(report_categories::id.eq_any(ids))
        .select((report_categories::id, report_categories::code))
        .load(conn)
}

pub fn insert(conn: &mut DbConnection, new: &NewReport) -> QueryResult<ReportRow> {
    diesel::insert_into(reports::table)
        .values(new)
        .returning(reports::all_columns)
        .get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<ReportRow>> {
    reports::table
        .find(id)
        .select(ReportRow::as_select())
        .first(conn)
        .optional()
}

pub fn add_event(conn: &mut DbConnection, new: &NewEvent) -> QueryResult<usize> {
    diesel::insert_into(report_events::table)
        .values(new)
        .execute(conn)
}

/// [`add_event`] that answers the stored event.
pub fn insert_event(conn: &mut DbConnection, new: &NewEvent) -> QueryResult<EventRow> {
    diesel::insert_into(report_events::table)
        .values(new)
        .returning(report_events::all_columns)
        .get_result(conn)
}

pub fn events(conn: &mut DbConnection, report_id: i32) -> QueryResult<Vec<EventRow>> {
    report_events::table
        .filter(report_events::report_id.eq(report_id))
        .order((report_events::created_at.asc(), report_events::id.asc()))
        .select(EventRow::as_select())
        .load(conn)
}

pub fn photos(conn: &mut DbConnection, report_id: i32) -> QueryResult<Vec<PhotoRow>> {
    report_photos::table
        .filter(report_photos::report_id.eq(report_id))
        .order(report_photos::id.asc())
        .select(PhotoRow::as_select())
        .load(conn)
}

/// Moves the status only if it is still `from`: a concurrent change loses.
pub fn set_status(
    conn: &mut DbConnection,
    id: i32,
    from: &str,
    to: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let target = reports::table.find(id).filter(reports::status.eq(from));
    let n = match to {
        "forwarded" => diesel::update(target)
            .set((
                reports::status.eq(to),
                reports::updated_at.eq(at),
                reports::forwarded_at.eq(at),
            ))
            .execute(conn)?,
        "resolved" => diesel::update(target)
            .set((
                reports::status.eq(to),
                reports::updated_at.eq(at),
                reports::resolved_at.eq(at),
            ))
            .execute(conn)?,
        _ => diesel::update(target)
            .set((reports::status.eq(to), reports::updated_at.eq(at)))
            .execute(conn)?,
    };
    Ok(n == 1)
}

pub fn set_feedback(
    conn: &mut DbConnection,
    id: i32,
    satisfied: bool,
    comment: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        reports::table
            .find(id)
            .filter(reports::feedback_at.is_null()),
    )
    .set((
        reports::satisfied.eq(satisfied),
        reports::feedback.eq(comment),
        reports::feedback_at.eq(at),
        reports::updated_at.eq(at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Back into triage, with a fresh deadline.
pub fn reopen(
    conn: &mut DbConnection,
    id: i32,
    due_at: NaiveDateTime,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        reports::table
            .find(id)
            .filter(reports::status.eq("resolved")),
    )
    .set((
        reports::status.eq("reopened"),
        reports::due_at.eq(due_at),
        reports::resolved_at.eq(None::<NaiveDateTime>),
        reports::updated_at.eq(at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn mark_police_handled(
    conn: &mut DbConnection,
    id: i32,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        reports::table
            .find(id)
            .filter(reports::police_handled_at.is_null()),
    )
    .set((
        reports::police_handled_at.eq(at),
        reports::updated_at.eq(at),
    ))
    .execute(conn)
}

#[derive(Debug, Default, Clone)]
pub struct ReportFilter {
    pub reporter_id: Option<i32>,
    /// Partners see only what was forwarded to police.
    pub forwarded_only: bool,
    pub statuses: Vec<String>,
    pub kind: Option<String>,
    pub category_id: Option<i32>,
    pub neighbourhood_id: Option<i32>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    /// Past the deadline and still awaiting triage, as of this time.
    pub overdue_at: Option<NaiveDateTime>,
    pub text: Option<String>,
    pub sort: ReportSort,
    pub offset: i64,
    pub limit: i64,
}

impl ReportFilter {
    /// The reporter whose whole list this is, unfiltered: the one list whose
    /// total is kept rather than counted. Every field is named, so that a new
    /// filter cannot slip past this check.
    fn whole_list_of(&self) -> Option<i32> {
        let ReportFilter {
            reporter_id,
            forwarded_only,
            statuses,
            kind,
            category_id,
            neighbourhood_id,
            from,
            to,
            overdue_at,
            text,
            sort: _,
            offset: _,
            limit: _,
        } = self;
        let filtered = *forwarded_only
            || !statuses.is_empty()
            || kind.is_some()
            || category_id.is_some()
            || neighbourhood_id.is_some()
            || from.is_some()
            || to.is_some()
            || overdue_at.is_some()
            || text.is_some();
        reporter_id.filter(|_| !filtered)
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum ReportSort {
    #[default]
    Newest,
    Oldest,
    DueFirst,
}

impl ReportSort {
    /// The same order over the columns of a page read as a table of its own
    /// ([`WithAccount`]).
    fn of_page(self) -> &'static str {
        match self {
            ReportSort::Newest => " ORDER BY page.created_at DESC, page.id DESC",
            ReportSort::Oldest => " ORDER BY page.created_at ASC, page.id ASC",
            ReportSort::DueFirst => " ORDER BY page.due_at ASC, page.id ASC",
        }
    }
}

/// A page of reports, each with its category's code, and how many match.
pub type Listed = (Vec<(ReportRow, String)>, i64);

/// A row of a page as read: the report, its category's code and the count.
type PageItem = (ReportRow, Option<String>, Option<i64>);

/// A page of reports, each with its category's code (read in the page's own
/// statement), and how many match, counted up to one past
/// [`shared::reports::REPORT_COUNT_CAP`].
pub fn list(conn: &mut DbConnection, f: &ReportFilter) -> QueryResult<Listed> {
    page(conn, f, None).map(|(_, listed)| listed)
}

/// [`list`] of `reporter`'s own reports, with their account as
/// [`super::users::find`] reads it, in the same statement: a page of one's
/// own needs no trip of its own to check who asks. Only an empty page reads
/// the account apart.
pub fn list_own(
    conn: &mut DbConnection,
    reporter: i32,
    mut f: ReportFilter,
) -> QueryResult<(Option<User>, Listed)> {
    f.reporter_id = Some(reporter);
    page(conn, &f, Some(reporter))
}

fn page(
    conn: &mut DbConnection,
    f: &ReportFilter,
    account: Option<i32>,
) -> QueryResult<(Option<User>, Listed)> {
    let sqlite = matches!(conn, DbConnection::Sqlite(_));
    let build = || {
        let mut q = reports::table.into_boxed();
        if let Some(r) = f.reporter_id {
            q = q.filter(reports::reporter_id.eq(r));
        }
        if f.forwarded_only {
            q = q.filter(reports::forwarded_at.is_not_null());
        }
        match f.statuses.as_slice() {
            [] => {}
            // `= $1`, not `= ANY($1)`: PostgreSQL reads a single status off the
            // (status, created_at) index in order; with ANY it sorted the
            // whole queue for every page (10 ms for 60 000 reports).
            [one] => q = q.filter(reports::status.eq(one.clone())),
            many => q = q.filter(reports::status.eq_any(many.to_vec())),
        }
        if let Some(k) = &f.kind {
            q = q.filter(reports::kind.eq(k.clone()));
        }
        if let Some(c) = f.category_id {
            q = q.filter(reports::category_id.eq(c));
        }
        if let Some(n) = f.neighbourhood_id {
            q = q.filter(reports::neighbourhood_id.eq(n));
        }
        if let Some(from) = f.from {
            q = q.filter(reports::created_at.ge(from));
        }
        if let Some(to) = f.to {
            q = q.filter(reports::created_at.lt(to));
        }
        if let Some(at) = f.overdue_at {
            q = q
                .filter(reports::due_at.lt(at))
                .filter(reports::status.eq_any(["submitted", "reopened"]));
        }
        if let Some(t) = f.text.as_deref() {
            q = q.filter(text_search(sqlite, t));
        }
        q
    };
    let query = build();
    let query = match f.sort {
        ReportSort::Newest => query.order((reports::created_at.desc(), reports::id.desc())),
        ReportSort::Oldest => query.order((reports::created_at.asc(), reports::id.asc())),
        ReportSort::DueFirst => query.order((reports::due_at.asc(), reports::id.asc())),
    };
    let code = report_categories::table
        .filter(report_categories::id.eq(reports::category_id))
        .select(report_categories::code)
        .single_value();
    // A constant, not the ids: with no column to read, PostgreSQL can count
    // off the filter's index alone, and visits the table only for pages the
    // visibility map does not vouch for (pgbench, one client, 500 reports a
    // person, counting 201: 0.21 against 0.5-1.3 ms after a vacuum, 0.32-0.35
    // against 0.43-0.45 ms before one). Bound, not an SQL literal: diesel
    // never keeps a statement with a literal prepared, and PostgreSQL would
    // parse and plan it on every page.
    let capped = || {
        CountRows(
            build()
                .select(1.into_sql::<diesel::sql_types::Integer>())
                .limit(shared::reports::REPORT_COUNT_CAP + 1),
        )
    };
    // The count rides along with the page, as a subselect that the database
    // runs once per statement: one round trip, not two. A reporter's whole
    // list reads the total their reports keep (migration 000010) instead of
    // counting up to 201 of them.
    // Both selections box to the same statement type.
    let query = match f.whole_list_of() {
        Some(reporter) => {
            let kept = reporter_report_counts::table
                .filter(reporter_report_counts::reporter_id.eq(reporter))
                .select(reporter_report_counts::reports);
            query.select((ReportRow::as_select(), code, Subselect(kept)))
        }
        None => query.select((ReportRow::as_select(), code, Subselect(capped()))),
    };
    let paged = Paged::new(query, f.limit, f.offset);
    let (user, items): (Option<User>, Vec<PageItem>) = match account {
        None => (None, paged.load(conn)?),
        Some(id) => {
            let rows: Vec<(User, ReportRow, Option<String>, Option<i64>)> = WithAccount {
                columns: User::as_select(),
                account: id,
                page: paged,
                order: f.sort.of_page(),
            }
            .load(conn)?;
            let user = match rows.first() {
                Some((user, ..)) => Some(user.clone()),
                None => super::users::find(conn, id)?,
            };
            let items = rows
                .into_iter()
                .map(|(_, row, code, n)| (row, code, n))
                .collect();
            (user, items)
        }
    };
    // A page that is not full but not empty ends the list, so it tells the
    // total exactly, even past the cap. An empty page has no row to carry
    // the count: on the first page there is nothing, past it the matches
    // are counted on their own.
    let shown = items.len() as i64;
    let total = match items.first() {
        Some(_) if shown < f.limit => f.offset + shown,
        Some((_, _, Some(counted))) => *counted,
        None if f.offset == 0 => 0,
        // Past the end, or (never, while the trigger keeps it) a reporter
        // without a kept total.
        _ => capped().get_result::<i64>(conn)?,
    };
    let items = items
        .into_iter()
        .map(|(row, code, _)| (row, code.unwrap_or_default()))
        .collect();
    Ok((user, (items, total)))
}

/// `SELECT <account>, page.* FROM users CROSS JOIN (<page>) AS page WHERE
/// users.id = $n ORDER BY <the page's order>`: the account on every row of
/// the page, no row when the page is empty (or there is no such account).
/// The page keeps its own order, limit and offset inside; the outer order
/// says again how its rows come out.
struct WithAccount<Q> {
    columns: diesel::dsl::AsSelect<User, super::MultiBackend>,
    account: i32,
    page: Q,
    order: &'static str,
}

impl<Q> QueryId for WithAccount<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

/// The page's own selection, with the account's columns before it.
type PageRow = (
    diesel::dsl::AsSelect<ReportRow, super::MultiBackend>,
    diesel::sql_types::Nullable<diesel::sql_types::Text>,
    diesel::sql_types::Nullable<diesel::sql_types::BigInt>,
);

impl<Q: diesel::query_builder::Query<SqlType = PageRow>> diesel::query_builder::Query
    for WithAccount<Q>
{
    type SqlType = (
        diesel::dsl::AsSelect<User, super::MultiBackend>,
        diesel::dsl::AsSelect<ReportRow, super::MultiBackend>,
        diesel::sql_types::Nullable<diesel::sql_types::Text>,
        diesel::sql_types::Nullable<diesel::sql_types::BigInt>,
    );
}

impl<Q: QueryFragment<super::MultiBackend>> QueryFragment<super::MultiBackend> for WithAccount<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, super::MultiBackend>) -> QueryResult<()> {
        out.push_sql("SELECT ");
        self.columns.walk_ast(out.reborrow())?;
        out.push_sql(", page.* FROM users CROSS JOIN (");
        self.page.walk_ast(out.reborrow())?;
        out.push_sql(") AS page WHERE users.id = ");
        out.push_bind_param::<diesel::sql_types::Integer, _>(&self.account)?;
        out.push_sql(self.order);
        Ok(())
    }
}

impl<Q, Conn> RunQueryDsl<Conn> for WithAccount<Q> {}

/// `SELECT COUNT(*) FROM (query) AS capped`: how many rows a query, limited to
/// a cap, would return, counted where they are. Diesel has no subqueries in
/// `FROM`. The statement is kept prepared whenever the query's is.
struct CountRows<Q>(Q);

impl<Q: QueryId> QueryId for CountRows<Q> {
    type QueryId = CountRows<Q::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
}

impl<Q> diesel::query_builder::Query for CountRows<Q> {
    type SqlType = diesel::sql_types::BigInt;
}

impl<DB: diesel::backend::Backend, Q: QueryFragment<DB>> QueryFragment<DB> for CountRows<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("SELECT COUNT(*) FROM (");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(") AS capped");
        Ok(())
    }
}

impl<Q, Conn> RunQueryDsl<Conn> for CountRows<Q> {}

/// `query LIMIT n [OFFSET $1]`: a page whose size is written into the
/// statement, not bound, and whose offset is left out on the first page.
/// PostgreSQL can then cost a generic plan for the page as it costs one for
/// the values at hand, and keeps it instead of planning every page anew: with
/// `LIMIT $n OFFSET $m` it guesses a tenth of the rows for each and found a
/// generic plan dearer than planning (0.13 ms of every "my reports" page). A
/// page size is 1 to `MAX_PER_PAGE`, so a connection keeps at most that many
/// statements per list, twice (with and without an offset).
struct Paged<Q> {
    query: Q,
    limit: String,
    offset: Option<i64>,
}

impl<Q> Paged<Q> {
    fn new(query: Q, limit: i64, offset: i64) -> Self {
        Paged {
            query,
            limit: format!(" LIMIT {limit}"),
            offset: (offset > 0).then_some(offset),
        }
    }
}

impl<Q> QueryId for Paged<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: diesel::query_builder::Query> diesel::query_builder::Query for Paged<Q> {
    type SqlType = Q::SqlType;
}

impl<Q: QueryFragment<super::MultiBackend>> QueryFragment<super::MultiBackend> for Paged<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, super::MultiBackend>) -> QueryResult<()> {
        self.query.walk_ast(out.reborrow())?;
        out.push_sql(&self.limit);
        if let Some(offset) = &self.offset {
            out.push_sql(" OFFSET ");
            out.push_bind_param::<diesel::sql_types::BigInt, _>(offset)?;
        }
        Ok(())
    }
}

impl<Q, Conn> RunQueryDsl<Conn> for Paged<Q> {}

/// A query as a value in another's select list: `(query)`, NULL when it
/// finds no row.
struct Subselect<Q>(Q);

impl<Q> Expression for Subselect<Q>
where
    Q: diesel::query_builder::Query,
    Q::SqlType: diesel::sql_types::SqlType<IsNull = diesel::sql_types::is_nullable::NotNull>
        + diesel::sql_types::SingleValue,
{
    type SqlType = diesel::sql_types::Nullable<Q::SqlType>;
}

impl<Q, QS> AppearsOnTable<QS> for Subselect<Q> where Self: Expression {}

impl<Q, QS> SelectableExpression<QS> for Subselect<Q> where Self: Expression {}

/// A whole query of its own: one value for every row, never an aggregate.
impl<Q, GB> diesel::expression::ValidGrouping<GB> for Subselect<Q> {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

impl<Q: QueryId> QueryId for Subselect<Q> {
    type QueryId = Subselect<Q::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
}

impl<DB: diesel::backend::Backend, Q: QueryFragment<DB>> QueryFragment<DB> for Subselect<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("(");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(")");
        Ok(())
    }
}

/// A substring search in the description that an index serves: the FTS5
/// trigram table on SQLite, the trigram GIN index on `lower(description)` on
/// PostgreSQL (migration 000004). Both need a term of at least three
/// characters, which the API enforces.
fn text_search(
    sqlite: bool,
    term: &str,
) -> Box<
    dyn BoxableExpression<reports::table, super::MultiBackend, SqlType = diesel::sql_types::Bool>,
> {
    if sqlite {
        // An FTS5 phrase: the term in double quotes, inner quotes doubled.
        let phrase = format!("\"{}\"", term.replace('"', "\"\""));
        Box::new(
            diesel::dsl::sql::<diesel::sql_types::Bool>(
                "reports.id IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH ",
            )
            .bind::<diesel::sql_types::Text, _>(phrase)
            .sql(")"),
        )
    } else {
        let escaped = term
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        Box::new(
            diesel::dsl::sql::<diesel::sql_types::Bool>("lower(reports.description) LIKE ")
                .bind::<diesel::sql_types::Text, _>(format!("%{escaped}%"))
                .sql(" ESCAPE '\\'"),
        )
    }
}

pub fn notify(conn: &mut DbConnection, new: &NewNotification) -> QueryResult<usize> {
    diesel::insert_into(notifications::table)
        .values(new)
        .execute(conn)
}

pub fn notifications_for(
    conn: &mut DbConnection,
    user_id: i32,
    limit: i64,
) -> QueryResult<Vec<NotificationRow>> {
    notifications::table
        .filter(notifications::user_id.eq(user_id))
        .order((notifications::created_at.desc(), notifications::id.desc()))
        .limit(limit)
        .select(NotificationRow::as_select())
        .load(conn)
}

/// Marks one (or, with `None`, every) notification of the user read.
pub fn mark_read(
    conn: &mut DbConnection,
    user_id: i32,
    id: Option<i32>,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let mine = notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::read_at.is_null());
    match id {
        Some(id) => diesel::update(mine.filter(notifications::id.eq(id)))
            .set(notifications::read_at.eq(at))
            .execute(conn),
        None => diesel::update(mine)
            .set(notifications::read_at.eq(at))
            .execute(conn),
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = report_photos)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewPhoto<'a> {
    pub report_id: i32,
    pub storage_key: &'a str,
    pub content_type: &'a str,
    pub byte_size: i32,
    pub width: i32,
    pub height: i32,
    pub created_at: NaiveDateTime,
}

pub fn photo_count(conn: &mut DbConnection, report_id: i32) -> QueryResult<i64> {
    report_photos::table
        .filter(report_photos::report_id.eq(report_id))
        .count()
        .get_result(conn)
}

pub fn add_photo(conn: &mut DbConnection, new: &NewPhoto) -> QueryResult<i32> {
    diesel::insert_into(report_photos::table)
        .values(new)
        .returning(report_photos::id)
        .get_result(conn)
}

pub fn photo(conn: &mut DbConnection, report_id: i32, id: i32) -> QueryResult<Option<PhotoRow>> {
    report_photos::table
        .find(id)
        .filter(report_photos::report_id.eq(report_id))
        .select(PhotoRow::as_select())
        .first(conn)
        .optional()
}

/// The latest public note of a transition for each report in `ids`, in one query.
pub fn last_public_notes(
    conn: &mut DbConnection,
    ids: &[i32],
) -> QueryResult<std::collections::HashMap<i32, String>> {
    let rows: Vec<(i32, Option<String>)> = report_events::table
        .filter(report_events::report_id.eq_any(ids))
        .filter(report_events::event.eq("transition"))
        .filter(report_events::public_note.is_not_null())
        .order((report_events::created_at.asc(), report_events::id.asc()))
        .select((report_events::report_id, report_events::public_note))
        .load(conn)?;
    // Later rows overwrite earlier ones: the newest note wins.
    Ok(rows
        .into_iter()
        .filter_map(|(id, note)| note.map(|n| (id, n)))
        .collect())
}

/// Filing times of the reports in `ids`, for their references.
pub fn created_at_of(
    conn: &mut DbConnection,
    ids: &[i32],
) -> QueryResult<Vec<(i32, NaiveDateTime)>> {
    reports::table
        .filter(reports::id.eq_any(ids))
        .select((reports::id, reports::created_at))
        .load(conn)
}
