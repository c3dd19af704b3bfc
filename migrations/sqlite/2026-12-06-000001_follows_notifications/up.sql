-- What each user follows: a paper, a user, a venue or a keyword, by id.
CREATE TABLE follows (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('paper', 'user', 'venue', 'keyword')),
    target_id  INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, kind, target_id)
);
-- Who follows a target (notifying followers of a paper or user).
CREATE INDEX follows_target_idx ON follows (kind, target_id);

-- What happened that concerns a user, written in the same transaction as its cause.
CREATE TABLE notifications (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- comment_on_summary, reply_to_comment, summary_on_followed_paper, summary_by_followed_user,
    -- vote_milestone, content_hidden, claim_decided
    kind         TEXT NOT NULL,
    -- Who caused it; NULL when nobody may be named (an anonymous summary's author, moderators).
    actor_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    summary_id   INTEGER REFERENCES summaries (id) ON DELETE CASCADE,
    comment_id   INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    paper_id     INTEGER REFERENCES papers (id) ON DELETE CASCADE,
    -- content_hidden: the moderator's reason.
    reason       TEXT,
    -- vote_milestone: the score reached.
    milestone    INTEGER,
    -- claim_decided: whether the claim was approved.
    approved     BOOLEAN,
    read         BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX notifications_recipient_idx ON notifications (recipient_id, id);
CREATE INDEX notifications_summary_idx ON notifications (summary_id, kind);

-- The secret of each user's private Atom feed of notifications (its SHA-256 only).
CREATE TABLE notification_feeds (
    user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_hash TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL
);
