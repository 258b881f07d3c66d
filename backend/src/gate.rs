//! The request gate: at most [`Config::max_in_flight`] API requests do their
//! database work at once; the others wait their turn in arrival order, each
//! for at most [`WAIT`], and are then answered 503 (try again).
//!
//! Without it, every request went straight to its database work and queued
//! where that was: reads for a database turn, filings in the filing lane
//! (SQLite: the writer). Each queue is fair in itself, but their lengths
//! differ: at 256 busy connections a read waited ~140 ms while a filing
//! waited ~25 ms, and the reads' slowest answers took twice the average.
//! Waiting once, here, in one line, every request waits about as long as
//! the others, whatever it asks for, and behind the gate the queues are
//! short.
//!
//! A request takes its place at its first database trip ([`Gate::enter`],
//! called by `db::run`, `db::run_write` and the filing lane's `file`) and
//! keeps it until it is answered ([`scoped`], the middleware on the API's
//! scopes, holds it). So a request that sends its body slowly, or is refused
//! before it needs the database (a bad token, a validation error), holds no
//! place. The database work of a request that hashes a password
//! (`db::run_write_for_hash`) takes none: the hasher's admission is its
//! gate, which lets a few through and answers the rest 503 at once. Work
//! outside a request (the daily purge, mail) is not gated.
//!
//! The gate is per instance: it bounds this process's work, and several
//! instances each have their own (nothing is shared or needs to be).
//!
//! [`Config::max_in_flight`]: crate::config::Config::max_in_flight

use std::cell::RefCell;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{ApiError, ApiResult};

/// The longest a request waits at the gate before it is answered 503: as
/// long as it may wait for a database connection.
pub const WAIT: Duration = Duration::from_secs(5);

tokio::task_local! {
    /// The place of the request this task answers, once it has one.
    static PLACE: RefCell<Option<OwnedSemaphorePermit>>;
}

/// Shared by the workers of one server (a clone shares the places).
#[derive(Clone)]
pub struct Gate {
    places: Arc<Semaphore>,
    wait: Duration,
}

impl Gate {
    pub fn new(max_in_flight: usize) -> Gate {
        Gate::with_wait(max_in_flight, WAIT)
    }

    /// A gate whose requests wait at most `wait` (tests).
    pub fn with_wait(max_in_flight: usize, wait: Duration) -> Gate {
        Gate {
            places: Arc::new(Semaphore::new(max_in_flight.max(1))),
            wait,
        }
    }

    /// Waits for a place for the request this task answers, unless it has
    /// one already or the task answers no request ([`scoped`]). Tokio's
    /// semaphore hands places out in the order they were asked for.
    pub async fn enter(&self) -> ApiResult<()> {
        if !PLACE.try_with(|p| p.borrow().is_none()).unwrap_or(false) {
            return Ok(());
        }
        let place = match tokio::time::timeout(self.wait, self.places.clone().acquire_owned()).await
        {
            Ok(Ok(place)) => place,
            Ok(Err(_)) => {
                return Err(ApiError::Internal(anyhow::anyhow!(
                    "the request gate was closed"
                )))
            }
            Err(_) => {
                return Err(ApiError::Unavailable(
                    "request gate: waited too long for a place".into(),
                ))
            }
        };
        // Two trips of one request started side by side: the second place
        // goes back at once.
        PLACE.with(|p| {
            p.borrow_mut().get_or_insert(place);
        });
        Ok(())
    }
}

/// Runs `f`, a request's answer, with room for its place at the gate; the
/// place, if it took one, is given back when `f` is done.
pub async fn scoped<F: Future>(f: F) -> F::Output {
    PLACE.scope(RefCell::new(None), f).await
}

/// The middleware on the API's scopes: reads the body, then answers the
/// request with room for its place at the gate (see [`scoped`]).
///
/// The body is read first because a handler's extractors run side by side:
/// an account check (`AuthUser`) would take a place while a slow client was
/// still sending the body, and a few such clients could hold every place.
/// Up to [`shared::MAX_JSON_BODY`] is read here, what every route but the
/// photo upload accepts; a longer body goes on to the route as it comes
/// (the upload reads it before its first database trip; the others refuse
/// it), behind what was read.
pub async fn request_scope<B: MessageBody>(
    mut req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    read_body(&mut req, shared::MAX_JSON_BODY).await?;
    scoped(next.call(req)).await
}

/// Reads up to `limit` bytes of `req`'s body and puts them back in front
/// of the rest. A body declared longer than `limit` is left as it is.
async fn read_body(req: &mut ServiceRequest, limit: usize) -> Result<(), actix_web::Error> {
    use actix_web::dev::Payload;
    use actix_web::error::PayloadError;
    use actix_web::http::header::{CONTENT_LENGTH, TRANSFER_ENCODING};
    use actix_web::HttpMessage as _;
    use futures_util::StreamExt as _;

    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    let chunked = req.headers().contains_key(TRANSFER_ENCODING);
    match declared {
        Some(0) => return Ok(()),
        Some(n) if n > limit => return Ok(()),
        None if !chunked => return Ok(()),
        _ => {}
    }
    let mut payload = req.take_payload();
    let mut body = actix_web::web::BytesMut::new();
    while body.len() <= limit {
        match payload.next().await {
            Some(chunk) => {
                // Answered as the JSON extractor would (problem+json).
                let chunk = chunk.map_err(|_| {
                    ApiError::BadRequest("The request body could not be read.".into())
                })?;
                body.extend_from_slice(&chunk)
            }
            None => {
                req.set_payload(Payload::from(body.freeze()));
                return Ok(());
            }
        }
    }
    // Longer than any JSON route takes: the route gets it all, as it comes.
    let read = futures_util::stream::once(std::future::ready(Ok::<_, PayloadError>(body.freeze())));
    req.set_payload(Payload::Stream {
        payload: Box::pin(read.chain(payload)),
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use actix_web::middleware::from_fn;
    use actix_web::{test, web, App, HttpResponse};
    use tokio::sync::Notify;

    use super::*;

    type Log = Arc<Mutex<Vec<&'static str>>>;

    /// An app whose requests have a place at `$gate` when they enter it:
    /// `/slow` enters and answers once `$release` is notified, `/fast`
    /// enters and answers, `/nodb` answers without entering; each writes to
    /// `$log` when it answers.
    macro_rules! gated_app {
        ($gate:expr, $release:expr, $log:expr) => {{
            let (gate, release, log): (Gate, Arc<Notify>, Log) = ($gate, $release, $log.clone());
            let (slow_gate, fast_gate, slow_log, fast_log) =
                (gate.clone(), gate, log.clone(), log.clone());
            test::init_service(
                App::new()
                    .wrap(from_fn(request_scope))
                    .route(
                        "/slow",
                        web::get().to(move || {
                            let (gate, release, log) =
                                (slow_gate.clone(), release.clone(), slow_log.clone());
                            async move {
                                gate.enter().await?;
                                // A second trip of the same request keeps its place.
                                gate.enter().await?;
                                release.notified().await;
                                log.lock().unwrap().push("slow");
                                Ok::<_, ApiError>(HttpResponse::Ok().finish())
                            }
                        }),
                    )
                    .route(
                        "/fast",
                        web::get().to(move || {
                            let (gate, log) = (fast_gate.clone(), fast_log.clone());
                            async move {
                                gate.enter().await?;
                                log.lock().unwrap().push("fast");
                                Ok::<_, ApiError>(HttpResponse::Ok().finish())
                            }
                        }),
                    )
                    .route(
                        "/nodb",
                        web::get().to(move || {
                            let log = log.clone();
                            async move {
                                log.lock().unwrap().push("nodb");
                                HttpResponse::Ok().finish()
                            }
                        }),
                    ),
            )
            .await
        }};
    }

    fn get(uri: &str) -> test::TestRequest {
        test::TestRequest::get().uri(uri)
    }

    #[actix_web::test]
    async fn a_full_gate_keeps_the_next_request_waiting_until_a_place_frees() {
        let (release, log): (Arc<Notify>, Log) = Default::default();
        let app = gated_app!(Gate::new(1), release.clone(), log);
        let slow = test::call_service(&app, get("/slow").to_request());
        let fast = test::call_service(&app, get("/fast").to_request());
        let releaser = async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            // A request that needs no database holds no place and is not held.
            let nodb = test::call_service(&app, get("/nodb").to_request()).await;
            assert_eq!(nodb.status(), 200);
            log.lock().unwrap().push("released");
            release.notify_one();
        };
        let (slow, fast, ()) = tokio::join!(slow, fast, releaser);
        assert_eq!(slow.status(), 200);
        assert_eq!(fast.status(), 200);
        // Without the gate "/fast" would have answered first.
        assert_eq!(*log.lock().unwrap(), ["nodb", "released", "slow", "fast"]);
    }

    #[actix_web::test]
    async fn a_request_that_waits_too_long_is_answered_503_and_the_gate_reopens() {
        let (release, log): (Arc<Notify>, Log) = Default::default();
        let app = gated_app!(
            Gate::with_wait(1, Duration::from_millis(50)),
            release.clone(),
            log
        );
        let slow = test::call_service(&app, get("/slow").to_request());
        let refused = async {
            let res = test::call_service(&app, get("/fast").to_request()).await;
            release.notify_one();
            res
        };
        let (slow, refused) = tokio::join!(slow, refused);
        assert_eq!(refused.status(), 503);
        assert_eq!(
            refused.headers().get("content-type").unwrap(),
            crate::error::PROBLEM_JSON
        );
        assert!(refused.headers().contains_key("retry-after"));
        assert_eq!(slow.status(), 200);
        let again = test::call_service(&app, get("/fast").to_request()).await;
        assert_eq!(again.status(), 200);
        assert_eq!(*log.lock().unwrap(), ["slow", "fast"]);
    }

    #[actix_web::test]
    async fn work_outside_a_request_is_not_gated() {
        let gate = Gate::with_wait(1, Duration::from_millis(10));
        for _ in 0..3 {
            gate.enter().await.unwrap();
        }
        assert_eq!(gate.places.available_permits(), 1);
    }
}
