//! Builds the actix application: state, middleware, routes, static client.

use std::net::TcpListener;
use std::sync::Arc;

use actix_cors::Cors;
use actix_files::Files;
use actix_web::body::MessageBody;
use actix_web::dev::{fn_service, Server, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{
    from_fn, Compress, Condition, DefaultHeaders, ErrorHandlerResponse, ErrorHandlers, Next,
};
use actix_web::{web, App, HttpServer};
use shared::{ErrorKind, Problem};
use tracing_actix_web::TracingLogger;

use crate::api;
use crate::auth::jwt::JwtKeys;
use crate::auth::password::Hasher;
use crate::config::Config;
use crate::db::{self, Pool};
use crate::error::{problem_response, ApiError, PROBLEM_JSON};
use crate::gate;
use crate::mail::Mailer;
use crate::storage::{BlobStore, DirStore};
use crate::web_assets::{self, WebAssets};

/// Shared by every request. Nothing here is per-user or per-session: all
/// such state lives in the database, so instances can be added at will.
pub struct AppState {
    pub pool: Pool,
    pub config: Arc<Config>,
    pub jwt: JwtKeys,
    pub hasher: Hasher,
    pub mailer: Mailer,
    pub photos: Arc<dyn BlobStore>,
}

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(&config.bind)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.bind))?;
        Self::build_with_listener(config, listener).await
    }

    pub async fn build_with_listener(
        config: Config,
        listener: TcpListener,
    ) -> anyhow::Result<Application> {
        migrate(&config).await?;
        let pool = db::build_pool(&config)?;
        let state = web::Data::new(AppState {
            jwt: JwtKeys::new(&config),
            hasher: Hasher::new(config.password_hash_concurrency)?,
            mailer: Mailer::new(&config)?,
            photos: Arc::new(DirStore::new(config.data_dir.join("photos"))?),
            pool,
            config: Arc::new(config),
        });
        crate::privacy::spawn_daily(state.clone());
        let assets = web::Data::new(WebAssets::load(&state.config.static_dir));
        let csp = assets.content_security_policy();
        let port = listener.local_addr()?.port();
        let server = HttpServer::new(move || {
            let config = &state.config;
            let mut security = DefaultHeaders::new()
                .add((header::CONTENT_SECURITY_POLICY, csp.clone()))
                .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .add((header::X_FRAME_OPTIONS, "DENY"))
                .add((header::REFERRER_POLICY, "no-referrer"))
                .add((
                    "Permissions-Policy",
                    "camera=(self), microphone=(), geolocation=(self)",
                ))
                .add(("Cross-Origin-Opener-Policy", "same-origin"));
            if config.is_production() {
                security = security.add((
                    header::STRICT_TRANSPORT_SECURITY,
                    "max-age=31536000; includeSubDomains",
                ));
            }
            let static_site = if assets.has_client() {
                Files::new("/", &assets.dir)
                    .index_file("index.html")
                    .default_handler(fn_service(|req: ServiceRequest| async {
                        let (req, _) = req.into_parts();
                        let assets = req.app_data::<web::Data<WebAssets>>().cloned();
                        let res = match assets {
                            Some(a) => web_assets::index(a, req.clone()).await,
                            None => actix_web::HttpResponse::NotFound().finish(),
                        };
                        Ok(ServiceResponse::new(req, res))
                    }))
            } else {
                Files::new("/", &assets.dir).default_handler(web::to(web_assets::index))
            };
            App::new()
                .app_data(state.clone())
                .app_data(assets.clone())
                .app_data(api::json_config())
                .app_data(api::query_config())
                .app_data(api::path_config())
                .app_data(web::PayloadConfig::new(shared::MAX_JSON_BODY))
                .wrap(from_fn(cache_headers))
                .wrap(Compress::default())
                .wrap(Condition::new(config.cors_origin.is_some(), cors(config)))
                .wrap(security)
                .wrap(TracingLogger::default())
                .configure(api::site)
                .service(
                    web::scope("/api")
                        .wrap(ErrorHandlers::new().default_handler(as_problem))
                        .wrap(from_fn(gate::request_scope))
                        .configure(api::configure)
                        .default_service(web::to(|| async {
                            Err::<actix_web::HttpResponse, _>(ApiError::NotFound)
                        })),
                )
                .service(
                    web::scope("/open311/v2")
                        .wrap(from_fn(gate::request_scope))
                        .configure(api::open311::configure),
                )
                // The home page too goes out with its first view, not as the bare file.
                .route("/", web::get().to(web_assets::index))
                .route("/{file}", web::get().to(web_assets::precompressed))
                .service(static_site)
        })
        .listen(listener)?
        .run();
        Ok(Application { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Migrations run on a connection of their own, not a pooled one: the
/// pool's statements are cut off after `db_statement_timeout`, and a
/// migration on a large table, or the wait for another instance's, may take
/// longer.
async fn migrate(config: &Config) -> anyhow::Result<()> {
    let (url, kind) = (
        config.database_url.expose().to_owned(),
        config.database_kind,
    );
    let applied = tokio::task::spawn_blocking(move || {
        let mut conn = db::establish(&url, kind)
            .map_err(|e| anyhow::anyhow!("cannot reach the database: {e}"))?;
        db::run_migrations(&mut conn)
    })
    .await??;
    for version in applied {
        tracing::info!(%version, "migration applied");
    }
    Ok(())
}

fn cors(config: &Config) -> Cors {
    let origin = config.cors_origin.clone().unwrap_or_default();
    Cors::default()
        .allowed_origin(&origin)
        .allowed_methods(["GET", "POST", "PATCH", "PUT", "DELETE"])
        .allowed_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .supports_credentials()
        .max_age(3600)
}

/// API answers are never cached unless a handler says otherwise; static
/// files are cached by whether their name carries a content hash.
async fn cache_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let path = req.path().to_owned();
    let mut res = next.call(req).await?;
    if !res.headers().contains_key(header::CACHE_CONTROL) {
        let value = if path.starts_with("/api")
            || path.starts_with("/open311")
            || path == "/healthz"
            || path == "/readyz"
        {
            "no-store"
        } else {
            web_assets::cache_control_for(&path)
        };
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    Ok(res)
}

/// Turns any error answer under `/api` that is not already a problem (the
/// router's 404 and 405, actix's own 400s) into `application/problem+json`.
fn as_problem<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes());
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let kind = match res.status().as_u16() {
        404 => ErrorKind::NotFound,
        405 => ErrorKind::MethodNotAllowed,
        413 => ErrorKind::PayloadTooLarge,
        415 => ErrorKind::UnsupportedMediaType,
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::Forbidden,
        429 => ErrorKind::RateLimited,
        503 => ErrorKind::Unavailable,
        s if s >= 500 => ErrorKind::Internal,
        _ => ErrorKind::BadRequest,
    };
    let detail = match kind {
        ErrorKind::MethodNotAllowed => "This endpoint does not accept this HTTP method.",
        ErrorKind::NotFound => "There is nothing here.",
        _ => kind.title(),
    };
    let (req, original) = res.into_parts();
    let mut response = problem_response(&Problem::new(kind, detail));
    for (name, value) in original.headers() {
        if name == header::ALLOW || name == header::RETRY_AFTER {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}
