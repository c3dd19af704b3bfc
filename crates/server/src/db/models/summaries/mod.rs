//! Summaries.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shortscience_types::{FeedSort, PaperId, SummaryId, UserId, Visibility};

use crate::db::schema::{summaries, users};
use crate::db::DbConn;

/// The SQL of [`publicly_visible`]: word for word the predicate of the partial indexes that
/// serve the feeds and totals (migration `2026-12-04-000001_public_indexes`).
pub const PUBLICLY_VISIBLE_SQL: &str =
    "(summaries.visibility = 'public' AND summaries.hidden = FALSE AND summaries.deleted_at IS NULL)";

/// The type of [`publicly_visible`], by its name, as `#[diesel::dsl::auto_type]` expects.
#[allow(non_camel_case_types)]
pub type publicly_visible = diesel::expression::SqlLiteral<diesel::sql_types::Bool>;

/// Summaries everyone may see: public, not hidden by a moderator, not deleted. Literals, not
/// parameters: neither planner matches a partial index against bound values. (The covering
/// partial indexes matter: a summary's row holds its bodies, kilobytes that spill to overflow
/// pages, and without them every candidate row of a feed is read to check these columns.)
pub fn publicly_visible() -> publicly_visible {
    diesel::dsl::sql::<diesel::sql_types::Bool>(PUBLICLY_VISIBLE_SQL)
}

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

/// A paper's visible summaries with their authors and the viewer's vote on each (0 when none or
/// signed out), best first (stored Wilson rank, then newest), plus the viewer's own summary in
/// whatever state short of deleted. One statement.
pub fn for_paper(
    conn: &mut DbConn,
    paper_id: PaperId,
    viewer: Option<UserId>,
) -> QueryResult<Vec<(Summary, AuthorName, i32)>> {
    use crate::db::schema::votes;
    let viewer = viewer.unwrap_or(UserId(-1));
    let own = summaries::author_id
        .eq(viewer)
        .and(summaries::deleted_at.is_null());
    let rows: Vec<(Summary, AuthorName, Option<i32>)> = summaries::table
        .inner_join(users::table)
        .left_join(
            votes::table.on(votes::summary_id
                .eq(summaries::id)
                .and(votes::user_id.eq(viewer))),
        )
        .filter(summaries::paper_id.eq(paper_id))
        .filter(publicly_visible().or(own))
        .order((summaries::rank.desc(), summaries::id.desc()))
        .select((
            Summary::as_select(),
            AuthorName::as_select(),
            votes::value.nullable(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(s, a, v)| (s, a, v.unwrap_or(0)))
        .collect())
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

/// The viewer's votes on these summaries: summary id → ±1.
pub fn votes_of(
    conn: &mut DbConn,
    user_id: UserId,
    summary_ids: &[SummaryId],
) -> QueryResult<std::collections::HashMap<SummaryId, i32>> {
    use crate::db::schema::votes;
    if summary_ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(votes::table
        .filter(votes::user_id.eq(user_id))
        .filter(votes::summary_id.eq_any(summary_ids))
        .select((votes::summary_id, votes::value))
        .load::<(SummaryId, i32)>(conn)?
        .into_iter()
        .collect())
}

/// Where a feed page starts: after this sort key and id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FeedAfter {
    Hot(f64, SummaryId),
    New(NaiveDateTime, SummaryId),
    Top(i32, SummaryId),
}

/// One feed row's sort key, for cursors and snapshots.
pub fn feed_key(sort: FeedSort, summary: &Summary) -> FeedAfter {
    match sort {
        FeedSort::Hot => FeedAfter::Hot(summary.hot, summary.id),
        FeedSort::New => FeedAfter::New(summary.created_at, summary.id),
        FeedSort::Top => FeedAfter::Top(summary.score, summary.id),
    }
}

/// Publicly visible summaries in feed order, created at or after `since`, after a position.
pub fn feed(
    conn: &mut DbConn,
    sort: FeedSort,
    since: Option<NaiveDateTime>,
    after: Option<FeedAfter>,
    limit: i64,
) -> QueryResult<Vec<(Summary, AuthorName)>> {
    let mut query = summaries::table
        .inner_join(users::table)
        .filter(publicly_visible())
        .select((Summary::as_select(), AuthorName::as_select()))
        .limit(limit)
        .into_boxed();
    if let Some(since) = since {
        query = query.filter(summaries::created_at.ge(since));
    }
    query = match sort {
        FeedSort::Hot => query.order((summaries::hot.desc(), summaries::id.desc())),
        FeedSort::New => query.order((summaries::created_at.desc(), summaries::id.desc())),
        FeedSort::Top => query.order((summaries::score.desc(), summaries::id.desc())),
    };
    query = match after {
        None => query,
        Some(FeedAfter::Hot(hot, id)) => query.filter(
            summaries::hot
                .lt(hot)
                .or(summaries::hot.eq(hot).and(summaries::id.lt(id))),
        ),
        Some(FeedAfter::New(at, id)) => query.filter(
            summaries::created_at
                .lt(at)
                .or(summaries::created_at.eq(at).and(summaries::id.lt(id))),
        ),
        Some(FeedAfter::Top(score, id)) => query.filter(
            summaries::score
                .lt(score)
                .or(summaries::score.eq(score).and(summaries::id.lt(id))),
        ),
    };
    query.load(conn)
}

/// The first `limit` positions of a feed as sort keys only (for a snapshot).
pub fn feed_keys(
    conn: &mut DbConn,
    sort: FeedSort,
    since: Option<NaiveDateTime>,
    limit: i64,
) -> QueryResult<Vec<FeedAfter>> {
    let mut query = summaries::table
        .filter(publicly_visible())
        .select((
            summaries::id,
            summaries::hot,
            summaries::score,
            summaries::created_at,
        ))
        .limit(limit)
        .into_boxed();
    if let Some(since) = since {
        query = query.filter(summaries::created_at.ge(since));
    }
    query = match sort {
        FeedSort::Hot => query.order((summaries::hot.desc(), summaries::id.desc())),
        FeedSort::New => query.order((summaries::created_at.desc(), summaries::id.desc())),
        FeedSort::Top => query.order((summaries::score.desc(), summaries::id.desc())),
    };
    Ok(query
        .load::<(SummaryId, f64, i32, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(id, hot, score, created_at)| match sort {
            FeedSort::Hot => FeedAfter::Hot(hot, id),
            FeedSort::New => FeedAfter::New(created_at, id),
            FeedSort::Top => FeedAfter::Top(score, id),
        })
        .collect())
}

impl FeedAfter {
    pub fn id(&self) -> SummaryId {
        match self {
            Self::Hot(_, id) | Self::New(_, id) | Self::Top(_, id) => *id,
        }
    }
}

/// New text for a summary: body, rendering, and the edit time.
pub struct BodyUpdate<'a> {
    pub body_markdown: &'a str,
    pub body_html: &'a str,
    pub excerpt: &'a str,
    pub excerpt_html: &'a str,
    pub edited_at: NaiveDateTime,
}

pub fn update_body(conn: &mut DbConn, id: SummaryId, update: &BodyUpdate<'_>) -> QueryResult<()> {
    diesel::update(summaries::table.find(id))
        .set((
            summaries::body_markdown.eq(update.body_markdown),
            summaries::body_html.eq(update.body_html),
            summaries::excerpt.eq(update.excerpt),
            summaries::excerpt_html.eq(update.excerpt_html),
            summaries::edited_at.eq(Some(update.edited_at)),
            summaries::updated_at.eq(update.edited_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Sets the anonymous flag, the visibility and the share token.
pub fn set_options(
    conn: &mut DbConn,
    id: SummaryId,
    anonymous: bool,
    visibility: Visibility,
    share_token: Option<&str>,
) -> QueryResult<()> {
    diesel::update(summaries::table.find(id))
        .set((
            summaries::anonymous.eq(anonymous),
            summaries::visibility.eq(visibility),
            summaries::share_token.eq(share_token),
            summaries::updated_at.eq(super::now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_hidden(conn: &mut DbConn, id: SummaryId, hidden: bool) -> QueryResult<()> {
    diesel::update(summaries::table.find(id))
        .set((
            summaries::hidden.eq(hidden),
            summaries::updated_at.eq(super::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Soft delete (`None` restores).
pub fn set_deleted(conn: &mut DbConn, id: SummaryId, at: Option<NaiveDateTime>) -> QueryResult<()> {
    diesel::update(summaries::table.find(id))
        .set((
            summaries::deleted_at.eq(at),
            summaries::updated_at.eq(super::now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn insert_revision(
    conn: &mut DbConn,
    summary_id: SummaryId,
    editor_id: UserId,
    body_markdown: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    use crate::db::schema::summary_revisions;
    diesel::insert_into(summary_revisions::table)
        .values((
            summary_revisions::summary_id.eq(summary_id),
            summary_revisions::editor_id.eq(editor_id),
            summary_revisions::body_markdown.eq(body_markdown),
            summary_revisions::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// A summary's revisions, oldest first: (body, created).
pub fn revisions(
    conn: &mut DbConn,
    summary_id: SummaryId,
) -> QueryResult<Vec<(String, NaiveDateTime)>> {
    use crate::db::schema::summary_revisions;
    summary_revisions::table
        .filter(summary_revisions::summary_id.eq(summary_id))
        .order(summary_revisions::id.asc())
        .select((
            summary_revisions::body_markdown,
            summary_revisions::created_at,
        ))
        .load(conn)
}

/// A vote as recorded: the user's previous value and the summary's totals after the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordedVote {
    pub previous: i32,
    pub ups: i32,
    pub downs: i32,
}

impl RecordedVote {
    pub fn changed(&self, value: i32) -> bool {
        self.previous != value
    }
}

/// Records the user's vote (1, -1, or 0 to withdraw) and returns the totals it leads to (written
/// by the caller with [`set_votes`] together with the rank values). Call inside a write
/// transaction: the first statement locks the summary's row (on PostgreSQL; SQLite's
/// `BEGIN IMMEDIATE` already holds the write lock), so concurrent votes on one summary run one
/// after another and every delta applies to the totals the previous one left.
pub fn record_vote(
    conn: &mut DbConn,
    user_id: UserId,
    summary_id: SummaryId,
    value: i32,
    at: NaiveDateTime,
) -> QueryResult<RecordedVote> {
    use crate::db::schema::votes;
    diesel::update(summaries::table.find(summary_id))
        .set(summaries::ups.eq(summaries::ups))
        .execute(conn)?;
    let (ups, downs): (i32, i32) = summaries::table
        .find(summary_id)
        .select((summaries::ups, summaries::downs))
        .first(conn)?;
    let previous: Option<i32> = votes::table
        .find((user_id, summary_id))
        .select(votes::value)
        .first(conn)
        .optional()?;
    let old = previous.unwrap_or(0);
    if old != value {
        match (previous, value) {
            (Some(_), 0) => {
                diesel::delete(votes::table.find((user_id, summary_id))).execute(conn)?;
            }
            (Some(_), _) => {
                diesel::update(votes::table.find((user_id, summary_id)))
                    .set((votes::value.eq(value), votes::updated_at.eq(at)))
                    .execute(conn)?;
            }
            (None, _) => insert_vote(conn, user_id, summary_id, value, at)?,
        }
    }
    Ok(RecordedVote {
        previous: old,
        ups: ups - i32::from(old == 1) + i32::from(value == 1),
        downs: downs - i32::from(old == -1) + i32::from(value == -1),
    })
}

/// Recounts a summary's visible comments into `comment_count`.
pub fn refresh_comment_count(conn: &mut DbConn, summary_id: SummaryId) -> QueryResult<i32> {
    use crate::db::schema::comments;
    let count: i64 = comments::table
        .filter(comments::summary_id.eq(summary_id))
        .filter(comments::hidden.eq(false))
        .filter(comments::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    let count = i32::try_from(count).unwrap_or(i32::MAX);
    diesel::update(summaries::table.find(summary_id))
        .set(summaries::comment_count.eq(count))
        .execute(conn)?;
    Ok(count)
}

/// What a paper list shows of a paper's newest summary.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = summaries)]
pub struct Latest {
    pub id: SummaryId,
    pub paper_id: PaperId,
    pub anonymous: bool,
    pub excerpt: String,
    pub excerpt_html: String,
    pub created_at: NaiveDateTime,
}

/// The newest visible summary of each given paper: the one written at the paper's
/// `last_summary_at` (kept on write), found through `summaries_paper_created_idx`, without the
/// summaries' bodies.
pub fn latest_for_papers(
    conn: &mut DbConn,
    paper_ids: &[PaperId],
) -> QueryResult<Vec<(Latest, AuthorName)>> {
    use crate::db::schema::papers;
    let rows: Vec<(Latest, AuthorName)> = summaries::table
        .inner_join(users::table)
        .inner_join(papers::table)
        .filter(papers::id.eq_any(paper_ids))
        .filter(summaries::created_at.nullable().eq(papers::last_summary_at))
        .filter(publicly_visible())
        .order((summaries::paper_id, summaries::id.desc()))
        .select((Latest::as_select(), AuthorName::as_select()))
        .load(conn)?;
    let mut latest: Vec<(Latest, AuthorName)> = Vec::with_capacity(paper_ids.len());
    for row in rows {
        if latest.last().map(|(s, _)| s.paper_id) != Some(row.0.paper_id) {
            latest.push(row);
        }
    }
    Ok(latest)
}

pub fn insert(conn: &mut DbConn, new: &NewSummary<'_>) -> QueryResult<SummaryId> {
    diesel::insert_into(summaries::table)
        .values(new)
        .returning(summaries::id)
        .get_result(conn)
}

/// Writes vote totals and the rank values derived from them.
pub fn set_votes(
    conn: &mut DbConn,
    summary_id: SummaryId,
    ups: i32,
    downs: i32,
    hot: f64,
    rank: f64,
) -> QueryResult<()> {
    diesel::update(summaries::table.find(summary_id))
        .set((
            summaries::ups.eq(ups),
            summaries::downs.eq(downs),
            summaries::score.eq(ups - downs),
            summaries::hot.eq(hot),
            summaries::rank.eq(rank),
        ))
        .execute(conn)?;
    Ok(())
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

/// Records a vote (demo data and, later, the vote endpoint's insert path).
pub fn insert_vote(
    conn: &mut DbConn,
    user_id: UserId,
    summary_id: SummaryId,
    value: i32,
    at: NaiveDateTime,
) -> QueryResult<()> {
    use crate::db::schema::votes;
    diesel::insert_into(votes::table)
        .values((
            votes::user_id.eq(user_id),
            votes::summary_id.eq(summary_id),
            votes::value.eq(value),
            votes::created_at.eq(at),
            votes::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// (public summaries, their distinct authors).
pub fn public_totals(conn: &mut DbConn) -> QueryResult<(i64, i64)> {
    summaries::table
        .filter(publicly_visible())
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::sql::<diesel::sql_types::BigInt>("count(DISTINCT author_id)"),
        ))
        .first(conn)
}

/// What a feed of summaries covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub paper: Option<PaperId>,
    pub venue_slug: Option<String>,
    pub year: Option<i32>,
    pub keyword_slug: Option<String>,
    /// Signed summaries of this user (anonymous ones never count as theirs in public).
    pub author: Option<UserId>,
}

/// The newest publicly visible summaries in a scope, with their authors.
pub fn newest_in(
    conn: &mut DbConn,
    scope: &Scope,
    limit: i64,
) -> QueryResult<Vec<(Summary, AuthorName)>> {
    use crate::db::schema::{keywords, paper_keywords, papers, venues};
    let mut query = summaries::table
        .inner_join(users::table)
        .inner_join(papers::table)
        .filter(publicly_visible())
        .order((summaries::created_at.desc(), summaries::id.desc()))
        .limit(limit)
        .select((Summary::as_select(), AuthorName::as_select()))
        .into_boxed();
    if let Some(paper) = scope.paper {
        query = query.filter(summaries::paper_id.eq(paper));
    }
    if let Some(slug) = &scope.venue_slug {
        query = query.filter(
            papers::venue_id.eq_any(
                venues::table
                    .filter(venues::slug.eq(slug.clone()))
                    .select(venues::id.nullable()),
            ),
        );
    }
    if let Some(year) = scope.year {
        query = query.filter(papers::year.eq(year));
    }
    if let Some(slug) = &scope.keyword_slug {
        query = query.filter(
            summaries::paper_id.eq_any(
                paper_keywords::table
                    .inner_join(keywords::table)
                    .filter(keywords::slug.eq(slug.clone()))
                    .select(paper_keywords::paper_id),
            ),
        );
    }
    if let Some(author) = scope.author {
        query = query
            .filter(summaries::author_id.eq(author))
            .filter(summaries::anonymous.eq(false));
    }
    query.load(conn)
}
