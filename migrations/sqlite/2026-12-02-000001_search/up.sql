-- Full-text search (SQLite FTS5). Papers are found by their title, authors, keywords, abstract,
-- venue and identifiers; summaries by their text. Everything is kept in step by triggers, so any
-- writer (the API, imports, the data generator, `shortscience import`) leaves the index right.
-- Porter stemming over unicode61 tokens: "discriminators" finds "discriminator".

-- One row of searchable text per paper (the FTS index's external content).
CREATE TABLE papers_fts_content (
    paper_id INTEGER PRIMARY KEY,
    title    TEXT NOT NULL DEFAULT '',
    authors  TEXT NOT NULL DEFAULT '',
    keywords TEXT NOT NULL DEFAULT '',
    abstract TEXT NOT NULL DEFAULT '',
    venue    TEXT NOT NULL DEFAULT '',
    idents   TEXT NOT NULL DEFAULT ''
);

CREATE VIRTUAL TABLE papers_fts USING fts5(
    title, authors, keywords, abstract, venue, idents,
    content = 'papers_fts_content', content_rowid = 'paper_id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER papers_fts_content_ai AFTER INSERT ON papers_fts_content BEGIN
    INSERT INTO papers_fts (rowid, title, authors, keywords, abstract, venue, idents)
    VALUES (new.paper_id, new.title, new.authors, new.keywords, new.abstract, new.venue, new.idents);
END;
CREATE TRIGGER papers_fts_content_ad AFTER DELETE ON papers_fts_content BEGIN
    INSERT INTO papers_fts (papers_fts, rowid, title, authors, keywords, abstract, venue, idents)
    VALUES ('delete', old.paper_id, old.title, old.authors, old.keywords, old.abstract, old.venue, old.idents);
END;
CREATE TRIGGER papers_fts_content_au AFTER UPDATE ON papers_fts_content BEGIN
    INSERT INTO papers_fts (papers_fts, rowid, title, authors, keywords, abstract, venue, idents)
    VALUES ('delete', old.paper_id, old.title, old.authors, old.keywords, old.abstract, old.venue, old.idents);
    INSERT INTO papers_fts (rowid, title, authors, keywords, abstract, venue, idents)
    VALUES (new.paper_id, new.title, new.authors, new.keywords, new.abstract, new.venue, new.idents);
END;

-- What is there already.
INSERT INTO papers_fts_content (paper_id, title, authors, keywords, abstract, venue, idents)
SELECT p.id, p.title,
       coalesce((SELECT group_concat(a.name, '; ') FROM paper_authors pa JOIN authors a ON a.id = pa.author_id WHERE pa.paper_id = p.id), ''),
       coalesce((SELECT group_concat(k.name, '; ') FROM paper_keywords pk JOIN keywords k ON k.id = pk.keyword_id WHERE pk.paper_id = p.id), ''),
       coalesce(p.abstract_text, ''),
       coalesce((SELECT v.name FROM venues v WHERE v.id = p.venue_id), ''),
       trim(coalesce(p.arxiv_id, '') || ' ' || coalesce(p.doi, ''))
FROM papers p;

-- The content follows the catalogue.
CREATE TRIGGER papers_search_ai AFTER INSERT ON papers BEGIN
    INSERT INTO papers_fts_content (paper_id, title, abstract, venue, idents)
    VALUES (new.id, new.title, coalesce(new.abstract_text, ''),
            coalesce((SELECT name FROM venues WHERE id = new.venue_id), ''),
            trim(coalesce(new.arxiv_id, '') || ' ' || coalesce(new.doi, '')));
END;
CREATE TRIGGER papers_search_au AFTER UPDATE OF title, abstract_text, venue_id, arxiv_id, doi ON papers BEGIN
    UPDATE papers_fts_content
    SET title = new.title,
        abstract = coalesce(new.abstract_text, ''),
        venue = coalesce((SELECT name FROM venues WHERE id = new.venue_id), ''),
        idents = trim(coalesce(new.arxiv_id, '') || ' ' || coalesce(new.doi, ''))
    WHERE paper_id = new.id;
END;
CREATE TRIGGER papers_search_ad AFTER DELETE ON papers BEGIN
    DELETE FROM papers_fts_content WHERE paper_id = old.id;
END;
CREATE TRIGGER paper_authors_search_ai AFTER INSERT ON paper_authors BEGIN
    UPDATE papers_fts_content
    SET authors = coalesce((SELECT group_concat(a.name, '; ') FROM paper_authors pa JOIN authors a ON a.id = pa.author_id WHERE pa.paper_id = new.paper_id), '')
    WHERE paper_id = new.paper_id;
END;
CREATE TRIGGER paper_authors_search_ad AFTER DELETE ON paper_authors BEGIN
    UPDATE papers_fts_content
    SET authors = coalesce((SELECT group_concat(a.name, '; ') FROM paper_authors pa JOIN authors a ON a.id = pa.author_id WHERE pa.paper_id = old.paper_id), '')
    WHERE paper_id = old.paper_id;
END;
CREATE TRIGGER paper_keywords_search_ai AFTER INSERT ON paper_keywords BEGIN
    UPDATE papers_fts_content
    SET keywords = coalesce((SELECT group_concat(k.name, '; ') FROM paper_keywords pk JOIN keywords k ON k.id = pk.keyword_id WHERE pk.paper_id = new.paper_id), '')
    WHERE paper_id = new.paper_id;
END;
CREATE TRIGGER paper_keywords_search_ad AFTER DELETE ON paper_keywords BEGIN
    UPDATE papers_fts_content
    SET keywords = coalesce((SELECT group_concat(k.name, '; ') FROM paper_keywords pk JOIN keywords k ON k.id = pk.keyword_id WHERE pk.paper_id = old.paper_id), '')
    WHERE paper_id = old.paper_id;
END;

-- Summaries: the index reads their text from the summaries table itself. Which summaries may be
-- found (public, visible, not deleted) is decided when searching, so visibility changes need no
-- reindexing.
CREATE VIRTUAL TABLE summaries_fts USING fts5(
    body_markdown,
    content = 'summaries', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO summaries_fts (summaries_fts) VALUES ('rebuild');
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
