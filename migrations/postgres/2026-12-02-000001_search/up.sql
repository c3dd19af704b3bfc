-- Full-text search (PostgreSQL). Papers are found by their title, authors, keywords, abstract,
-- venue and identifiers; summaries by their text. Weighted tsvectors (title A, authors B,
-- keywords/venue/identifiers C, abstract and summary text D) with GIN indexes, kept in step by
-- triggers, so any writer (the API, imports, the data generator, `shortscience import`) leaves
-- the index right. The english configuration stems: "discriminators" finds "discriminator".

CREATE TABLE papers_fts (
    paper_id BIGINT PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE,
    title    TEXT NOT NULL DEFAULT '',
    authors  TEXT NOT NULL DEFAULT '',
    keywords TEXT NOT NULL DEFAULT '',
    abstract TEXT NOT NULL DEFAULT '',
    venue    TEXT NOT NULL DEFAULT '',
    idents   TEXT NOT NULL DEFAULT '',
    document TSVECTOR NOT NULL DEFAULT ''::tsvector
);
CREATE INDEX papers_fts_document ON papers_fts USING GIN (document);

CREATE FUNCTION papers_fts_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.document :=
        setweight(to_tsvector('english', NEW.title), 'A') ||
        setweight(to_tsvector('english', NEW.authors), 'B') ||
        setweight(to_tsvector('english', NEW.keywords || ' ' || NEW.venue || ' ' || NEW.idents), 'C') ||
        setweight(to_tsvector('english', NEW.abstract), 'D');
    RETURN NEW;
END $$;
CREATE TRIGGER papers_fts_document BEFORE INSERT OR UPDATE ON papers_fts
    FOR EACH ROW EXECUTE FUNCTION papers_fts_document();

CREATE FUNCTION paper_search_authors(paper BIGINT) RETURNS TEXT LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(a.name, '; ' ORDER BY pa.position), '')
    FROM paper_authors pa JOIN authors a ON a.id = pa.author_id WHERE pa.paper_id = paper
$$;
CREATE FUNCTION paper_search_keywords(paper BIGINT) RETURNS TEXT LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(k.name, '; ' ORDER BY pk.position), '')
    FROM paper_keywords pk JOIN keywords k ON k.id = pk.keyword_id WHERE pk.paper_id = paper
$$;

INSERT INTO papers_fts (paper_id, title, authors, keywords, abstract, venue, idents)
SELECT p.id, p.title, paper_search_authors(p.id), paper_search_keywords(p.id),
       coalesce(p.abstract_text, ''),
       coalesce((SELECT v.name FROM venues v WHERE v.id = p.venue_id), ''),
       trim(coalesce(p.arxiv_id, '') || ' ' || coalesce(p.doi, ''))
FROM papers p;

CREATE FUNCTION papers_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO papers_fts (paper_id, title, abstract, venue, idents)
    VALUES (NEW.id, NEW.title, coalesce(NEW.abstract_text, ''),
            coalesce((SELECT name FROM venues WHERE id = NEW.venue_id), ''),
            trim(coalesce(NEW.arxiv_id, '') || ' ' || coalesce(NEW.doi, '')))
    ON CONFLICT (paper_id) DO UPDATE
    SET title = EXCLUDED.title, abstract = EXCLUDED.abstract, venue = EXCLUDED.venue,
        idents = EXCLUDED.idents;
    RETURN NULL;
END $$;
CREATE TRIGGER papers_search_sync AFTER INSERT OR UPDATE OF title, abstract_text, venue_id, arxiv_id, doi ON papers
    FOR EACH ROW EXECUTE FUNCTION papers_search_sync();

CREATE FUNCTION paper_authors_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE paper BIGINT := CASE WHEN TG_OP = 'DELETE' THEN OLD.paper_id ELSE NEW.paper_id END;
BEGIN
    UPDATE papers_fts SET authors = paper_search_authors(paper) WHERE paper_id = paper;
    RETURN NULL;
END $$;
CREATE TRIGGER paper_authors_search_sync AFTER INSERT OR DELETE ON paper_authors
    FOR EACH ROW EXECUTE FUNCTION paper_authors_search_sync();

CREATE FUNCTION paper_keywords_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE paper BIGINT := CASE WHEN TG_OP = 'DELETE' THEN OLD.paper_id ELSE NEW.paper_id END;
BEGIN
    UPDATE papers_fts SET keywords = paper_search_keywords(paper) WHERE paper_id = paper;
    RETURN NULL;
END $$;
CREATE TRIGGER paper_keywords_search_sync AFTER INSERT OR DELETE ON paper_keywords
    FOR EACH ROW EXECUTE FUNCTION paper_keywords_search_sync();

-- Summaries: which ones may be found (public, visible, not deleted) is decided when searching,
-- so visibility changes need no reindexing.
CREATE TABLE summaries_fts (
    summary_id BIGINT PRIMARY KEY REFERENCES summaries (id) ON DELETE CASCADE,
    document   TSVECTOR NOT NULL
);
CREATE INDEX summaries_fts_document ON summaries_fts USING GIN (document);
INSERT INTO summaries_fts (summary_id, document)
SELECT id, setweight(to_tsvector('english', body_markdown), 'D') FROM summaries;

CREATE FUNCTION summaries_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO summaries_fts (summary_id, document)
    VALUES (NEW.id, setweight(to_tsvector('english', NEW.body_markdown), 'D'))
    ON CONFLICT (summary_id) DO UPDATE SET document = EXCLUDED.document;
    RETURN NULL;
END $$;
CREATE TRIGGER summaries_search_sync AFTER INSERT OR UPDATE OF body_markdown ON summaries
    FOR EACH ROW EXECUTE FUNCTION summaries_search_sync();
