//! The one error body of the API: RFC 9457 `application/problem+json`, and the stable codes it
//! carries.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::{ClaimId, FlagId, PaperId, SummaryId};

/// The stable, machine-readable reason of a problem. Clients match on this, never on `title` or
/// `detail` (which are for people and may change wording). Serialised in snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A resource the request named does not exist (or is not visible to the caller).
    NotFound,
    /// No endpoint has this path.
    RouteNotFound,
    /// The endpoint exists, but not for this method (see `Allow`).
    MethodNotAllowed,
    /// A path or query parameter is malformed or out of range (`errors` names it).
    InvalidParameter,
    /// The body is not JSON of the expected shape.
    MalformedBody,
    /// The body is well-formed but a field is invalid (`errors` names each).
    ValidationFailed,
    /// No credentials were sent.
    Unauthenticated,
    /// The bearer token is malformed, unknown, expired or revoked.
    InvalidToken,
    /// Wrong username or password.
    InvalidCredentials,
    /// The refresh cookie is missing, unknown or expired.
    InvalidRefreshToken,
    /// An already used refresh token was presented: the session was ended.
    RefreshTokenReused,
    /// The account is suspended: it can read but not write.
    AccountSuspended,
    /// Not allowed (e.g. not an admin, not the paper's creator).
    Forbidden,
    /// Needs a signed-in browser session; API tokens cannot do this.
    SessionRequired,
    /// A cookie-authenticated request came from another site.
    CrossOrigin,
    /// Only the author may do this.
    NotAuthor,
    /// Only moderators may do this.
    NotModerator,
    /// Authors cannot vote on their own summaries.
    OwnSummary,
    /// Only public, visible summaries take votes.
    NotVotable,
    /// Only public, visible summaries take comments.
    CommentsClosed,
    UsernameTaken,
    EmailTaken,
    /// The caller already summarised this paper; `summary_id` names that summary.
    SummaryExists,
    /// The paper is already in the catalogue; `paper_id` names it.
    PaperExists,
    /// The caller already has an open flag on this target; `flag_id` names it.
    FlagExists,
    /// The caller already has a pending (or approved) claim on this author; `claim_id` names it.
    ClaimExists,
    /// The flag or claim was already decided.
    AlreadyDecided,
    /// The ORCID iD belongs to another author, or the author has another one.
    OrcidTaken,
    /// Too many requests of this kind (see `Retry-After`).
    RateLimited,
    /// arXiv or Crossref has no such record.
    UpstreamNotFound,
    /// arXiv or Crossref failed or answered nonsense.
    UpstreamFailed,
    /// arXiv or Crossref did not answer in time.
    UpstreamTimeout,
    UnsupportedMediaType,
    PayloadTooLarge,
    /// The request line (the URL) is too long.
    UriTooLong,
    /// The request's headers are too large.
    HeadersTooLarge,
    /// A response format the endpoint does not offer (oEmbed's `format=xml`).
    FormatNotImplemented,
    /// The database is unreachable; try again shortly.
    ServiceUnavailable,
    /// Storage cannot take writes now (full, read-only, or the server is in read-only mode);
    /// reads still work. See `Retry-After`.
    StorageUnavailable,
    /// A bug or an unexpected failure (logged on the server).
    InternalError,
    /// A code this version of the types does not know yet (never sent by the server).
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// The serialised name, e.g. `summary_exists`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::RouteNotFound => "route_not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::InvalidParameter => "invalid_parameter",
            Self::MalformedBody => "malformed_body",
            Self::ValidationFailed => "validation_failed",
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidToken => "invalid_token",
            Self::InvalidCredentials => "invalid_credentials",
            Self::InvalidRefreshToken => "invalid_refresh_token",
            Self::RefreshTokenReused => "refresh_token_reused",
            Self::AccountSuspended => "account_suspended",
            Self::Forbidden => "forbidden",
            Self::SessionRequired => "session_required",
            Self::CrossOrigin => "cross_origin",
            Self::NotAuthor => "not_author",
            Self::NotModerator => "not_moderator",
            Self::OwnSummary => "own_summary",
            Self::NotVotable => "not_votable",
            Self::CommentsClosed => "comments_closed",
            Self::UsernameTaken => "username_taken",
            Self::EmailTaken => "email_taken",
            Self::SummaryExists => "summary_exists",
            Self::PaperExists => "paper_exists",
            Self::FlagExists => "flag_exists",
            Self::ClaimExists => "claim_exists",
            Self::OrcidTaken => "orcid_taken",
            Self::AlreadyDecided => "already_decided",
            Self::RateLimited => "rate_limited",
            Self::UpstreamNotFound => "upstream_not_found",
            Self::UpstreamFailed => "upstream_failed",
            Self::UpstreamTimeout => "upstream_timeout",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UriTooLong => "uri_too_long",
            Self::HeadersTooLarge => "headers_too_large",
            Self::FormatNotImplemented => "format_not_implemented",
            Self::ServiceUnavailable => "service_unavailable",
            Self::StorageUnavailable => "storage_unavailable",
            Self::InternalError => "internal_error",
            Self::Unknown => "unknown",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An RFC 9457 problem document. Every non-2xx response of the API has this shape.
///
/// `code` is the stable identifier clients match on; `title` and `detail` are for people and may
/// change wording. Where a client needs data to act on a problem, it is an extension member
/// (`summary_id` on `summary_exists`, `paper_id` on `paper_exists`), never text in `detail`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(
    feature = "openapi",
    schema(example = json!({
        "type": "https://shortscience.org/problems/invalid_parameter",
        "title": "Invalid query parameter",
        "status": 400,
        "detail": "`limit` must be an integer between 1 and 100",
        "code": "invalid_parameter",
        "errors": [{"field": "limit", "location": "query", "message": "must be an integer between 1 and 100"}]
    }))
)]
pub struct Problem {
    /// A URI identifying the problem type.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// A short, human-readable summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// A human-readable explanation specific to this occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The stable, machine-readable code.
    pub code: ErrorCode,
    /// The request path this problem occurred on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Per-field validation errors, when the problem is about the request's input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// `summary_exists`: the caller's existing summary of the paper (edit it instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_id: Option<SummaryId>,
    /// `paper_exists`: the paper already in the catalogue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paper_id: Option<PaperId>,
    /// `flag_exists`: the caller's open flag on the target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag_id: Option<FlagId>,
    /// `claim_exists`: the caller's pending or approved claim on the author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_id: Option<ClaimId>,
    /// The id of the request, as in the server's log and the `X-Request-Id` header: quote it
    /// when reporting a problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// One invalid input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field or parameter name, e.g. `limit`.
    pub field: String,
    /// Where the field was: `query`, `path` or `body`.
    pub location: String,
    /// What is wrong with it.
    pub message: String,
}

impl Problem {
    /// The first field error's field name, if any (convenience for clients and tests).
    pub fn field(&self) -> Option<&str> {
        self.errors.first().map(|e| e.field.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_their_names_and_unknown_ones_still_parse() {
        for code in [
            ErrorCode::NotFound,
            ErrorCode::SummaryExists,
            ErrorCode::RefreshTokenReused,
        ] {
            let json = serde_json::to_string(&code).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
        let later: ErrorCode =
            serde_json::from_str("\"a_code_from_the_future\"").unwrap_or(ErrorCode::InternalError);
        assert_eq!(later, ErrorCode::Unknown);
    }
}
