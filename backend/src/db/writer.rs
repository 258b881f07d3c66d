//! SQLite's writer thread.
//!
//! SQLite has one writer at a time, and a writer that finds the lock taken
//! sleeps in growing steps (1, 2, 5, 10 … ms) instead of being woken: under
//! load the lock sits idle while writers sleep. So this process's writes go to
//! one thread that owns the write connection and runs them back to back, first
//! come first served; requests wait for it without holding a thread or a
//! reader connection. Writes that queued up meanwhile run as one batch in one
//! transaction, each in a savepoint of its own (its `write_tx`), and are
//! answered after the batch commits: a commit writes each touched page to the
//! WAL once per batch instead of once per write. A write that fails rolls back
//! to its savepoint and leaves the others be.
//!
//! Another process on the same file (such as `backend purge`) still waits
//! through busy_timeout.

use std::sync::mpsc;

use diesel::connection::{AnsiTransactionManager, TransactionManager};

use super::{establish_serving, DbConnection};
use crate::config::DatabaseKind;
use crate::error::{ApiError, ApiResult};

/// At most this many writes share a transaction.
const MAX_BATCH: usize = 64;

#[derive(Clone)]
pub(super) struct Writer {
    jobs: mpsc::Sender<Job>,
}

/// Runs a write on the writer thread with its connection (or why there is
/// none) and returns how to answer it once the batch is settled.
type Job = Box<dyn FnOnce(Result<&mut DbConnection, ApiError>) -> Outcome + Send>;

/// Answers the waiting request: with the write's own result, or (given why)
/// with the error that ended the batch.
type Answer = Box<dyn FnOnce(Option<&str>) + Send>;

struct Outcome {
    /// The write found the connection lost: replace it.
    lost: bool,
    answer: Answer,
}

impl Writer {
    pub(super) fn start(
        url: String,
        kind: DatabaseKind,
        lock_timeout: std::time::Duration,
    ) -> anyhow::Result<Writer> {
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                let mut conn: Option<DbConnection> = None;
                // Ends when the last sender (the pool) is gone.
                while let Ok(first) = queue.recv() {
                    let mut batch = vec![first];
                    while batch.len() < MAX_BATCH {
                        match queue.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                    if conn.is_none() {
                        conn = establish_serving(&url, kind, lock_timeout).ok();
                    }
                    if !run_batch(conn.as_mut(), batch) {
                        conn = None;
                    }
                }
            })?;
        Ok(Writer { jobs })
    }

    /// Queues `f` and waits for its answer.
    pub(super) async fn run<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let span = tracing::Span::current();
        let (done, answer) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let result = {
                let _entered = span.enter();
                conn.and_then(f)
            };
            Outcome {
                lost: matches!(&result, Err(ApiError::Unavailable(_))),
                answer: Box::new(move |failed| {
                    let _ = done.send(match failed {
                        Some(why) => Err(ApiError::Unavailable(why.to_owned())),
                        None => result,
                    });
                }),
            }
        });
        self.jobs
            .send(job)
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("the writer thread stopped")))?;
        answer.await.map_err(|_| {
            ApiError::Internal(anyhow::anyhow!("a write failed on the writer thread"))
        })?
    }
}

/// Runs `batch` in one transaction and answers every write; false when the
/// connection must be replaced.
fn run_batch(conn: Option<&mut DbConnection>, batch: Vec<Job>) -> bool {
    let unavailable = || ApiError::Unavailable("database: cannot connect".into());
    let Some(conn) = conn else {
        for job in batch {
            (job(Err(unavailable())).answer)(None);
        }
        return false;
    };
    let DbConnection::Sqlite(c) = &mut *conn else {
        unreachable!("the writer thread is for SQLite");
    };
    if let Err(e) = AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE") {
        for job in batch {
            (job(Err(ApiError::Unavailable(format!("database: {e}")))).answer)(None);
        }
        return false;
    }
    let mut answers = Vec::with_capacity(batch.len());
    let mut healthy = true;
    for job in batch {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(Ok(&mut *conn)))) {
            Ok(outcome) => {
                healthy &= !outcome.lost;
                answers.push(outcome.answer);
            }
            // Its request gets an error (its answer is gone); the others'
            // writes may share a broken transaction, so none is kept.
            Err(_) => {
                healthy = false;
                break;
            }
        }
    }
    let DbConnection::Sqlite(c) = conn else {
        unreachable!("the writer thread is for SQLite");
    };
    let failed = if healthy {
        AnsiTransactionManager::commit_transaction(c)
            .err()
            .map(|e| format!("database: commit failed: {e}"))
    } else {
        let _ = AnsiTransactionManager::rollback_transaction(c);
        Some("database: the write was not stored".to_owned())
    };
    let keep = healthy && failed.is_none();
    for answer in answers {
        answer(failed.as_deref());
    }
    keep
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use diesel::sql_types::{BigInt, Integer};

    use super::*;
    use crate::db::{establish, write_tx};

    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    fn stored(url: &str, n: i32) -> bool {
        let mut conn = establish(url, DatabaseKind::Sqlite).unwrap();
        diesel::sql_query("SELECT COUNT(*) AS n FROM t WHERE n = ?")
            .bind::<Integer, _>(n)
            .get_result::<N>(&mut conn)
            .unwrap()
            .n
            == 1
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn batched_writes_fail_alone_and_are_answered_once_committed() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("w.db").display());
        let writer = Writer::start(
            url.clone(),
            DatabaseKind::Sqlite,
            std::time::Duration::from_secs(5),
        )
        .unwrap();
        writer
            .run(|c| {
                diesel::sql_query("CREATE TABLE t (n INTEGER PRIMARY KEY)").execute(c)?;
                Ok(())
            })
            .await
            .unwrap();
        // Many at once, so that they queue up and share transactions; every
        // third fails after its insert and must leave nothing behind.
        let tasks: Vec<_> = (0..300)
            .map(|n: i32| {
                let writer = writer.clone();
                tokio::spawn(async move {
                    let answer = writer
                        .run(move |c| {
                            write_tx(c, |c| {
                                diesel::sql_query("INSERT INTO t (n) VALUES (?)")
                                    .bind::<Integer, _>(n)
                                    .execute(c)?;
                                if n % 3 == 0 {
                                    return Err(ApiError::conflict("refused"));
                                }
                                Ok(n)
                            })
                        })
                        .await;
                    (n, answer)
                })
            })
            .collect();
        for task in tasks {
            let (n, answer) = task.await.unwrap();
            match answer {
                // Answered only after the commit: another connection sees it.
                Ok(m) => assert!(n == m && stored(&url, n), "{n} not stored"),
                Err(ApiError::Conflict { .. }) => {
                    assert_eq!(n % 3, 0);
                    assert!(!stored(&url, n), "{n} stored after its rollback");
                }
                Err(e) => panic!("{n}: {e:?}"),
            }
        }
        // A write that panics fails, and the writer carries on.
        let panicked = writer
            .run(|_| -> ApiResult<()> { panic!("a bug in a write") })
            .await;
        assert!(matches!(panicked, Err(ApiError::Internal(_))));
        let after = writer
            .run(|c| {
                write_tx(c, |c| {
                    diesel::sql_query("INSERT INTO t (n) VALUES (1000)").execute(c)?;
                    Ok(())
                })
            })
            .await;
        assert!(after.is_ok() && stored(&url, 1000));
    }
}
