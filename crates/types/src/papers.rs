//! Papers, their authors and keywords, and the summaries shown with them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{AuthorId, PaperId, SummaryId};
use crate::venues::VenueRef;

/// An author as listed on a paper (in the paper's order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthorRef {
    pub id: AuthorId,
    pub name: String,
}

/// A keyword or arXiv category (`cs.CL`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeywordRef {
    /// URL-safe identifier, e.g. `cs.cl`.
    pub slug: String,
    /// Display name, e.g. `cs.CL`.
    pub name: String,
}

/// A user as shown next to their contributions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserRef {
    pub username: String,
    pub display_name: Option<String>,
}

/// Where to read a paper. Every field is an absolute URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperLinks {
    /// The arXiv abstract page.
    pub arxiv: Option<String>,
    /// The full text as PDF (arXiv's, or one given with the paper).
    pub pdf: Option<String>,
    /// The DOI resolver link.
    pub doi: Option<String>,
    /// The publisher's or project's landing page, when one was given.
    pub url: Option<String>,
    /// A Google Scholar search for the title.
    pub scholar: String,
}

/// The newest public summary of a paper, shortened for lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LatestSummary {
    pub id: SummaryId,
    /// `null` when the summary is anonymous.
    pub author: Option<UserRef>,
    /// Plain text, at most about 300 characters; formulas as TeX source.
    pub excerpt: String,
    /// The same excerpt as sanitised HTML with formulas as MathML.
    pub excerpt_html: String,
    pub created_at: DateTime<Utc>,
}

/// A paper in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperListItem {
    pub id: PaperId,
    pub title: String,
    pub year: Option<i32>,
    pub venue: Option<VenueRef>,
    /// In the paper's order.
    pub authors: Vec<AuthorRef>,
    pub arxiv_id: Option<String>,
    pub doi: Option<String>,
    /// Public summaries of this paper.
    pub summary_count: i64,
    pub latest_summary: Option<LatestSummary>,
    pub created_at: DateTime<Utc>,
}

/// One page of papers. Pass `next_cursor` back as `cursor` to get the next page; it is `null` on
/// the last page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperPage {
    pub items: Vec<PaperListItem>,
    pub next_cursor: Option<String>,
}

/// A summary as shown on its paper's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SummaryItem {
    pub id: SummaryId,
    /// `null` when the summary is anonymous.
    pub author: Option<UserRef>,
    pub anonymous: bool,
    /// The Markdown source.
    pub body_markdown: String,
    /// The rendered, sanitised HTML (math as MathML).
    pub body_html: String,
    pub ups: i32,
    pub downs: i32,
    /// `ups - downs`.
    pub score: i32,
    /// The lower bound of the Wilson score interval (z = 1.2816) on ups and downs; summaries
    /// on a paper are ordered by it.
    pub rank: f64,
    pub comment_count: i32,
    pub created_at: DateTime<Utc>,
    /// When the body was last edited, if ever.
    pub edited_at: Option<DateTime<Utc>>,
}

/// A paper with everything its page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperDetail {
    pub id: PaperId,
    pub title: String,
    #[serde(rename = "abstract")]
    pub abstract_text: Option<String>,
    pub year: Option<i32>,
    pub published_on: Option<NaiveDate>,
    pub venue: Option<VenueRef>,
    /// In the paper's order.
    pub authors: Vec<AuthorRef>,
    /// arXiv primary category first.
    pub keywords: Vec<KeywordRef>,
    pub arxiv_id: Option<String>,
    pub doi: Option<String>,
    pub links: PaperLinks,
    pub summary_count: i64,
    /// Public summaries, best first (by `rank`).
    pub summaries: Vec<SummaryItem>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/v1/papers/import`: exactly one of `arxiv` and `doi`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ImportPaperRequest {
    /// `2003.10555`, `2003.10555v2`, `arXiv:2003.10555`, `hep-th/9901001`, or an
    /// `https://arxiv.org/abs/…` or `…/pdf/….pdf` URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arxiv: Option<String>,
    /// `10.…/…` or `https://doi.org/10.…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    /// Fetch and show the metadata without adding the paper.
    #[serde(default)]
    pub dry_run: bool,
}

/// Metadata as it would be stored, for the "add paper" preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperDraft {
    pub title: String,
    #[serde(rename = "abstract")]
    pub abstract_text: Option<String>,
    pub year: Option<i32>,
    pub published_on: Option<NaiveDate>,
    pub venue: Option<VenueRef>,
    /// In order.
    pub authors: Vec<String>,
    pub keywords: Vec<String>,
    pub arxiv_id: Option<String>,
    pub doi: Option<String>,
}

/// The answer to a dry-run import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportPreview {
    /// The paper already in the catalogue, if this is one.
    pub existing: Option<PaperId>,
    pub paper: PaperDraft,
}
