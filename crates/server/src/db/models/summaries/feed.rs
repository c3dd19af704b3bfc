//! Feeds: publicly visible summaries in hot, new or top order, paged by sort key.

use chrono::NaiveDateTime;
use diesel::dsl;
use diesel::prelude::*;
use diesel::query_dsl::methods;
use shortscience_types::{FeedSort, SummaryId};

use super::{publicly_visible, AuthorName, Summary};
use crate::db::schema::{summaries, users};
use crate::db::DbConn;

/// Where a feed page starts: after this sort key and id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FeedAfter {
    Hot(f64, SummaryId),
    New(NaiveDateTime, SummaryId),
    Top(i32, SummaryId),
}

/// One feed row's sort key, for cursors and snapshots.
pub fn feed_key(sort: FeedSort, summary: &Summary) -> FeedAfter {
    key(
        sort,
        summary.id,
        summary.hot,
        summary.created_at,
        summary.score,
    )
}

/// The sort key of `sort` among a row's columns.
fn key(
    sort: FeedSort,
    id: SummaryId,
    hot: f64,
    created_at: NaiveDateTime,
    score: i32,
) -> FeedAfter {
    match sort {
        FeedSort::Hot => FeedAfter::Hot(hot, id),
        FeedSort::New => FeedAfter::New(created_at, id),
        FeedSort::Top => FeedAfter::Top(score, id),
    }
}

/// A feed's query limited to rows created at or after `since`, in the feed's order (newest id
/// first among equal keys). Both the feed and its snapshot keys go through here, so that they
/// page alike.
fn in_feed_order<Q>(query: Q, sort: FeedSort, since: Option<NaiveDateTime>) -> Q
where
    Q: methods::FilterDsl<dsl::GtEq<summaries::created_at, NaiveDateTime>, Output = Q>
        + methods::OrderDsl<(dsl::Desc<summaries::hot>, dsl::Desc<summaries::id>), Output = Q>
        + methods::OrderDsl<(dsl::Desc<summaries::created_at>, dsl::Desc<summaries::id>), Output = Q>
        + methods::OrderDsl<(dsl::Desc<summaries::score>, dsl::Desc<summaries::id>), Output = Q>,
{
    use methods::{FilterDsl, OrderDsl};
    let query = match since {
        Some(since) => FilterDsl::filter(query, summaries::created_at.ge(since)),
        None => query,
    };
    match sort {
        FeedSort::Hot => OrderDsl::order(query, (summaries::hot.desc(), summaries::id.desc())),
        FeedSort::New => {
            OrderDsl::order(query, (summaries::created_at.desc(), summaries::id.desc()))
        }
        FeedSort::Top => OrderDsl::order(query, (summaries::score.desc(), summaries::id.desc())),
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
    let query = summaries::table
        .inner_join(users::table)
        .filter(publicly_visible())
        .select((Summary::as_select(), AuthorName::as_select()))
        .limit(limit)
        .into_boxed();
    let query = in_feed_order(query, sort, since);
    let query = match after {
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
    let query = summaries::table
        .filter(publicly_visible())
        .select((
            summaries::id,
            summaries::hot,
            summaries::score,
            summaries::created_at,
        ))
        .limit(limit)
        .into_boxed();
    Ok(in_feed_order(query, sort, since)
        .load::<(SummaryId, f64, i32, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(id, hot, score, created_at)| key(sort, id, hot, created_at, score))
        .collect())
}

impl FeedAfter {
    pub fn id(&self) -> SummaryId {
        match self {
            Self::Hot(_, id) | Self::New(_, id) | Self::Top(_, id) => *id,
        }
    }
}
