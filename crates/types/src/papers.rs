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
    /// On a paper's page: the user a moderator verified as this author (an approved claim).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_user: Option<String>,
    /// On a paper's page: the author's ORCID iD, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orcid: Option<String>,
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

/// A summary as shown on its paper's page, in feeds and on its own page.
///
/// Feeds are lean: their items carry the excerpt and the counts but not the bodies.
///
/// `author` is `null` for anonymous summaries, except for their author and moderators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SummaryItem {
    pub id: SummaryId,
    /// `null` when the summary is anonymous (shown only to its author and moderators).
    pub author: Option<UserRef>,
    pub anonymous: bool,
    pub visibility: Visibility,
    /// The Markdown source. Detail views only (a summary's own page, its paper's page, writes):
    /// lists of summaries (the feeds) leave it out and send `excerpt_html`; fetch
    /// `GET /summaries/{id}` for the whole text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_markdown: Option<String>,
    /// The rendered, sanitised HTML (math as MathML). Detail views only, as `body_markdown`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
    /// The first ~300 characters as sanitised HTML, for a collapsed view.
    pub excerpt_html: String,
    /// Whether the excerpt is shorter than the body (show a "more" control).
    pub truncated: bool,
    pub ups: i32,
    pub downs: i32,
    /// `ups - downs`.
    pub score: i32,
    /// The lower bound of the Wilson score interval (z = 1.2816) on ups and downs; summaries
    /// on a paper are ordered by it.
    pub rank: f64,
    /// The stored, time-invariant "hot" value of the site feed (docs/ranking.md).
    pub hot: f64,
    pub comment_count: i32,
    pub created_at: DateTime<Utc>,
    /// When the body was last edited, if ever.
    pub edited_at: Option<DateTime<Utc>>,
    /// The caller's vote: 1, -1, or 0 (none, or not signed in).
    pub my_vote: i32,
    /// Whether the caller wrote it (and may edit or delete it).
    pub mine: bool,
    /// Hidden by a moderator (only its author and moderators still see it).
    pub hidden: bool,
    /// Set when the writer is a verified author of this paper (a moderator approved their
    /// claim on one of its authors). Never on an anonymous summary, whoever asks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_author: Option<crate::users::VerifiedAuthor>,
}

/// Who may read a summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(
    feature = "diesel",
    derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)
)]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Everyone; listed on the paper, in feeds and on the author's profile.
    #[default]
    Public,
    /// Its author, and whoever holds its share link.
    Private,
}

impl Visibility {
    /// The stored and serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Private => "private",
        }
    }

    /// Parses the stored name; an unknown one reads as private (the least exposure).
    pub fn from_db(s: &str) -> Self {
        match s {
            "public" => Self::Public,
            _ => Self::Private,
        }
    }
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
    /// Whether the caller may correct this paper's metadata (`PATCH /papers/{ref}`): whoever
    /// added it, or a moderator. Always `false` signed out.
    #[serde(default)]
    pub can_edit: bool,
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

/// `POST /papers/import` with 200: the paper already in the catalogue, or, for a `dry_run`, the
/// preview of what would be stored. (A new paper is a 201 with a `PaperDetail`.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum ImportAnswer {
    Paper(Box<PaperDetail>),
    Preview(Box<ImportPreview>),
}

/// Deserialises a field that may be absent (leave alone), `null` (clear) or a value (set).
pub fn patch<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Whether a patch field is absent (left alone): it is then not serialised.
pub fn absent<T>(field: &Option<Option<T>>) -> bool {
    field.is_none()
}

/// A venue given by name (created if new).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VenueInput {
    /// e.g. `NeurIPS` or `Physical Review D`.
    pub name: String,
    pub kind: crate::venues::VenueKind,
}

/// `POST /api/v1/papers`: a paper that is in neither arXiv nor Crossref.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreatePaperRequest {
    /// 1 to 500 characters once runs of whitespace are collapsed.
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 500,
            pattern = "^[^\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f]*[^\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\t\\n\\u000b\\f\\r\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000 ][^\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f]*$"
        )
    )]
    pub title: String,
    /// In order; 1 to 500 names.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 500))]
    pub authors: Vec<String>,
    #[serde(default, rename = "abstract")]
    pub abstract_text: Option<String>,
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub published_on: Option<NaiveDate>,
    #[serde(default)]
    pub venue: Option<VenueInput>,
    #[serde(default)]
    pub doi: Option<String>,
    #[serde(default)]
    pub arxiv_id: Option<String>,
    /// The paper's landing page (http or https).
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub pdf_url: Option<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// `PATCH /api/v1/papers/{ref}`: absent fields are left alone, `null` clears a field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdatePaperRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 500,
            pattern = "^[^\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f]*[^\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\t\\n\\u000b\\f\\r\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000 ][^\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f]*$"
        )
    )]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authors: Option<Vec<String>>,
    #[serde(
        default,
        rename = "abstract",
        deserialize_with = "patch",
        skip_serializing_if = "absent"
    )]
    pub abstract_text: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch", skip_serializing_if = "absent")]
    pub year: Option<Option<i32>>,
    #[serde(default, deserialize_with = "patch", skip_serializing_if = "absent")]
    pub published_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "patch", skip_serializing_if = "absent")]
    pub venue: Option<Option<VenueInput>>,
    #[serde(default, deserialize_with = "patch", skip_serializing_if = "absent")]
    pub doi: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch", skip_serializing_if = "absent")]
    pub arxiv_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch", skip_serializing_if = "absent")]
    pub url: Option<Option<String>>,
    #[serde(default, deserialize_with = "patch", skip_serializing_if = "absent")]
    pub pdf_url: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keywords: Option<Vec<String>>,
}

/// One entry of a paper's change log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperChange {
    /// `created`, `imported` or `edited`.
    pub action: String,
    /// Who did it (`null` for the system or a deleted account).
    pub username: Option<String>,
    pub at: DateTime<Utc>,
    /// `{"field": {"from": …, "to": …}}` for edits; the source for imports.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub changes: serde_json::Value,
}

/// `GET /api/v1/papers/{ref}/history`, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaperHistory {
    pub items: Vec<PaperChange>,
}

/// `GET /api/v1/authors/{id}`; their papers are at `GET /papers?author={id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthorDetail {
    pub id: AuthorId,
    pub name: String,
    pub paper_count: i64,
    /// The user a moderator verified as this author (an approved claim).
    #[serde(default)]
    pub verified_user: Option<String>,
    /// The author's ORCID iD, when known.
    #[serde(default)]
    pub orcid: Option<String>,
}

/// A keyword or category with its number of papers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeywordItem {
    pub slug: String,
    pub name: String,
    /// `arxiv` (a category) or `free`.
    pub kind: String,
    pub paper_count: i64,
}

/// `GET /api/v1/keywords`: the most used first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeywordList {
    pub items: Vec<KeywordItem>,
}

/// `GET /api/v1/years`: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearList {
    pub items: Vec<crate::venues::YearCount>,
}
