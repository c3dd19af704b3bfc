DROP VIEW papers_fts_source;
