//! One process's entries, and the answers being built for them.
//!
//! When an entry is missing or has expired, the first request for it builds it (calls the
//! handler) and every request for the same key arriving meanwhile waits for that one answer
//! instead of building its own: readers arriving together at an expired hot feed each built a
//! feed snapshot, and at 64 connections the hot feed's p99 went from 7 ms with no expiry in the
//! run to 36–50 ms with one every 2 s (`wrk -t2 -c64 -d10s` on the benchmark's data set).
//! An entry in the last quarter of its life is rebuilt ahead of time by the first request to see
//! it, while the others are still served the entry: on a busy key nobody waits at all, and no
//! answer is ever older than the ttl. A build started before this process accepted a write is
//! handed to the requests that waited for it (they came before the write) but not kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use super::entry::Entry;

/// All entries of a process together: a bound on the memory the cache may take.
pub(super) const MAX_TOTAL_BYTES: usize = 24 * 1024 * 1024;

/// One process's cache.
#[derive(Debug)]
pub struct ReadCache {
    ttl: Duration,
    inner: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    map: HashMap<String, Arc<Entry>>,
    bytes: usize,
    /// The builds under way, by key.
    building: HashMap<String, Build>,
    /// How many times the process forgot everything: a build started before is not kept.
    generation: u64,
    /// The id of the last build begun.
    next_build: u64,
}

#[derive(Debug)]
struct Build {
    id: u64,
    /// Sends the built entry to the waiting requests; dropped unsent, it tells them to go on
    /// without it.
    done: watch::Sender<Option<Arc<Entry>>>,
}

/// What a request finds.
#[derive(Debug)]
pub(super) enum Lookup {
    /// An entry to answer from.
    Hit(Arc<Entry>),
    /// Another request is building the entry: wait for it ([`wait`]).
    Wait(watch::Receiver<Option<Arc<Entry>>>),
    /// Build it: call the handler, then [`Ticket::finish`] (or drop the ticket to give up).
    Build(Ticket),
}

/// The right and duty to build one entry.
#[derive(Debug)]
pub(super) struct Ticket {
    cache: Arc<ReadCache>,
    key: String,
    id: u64,
    generation: u64,
    /// When the build began: its answer is at least this new, so its entry's age counts from
    /// here, and no reader is sent what the database held more than the ttl ago.
    began: Instant,
}

impl Ticket {
    /// Keeps `entry`, unless this process accepted a write since the build began, hands it to
    /// the requests that waited for it, and returns it to answer the builder's own request.
    pub(super) fn finish(self, mut entry: Entry) -> Arc<Entry> {
        entry.stored = self.began;
        let entry = Arc::new(entry);
        let done = match self.cache.inner.lock() {
            Ok(mut entries) => {
                let build = entries.take_build(&self.key, self.id);
                if entries.generation == self.generation {
                    entries.put(self.key.clone(), Arc::clone(&entry), self.cache.ttl);
                }
                build.map(|b| b.done)
            }
            Err(_) => None,
        };
        if let Some(done) = done {
            // Nobody may be waiting; then there is no one to tell.
            let _ = done.send(Some(Arc::clone(&entry)));
        }
        entry
    }
}

impl Drop for Ticket {
    /// A build given up (an answer not to keep, an error, a client gone) releases its waiters,
    /// who then call the handler themselves.
    fn drop(&mut self) {
        if let Ok(mut entries) = self.cache.inner.lock() {
            entries.take_build(&self.key, self.id);
        }
    }
}

/// How long a request waits for another's build before calling the handler itself.
const BUILD_WAIT: Duration = Duration::from_secs(2);

/// Waits for the build `receiver` belongs to: its entry, or `None` when the build was given up
/// or took longer than [`BUILD_WAIT`].
pub(super) async fn wait(mut receiver: watch::Receiver<Option<Arc<Entry>>>) -> Option<Arc<Entry>> {
    match tokio::time::timeout(BUILD_WAIT, receiver.changed()).await {
        Ok(Ok(())) => receiver.borrow().clone(),
        _ => None,
    }
}

impl Entries {
    /// Removes and returns the build of `key` if it is still build `id`.
    fn take_build(&mut self, key: &str, id: u64) -> Option<Build> {
        if self.building.get(key).is_some_and(|b| b.id == id) {
            self.building.remove(key)
        } else {
            None
        }
    }

    /// Keeps `entry` within [`MAX_TOTAL_BYTES`]: when it does not fit, the expired entries go,
    /// and when it still does not, all of them.
    fn put(&mut self, key: String, entry: Arc<Entry>, ttl: Duration) {
        let size = entry.cost(&key);
        if self.bytes + size > MAX_TOTAL_BYTES {
            self.map.retain(|_, e| e.stored.elapsed() < ttl);
            self.bytes = self.map.iter().map(|(k, e)| e.cost(k)).sum();
            if self.bytes + size > MAX_TOTAL_BYTES {
                self.map.clear();
                self.bytes = 0;
            }
        }
        if let Some(old) = self.map.insert(key.clone(), entry) {
            self.bytes = self.bytes.saturating_sub(old.cost(&key));
        }
        self.bytes += size;
    }
}

impl ReadCache {
    /// A cache whose entries live `ttl`; zero turns it off.
    pub fn new(ttl: Duration) -> Arc<Self> {
        Arc::new(Self {
            ttl,
            inner: Mutex::new(Entries::default()),
        })
    }

    pub(super) fn enabled(&self) -> bool {
        !self.ttl.is_zero()
    }

    /// What a request for `key` should do: answer from an entry, wait for one, or build it.
    pub(super) fn lookup(self: &Arc<Self>, key: String) -> Lookup {
        let Ok(mut entries) = self.inner.lock() else {
            // A poisoned lock: build without keeping anything.
            return Lookup::Build(self.ticket(key, 0, u64::MAX));
        };
        let age = entries.map.get(&key).map(|e| e.stored.elapsed());
        let building = entries.building.get(&key);
        match (age, building) {
            (Some(age), None) if age < self.ttl - self.ttl / 4 => {}
            (Some(age), Some(_)) if age < self.ttl => {}
            (_, Some(build)) => return Lookup::Wait(build.done.subscribe()),
            (_, None) => {
                // Ids start at 1: 0 is the ticket of a build that keeps nothing.
                entries.next_build += 1;
                let id = entries.next_build;
                let (done, _) = watch::channel(None);
                entries.building.insert(key.clone(), Build { id, done });
                let generation = entries.generation;
                return Lookup::Build(self.ticket(key, id, generation));
            }
        }
        match entries.map.get(&key) {
            Some(entry) => Lookup::Hit(Arc::clone(entry)),
            None => Lookup::Build(self.ticket(key, 0, u64::MAX)),
        }
    }

    fn ticket(self: &Arc<Self>, key: String, id: u64, generation: u64) -> Ticket {
        Ticket {
            cache: Arc::clone(self),
            key,
            id,
            generation,
            began: Instant::now(),
        }
    }

    /// Forgets everything, builds under way included: this process accepted a write.
    pub(super) fn clear(&self) {
        if let Ok(mut entries) = self.inner.lock() {
            entries.map.clear();
            entries.bytes = 0;
            // Their waiters go on to the handler, which sees the write.
            entries.building.clear();
            entries.generation += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use actix_web::web::Bytes;

    use super::*;
    use crate::http::read_cache::MAX_ENTRY_BYTES;

    fn entry(n: usize) -> Entry {
        Entry::new(vec![], Bytes::from(vec![b'x'; n]))
    }

    /// Builds `key` to completion; panics when the cache says otherwise.
    fn fill(cache: &Arc<ReadCache>, key: &str, n: usize) {
        match cache.lookup(key.into()) {
            Lookup::Build(ticket) => {
                ticket.finish(entry(n));
            }
            other => panic!("{key}: expected to build, got {other:?}"),
        }
    }

    fn is_hit(lookup: &Lookup) -> bool {
        matches!(lookup, Lookup::Hit(_))
    }

    #[test]
    fn entries_expire_and_the_cache_keeps_within_its_memory_bound() {
        let cache = ReadCache::new(Duration::from_millis(40));
        fill(&cache, "a", 10);
        assert!(is_hit(&cache.lookup("a".into())));
        std::thread::sleep(Duration::from_millis(60));
        assert!(
            matches!(cache.lookup("a".into()), Lookup::Build(_)),
            "an entry outlived its ttl"
        );
        for i in 0..(MAX_TOTAL_BYTES / MAX_ENTRY_BYTES + 8) {
            fill(&cache, &format!("k{i}"), MAX_ENTRY_BYTES / 2);
        }
        let bytes = cache.inner.lock().map(|e| e.bytes).unwrap_or(usize::MAX);
        assert!(bytes <= MAX_TOTAL_BYTES, "{bytes} bytes kept");
    }

    #[tokio::test]
    async fn requests_arriving_during_a_build_wait_for_it_instead_of_building_again() {
        let cache = ReadCache::new(Duration::from_secs(60));
        let Lookup::Build(ticket) = cache.lookup("k".into()) else {
            panic!("the first request builds");
        };
        let waiting: Vec<_> = (0..3)
            .map(|_| match cache.lookup("k".into()) {
                Lookup::Wait(receiver) => receiver,
                other => panic!("expected to wait, got {other:?}"),
            })
            .collect();
        // Another key is built on its own.
        assert!(matches!(cache.lookup("other".into()), Lookup::Build(_)));
        let built = ticket.finish(entry(10));
        for receiver in waiting {
            let got = wait(receiver).await;
            assert!(
                got.is_some_and(|e| Arc::ptr_eq(&e, &built)),
                "a waiter got another answer"
            );
        }
        match cache.lookup("k".into()) {
            Lookup::Hit(entry) => assert!(Arc::ptr_eq(&entry, &built)),
            other => panic!("expected a hit, got {other:?}"),
        }
    }

    #[test]
    fn a_build_given_up_releases_its_waiters_and_the_next_request_builds() {
        let cache = ReadCache::new(Duration::from_secs(60));
        let Lookup::Build(ticket) = cache.lookup("k".into()) else {
            panic!("the first request builds");
        };
        let Lookup::Wait(receiver) = cache.lookup("k".into()) else {
            panic!("the second waits");
        };
        drop(ticket);
        // Closed with nothing sent: `wait` answers `None` at once.
        assert!(
            receiver.has_changed().is_err(),
            "the waiter is still waiting"
        );
        assert!(matches!(cache.lookup("k".into()), Lookup::Build(_)));
    }

    #[test]
    fn an_entry_near_its_end_is_rebuilt_by_one_request_while_the_others_still_hit() {
        let cache = ReadCache::new(Duration::from_millis(400));
        fill(&cache, "k", 10);
        assert!(is_hit(&cache.lookup("k".into())), "young: a hit");
        std::thread::sleep(Duration::from_millis(320));
        let Lookup::Build(ticket) = cache.lookup("k".into()) else {
            panic!("in its last quarter, the first request rebuilds it");
        };
        assert!(
            is_hit(&cache.lookup("k".into())),
            "meanwhile the others hit"
        );
        ticket.finish(entry(20));
        std::thread::sleep(Duration::from_millis(120));
        // 440 ms after the first build: the rebuilt entry answers.
        match cache.lookup("k".into()) {
            Lookup::Hit(entry) => assert_eq!(entry.cost("k"), 1 + 2 * 20),
            other => panic!("expected the rebuilt entry, got {other:?}"),
        }
    }

    #[test]
    fn a_build_begun_before_a_write_answers_its_waiters_but_is_not_kept() {
        let cache = ReadCache::new(Duration::from_secs(60));
        fill(&cache, "old", 10);
        let Lookup::Build(ticket) = cache.lookup("k".into()) else {
            panic!("the first request builds");
        };
        let Lookup::Wait(receiver) = cache.lookup("k".into()) else {
            panic!("the second waits");
        };
        cache.clear();
        // The write released the waiter, to see it in the handler's answer.
        assert!(receiver.has_changed().is_err());
        assert!(
            matches!(cache.lookup("old".into()), Lookup::Build(_)),
            "kept a write"
        );
        let Lookup::Build(after) = cache.lookup("k".into()) else {
            panic!("a request after the write builds anew");
        };
        ticket.finish(entry(10));
        assert!(
            matches!(cache.lookup("k".into()), Lookup::Wait(_)),
            "the older build's answer was kept, or ended the newer build"
        );
        after.finish(entry(12));
        assert!(is_hit(&cache.lookup("k".into())));
    }

    #[test]
    fn no_ttl_means_no_cache() {
        assert!(!ReadCache::new(Duration::ZERO).enabled());
        assert!(ReadCache::new(super::super::DEFAULT_TTL).enabled());
    }
}
