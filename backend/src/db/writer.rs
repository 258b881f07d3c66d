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
//! to its savepoint and leaves the others be. A few writes may go ahead of
//! the queue (the database work around a password hash, see
//! [`super::run_write_for_hash`]): they join the next batch whatever waits.
//!
//! Another process on the same file (such as `backend purge`) still waits
//! through busy_timeout.

use std::collections::VecDeque;
use std::sync::mpsc;

use diesel::connection::{AnsiTransactionManager, TransactionManager};

use super::{establish_serving, DbConnection};
use crate::config::DatabaseKind;
use crate::error::{ApiError, ApiResult};

/// At most this many writes share a transaction.
const MAX_BATCH: usize = 64;

/// The nice value the writer thread asks for: above the request threads,
/// which all wait for it when they write, and below the hashing threads
/// (-20), whose share is bounded by their rests.
const WRITER_NICE: i32 = -10;

#[derive(Clone)]
pub(super) struct Writer {
    jobs: mpsc::Sender<(Job, Lane)>,
}

/// Where a write queues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Lane {
    /// First come, first served.
    Queue,
    /// Ahead of every write in [`Lane::Queue`].
    Ahead,
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
        let (jobs, queue) = mpsc::channel::<(Job, Lane)>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                let mut conn: Option<DbConnection> = None;
                let mut waiting = Waiting::default();
                // Every write of the process waits for this one thread.
                if let Err(e) = crate::priority::raise(WRITER_NICE) {
                    tracing::info!(
                        "the SQLite writer runs at the normal CPU priority ({e}); \
                         with CAP_SYS_NICE writes wait less on a busy machine"
                    );
                }
                // Ends when the last sender (the pool) is gone and every
                // write taken from the channel has run.
                loop {
                    if waiting.is_empty() {
                        match queue.recv() {
                            Ok(job) => waiting.push(job),
                            Err(_) => return,
                        }
                    }
                    while let Ok(job) = queue.try_recv() {
                        waiting.push(job);
                    }
                    let batch = waiting.take(MAX_BATCH);
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

    /// Queues `f` in `lane` and waits for its answer.
    pub(super) async fn run<T, F>(&self, lane: Lane, f: F) -> ApiResult<T>
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
            .send((job, lane))
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("the writer thread stopped")))?;
        answer.await.map_err(|_| {
            ApiError::Internal(anyhow::anyhow!("a write failed on the writer thread"))
        })?
    }
}

/// The writes taken from the channel that wait for a batch, by lane.
#[derive(Default)]
struct Waiting {
    ahead: VecDeque<Job>,
    queue: VecDeque<Job>,
}

impl Waiting {
    fn push(&mut self, (job, lane): (Job, Lane)) {
        match lane {
            Lane::Ahead => self.ahead.push_back(job),
            Lane::Queue => self.queue.push_back(job),
        }
    }

    fn is_empty(&self) -> bool {
        self.ahead.is_empty() && self.queue.is_empty()
    }

    /// The next batch: up to `max` writes, those ahead first, each lane in
    /// its order of arrival.
    fn take(&mut self, max: usize) -> Vec<Job> {
        let from_ahead = self.ahead.len().min(max);
        let from_queue = self.queue.len().min(max - from_ahead);
        self.ahead
            .drain(..from_ahead)
            .chain(self.queue.drain(..from_queue))
            .collect()
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

    /// A job that notes `n` when it runs.
    fn noting(n: usize, ran: &std::sync::Arc<std::sync::Mutex<Vec<usize>>>) -> Job {
        let ran = ran.clone();
        Box::new(move |_| {
            ran.lock().unwrap().push(n);
            Outcome {
                lost: false,
                answer: Box::new(|_| {}),
            }
        })
    }

    #[test]
    fn writes_ahead_join_the_next_batch_before_the_queue() {
        let ran = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut waiting = Waiting::default();
        for n in 0..5 {
            waiting.push((noting(n, &ran), Lane::Queue));
        }
        waiting.push((noting(10, &ran), Lane::Ahead));
        waiting.push((noting(11, &ran), Lane::Ahead));
        let mut batches = Vec::new();
        while !waiting.is_empty() {
            for job in waiting.take(3) {
                let _ = job(Err(ApiError::Unavailable("test".into())));
            }
            batches.push(std::mem::take(&mut *ran.lock().unwrap()));
        }
        // Each lane in its order of arrival; at most 3 a batch.
        assert_eq!(batches, [vec![10, 11, 0], vec![1, 2, 3], vec![4]]);
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
            .run(Lane::Queue, |c| {
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
                        .run(Lane::Queue, move |c| {
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
        // The writes run at the writer's raised priority where the process
        // may raise one, and at its own otherwise.
        let nice = writer
            .run(Lane::Ahead, |_| Ok(crate::priority::current()))
            .await
            .unwrap();
        assert_eq!(nice, crate::priority::granted(WRITER_NICE));
        // A write that panics fails, and the writer carries on.
        let panicked = writer
            .run(Lane::Queue, |_| -> ApiResult<()> {
                panic!("a bug in a write")
            })
            .await;
        assert!(matches!(panicked, Err(ApiError::Internal(_))));
        let after = writer
            .run(Lane::Queue, |c| {
                write_tx(c, |c| {
                    diesel::sql_query("INSERT INTO t (n) VALUES (1000)").execute(c)?;
                    Ok(())
                })
            })
            .await;
        assert!(after.is_ok() && stored(&url, 1000));
    }
}
