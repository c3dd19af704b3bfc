DROP TABLE health_probe;
DROP TABLE upstream_cache;
DROP TABLE upstream_pacing;
DROP TABLE feed_snapshots;
DROP TABLE rate_limits;
