//! Summaries, their revisions, votes and comments, and the Markdown preview.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{CommentId, SummaryId};
use crate::papers::{SummaryItem, UserRef, Visibility};
use crate::users::PaperBrief;

/// A summary with the paper it is about (`GET /summaries/{id}`, feed items).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SummaryDetail {
    pub paper: PaperBrief,
    #[serde(flatten)]
    pub summary: SummaryItem,
    /// For a private summary, and only for its author: the secret that opens it for others.
    /// The web app's share link carries it in the URL fragment (`/summaries/{id}#share=…`),
    /// which browsers never send to a server; API clients send it as `X-Share-Token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_token: Option<String>,
}

/// `GET /summaries`: one page of the site feed. Its items leave out `body_markdown` and
/// `body_html` (what a list shows is the excerpt; `truncated` says whether there is more).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SummaryPage {
    pub items: Vec<SummaryDetail>,
    /// Pass back as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// `POST /papers/{ref}/summaries`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateSummaryRequest {
    /// Markdown with `$…$`, `$$…$$`, `\(…\)` and `\[…\]` math; at most 50,000 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 50000,
            pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000]*$"
        )
    )]
    pub body_markdown: String,
    /// Hide the author's name from everyone but the author and moderators.
    #[serde(default)]
    pub anonymous: bool,
    #[serde(default)]
    pub visibility: Visibility,
}

/// `PATCH /summaries/{id}`: any subset. `hidden` and `reason` are for moderators only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateSummaryRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 50000,
            pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000]*$"
        )
    )]
    pub body_markdown: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anonymous: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    /// Moderators: hide or show the summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<bool>,
    /// Moderators: why, for the public moderation log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `PUT /summaries/{id}/vote`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VoteRequest {
    /// 1 (up), -1 (down) or 0 (withdraw).
    #[cfg_attr(feature = "openapi", schema(minimum = -1, maximum = 1))]
    pub value: i32,
}

/// The caller's vote and the summary's totals after it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoteResult {
    pub summary_id: SummaryId,
    /// The caller's vote now: 1, -1 or 0.
    pub value: i32,
    pub ups: i32,
    pub downs: i32,
    pub score: i32,
    pub rank: f64,
    pub hot: f64,
}

/// One stored version of a summary's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Revision {
    /// 1 for the first version, counting up.
    pub number: i32,
    pub body_markdown: String,
    pub created_at: DateTime<Utc>,
}

/// `GET /summaries/{id}/revisions`, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevisionList {
    pub summary_id: SummaryId,
    pub items: Vec<Revision>,
}

/// What a diff line does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DiffOp {
    Equal,
    Insert,
    Delete,
}

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiffLine {
    pub op: DiffOp,
    /// The line, without its line break.
    pub text: String,
}

/// `GET /summaries/{id}/revisions/diff?from=&to=`: a line diff between two revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevisionDiff {
    pub from: i32,
    pub to: i32,
    pub lines: Vec<DiffLine>,
}

/// A comment with its replies (oldest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comment {
    pub id: CommentId,
    pub parent_id: Option<CommentId>,
    /// `null` for deleted or hidden comments, and for replies by the author of an anonymous
    /// summary (to everyone but that author and moderators).
    pub author: Option<UserRef>,
    /// Written by the summary's author: shown as "the summary's author" when the summary is
    /// anonymous.
    #[serde(default)]
    pub by_summary_author: bool,
    /// `null` for deleted or hidden comments (kept in the tree when they have replies).
    pub body_markdown: Option<String>,
    pub body_html: Option<String>,
    pub deleted: bool,
    pub hidden: bool,
    /// Whether the caller wrote it.
    pub mine: bool,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    /// Set when the writer is a verified author of the summary's paper. Never on a comment
    /// whose author is not named to everyone (the replies of an anonymous summary's author).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_author: Option<crate::users::VerifiedAuthor>,
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub replies: Vec<Comment>,
}

/// `GET /summaries/{id}/comments`: the whole thread, top-level comments oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommentThread {
    pub summary_id: SummaryId,
    /// Visible comments (not deleted or hidden).
    pub count: i64,
    pub items: Vec<Comment>,
}

/// `POST /summaries/{id}/comments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateCommentRequest {
    /// Markdown with math; at most 10,000 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 10000,
            pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000]*$"
        )
    )]
    pub body_markdown: String,
    /// The comment this answers; omitted for a top-level comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<CommentId>,
}

/// `PATCH /comments/{id}`: the author edits the body; moderators hide or show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateCommentRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 10000,
            pattern = "^[^\\u0000]*[^\\u0000\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000]*$"
        )
    )]
    pub body_markdown: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `POST /render`: the editor's live preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RenderRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 50000))]
    pub markdown: String,
}

/// The sanitised HTML, exactly as a published summary would show it, and what is wrong with
/// any formula that could not be typeset (it is shown as its source in the HTML).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenderResponse {
    pub html: String,
    #[serde(default)]
    pub math_errors: Vec<MathError>,
}

/// A formula the TeX parser refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MathError {
    /// The formula's TeX source.
    pub formula: String,
    /// The parser's message.
    pub message: String,
}
