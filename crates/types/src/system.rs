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

/// `GET /api/v1/oembed`: which page to describe.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct OEmbedQuery {
    /// The address of a public summary or a paper on this site, e.g.
    /// `https://shortscience.example/summaries/42`.
    #[cfg_attr(
        feature = "openapi",
        param(
            max_length = 2000,
            pattern = "^https?://[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)*(/[A-Za-z0-9._~-]*)*$"
        )
    )]
    pub url: String,
    /// Widest card the consumer can show, in pixels (default and most 600).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1))]
    pub maxwidth: Option<u32>,
    /// Tallest card the consumer can show, in pixels (default and most 400).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1))]
    pub maxheight: Option<u32>,
    /// `json` (the default and the only format answered; `xml` is 501 Not Implemented, as
    /// oEmbed 1.0 asks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(pattern = "^json$"))]
    pub format: Option<String>,
}

/// An oEmbed 1.0 response of type `rich`: a small card quoting the summary or the paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OEmbed {
    /// Always `1.0`.
    pub version: String,
    /// Always `rich`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    /// The summary's author (never for an anonymous summary), or the paper's authors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_url: Option<String>,
    pub provider_name: String,
    pub provider_url: String,
    /// Seconds the consumer may cache this answer.
    pub cache_age: u32,
    /// The card: sanitised HTML with links and text only (no scripts, styles or frames).
    pub html: String,
    pub width: u32,
    pub height: u32,
}
