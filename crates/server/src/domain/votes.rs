//! Votes on summaries and the rank values they move.

use shortscience_types::{ErrorCode, SummaryId, UserId, VoteResult};

use crate::db::models::{self, papers, summaries};
use crate::db::{write_transaction, Db, DbConn};
use crate::domain::auth::AuthUser;
use crate::domain::limits::RateLimits;
use crate::domain::summaries::load_readable;
use crate::domain::{notifications, ranking, DomainError, DomainResult, Viewer};

/// Votes a summary up (1) or down (-1), or withdraws the vote (0). One vote per user per
/// summary: repeating a vote changes nothing. Authors cannot vote on their own summaries, and
/// only public, visible summaries take votes. The summary's hot and Wilson ranks are recomputed
/// in the same transaction.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %voter.id, summary.id = %id, value))]
pub async fn vote(
    db: &Db,
    limits: &RateLimits,
    voter: &AuthUser,
    id: SummaryId,
    value: i32,
) -> DomainResult<VoteResult> {
    if !(-1..=1).contains(&value) {
        return Err(DomainError::invalid_field("value", "must be 1, 0 or -1"));
    }
    let limits = limits.clone();
    let (voter_id, viewer) = (voter.id, voter.viewer());
    db.run(move |conn| {
        if let DbConn::Sqlite(_) = conn {
            prefetch(conn, voter_id, id)?;
        }
        cast(conn, &limits, voter_id, viewer, id, value)
    })
    .await
}

/// Reads the pages a vote on this summary goes on to read and write (the summary's row and its
/// author, the voter's earlier vote, the entries of the indexes the new totals move, the paper's
/// best score) before the vote queues for SQLite's single writer. A page the kernel has dropped
/// from its cache is then read here, while other requests run, instead of inside the writer's
/// turn where every voter behind it waits (issue 11: in the benchmark's full run, where the votes
/// come after minutes of reads, the server read 15 MB from storage during 10 s of votes, and
/// 0.5 MB when the votes came first). What the reads find is not used: the transaction reads it
/// again under the write lock, and answers a summary that is gone or not votable.
fn prefetch(conn: &mut DbConn, voter: UserId, id: SummaryId) -> DomainResult<()> {
    if let Some((summary, _)) = summaries::find(conn, id)? {
        summaries::prefetch_vote(conn, &summary, voter)?;
    }
    Ok(())
}

/// The vote's transaction, on a connection: what the API runs, and what the benchmark's raw
/// single-writer loop runs without HTTP.
pub fn cast(
    conn: &mut DbConn,
    limits: &RateLimits,
    voter_id: UserId,
    viewer: Viewer,
    id: SummaryId,
    value: i32,
) -> DomainResult<VoteResult> {
    write_transaction(conn, |conn| -> DomainResult<VoteResult> {
        limits.vote(conn, voter_id)?;
        let (summary, _) = load_readable(conn, id, &viewer, None)?;
        if viewer.is(summary.author_id) {
            return Err(DomainError::forbidden(
                ErrorCode::OwnSummary,
                "you cannot vote on your own summary",
            ));
        }
        if !summary.publicly_visible() {
            return Err(DomainError::forbidden(
                ErrorCode::NotVotable,
                "only public, visible summaries can be voted on",
            ));
        }
        let recorded = summaries::record_vote(conn, voter_id, id, value, models::now())?;
        let (ups, downs) = (recorded.ups, recorded.downs);
        let hot = ranking::hot(ups - downs, summary.created_at);
        let rank = ranking::wilson_lower_bound(ups, downs);
        if recorded.changed(value) {
            summaries::set_votes(conn, id, ups, downs, hot, rank)?;
            // From the totals the locked row had, not the summary read before the lock.
            let before = ups - downs - (value - recorded.previous);
            notifications::score_changed(conn, &summary, before, ups - downs, models::now())?;
            // A vote moves only the paper's top score, never its count or newest date.
            papers::refresh_top_score(conn, summary.paper_id)?;
        }
        Ok(VoteResult {
            summary_id: id,
            value,
            ups,
            downs,
            score: ups - downs,
            rank,
            hot,
        })
    })
}
