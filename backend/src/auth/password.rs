//! Argon2id hashing with OWASP parameters, bounded so that a login burst
//! cannot starve the blocking pool and with it every other request.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::{oneshot, Semaphore};

use crate::error::{ApiError, ApiResult};

/// OWASP: m = 19 MiB, t = 2, p = 1.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("static argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The one hashing function, for production and tests alike.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("argon2 hash failed: {e}"))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Runs hashes on threads of its own, a few at a time, so that a burst of
/// logins cannot starve the blocking pool and with it every other request.
///
/// While the machine has CPU to spare, a hash takes as long as it computes
/// (~25 ms), and a few requests may wait for one. When it has none (other
/// threads wanted the CPU: more were runnable than there are cores, or the
/// hash's wall time was well above its CPU time), each thread rests after a
/// hash for twice the CPU time it took, so that hashing keeps at most a
/// third of a core per thread, and a request may wait only for a thread that
/// rests, one per thread (so a user's next step, such as logging in right
/// after signing up, is not refused for arriving in the rest): it is
/// answered within about one hash and one rest, and the others get 503 at
/// once instead of queueing behind slow hashes.
///
/// The threads ask for the highest CPU priority (nice -20; allowed with
/// `CAP_SYS_NICE`, as root, or under a raised `RLIMIT_NICE`): the rests
/// bound their share, and an accepted login then waits for one hash's CPU
/// time, not for its turn among every thread of a busy machine. Without the
/// permission they run at the normal priority and the rest is the same.
/// (Hashing at a low priority bounded its share too, but made every
/// accepted login wait hundreds of milliseconds on a busy machine.)
#[derive(Clone)]
pub struct Hasher {
    /// One per hashing thread; free while it neither hashes nor rests.
    free: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    /// Requests admitted ([`Hasher::admit`]) whose hash has not started.
    admitted: Arc<AtomicUsize>,
    max_waiting: usize,
    /// The last hash found the machine busy.
    busy: Arc<AtomicBool>,
    /// Threads resting after a hash.
    resting: Arc<AtomicUsize>,
    /// Verified when an account does not exist, so both cases take as long.
    dummy_hash: Arc<str>,
    jobs: mpsc::Sender<Job>,
}

/// Hashes, and gives back what sends the answer: the thread marks itself
/// resting before the answer goes out, so that the user's next request,
/// sent on the answer, finds it so and may wait instead of being refused.
type Job = Box<dyn FnOnce() -> Answer + Send>;
type Answer = Box<dyn FnOnce() + Send>;

/// How many may wait per hashing thread while the machine has CPU to
/// spare: at ~25 ms a hash, a wait of about 50 ms.
const WAITING_PER_THREAD: usize = 2;

/// On a busy machine a hashing thread rests this many times the CPU time of
/// its last hash: hashing then takes at most 1 / (1 + REST) of a core (less
/// when it shares the core and its wall time is above its CPU time).
const REST: u32 = 2;

/// The nice value the hashing threads ask for (see [`Hasher`]).
const HASHING_NICE: i32 = -20;

/// How the hashing threads are scheduled and tell a busy machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheduling {
    /// At [`HASHING_NICE`] where allowed; the machine is busy when more
    /// threads are runnable than there are cores, or when a hash took well
    /// over its CPU time. The server's.
    Raised,
    /// At the normal priority; busy only when a hash took well over its CPU
    /// time. For the tests of the waiting rules, whose outcome must not
    /// depend on what else the machine runs meanwhile.
    Normal,
}

impl Hasher {
    pub fn new(concurrency: usize) -> anyhow::Result<Hasher> {
        Hasher::with_scheduling(concurrency, Scheduling::Raised)
    }

    pub fn with_scheduling(concurrency: usize, scheduling: Scheduling) -> anyhow::Result<Hasher> {
        let raised = scheduling == Scheduling::Raised;
        let concurrency = concurrency.max(1);
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let free = Arc::new(Semaphore::new(concurrency));
        let busy = Arc::new(AtomicBool::new(false));
        let resting = Arc::new(AtomicUsize::new(0));
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        for i in 0..concurrency {
            let (queue, free, busy) = (queue.clone(), free.clone(), busy.clone());
            let resting = resting.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    // Every thread asks; the first says how it went.
                    match raised.then(|| crate::priority::raise(HASHING_NICE)) {
                        Some(Ok(())) if i == 0 => {
                            tracing::debug!("password hashing runs at nice {HASHING_NICE}")
                        }
                        Some(Err(e)) if i == 0 => tracing::info!(
                            "password hashing runs at the normal CPU priority ({e}); \
                             with CAP_SYS_NICE accepted logins wait less on a busy machine"
                        ),
                        _ => {}
                    }
                    // Ends when the last Hasher (sender) is gone.
                    loop {
                        let job = match queue.lock() {
                            Ok(q) => q.recv(),
                            Err(_) => return,
                        };
                        let Ok(job) = job else { return };
                        let (started, cpu_before) = (Instant::now(), thread_cpu_time());
                        let answer = job();
                        let wall = started.elapsed();
                        let cpu = thread_cpu_time()
                            .map(|after| after.saturating_sub(cpu_before.unwrap_or(after)));
                        let crowded = raised && others_runnable().is_some_and(|n| n >= cores);
                        let rest = cpu
                            .filter(|cpu| crowded || wall > *cpu * 3 / 2)
                            .map(|cpu| cpu * REST);
                        busy.store(rest.is_some(), Ordering::SeqCst);
                        if rest.is_some() {
                            resting.fetch_add(1, Ordering::SeqCst);
                        }
                        answer();
                        if let Some(rest) = rest {
                            std::thread::sleep(rest);
                        }
                        // Free first, then no longer resting: a request
                        // arriving in between sees room either way.
                        free.add_permits(1);
                        if rest.is_some() {
                            resting.fetch_sub(1, Ordering::SeqCst);
                        }
                    }
                })?;
        }
        Ok(Hasher {
            free,
            waiting: Arc::new(AtomicUsize::new(0)),
            admitted: Arc::new(AtomicUsize::new(0)),
            max_waiting: concurrency * WAITING_PER_THREAD,
            busy,
            resting,
            dummy_hash: hash_password("dummy password that never matches")?.into(),
            jobs,
        })
    }

    /// How many may wait for a hasher now.
    fn room(&self) -> usize {
        if self.busy.load(Ordering::Relaxed) {
            self.resting.load(Ordering::SeqCst)
        } else {
            self.max_waiting
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        admission: Admission,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> ApiResult<T> {
        // The admission's place passes to the hasher or to a waiting place.
        let permit = match self.free.try_acquire() {
            Ok(permit) => {
                drop(admission);
                permit
            }
            Err(_) => {
                let (queued, _waiting) = Counted::enter(&self.waiting);
                drop(admission);
                if queued >= self.room() {
                    return Err(busy());
                }
                tokio::time::timeout(Duration::from_secs(5), self.free.acquire())
                    .await
                    .map_err(|_| ApiError::Unavailable("password hashing queue timed out".into()))?
                    .map_err(|e| ApiError::Internal(e.into()))?
            }
        };
        // The thread gives the hasher back once it has hashed (and rested).
        permit.forget();
        let span = tracing::Span::current();
        let (done, result) = oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let result = {
                    let _entered = span.enter();
                    work()
                };
                Box::new(move || {
                    let _ = done.send(result);
                })
            }))
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("hashing threads stopped")))?;
        result
            .await
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("hashing thread failed")))
    }

    /// A place with the hasher for a request that will hash, or 503 at once
    /// when every free hasher and waiting place is taken, counting those
    /// admitted before whose hash has not started. Login and sign-up ask
    /// first, so that a refused attempt costs nothing else (no rate-limit
    /// write, no account lookup), and so that only as many as can be
    /// hashed soon do their database work before the hash (with the turns
    /// of `db::run_write_for_hash`); checking for room without taking it let
    /// a burst through whose hashes were then refused.
    pub fn admit(&self) -> ApiResult<Admission> {
        let (ahead, place) = Counted::enter(&self.admitted);
        let places = self.free.available_permits()
            + self
                .room()
                .saturating_sub(self.waiting.load(Ordering::SeqCst));
        if ahead >= places {
            return Err(busy());
        }
        Ok(Admission { _place: place })
    }

    pub async fn hash(&self, admission: Admission, password: String) -> ApiResult<String> {
        self.run(admission, move || hash_password(&password))
            .await?
            .map_err(ApiError::Internal)
    }

    /// Verifies against `hash`, or against a dummy when there is no account.
    pub async fn verify(
        &self,
        admission: Admission,
        password: String,
        hash: Option<String>,
    ) -> ApiResult<bool> {
        let dummy = self.dummy_hash.clone();
        self.run(admission, move || match hash {
            Some(h) => verify_password(&password, &h),
            None => {
                let _ = verify_password(&password, &dummy);
                false
            }
        })
        .await
    }
}

/// How many other threads of the machine are runnable now (running or
/// waiting for a core), where the platform tells: the calling thread, which
/// runs, is left out.
fn others_runnable() -> Option<usize> {
    #[cfg(target_os = "linux")]
    {
        let text = std::fs::read_to_string("/proc/loadavg").ok()?;
        runnable_in_loadavg(&text).map(|n| n.saturating_sub(1))
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// The runnable threads in a `/proc/loadavg` line: its fourth field is
/// `runnable/total`.
fn runnable_in_loadavg(text: &str) -> Option<usize> {
    text.split_whitespace()
        .nth(3)?
        .split_once('/')?
        .0
        .parse()
        .ok()
}

/// The CPU time the calling thread has used, where the platform tells.
fn thread_cpu_time() -> Option<Duration> {
    #[cfg(target_os = "linux")]
    {
        let mut t = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes only the timespec it is given.
        let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0;
        ok.then(|| Duration::new(t.tv_sec as u64, t.tv_nsec as u32))
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// The answer when the hashing queue is full.
fn busy() -> ApiError {
    ApiError::Unavailable("password hashing queue full".into())
}

/// One counted in a counter until dropped.
struct Counted(Arc<AtomicUsize>);

impl Counted {
    /// Counts one in `counter`; gives how many were counted before.
    fn enter(counter: &Arc<AtomicUsize>) -> (usize, Counted) {
        let before = counter.fetch_add(1, Ordering::SeqCst);
        (before, Counted(counter.clone()))
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A request's place with the [`Hasher`], from [`Hasher::admit`] until its
/// hash starts or it is dropped.
#[must_use = "the place is given back when dropped"]
pub struct Admission {
    /// Held for its drop.
    _place: Counted,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_runnable_threads_of_proc_loadavg() {
        assert_eq!(
            runnable_in_loadavg("0.52 0.58 0.59 3/1066 28831\n"),
            Some(3)
        );
        assert_eq!(runnable_in_loadavg("12.01 9.80 4.00 17/2210 1"), Some(17));
        assert_eq!(runnable_in_loadavg("0.52 0.58 0.59"), None);
        assert_eq!(runnable_in_loadavg("0.52 0.58 0.59 x/10 1"), None);
        #[cfg(target_os = "linux")]
        assert!(others_runnable().is_some());
    }

    /// As root, or with CAP_SYS_NICE, the hashing threads run at
    /// HASHING_NICE; without, they ask, are refused, and hash anyway.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_hashing_threads_ask_for_the_highest_priority() {
        let expected = crate::priority::granted(HASHING_NICE);
        let hasher = Hasher::new(2).unwrap();
        let mut seen = std::collections::HashSet::new();
        // Whichever thread takes each job.
        for _ in 0..8 {
            let admission = hasher.admit().unwrap();
            seen.insert(
                hasher
                    .run(admission, crate::priority::current)
                    .await
                    .unwrap(),
            );
        }
        assert_eq!(seen, [expected].into());
    }

    /// A request's way through the hasher: admitted, then verified.
    async fn admit_and_verify(
        hasher: &Hasher,
        password: &str,
        hash: Option<String>,
    ) -> ApiResult<bool> {
        hasher.verify(hasher.admit()?, password.into(), hash).await
    }

    /// Admitted requests hold their places before they hash: a burst that
    /// arrives at once gets as many as there are free hashers and waiting
    /// places, and the rest 503 before any other work.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_admission_holds_a_place_until_its_hash_starts() {
        let hasher = Hasher::with_scheduling(1, Scheduling::Normal).unwrap();
        let held: Vec<_> = (0..1 + WAITING_PER_THREAD)
            .map(|_| hasher.admit().unwrap())
            .collect();
        assert!(matches!(hasher.admit(), Err(ApiError::Unavailable(_))));
        // A request that ends before its hash gives its place back.
        drop(held);
        let admission = hasher.admit().unwrap();
        assert!(hasher.admit().is_ok());
        assert!(hasher.verify(admission, "x".into(), None).await.is_ok());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_burst_is_hashed_a_few_at_a_time_and_the_excess_refused_at_once() {
        let hasher = Hasher::with_scheduling(1, Scheduling::Normal).unwrap();
        let hash = hash_password("fietsen langs het diep").unwrap();
        let tries: Vec<_> = (0..12)
            .map(|_| {
                let (hasher, hash) = (hasher.clone(), hash.clone());
                tokio::spawn(async move {
                    admit_and_verify(&hasher, "fietsen langs het diep", Some(hash)).await
                })
            })
            .collect();
        let (mut verified, mut refused) = (0, 0);
        for t in tries {
            match t.await.unwrap() {
                Ok(true) => verified += 1,
                Err(ApiError::Unavailable(_)) => refused += 1,
                other => panic!("{other:?}"),
            }
        }
        // One hashing and two waiting at a time; the rest was refused
        // instead of queued (how fast, the load benchmark measures).
        assert!(verified > WAITING_PER_THREAD, "{verified} verified");
        assert!(refused > 0, "nothing refused");
        // And the hasher serves again once the burst is over.
        assert!(admit_and_verify(&hasher, "x", None).await.is_ok());
    }

    /// On a busy machine a burst gets the free hasher, and 503 at once for
    /// the rest rather than a queue behind its hash.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_a_busy_machine_none_wait_behind_a_hash() {
        let hasher = Hasher::with_scheduling(1, Scheduling::Normal).unwrap();
        hasher.busy.store(true, Ordering::Relaxed);
        let hash = hash_password("fietsen langs het diep").unwrap();
        let tries: Vec<_> = (0..6)
            .map(|_| {
                let (hasher, hash) = (hasher.clone(), hash.clone());
                tokio::spawn(async move {
                    let started = Instant::now();
                    let answer =
                        admit_and_verify(&hasher, "fietsen langs het diep", Some(hash)).await;
                    (answer, started.elapsed())
                })
            })
            .collect();
        let mut verified = 0;
        for t in tries {
            match t.await.unwrap() {
                (Ok(true), _) => verified += 1,
                (Err(ApiError::Unavailable(_)), took) => {
                    assert!(took < Duration::from_millis(20), "refused after {took:?}")
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(verified, 1);
        // Rested, the hasher takes the next one.
        tokio::time::sleep(Duration::from_millis(300)).await;
        hasher.busy.store(true, Ordering::Relaxed);
        assert!(admit_and_verify(&hasher, "x", None).await.is_ok());
    }

    /// A user's requests one after another are never refused, however busy
    /// the machine: each finds the hasher free or resting. (Busy here: as
    /// many threads spinning as there are cores.)
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn requests_one_after_another_are_taken_on_a_busy_machine() {
        for scheduling in [Scheduling::Normal, Scheduling::Raised] {
            one_after_another_on_a_busy_machine(scheduling).await;
        }
    }

    async fn one_after_another_on_a_busy_machine(scheduling: Scheduling) {
        let hasher = Hasher::with_scheduling(1, scheduling).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let spinners: Vec<_> = (0..cores)
            .map(|_| {
                let stop = stop.clone();
                std::thread::spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        std::hint::spin_loop();
                    }
                })
            })
            .collect();
        let mut answers = Vec::new();
        for _ in 0..8 {
            answers.push(admit_and_verify(&hasher, "x", None).await);
        }
        stop.store(true, Ordering::Relaxed);
        for s in spinners {
            s.join().unwrap();
        }
        assert!(
            answers.iter().all(|a| matches!(a, Ok(false))),
            "{scheduling:?}: {answers:?}"
        );
    }

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let h = hash_password("fietsen langs het diep").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password("fietsen langs het diep", &h));
        assert!(!verify_password("fietsen langs het Diep", &h));
        assert!(!verify_password("x", "not a hash"));
    }
}
