//! Fixed-window rate limits kept in the database, so that every instance
//! behind a load balancer counts against the same limit. Keys hold hashes of
//! addresses and emails, never the values themselves.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text, Timestamp};

use crate::auth::hash_token;
use crate::config::Limit;
use crate::db::models::now;
use crate::db::{self, DbConnection, Pool};
use crate::error::{ApiError, ApiResult};

#[derive(QueryableByName)]
struct Hit {
    #[diesel(sql_type = Integer)]
    count: i32,
    #[diesel(sql_type = Timestamp)]
    window_start: NaiveDateTime,
}

/// One statement, atomic on both backends: start a new window when the old
/// one has passed, otherwise count the hit.
const UPSERT: &str = "INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1) \
    ON CONFLICT (key) DO UPDATE SET \
    count = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.count + 1 END, \
    window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 ELSE rate_limits.window_start END \
    RETURNING count, window_start";

/// The key of a limit: its scope plus a hash of the subject (address, email).
pub fn key(scope: &str, subject: &str) -> String {
    format!("{scope}:{}", &hash_token(subject)[..24])
}

/// Counts one hit on `key`; `Err(RateLimited)` when over the limit.
pub fn hit(conn: &mut DbConnection, key: &str, limit: Limit) -> ApiResult<()> {
    let at = now();
    let window = window_of(limit);
    let expired_before = at - window;
    let row: Hit = match conn {
        DbConnection::Pg(c) => diesel::sql_query(UPSERT)
            .bind::<Text, _>(key)
            .bind::<Timestamp, _>(at)
            .bind::<Timestamp, _>(expired_before)
            .get_result(c)?,
        DbConnection::Sqlite(c) => diesel::sql_query(UPSERT.replace('$', "?"))
            .bind::<Text, _>(key)
            .bind::<Timestamp, _>(at)
            .bind::<Timestamp, _>(expired_before)
            .get_result(c)?,
    };
    if row.count as u32 > limit.max {
        return Err(refused_until(row.window_start + window, at));
    }
    Ok(())
}

fn window_of(limit: Limit) -> chrono::Duration {
    chrono::Duration::from_std(limit.window).unwrap_or(chrono::Duration::hours(1))
}

/// The refusal while a window lasts until `reset`.
fn refused_until(reset: NaiveDateTime, at: NaiveDateTime) -> ApiError {
    let retry_after_secs = (reset - at).num_seconds().max(1) as u64;
    ApiError::RateLimited { retry_after_secs }
}

/// `Err(RateLimited)` when `key` has reached its limit in the current
/// window; counts nothing. For limits counted only on some outcomes (failed
/// logins), checked before the attempt and hit after it.
pub fn reached(conn: &mut DbConnection, key: &str, limit: Limit) -> ApiResult<()> {
    use crate::db::schema::rate_limits;
    let at = now();
    let window = window_of(limit);
    let row: Option<(i32, NaiveDateTime)> = rate_limits::table
        .find(key)
        .select((rate_limits::count, rate_limits::window_start))
        .first(conn)
        .optional()?;
    match row {
        Some((count, start)) if start > at - window && count as u32 >= limit.max => {
            Err(refused_until(start + window, at))
        }
        _ => Ok(()),
    }
}

/// Counts one hit on each `(key, limit)`; all are counted even if one is over.
pub async fn check(pool: &Pool, hits: Vec<(String, Limit)>) -> ApiResult<()> {
    guard(pool, hits, None).await
}

/// `check`, and also refuses when `watched` (a limit counted elsewhere) has
/// been reached; the hits are counted either way.
pub async fn guard(
    pool: &Pool,
    hits: Vec<(String, Limit)>,
    watched: Option<(String, Limit)>,
) -> ApiResult<()> {
    db::run_write(pool, move |conn| guard_on(conn, &hits, watched.as_ref())).await
}

/// [`guard`] for a request that comes with a password hash (login,
/// sign-up), then, when no limit refuses, `then` on the same connection:
/// one trip to the database instead of two, on the hashing requests' own
/// turns ([`db::run_write_for_hash`]).
pub async fn guard_then<T, F>(
    pool: &Pool,
    hits: Vec<(String, Limit)>,
    watched: Option<(String, Limit)>,
    then: F,
) -> ApiResult<T>
where
    F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
    T: Send + 'static,
{
    db::run_write_for_hash(pool, move |conn| {
        guard_on(conn, &hits, watched.as_ref())?;
        then(conn)
    })
    .await
}

fn guard_on(
    conn: &mut DbConnection,
    hits: &[(String, Limit)],
    watched: Option<&(String, Limit)>,
) -> ApiResult<()> {
    let mut outcome = Ok(());
    for (key, limit) in hits {
        if let Err(e) = hit(conn, key, *limit) {
            outcome = Err(e);
        }
    }
    if let Some((key, limit)) = watched {
        if let Err(e) = reached(conn, key, *limit) {
            outcome = Err(e);
        }
    }
    if rand::random::<u8>() == 0 {
        purge(conn)?;
    }
    outcome
}

/// Drops windows that ended long ago; called now and then by `check`.
pub fn purge(conn: &mut DbConnection) -> QueryResult<usize> {
    use crate::db::schema::rate_limits;
    diesel::delete(
        rate_limits::table.filter(rate_limits::window_start.lt(now() - chrono::Duration::days(1))),
    )
    .execute(conn)
}
