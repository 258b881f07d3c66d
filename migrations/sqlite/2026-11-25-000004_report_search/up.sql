-- Free-text search in report descriptions, backed by an index: an FTS5 trigram
-- index over reports.description (external content, kept current by triggers),
-- so a substring search of three or more characters does not scan the table.
CREATE VIRTUAL TABLE reports_fts USING fts5(
    description,
    content = 'reports',
    content_rowid = 'id',
    tokenize = 'trigram case_sensitive 0'
);

CREATE TRIGGER reports_fts_insert AFTER INSERT ON reports BEGIN
    INSERT INTO reports_fts (rowid, description) VALUES (new.id, new.description);
END;

CREATE TRIGGER reports_fts_delete AFTER DELETE ON reports BEGIN
    INSERT INTO reports_fts (reports_fts, rowid, description) VALUES ('delete', old.id, old.description);
END;

CREATE TRIGGER reports_fts_update AFTER UPDATE OF description ON reports BEGIN
    INSERT INTO reports_fts (reports_fts, rowid, description) VALUES ('delete', old.id, old.description);
    INSERT INTO reports_fts (rowid, description) VALUES (new.id, new.description);
END;

INSERT INTO reports_fts (reports_fts) VALUES ('rebuild');
