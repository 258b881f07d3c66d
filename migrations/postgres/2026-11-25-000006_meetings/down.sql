ALTER TABLE notifications DROP COLUMN topic_id;
DROP TABLE action_updates;
DROP TABLE follow_up_actions;
DROP TABLE topic_reports;
DROP TABLE topic_events;
DROP TABLE topic_supports;
DROP TABLE topics;
DROP TABLE meeting_rsvps;
DROP TABLE meetings;
