//! Votes on summaries: the viewer's votes, recording one, and the totals and ranks they lead to.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shortscience_types::{SummaryId, UserId};

use crate::db::schema::summaries;
use crate::db::DbConn;

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
