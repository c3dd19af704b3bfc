//! Comments on summaries.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shortscience_types::{CommentId, PaperId, SummaryId, UserId};

use crate::db::schema::{comments, papers, summaries, users};
use crate::db::DbConn;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = comments)]
pub struct CommentRow {
    pub id: CommentId,
    pub summary_id: SummaryId,
    pub parent_id: Option<CommentId>,
    pub author_id: UserId,
    pub body_markdown: String,
    pub body_html: String,
    pub hidden: bool,
    pub deleted_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
}

/// Every comment on a summary with its author, oldest first.
pub fn for_summary(
    conn: &mut DbConn,
    summary_id: SummaryId,
) -> QueryResult<Vec<(CommentRow, super::summaries::AuthorName)>> {
    comments::table
        .inner_join(users::table)
        .filter(comments::summary_id.eq(summary_id))
        .order(comments::id.asc())
        .select((
            CommentRow::as_select(),
            super::summaries::AuthorName::as_select(),
        ))
        .load(conn)
}

pub fn find(
    conn: &mut DbConn,
    id: CommentId,
) -> QueryResult<Option<(CommentRow, super::summaries::AuthorName)>> {
    comments::table
        .inner_join(users::table)
        .filter(comments::id.eq(id))
        .select((
            CommentRow::as_select(),
            super::summaries::AuthorName::as_select(),
        ))
        .first(conn)
        .optional()
}

/// Comments by id, in no particular order.
pub fn find_many(conn: &mut DbConn, ids: &[CommentId]) -> QueryResult<Vec<CommentRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    comments::table
        .filter(comments::id.eq_any(ids))
        .select(CommentRow::as_select())
        .load(conn)
}

pub fn insert(
    conn: &mut DbConn,
    summary_id: SummaryId,
    parent_id: Option<CommentId>,
    author_id: UserId,
    body_markdown: &str,
    body_html: &str,
    at: NaiveDateTime,
) -> QueryResult<CommentId> {
    diesel::insert_into(comments::table)
        .values((
            comments::summary_id.eq(summary_id),
            comments::parent_id.eq(parent_id),
            comments::author_id.eq(author_id),
            comments::body_markdown.eq(body_markdown),
            comments::body_html.eq(body_html),
            comments::created_at.eq(at),
        ))
        .returning(comments::id)
        .get_result(conn)
}

pub fn update_body(
    conn: &mut DbConn,
    id: CommentId,
    body_markdown: &str,
    body_html: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(comments::table.find(id))
        .set((
            comments::body_markdown.eq(body_markdown),
            comments::body_html.eq(body_html),
            comments::edited_at.eq(Some(at)),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_hidden(conn: &mut DbConn, id: CommentId, hidden: bool) -> QueryResult<()> {
    diesel::update(comments::table.find(id))
        .set(comments::hidden.eq(hidden))
        .execute(conn)?;
    Ok(())
}

pub fn set_deleted(conn: &mut DbConn, id: CommentId, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(comments::table.find(id))
        .set(comments::deleted_at.eq(Some(at)))
        .execute(conn)?;
    Ok(())
}

/// A user's comments as their profile lists them: live (not deleted, not hidden), on summaries
/// everyone may read (public, not hidden, not deleted), and never on the user's own anonymous
/// summaries (listing those would name the summary's author). One macro for the list and its
/// count, so the profile's count is always the list's length.
macro_rules! listed_comments_of {
    ($user:expr) => {
        comments::table
            .inner_join(summaries::table.inner_join(papers::table))
            .filter(comments::author_id.eq($user))
            .filter(comments::deleted_at.is_null())
            .filter(comments::hidden.eq(false))
            .filter(super::summaries::publicly_visible())
            .filter(
                summaries::anonymous
                    .eq(false)
                    .or(summaries::author_id.ne($user)),
            )
    };
}

/// A page of the comments a profile lists (see [`listed_comments_of`]) with their summaries'
/// papers `(paper id, title)`, newest first, after the `(created_at, id)` position given.
pub fn listed_of(
    conn: &mut DbConn,
    user: UserId,
    after: Option<(NaiveDateTime, CommentId)>,
    limit: i64,
) -> QueryResult<Vec<(CommentRow, PaperId, String)>> {
    let mut query = listed_comments_of!(user)
        .order((comments::created_at.desc(), comments::id.desc()))
        .limit(limit)
        .select((CommentRow::as_select(), papers::id, papers::title))
        .into_boxed();
    if let Some((created_at, id)) = after {
        query = query.filter(
            comments::created_at
                .lt(created_at)
                .or(comments::created_at.eq(created_at).and(comments::id.lt(id))),
        );
    }
    query.load(conn)
}

/// How many comments [`listed_of`] pages through.
pub fn listed_count(conn: &mut DbConn, user: UserId) -> QueryResult<i64> {
    listed_comments_of!(user).count().get_result(conn)
}
