-- A user's comments on their profile, newest first (GET /users/{username}/comments).
CREATE INDEX comments_author_idx ON comments (author_id, created_at, id);
