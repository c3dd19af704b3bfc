//! What can go wrong: the API's problem documents as a typed error, kept apart from failures to
//! reach the server at all.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use shortscience_types::{ErrorCode, Problem};

/// The result of every client call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a call failed.
///
/// Match on [`Error::code`] (the problem's stable [`ErrorCode`]) to act on an API refusal; the
/// other variants say the server could not be reached or answered something this client does
/// not understand.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server refused the request with an RFC 9457 problem document.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The server answered an error status without a problem document (e.g. a proxy in front of
    /// it, or not a ShortScience server at all).
    #[error(
        "the server answered {status} without a problem document{}",
        excerpt(body)
    )]
    UnexpectedStatus {
        status: StatusCode,
        /// The start of the body, for diagnostics.
        body: String,
        retry_after: Option<Duration>,
    },
    /// The request never got an answer: connection refused, DNS, TLS, timeout, reset.
    #[error("could not reach the server: {}", network_reason(.0))]
    Network(#[source] reqwest::Error),
    /// A success answer whose body is not what the endpoint documents.
    #[error("unexpected answer from the server ({status}): {reason}")]
    Decode { status: StatusCode, reason: String },
    /// The client was configured with something unusable (a base URL, a token).
    #[error("{0}")]
    Config(String),
}

/// A problem document with the HTTP facts around it.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The response's status (the same as `problem.status` for a well-behaved server).
    pub status: StatusCode,
    /// The decoded problem: `code`, `title`, `detail`, field `errors`, `request_id`…
    pub problem: Problem,
    /// The `Retry-After` of a 429 or 503, when the server sent one.
    pub retry_after: Option<Duration>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.problem.detail {
            Some(detail) => write!(f, "{}: {}", self.problem.title, detail),
            None => f.write_str(&self.problem.title),
        }
    }
}

impl std::error::Error for ApiError {}

impl Error {
    /// The problem's stable code, when the server sent a problem document.
    pub fn code(&self) -> Option<ErrorCode> {
        self.problem().map(|p| p.code)
    }

    /// The server's problem document, when it sent one.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Self::Api(api) => Some(&api.problem),
            _ => None,
        }
    }

    /// The HTTP status of an error answer (`None` when there was no answer).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(api) => Some(api.status),
            Self::UnexpectedStatus { status, .. } | Self::Decode { status, .. } => Some(*status),
            Self::Network(_) | Self::Config(_) => None,
        }
    }

    /// How long the server asked to wait before trying again (429 and 503 answers).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api(api) => api.retry_after,
            Self::UnexpectedStatus { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The id the server gave the request: quote it when reporting a problem.
    pub fn request_id(&self) -> Option<&str> {
        self.problem().and_then(|p| p.request_id.as_deref())
    }

    /// Whether the thing asked for does not exist (or is not visible to the caller).
    pub fn is_not_found(&self) -> bool {
        self.code() == Some(ErrorCode::NotFound)
    }

    /// Whether the failure happened before any answer: the server is down or unreachable.
    pub fn is_network(&self) -> bool {
        matches!(self, Self::Network(_))
    }
}

/// `: <start of body>` for diagnostics, or nothing for an empty body.
fn excerpt(body: &str) -> String {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        String::new()
    } else {
        format!(": {}", shorten(trimmed, 200))
    }
}

/// At most `max` characters of `text`, with an ellipsis when cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// A short reason for a transport failure, without the URL (the caller knows it) but with the
/// underlying cause, which reqwest keeps in its source chain.
fn network_reason(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "the request timed out"
    } else if error.is_connect() {
        "the connection failed"
    } else {
        "the request failed"
    };
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        causes.push(cause.to_string());
        source = cause.source();
    }
    causes.dedup();
    match causes.last() {
        Some(root) => format!("{kind} ({root})"),
        None => kind.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(code: ErrorCode, detail: Option<&str>) -> Problem {
        Problem {
            type_uri: format!("https://shortscience.org/problems/{code}"),
            title: "Not found".to_owned(),
            status: 404,
            detail: detail.map(str::to_owned),
            code,
            instance: None,
            errors: Vec::new(),
            summary_id: None,
            paper_id: None,
            flag_id: None,
            claim_id: None,
            request_id: Some("r-1".to_owned()),
        }
    }

    #[test]
    fn api_errors_expose_their_code_status_and_request_id() {
        let error = Error::Api(Box::new(ApiError {
            status: StatusCode::NOT_FOUND,
            problem: problem(ErrorCode::NotFound, Some("no paper 7")),
            retry_after: None,
        }));
        assert_eq!(error.code(), Some(ErrorCode::NotFound));
        assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
        assert_eq!(error.request_id(), Some("r-1"));
        assert!(error.is_not_found());
        assert_eq!(error.to_string(), "Not found: no paper 7");
    }

    #[test]
    fn unexpected_statuses_show_the_start_of_the_body() {
        let error = Error::UnexpectedStatus {
            status: StatusCode::BAD_GATEWAY,
            body: "x".repeat(300),
            retry_after: None,
        };
        let text = error.to_string();
        assert!(
            text.starts_with("the server answered 502 Bad Gateway without a problem document: xxx")
        );
        assert!(text.ends_with('…'));
        assert_eq!(error.code(), None);
    }

    #[test]
    fn shorten_cuts_on_character_boundaries() {
        assert_eq!(shorten("héllo", 2), "hé…");
        assert_eq!(shorten("hé", 2), "hé");
    }
}
