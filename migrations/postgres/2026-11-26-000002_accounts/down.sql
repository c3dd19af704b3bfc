DROP TABLE moderation_log;
DROP TABLE server_secrets;
DROP TABLE api_tokens;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
