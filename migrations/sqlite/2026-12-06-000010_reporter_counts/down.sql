DROP TRIGGER reports_count_update;
DROP TRIGGER reports_count_delete;
DROP TRIGGER reports_count_insert;
DROP TABLE reporter_report_counts;
