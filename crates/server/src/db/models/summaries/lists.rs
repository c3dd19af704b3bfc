//! Lists of summaries: a paper's, the newest of each paper, the newest in a scope, and totals.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shortscience_types::{PaperId, SummaryId, UserId};

use super::{publicly_visible, AuthorName, Summary};
use crate::db::schema::{summaries, users};
use crate::db::DbConn;

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
