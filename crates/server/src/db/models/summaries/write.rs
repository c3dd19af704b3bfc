//! Edits of a summary: body, options, moderation flags, revisions and the comment count.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shortscience_types::{SummaryId, UserId, Visibility};

use crate::db::models::now;
use crate::db::schema::summaries;
use crate::db::DbConn;

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
            summaries::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_hidden(conn: &mut DbConn, id: SummaryId, hidden: bool) -> QueryResult<()> {
    diesel::update(summaries::table.find(id))
        .set((
            summaries::hidden.eq(hidden),
            summaries::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Soft delete (`None` restores).
pub fn set_deleted(conn: &mut DbConn, id: SummaryId, at: Option<NaiveDateTime>) -> QueryResult<()> {
    diesel::update(summaries::table.find(id))
        .set((
            summaries::deleted_at.eq(at),
            summaries::updated_at.eq(now()),
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
