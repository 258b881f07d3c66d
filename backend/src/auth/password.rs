//! Argon2id hashing with OWASP parameters, bounded so that a login burst
//! cannot starve the blocking pool and with it every other request.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

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

/// Runs hashes on threads of its own, a few at a time and at a lower CPU
/// priority than request handling, so that a burst of logins takes only the
/// CPU that reads and writes leave over. Requests queue briefly; past
/// `max_waiting` they get 503 at once rather than a long wait.
#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
    /// Verified when an account does not exist, so both cases take as long.
    dummy_hash: Arc<str>,
    jobs: mpsc::Sender<Job>,
}

type Job = Box<dyn FnOnce() + Send>;

/// How many may wait per hashing thread: at ~25 ms a hash, a wait of about
/// 50 ms when the machine is idle; more get 503 at once.
const WAITING_PER_THREAD: usize = 2;

impl Hasher {
    pub fn new(concurrency: usize) -> anyhow::Result<Hasher> {
        let concurrency = concurrency.max(1);
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..concurrency {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    lower_priority();
                    // Ends when the last Hasher (sender) is gone.
                    loop {
                        let job = match queue.lock() {
                            Ok(q) => q.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                })?;
        }
        Ok(Hasher {
            permits: Arc::new(Semaphore::new(concurrency)),
            waiting: Arc::new(AtomicUsize::new(0)),
            max_waiting: concurrency * WAITING_PER_THREAD,
            dummy_hash: hash_password("dummy password that never matches")?.into(),
            jobs,
        })
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> ApiResult<T> {
        let queued = self.waiting.fetch_add(1, Ordering::SeqCst);
        let guard = WaitGuard(&self.waiting);
        if queued >= self.max_waiting {
            return Err(busy());
        }
        let permit = tokio::time::timeout(Duration::from_secs(5), self.permits.acquire())
            .await
            .map_err(|_| ApiError::Unavailable("password hashing queue timed out".into()))?
            .map_err(|e| ApiError::Internal(e.into()))?;
        drop(guard);
        let span = tracing::Span::current();
        let (done, result) = oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _entered = span.enter();
                let _ = done.send(work());
            }))
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("hashing threads stopped")))?;
        let out = result
            .await
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("hashing thread failed")))?;
        drop(permit);
        Ok(out)
    }

    /// Refuses at once when as many wait as may. Login and sign-up ask
    /// first, so that a refused attempt costs nothing else (no rate-limit
    /// write, no account lookup).
    pub fn ensure_room(&self) -> ApiResult<()> {
        if self.waiting.load(Ordering::SeqCst) >= self.max_waiting {
            return Err(busy());
        }
        Ok(())
    }

    pub async fn hash(&self, password: String) -> ApiResult<String> {
        self.run(move || hash_password(&password))
            .await?
            .map_err(ApiError::Internal)
    }

    /// Verifies against `hash`, or against a dummy when there is no account.
    pub async fn verify(&self, password: String, hash: Option<String>) -> ApiResult<bool> {
        let dummy = self.dummy_hash.clone();
        self.run(move || match hash {
            Some(h) => verify_password(&password, &h),
            None => {
                let _ = verify_password(&password, &dummy);
                false
            }
        })
        .await
    }
}

/// Lowers the calling thread's CPU priority (Linux: nice is per thread).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority on this thread's own id; no memory is involved.
    unsafe {
        // Request handling runs at 0; 10 gives hashing about a tenth of a
        // busy core.
        const NICENESS: i32 = 10;
        let tid = libc::gettid();
        if libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, NICENESS) != 0 {
            tracing::warn!("could not lower the priority of a hashing thread");
        }
    }
}

/// The answer when the hashing queue is full.
fn busy() -> ApiError {
    ApiError::Unavailable("password hashing queue full".into())
}

struct WaitGuard<'a>(&'a AtomicUsize);

impl Drop for WaitGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_burst_is_hashed_a_few_at_a_time_and_the_excess_refused_at_once() {
        let hasher = Hasher::new(1).unwrap();
        let hash = hash_password("fietsen langs het diep").unwrap();
        let tries: Vec<_> = (0..12)
            .map(|_| {
                let (hasher, hash) = (hasher.clone(), hash.clone());
                tokio::spawn(async move {
                    hasher
                        .verify("fietsen langs het diep".into(), Some(hash))
                        .await
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
        assert!(hasher.verify("x".into(), None).await.is_ok());
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
