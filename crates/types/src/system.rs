//! Service-level responses.

use serde::{Deserialize, Serialize};

/// `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` when the database answered.
    pub status: String,
    /// The database backend in use: `sqlite` or `postgres`.
    pub database: String,
    /// The version of the newest applied migration, e.g. `2026-11-26-000001`.
    pub migration: Option<String>,
    /// The server's version.
    pub version: String,
}
