//! Service-level responses.

use serde::{Deserialize, Serialize};

/// `GET /api/v1/health`: readiness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` when the database answers and takes writes; `read_only` when the server serves a
    /// read-only database on purpose (`--read-only`).
    pub status: String,
    /// The database backend in use: `sqlite` or `postgres`.
    pub database: String,
    /// The version of the newest applied migration, e.g. `2026-11-26-000001`.
    pub migration: Option<String>,
    /// The server's version.
    pub version: String,
}

/// `GET /api/v1/health/live`: liveness. Answered without touching the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Liveness {
    /// Always `ok`: the process answers.
    pub status: String,
    /// The server's version.
    pub version: String,
}

/// `GET /api/v1/stats`: the site's totals, as its front page shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteStats {
    /// Public summaries (not hidden, not deleted).
    pub public_summaries: i64,
    pub papers: i64,
    /// People who wrote at least one public summary.
    pub contributors: i64,
}
