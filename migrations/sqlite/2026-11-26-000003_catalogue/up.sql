-- The catalogue: who changed which paper how, and the best summary score for the "top" sort.

CREATE TABLE paper_changes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    paper_id   INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    user_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- created, imported or edited
    action     TEXT NOT NULL,
    -- JSON object: {"field": {"from": …, "to": …}, …}
    changes    TEXT NOT NULL DEFAULT '{}',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX paper_changes_paper_idx ON paper_changes (paper_id, id);

-- The score of the paper's best visible public summary (0 without summaries), kept with
-- summary_count and last_summary_at.
ALTER TABLE papers ADD COLUMN top_score INTEGER NOT NULL DEFAULT 0;
CREATE INDEX papers_top_score_idx ON papers (top_score, id);
