-- Totals kept on write instead of computed per request: papers and public summaries per venue,
-- papers per year and per venue and year, papers per keyword. Triggers keep them in step with
-- every writer (the API, imports, `shortscience import`/`copy`, the data generator), inside the
-- writing transaction. Rows that fall to zero stay and are filtered when read.

ALTER TABLE venues ADD COLUMN paper_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE venues ADD COLUMN summary_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE keywords ADD COLUMN paper_count INTEGER NOT NULL DEFAULT 0;

CREATE TABLE year_counts (
    year        INTEGER PRIMARY KEY,
    paper_count INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE venue_year_counts (
    venue_id    BIGINT  NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    year        INTEGER NOT NULL,
    paper_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (venue_id, year)
);

UPDATE venues SET
    paper_count = (SELECT count(*) FROM papers WHERE papers.venue_id = venues.id),
    summary_count = (SELECT coalesce(sum(summary_count), 0) FROM papers WHERE papers.venue_id = venues.id);
UPDATE keywords SET
    paper_count = (SELECT count(*) FROM paper_keywords WHERE paper_keywords.keyword_id = keywords.id);
INSERT INTO year_counts (year, paper_count)
    SELECT year, count(*) FROM papers WHERE year IS NOT NULL GROUP BY year;
INSERT INTO venue_year_counts (venue_id, year, paper_count)
    SELECT venue_id, year, count(*) FROM papers
    WHERE venue_id IS NOT NULL AND year IS NOT NULL GROUP BY venue_id, year;

-- Lists read these in their order, through these indexes.
CREATE INDEX venues_listed_idx ON venues (name, id) WHERE paper_count > 0;
CREATE INDEX keywords_popular_idx ON keywords (paper_count DESC, slug) WHERE paper_count > 0;
-- The all-time "top" feed walks summaries by score.
CREATE INDEX summaries_score_idx ON summaries (score DESC, id DESC);
-- A paper's newest visible summary (paper lists show it).
CREATE INDEX summaries_paper_created_idx ON summaries (paper_id, created_at DESC, id DESC);

CREATE FUNCTION paper_counts_add(venue BIGINT, yr INTEGER, papers INTEGER, summaries INTEGER)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF venue IS NOT NULL THEN
        UPDATE venues SET paper_count = paper_count + papers, summary_count = summary_count + summaries
        WHERE id = venue;
    END IF;
    IF yr IS NOT NULL AND papers <> 0 THEN
        INSERT INTO year_counts (year, paper_count) VALUES (yr, papers)
        ON CONFLICT (year) DO UPDATE SET paper_count = year_counts.paper_count + papers;
        IF venue IS NOT NULL THEN
            INSERT INTO venue_year_counts (venue_id, year, paper_count) VALUES (venue, yr, papers)
            ON CONFLICT (venue_id, year)
            DO UPDATE SET paper_count = venue_year_counts.paper_count + papers;
        END IF;
    END IF;
END $$;

CREATE FUNCTION papers_counts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM paper_counts_add(OLD.venue_id, OLD.year, -1, -OLD.summary_count);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM paper_counts_add(NEW.venue_id, NEW.year, 1, NEW.summary_count);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER papers_counts_insert_delete AFTER INSERT OR DELETE ON papers
    FOR EACH ROW EXECUTE FUNCTION papers_counts_sync();
CREATE TRIGGER papers_counts_update AFTER UPDATE OF venue_id, year, summary_count ON papers
    FOR EACH ROW
    WHEN (OLD.venue_id IS DISTINCT FROM NEW.venue_id OR OLD.year IS DISTINCT FROM NEW.year
          OR OLD.summary_count <> NEW.summary_count)
    EXECUTE FUNCTION papers_counts_sync();

CREATE FUNCTION paper_keywords_counts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE keywords SET paper_count = paper_count + 1 WHERE id = NEW.keyword_id;
    ELSE
        UPDATE keywords SET paper_count = paper_count - 1 WHERE id = OLD.keyword_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER paper_keywords_counts_sync AFTER INSERT OR DELETE ON paper_keywords
    FOR EACH ROW EXECUTE FUNCTION paper_keywords_counts_sync();
