//! Votes on summaries: the viewer's votes, recording one, and the totals and ranks they lead to.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shortscience_types::{SummaryId, UserId};

use super::Summary;
use crate::db::schema::summaries;
use crate::db::{Backend, DbConn};

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
/// SQLite only: touches every index entry a vote on `summary` by `voter` reads or moves, in
/// one statement (see `domain::votes::prefetch`).
pub fn prefetch_vote(conn: &mut DbConn, summary: &Summary, voter: UserId) -> QueryResult<()> {
    PrefetchVote {
        paper: summary.paper_id.0,
        summary: summary.id.0,
        voter: voter.0,
        rank: summary.rank,
        hot: summary.hot,
        score: summary.score,
        created_at: summary.created_at,
    }
    .get_result::<i32>(conn)?;
    Ok(())
}

/// The statement of [`prefetch_vote`]: each `EXISTS` seeks one entry, through the index it
/// names (SQLite's `INDEXED BY`, which fails rather than read another way). A query type of its
/// own, not `sql_query`, so that diesel prepares it once per connection.
#[derive(Debug, Clone, Copy, diesel::query_builder::QueryId)]
struct PrefetchVote {
    paper: i64,
    summary: i64,
    voter: i64,
    rank: f64,
    hot: f64,
    score: i32,
    created_at: NaiveDateTime,
}

impl diesel::query_builder::Query for PrefetchVote {
    type SqlType = diesel::sql_types::Integer;
}

impl RunQueryDsl<DbConn> for PrefetchVote {}

impl diesel::query_builder::QueryFragment<Backend> for PrefetchVote {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, Backend>,
    ) -> QueryResult<()> {
        use diesel::sql_types::{BigInt, Double, Integer, Timestamp};
        let public = super::PUBLICLY_VISIBLE_SQL;
        out.push_sql("SELECT EXISTS (SELECT 1 FROM votes WHERE user_id = ");
        out.push_bind_param::<BigInt, _>(&self.voter)?;
        out.push_sql(" AND summary_id = ");
        out.push_bind_param::<BigInt, _>(&self.summary)?;
        out.push_sql(
            ") + EXISTS (SELECT 1 FROM votes INDEXED BY votes_summary_idx WHERE summary_id = ",
        );
        out.push_bind_param::<BigInt, _>(&self.summary)?;
        out.push_sql(
            ") + EXISTS (SELECT 1 FROM summaries INDEXED BY summaries_paper_rank_idx WHERE paper_id = ",
        );
        out.push_bind_param::<BigInt, _>(&self.paper)?;
        out.push_sql(" AND rank = ");
        out.push_bind_param::<Double, _>(&self.rank)?;
        out.push_sql(" AND id = ");
        out.push_bind_param::<BigInt, _>(&self.summary)?;
        out.push_sql(
            ") + EXISTS (SELECT 1 FROM summaries INDEXED BY summaries_public_hot_idx WHERE hot = ",
        );
        out.push_bind_param::<Double, _>(&self.hot)?;
        out.push_sql(" AND id = ");
        out.push_bind_param::<BigInt, _>(&self.summary)?;
        out.push_sql(" AND ");
        out.push_sql(public);
        out.push_sql(
            ") + EXISTS (SELECT 1 FROM summaries INDEXED BY summaries_public_new_idx WHERE created_at = ",
        );
        out.push_bind_param::<Timestamp, _>(&self.created_at)?;
        out.push_sql(" AND id = ");
        out.push_bind_param::<BigInt, _>(&self.summary)?;
        out.push_sql(" AND ");
        out.push_sql(public);
        out.push_sql(") + EXISTS (SELECT 1 FROM summaries INDEXED BY summaries_public_top_idx WHERE score = ");
        out.push_bind_param::<Integer, _>(&self.score)?;
        out.push_sql(" AND id = ");
        out.push_bind_param::<BigInt, _>(&self.summary)?;
        out.push_sql(" AND ");
        out.push_sql(public);
        out.push_sql(
            ") + EXISTS (SELECT 1 FROM summaries INDEXED BY summaries_public_paper_idx WHERE paper_id = ",
        );
        out.push_bind_param::<BigInt, _>(&self.paper)?;
        out.push_sql(" AND score = ");
        out.push_bind_param::<Integer, _>(&self.score)?;
        out.push_sql(" AND created_at = ");
        out.push_bind_param::<Timestamp, _>(&self.created_at)?;
        out.push_sql(" AND ");
        out.push_sql(public);
        out.push_sql(") + EXISTS (SELECT 1 FROM papers INDEXED BY papers_top_score_idx WHERE top_score = (SELECT top_score FROM papers WHERE id = ");
        out.push_bind_param::<BigInt, _>(&self.paper)?;
        out.push_sql(") AND id = ");
        out.push_bind_param::<BigInt, _>(&self.paper)?;
        out.push_sql(")");
        Ok(())
    }
}

/// The user's vote on a summary (±1), if any.
pub fn vote_of(
    conn: &mut DbConn,
    user_id: UserId,
    summary_id: SummaryId,
) -> QueryResult<Option<i32>> {
    use crate::db::schema::votes;
    votes::table
        .find((user_id, summary_id))
        .select(votes::value)
        .first(conn)
        .optional()
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
/// transaction: on PostgreSQL the first statement locks the summary's row (SQLite's
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
    // PostgreSQL: lock the row. SQLite needs no row lock (its write transaction holds the whole
    // database), and the no-op update would cost the single writer a statement.
    if let DbConn::Pg(_) = conn {
        diesel::update(summaries::table.find(summary_id))
            .set(summaries::ups.eq(summaries::ups))
            .execute(conn)?;
    }
    let (ups, downs): (i32, i32) = summaries::table
        .find(summary_id)
        .select((summaries::ups, summaries::downs))
        .first(conn)?;
    let previous = vote_of(conn, user_id, summary_id)?;
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
    SetVotes {
        id: summary_id.0,
        ups,
        downs,
        hot,
        rank,
    }
    .execute(conn)?;
    Ok(())
}

/// The `UPDATE` of [`set_votes`] as a query type of its own. Diesel prepares each of its own
/// `UPDATE` statements anew every time it runs (it never caches them), and this one runs in
/// every vote's write transaction, where SQLite's single writer would parse it and plan the
/// upkeep of the five indexes it moves while every other voter waits. This one is prepared once
/// per connection.
#[derive(Debug, Clone, Copy, diesel::query_builder::QueryId)]
struct SetVotes {
    id: i64,
    ups: i32,
    downs: i32,
    hot: f64,
    rank: f64,
}

impl diesel::query_builder::QueryFragment<Backend> for SetVotes {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, Backend>,
    ) -> QueryResult<()> {
        use diesel::sql_types::{BigInt, Double, Integer};
        out.push_sql("UPDATE summaries SET ups = ");
        out.push_bind_param::<Integer, _>(&self.ups)?;
        out.push_sql(", downs = ");
        out.push_bind_param::<Integer, _>(&self.downs)?;
        out.push_sql(", score = ");
        out.push_bind_param::<Integer, _>(&self.ups)?;
        out.push_sql(" - ");
        out.push_bind_param::<Integer, _>(&self.downs)?;
        out.push_sql(", hot = ");
        out.push_bind_param::<Double, _>(&self.hot)?;
        out.push_sql(", rank = ");
        out.push_bind_param::<Double, _>(&self.rank)?;
        out.push_sql(" WHERE id = ");
        out.push_bind_param::<BigInt, _>(&self.id)?;
        Ok(())
    }
}

impl RunQueryDsl<DbConn> for SetVotes {}

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
