//! The error contract: every API error is an RFC 9457 `application/problem+json`
//! body whose `type` maps onto [`ErrorKind`].

use serde::{Deserialize, Serialize};

/// Stable classes of API errors. The wire form is the `type` URI of the problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// Malformed request: bad JSON, unknown field, bad query string.
    BadRequest,
    /// One or more fields failed validation; see `errors`.
    Validation,
    /// Missing, expired or invalid credentials.
    Unauthorized,
    /// Authenticated but not allowed.
    Forbidden,
    NotFound,
    MethodNotAllowed,
    /// The request conflicts with stored state (e.g. email already taken).
    Conflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    RateLimited,
    /// The server is overloaded or its database is unreachable; retry later.
    Unavailable,
    Internal,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 12] = [
        ErrorKind::BadRequest,
        ErrorKind::Validation,
        ErrorKind::Unauthorized,
        ErrorKind::Forbidden,
        ErrorKind::NotFound,
        ErrorKind::MethodNotAllowed,
        ErrorKind::Conflict,
        ErrorKind::PayloadTooLarge,
        ErrorKind::UnsupportedMediaType,
        ErrorKind::RateLimited,
        ErrorKind::Unavailable,
        ErrorKind::Internal,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "bad-request",
            ErrorKind::Validation => "validation",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::NotFound => "not-found",
            ErrorKind::MethodNotAllowed => "method-not-allowed",
            ErrorKind::Conflict => "conflict",
            ErrorKind::PayloadTooLarge => "payload-too-large",
            ErrorKind::UnsupportedMediaType => "unsupported-media-type",
            ErrorKind::RateLimited => "rate-limited",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Internal => "internal",
        }
    }

    /// The problem `type` URI, relative to the API origin.
    pub fn type_uri(self) -> String {
        format!("/problems/{}", self.slug())
    }

    pub fn from_type_uri(uri: &str) -> Option<ErrorKind> {
        let slug = uri.strip_prefix("/problems/")?;
        Self::ALL.into_iter().find(|k| k.slug() == slug)
    }

    pub fn status(self) -> u16 {
        match self {
            ErrorKind::BadRequest => 400,
            ErrorKind::Validation => 422,
            ErrorKind::Unauthorized => 401,
            ErrorKind::Forbidden => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::MethodNotAllowed => 405,
            ErrorKind::Conflict => 409,
            ErrorKind::PayloadTooLarge => 413,
            ErrorKind::UnsupportedMediaType => 415,
            ErrorKind::RateLimited => 429,
            ErrorKind::Unavailable => 503,
            ErrorKind::Internal => 500,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "Malformed request",
            ErrorKind::Validation => "Some fields are not valid",
            ErrorKind::Unauthorized => "Not logged in or credentials not valid",
            ErrorKind::Forbidden => "Not allowed",
            ErrorKind::NotFound => "Not found",
            ErrorKind::MethodNotAllowed => "Method not allowed",
            ErrorKind::Conflict => "Conflict with the current state",
            ErrorKind::PayloadTooLarge => "Request body too large",
            ErrorKind::UnsupportedMediaType => "Unsupported content type",
            ErrorKind::RateLimited => "Too many requests",
            ErrorKind::Unavailable => "Service temporarily unavailable",
            ErrorKind::Internal => "Internal error",
        }
    }
}

/// Why one field was rejected. `code` is stable and machine-readable (the
/// client translates it); `message` is an English fallback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// An `application/problem+json` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Correlates a server fault with the server log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl Problem {
    pub fn new(kind: ErrorKind, detail: impl Into<String>) -> Self {
        Problem {
            type_: kind.type_uri(),
            title: kind.title().to_owned(),
            status: kind.status(),
            detail: detail.into(),
            errors: Vec::new(),
            request_id: None,
        }
    }

    pub fn kind(&self) -> Option<ErrorKind> {
        ErrorKind::from_type_uri(&self.type_)
    }

    pub fn field_error(&self, field: &str) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_type_uri() {
        for kind in ErrorKind::ALL {
            assert_eq!(ErrorKind::from_type_uri(&kind.type_uri()), Some(kind));
        }
        assert_eq!(ErrorKind::from_type_uri("/problems/nope"), None);
    }

    #[test]
    fn problem_serialises_type_and_omits_empty_errors() {
        let p = Problem::new(ErrorKind::NotFound, "no such thing");
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["type"], "/problems/not-found");
        assert_eq!(v["status"], 404);
        assert!(v.get("errors").is_none());
    }
}
