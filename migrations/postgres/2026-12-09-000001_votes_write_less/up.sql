-- A vote rewrites its summary's hot, score and rank, and with them every index that holds one:
-- seven before this migration. These two are leftovers: the feeds read only publicly visible
-- summaries, through the partial indexes summaries_public_hot_idx and summaries_public_top_idx,
-- which begin with the same columns, and no query reads the full ones any more (the list
-- endpoints' query plans are checked in tests/api/performance.rs). Five are left.
DROP INDEX summaries_hot_idx;
DROP INDEX summaries_score_idx;
