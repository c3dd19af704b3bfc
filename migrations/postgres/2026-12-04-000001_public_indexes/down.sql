DROP INDEX papers_venue_id_idx;
DROP INDEX papers_recent_idx;
DROP INDEX summaries_public_author_idx;
DROP INDEX summaries_public_top_idx;
DROP INDEX summaries_public_new_idx;
DROP INDEX summaries_public_hot_idx;
