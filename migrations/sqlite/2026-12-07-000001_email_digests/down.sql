DROP INDEX users_email_digest_idx;
ALTER TABLE users DROP COLUMN digest_sent_at;
ALTER TABLE users DROP COLUMN digest_notification_id;
ALTER TABLE users DROP COLUMN email_digest;
