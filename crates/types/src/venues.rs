//! Venues: conferences, journals and preprint servers.

use serde::{Deserialize, Serialize};

/// What kind of venue this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(
    feature = "diesel",
    derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)
)]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
#[serde(rename_all = "snake_case")]
pub enum VenueKind {
    Conference,
    Journal,
    Preprint,
    Workshop,
    Other,
}

impl VenueKind {
    pub const ALL: [VenueKind; 5] = [
        Self::Conference,
        Self::Journal,
        Self::Preprint,
        Self::Workshop,
        Self::Other,
    ];

    /// The stored and serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Conference => "conference",
            Self::Journal => "journal",
            Self::Preprint => "preprint",
            Self::Workshop => "workshop",
            Self::Other => "other",
        }
    }

    /// Parses the stored name; unknown names read as `Other` rather than failing a request.
    pub fn from_db(s: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .unwrap_or(Self::Other)
    }
}

/// A venue as shown next to a paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VenueRef {
    /// URL identifier, e.g. `iclr`.
    pub slug: String,
    /// Display name, e.g. `ICLR`.
    pub name: String,
    pub kind: VenueKind,
}

/// A venue in the venue list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VenueListItem {
    pub slug: String,
    pub name: String,
    pub kind: VenueKind,
    pub paper_count: i64,
    pub summary_count: i64,
}

/// `GET /api/v1/venues`: every venue with at least one paper, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VenueList {
    pub items: Vec<VenueListItem>,
}

/// Papers per year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearCount {
    pub year: i32,
    pub paper_count: i64,
}

/// `GET /api/v1/venues/{slug}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VenueDetail {
    pub slug: String,
    pub name: String,
    pub kind: VenueKind,
    pub paper_count: i64,
    pub summary_count: i64,
    /// Years with papers at this venue, newest first.
    pub years: Vec<YearCount>,
}
