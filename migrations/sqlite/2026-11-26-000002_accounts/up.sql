-- Accounts: browser sessions with rotating refresh tokens, personal API tokens, server secrets
-- and the moderation log. Token secrets are never stored: only a lookup id and a SHA-256 hash.

-- A browser login. Every refresh token of one login belongs to the same session ("family");
-- revoking the session ends the login, including its current access token.
CREATE TABLE sessions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at     TIMESTAMP NOT NULL,
    last_used_at   TIMESTAMP NOT NULL,
    -- The login's absolute end; refreshing does not extend it.
    expires_at     TIMESTAMP NOT NULL,
    revoked_at     TIMESTAMP,
    -- logout, password_change, reuse_detected, suspended
    revoked_reason TEXT
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE refresh_tokens (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    lookup      TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    -- Set when the token is exchanged for a new one; presenting it again is reuse.
    used_at     TIMESTAMP
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    lookup       TEXT NOT NULL UNIQUE,
    secret_hash  TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- Secrets the server generates on first run (the JWT signing key), so restarts and every
-- instance sharing the database agree.
CREATE TABLE server_secrets (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Every moderator and admin action, public.
CREATE TABLE moderation_log (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- set_role, suspend, unsuspend (later: hide_summary, hide_comment, ...)
    action         TEXT NOT NULL,
    target_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    reason         TEXT,
    -- JSON with the before/after values.
    details        TEXT NOT NULL DEFAULT '{}',
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX moderation_log_created_idx ON moderation_log (created_at, id);
