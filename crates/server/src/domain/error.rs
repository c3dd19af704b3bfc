//! What a domain operation can fail with. The HTTP layer turns each variant into one status and
//! problem document (`http::error`); nothing here knows about HTTP.

use shortscience_types::{ClaimId, ErrorCode, FieldError, FlagId, PaperId, SummaryId};

use crate::db::DbError;
use crate::domain::upstream::UpstreamError;

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// What the request named does not exist, or the caller may not see it.
    #[error("{0}")]
    NotFound(String),
    /// A query parameter (a cursor, a revision number…) does not fit this resource.
    #[error("invalid parameter `{field}`: {message}")]
    BadParameter { field: String, message: String },
    /// Input fields that break a rule, each named.
    #[error("validation failed")]
    Invalid(Vec<FieldError>),
    /// No usable credentials.
    #[error("{detail}")]
    Unauthorized { code: ErrorCode, detail: String },
    /// Authenticated, but not allowed to do this.
    #[error("{detail}")]
    Forbidden { code: ErrorCode, detail: String },
    /// The request conflicts with stored data (a taken username, an existing summary…).
    #[error("{message}")]
    Conflict {
        code: ErrorCode,
        field: String,
        message: String,
        existing: Existing,
    },
    /// Too many requests of this kind from this client.
    #[error("too many requests; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// arXiv or Crossref has no such record, failed, or timed out.
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
    /// The database could not be reached.
    #[error("service unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// The database cannot take writes: the disk is full or read-only, or the server runs in
    /// read-only mode. Reads still work.
    #[error("storage unavailable")]
    StorageUnavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure. The cause is logged, never shown.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

/// The stored record a conflict is about, for clients to go to it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Existing {
    #[default]
    Nothing,
    Summary(SummaryId),
    Paper(PaperId),
    Flag(FlagId),
    Claim(ClaimId),
}

pub type DomainResult<T> = Result<T, DomainError>;

impl DomainError {
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::NotFound(detail.into())
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        Self::Internal(err.into())
    }

    pub fn forbidden(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self::Forbidden {
            code,
            detail: detail.into(),
        }
    }

    pub fn unauthorized(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self::Unauthorized {
            code,
            detail: detail.into(),
        }
    }

    /// A conflict that names no stored record.
    pub fn conflict(code: ErrorCode, field: &str, message: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            field: field.to_owned(),
            message: message.into(),
            existing: Existing::Nothing,
        }
    }

    /// One invalid body field.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError {
            field: field.to_owned(),
            location: "body".to_owned(),
            message: message.into(),
        }])
    }

    /// A query parameter that does not fit.
    pub fn bad_parameter(field: &str, message: impl Into<String>) -> Self {
        Self::BadParameter {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    /// The invalid field of a validation rule (`validate::*` return the message).
    pub fn check<T>(field: &str, result: Result<T, String>) -> DomainResult<T> {
        result.map_err(|message| Self::invalid_field(field, message))
    }
}

impl From<diesel::result::Error> for DomainError {
    fn from(err: diesel::result::Error) -> Self {
        match err {
            diesel::result::Error::NotFound => Self::not_found("not found"),
            other if is_storage_failure(&other) => Self::StorageUnavailable(
                anyhow::Error::new(other).context("the database cannot write"),
            ),
            other => Self::Internal(anyhow::Error::new(other).context("database query failed")),
        }
    }
}

/// Whether a database error says that storage cannot take writes now (rather than that the
/// query was wrong): SQLite's "database or disk is full", "attempt to write a readonly
/// database" and I/O errors, PostgreSQL's read-only transactions and full disks.
pub fn is_storage_failure(err: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match err {
        Error::DatabaseError(DatabaseErrorKind::ReadOnlyTransaction, _) => true,
        Error::DatabaseError(_, info) => {
            let message = info.message().to_ascii_lowercase();
            [
                "database or disk is full",
                "readonly database",
                "read-only",
                "disk i/o error",
                "no space left on device",
                "could not extend file",
                "could not write",
            ]
            .iter()
            .any(|needle| message.contains(needle))
        }
        _ => false,
    }
}

impl From<DbError> for DomainError {
    fn from(err: DbError) -> Self {
        match err {
            DbError::Unavailable(cause) => Self::Unavailable(cause),
            DbError::Query(e) => Self::from(e),
            DbError::Task(cause) => Self::Internal(cause),
        }
    }
}
