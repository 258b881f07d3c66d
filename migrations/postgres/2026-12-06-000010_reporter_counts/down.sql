DROP TRIGGER reports_count_reporter ON reports;
DROP FUNCTION reports_count_reporter();
DROP TABLE reporter_report_counts;
