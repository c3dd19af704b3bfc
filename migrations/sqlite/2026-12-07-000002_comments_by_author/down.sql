DROP INDEX comments_author_idx;
