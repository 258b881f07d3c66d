-- Free-text search in report descriptions, backed by an index: a trigram GIN
-- index on lower(description) serves `lower(description) LIKE '%term%'` for
-- terms of three or more characters. pg_trgm is a trusted extension (PG 13+),
-- so the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX reports_description_trgm_idx ON reports USING gin (lower(description) gin_trgm_ops);
