DROP TABLE metric_targets;
ALTER TABLE user_activity DROP COLUMN firsts;
ALTER TABLE user_activity DROP COLUMN last_action_at;
DROP INDEX users_participants_idx;
DROP INDEX reports_awaiting_due_idx;
ALTER TABLE reports DROP COLUMN reporter_group;
DROP TABLE metric_rollups;
