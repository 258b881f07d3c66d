//! The dashboard's figures. Counts come from `metric_rollups` (a few
//! thousand rows at a million reports); the few current-state figures
//! (overdue reports, survey audiences, meeting and action states) are
//! index-backed counts on small tables.

pub mod campaigns;
pub mod monitor;
pub mod recount;
pub mod rollup;
pub mod seed;

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Text};

use crate::db::DbConnection;
use rollup::*;
use shared::metrics::*;
use shared::users::Group;

/// What the figures are computed over.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    pub period: Period,
    pub from: NaiveDate,
    /// Exclusive.
    pub to: NaiveDate,
    pub group: Option<Group>,
    pub hood: Option<i32>,
}

/// The first day "all" starts from; nothing is older than the platform.
fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default()
}

impl Scope {
    pub fn new(period: Period, group: Option<Group>, hood: Option<i32>, today: NaiveDate) -> Scope {
        let (from, to) = period
            .bounds()
            .unwrap_or((epoch(), today + Duration::days(1)));
        Scope {
            period,
            from,
            to,
            group,
            hood,
        }
    }

    fn with(&self, group: Option<Group>, hood: Option<i32>) -> Scope {
        Scope {
            group,
            hood,
            ..self.clone()
        }
    }

    fn all_time(&self, today: NaiveDate) -> Scope {
        Scope {
            from: epoch(),
            to: today + Duration::days(1),
            ..self.clone()
        }
    }

    fn dto(&self, first_day: Option<NaiveDate>, today: NaiveDate) -> PeriodDto {
        let from = if self.period == Period::All {
            first_day.unwrap_or(today)
        } else {
            self.from
        };
        PeriodDto {
            period: self.period.as_string(),
            from,
            to: (self.to - Duration::days(1)).min(today.max(from)),
        }
    }
}

use crate::db::schema::metric_targets as t;

/// A target as stored: [`TARGET_COLUMNS`] in order.
pub type TargetRow = (
    i32,
    String,
    Option<String>,
    Option<i32>,
    f64,
    NaiveDate,
    String,
);

#[allow(non_camel_case_types)]
type TargetColumns = (
    t::id,
    t::metric,
    t::user_group,
    t::neighbourhood_id,
    t::value,
    t::due_on,
    t::label,
);

pub const TARGET_COLUMNS: TargetColumns = (
    t::id,
    t::metric,
    t::user_group,
    t::neighbourhood_id,
    t::value,
    t::due_on,
    t::label,
);

/// A stored target as the API shows it; `None` for a metric no longer known.
pub fn target_dto((id, metric, group, hood, value, due_on, label): TargetRow) -> Option<TargetDto> {
    Some(TargetDto {
        id,
        metric: TargetMetric::parse(&metric)?,
        group: group.as_deref().and_then(Group::parse),
        neighbourhood_id: hood,
        value,
        due_on,
        label,
    })
}

/// Every pilot target, oldest first.
pub fn targets(conn: &mut DbConnection) -> QueryResult<Vec<TargetDto>> {
    Ok(t::table
        .order(t::id.asc())
        .select(TARGET_COLUMNS)
        .load::<TargetRow>(conn)?
        .into_iter()
        .filter_map(target_dto)
        .collect())
}

/// Everything a computation needs besides the scope.
#[derive(Clone)]
pub struct Ctx {
    pub suppress: bool,
    pub now: NaiveDateTime,
    pub hoods: Vec<(i32, String)>,
    /// id -> (kind, Dutch name, English name)
    pub categories: HashMap<i32, (String, String, String)>,
    pub targets: Vec<TargetDto>,
}

impl Ctx {
    /// Everything any area needs (the monitor shows them all).
    pub fn load(conn: &mut DbConnection, suppress: bool, now: NaiveDateTime) -> QueryResult<Ctx> {
        Self::load_for(conn, suppress, now, None)
    }

    /// What `area` needs, or every area's with `None`: only the reports
    /// area reads the categories, so the others skip that trip.
    pub fn load_for(
        conn: &mut DbConnection,
        suppress: bool,
        now: NaiveDateTime,
        area: Option<MetricArea>,
    ) -> QueryResult<Ctx> {
        use crate::db::schema::neighbourhoods;
        let hoods = neighbourhoods::table
            .order(neighbourhoods::name.asc())
            .select((neighbourhoods::id, neighbourhoods::name))
            .load(conn)?;
        let categories = match area {
            None | Some(MetricArea::Reports) => crate::db::reports::categories(conn)?
                .into_iter()
                .map(|c| (c.id, (c.kind, c.name_nl, c.name_en)))
                .collect(),
            Some(_) => HashMap::new(),
        };
        let targets = targets(conn)?;
        Ok(Ctx {
            suppress,
            now,
            hoods,
            categories,
            targets,
        })
    }

    fn today(&self) -> NaiveDate {
        self.now.date()
    }

    fn sup(&self, n: i64) -> Option<i64> {
        suppress(n, self.suppress)
    }

    /// A share in percent, hidden when its base is a suppressed count.
    fn pct(&self, part: i64, whole: i64) -> Option<f64> {
        if whole == 0 || self.sup(whole).is_none() || self.sup(part).is_none() {
            return None;
        }
        Some(round1(100.0 * part as f64 / whole as f64))
    }

    fn hood_cells(&self, counts: &HashMap<i32, i64>) -> Vec<Cell> {
        self.hoods
            .iter()
            .map(|(id, name)| Cell {
                key: id.to_string(),
                label: name.clone(),
                value: self.sup(counts.get(id).copied().unwrap_or(0)),
            })
            .collect()
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[derive(QueryableByName, Debug)]
struct Row {
    /// Which of the statement's parts the row answers ([`fetch_all`]).
    #[diesel(sql_type = Integer)]
    part: i32,
    #[diesel(sql_type = Date)]
    day: NaiveDate,
    #[diesel(sql_type = Text)]
    user_group: String,
    #[diesel(sql_type = Integer)]
    neighbourhood_id: i32,
    #[diesel(sql_type = Text)]
    dim: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

const COLUMNS: [&str; 4] = ["day", "user_group", "neighbourhood_id", "dim"];

/// The sums of one metric in a scope, grouped by some of [`COLUMNS`].
#[derive(Clone, Copy)]
struct Sums<'a> {
    metric: &'static str,
    scope: &'a Scope,
    by: &'static [&'static str],
}

fn sums<'a>(metric: &'static str, scope: &'a Scope, by: &'static [&'static str]) -> Sums<'a> {
    debug_assert!(!by.is_empty() && by.iter().all(|c| COLUMNS.contains(c)));
    Sums { metric, scope, by }
}

/// Reads several [`Sums`] in one statement, one part each joined with
/// `UNION ALL`, and hands back each part's rows in the order asked: a
/// dashboard is then one trip to the database for its sums instead of one
/// for each (the participation dashboard read nine).
///
/// The values are bound, so that the statement's text depends only on the
/// parts' groupings and on which filters are set: diesel keeps each such
/// statement prepared ([`Rollups`]), and PostgreSQL plans it once per
/// connection instead of for every dashboard call.
fn fetch_all<const N: usize>(
    conn: &mut DbConnection,
    parts: [Sums<'_>; N],
) -> QueryResult<[Vec<Row>; N]> {
    let statement = Rollups { parts: &parts };
    let mut out: [Vec<Row>; N] = std::array::from_fn(|_| Vec::new());
    for row in statement.load::<Row>(conn)? {
        let part = usize::try_from(row.part)
            .ok()
            .and_then(|i| out.get_mut(i))
            .ok_or_else(|| {
                diesel::result::Error::DeserializationError(
                    format!("rollup part {} out of range", row.part).into(),
                )
            })?;
        part.push(row);
    }
    Ok(out)
}

/// The statement of [`fetch_all`]: raw SQL, as diesel has no dynamic select
/// lists or unions of them, but with its values bound. Unlike
/// `diesel::sql_query`, which diesel never keeps prepared, this is kept by its
/// text (it has no static query id).
struct Rollups<'a> {
    parts: &'a [Sums<'a>],
}

impl diesel::query_builder::QueryId for Rollups<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::Query for Rollups<'_> {
    type SqlType = diesel::sql_types::Untyped;
}

impl<Conn> RunQueryDsl<Conn> for Rollups<'_> {}

impl<DB> diesel::query_builder::QueryFragment<DB> for Rollups<'_>
where
    DB: diesel::backend::Backend
        + diesel::sql_types::HasSqlType<Text>
        + diesel::sql_types::HasSqlType<Date>
        + diesel::sql_types::HasSqlType<Integer>,
    str: diesel::serialize::ToSql<Text, DB>,
    NaiveDate: diesel::serialize::ToSql<Date, DB>,
    i32: diesel::serialize::ToSql<Integer, DB>,
{
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, DB>,
    ) -> QueryResult<()> {
        for (i, p) in self.parts.iter().enumerate() {
            if i > 0 {
                out.push_sql(" UNION ALL ");
            }
            // The part's number is written in: it is the statement's own
            // position, and a bound one would have no type to unify with.
            out.push_sql(&format!("SELECT {i} AS part"));
            // Column names from [`COLUMNS`] only; those not grouped by are
            // one of the group's values.
            for c in COLUMNS {
                if p.by.contains(&c) {
                    out.push_sql(&format!(", {c}"));
                } else {
                    out.push_sql(&format!(", MIN({c}) AS {c}"));
                }
            }
            out.push_sql(", CAST(SUM(n) AS BIGINT) AS n FROM metric_rollups WHERE metric = ");
            out.push_bind_param::<Text, _>(p.metric)?;
            out.push_sql(" AND day >= ");
            out.push_bind_param::<Date, _>(&p.scope.from)?;
            out.push_sql(" AND day < ");
            out.push_bind_param::<Date, _>(&p.scope.to)?;
            if let Some(g) = p.scope.group {
                out.push_sql(" AND user_group = ");
                out.push_bind_param::<Text, _>(g.as_str())?;
            }
            if let Some(h) = &p.scope.hood {
                out.push_sql(" AND neighbourhood_id = ");
                out.push_bind_param::<Integer, _>(h)?;
            }
            out.push_sql(" GROUP BY ");
            out.push_sql(&p.by.join(", "));
        }
        Ok(())
    }
}

fn total(rows: &[Row]) -> i64 {
    rows.iter().map(|r| r.n).sum()
}

fn by_dim(rows: &[Row]) -> BTreeMap<String, i64> {
    let mut m = BTreeMap::new();
    for r in rows {
        *m.entry(r.dim.clone()).or_default() += r.n;
    }
    m
}

fn by_hood(rows: &[Row]) -> HashMap<i32, i64> {
    let mut m = HashMap::new();
    for r in rows {
        *m.entry(r.neighbourhood_id).or_default() += r.n;
    }
    m
}

/// Mondays from the week of `from` to the week of `last`.
fn weeks(from: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut w = week_start(from);
    while w <= last {
        out.push(w);
        w += Duration::days(7);
    }
    out
}

/// Weekly sums of day-keyed rows, over the scope's weeks (or from the first
/// row for the whole pilot).
fn weekly(rows: &[Row], scope: &Scope, today: NaiveDate) -> BTreeMap<NaiveDate, i64> {
    let mut m: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    let first = rows.iter().map(|r| r.day).min();
    let from = if scope.period == Period::All {
        match first {
            Some(d) => d,
            None => return m,
        }
    } else {
        scope.from
    };
    let last = (scope.to - Duration::days(1)).min(today.max(from));
    for w in weeks(from, last) {
        m.insert(w, 0);
    }
    for r in rows {
        *m.entry(week_start(r.day)).or_default() += r.n;
    }
    m
}

/// Nearest-rank percentile of a histogram of whole-hour buckets.
pub fn percentile(hist: &BTreeMap<i64, i64>, p: f64) -> Option<f64> {
    let n: i64 = hist.values().sum();
    if n <= 0 {
        return None;
    }
    let rank = ((p * n as f64).ceil() as i64).max(1);
    let mut seen = 0;
    for (v, c) in hist {
        seen += c;
        if seen >= rank {
            return Some(*v as f64);
        }
    }
    None
}

fn durations(ctx: &Ctx, rows: &[Row]) -> Durations {
    let mut hist = BTreeMap::new();
    for r in rows {
        if let Ok(h) = r.dim.parse::<i64>() {
            *hist.entry(h).or_default() += r.n;
        }
    }
    let n: i64 = hist.values().sum();
    let shown = ctx.sup(n).is_some();
    Durations {
        count: ctx.sup(n),
        median_hours: percentile(&hist, 0.5).filter(|_| shown),
        p90_hours: percentile(&hist, 0.9).filter(|_| shown),
    }
}

fn indicator(metric: TargetMetric, value: Option<f64>) -> Indicator {
    Indicator {
        metric,
        value,
        targets: Vec::new(),
    }
}

fn as_f64(v: Option<i64>) -> Option<f64> {
    v.map(|v| v as f64)
}

// ---- participation ----

pub fn participation(
    conn: &mut DbConnection,
    ctx: &Ctx,
    scope: &Scope,
) -> QueryResult<ParticipationMetrics> {
    let today = ctx.today();
    // Everyone whose last action was in the last 30 days, as of today.
    let recent = Scope {
        from: today - Duration::days(29),
        to: today + Duration::days(1),
        ..scope.clone()
    };
    let campaign_list = crate::db::campaigns::all(conn)?;
    let [by_campaign_signups, by_campaign_verified, by_campaign_activated] =
        campaigns::parts(scope);
    let [signups, hoods, active_rows, recent_rows, funnel_rows, cohort_rows, by_campaign @ ..] =
        fetch_all(
            conn,
            [
                sums(SIGNUPS, scope, &["day", "user_group", "dim"]),
                sums(SIGNUPS, scope, &["neighbourhood_id"]),
                sums(ACTIVE, scope, &["day"]),
                sums(LAST_ACTION, &recent, &["dim"]),
                sums(FUNNEL, scope, &["dim"]),
                sums(COHORT, scope, &["day", "dim"]),
                by_campaign_signups,
                by_campaign_verified,
                by_campaign_activated,
            ],
        )?;
    let mut per_week: BTreeMap<NaiveDate, (i64, i64, i64)> = weekly(&signups, scope, today)
        .into_keys()
        .map(|w| (w, (0, 0, 0)))
        .collect();
    let first = signups.iter().map(|r| r.day).min();
    let (mut total_signups, mut verified) = (0, 0);
    for r in &signups {
        let e = per_week.entry(week_start(r.day)).or_default();
        total_signups += r.n;
        match (r.user_group.as_str(), r.dim.as_str()) {
            (_, VERIFIED) => {
                e.2 += r.n;
                verified += r.n;
            }
            ("student", _) => e.1 += r.n,
            _ => e.0 += r.n,
        }
    }
    let signups_per_week = per_week
        .into_iter()
        .map(|(week, (res, stu, ver))| SignupWeek {
            week,
            residents: ctx.sup(res),
            students: ctx.sup(stu),
            verified_students: ctx.sup(ver),
        })
        .collect();
    let active_per_week = weekly(&active_rows, scope, today)
        .into_iter()
        .map(|(week, n)| WeekPoint {
            week,
            value: ctx.sup(n),
        })
        .collect();
    let active_now = total(&recent_rows);
    let funnel_rows = by_dim(&funnel_rows);
    let mut funnel = vec![Cell {
        key: "signed_up".into(),
        label: "signed_up".into(),
        value: ctx.sup(total_signups),
    }];
    for a in Action::ALL {
        funnel.push(Cell {
            key: a.as_str().into(),
            label: a.as_str().into(),
            value: ctx.sup(funnel_rows.get(a.as_str()).copied().unwrap_or(0)),
        });
    }
    let mut sizes: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for r in &signups {
        *sizes.entry(week_start(r.day)).or_default() += r.n;
    }
    let mut retained: BTreeMap<NaiveDate, Vec<i64>> = BTreeMap::new();
    for r in &cohort_rows {
        if let Ok(k) = r.dim.parse::<usize>() {
            if (1..=COHORT_WEEKS).contains(&k) {
                retained
                    .entry(r.day)
                    .or_insert_with(|| vec![0; COHORT_WEEKS])[k - 1] += r.n;
            }
        }
    }
    let cohorts = sizes
        .iter()
        .filter(|(w, _)| **w >= week_start(scope.from))
        .map(|(week, size)| Cohort {
            week: *week,
            size: ctx.sup(*size),
            active_after_weeks: retained
                .get(week)
                .cloned()
                .unwrap_or_else(|| vec![0; COHORT_WEEKS])
                .into_iter()
                .enumerate()
                // Weeks still to come are unknown, not zero.
                .map(|(k, n)| {
                    (*week + Duration::weeks(k as i64 + 1) <= today)
                        .then(|| ctx.sup(n))
                        .flatten()
                })
                .collect(),
        })
        .collect();
    Ok(ParticipationMetrics {
        period: scope.dto(first, today),
        suppressed: ctx.suppress,
        indicators: vec![
            indicator(TargetMetric::Signups, as_f64(ctx.sup(total_signups))),
            indicator(TargetMetric::VerifiedStudents, as_f64(ctx.sup(verified))),
            indicator(
                TargetMetric::ActiveParticipants,
                as_f64(ctx.sup(active_now)),
            ),
        ],
        signups_per_week,
        signups_by_neighbourhood: ctx.hood_cells(&by_hood(&hoods)),
        active_per_week,
        funnel,
        cohorts,
        by_channel: campaigns::by_channel(
            &campaign_list,
            &campaigns::counts(by_campaign),
            ctx.suppress,
        ),
    })
}

// ---- reports ----

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count_sql(conn: &mut DbConnection, sql: String) -> QueryResult<i64> {
    Ok(diesel::sql_query(sql).get_result::<Count>(conn)?.n)
}

fn ts(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

fn day_ts(d: NaiveDate) -> String {
    format!("{} 00:00:00", d.format("%Y-%m-%d"))
}

/// Reports of the scope still awaiting triage after their deadline.
fn overdue(conn: &mut DbConnection, scope: &Scope, now: NaiveDateTime) -> QueryResult<i64> {
    // SQLite would rather walk a neighbourhood's or a period's reports; the
    // awaiting-and-late ones are far fewer, and the index covers the filters.
    let table = match conn {
        DbConnection::Sqlite(_) => "reports INDEXED BY reports_awaiting_due_idx",
        DbConnection::Pg(_) => "reports",
    };
    let mut sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {table} \
         WHERE status IN ('submitted', 'reopened') AND due_at < '{}' \
         AND created_at >= '{}' AND created_at < '{}'",
        ts(now),
        day_ts(scope.from),
        day_ts(scope.to)
    );
    if let Some(g) = scope.group {
        sql.push_str(&format!(" AND reporter_group = '{}'", g.as_str()));
    }
    if let Some(h) = scope.hood {
        sql.push_str(&format!(" AND neighbourhood_id = {h}"));
    }
    count_sql(conn, sql)
}

pub fn reports(conn: &mut DbConnection, ctx: &Ctx, scope: &Scope) -> QueryResult<ReportMetrics> {
    let today = ctx.today();
    let [days, hoods, cats, statuses, triage_rows, resolve_rows, sat] = fetch_all(
        conn,
        [
            sums(REPORTS, scope, &["day"]),
            sums(REPORTS, scope, &["neighbourhood_id"]),
            sums(REPORTS_CAT, scope, &["dim"]),
            sums(STATUS, scope, &["dim"]),
            sums(TRIAGE, scope, &["dim"]),
            sums(RESOLVE, scope, &["dim"]),
            sums(SATISFACTION, scope, &["dim"]),
        ],
    )?;
    let first = days.iter().map(|r| r.day).min();
    let filed = total(&days);
    let per_week = weekly(&days, scope, today)
        .into_iter()
        .map(|(week, n)| WeekPoint {
            week,
            value: ctx.sup(n),
        })
        .collect();
    let hoods = by_hood(&hoods);
    let cats = by_dim(&cats);
    let mut kinds: BTreeMap<String, i64> = BTreeMap::new();
    let mut by_category = Vec::new();
    let mut ids: Vec<_> = ctx.categories.keys().copied().collect();
    ids.sort_unstable();
    for id in ids {
        let (kind, nl, en) = &ctx.categories[&id];
        let n = cats.get(&id.to_string()).copied().unwrap_or(0);
        *kinds.entry(kind.clone()).or_default() += n;
        by_category.push(Cell {
            key: id.to_string(),
            label: format!("{nl} / {en}"),
            value: ctx.sup(n),
        });
    }
    let by_kind = kinds
        .into_iter()
        .map(|(k, n)| Cell {
            key: k.clone(),
            label: k,
            value: ctx.sup(n),
        })
        .collect();
    let statuses = by_dim(&statuses);
    let by_status = shared::reports::ReportStatus::ALL
        .iter()
        .map(|s| Cell {
            key: s.as_str().into(),
            label: s.as_str().into(),
            value: ctx.sup(statuses.get(s.as_str()).copied().unwrap_or(0)),
        })
        .collect();
    let triage = durations(ctx, &triage_rows);
    let resolution = durations(ctx, &resolve_rows);
    let funnel = [
        ("filed", filed),
        ("triaged", total(&triage_rows)),
        ("resolved", total(&resolve_rows)),
    ]
    .into_iter()
    .map(|(k, n)| Cell {
        key: k.into(),
        label: k.into(),
        value: ctx.sup(n),
    })
    .collect();
    let overdue_n = overdue(conn, scope, ctx.now)?;
    let sat = by_dim(&sat);
    let (yes, no) = (
        sat.get("yes").copied().unwrap_or(0),
        sat.get("no").copied().unwrap_or(0),
    );
    Ok(ReportMetrics {
        period: scope.dto(first, today),
        suppressed: ctx.suppress,
        indicators: vec![
            indicator(TargetMetric::ReportsFiled, as_f64(ctx.sup(filed))),
            indicator(TargetMetric::MedianTriageHours, triage.median_hours),
            indicator(TargetMetric::MedianResolutionHours, resolution.median_hours),
            indicator(TargetMetric::OverdueReports, as_f64(ctx.sup(overdue_n))),
            indicator(TargetMetric::SatisfactionPct, ctx.pct(yes, yes + no)),
        ],
        per_week,
        by_kind,
        by_category,
        by_neighbourhood: ctx.hood_cells(&hoods),
        by_status,
        funnel,
        triage,
        resolution,
        overdue: ctx.sup(overdue_n),
        satisfied: ctx.sup(yes),
        unsatisfied: ctx.sup(no),
    })
}

// ---- surveys ----

pub fn surveys(conn: &mut DbConnection, ctx: &Ctx, scope: &Scope) -> QueryResult<SurveyMetrics> {
    use crate::db::schema::{survey_neighbourhoods as sn, surveys as s, users};
    let today = ctx.today();
    let from = scope.from.and_hms_opt(0, 0, 0).unwrap_or_default();
    let to = scope.to.and_hms_opt(0, 0, 0).unwrap_or_default();
    let rows: Vec<(i32, String, String, String, String)> = s::table
        .filter(s::status.ne("draft"))
        .filter(s::opens_at.lt(to))
        .filter(s::closes_at.ge(from))
        .order(s::opens_at.asc())
        .select((
            s::id,
            s::title_nl,
            s::title_en,
            s::status,
            s::audience_groups,
        ))
        .load(conn)?;
    let ids: Vec<i32> = rows.iter().map(|r| r.0).collect();
    let mut survey_hoods: HashMap<i32, Vec<i32>> = HashMap::new();
    for (sid, hid) in sn::table
        .filter(sn::survey_id.eq_any(&ids))
        .select((sn::survey_id, sn::neighbourhood_id))
        .load::<(i32, i32)>(conn)?
    {
        survey_hoods.entry(sid).or_default().push(hid);
    }
    // Participants per group and neighbourhood, once, for every audience.
    let mut q = users::table
        .filter(users::role.eq("participant"))
        .filter(users::active.eq(true))
        .group_by((users::user_group, users::neighbourhood_id))
        .select((
            users::user_group,
            users::neighbourhood_id,
            diesel::dsl::count_star(),
        ))
        .into_boxed();
    if let Some(g) = scope.group {
        q = q.filter(users::user_group.eq(g.as_str()));
    }
    if let Some(h) = scope.hood {
        q = q.filter(users::neighbourhood_id.eq(h));
    }
    let people: Vec<(Option<String>, Option<i32>, i64)> = q.load(conn)?;
    let all_time = scope.all_time(today);
    let [responses, hood_responses] = fetch_all(
        conn,
        [
            sums(RESPONSES, &all_time, &["dim"]),
            sums(RESPONSES, scope, &["neighbourhood_id"]),
        ],
    )?;
    let responses = by_dim(&responses);
    let (mut all_resp, mut all_aud) = (0, 0);
    let surveys = rows
        .into_iter()
        .map(|(id, title_nl, title_en, status, groups)| {
            let groups: Vec<&str> = groups.split(',').filter(|g| !g.is_empty()).collect();
            let hoods = survey_hoods.get(&id);
            let audience: i64 = people
                .iter()
                .filter(|(g, h, _)| {
                    g.as_deref().is_some_and(|g| groups.contains(&g))
                        && hoods.is_none_or(|hs| h.is_some_and(|h| hs.contains(&h)))
                })
                .map(|(_, _, n)| n)
                .sum();
            let n = responses.get(&id.to_string()).copied().unwrap_or(0);
            all_resp += n;
            all_aud += audience;
            SurveyRate {
                survey_id: id,
                title: format!("{title_nl} / {title_en}"),
                status,
                responses: ctx.sup(n),
                audience,
                rate_pct: ctx.pct(n, audience.max(n)),
            }
        })
        .collect();
    let hoods = by_hood(&hood_responses);
    Ok(SurveyMetrics {
        period: scope.dto(None, today),
        suppressed: ctx.suppress,
        indicators: vec![indicator(
            TargetMetric::ResponseRatePct,
            ctx.pct(all_resp, all_aud.max(all_resp)),
        )],
        surveys,
        responses_by_neighbourhood: ctx.hood_cells(&hoods),
    })
}

// ---- meetings ----

pub fn meetings(conn: &mut DbConnection, ctx: &Ctx, scope: &Scope) -> QueryResult<MeetingMetrics> {
    let today = ctx.today();
    let mut meeting_filter = format!(
        "m.starts_at >= '{}' AND m.starts_at < '{}'",
        day_ts(scope.from),
        day_ts(scope.to)
    );
    if let Some(h) = scope.hood {
        meeting_filter.push_str(&format!(" AND m.neighbourhood_id = {h}"));
    }
    let meetings = count_sql(
        conn,
        format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM meetings m WHERE {meeting_filter}"),
    )?;
    let meetings_held = count_sql(
        conn,
        format!(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM meetings m \
             WHERE {meeting_filter} AND m.status IN ('held', 'evaluated')"
        ),
    )?;
    #[derive(QueryableByName)]
    struct StatusCount {
        #[diesel(sql_type = Text)]
        status: String,
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let topic_status: Vec<StatusCount> = diesel::sql_query(format!(
        "SELECT t.status AS status, CAST(COUNT(*) AS BIGINT) AS n FROM topics t \
         JOIN meetings m ON m.id = t.meeting_id WHERE {meeting_filter} GROUP BY t.status"
    ))
    .load(conn)?;
    let action_status: Vec<StatusCount> = diesel::sql_query(format!(
        "SELECT CASE WHEN a.status <> 'done' AND a.due_on < '{}' THEN 'overdue' ELSE a.status END \
         AS status, CAST(COUNT(*) AS BIGINT) AS n FROM follow_up_actions a \
         JOIN topics t ON t.id = a.topic_id JOIN meetings m ON m.id = t.meeting_id \
         WHERE {meeting_filter} GROUP BY 1",
        today.format("%Y-%m-%d")
    ))
    .load(conn)?;
    let action = |s: &str| {
        action_status
            .iter()
            .filter(|c| c.status == s)
            .map(|c| c.n)
            .sum::<i64>()
    };
    let (done, overdue) = (action("done"), action("overdue"));
    let open = action("open") + action("in_progress") + overdue;
    let [topics, supports, rsvps] = fetch_all(
        conn,
        [
            sums(TOPICS, scope, &["neighbourhood_id"]),
            sums(SUPPORTS, scope, &["dim"]),
            sums(RSVPS, scope, &["dim"]),
        ],
    )?;
    let (supports, rsvps) = (total(&supports), total(&rsvps));
    let topics_by_status = shared::meetings::TopicStatus::ALL
        .iter()
        .map(|s| Cell {
            key: s.as_str().into(),
            label: s.as_str().into(),
            value: ctx.sup(
                topic_status
                    .iter()
                    .filter(|c| c.status == s.as_str())
                    .map(|c| c.n)
                    .sum(),
            ),
        })
        .collect();
    let topics_total = total(&topics);
    Ok(MeetingMetrics {
        period: scope.dto(None, today),
        suppressed: ctx.suppress,
        indicators: vec![
            indicator(TargetMetric::TopicsProposed, as_f64(ctx.sup(topics_total))),
            indicator(
                TargetMetric::ActionsDonePct,
                (done + open > 0).then(|| round1(100.0 * done as f64 / (done + open) as f64)),
            ),
        ],
        meetings,
        meetings_held,
        topics: ctx.sup(topics_total),
        supports: ctx.sup(supports),
        rsvps: ctx.sup(rsvps),
        topics_by_status,
        topics_by_neighbourhood: ctx.hood_cells(&by_hood(&topics)),
        actions_done: done,
        actions_open: open,
        actions_overdue: overdue,
    })
}

// ---- targets ----

/// The figures of one area, for a scope.
fn area_indicators(
    conn: &mut DbConnection,
    ctx: &Ctx,
    area: MetricArea,
    scope: &Scope,
) -> QueryResult<Vec<Indicator>> {
    Ok(match area {
        MetricArea::Participation => participation(conn, ctx, scope)?.indicators,
        MetricArea::Reports => reports(conn, ctx, scope)?.indicators,
        MetricArea::Surveys => surveys(conn, ctx, scope)?.indicators,
        MetricArea::Meetings => meetings(conn, ctx, scope)?.indicators,
    })
}

pub fn progress(target: &TargetDto, actual: Option<f64>) -> TargetProgress {
    let (progress_pct, met) = match actual {
        None => (None, false),
        Some(a) if target.metric.lower_is_better() => {
            let met = a <= target.value;
            let pct = if met || a == 0.0 {
                100.0
            } else {
                100.0 * target.value / a
            };
            (Some(round1(pct)), met)
        }
        Some(a) => {
            let pct = if target.value == 0.0 {
                100.0
            } else {
                100.0 * a / target.value
            };
            (Some(round1(pct)), a >= target.value)
        }
    };
    TargetProgress {
        target: target.clone(),
        actual,
        progress_pct,
        met,
    }
}

/// Puts each target of the area next to its figure, measured in the
/// target's own group and neighbourhood over the scope's period.
pub fn attach_targets(
    conn: &mut DbConnection,
    ctx: &Ctx,
    area: MetricArea,
    scope: &Scope,
    indicators: &mut [Indicator],
) -> QueryResult<()> {
    let mut cache: HashMap<(Option<Group>, Option<i32>), Vec<Indicator>> = HashMap::new();
    cache.insert((scope.group, scope.hood), indicators.to_vec());
    for t in ctx.targets.iter().filter(|t| t.metric.area() == area) {
        let key = (t.group, t.neighbourhood_id);
        if let std::collections::hash_map::Entry::Vacant(e) = cache.entry(key) {
            e.insert(area_indicators(conn, ctx, area, &scope.with(key.0, key.1))?);
        }
        let actual = cache[&key]
            .iter()
            .find(|i| i.metric == t.metric)
            .and_then(|i| i.value);
        if let Some(ind) = indicators.iter_mut().find(|i| i.metric == t.metric) {
            ind.targets.push(progress(t, actual));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        // 1, 2, 2, 5, 30 hours: median 2, p90 30.
        let hist: BTreeMap<i64, i64> = [(1, 1), (2, 2), (5, 1), (30, 1)].into();
        assert_eq!(percentile(&hist, 0.5), Some(2.0));
        assert_eq!(percentile(&hist, 0.9), Some(30.0));
        assert_eq!(percentile(&BTreeMap::new(), 0.5), None);
    }

    #[test]
    fn target_progress_both_ways() {
        let t = |metric, value| TargetDto {
            id: 1,
            metric,
            group: None,
            neighbourhood_id: None,
            value,
            due_on: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            label: "x".into(),
        };
        let p = progress(&t(TargetMetric::Signups, 500.0), Some(125.0));
        assert_eq!((p.progress_pct, p.met), (Some(25.0), false));
        let p = progress(&t(TargetMetric::MedianTriageHours, 72.0), Some(48.0));
        assert_eq!((p.progress_pct, p.met), (Some(100.0), true));
        let p = progress(&t(TargetMetric::MedianTriageHours, 72.0), Some(96.0));
        assert_eq!((p.progress_pct, p.met), (Some(75.0), false));
    }
}
