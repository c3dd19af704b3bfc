//! The one error body of the API: RFC 9457 `application/problem+json`.

use serde::{Deserialize, Serialize};

/// An RFC 9457 problem document. Every non-2xx response of the API has this shape.
///
/// `code` is a stable snake_case identifier clients can match on; `title` and `detail` are for
/// people and may change wording.
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
    /// A stable, machine-readable snake_case code (`not_found`, `invalid_parameter`, ...).
    pub code: String,
    /// The request path this problem occurred on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Per-field validation errors, when the problem is about the request's input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
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
