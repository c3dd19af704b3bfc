DROP INDEX papers_top_score_idx;
ALTER TABLE papers DROP COLUMN top_score;
DROP TABLE paper_changes;
