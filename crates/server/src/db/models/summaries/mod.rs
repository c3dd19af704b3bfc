//! Summaries: rows, inserts and lookups here; feeds, lists, edits and votes in the submodules.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shortscience_types::{PaperId, SummaryId, UserId, Visibility};

use crate::db::schema::{summaries, users};
use crate::db::DbConn;

mod feed;
mod lists;
mod votes;
mod write;

pub use feed::{feed, feed_key, feed_keys, FeedAfter};
pub use lists::{for_paper, latest_for_papers, newest_in, public_totals, Latest, Scope};
pub use votes::{
    insert_vote, prefetch_vote, record_vote, set_votes, vote_of, votes_of, RecordedVote,
};
pub use write::{
    insert_revision, refresh_comment_count, revisions, set_deleted, set_hidden, set_options,
    update_body, BodyUpdate,
};

/// The SQL of [`publicly_visible`]: word for word the predicate of the partial indexes that
/// serve the feeds and totals (migration `2026-12-04-000001_public_indexes`).
pub const PUBLICLY_VISIBLE_SQL: &str =
    "(summaries.visibility = 'public' AND summaries.hidden = FALSE AND summaries.deleted_at IS NULL)";

/// The type of [`publicly_visible`], by its name, as `#[diesel::dsl::auto_type]` expects.
#[allow(non_camel_case_types)]
pub type publicly_visible = PubliclyVisible;

/// Summaries everyone may see: public, not hidden by a moderator, not deleted. Literals, not
/// parameters: neither planner matches a partial index against bound values. (The covering
/// partial indexes matter: a summary's row holds its bodies, kilobytes that spill to overflow
/// pages, and without them every candidate row of a feed is read to check these columns.)
pub fn publicly_visible() -> publicly_visible {
    PubliclyVisible
}

crate::db::sql_literal!(
    /// [`PUBLICLY_VISIBLE_SQL`] as an expression diesel keeps prepared (see `db::literal`):
    /// with a `sql` literal every feed, list and total naming it, and the top-score read in
    /// every vote's write transaction, was parsed and planned anew each time.
    pub PubliclyVisible: diesel::sql_types::Bool = PUBLICLY_VISIBLE_SQL
);

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = summaries)]
pub struct Summary {
    pub id: SummaryId,
    pub paper_id: PaperId,
    pub author_id: UserId,
    pub body_markdown: String,
    pub body_html: String,
    pub excerpt: String,
    pub excerpt_html: String,
    pub anonymous: bool,
    pub visibility: Visibility,
    pub share_token: Option<String>,
    pub ups: i32,
    pub downs: i32,
    pub score: i32,
    pub hot: f64,
    pub rank: f64,
    pub comment_count: i32,
    pub hidden: bool,
    pub deleted_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
}

impl Summary {
    pub fn is_public(&self) -> bool {
        self.visibility == Visibility::Public
    }

    /// Listed for everyone: public, not hidden, not deleted.
    pub fn publicly_visible(&self) -> bool {
        self.is_public() && !self.hidden && self.deleted_at.is_none()
    }
}

/// The author columns shown next to a summary.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct AuthorName {
    pub username: String,
    pub display_name: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = summaries)]
pub struct NewSummary<'a> {
    pub paper_id: PaperId,
    pub author_id: UserId,
    pub body_markdown: &'a str,
    pub body_html: &'a str,
    pub excerpt: &'a str,
    pub excerpt_html: &'a str,
    pub anonymous: bool,
    pub visibility: Visibility,
    pub share_token: Option<&'a str>,
    pub hot: f64,
    pub rank: f64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewSummary<'_>) -> QueryResult<SummaryId> {
    diesel::insert_into(summaries::table)
        .values(new)
        .returning(summaries::id)
        .get_result(conn)
}
/// A summary in any state, with its author.
pub fn find(conn: &mut DbConn, id: SummaryId) -> QueryResult<Option<(Summary, AuthorName)>> {
    summaries::table
        .inner_join(users::table)
        .filter(summaries::id.eq(id))
        .select((Summary::as_select(), AuthorName::as_select()))
        .first(conn)
        .optional()
}

/// Summaries by id with their authors, in no particular order.
pub fn find_many(conn: &mut DbConn, ids: &[SummaryId]) -> QueryResult<Vec<(Summary, AuthorName)>> {
    summaries::table
        .inner_join(users::table)
        .filter(summaries::id.eq_any(ids))
        .select((Summary::as_select(), AuthorName::as_select()))
        .load(conn)
}
/// The summary's id when this user already wrote one for this paper.
pub fn find_by_author(
    conn: &mut DbConn,
    paper_id: PaperId,
    author_id: UserId,
) -> QueryResult<Option<SummaryId>> {
    summaries::table
        .filter(summaries::paper_id.eq(paper_id))
        .filter(summaries::author_id.eq(author_id))
        .select(summaries::id)
        .first(conn)
        .optional()
}
