-- Covering partial indexes over the publicly visible summaries (the predicate is word for word
-- db::models::summaries::PUBLICLY_VISIBLE_SQL). A summary's row carries its Markdown and HTML,
-- kilobytes that spill to overflow pages; with these, the feeds' sort keys and the site totals
-- are read from the index alone. The predicate's own columns are in the indexes too: SQLite counts
-- an index as covering only when it holds every column the query names, WHERE included.
CREATE INDEX summaries_public_hot_idx ON summaries (hot DESC, id DESC, score, created_at, visibility, hidden, deleted_at)
    WHERE (visibility = 'public' AND hidden = FALSE AND deleted_at IS NULL);
CREATE INDEX summaries_public_new_idx ON summaries (created_at DESC, id DESC, hot, score, visibility, hidden, deleted_at)
    WHERE (visibility = 'public' AND hidden = FALSE AND deleted_at IS NULL);
CREATE INDEX summaries_public_top_idx ON summaries (score DESC, id DESC, hot, created_at, visibility, hidden, deleted_at)
    WHERE (visibility = 'public' AND hidden = FALSE AND deleted_at IS NULL);
CREATE INDEX summaries_public_author_idx ON summaries (author_id, visibility, hidden, deleted_at)
    WHERE (visibility = 'public' AND hidden = FALSE AND deleted_at IS NULL);
-- (PostgreSQL only: papers_recent_idx.)
-- A venue's papers newest first, without sorting all of them (arXiv alone holds a fifth of the
-- catalogue in the benchmark's data set; papers_venue_year_idx orders by year first).
CREATE INDEX papers_venue_id_idx ON papers (venue_id, id);
