//! One process's entries, and the answers being built for them.
//!
//! When an entry is missing or has expired, the first request for it builds it (calls the
//! handler) and every request for the same key arriving meanwhile waits for that one answer
//! instead of building its own: readers arriving together at an expired hot feed each built a
//! feed snapshot, and at 64 connections the hot feed's p99 went from 7 ms with no expiry in the
//! run to 36–50 ms with one every 2 s (`wrk -t2 -c64 -d10s` on the benchmark's data set).
//! An entry in the last quarter of its life is rebuilt ahead of time by the first request to see
//! it, while the others are still served the entry: on a busy key nobody waits at all, and no
//! answer is ever older than the ttl. A build begun before this process accepted a write is not
//! kept, and the requests waiting for it look again, to wait for (or make) a build that sees it.
//!
//! Nobody waits for a build older than the ttl (or [`BUILD_WAIT`]): what it read may be too old
//! to send. And a key whose last answer could not be kept (not a 200, `no-store`, too large)
//! is *passed* for the ttl: its requests go straight to the handler, together, as they would
//! without a cache, rather than queue behind each other's builds.

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
    /// Keys whose last answer was not kept, and until when their requests skip the cache.
    passing: HashMap<String, Instant>,
}

/// At most this many passed keys are remembered (a scan of missing pages makes many).
const MAX_PASSING: usize = 4096;

#[derive(Debug)]
struct Build {
    id: u64,
    began: Instant,
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

/// The right and duty to build one entry (a ticket with id 0 builds an answer that is not kept).
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

    /// The answer cannot be kept: the key is passed for the ttl, and the waiters, released,
    /// find it so and go to the handler.
    pub(super) fn give_up(self) {
        if self.id == 0 {
            return;
        }
        if let Ok(mut entries) = self.cache.inner.lock() {
            entries.take_build(&self.key, self.id);
            if entries.passing.len() >= MAX_PASSING {
                let now = Instant::now();
                entries.passing.retain(|_, until| *until > now);
                if entries.passing.len() >= MAX_PASSING {
                    entries.passing.clear();
                }
            }
            entries
                .passing
                .insert(self.key.clone(), self.began + self.cache.ttl);
        }
    }
}

impl Drop for Ticket {
    /// A build that ends without an entry (given up, an error, its client gone) releases its
    /// waiters, who look again.
    fn drop(&mut self) {
        if let Ok(mut entries) = self.cache.inner.lock() {
            entries.take_build(&self.key, self.id);
        }
    }
}

/// How long a request waits for another's build before calling the handler itself.
pub(super) const BUILD_WAIT: Duration = Duration::from_secs(2);

/// How a wait for another request's build ended.
#[derive(Debug)]
pub(super) enum Waited {
    /// With its entry.
    Entry(Arc<Entry>),
    /// The build ended without one: look again.
    Dropped,
    /// It took longer than the wait's bound, or its answer is already older than the ttl: the
    /// handler answers.
    TooLate,
}

/// Waits at most `bound` for the build `receiver` belongs to, whose entry may be sent only while
/// younger than `ttl`.
pub(super) async fn wait(
    mut receiver: watch::Receiver<Option<Arc<Entry>>>,
    ttl: Duration,
    bound: Duration,
) -> Waited {
    match tokio::time::timeout(bound, receiver.changed()).await {
        Ok(Ok(())) => match receiver.borrow().clone() {
            Some(entry) if entry.stored.elapsed() < ttl => Waited::Entry(entry),
            _ => Waited::TooLate,
        },
        Ok(Err(_)) => Waited::Dropped,
        Err(_) => Waited::TooLate,
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

    pub(super) fn ttl(&self) -> Duration {
        self.ttl
    }

    /// What a request for `key` should do: answer from an entry, wait for one, or build it.
    pub(super) fn lookup(self: &Arc<Self>, key: String) -> Lookup {
        let Ok(mut entries) = self.inner.lock() else {
            // A poisoned lock: build without keeping anything.
            return Lookup::Build(self.ticket(key, 0, u64::MAX));
        };
        if let Some(until) = entries.passing.get(&key) {
            if *until > Instant::now() {
                return Lookup::Build(self.ticket(key, 0, u64::MAX));
            }
            entries.passing.remove(&key);
        }
        let age = entries.map.get(&key).map(|e| e.stored.elapsed());
        let building = entries.building.get(&key);
        match (age, building) {
            (Some(age), None) if age < self.ttl - self.ttl / 4 => {}
            (Some(age), Some(_)) if age < self.ttl => {}
            (_, Some(build)) if build.began.elapsed() < self.ttl.min(BUILD_WAIT) => {
                return Lookup::Wait(build.done.subscribe());
            }
            // A build too old to wait for: this request goes on alone.
            (_, Some(_)) => return Lookup::Build(self.ticket(key, 0, u64::MAX)),
            (_, None) => {
                // Ids start at 1: 0 is the ticket of a build that keeps nothing.
                entries.next_build += 1;
                let id = entries.next_build;
                let (done, _) = watch::channel(None);
                let began = Instant::now();
                entries
                    .building
                    .insert(key.clone(), Build { id, began, done });
                let generation = entries.generation;
                let mut ticket = self.ticket(key, id, generation);
                ticket.began = began;
                return Lookup::Build(ticket);
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
            // Their waiters look again, and wait for a build that sees the write.
            entries.building.clear();
            entries.passing.clear();
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

    /// Whether `lookup` says to build alone: an answer that is not kept, no waiters.
    fn alone(lookup: &Lookup) -> bool {
        matches!(lookup, Lookup::Build(ticket) if ticket.id == 0)
    }

    fn waiter(cache: &Arc<ReadCache>, key: &str) -> watch::Receiver<Option<Arc<Entry>>> {
        match cache.lookup(key.into()) {
            Lookup::Wait(receiver) => receiver,
            other => panic!("{key}: expected to wait, got {other:?}"),
        }
    }

    fn builder(cache: &Arc<ReadCache>, key: &str) -> Ticket {
        match cache.lookup(key.into()) {
            Lookup::Build(ticket) if ticket.id != 0 => ticket,
            other => panic!("{key}: expected to build, got {other:?}"),
        }
    }

    const LONG: Duration = Duration::from_secs(60);

    #[tokio::test]
    async fn requests_arriving_during_a_build_wait_for_it_instead_of_building_again() {
        let cache = ReadCache::new(LONG);
        let ticket = builder(&cache, "k");
        let waiting: Vec<_> = (0..3).map(|_| waiter(&cache, "k")).collect();
        // Another key is built on its own.
        builder(&cache, "other");
        let built = ticket.finish(entry(10));
        for receiver in waiting {
            match wait(receiver, LONG, BUILD_WAIT).await {
                Waited::Entry(got) => assert!(Arc::ptr_eq(&got, &built), "another answer"),
                other => panic!("a waiter got {other:?}"),
            }
        }
        match cache.lookup("k".into()) {
            Lookup::Hit(entry) => assert!(Arc::ptr_eq(&entry, &built)),
            other => panic!("expected a hit, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_build_that_ends_without_an_entry_sends_its_waiters_to_look_again() {
        let cache = ReadCache::new(LONG);
        let ticket = builder(&cache, "k");
        let receiver = waiter(&cache, "k");
        drop(ticket);
        assert!(matches!(
            wait(receiver, LONG, BUILD_WAIT).await,
            Waited::Dropped
        ));
        // Looking again, the first builds and the next waits for it.
        let _again = builder(&cache, "k");
        waiter(&cache, "k");
    }

    #[tokio::test]
    async fn a_key_whose_answer_is_not_kept_is_passed_for_the_ttl() {
        let cache = ReadCache::new(Duration::from_millis(300));
        let ticket = builder(&cache, "404");
        let receiver = waiter(&cache, "404");
        ticket.give_up();
        assert!(matches!(
            wait(receiver, LONG, BUILD_WAIT).await,
            Waited::Dropped
        ));
        // Now nobody waits for anybody on this key, and what they build is not kept.
        assert!(alone(&cache.lookup("404".into())));
        assert!(alone(&cache.lookup("404".into())));
        if let Lookup::Build(ticket) = cache.lookup("404".into()) {
            ticket.finish(entry(10));
        }
        assert!(
            alone(&cache.lookup("404".into())),
            "an answer built alone was kept"
        );
        std::thread::sleep(Duration::from_millis(350));
        let _ticket = builder(&cache, "404");
        // A write forgets the passed keys too.
        builder(&cache, "gone").give_up();
        cache.clear();
        builder(&cache, "gone");
    }

    #[tokio::test]
    async fn nobody_waits_past_the_bound_or_for_an_answer_older_than_the_ttl() {
        let cache = ReadCache::new(Duration::from_millis(100));
        let slow = builder(&cache, "k");
        let receiver = waiter(&cache, "k");
        assert!(matches!(
            wait(receiver, LONG, Duration::from_millis(30)).await,
            Waited::TooLate
        ));
        // A build as old as the ttl is not waited for: the request goes on alone.
        std::thread::sleep(Duration::from_millis(120));
        assert!(alone(&cache.lookup("k".into())));
        drop(slow);
        // Sent after the ttl, an answer is not used by its waiters.
        let ticket = builder(&cache, "k");
        let receiver = waiter(&cache, "k");
        std::thread::sleep(Duration::from_millis(120));
        ticket.finish(entry(10));
        assert!(matches!(
            wait(receiver, Duration::from_millis(100), BUILD_WAIT).await,
            Waited::TooLate
        ));
    }

    #[test]
    fn an_entrys_age_counts_from_the_start_of_its_build() {
        let cache = ReadCache::new(LONG);
        let ticket = builder(&cache, "k");
        std::thread::sleep(Duration::from_millis(50));
        let built = ticket.finish(entry(10));
        assert!(built.stored.elapsed() >= Duration::from_millis(50));
    }

    #[test]
    fn an_entry_near_its_end_is_rebuilt_by_one_request_while_the_others_still_hit() {
        let cache = ReadCache::new(Duration::from_millis(1_000));
        fill(&cache, "k", 10);
        assert!(is_hit(&cache.lookup("k".into())), "young: a hit");
        // Between three quarters of the ttl and the ttl, with 200 ms to spare either way.
        std::thread::sleep(Duration::from_millis(850));
        let ticket = builder(&cache, "k");
        assert!(
            is_hit(&cache.lookup("k".into())),
            "meanwhile the others hit"
        );
        let rebuilt = ticket.finish(entry(20));
        match cache.lookup("k".into()) {
            Lookup::Hit(entry) => assert!(Arc::ptr_eq(&entry, &rebuilt)),
            other => panic!("expected the rebuilt entry, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_build_begun_before_a_write_is_not_kept_and_its_waiters_look_again() {
        let cache = ReadCache::new(LONG);
        fill(&cache, "old", 10);
        let ticket = builder(&cache, "k");
        let receiver = waiter(&cache, "k");
        cache.clear();
        assert!(matches!(
            wait(receiver, LONG, BUILD_WAIT).await,
            Waited::Dropped
        ));
        assert!(
            !is_hit(&cache.lookup("old".into())),
            "kept an entry past a write"
        );
        let after = builder(&cache, "k");
        ticket.finish(entry(10));
        // The older build's answer was not kept, nor did it end the newer build.
        waiter(&cache, "k");
        after.finish(entry(12));
        assert!(is_hit(&cache.lookup("k".into())));
    }

    #[test]
    fn no_ttl_means_no_cache() {
        assert!(!ReadCache::new(Duration::ZERO).enabled());
        assert!(ReadCache::new(super::super::DEFAULT_TTL).enabled());
    }
}
