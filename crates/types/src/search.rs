//! Full-text search over papers and public summaries.

use serde::{Deserialize, Serialize};

use crate::ids::SummaryId;
use crate::papers::{PaperListItem, UserRef};
use crate::users::PaperBrief;

/// What to search.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SearchKind {
    /// Papers and summaries, by relevance.
    #[default]
    All,
    Papers,
    Summaries,
}

impl SearchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Papers => "papers",
            Self::Summaries => "summaries",
        }
    }
}

/// `GET /search` (with a [`crate::Page`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct SearchQuery {
    /// Words to find, web-search style: `"a quoted phrase"`, `-excluded`, `this OR that`. Word
    /// forms match ("discriminators" finds "discriminator"). An arXiv id, arXiv URL or DOI of a
    /// paper in the catalogue is also answered in `exact`.
    #[cfg_attr(feature = "openapi", param(min_length = 1, max_length = 500))]
    pub q: String,
    /// `all` (default), `papers` or `summaries`.
    #[serde(default)]
    pub kind: SearchKind,
    /// Only papers at this venue (its slug), and summaries of them.
    #[serde(
        default,
        deserialize_with = "crate::lists::short_text",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", param(max_length = 100))]
    pub venue: Option<String>,
    /// Only papers of this year (`2020`) or range of years (`2018-2021`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        param(pattern = r"^[1-9][0-9]{3}(-[1-9][0-9]{3})?$")
    )]
    pub year: Option<String>,
    /// Only papers with an author whose name contains this.
    #[serde(
        default,
        deserialize_with = "crate::lists::short_text",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", param(max_length = 100))]
    pub author: Option<String>,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum SearchHit {
    Paper {
        paper: Box<PaperListItem>,
        /// Where the words were found, as sanitised HTML with the matches in `<mark>`.
        snippet_html: String,
    },
    Summary {
        summary: SummaryHit,
        paper: Box<PaperBrief>,
        /// Where the words were found, as sanitised HTML with the matches in `<mark>`.
        snippet_html: String,
    },
}

/// A summary as a search result shows it. Search never names the author of an anonymous one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SummaryHit {
    pub id: SummaryId,
    pub author: Option<UserRef>,
    pub anonymous: bool,
    pub score: i32,
    pub excerpt_html: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// `GET /search`: one page of results, most relevant first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    /// The paper the query names exactly (its arXiv id, arXiv URL or DOI), if it is in the
    /// catalogue: clients go straight there.
    pub exact: Option<PaperBrief>,
    pub items: Vec<SearchHit>,
    /// Pass back as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}
