-- What the papers search index holds for each paper, in one place: the generator rebuilds the
-- index from it after a bulk load (ops/generate), instead of repeating these expressions.
CREATE VIEW papers_fts_source AS
SELECT p.id AS paper_id, p.title,
       coalesce((SELECT group_concat(a.name, '; ') FROM paper_authors pa JOIN authors a ON a.id = pa.author_id WHERE pa.paper_id = p.id), '') AS authors,
       coalesce((SELECT group_concat(k.name, '; ') FROM paper_keywords pk JOIN keywords k ON k.id = pk.keyword_id WHERE pk.paper_id = p.id), '') AS keywords,
       coalesce(p.abstract_text, '') AS abstract,
       coalesce((SELECT v.name FROM venues v WHERE v.id = p.venue_id), '') AS venue,
       trim(coalesce(p.arxiv_id, '') || ' ' || coalesce(p.doi, '')) AS idents
FROM papers p;
