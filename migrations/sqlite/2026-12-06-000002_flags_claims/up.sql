-- Flags: readers report a summary, comment or paper to the moderators; and author claims: a user
-- asks to be recognised as one of the catalogue's authors (moderators approve or reject).

CREATE TABLE flags (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Who flagged; their flags go with their account.
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- summary, comment or paper; target_id is that row's id (no foreign key: summaries and
    -- comments are deleted softly, papers are kept).
    target_kind     TEXT NOT NULL CHECK (target_kind IN ('summary', 'comment', 'paper')),
    target_id       INTEGER NOT NULL,
    reason          TEXT NOT NULL
        CHECK (reason IN ('spam', 'abuse', 'off_topic', 'incorrect', 'duplicate', 'other')),
    note            TEXT,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed')),
    created_at      TIMESTAMP NOT NULL,
    decided_at      TIMESTAMP,
    decided_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decision_reason TEXT
);
-- One open flag per user per target.
CREATE UNIQUE INDEX flags_one_open_idx ON flags (user_id, target_kind, target_id)
    WHERE status = 'open';
-- The moderators' queue groups open flags by target.
CREATE INDEX flags_open_target_idx ON flags (status, target_kind, target_id);
CREATE INDEX flags_user_idx ON flags (user_id);

CREATE TABLE author_claims (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    author_id       INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    -- The paper the claim was made from (where the user found the author).
    paper_id        INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    -- Normalised 0000-0000-0000-000X, checksum verified.
    orcid           TEXT,
    status          TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at      TIMESTAMP NOT NULL,
    decided_at      TIMESTAMP,
    decided_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decision_reason TEXT
);
-- One pending claim per user per author; one verified user per author.
CREATE UNIQUE INDEX author_claims_one_pending_idx ON author_claims (user_id, author_id)
    WHERE status = 'pending';
CREATE UNIQUE INDEX author_claims_one_approved_idx ON author_claims (author_id)
    WHERE status = 'approved';
CREATE INDEX author_claims_status_idx ON author_claims (status, id);
CREATE INDEX author_claims_user_idx ON author_claims (user_id, status);
