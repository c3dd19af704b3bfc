//! Per-client rate limits on the endpoints attackers hammer: registration, login, refresh,
//! API-token creation, imports, votes, writing and previews.
//!
//! Each limit is a GCRA token bucket (a burst, then one request per interval) kept in the
//! database, one row per client and kind (`rate_limits`), updated by one atomic statement: every
//! server process on the database shares the same budget. Anonymous requests are keyed by the
//! client's address (`http::extract::ClientIp`), signed-in ones by user.
//!
//! Domain operations take from a bucket after validating their input, and writes take inside
//! their own transaction: a request refused for bad input, or a write that fails (a full disk),
//! costs nothing. Failed logins do cost: that is what the login limit is for.
//! `SHORTSCIENCE_RATE_LIMITS=off` switches every limit off (benchmarks).

use std::net::IpAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use shortscience_types::UserId;

use crate::db::models::shared;
use crate::db::DbConn;
use crate::domain::{DomainError, DomainResult};

/// A burst size and how long it takes to earn one more request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub burst: u32,
    pub per: Duration,
}

impl Limit {
    pub const fn new(burst: u32, per: Duration) -> Self {
        Self { burst, per }
    }
}

/// The limits of each kind of request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitConfig {
    /// Accounts created per IP address: 10, then one every 6 minutes.
    pub register: Limit,
    /// Login attempts per IP address: 10, then one every 6 seconds.
    pub login: Limit,
    /// Token refreshes per IP address: 120, then one a second. The web app refreshes once per
    /// page load when signed in and once every 14 minutes, so fast browsing stays far below.
    pub refresh: Limit,
    /// API tokens created per user: 10, then one every 6 minutes.
    pub create_token: Limit,
    /// Paper imports per user: 30, then one every 10 seconds.
    pub import: Limit,
    /// Votes per user: 120, then two a second.
    pub vote: Limit,
    /// Summaries and comments written or edited per user: 30, then one every 5 seconds.
    pub write: Limit,
    /// Previews rendered per IP address: 120, then four a second.
    pub render: Limit,
    /// Searches per IP address: 120, then ten a second.
    pub search: Limit,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            register: Limit::new(10, Duration::from_secs(360)),
            login: Limit::new(10, Duration::from_secs(6)),
            refresh: Limit::new(120, Duration::from_secs(1)),
            create_token: Limit::new(10, Duration::from_secs(360)),
            import: Limit::new(30, Duration::from_secs(10)),
            vote: Limit::new(120, Duration::from_millis(500)),
            write: Limit::new(30, Duration::from_secs(5)),
            render: Limit::new(120, Duration::from_millis(250)),
            search: Limit::new(120, Duration::from_millis(100)),
        }
    }
}

impl RateLimitConfig {
    /// The same limit for every kind of request.
    pub const fn uniform(limit: Limit) -> Self {
        Self {
            register: limit,
            login: limit,
            refresh: limit,
            create_token: limit,
            import: limit,
            vote: limit,
            write: limit,
            render: limit,
            search: limit,
        }
    }

    /// Limits high enough that no test meets them, even one that registers many users: a burst
    /// of 1000 of each kind, then one more every millisecond.
    pub const fn relaxed() -> Self {
        Self::uniform(Limit::new(1000, Duration::from_millis(1)))
    }
}

/// Whole seconds to wait, rounded up: a client that waits exactly that long gets through.
pub fn retry_after(wait: Duration) -> u64 {
    wait.as_micros()
        .div_ceil(1_000_000)
        .max(1)
        .try_into()
        .unwrap_or(u64::MAX)
}

/// How often, in checks, a process sweeps full buckets away.
const SWEEP_EVERY: u32 = 4096;

/// The limits, checked against the shared database buckets.
#[derive(Debug, Clone)]
pub struct RateLimits {
    config: RateLimitConfig,
    enabled: bool,
    checks: Arc<AtomicU32>,
}

/// What a bucket limits, and for whom.
#[derive(Debug, Clone, Copy)]
enum Key {
    Ip(&'static str, IpAddr),
    User(&'static str, UserId),
}

impl Key {
    fn kind(self) -> &'static str {
        match self {
            Self::Ip(kind, _) | Self::User(kind, _) => kind,
        }
    }

    fn render(self) -> String {
        match self {
            Self::Ip(kind, ip) => format!("{kind}:{ip}"),
            Self::User(kind, id) => format!("{kind}:u{id}"),
        }
    }
}

impl RateLimits {
    pub fn new(config: RateLimitConfig) -> Self {
        Self {
            config,
            enabled: true,
            checks: Arc::new(AtomicU32::new(0)),
        }
    }

    /// No limits at all (`SHORTSCIENCE_RATE_LIMITS=off`, for benchmarks).
    pub fn off() -> Self {
        Self {
            enabled: false,
            ..Self::new(RateLimitConfig::default())
        }
    }

    fn take(&self, conn: &mut DbConn, limit: Limit, key: Key) -> DomainResult<()> {
        if !self.enabled {
            return Ok(());
        }
        let now = chrono::Utc::now().timestamp_micros();
        let interval = i64::try_from(limit.per.as_micros())
            .unwrap_or(i64::MAX)
            .max(1);
        let burst = i64::from(limit.burst.max(1));
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            shared::forget_full_buckets(conn, now)?;
        }
        match shared::take(conn, &key.render(), now, interval, burst)? {
            None => Ok(()),
            Some(tat) => {
                crate::metrics::rate_limited(key.kind());
                // Allowed again once the arrival time is within the burst tolerance.
                let free_at = tat - interval * (burst - 1);
                let wait = u64::try_from(free_at - now).unwrap_or(0);
                Err(DomainError::RateLimited {
                    retry_after_secs: retry_after(Duration::from_micros(wait)),
                })
            }
        }
    }

    pub fn register(&self, conn: &mut DbConn, ip: IpAddr) -> DomainResult<()> {
        self.take(conn, self.config.register, Key::Ip("register", ip))
    }

    pub fn login(&self, conn: &mut DbConn, ip: IpAddr) -> DomainResult<()> {
        self.take(conn, self.config.login, Key::Ip("login", ip))
    }

    pub fn refresh(&self, conn: &mut DbConn, ip: IpAddr) -> DomainResult<()> {
        self.take(conn, self.config.refresh, Key::Ip("refresh", ip))
    }

    pub fn render(&self, conn: &mut DbConn, ip: IpAddr) -> DomainResult<()> {
        self.take(conn, self.config.render, Key::Ip("render", ip))
    }

    pub fn search(&self, conn: &mut DbConn, ip: IpAddr) -> DomainResult<()> {
        self.take(conn, self.config.search, Key::Ip("search", ip))
    }

    pub fn create_token(&self, conn: &mut DbConn, user: UserId) -> DomainResult<()> {
        self.take(conn, self.config.create_token, Key::User("token", user))
    }

    pub fn import(&self, conn: &mut DbConn, user: UserId) -> DomainResult<()> {
        self.take(conn, self.config.import, Key::User("import", user))
    }

    pub fn vote(&self, conn: &mut DbConn, user: UserId) -> DomainResult<()> {
        self.take(conn, self.config.vote, Key::User("vote", user))
    }

    pub fn write(&self, conn: &mut DbConn, user: UserId) -> DomainResult<()> {
        self.take(conn, self.config.write, Key::User("write", user))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(retry_after(Duration::from_millis(1)), 1);
        assert_eq!(retry_after(Duration::from_millis(5_001)), 6);
        assert_eq!(retry_after(Duration::from_secs(6)), 6);
        assert_eq!(retry_after(Duration::ZERO), 1);
    }

    #[test]
    fn keys_name_their_kind_and_client() {
        assert_eq!(
            Key::Ip("login", IpAddr::from([10, 0, 0, 1])).render(),
            "login:10.0.0.1"
        );
        assert_eq!(Key::User("vote", UserId(7)).render(), "vote:u7");
    }
}
