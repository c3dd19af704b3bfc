-- The summaries' full-text index holds the publicly visible summaries only (public, not hidden,
-- not deleted), kept so by the triggers. Search then ranks from the index alone: checking
-- visibility on each match read the summary's row past its Markdown and HTML, on overflow
-- pages, which made a common word cost seconds on 300k summaries (issue 11's benchmark).
DROP TRIGGER summaries_search_ai;
DROP TRIGGER summaries_search_au;
DROP TRIGGER summaries_search_ad;
CREATE TRIGGER summaries_search_ai AFTER INSERT ON summaries
WHEN new.visibility = 'public' AND new.hidden = FALSE AND new.deleted_at IS NULL BEGIN
    INSERT INTO summaries_fts (rowid, body_markdown) VALUES (new.id, new.body_markdown);
END;
CREATE TRIGGER summaries_search_au AFTER UPDATE OF body_markdown, visibility, hidden, deleted_at ON summaries BEGIN
    INSERT INTO summaries_fts (summaries_fts, rowid, body_markdown)
        SELECT 'delete', old.id, old.body_markdown
        WHERE old.visibility = 'public' AND old.hidden = FALSE AND old.deleted_at IS NULL;
    INSERT INTO summaries_fts (rowid, body_markdown)
        SELECT new.id, new.body_markdown
        WHERE new.visibility = 'public' AND new.hidden = FALSE AND new.deleted_at IS NULL;
END;
CREATE TRIGGER summaries_search_ad AFTER DELETE ON summaries
WHEN old.visibility = 'public' AND old.hidden = FALSE AND old.deleted_at IS NULL BEGIN
    INSERT INTO summaries_fts (summaries_fts, rowid, body_markdown) VALUES ('delete', old.id, old.body_markdown);
END;
INSERT INTO summaries_fts (summaries_fts) VALUES ('delete-all');
INSERT INTO summaries_fts (rowid, body_markdown)
    SELECT id, body_markdown FROM summaries
    WHERE visibility = 'public' AND hidden = FALSE AND deleted_at IS NULL;
