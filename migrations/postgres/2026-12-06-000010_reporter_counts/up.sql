-- How many reports each reporter has, kept by the database itself, so that
-- "my reports" tells its total from one row instead of counting the
-- reporter's reports (a heap visit each until a vacuum has marked their pages
-- all-visible). A trigger keeps it exact through every way a report gains or
-- loses its reporter: filing, erasure, the retention purge and the account's
-- deletion (ON DELETE SET NULL is an UPDATE that fires it too).
CREATE TABLE reporter_report_counts (
    reporter_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    reports BIGINT NOT NULL CHECK (reports >= 0)
);

INSERT INTO reporter_report_counts (reporter_id, reports)
SELECT reporter_id, COUNT(*) FROM reports WHERE reporter_id IS NOT NULL GROUP BY reporter_id;

CREATE FUNCTION reports_count_reporter() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.reporter_id IS NOT DISTINCT FROM NEW.reporter_id THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.reporter_id IS NOT NULL THEN
        UPDATE reporter_report_counts SET reports = reports - 1
        WHERE reporter_id = OLD.reporter_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.reporter_id IS NOT NULL THEN
        INSERT INTO reporter_report_counts (reporter_id, reports) VALUES (NEW.reporter_id, 1)
        ON CONFLICT (reporter_id) DO UPDATE SET reports = reporter_report_counts.reports + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER reports_count_reporter
    AFTER INSERT OR DELETE OR UPDATE OF reporter_id ON reports
    FOR EACH ROW EXECUTE FUNCTION reports_count_reporter();
