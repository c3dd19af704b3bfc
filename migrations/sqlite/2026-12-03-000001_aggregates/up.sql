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
    venue_id    INTEGER NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
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

CREATE TRIGGER papers_counts_ai AFTER INSERT ON papers BEGIN
    UPDATE venues SET paper_count = paper_count + 1, summary_count = summary_count + new.summary_count
    WHERE id = new.venue_id;
    INSERT INTO year_counts (year, paper_count) SELECT new.year, 1 WHERE new.year IS NOT NULL
    ON CONFLICT (year) DO UPDATE SET paper_count = paper_count + 1;
    INSERT INTO venue_year_counts (venue_id, year, paper_count)
    SELECT new.venue_id, new.year, 1 WHERE new.venue_id IS NOT NULL AND new.year IS NOT NULL
    ON CONFLICT (venue_id, year) DO UPDATE SET paper_count = paper_count + 1;
END;

CREATE TRIGGER papers_counts_ad AFTER DELETE ON papers BEGIN
    UPDATE venues SET paper_count = paper_count - 1, summary_count = summary_count - old.summary_count
    WHERE id = old.venue_id;
    UPDATE year_counts SET paper_count = paper_count - 1 WHERE year = old.year;
    UPDATE venue_year_counts SET paper_count = paper_count - 1
    WHERE venue_id = old.venue_id AND year = old.year;
END;

CREATE TRIGGER papers_counts_au AFTER UPDATE OF venue_id, year, summary_count ON papers
WHEN old.venue_id IS NOT new.venue_id OR old.year IS NOT new.year
     OR old.summary_count <> new.summary_count
BEGIN
    UPDATE venues SET paper_count = paper_count - 1, summary_count = summary_count - old.summary_count
    WHERE id = old.venue_id;
    UPDATE venues SET paper_count = paper_count + 1, summary_count = summary_count + new.summary_count
    WHERE id = new.venue_id;
    UPDATE year_counts SET paper_count = paper_count - 1 WHERE year = old.year;
    INSERT INTO year_counts (year, paper_count) SELECT new.year, 1 WHERE new.year IS NOT NULL
    ON CONFLICT (year) DO UPDATE SET paper_count = paper_count + 1;
    UPDATE venue_year_counts SET paper_count = paper_count - 1
    WHERE venue_id = old.venue_id AND year = old.year;
    INSERT INTO venue_year_counts (venue_id, year, paper_count)
    SELECT new.venue_id, new.year, 1 WHERE new.venue_id IS NOT NULL AND new.year IS NOT NULL
    ON CONFLICT (venue_id, year) DO UPDATE SET paper_count = paper_count + 1;
END;

CREATE TRIGGER paper_keywords_counts_ai AFTER INSERT ON paper_keywords BEGIN
    UPDATE keywords SET paper_count = paper_count + 1 WHERE id = new.keyword_id;
END;

CREATE TRIGGER paper_keywords_counts_ad AFTER DELETE ON paper_keywords BEGIN
    UPDATE keywords SET paper_count = paper_count - 1 WHERE id = old.keyword_id;
END;
