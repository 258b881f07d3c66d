-- How many reports each reporter has, kept by the database itself, so that
-- "my reports" tells its total from one row instead of counting the
-- reporter's reports. Triggers keep it exact through every way a report gains
-- or loses its reporter: filing, erasure, the retention purge and the
-- account's deletion (ON DELETE SET NULL is an UPDATE that fires them too).
CREATE TABLE reporter_report_counts (
    reporter_id INTEGER PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reports BIGINT NOT NULL CHECK (reports >= 0)
);

INSERT INTO reporter_report_counts (reporter_id, reports)
SELECT reporter_id, COUNT(*) FROM reports WHERE reporter_id IS NOT NULL GROUP BY reporter_id;

CREATE TRIGGER reports_count_insert AFTER INSERT ON reports
WHEN new.reporter_id IS NOT NULL BEGIN
    INSERT INTO reporter_report_counts (reporter_id, reports) VALUES (new.reporter_id, 1)
    ON CONFLICT (reporter_id) DO UPDATE SET reports = reports + 1;
END;

CREATE TRIGGER reports_count_delete AFTER DELETE ON reports
WHEN old.reporter_id IS NOT NULL BEGIN
    UPDATE reporter_report_counts SET reports = reports - 1 WHERE reporter_id = old.reporter_id;
END;

CREATE TRIGGER reports_count_update AFTER UPDATE OF reporter_id ON reports
WHEN old.reporter_id IS NOT new.reporter_id BEGIN
    UPDATE reporter_report_counts SET reports = reports - 1 WHERE reporter_id = old.reporter_id;
    INSERT INTO reporter_report_counts (reporter_id, reports)
    SELECT new.reporter_id, 1 WHERE new.reporter_id IS NOT NULL
    ON CONFLICT (reporter_id) DO UPDATE SET reports = reports + 1;
END;
