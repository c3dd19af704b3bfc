DROP TABLE author_claims;
DROP TABLE flags;
