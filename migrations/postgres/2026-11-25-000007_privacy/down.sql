DROP INDEX reports_resolved_idx;
DROP TABLE user_activity;
DROP TABLE retention_settings;
DROP TABLE consents;
DROP TABLE audit_log;
