//! Stable pagination for feeds whose order changes while people read them.
//!
//! `hot` and `top` are ordered by values that every vote changes. Plain keyset pagination would
//! then repeat a summary that fell below the cursor between two pages, and skip one that rose
//! above it. So the first page of such a feed takes a *snapshot*: the ids and sort keys of the
//! first [`SNAPSHOT_ITEMS`] summaries in order, kept in memory for [`SNAPSHOT_TTL`]. Later pages
//! walk that snapshot by offset, so a reader sees each summary exactly once, in the order of the
//! moment they started (scores shown are current). Past the snapshot's end, or when it has
//! expired (or was taken by another server process), pages continue by keyset from the last
//! item's snapshot key: the best that can be done without the snapshot.
//!
//! Snapshots are shared: a first page reuses the newest snapshot of the same feed unless a vote
//! or a new, edited-visibility or deleted summary has changed the order since (`invalidate`),
//! or it is older than [`SNAPSHOT_REUSE`].

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use std::collections::HashMap;

use shortscience_types::{FeedQuery, FeedSort, Page, Period, SummaryId, SummaryPage};

use crate::db::models;
use crate::db::models::summaries::{self, AuthorName, FeedAfter, Summary};
use crate::db::{Db, DbConn};
use crate::domain::cursor::{self, Cursor};
use crate::domain::summaries::details;
use crate::domain::{DomainResult, Viewer};

/// How many positions a snapshot holds (50 pages of 20).
pub const SNAPSHOT_ITEMS: i64 = 1000;
/// How long a reader can keep paging through one snapshot.
pub const SNAPSHOT_TTL: Duration = Duration::from_secs(30 * 60);
/// How long an unchanged snapshot serves new readers.
pub const SNAPSHOT_REUSE: Duration = Duration::from_secs(30);
/// Snapshots kept at most (each holds up to 1000 keys: about 32 KB).
pub const MAX_SNAPSHOTS: usize = 128;

/// The earliest creation time in the period's window, counted back from `now`.
pub fn since(period: Period, now: NaiveDateTime) -> Option<NaiveDateTime> {
    now.checked_sub_signed(chrono::Duration::days(period.days()?))
}

/// One frozen order of a feed.
#[derive(Debug)]
pub struct Snapshot {
    pub id: u64,
    pub sort: FeedSort,
    pub period: Period,
    pub since: Option<NaiveDateTime>,
    pub items: Vec<FeedAfter>,
    generation: u64,
    created: Instant,
}

impl Snapshot {
    /// Whether the feed may go on past the snapshot's last position.
    pub fn is_full(&self) -> bool {
        self.items.len() as i64 >= SNAPSHOT_ITEMS
    }
}

#[derive(Default)]
struct State {
    generation: u64,
    next_id: u64,
    snapshots: VecDeque<Arc<Snapshot>>,
}

/// The snapshots of this process, shared by all workers.
#[derive(Default)]
pub struct FeedSnapshots {
    state: Mutex<State>,
}

impl FeedSnapshots {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the state inconsistent: use it anyway.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Something changed the order of feeds: new first pages take a new snapshot.
    pub fn invalidate(&self) {
        let mut state = self.lock();
        state.generation = state.generation.wrapping_add(1);
    }

    /// The current generation; pass it to [`store`](Self::store) for a snapshot built now.
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// The newest snapshot of this feed that is still current, for a first page.
    pub fn current(&self, sort: FeedSort, period: Period) -> Option<Arc<Snapshot>> {
        let state = self.lock();
        state
            .snapshots
            .iter()
            .rev()
            .find(|s| s.sort == sort && s.period == period)
            .filter(|s| s.generation == state.generation && s.created.elapsed() < SNAPSHOT_REUSE)
            .cloned()
    }

    /// A snapshot by id, unless it has expired or been evicted.
    pub fn get(&self, id: u64) -> Option<Arc<Snapshot>> {
        self.lock()
            .snapshots
            .iter()
            .find(|s| s.id == id)
            .filter(|s| s.created.elapsed() < SNAPSHOT_TTL)
            .cloned()
    }

    pub fn store(
        &self,
        sort: FeedSort,
        period: Period,
        since: Option<NaiveDateTime>,
        generation: u64,
        items: Vec<FeedAfter>,
    ) -> Arc<Snapshot> {
        let mut state = self.lock();
        state.next_id = state.next_id.wrapping_add(1).max(1);
        let snapshot = Arc::new(Snapshot {
            id: state.next_id,
            sort,
            period,
            since,
            items,
            generation,
            created: Instant::now(),
        });
        while state.snapshots.len() >= MAX_SNAPSHOTS
            || state
                .snapshots
                .front()
                .is_some_and(|s| s.created.elapsed() >= SNAPSHOT_TTL)
        {
            state.snapshots.pop_front();
        }
        state.snapshots.push_back(Arc::clone(&snapshot));
        snapshot
    }
}

// ---- the feed ------------------------------------------------------------------------------

/// What a feed cursor holds: the feed, its time window, the snapshot being walked (0: none) and
/// the position in it, and the last item's sort key for keyset continuation.
#[derive(Debug, Clone, Copy, PartialEq)]
struct FeedCursor {
    sort: FeedSort,
    period: Period,
    since: Option<NaiveDateTime>,
    snapshot: u64,
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
    snapshots: &Arc<FeedSnapshots>,
    viewer: Viewer,
    query: FeedQuery,
    page: Page,
) -> DomainResult<SummaryPage> {
    let (sort, period, limit) = (query.sort, query.period, page.size());
    let cursor = Cursor::decode_opt(page.cursor.as_deref())?
        .map(|c| FeedCursor::decode(&c, sort, period))
        .transpose()?;
    let snapshots = Arc::clone(snapshots);
    db.run(move |conn| feed_page(conn, &snapshots, sort, period, cursor, limit, &viewer))
        .await
}

fn feed_page(
    conn: &mut DbConn,
    snapshots: &FeedSnapshots,
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
            items: details(conn, rows, viewer)?,
            next_cursor,
        })
    };
    if sort == FeedSort::New {
        return keyset(conn, cursor.map(|c| c.after));
    }
    let snapshot = match cursor {
        Some(c) if c.snapshot == 0 => return keyset(conn, Some(c.after)),
        Some(c) => match snapshots.get(c.snapshot) {
            Some(s) => s,
            None => return keyset(conn, Some(c.after)),
        },
        None => match snapshots.current(sort, period) {
            Some(s) => s,
            None => {
                let generation = snapshots.generation();
                let items = summaries::feed_keys(conn, sort, since, SNAPSHOT_ITEMS)?;
                snapshots.store(sort, period, since, generation, items)
            }
        },
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
        items: details(conn, rows, viewer)?,
        next_cursor,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_are_reused_until_invalidated() {
        let snapshots = FeedSnapshots::default();
        let generation = snapshots.generation();
        let first = snapshots.store(FeedSort::Hot, Period::All, None, generation, vec![]);
        let again = snapshots.current(FeedSort::Hot, Period::All).map(|s| s.id);
        assert_eq!(again, Some(first.id));
        assert!(snapshots.current(FeedSort::Top, Period::All).is_none());
        snapshots.invalidate();
        assert!(snapshots.current(FeedSort::Hot, Period::All).is_none());
        // Readers already paging keep theirs.
        assert_eq!(snapshots.get(first.id).map(|s| s.id), Some(first.id));
    }

    #[test]
    fn old_snapshots_are_evicted_beyond_the_cap() {
        let snapshots = FeedSnapshots::default();
        let first = snapshots.store(FeedSort::Hot, Period::All, None, 0, vec![]);
        for _ in 0..MAX_SNAPSHOTS {
            snapshots.store(FeedSort::Hot, Period::All, None, 0, vec![]);
        }
        assert!(snapshots.get(first.id).is_none());
    }

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
