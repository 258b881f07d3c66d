DROP TABLE rate_limits;
DROP TABLE outbox;
DROP TABLE email_tokens;
DROP TABLE refresh_tokens;
DROP TABLE users;
DROP TABLE neighbourhoods;
