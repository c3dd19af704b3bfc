-- SQLite only: its summaries' full-text index now holds visible summaries only. PostgreSQL's
-- summaries_fts keeps every summary (TOAST keeps the bodies out of the row, so the visibility
-- check costs no body reads there).
SELECT 1;
