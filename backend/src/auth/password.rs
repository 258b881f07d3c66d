//! Argon2id hashing with OWASP parameters, bounded so that a login burst
//! cannot starve the blocking pool and with it every other request.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

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

/// Runs hashes on the blocking pool, a few at a time. Requests queue briefly;
/// past `max_waiting` they get 503 at once rather than a long wait.
#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
    /// Verified when an account does not exist, so both cases take as long.
    dummy_hash: Arc<str>,
}

impl Hasher {
    pub fn new(concurrency: usize) -> anyhow::Result<Hasher> {
        Ok(Hasher {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            waiting: Arc::new(AtomicUsize::new(0)),
            max_waiting: concurrency.max(1) * 16,
            dummy_hash: hash_password("dummy password that never matches")?.into(),
        })
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> ApiResult<T> {
        let queued = self.waiting.fetch_add(1, Ordering::SeqCst);
        let guard = WaitGuard(&self.waiting);
        if queued >= self.max_waiting {
            return Err(ApiError::Unavailable("password hashing queue full".into()));
        }
        let permit = tokio::time::timeout(Duration::from_secs(5), self.permits.acquire())
            .await
            .map_err(|_| ApiError::Unavailable("password hashing queue timed out".into()))?
            .map_err(|e| ApiError::Internal(e.into()))?;
        drop(guard);
        let span = tracing::Span::current();
        let out = actix_web::web::block(move || {
            let _entered = span.enter();
            work()
        })
        .await?;
        drop(permit);
        Ok(out)
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

struct WaitGuard<'a>(&'a AtomicUsize);

impl Drop for WaitGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let h = hash_password("fietsen langs het diep").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password("fietsen langs het diep", &h));
        assert!(!verify_password("fietsen langs het Diep", &h));
        assert!(!verify_password("x", "not a hash"));
    }
}
