//! Every SQL statement a connection runs is counted (per thread) and, at debug level, logged
//! under the `shortscience::sql` target without its bound values (which may be secrets: password
//! and token hashes). `RUST_LOG=shortscience::sql=debug` shows what a request costs; tests count
//! statements with [`count`], and collect the SQL one database ran with [`capture`] (to check
//! query plans).

use std::cell::Cell;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use diesel::connection::{Instrumentation, InstrumentationEvent};

thread_local! {
    static STATEMENTS: Cell<u64> = const { Cell::new(0) };
    /// Statements prepared and kept in a connection's cache, on this thread.
    static CACHED: Cell<u64> = const { Cell::new(0) };
}

/// Databases whose statements are being collected (by [`database_key`]), and how many.
static CAPTURES: Mutex<Option<HashMap<u64, Vec<String>>>> = Mutex::new(None);
static CAPTURING: AtomicUsize = AtomicUsize::new(0);

/// The instrumentation every pooled connection carries.
#[derive(Debug, Default)]
pub struct StatementLog {
    /// Which database the connection is to ([`database_key`]), for [`capture`].
    database: u64,
}

impl StatementLog {
    pub fn new(database: u64) -> Self {
        Self { database }
    }
}

/// A key naming a database by its URL, without keeping the URL (which may hold a password).
pub fn database_key(url: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    url.hash(&mut hasher);
    hasher.finish()
}

impl Instrumentation for StatementLog {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::CacheQuery { .. } = event {
            CACHED.with(|n| n.set(n.get() + 1));
        }
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            STATEMENTS.with(|n| n.set(n.get() + 1));
            let logging = tracing::enabled!(target: "shortscience::sql", tracing::Level::DEBUG);
            let capturing = CAPTURING.load(Ordering::Relaxed) > 0;
            if logging || capturing {
                let text = query.to_string();
                let sql = text.split(" -- binds:").next().unwrap_or_default();
                if logging {
                    tracing::debug!(target: "shortscience::sql", sql, "statement");
                }
                if capturing {
                    if let Ok(mut captures) = CAPTURES.lock() {
                        if let Some(list) =
                            captures.as_mut().and_then(|c| c.get_mut(&self.database))
                        {
                            list.push(sql.to_owned());
                        }
                    }
                }
            }
        }
    }
}

/// Starts collecting the SQL (without bound values) of every statement run on the database
/// with this key, on any thread, until [`take_capture`].
pub fn capture(database: u64) {
    if let Ok(mut captures) = CAPTURES.lock() {
        if captures
            .get_or_insert_with(HashMap::new)
            .insert(database, Vec::new())
            .is_none()
        {
            CAPTURING.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Stops collecting for this database and returns what was run since [`capture`].
pub fn take_capture(database: u64) -> Vec<String> {
    let Ok(mut captures) = CAPTURES.lock() else {
        return Vec::new();
    };
    match captures.as_mut().and_then(|c| c.remove(&database)) {
        Some(list) => {
            CAPTURING.fetch_sub(1, Ordering::Relaxed);
            list
        }
        None => Vec::new(),
    }
}

/// Statements run on this thread so far.
pub fn so_far() -> u64 {
    STATEMENTS.with(Cell::get)
}

/// Runs `f` and says how many statements it ran (on this thread's connections).
pub fn count<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let before = so_far();
    let out = f();
    (out, so_far() - before)
}

/// Runs `f` and says how many statements it ran and how many of them diesel prepared into the
/// connection's statement cache (on this thread's connections). On a fresh connection the two
/// are equal when every statement is one diesel keeps; a query holding a `sql` literal is
/// prepared anew each time it runs and never counts as cached.
pub fn count_cached<T>(f: impl FnOnce() -> T) -> (T, u64, u64) {
    let cached_before = CACHED.with(Cell::get);
    let (out, ran) = count(f);
    (out, ran, CACHED.with(Cell::get) - cached_before)
}
