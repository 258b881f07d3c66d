DROP TABLE api_keys;
DROP TABLE notifications;
DROP TABLE report_photos;
DROP TABLE report_events;
DROP TABLE reports;
DROP TABLE report_categories;
