//! The API's one error type. Its `ResponseError` impl is the only place that picks a status code,
//! and every error leaves as RFC 9457 `application/problem+json`.

use actix_web::http::{header, Method, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use shortscience_types::{FieldError, Problem};

/// Base of the `type` URIs in problem documents.
pub const PROBLEM_TYPE_BASE: &str = "https://shortscience.org/problems/";

/// The media type of error bodies.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Where an invalid input was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Query,
    Path,
    Body,
}

impl Location {
    fn as_str(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::Path => "path",
            Self::Body => "body",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A resource the request named does not exist.
    #[error("{0}")]
    NotFound(String),
    /// No route matches the path.
    #[error("no route for {0}")]
    RouteNotFound(String),
    /// The route exists but not for this method.
    #[error("method not allowed")]
    MethodNotAllowed { allowed: Vec<Method> },
    /// A path or query parameter is malformed or out of range (400).
    #[error("invalid {} parameter `{field}`: {message}", location.as_str())]
    InvalidParameter {
        location: Location,
        field: String,
        message: String,
    },
    /// The request body is not valid JSON or does not fit the expected shape (400).
    #[error("malformed body: {detail}")]
    MalformedBody {
        detail: String,
        field: Option<String>,
    },
    /// The body is well-formed but its content is invalid (422).
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// No usable credentials (401, with `WWW-Authenticate`).
    #[error("{detail}")]
    Unauthorized { code: &'static str, detail: String },
    /// Authenticated, but not allowed to do this (403).
    #[error("{detail}")]
    Forbidden { code: &'static str, detail: String },
    /// The request conflicts with stored data, e.g. a taken username (409).
    #[error("{message}")]
    Conflict {
        code: &'static str,
        field: String,
        message: String,
    },
    /// The metadata service (arXiv, Crossref) has no such record (404).
    #[error("{0}")]
    NotFoundUpstream(String),
    /// The metadata service failed or answered nonsense (502). The reason is logged only.
    #[error("{service} failed: {reason}")]
    BadGateway {
        service: &'static str,
        reason: String,
    },
    /// The metadata service did not answer in time (504).
    #[error("{service} timed out")]
    GatewayTimeout { service: &'static str },
    /// Too many requests of this kind from this client (429, with `Retry-After`).
    #[error("too many requests; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("request body too large (limit {limit} bytes)")]
    PayloadTooLarge { limit: usize },
    /// The database could not be reached (pool exhausted or server down): 503.
    #[error("service unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// Anything else: a bug or an unexpected failure. The cause is logged, never sent.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::NotFound(detail.into())
    }

    pub fn invalid_query(field: &str, message: impl Into<String>) -> Self {
        Self::InvalidParameter {
            location: Location::Query,
            field: field.to_owned(),
            message: message.into(),
        }
    }

    pub fn invalid_path(field: &str, message: impl Into<String>) -> Self {
        Self::InvalidParameter {
            location: Location::Path,
            field: field.to_owned(),
            message: message.into(),
        }
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        Self::Internal(err.into())
    }

    pub fn unauthorized(code: &'static str, detail: impl Into<String>) -> Self {
        Self::Unauthorized {
            code,
            detail: detail.into(),
        }
    }

    pub fn forbidden(code: &'static str, detail: impl Into<String>) -> Self {
        Self::Forbidden {
            code,
            detail: detail.into(),
        }
    }

    /// One invalid body field (422).
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError {
            field: field.to_owned(),
            location: "body".to_owned(),
            message: message.into(),
        }])
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound(_) => "not_found",
            Self::RouteNotFound(_) => "route_not_found",
            Self::MethodNotAllowed { .. } => "method_not_allowed",
            Self::InvalidParameter { .. } => "invalid_parameter",
            Self::MalformedBody { .. } => "malformed_body",
            Self::Validation(_) => "validation_failed",
            Self::Unauthorized { code, .. }
            | Self::Forbidden { code, .. }
            | Self::Conflict { code, .. } => code,
            Self::RateLimited { .. } => "rate_limited",
            Self::NotFoundUpstream(_) => "upstream_not_found",
            Self::BadGateway { .. } => "upstream_failed",
            Self::GatewayTimeout { .. } => "upstream_timeout",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::PayloadTooLarge { .. } => "payload_too_large",
            Self::Unavailable(_) => "service_unavailable",
            Self::Internal(_) => "internal_error",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            Self::NotFound(_) => "Not found",
            Self::RouteNotFound(_) => "No such endpoint",
            Self::MethodNotAllowed { .. } => "Method not allowed",
            Self::InvalidParameter {
                location: Location::Query,
                ..
            } => "Invalid query parameter",
            Self::InvalidParameter { .. } => "Invalid path parameter",
            Self::MalformedBody { .. } => "Malformed request body",
            Self::Validation(_) => "Invalid input",
            Self::Unauthorized { .. } => "Authentication required",
            Self::Forbidden { .. } => "Forbidden",
            Self::Conflict { .. } => "Conflict",
            Self::RateLimited { .. } => "Too many requests",
            Self::NotFoundUpstream(_) => "Not found upstream",
            Self::BadGateway { .. } => "Bad gateway",
            Self::GatewayTimeout { .. } => "Gateway timeout",
            Self::UnsupportedMediaType(_) => "Unsupported media type",
            Self::PayloadTooLarge { .. } => "Request body too large",
            Self::Unavailable(_) => "Service unavailable",
            Self::Internal(_) => "Internal server error",
        }
    }

    /// The problem document for this error (without `instance`).
    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let (detail, errors) = match self {
            Self::InvalidParameter {
                location,
                field,
                message,
            } => (
                Some(format!("`{field}` {message}")),
                vec![FieldError {
                    field: field.clone(),
                    location: location.as_str().to_owned(),
                    message: message.clone(),
                }],
            ),
            Self::MalformedBody { detail, field } => (
                Some(detail.clone()),
                field
                    .iter()
                    .map(|f| FieldError {
                        field: f.clone(),
                        location: "body".to_owned(),
                        message: detail.clone(),
                    })
                    .collect(),
            ),
            Self::Validation(errors) => (
                Some(
                    errors
                        .iter()
                        .map(|e| format!("`{}` {}", e.field, e.message))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                errors.clone(),
            ),
            Self::Conflict { field, message, .. } => (
                Some(message.clone()),
                vec![FieldError {
                    field: field.clone(),
                    location: "body".to_owned(),
                    message: message.clone(),
                }],
            ),
            Self::MethodNotAllowed { allowed } => (
                Some(format!(
                    "this endpoint accepts {}",
                    allowed
                        .iter()
                        .map(Method::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                vec![],
            ),
            // 5xx bodies are opaque: the cause is in the log only.
            Self::Unavailable(_) => (
                Some("the database is unavailable; try again shortly".to_owned()),
                vec![],
            ),
            Self::Internal(_) => (None, vec![]),
            Self::BadGateway { service, .. } => (
                Some(format!(
                    "{service} could not be reached or gave an unusable answer; try again later"
                )),
                vec![],
            ),
            Self::GatewayTimeout { service } => (
                Some(format!("{service} did not answer in time; try again later")),
                vec![],
            ),
            other => (Some(other.to_string()), vec![]),
        };
        let code = self.code();
        Problem {
            type_uri: format!("{PROBLEM_TYPE_BASE}{code}"),
            title: self.title().to_owned(),
            status: status.as_u16(),
            detail,
            code: code.to_owned(),
            instance: None,
            errors,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound(_) | Self::RouteNotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::InvalidParameter { .. } | Self::MalformedBody { .. } => StatusCode::BAD_REQUEST,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            Self::Forbidden { .. } => StatusCode::FORBIDDEN,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::NotFoundUpstream(_) => StatusCode::NOT_FOUND,
            Self::BadGateway { .. } => StatusCode::BAD_GATEWAY,
            Self::GatewayTimeout { .. } => StatusCode::GATEWAY_TIMEOUT,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(cause) | Self::Unavailable(cause) => {
                tracing::error!(
                    error.cause = format!("{cause:#}"),
                    error.code = self.code(),
                    "request failed"
                );
            }
            Self::BadGateway { service, reason } => {
                tracing::warn!(upstream = service, reason = %reason, "upstream failed");
            }
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        response.insert_header((header::CACHE_CONTROL, "no-store"));
        if let Self::Unauthorized { code, .. } = self {
            let challenge = if *code == "unauthenticated" {
                "Bearer realm=\"shortscience\""
            } else {
                "Bearer realm=\"shortscience\", error=\"invalid_token\""
            };
            response.insert_header((header::WWW_AUTHENTICATE, challenge));
        }
        if let Self::RateLimited { retry_after_secs } = self {
            response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        if let Self::MethodNotAllowed { allowed } = self {
            let allow = allowed
                .iter()
                .map(Method::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            response.insert_header((header::ALLOW, allow));
        }
        match serde_json::to_vec(&self.problem()) {
            Ok(body) => response.body(body),
            Err(_) => response.finish(),
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(err: diesel::result::Error) -> Self {
        match err {
            diesel::result::Error::NotFound => Self::not_found("not found"),
            other => Self::Internal(anyhow::Error::new(other).context("database query failed")),
        }
    }
}

/// Shorthand for handler results.
pub type ApiResult<T> = Result<T, ApiError>;
