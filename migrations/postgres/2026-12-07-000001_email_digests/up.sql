-- E-mail digests of unread notifications: each user's choice (off unless they opt in) and how
-- far the last digest went. A digest is claimed by moving digest_notification_id forward with a
-- compare-and-set, so that of several server processes exactly one sends it.
ALTER TABLE users ADD COLUMN email_digest TEXT NOT NULL DEFAULT 'off'
    CHECK (email_digest IN ('off', 'daily', 'weekly'));
-- The newest notification a digest has told of (0: none yet).
ALTER TABLE users ADD COLUMN digest_notification_id BIGINT NOT NULL DEFAULT 0;
-- When the last digest was claimed for sending (NULL: never).
ALTER TABLE users ADD COLUMN digest_sent_at TIMESTAMP;
-- The digest pass looks only at users who opted in.
CREATE INDEX users_email_digest_idx ON users (email_digest) WHERE email_digest <> 'off';
