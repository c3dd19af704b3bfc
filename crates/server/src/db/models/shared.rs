//! State several server processes share through the database: rate-limit buckets, feed
//! snapshots, the upstream request queue and cache, and the readiness probe's row. Each update
//! that must be atomic is one statement (an upsert with a condition), so no process needs a lock
//! of its own.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::db::schema::{feed_snapshots, health_probe, rate_limits, upstream_cache};
use crate::db::DbConn;

#[derive(QueryableByName)]
struct Tat {
    #[diesel(sql_type = BigInt)]
    #[allow(dead_code)]
    tat: i64,
}

/// Takes one request from the GCRA bucket `key` (times in microseconds): allowed when the new
/// theoretical arrival time is at most `burst × interval` ahead of `now`. Returns `None` when
/// allowed, else the stored arrival time (to compute the wait). One statement either way on
/// success; a refusal reads the row once more.
pub fn take(
    conn: &mut DbConn,
    key: &str,
    now: i64,
    interval: i64,
    burst: i64,
) -> QueryResult<Option<i64>> {
    let tolerance = interval.saturating_mul(burst);
    // GREATEST and MAX(a, b) are the same scalar maximum on each backend.
    let sql = match conn {
        DbConn::Pg(_) => {
            "INSERT INTO rate_limits (key, tat) VALUES ($1, $2 + $3) \
             ON CONFLICT (key) DO UPDATE SET tat = GREATEST(rate_limits.tat, $2) + $3 \
             WHERE GREATEST(rate_limits.tat, $2) + $3 - $2 <= $4 RETURNING tat"
        }
        DbConn::Sqlite(_) => {
            "INSERT INTO rate_limits (key, tat) VALUES (?1, ?2 + ?3) \
             ON CONFLICT (key) DO UPDATE SET tat = MAX(rate_limits.tat, ?2) + ?3 \
             WHERE MAX(rate_limits.tat, ?2) + ?3 - ?2 <= ?4 RETURNING tat"
        }
    };
    let taken: Vec<Tat> = diesel::sql_query(sql)
        .bind::<Text, _>(key)
        .bind::<BigInt, _>(now)
        .bind::<BigInt, _>(interval)
        .bind::<BigInt, _>(tolerance)
        .load(conn)?;
    if !taken.is_empty() {
        return Ok(None);
    }
    rate_limits::table
        .find(key)
        .select(rate_limits::tat)
        .first(conn)
        .optional()
}

/// Forgets buckets that are full again (their arrival time is past): the same as a missing row.
pub fn forget_full_buckets(conn: &mut DbConn, now: i64) -> QueryResult<usize> {
    diesel::delete(rate_limits::table.filter(rate_limits::tat.lt(now))).execute(conn)
}

/// Reserves the next slot of `service`'s queue: returns when this request may go (microseconds),
/// and moves the queue on by `interval`. One statement, so processes never take the same slot.
pub fn reserve_slot(conn: &mut DbConn, service: &str, now: i64, interval: i64) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Next {
        #[diesel(sql_type = BigInt)]
        next_at: i64,
    }
    let sql = match conn {
        DbConn::Pg(_) => {
            "INSERT INTO upstream_pacing (service, next_at) VALUES ($1, $2 + $3) \
             ON CONFLICT (service) DO UPDATE \
             SET next_at = GREATEST(upstream_pacing.next_at, $2) + $3 RETURNING next_at"
        }
        DbConn::Sqlite(_) => {
            "INSERT INTO upstream_pacing (service, next_at) VALUES (?1, ?2 + ?3) \
             ON CONFLICT (service) DO UPDATE \
             SET next_at = MAX(upstream_pacing.next_at, ?2) + ?3 RETURNING next_at"
        }
    };
    let next: Next = diesel::sql_query(sql)
        .bind::<Text, _>(service)
        .bind::<BigInt, _>(now)
        .bind::<BigInt, _>(interval)
        .get_result(conn)?;
    Ok(next.next_at - interval)
}

/// One upstream answer as cached.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = upstream_cache)]
pub struct CachedAnswer {
    pub key: String,
    pub body: Option<String>,
    pub status: i32,
    pub fetched_at: NaiveDateTime,
    pub claimed_until: Option<NaiveDateTime>,
}

pub fn cached_answer(conn: &mut DbConn, key: &str) -> QueryResult<Option<CachedAnswer>> {
    upstream_cache::table
        .find(key)
        .select(CachedAnswer::as_select())
        .first(conn)
        .optional()
}

/// When stored answers stop being fresh: a success fetched before `ok_before`, anything else
/// fetched before `other_before`.
#[derive(Debug, Clone, Copy)]
pub struct Staleness {
    pub ok_before: NaiveDateTime,
    pub other_before: NaiveDateTime,
}

/// Claims the fetch of `key` until `until`, unless another claim runs past `now` or a fresh
/// answer is already stored (one that arrived since the caller looked: without this, a caller
/// that saw no answer could claim the row the moment the fetcher released it, and fetch again).
/// True when this caller now holds the claim. One statement: of several processes, one wins.
pub fn claim_fetch(
    conn: &mut DbConn,
    key: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
    stale: Staleness,
) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Claimed {
        #[diesel(sql_type = Text)]
        #[allow(dead_code)]
        key: String,
    }
    let sql = match conn {
        DbConn::Pg(_) => {
            "INSERT INTO upstream_cache (key, body, status, fetched_at, claimed_until) \
             VALUES ($1, NULL, 0, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET claimed_until = $3 \
             WHERE (upstream_cache.claimed_until IS NULL OR upstream_cache.claimed_until <= $2) \
             AND (upstream_cache.status = 0 \
                  OR (upstream_cache.status BETWEEN 200 AND 299 AND upstream_cache.fetched_at <= $4) \
                  OR (upstream_cache.status NOT BETWEEN 200 AND 299 AND upstream_cache.fetched_at <= $5)) \
             RETURNING key"
        }
        DbConn::Sqlite(_) => {
            "INSERT INTO upstream_cache (key, body, status, fetched_at, claimed_until) \
             VALUES (?1, NULL, 0, ?2, ?3) \
             ON CONFLICT (key) DO UPDATE SET claimed_until = ?3 \
             WHERE (upstream_cache.claimed_until IS NULL OR upstream_cache.claimed_until <= ?2) \
             AND (upstream_cache.status = 0 \
                  OR (upstream_cache.status BETWEEN 200 AND 299 AND upstream_cache.fetched_at <= ?4) \
                  OR (upstream_cache.status NOT BETWEEN 200 AND 299 AND upstream_cache.fetched_at <= ?5)) \
             RETURNING key"
        }
    };
    let claimed: Vec<Claimed> = diesel::sql_query(sql)
        .bind::<Text, _>(key)
        .bind::<diesel::sql_types::Timestamp, _>(now)
        .bind::<diesel::sql_types::Timestamp, _>(until)
        .bind::<diesel::sql_types::Timestamp, _>(stale.ok_before)
        .bind::<diesel::sql_types::Timestamp, _>(stale.other_before)
        .load(conn)?;
    Ok(!claimed.is_empty())
}

/// Stores an answer (a body with its status; `status` 0 and no body never count as an answer)
/// and releases the claim.
pub fn store_answer(
    conn: &mut DbConn,
    key: &str,
    status: i32,
    body: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(upstream_cache::table.find(key))
        .set((
            upstream_cache::status.eq(status),
            upstream_cache::body.eq(body),
            upstream_cache::fetched_at.eq(at),
            upstream_cache::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Moves the end of a held claim (the caller waits in a queue before fetching).
pub fn extend_claim(conn: &mut DbConn, key: &str, until: NaiveDateTime) -> QueryResult<()> {
    diesel::update(upstream_cache::table.find(key))
        .set(upstream_cache::claimed_until.eq(Some(until)))
        .execute(conn)?;
    Ok(())
}

/// Gives a claim up without an answer (the fetch failed), so the next caller tries again.
pub fn release_claim(conn: &mut DbConn, key: &str) -> QueryResult<()> {
    diesel::update(upstream_cache::table.find(key))
        .set(upstream_cache::claimed_until.eq(None::<NaiveDateTime>))
        .execute(conn)?;
    Ok(())
}

/// A stored frozen feed order.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = feed_snapshots)]
pub struct SnapshotRow {
    pub id: i64,
    pub sort: String,
    pub period: String,
    pub since: Option<NaiveDateTime>,
    pub items: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// The newest snapshot of a feed made at or after `made_after`, if any.
pub fn newest_snapshot(
    conn: &mut DbConn,
    sort: &str,
    period: &str,
    made_after: NaiveDateTime,
) -> QueryResult<Option<SnapshotRow>> {
    feed_snapshots::table
        .filter(feed_snapshots::sort.eq(sort))
        .filter(feed_snapshots::period.eq(period))
        .filter(feed_snapshots::created_at.ge(made_after))
        .order(feed_snapshots::created_at.desc())
        .select(SnapshotRow::as_select())
        .first(conn)
        .optional()
}

/// A snapshot by id, unless it has expired.
pub fn snapshot(
    conn: &mut DbConn,
    id: i64,
    now: NaiveDateTime,
) -> QueryResult<Option<SnapshotRow>> {
    feed_snapshots::table
        .find(id)
        .filter(feed_snapshots::expires_at.gt(now))
        .select(SnapshotRow::as_select())
        .first(conn)
        .optional()
}

/// Stores a snapshot and removes expired ones; returns its id.
pub fn insert_snapshot(
    conn: &mut DbConn,
    sort: &str,
    period: &str,
    since: Option<NaiveDateTime>,
    items: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::delete(feed_snapshots::table.filter(feed_snapshots::expires_at.le(now)))
        .execute(conn)?;
    diesel::insert_into(feed_snapshots::table)
        .values((
            feed_snapshots::sort.eq(sort),
            feed_snapshots::period.eq(period),
            feed_snapshots::since.eq(since),
            feed_snapshots::items.eq(items),
            feed_snapshots::created_at.eq(now),
            feed_snapshots::expires_at.eq(expires_at),
        ))
        .returning(feed_snapshots::id)
        .get_result(conn)
}

/// The readiness probe's write: one row, updated in place.
pub fn touch_probe(conn: &mut DbConn, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(health_probe::table.find(1_i64))
        .set(health_probe::at.eq(at))
        .execute(conn)?;
    Ok(())
}
