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

use crate::db::models::summaries::{FeedAfter, FeedSort};

/// How many positions a snapshot holds (50 pages of 20).
pub const SNAPSHOT_ITEMS: i64 = 1000;
/// How long a reader can keep paging through one snapshot.
pub const SNAPSHOT_TTL: Duration = Duration::from_secs(30 * 60);
/// How long an unchanged snapshot serves new readers.
pub const SNAPSHOT_REUSE: Duration = Duration::from_secs(30);
/// Snapshots kept at most (each holds up to 1000 keys: about 32 KB).
pub const MAX_SNAPSHOTS: usize = 128;

/// The time window of a feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Day,
    Week,
    Month,
    Year,
    All,
}

impl Period {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "day" => Self::Day,
            "week" => Self::Week,
            "month" => Self::Month,
            "year" => Self::Year,
            "all" => Self::All,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
            Self::Year => "year",
            Self::All => "all",
        }
    }

    /// The earliest creation time in the window, counted back from `now`.
    pub fn since(self, now: NaiveDateTime) -> Option<NaiveDateTime> {
        let days = match self {
            Self::Day => 1,
            Self::Week => 7,
            Self::Month => 30,
            Self::Year => 365,
            Self::All => return None,
        };
        now.checked_sub_signed(chrono::Duration::days(days))
    }
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
    fn periods_parse_and_count_back() {
        let now = chrono::DateTime::from_timestamp(1_000_000_000, 0)
            .map(|t| t.naive_utc())
            .unwrap_or_default();
        assert_eq!(Period::parse("week"), Some(Period::Week));
        assert_eq!(Period::parse("decade"), None);
        assert_eq!(Period::All.since(now), None);
        assert_eq!(
            Period::Day.since(now).map(|t| (now - t).num_hours()),
            Some(24)
        );
    }
}
