//! One error type for the API. Client mistakes become 4xx problems naming the
//! field at fault; server faults are logged with a request id and answered
//! with a generic 500 that reveals nothing of the cause.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use shared::{ErrorKind, FieldError, Problem};

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("unauthorized")]
    Unauthorized(&'static str),
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("conflict: {detail}")]
    Conflict {
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, code, message)])
    }

    /// A 409 that names no field.
    pub fn conflict(detail: impl Into<String>) -> Self {
        ApiError::Conflict {
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    /// A 409 for a status change the workflow does not allow, naming the
    /// statuses that are allowed from here (field `to`, code `invalid_transition`).
    pub fn invalid_transition(what: &str, from: &str, to: &str, allowed: &[&str]) -> Self {
        let list = if allowed.is_empty() {
            "none".to_owned()
        } else {
            allowed.join(", ")
        };
        ApiError::Conflict {
            detail: format!("A {from} {what} cannot become {to}. Allowed: {list}."),
            errors: vec![FieldError::new(
                "to",
                "invalid_transition",
                format!("Allowed: {list}."),
            )],
        }
    }

    /// `Ok` when there are no field errors.
    pub fn check(errors: Vec<FieldError>) -> ApiResult<()> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(errors))
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            ApiError::BadRequest(_) => ErrorKind::BadRequest,
            ApiError::Validation(_) => ErrorKind::Validation,
            ApiError::Unauthorized(_) => ErrorKind::Unauthorized,
            ApiError::Forbidden => ErrorKind::Forbidden,
            ApiError::NotFound => ErrorKind::NotFound,
            ApiError::Conflict { .. } => ErrorKind::Conflict,
            ApiError::PayloadTooLarge => ErrorKind::PayloadTooLarge,
            ApiError::UnsupportedMediaType => ErrorKind::UnsupportedMediaType,
            ApiError::RateLimited { .. } => ErrorKind::RateLimited,
            ApiError::Unavailable(_) => ErrorKind::Unavailable,
            ApiError::Internal(_) => ErrorKind::Internal,
        }
    }

    fn problem(&self) -> Problem {
        let kind = self.kind();
        let mut problem = match self {
            ApiError::BadRequest(detail) => Problem::new(kind, detail.clone()),
            ApiError::Validation(errors) => {
                let mut p = Problem::new(kind, "Correct the fields listed in `errors`.");
                p.errors = errors.clone();
                p
            }
            ApiError::Unauthorized(detail) => Problem::new(kind, *detail),
            ApiError::Forbidden => Problem::new(kind, "Your role does not allow this."),
            ApiError::NotFound => Problem::new(kind, "There is nothing here."),
            ApiError::Conflict { detail, errors } => {
                let mut p = Problem::new(kind, detail.clone());
                p.errors = errors.clone();
                p
            }
            ApiError::PayloadTooLarge => Problem::new(
                kind,
                format!(
                    "Request bodies are limited to {} bytes.",
                    shared::MAX_JSON_BODY
                ),
            ),
            ApiError::UnsupportedMediaType => {
                Problem::new(kind, "Send JSON with Content-Type: application/json.")
            }
            ApiError::RateLimited { retry_after_secs } => Problem::new(
                kind,
                format!("Too many attempts. Try again in {retry_after_secs} seconds."),
            ),
            ApiError::Unavailable(_) => Problem::new(
                kind,
                "The service is busy or restarting. Try again shortly.",
            ),
            ApiError::Internal(_) => Problem::new(kind, "Something went wrong on our side."),
        };
        if let ApiError::Internal(cause) = self {
            let id = request_id();
            tracing::error!(request_id = %id, error = ?cause, "internal error");
            problem.request_id = Some(id);
        } else if let ApiError::Unavailable(cause) = self {
            tracing::warn!(%cause, "service unavailable");
        }
        problem
    }
}

/// A short random id that ties a 500 answer to its log line.
fn request_id() -> String {
    use rand::Rng;
    let n: u64 = rand::thread_rng().gen();
    format!("{n:016x}")
}

pub fn problem_response(problem: &Problem) -> HttpResponse {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, PROBLEM_JSON))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(serde_json::to_string(problem).unwrap_or_default())
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.kind().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = problem_response(&self.problem());
        let retry_after = match self {
            ApiError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            ApiError::Unavailable(_) => Some(1),
            _ => None,
        };
        if let Some(secs) = retry_after {
            if let Ok(value) = header::HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        if matches!(self, ApiError::Unauthorized(_)) {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => ApiError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                ApiError::Validation(vec![FieldError::new(
                    "",
                    "unknown_reference",
                    "The request refers to something that does not exist.",
                )])
            }
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => ApiError::Conflict {
                detail: "This already exists.".into(),
                errors: Vec::new(),
            },
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => {
                ApiError::Unavailable("database connection closed".into())
            }
            // The server cut the connection (restart, failover, terminated
            // backend): the database is unavailable, not the request wrong.
            Error::DatabaseError(_, info) if connection_lost(info.message()) => {
                ApiError::Unavailable(format!("database connection lost: {}", info.message()))
            }
            // A statement past the serving connections' limit (see
            // `db::establish_serving`): stuck behind a lock or a load the
            // database cannot take now. Nothing of it is stored; try again.
            Error::DatabaseError(_, info) if timed_out(info.message()) => {
                ApiError::Unavailable(format!("database busy: {}", info.message()))
            }
            other => ApiError::Internal(other.into()),
        }
    }
}

/// PostgreSQL's statement timeout (SQLSTATE 57014), SQLite's busy timeout.
fn timed_out(message: &str) -> bool {
    message.contains("canceling statement due to statement timeout")
        || message.contains("database is locked")
}

/// libpq's and PostgreSQL's words for a connection that is gone.
fn connection_lost(message: &str) -> bool {
    const SIGNS: [&str; 5] = [
        "terminating connection",
        "server closed the connection",
        "no connection to the server",
        "could not receive data from server",
        "connection to server",
    ];
    SIGNS.iter().any(|s| message.contains(s))
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        ApiError::Unavailable(format!("database pool: {e}"))
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(anyhow::anyhow!("blocking task failed: {e}"))
    }
}
