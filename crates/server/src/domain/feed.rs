//! The site feed, and stable pagination while people read it.
//!
//! `hot` and `top` are ordered by values that every vote changes. Plain keyset pagination would
//! then repeat a summary that fell below the cursor between two pages, and skip one that rose
//! above it. So the first page of such a feed takes a *snapshot*: the ids and sort keys of the
//! first [`SNAPSHOT_ITEMS`] summaries in order, stored in the database with its sort, period and
//! expiry. Later pages walk that snapshot by offset, on whichever server process they reach, so
//! a reader sees each summary exactly once, in the order of the moment they started (scores
//! shown are current). Past the snapshot's end, or once it has expired, pages continue by keyset
//! from the last item's snapshot key: the best that can be done without it.
//!
//! A first page reuses the newest snapshot of the same feed younger than
//! [`FeedSettings::reuse`] (10 s by default): a new reader's first page shows an order at most
//! that old, and a site under heavy voting builds one snapshot per feed per window instead of
//! one per reader. `new` never changes order and pages by keyset alone.

use std::collections::HashMap;
use std::time::Duration;

use chrono::NaiveDateTime;
use shortscience_types::{FeedQuery, FeedSort, Page, Period, SummaryId, SummaryPage};

use crate::db::models;
use crate::db::models::shared::{self, SnapshotRow};
use crate::db::models::summaries::{self, AuthorName, FeedAfter, Summary};
use crate::db::{Db, DbConn};
use crate::domain::cursor::{self, Cursor};
use crate::domain::error::is_storage_failure;
use crate::domain::summaries::{details, Text};
use crate::domain::{DomainResult, Viewer};

/// How many positions a snapshot holds (50 pages of 20).
pub const SNAPSHOT_ITEMS: i64 = 1000;

/// How snapshots are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedSettings {
    /// How long a snapshot serves new readers' first pages.
    pub reuse: Duration,
    /// How long a reader can keep paging through one snapshot.
    pub ttl: Duration,
}

impl Default for FeedSettings {
    fn default() -> Self {
        Self {
            reuse: Duration::from_secs(10),
            ttl: Duration::from_secs(30 * 60),
        }
    }
}

/// The earliest creation time in the period's window, counted back from `now`.
pub fn since(period: Period, now: NaiveDateTime) -> Option<NaiveDateTime> {
    now.checked_sub_signed(chrono::Duration::days(period.days()?))
}

/// One frozen order of a feed.
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    id: i64,
    since: Option<NaiveDateTime>,
    items: Vec<FeedAfter>,
}

impl Snapshot {
    /// Whether the feed may go on past the snapshot's last position.
    fn is_full(&self) -> bool {
        self.items.len() as i64 >= SNAPSHOT_ITEMS
    }
}

/// `key/id` pairs, comma-separated; hot values in Rust's shortest exact form.
fn encode_items(items: &[FeedAfter]) -> String {
    items
        .iter()
        .map(|item| match item {
            FeedAfter::Hot(hot, id) => format!("{hot:?}/{id}"),
            FeedAfter::New(at, id) => format!("{}/{id}", cursor::micros(*at)),
            FeedAfter::Top(score, id) => format!("{score}/{id}"),
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn decode_items(sort: FeedSort, text: &str) -> Option<Vec<FeedAfter>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    text.split(',')
        .map(|pair| {
            let (key, id) = pair.split_once('/')?;
            let id = SummaryId(id.parse().ok()?);
            Some(match sort {
                FeedSort::Hot => {
                    FeedAfter::Hot(key.parse().ok().filter(|h: &f64| h.is_finite())?, id)
                }
                FeedSort::New => FeedAfter::New(cursor::from_micros(key)?, id),
                FeedSort::Top => FeedAfter::Top(key.parse().ok()?, id),
            })
        })
        .collect()
}

fn from_row(sort: FeedSort, period: Period, row: SnapshotRow) -> Option<Snapshot> {
    (row.sort == sort.as_str() && row.period == period.as_str())
        .then(|| decode_items(sort, &row.items))
        .flatten()
        .map(|items| Snapshot {
            id: row.id,
            since: row.since,
            items,
        })
}

fn to_chrono(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::zero())
}

/// The snapshot a first page starts from: a recent one of this feed, or a new one.
fn first_snapshot(
    conn: &mut DbConn,
    settings: FeedSettings,
    sort: FeedSort,
    period: Period,
) -> DomainResult<Snapshot> {
    let now = models::now();
    let fresh_after = now - to_chrono(settings.reuse);
    if !settings.reuse.is_zero() {
        if let Some(row) =
            shared::newest_snapshot(conn, sort.as_str(), period.as_str(), fresh_after)?
        {
            if let Some(snapshot) = from_row(sort, period, row) {
                return Ok(snapshot);
            }
        }
    }
    let since = self::since(period, now);
    let items = summaries::feed_keys(conn, sort, since, SNAPSHOT_ITEMS)?;
    let stored = shared::insert_snapshot(
        conn,
        sort.as_str(),
        period.as_str(),
        since,
        &encode_items(&items),
        now,
        now + to_chrono(settings.ttl),
    );
    let id = match stored {
        Ok(id) => id,
        // Storage that cannot write (full, read-only): this reader still gets the page; later
        // pages continue by keyset (snapshot 0).
        Err(err) if is_storage_failure(&err) => 0,
        Err(err) => return Err(err.into()),
    };
    Ok(Snapshot { id, since, items })
}

// ---- the feed ------------------------------------------------------------------------------

/// What a feed cursor holds: the feed, its time window, the snapshot being walked (0: none) and
/// the position in it, and the last item's sort key for keyset continuation.
#[derive(Debug, Clone, Copy, PartialEq)]
struct FeedCursor {
    sort: FeedSort,
    period: Period,
    since: Option<NaiveDateTime>,
    snapshot: i64,
    offset: i64,
    after: FeedAfter,
}

impl FeedCursor {
    fn encode(&self) -> String {
        let since = self
            .since
            .map(cursor::micros)
            .unwrap_or_else(|| "-".to_owned());
        let key = match self.after {
            FeedAfter::Hot(hot, _) => format!("{hot:?}"),
            FeedAfter::New(at, _) => cursor::micros(at),
            FeedAfter::Top(score, _) => score.to_string(),
        };
        Cursor::new(
            format!(
                "{}:{}:{since}:{}:{}:{key}",
                self.sort.as_str(),
                self.period.as_str(),
                self.snapshot,
                self.offset
            ),
            self.after.id().0,
        )
        .encode()
    }

    fn decode(cursor: &Cursor, sort: FeedSort, period: Period) -> DomainResult<Self> {
        let parts: Vec<&str> = cursor.key.split(':').collect();
        let [name, period_name, since, snapshot, offset, key] = parts.as_slice() else {
            return Err(Cursor::foreign());
        };
        if *name != sort.as_str() || *period_name != period.as_str() {
            return Err(Cursor::foreign());
        }
        let since = match *since {
            "-" => None,
            raw => Some(cursor::from_micros(raw).ok_or_else(Cursor::foreign)?),
        };
        let id = SummaryId(cursor.id);
        let after = match sort {
            FeedSort::Hot => FeedAfter::Hot(
                key.parse::<f64>()
                    .ok()
                    .filter(|h| h.is_finite())
                    .ok_or_else(Cursor::foreign)?,
                id,
            ),
            FeedSort::New => {
                FeedAfter::New(cursor::from_micros(key).ok_or_else(Cursor::foreign)?, id)
            }
            FeedSort::Top => FeedAfter::Top(key.parse().map_err(|_| Cursor::foreign())?, id),
        };
        Ok(Self {
            sort,
            period,
            since,
            snapshot: snapshot.parse().map_err(|_| Cursor::foreign())?,
            offset: offset
                .parse::<i64>()
                .ok()
                .filter(|o| *o >= 0)
                .ok_or_else(Cursor::foreign)?,
            after,
        })
    }
}

/// One page of the site feed: public summaries, `hot`, `new` or `top`, optionally only those
/// written in the period. A reader paging through `hot` or `top` sees each summary once even
/// while votes reorder the feed.
#[tracing::instrument(level = "debug", skip_all, fields(sort = query.sort.as_str(), period = query.period.as_str()))]
pub async fn page(
    db: &Db,
    settings: FeedSettings,
    viewer: Viewer,
    query: FeedQuery,
    page: Page,
) -> DomainResult<SummaryPage> {
    let (sort, period, limit) = (query.sort, query.period, page.size());
    let cursor = Cursor::decode_opt(page.cursor.as_deref())?
        .map(|c| FeedCursor::decode(&c, sort, period))
        .transpose()?;
    db.run(move |conn| feed_page(conn, settings, sort, period, cursor, limit, &viewer))
        .await
}

fn feed_page(
    conn: &mut DbConn,
    settings: FeedSettings,
    sort: FeedSort,
    period: Period,
    cursor: Option<FeedCursor>,
    limit: i64,
    viewer: &Viewer,
) -> DomainResult<SummaryPage> {
    let since = match cursor {
        Some(c) => c.since,
        None => self::since(period, models::now()),
    };
    // Keyset pagination: always for `new` (its order never changes), and for the others when
    // no snapshot covers the position.
    let keyset = |conn: &mut DbConn, after: Option<FeedAfter>| -> DomainResult<SummaryPage> {
        let mut rows = summaries::feed(conn, sort, since, after, limit + 1)?;
        let has_more = rows.len() as i64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        let next_cursor = has_more.then(|| rows.last()).flatten().map(|(s, _)| {
            FeedCursor {
                sort,
                period,
                since,
                snapshot: 0,
                offset: 0,
                after: summaries::feed_key(sort, s),
            }
            .encode()
        });
        Ok(SummaryPage {
            items: details(conn, rows, viewer, Text::Excerpt)?,
            next_cursor,
        })
    };
    if sort == FeedSort::New {
        return keyset(conn, cursor.map(|c| c.after));
    }
    let snapshot = match cursor {
        Some(c) if c.snapshot == 0 => return keyset(conn, Some(c.after)),
        // A snapshot of this very feed (the cursor names its sort and period), still kept.
        Some(c) => match shared::snapshot(conn, c.snapshot, models::now())?
            .and_then(|row| from_row(sort, period, row))
        {
            Some(s) => s,
            None => return keyset(conn, Some(c.after)),
        },
        None => first_snapshot(conn, settings, sort, period)?,
    };
    let since = snapshot.since;
    let offset = cursor.map(|c| c.offset).unwrap_or(0);
    let start = usize::try_from(offset).unwrap_or(usize::MAX);
    if start >= snapshot.items.len() {
        return match (snapshot.is_full(), cursor) {
            (true, Some(c)) => keyset(conn, Some(c.after)),
            _ => Ok(SummaryPage {
                items: vec![],
                next_cursor: None,
            }),
        };
    }
    let end = (start + usize::try_from(limit).unwrap_or(0)).min(snapshot.items.len());
    let window = &snapshot.items[start..end];
    let ids: Vec<SummaryId> = window.iter().map(FeedAfter::id).collect();
    let mut by_id: HashMap<SummaryId, (Summary, AuthorName)> = summaries::find_many(conn, &ids)?
        .into_iter()
        .map(|row| (row.0.id, row))
        .collect();
    // In snapshot order; whatever was deleted or hidden since is left out.
    let rows: Vec<(Summary, AuthorName)> = ids
        .iter()
        .filter_map(|id| by_id.remove(id))
        .filter(|(s, _)| s.publicly_visible())
        .collect();
    let has_more = end < snapshot.items.len() || snapshot.is_full();
    let next_cursor = match (has_more, window.last()) {
        (true, Some(last)) => Some(
            FeedCursor {
                sort,
                period,
                since,
                snapshot: snapshot.id,
                offset: i64::try_from(end).unwrap_or(i64::MAX),
                after: *last,
            }
            .encode(),
        ),
        _ => None,
    };
    Ok(SummaryPage {
        items: details(conn, rows, viewer, Text::Excerpt)?,
        next_cursor,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_cursors_round_trip_exactly() {
        let since =
            chrono::DateTime::from_timestamp_micros(1_700_000_000_123_456).map(|t| t.naive_utc());
        let cursor = FeedCursor {
            sort: FeedSort::Hot,
            period: Period::Week,
            since,
            snapshot: 7,
            offset: 40,
            after: FeedAfter::Hot(37_777.123_456_789_01, SummaryId(99)),
        };
        let raw = Cursor::decode(&cursor.encode()).ok();
        let back = raw.and_then(|c| FeedCursor::decode(&c, FeedSort::Hot, Period::Week).ok());
        assert_eq!(back, Some(cursor));
        let raw = Cursor::decode(&cursor.encode()).ok();
        assert!(raw
            .map(|c| FeedCursor::decode(&c, FeedSort::Top, Period::Week).is_err())
            .unwrap_or(false));
    }

    #[test]
    fn snapshot_items_round_trip_exactly() {
        let at = cursor::from_micros("1700000000123456").unwrap_or_default();
        for (sort, items) in [
            (
                FeedSort::Hot,
                vec![
                    FeedAfter::Hot(37_777.123_456_789_01, SummaryId(9)),
                    FeedAfter::Hot(-1.5, SummaryId(3)),
                ],
            ),
            (FeedSort::New, vec![FeedAfter::New(at, SummaryId(4))]),
            (
                FeedSort::Top,
                vec![
                    FeedAfter::Top(-2, SummaryId(1)),
                    FeedAfter::Top(40, SummaryId(2)),
                ],
            ),
            (FeedSort::Top, vec![]),
        ] {
            assert_eq!(decode_items(sort, &encode_items(&items)), Some(items));
        }
        assert_eq!(decode_items(FeedSort::Hot, "x/1"), None);
    }

    #[test]
    fn periods_count_back() {
        let now = chrono::DateTime::from_timestamp(1_000_000_000, 0)
            .map(|t| t.naive_utc())
            .unwrap_or_default();
        assert_eq!(since(Period::All, now), None);
        assert_eq!(
            since(Period::Day, now).map(|t| (now - t).num_hours()),
            Some(24)
        );
    }
}
