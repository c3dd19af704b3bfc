-- What the papers search index holds for each paper, in one place: the generator rebuilds the
-- index from it after a bulk load (ops/generate), instead of repeating these expressions.
CREATE VIEW papers_fts_source AS
SELECT p.id AS paper_id, p.title,
       paper_search_authors(p.id) AS authors,
       paper_search_keywords(p.id) AS keywords,
       coalesce(p.abstract_text, '') AS abstract,
       coalesce((SELECT v.name FROM venues v WHERE v.id = p.venue_id), '') AS venue,
       trim(coalesce(p.arxiv_id, '') || ' ' || coalesce(p.doi, '')) AS idents
FROM papers p;
