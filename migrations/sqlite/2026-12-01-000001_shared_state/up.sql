-- State that several server processes share through the database (docs/architecture.md,
-- "Several processes"): rate-limit buckets, feed snapshots, the upstream request queue and cache.

-- One GCRA bucket per key (`login:203.0.113.7`, `vote:42`): the theoretical arrival time of the
-- next request, in microseconds since the epoch. A row whose time is past is a full bucket, so
-- rows may be deleted at any time.
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY NOT NULL,
    tat BIGINT NOT NULL
);
CREATE INDEX rate_limits_tat ON rate_limits (tat);

-- Frozen orders of the hot and top feeds, so a reader pages through one order on any process.
-- `items` is `key/id` pairs, comma-separated.
CREATE TABLE feed_snapshots (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    sort       TEXT      NOT NULL,
    period     TEXT      NOT NULL,
    since      TIMESTAMP,
    items      TEXT      NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX feed_snapshots_newest ON feed_snapshots (sort, period, created_at);
CREATE INDEX feed_snapshots_expiry ON feed_snapshots (expires_at);

-- When each upstream service may next be asked (microseconds since the epoch): arXiv allows one
-- request every three seconds from the whole site.
CREATE TABLE upstream_pacing (
    service TEXT PRIMARY KEY NOT NULL,
    next_at BIGINT NOT NULL
);

-- Upstream answers (`arxiv:2003.10555`, `crossref:10.1038/x`), and who is fetching one now, so
-- that concurrent imports of one paper make one request.
CREATE TABLE upstream_cache (
    key        TEXT PRIMARY KEY NOT NULL,
    body       TEXT,
    status     INTEGER   NOT NULL,
    fetched_at TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP
);

-- The readiness probe writes this one row.
CREATE TABLE health_probe (
    id INTEGER PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL
);
INSERT INTO health_probe (id, at) VALUES (1, CURRENT_TIMESTAMP);
