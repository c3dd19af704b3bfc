DROP TRIGGER summaries_search_ai;
DROP TRIGGER summaries_search_au;
DROP TRIGGER summaries_search_ad;
CREATE TRIGGER summaries_search_ai AFTER INSERT ON summaries BEGIN
    INSERT INTO summaries_fts (rowid, body_markdown) VALUES (new.id, new.body_markdown);
END;
CREATE TRIGGER summaries_search_au AFTER UPDATE OF body_markdown ON summaries BEGIN
    INSERT INTO summaries_fts (summaries_fts, rowid, body_markdown) VALUES ('delete', old.id, old.body_markdown);
    INSERT INTO summaries_fts (rowid, body_markdown) VALUES (new.id, new.body_markdown);
END;
CREATE TRIGGER summaries_search_ad AFTER DELETE ON summaries BEGIN
    INSERT INTO summaries_fts (summaries_fts, rowid, body_markdown) VALUES ('delete', old.id, old.body_markdown);
END;
INSERT INTO summaries_fts (summaries_fts) VALUES ('rebuild');
