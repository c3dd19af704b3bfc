-- ShortScience schema, SQLite flavour. Keep in step with ../../postgres/ (same folder names,
-- same tables and columns); crates/server/src/db/schema.rs describes both.
-- All timestamps are UTC. Ids use AUTOINCREMENT so a deleted row's id is never handed out again
-- (ids appear in public URLs).

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT    NOT NULL,
    email         TEXT,
    display_name  TEXT,
    -- NULL: the account cannot log in (demo and imported accounts).
    password_hash TEXT,
    bio           TEXT    NOT NULL DEFAULT '',
    role          TEXT    NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'moderator', 'admin')),
    suspended     BOOLEAN NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

CREATE TABLE venues (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('conference', 'journal', 'preprint', 'workshop', 'other')),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE papers (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    title           TEXT    NOT NULL,
    abstract_text   TEXT,
    year            INTEGER,
    published_on    DATE,
    venue_id        INTEGER REFERENCES venues (id) ON DELETE SET NULL,
    -- Normalised, without version: 2003.10555 or hep-th/9901001.
    arxiv_id        TEXT UNIQUE,
    -- Lower case (DOIs compare case-insensitively).
    doi             TEXT UNIQUE,
    url             TEXT,
    pdf_url         TEXT,
    source          TEXT    NOT NULL CHECK (source IN ('arxiv', 'crossref', 'manual', 'demo')),
    created_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- Denormalised from summaries, maintained on every summary write.
    summary_count   INTEGER NOT NULL DEFAULT 0,
    last_summary_at TIMESTAMP,
    created_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX papers_venue_year_idx ON papers (venue_id, year, id);
CREATE INDEX papers_year_idx ON papers (year, id);
CREATE INDEX papers_last_summary_idx ON papers (last_summary_at, id);
CREATE INDEX papers_summary_count_idx ON papers (summary_count, id);

CREATE TABLE authors (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    -- Lower-cased, whitespace-collapsed name used to find an existing author on import.
    name_key   TEXT NOT NULL,
    orcid      TEXT UNIQUE,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX authors_name_key_idx ON authors (name_key);

CREATE TABLE paper_authors (
    paper_id  INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    -- 0-based order on the paper.
    position  INTEGER NOT NULL,
    PRIMARY KEY (paper_id, position)
);
CREATE INDEX paper_authors_author_idx ON paper_authors (author_id, paper_id);

CREATE TABLE keywords (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('arxiv', 'free')),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE paper_keywords (
    paper_id   INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    keyword_id INTEGER NOT NULL REFERENCES keywords (id) ON DELETE CASCADE,
    -- 0-based; the arXiv primary category is 0.
    position   INTEGER NOT NULL,
    PRIMARY KEY (paper_id, keyword_id)
);
CREATE INDEX paper_keywords_keyword_idx ON paper_keywords (keyword_id, paper_id);

CREATE TABLE summaries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    paper_id      INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    author_id     INTEGER NOT NULL REFERENCES users (id),
    body_markdown TEXT    NOT NULL,
    -- Rendered and sanitised when written; never rendered on read.
    body_html     TEXT    NOT NULL,
    excerpt       TEXT    NOT NULL,
    excerpt_html  TEXT    NOT NULL,
    anonymous     BOOLEAN NOT NULL DEFAULT 0,
    visibility    TEXT    NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'private')),
    share_token   TEXT UNIQUE,
    ups           INTEGER NOT NULL DEFAULT 0,
    downs         INTEGER NOT NULL DEFAULT 0,
    score         INTEGER NOT NULL DEFAULT 0,
    -- Stored rank values, recomputed on each vote (docs/ranking.md).
    hot           REAL    NOT NULL DEFAULT 0,
    rank          REAL    NOT NULL DEFAULT 0,
    comment_count INTEGER NOT NULL DEFAULT 0,
    hidden        BOOLEAN NOT NULL DEFAULT 0,
    deleted_at    TIMESTAMP,
    created_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    edited_at     TIMESTAMP,
    updated_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (paper_id, author_id)
);
CREATE INDEX summaries_paper_rank_idx ON summaries (paper_id, rank DESC, id DESC);
CREATE INDEX summaries_hot_idx ON summaries (hot DESC, id DESC);
CREATE INDEX summaries_created_idx ON summaries (created_at DESC, id DESC);
CREATE INDEX summaries_author_idx ON summaries (author_id, created_at);

CREATE TABLE summary_revisions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    summary_id    INTEGER NOT NULL REFERENCES summaries (id) ON DELETE CASCADE,
    editor_id     INTEGER NOT NULL REFERENCES users (id),
    body_markdown TEXT    NOT NULL,
    created_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX summary_revisions_summary_idx ON summary_revisions (summary_id, id);

CREATE TABLE votes (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    summary_id INTEGER NOT NULL REFERENCES summaries (id) ON DELETE CASCADE,
    value      INTEGER NOT NULL CHECK (value IN (-1, 1)),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (user_id, summary_id)
);
CREATE INDEX votes_summary_idx ON votes (summary_id);

CREATE TABLE comments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    summary_id    INTEGER NOT NULL REFERENCES summaries (id) ON DELETE CASCADE,
    parent_id     INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    author_id     INTEGER NOT NULL REFERENCES users (id),
    body_markdown TEXT    NOT NULL,
    body_html     TEXT    NOT NULL,
    hidden        BOOLEAN NOT NULL DEFAULT 0,
    deleted_at    TIMESTAMP,
    created_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    edited_at     TIMESTAMP
);
CREATE INDEX comments_summary_idx ON comments (summary_id, id);
CREATE INDEX comments_parent_idx ON comments (parent_id);
