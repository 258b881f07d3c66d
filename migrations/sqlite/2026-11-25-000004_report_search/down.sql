DROP TRIGGER reports_fts_update;
DROP TRIGGER reports_fts_delete;
DROP TRIGGER reports_fts_insert;
DROP TABLE reports_fts;
