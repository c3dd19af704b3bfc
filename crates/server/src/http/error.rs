//! The API's error type. Its `ResponseError` impl is the only place that picks a status code,
//! and every error leaves as RFC 9457 `application/problem+json` carrying a typed
//! [`ErrorCode`].

use actix_web::http::{header, Method, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use shortscience_types::{ErrorCode, FieldError, Problem};

use crate::domain::upstream::UpstreamError;
use crate::domain::{DomainError, Existing};

/// Base of the `type` URIs in problem documents.
pub const PROBLEM_TYPE_BASE: &str = "https://shortscience.org/problems/";

/// How long clients are asked to wait when the database cannot serve them.
pub const STORAGE_RETRY_AFTER_SECS: u64 = 30;

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

/// A failed request: what the domain refused, or what HTTP itself rejected before reaching it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Domain(#[from] DomainError),
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
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("request body too large (limit {limit} bytes)")]
    PayloadTooLarge { limit: usize },
    #[error("the URL is longer than {limit} bytes")]
    UriTooLong { limit: usize },
    #[error("the request headers are larger than {limit} bytes")]
    HeadersTooLarge { limit: usize },
    /// A response format this endpoint does not offer (501, as oEmbed asks).
    #[error("format `{0}` is not offered")]
    FormatNotImplemented(String),
}

/// Shorthand for handler results.
pub type ApiResult<T> = Result<T, ApiError>;

impl From<diesel::result::Error> for ApiError {
    fn from(err: diesel::result::Error) -> Self {
        Self::Domain(err.into())
    }
}

impl ApiError {
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
        Self::Domain(DomainError::internal(err))
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Domain(err) => match err {
                DomainError::NotFound(_) => ErrorCode::NotFound,
                DomainError::BadParameter { .. } => ErrorCode::InvalidParameter,
                DomainError::Invalid(_) => ErrorCode::ValidationFailed,
                DomainError::Unauthorized { code, .. }
                | DomainError::Forbidden { code, .. }
                | DomainError::Conflict { code, .. } => *code,
                DomainError::RateLimited { .. } => ErrorCode::RateLimited,
                DomainError::Upstream(UpstreamError::NotFound { .. }) => {
                    ErrorCode::UpstreamNotFound
                }
                DomainError::Upstream(UpstreamError::Bad { .. }) => ErrorCode::UpstreamFailed,
                DomainError::Upstream(UpstreamError::Timeout { .. }) => ErrorCode::UpstreamTimeout,
                DomainError::Unavailable(_) => ErrorCode::ServiceUnavailable,
                DomainError::StorageUnavailable(_) => ErrorCode::StorageUnavailable,
                DomainError::Internal(_) => ErrorCode::InternalError,
            },
            Self::RouteNotFound(_) => ErrorCode::RouteNotFound,
            Self::MethodNotAllowed { .. } => ErrorCode::MethodNotAllowed,
            Self::InvalidParameter { .. } => ErrorCode::InvalidParameter,
            Self::MalformedBody { .. } => ErrorCode::MalformedBody,
            Self::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            Self::PayloadTooLarge { .. } => ErrorCode::PayloadTooLarge,
            Self::UriTooLong { .. } => ErrorCode::UriTooLong,
            Self::HeadersTooLarge { .. } => ErrorCode::HeadersTooLarge,
            Self::FormatNotImplemented(_) => ErrorCode::FormatNotImplemented,
        }
    }

    fn title(&self) -> &'static str {
        match self {
            Self::Domain(err) => match err {
                DomainError::NotFound(_) => "Not found",
                DomainError::BadParameter { .. } => "Invalid query parameter",
                DomainError::Invalid(_) => "Invalid input",
                DomainError::Unauthorized { .. } => "Authentication required",
                DomainError::Forbidden { .. } => "Forbidden",
                DomainError::Conflict { .. } => "Conflict",
                DomainError::RateLimited { .. } => "Too many requests",
                DomainError::Upstream(UpstreamError::NotFound { .. }) => "Not found upstream",
                DomainError::Upstream(UpstreamError::Bad { .. }) => "Bad gateway",
                DomainError::Upstream(UpstreamError::Timeout { .. }) => "Gateway timeout",
                DomainError::Unavailable(_) => "Service unavailable",
                DomainError::StorageUnavailable(_) => "Storage unavailable",
                DomainError::Internal(_) => "Internal server error",
            },
            Self::RouteNotFound(_) => "No such endpoint",
            Self::MethodNotAllowed { .. } => "Method not allowed",
            Self::InvalidParameter {
                location: Location::Query,
                ..
            } => "Invalid query parameter",
            Self::InvalidParameter { .. } => "Invalid path parameter",
            Self::MalformedBody { .. } => "Malformed request body",
            Self::UnsupportedMediaType(_) => "Unsupported media type",
            Self::PayloadTooLarge { .. } => "Request body too large",
            Self::UriTooLong { .. } => "URI too long",
            Self::HeadersTooLarge { .. } => "Request headers too large",
            Self::FormatNotImplemented(_) => "Format not implemented",
        }
    }

    /// The problem document for this error (without `instance`).
    pub fn problem(&self) -> Problem {
        let field_error = |field: &str, location: &str, message: &str| FieldError {
            field: field.to_owned(),
            location: location.to_owned(),
            message: message.to_owned(),
        };
        let (detail, errors) = match self {
            Self::InvalidParameter {
                location,
                field,
                message,
            } => (
                Some(format!("`{field}` {message}")),
                vec![field_error(field, location.as_str(), message)],
            ),
            Self::Domain(DomainError::BadParameter { field, message }) => (
                Some(format!("`{field}` {message}")),
                vec![field_error(field, "query", message)],
            ),
            Self::MalformedBody { detail, field } => (
                Some(detail.clone()),
                field
                    .iter()
                    .map(|f| field_error(f, "body", detail))
                    .collect(),
            ),
            Self::Domain(DomainError::Invalid(errors)) => (
                Some(
                    errors
                        .iter()
                        .map(|e| format!("`{}` {}", e.field, e.message))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                errors.clone(),
            ),
            Self::Domain(DomainError::Conflict { field, message, .. }) => (
                Some(message.clone()),
                vec![field_error(field, "body", message)],
            ),
            Self::MethodNotAllowed { allowed } => (
                Some(format!("this endpoint accepts {}", allow_header(allowed))),
                vec![],
            ),
            // 5xx bodies are opaque: the cause is in the log only.
            Self::Domain(DomainError::Unavailable(_)) => (
                Some("the database is unavailable; try again shortly".to_owned()),
                vec![],
            ),
            Self::Domain(DomainError::StorageUnavailable(_)) => (
                Some(
                    "the site cannot save changes right now; reading still works. Try again later"
                        .to_owned(),
                ),
                vec![],
            ),
            Self::Domain(DomainError::Internal(_)) => (None, vec![]),
            Self::Domain(DomainError::Upstream(UpstreamError::Bad { service, .. })) => (
                Some(format!(
                    "{service} could not be reached or gave an unusable answer; try again later"
                )),
                vec![],
            ),
            Self::Domain(DomainError::Upstream(UpstreamError::Timeout { service })) => (
                Some(format!("{service} did not answer in time; try again later")),
                vec![],
            ),
            other => (Some(other.to_string()), vec![]),
        };
        let existing = match self {
            Self::Domain(DomainError::Conflict { existing, .. }) => *existing,
            _ => Existing::Nothing,
        };
        let code = self.code();
        Problem {
            type_uri: format!("{PROBLEM_TYPE_BASE}{code}"),
            title: self.title().to_owned(),
            status: self.status_code().as_u16(),
            detail,
            code,
            instance: None,
            errors,
            summary_id: match existing {
                Existing::Summary(id) => Some(id),
                _ => None,
            },
            paper_id: match existing {
                Existing::Paper(id) => Some(id),
                _ => None,
            },
            flag_id: match existing {
                Existing::Flag(id) => Some(id),
                _ => None,
            },
            claim_id: match existing {
                Existing::Claim(id) => Some(id),
                _ => None,
            },
            request_id: None,
        }
    }
}

fn allow_header(allowed: &[Method]) -> String {
    allowed
        .iter()
        .map(Method::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Domain(err) => match err {
                DomainError::NotFound(_) => StatusCode::NOT_FOUND,
                DomainError::BadParameter { .. } => StatusCode::BAD_REQUEST,
                DomainError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                DomainError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
                DomainError::Forbidden { .. } => StatusCode::FORBIDDEN,
                DomainError::Conflict { .. } => StatusCode::CONFLICT,
                DomainError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
                DomainError::Upstream(UpstreamError::NotFound { .. }) => StatusCode::NOT_FOUND,
                DomainError::Upstream(UpstreamError::Bad { .. }) => StatusCode::BAD_GATEWAY,
                DomainError::Upstream(UpstreamError::Timeout { .. }) => StatusCode::GATEWAY_TIMEOUT,
                DomainError::Unavailable(_) | DomainError::StorageUnavailable(_) => {
                    StatusCode::SERVICE_UNAVAILABLE
                }
                DomainError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            },
            Self::RouteNotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::InvalidParameter { .. } | Self::MalformedBody { .. } => StatusCode::BAD_REQUEST,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UriTooLong { .. } => StatusCode::URI_TOO_LONG,
            Self::HeadersTooLarge { .. } => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Self::FormatNotImplemented(_) => StatusCode::NOT_IMPLEMENTED,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Domain(
                DomainError::Internal(cause)
                | DomainError::Unavailable(cause)
                | DomainError::StorageUnavailable(cause),
            ) => {
                tracing::error!(
                    error.cause = format!("{cause:#}"),
                    error.code = %self.code(),
                    "request failed"
                );
            }
            Self::Domain(DomainError::Upstream(UpstreamError::Bad { service, reason })) => {
                tracing::warn!(upstream = service, reason = %reason, "upstream failed");
            }
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        response.insert_header((header::CACHE_CONTROL, "no-store"));
        if let Self::Domain(DomainError::Unauthorized { code, .. }) = self {
            let challenge = if *code == ErrorCode::Unauthenticated {
                "Bearer realm=\"shortscience\""
            } else {
                "Bearer realm=\"shortscience\", error=\"invalid_token\""
            };
            response.insert_header((header::WWW_AUTHENTICATE, challenge));
        }
        if let Self::Domain(DomainError::RateLimited { retry_after_secs }) = self {
            response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        if let Self::Domain(DomainError::StorageUnavailable(_) | DomainError::Unavailable(_)) = self
        {
            response.insert_header((header::RETRY_AFTER, STORAGE_RETRY_AFTER_SECS.to_string()));
        }
        if let Self::MethodNotAllowed { allowed } = self {
            response.insert_header((header::ALLOW, allow_header(allowed)));
        }
        match serde_json::to_vec(&self.problem()) {
            Ok(body) => response.body(body),
            Err(_) => response.finish(),
        }
    }
}

/// Adds the request's id (`request_id`) and path (`instance`) to a problem+json answer, so a
/// user's report of an error can be found in the logs, and sends the id as `X-Request-Id` on
/// every answer.
pub async fn stamp(
    res: actix_web::dev::ServiceResponse,
    request_id: Option<String>,
) -> actix_web::dev::ServiceResponse {
    use actix_web::body::MessageBody as _;
    let Some(id) = request_id else { return res };
    let mut res = res;
    if let Ok(value) = header::HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(header::HeaderName::from_static("x-request-id"), value);
    }
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes());
    if !is_problem {
        return res;
    }
    let instance = res.request().path().to_owned();
    let (request, response) = res.into_parts();
    let (head, body) = response.into_parts();
    let bytes = match body.try_into_bytes() {
        Ok(bytes) => bytes,
        Err(body) => match actix_web::body::to_bytes_limited(body, 64 * 1024).await {
            Ok(Ok(bytes)) => bytes,
            _ => {
                return actix_web::dev::ServiceResponse::new(
                    request,
                    head.set_body(actix_web::body::BoxBody::new(())),
                )
            }
        },
    };
    let stamped = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|mut value| {
            let object = value.as_object_mut()?;
            object.insert("request_id".to_owned(), serde_json::Value::String(id));
            object
                .entry("instance")
                .or_insert(serde_json::Value::String(instance));
            serde_json::to_vec(&value).ok()
        })
        .unwrap_or_else(|| bytes.to_vec());
    actix_web::dev::ServiceResponse::new(
        request,
        head.set_body(actix_web::body::BoxBody::new(stamped)),
    )
}
