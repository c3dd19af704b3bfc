CREATE INDEX summaries_hot_idx ON summaries (hot DESC, id DESC);
CREATE INDEX summaries_score_idx ON summaries (score DESC, id DESC);
