//! Everything one user has written or done, for their own export.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shortscience_types::{SummaryId, UserId};

use super::comments::CommentRow;
use super::summaries::Summary;
use crate::db::schema::{comments, papers, summaries, summary_revisions, votes};
use crate::db::DbConn;

/// The user's summaries (all of them: private, anonymous, hidden, deleted) with their papers'
/// titles, oldest first.
pub fn summaries_of(conn: &mut DbConn, user: UserId) -> QueryResult<Vec<(Summary, String)>> {
    summaries::table
        .inner_join(papers::table)
        .filter(summaries::author_id.eq(user))
        .order(summaries::id.asc())
        .select((Summary::as_select(), papers::title))
        .load(conn)
}

/// Every version of the text of these summaries: (summary, text, when), oldest first.
pub fn revisions_of(
    conn: &mut DbConn,
    ids: &[SummaryId],
) -> QueryResult<Vec<(SummaryId, String, NaiveDateTime)>> {
    let mut out = Vec::new();
    // Bounded IN lists: SQLite and PostgreSQL both limit bound parameters.
    for chunk in ids.chunks(500) {
        out.extend(
            summary_revisions::table
                .filter(summary_revisions::summary_id.eq_any(chunk))
                .order(summary_revisions::id.asc())
                .select((
                    summary_revisions::summary_id,
                    summary_revisions::body_markdown,
                    summary_revisions::created_at,
                ))
                .load::<(SummaryId, String, NaiveDateTime)>(conn)?,
        );
    }
    Ok(out)
}

/// The user's comments, oldest first.
pub fn comments_of(conn: &mut DbConn, user: UserId) -> QueryResult<Vec<CommentRow>> {
    comments::table
        .filter(comments::author_id.eq(user))
        .order(comments::id.asc())
        .select(CommentRow::as_select())
        .load(conn)
}

/// The user's votes: (summary, value, cast, changed), oldest first.
pub fn votes_of(
    conn: &mut DbConn,
    user: UserId,
) -> QueryResult<Vec<(SummaryId, i32, NaiveDateTime, NaiveDateTime)>> {
    votes::table
        .filter(votes::user_id.eq(user))
        .order((votes::created_at.asc(), votes::summary_id.asc()))
        .select((
            votes::summary_id,
            votes::value,
            votes::created_at,
            votes::updated_at,
        ))
        .load(conn)
}
