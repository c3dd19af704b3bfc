//! Summaries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{summaries, users};
use crate::db::DbConn;

/// Summaries everyone may see: public, not hidden by a moderator, not deleted.
#[diesel::dsl::auto_type]
pub fn publicly_visible() -> _ {
    let public: &'static str = "public";
    summaries::visibility
        .eq(public)
        .and(summaries::hidden.eq(false))
        .and(summaries::deleted_at.is_null())
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = summaries)]
pub struct Summary {
    pub id: i64,
    pub paper_id: i64,
    pub author_id: i64,
    pub body_markdown: String,
    pub body_html: String,
    pub excerpt: String,
    pub excerpt_html: String,
    pub anonymous: bool,
    pub ups: i32,
    pub downs: i32,
    pub score: i32,
    pub rank: f64,
    pub comment_count: i32,
    pub created_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
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
    pub paper_id: i64,
    pub author_id: i64,
    pub body_markdown: &'a str,
    pub body_html: &'a str,
    pub excerpt: &'a str,
    pub excerpt_html: &'a str,
    pub anonymous: bool,
    pub visibility: &'a str,
    pub hot: f64,
    pub rank: f64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A paper's visible summaries with their authors, best first (stored Wilson rank, then newest).
pub fn for_paper(conn: &mut DbConn, paper_id: i64) -> QueryResult<Vec<(Summary, AuthorName)>> {
    summaries::table
        .inner_join(users::table)
        .filter(summaries::paper_id.eq(paper_id))
        .filter(publicly_visible())
        .order((summaries::rank.desc(), summaries::id.desc()))
        .select((Summary::as_select(), AuthorName::as_select()))
        .load(conn)
}

/// The newest visible summary of each given paper.
pub fn latest_for_papers(
    conn: &mut DbConn,
    paper_ids: &[i64],
) -> QueryResult<Vec<(Summary, AuthorName)>> {
    let rows: Vec<(Summary, AuthorName)> = summaries::table
        .inner_join(users::table)
        .filter(summaries::paper_id.eq_any(paper_ids))
        .filter(publicly_visible())
        .order((
            summaries::paper_id,
            summaries::created_at.desc(),
            summaries::id.desc(),
        ))
        .select((Summary::as_select(), AuthorName::as_select()))
        .load(conn)?;
    let mut latest: Vec<(Summary, AuthorName)> = Vec::with_capacity(paper_ids.len());
    for row in rows {
        if latest.last().map(|(s, _)| s.paper_id) != Some(row.0.paper_id) {
            latest.push(row);
        }
    }
    Ok(latest)
}

pub fn insert(conn: &mut DbConn, new: &NewSummary<'_>) -> QueryResult<i64> {
    diesel::insert_into(summaries::table)
        .values(new)
        .returning(summaries::id)
        .get_result(conn)
}

/// Writes vote totals and the rank values derived from them.
pub fn set_votes(
    conn: &mut DbConn,
    summary_id: i64,
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
    paper_id: i64,
    author_id: i64,
) -> QueryResult<Option<i64>> {
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
    user_id: i64,
    summary_id: i64,
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
