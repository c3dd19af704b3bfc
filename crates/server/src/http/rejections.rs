//! How the server refuses requests it cannot serve before any handler runs: sizes over the
//! limits below, and bodies, paths and queries that do not parse, each as a problem+json answer
//! naming what was wrong.

use actix_web::dev::ServiceRequest;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{web, HttpRequest};

use crate::http::error::ApiError;
use crate::http::openapi::RouteTable;

/// Largest JSON request body accepted.
pub const JSON_BODY_LIMIT: usize = 256 * 1024;

/// Requests announcing a larger body are refused before it is read.
pub const MAX_REQUEST_BODY: u64 = 1024 * 1024;

/// Longest request URL (path and query) served.
pub const MAX_URI: usize = 8 * 1024;

/// Largest total size of a request's headers served.
pub const MAX_HEADERS: usize = 16 * 1024;

/// A request refused for its size: a declared body over [`MAX_REQUEST_BODY`], a URL over
/// [`MAX_URI`], or headers over [`MAX_HEADERS`]. (Heads past actix's own 128 KiB buffer, or URLs
/// past 64 KiB, never reach the app: actix answers those with an empty 431 or 400.)
pub fn oversized(req: &ServiceRequest) -> Option<ApiError> {
    let uri = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if uri > MAX_URI {
        return Some(ApiError::UriTooLong { limit: MAX_URI });
    }
    let headers: usize = req
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if headers > MAX_HEADERS {
        return Some(ApiError::HeadersTooLarge { limit: MAX_HEADERS });
    }
    declared_length(req)
        .filter(|n| *n > MAX_REQUEST_BODY)
        .map(|_| ApiError::PayloadTooLarge {
            limit: MAX_REQUEST_BODY as usize,
        })
}

fn declared_length(req: &ServiceRequest) -> Option<u64> {
    req.headers()
        .get(actix_web::http::header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

pub fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let api_error = match &err {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            ApiError::PayloadTooLarge {
                limit: JSON_BODY_LIMIT,
            }
        }
        JsonPayloadError::ContentType => {
            ApiError::UnsupportedMediaType("send the body as application/json".to_owned())
        }
        JsonPayloadError::Deserialize(de) => ApiError::MalformedBody {
            detail: de.to_string(),
            field: field_from_serde_message(&de.to_string()),
        },
        other => ApiError::MalformedBody {
            detail: other.to_string(),
            field: None,
        },
    };
    api_error.into()
}

/// A path parameter that does not parse names itself (`id`, `ref`…) with the reason its type
/// gives ("must be a positive integer"). When the path is really another route's, for which
/// this method is not allowed (`PATCH /papers/1/summaries`, which `PATCH /papers/{ref:.+}`
/// caught), the answer is that route's 405.
pub fn path_error(err: PathError, req: &HttpRequest) -> actix_web::Error {
    if let Some(routes) = req.app_data::<web::Data<RouteTable>>() {
        let allowed = routes.allowed(req.path());
        if !allowed.is_empty() && !allowed.contains(req.method()) {
            return ApiError::MethodNotAllowed { allowed }.into();
        }
    }
    let field = req
        .match_info()
        .iter()
        .map(|(name, _)| name.to_owned())
        .last()
        .unwrap_or_else(|| "path".to_owned());
    let message = match &err {
        PathError::Deserialize(e) => e.to_string(),
        other => other.to_string(),
    };
    ApiError::invalid_path(&field, message).into()
}

pub fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let message = err.to_string();
    let field = field_from_serde_message(&message).unwrap_or_else(|| "query".to_owned());
    ApiError::invalid_query(&field, message).into()
}

/// serde names the field in "missing field `x`" and "unknown field `x`, expected …".
pub fn field_from_serde_message(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(message[start..end].to_owned())
}
