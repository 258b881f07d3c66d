//! Typed client for the REST API on the `shared` DTOs. The access token lives
//! only in memory; the refresh token is an httpOnly cookie the browser sends
//! to `/api/auth/*` by itself.

use std::cell::RefCell;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use gloo_net::http::{Method, RequestBuilder};
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::auth::SessionResponse;
use shared::users::UserDto;
use shared::{ErrorKind, FieldError, Problem};
use web_sys::RequestCredentials;

use crate::i18n::Texts;

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No answer: offline, DNS, server down.
    Network,
    Problem(Problem),
}

impl ApiError {
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            ApiError::Problem(p) => p.errors.clone(),
            ApiError::Network => Vec::new(),
        }
    }

    /// A sentence for the user when no field is at fault.
    pub fn message(&self, t: &Texts) -> String {
        match self {
            ApiError::Network => t.network_error.into(),
            ApiError::Problem(p) => match p.kind() {
                Some(ErrorKind::RateLimited) => t.rate_limited.into(),
                Some(ErrorKind::Unavailable) => t.busy_error.into(),
                Some(ErrorKind::Internal) | None => t.generic_error.into(),
                _ => p.detail.clone(),
            },
        }
    }
}

/// Sends a request and answers the body of a 2xx response. Not generic, so
/// that the request machinery exists once in the bundle, not once per DTO.
async fn send(builder: RequestBuilder, body: Option<String>) -> Result<String, ApiError> {
    let builder = builder.credentials(RequestCredentials::SameOrigin);
    let request = match body {
        Some(json) => builder
            .header("Content-Type", "application/json")
            .body(json)
            .map_err(|_| ApiError::Network)?,
        None => builder.build().map_err(|_| ApiError::Network)?,
    };
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    let status = response.status();
    let text = response.text().await.map_err(|_| ApiError::Network)?;
    if (200..300).contains(&status) {
        Ok(text)
    } else {
        Err(ApiError::Problem(
            serde_json::from_str(&text).unwrap_or_else(|_| {
                let mut p = Problem::new(ErrorKind::Internal, "unexpected answer");
                p.status = status;
                p
            }),
        ))
    }
}

/// The DTO in a 2xx body; 204 and other empty bodies read as JSON `null`.
/// Never inlined: one copy per DTO type, not one per request site.
#[inline(never)]
fn parse<T: DeserializeOwned>(text: Result<String, ApiError>) -> Result<T, ApiError> {
    let text = text?;
    let text = if text.is_empty() { "null" } else { &text };
    serde_json::from_str(text)
        .map_err(|_| ApiError::Problem(Problem::new(ErrorKind::Internal, "unreadable answer")))
}

#[inline(never)]
fn to_json<B: Serialize>(body: Option<&B>) -> Option<String> {
    body.map(|b| serde_json::to_string(b).unwrap_or_default())
}

fn builder(method: Method, path: &str) -> RequestBuilder {
    RequestBuilder::new(path).method(method)
}

/// A request without an access token (sign-up, login, public lists).
pub async fn call<B: Serialize, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: Option<&B>,
) -> Result<T, ApiError> {
    parse(send(builder(method, path), to_json(body)).await)
}

/// Waits before sending again a request the server found too busy for
/// (503), each jittered by ±50 %: shorter than its `Retry-After: 1` at first,
/// since a hashing slot frees up within tens of milliseconds on a quiet
/// server, longer at the last.
const BUSY_WAITS_MS: [f64; 3] = [300.0, 700.0, 1_500.0];

/// Sends a request that hashes a password (sign-up, login, a new password)
/// until the server has room for it. The server hashes a few at a time and
/// answers the rest 503 at once, before doing anything else, so sending again
/// is safe; the form shows "Working…" meanwhile. Each wait is jittered, so that
/// the many people refused in one rush do not all come back at once.
async fn when_free<F, Fut>(mut attempt: F) -> Result<String, ApiError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<String, ApiError>>,
{
    for wait in BUSY_WAITS_MS {
        match attempt().await {
            Err(ApiError::Problem(p)) if p.status == 503 => {
                sleep_ms(wait * (0.5 + js_sys::Math::random())).await
            }
            other => return other,
        }
    }
    attempt().await
}

/// Lets the browser run its other tasks (a paint, input) before going on.
pub async fn yield_to_browser() {
    sleep_ms(0.0).await
}

async fn sleep_ms(ms: f64) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let timer = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(timer).await;
}

/// [`call`] for a request that hashes a password: see [`when_free`].
pub async fn call_hashing<B: Serialize, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: Option<&B>,
) -> Result<T, ApiError> {
    let body = to_json(body);
    parse(when_free(|| send(builder(method.clone(), path), body.clone())).await)
}

/// A public read (no access token).
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    if let Some(answer) = take_prefetched(path) {
        return parse(answer.await);
    }
    call::<(), T>(Method::GET, path, None).await
}

type Answer = Shared<LocalBoxFuture<'static, Result<String, ApiError>>>;

/// How long a prefetched answer may wait for its page, in milliseconds.
const PREFETCH_FRESH_MS: f64 = 10_000.0;

thread_local! {
    /// Public reads started before their page mounted, each taken once.
    static PREFETCHED: RefCell<Vec<(&'static str, f64, Answer)>> = const { RefCell::new(Vec::new()) };
}

/// Starts the public reads of the first page while the session is restored:
/// the page mounts only after that, and would otherwise ask one round trip
/// later (on a phone network, a large part of the time to the form).
pub fn prefetch(paths: &[&'static str]) {
    let now = js_sys::Date::now();
    for &path in paths {
        let answer: Answer = send(builder(Method::GET, path), None)
            .boxed_local()
            .shared();
        // Polled from here on, so the request leaves now.
        wasm_bindgen_futures::spawn_local(answer.clone().map(|_| ()));
        PREFETCHED.with(|p| p.borrow_mut().push((path, now, answer)));
    }
}

fn take_prefetched(path: &str) -> Option<Answer> {
    let now = js_sys::Date::now();
    PREFETCHED.with(|p| {
        let mut p = p.borrow_mut();
        // A page that never came (a redirect to the login) leaves its reads behind.
        p.retain(|(_, at, _)| now - at < PREFETCH_FRESH_MS);
        let i = p.iter().position(|(wanted, _, _)| *wanted == path)?;
        Some(p.swap_remove(i).2)
    })
}

/// The logged-in user and their access token, shared through context.
#[derive(Clone, Copy)]
pub struct Session {
    pub token: RwSignal<Option<String>>,
    pub user: RwSignal<Option<UserDto>>,
    /// False until the first attempt to restore a session has finished.
    pub ready: RwSignal<bool>,
}

type RefreshFuture = Shared<LocalBoxFuture<'static, bool>>;

thread_local! {
    /// One refresh at a time: two parallel refreshes would present the same
    /// cookie twice, which the server treats as theft and ends the session.
    static REFRESHING: RefCell<Option<RefreshFuture>> = const { RefCell::new(None) };
}

impl Session {
    pub fn new() -> Session {
        Session {
            token: RwSignal::new(None),
            user: RwSignal::new(None),
            ready: RwSignal::new(false),
        }
    }

    pub fn start(&self, s: SessionResponse) {
        self.token.set(Some(s.access_token));
        self.user.set(Some(s.user));
    }

    pub fn clear(&self) {
        self.token.set(None);
        self.user.set(None);
    }

    /// Trades the refresh cookie for a new access token.
    pub async fn refresh(&self) -> bool {
        let session = *self;
        let shared = REFRESHING.with(|cell| {
            cell.borrow_mut()
                .get_or_insert_with(|| {
                    async move {
                        let result =
                            call::<(), SessionResponse>(Method::POST, "/api/auth/refresh", None)
                                .await;
                        REFRESHING.with(|c| c.borrow_mut().take());
                        match result {
                            Ok(s) => {
                                session.start(s);
                                true
                            }
                            Err(ApiError::Network) => false,
                            Err(_) => {
                                session.clear();
                                false
                            }
                        }
                    }
                    .boxed_local()
                    .shared()
                })
                .clone()
        });
        shared.await
    }

    /// On page load: restore the session from the cookie, if any.
    pub async fn restore(&self) {
        if has_session_marker() {
            self.refresh().await;
        }
        self.ready.set(true);
    }

    /// An authenticated request; on 401 it refreshes once and tries again.
    pub async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, ApiError> {
        parse(self.send(method, path, to_json(body)).await)
    }

    /// [`Session::call`] for a request that hashes a password: see [`when_free`].
    pub async fn call_hashing<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, ApiError> {
        let body = to_json(body);
        parse(when_free(|| self.send(method.clone(), path, body.clone())).await)
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
    ) -> Result<String, ApiError> {
        let attempt = |token: Option<String>| {
            let mut b = builder(method.clone(), path);
            if let Some(t) = token {
                b = b.header("Authorization", &format!("Bearer {t}"));
            }
            send(b, body.clone())
        };
        // A page that loads data right away must not race the session restore.
        if self.token.get_untracked().is_none() {
            let pending = REFRESHING.with(|c| c.borrow().clone());
            if let Some(refresh) = pending {
                refresh.await;
            }
        }
        match attempt(self.token.get_untracked()).await {
            Err(ApiError::Problem(p)) if p.status == 401 => {
                if self.refresh().await {
                    attempt(self.token.get_untracked()).await
                } else {
                    Err(ApiError::Problem(p))
                }
            }
            other => other,
        }
    }

    /// Sends raw bytes (a photo) with the access token, refreshing once on 401.
    pub async fn upload(
        &self,
        path: &str,
        bytes: &[u8],
        content_type: &str,
    ) -> Result<(), ApiError> {
        for attempt in 0..2 {
            let array = js_sys::Uint8Array::from(bytes);
            let mut b = builder(Method::POST, path).header("Content-Type", content_type);
            if let Some(t) = self.token.get_untracked() {
                b = b.header("Authorization", &format!("Bearer {t}"));
            }
            let request = b.body(array).map_err(|_| ApiError::Network)?;
            let response = request.send().await.map_err(|_| ApiError::Network)?;
            if response.status() == 401 && attempt == 0 && self.refresh().await {
                continue;
            }
            if response.ok() {
                return Ok(());
            }
            let text = response.text().await.unwrap_or_default();
            return Err(ApiError::Problem(
                serde_json::from_str(&text)
                    .unwrap_or_else(|_| Problem::new(ErrorKind::Internal, "upload failed")),
            ));
        }
        Err(ApiError::Network)
    }

    /// Fetches an authenticated image and returns an object URL for `<img src>`.
    pub async fn image_url(&self, path: &str) -> Option<String> {
        self.blob_url(path, "image/jpeg").await
    }

    /// Fetches an authenticated resource (an image, a CSV file) and returns an
    /// object URL for it.
    pub async fn blob_url(&self, path: &str, content_type: &str) -> Option<String> {
        let mut b = builder(Method::GET, path);
        if let Some(t) = self.token.get_untracked() {
            b = b.header("Authorization", &format!("Bearer {t}"));
        }
        let response = b.build().ok()?.send().await.ok()?;
        if !response.ok() {
            return None;
        }
        let bytes = response.binary().await.ok()?;
        let array = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(content_type);
        let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&array, &options).ok()?;
        web_sys::Url::create_object_url_with_blob(&blob).ok()
    }

    /// Fetches an authenticated file and hands it to the browser as a download
    /// named `filename`. False when it could not be fetched.
    pub async fn download(&self, path: &str, content_type: &str, filename: &str) -> bool {
        let Some(url) = self.blob_url(path, content_type).await else {
            return false;
        };
        let link = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("a").ok())
            .and_then(|a| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(a).ok());
        if let Some(a) = link {
            let _ = a.set_attribute("href", &url);
            let _ = a.set_attribute("download", filename);
            a.click();
        }
        let _ = web_sys::Url::revoke_object_url(&url);
        true
    }

    pub async fn logout(&self) {
        let _ = call::<(), ()>(Method::POST, "/api/auth/logout", None).await;
        // Nothing of this user stays behind on a shared device.
        if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = s.remove_item("wv_report_draft");
            // Survey answers in progress (`wv_survey_{id}`).
            let keys: Vec<String> = (0..s.length().unwrap_or(0))
                .filter_map(|i| s.key(i).ok().flatten())
                .filter(|k| k.starts_with("wv_survey_"))
                .collect();
            for k in keys {
                let _ = s.remove_item(&k);
            }
        }
        self.clear();
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// The server sets `wv_session=<role>` beside the httpOnly refresh cookie.
pub fn has_session_marker() -> bool {
    use wasm_bindgen::JsCast;
    document()
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()
        .and_then(|d| d.cookie().ok())
        .is_some_and(|c| {
            c.split(';').any(|kv| {
                kv.trim()
                    .strip_prefix("wv_session=")
                    .is_some_and(|v| !v.is_empty())
            })
        })
}
