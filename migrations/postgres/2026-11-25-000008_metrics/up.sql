-- Dashboard figures kept current in the same transaction as each write, so
-- that the metrics endpoints read a few thousand small rows instead of
-- scanning a million reports. One row per metric, day (or first day of the
-- month for monthly metrics), group, neighbourhood and dimension (category,
-- status, duration bucket, survey, ...). No row names a person.
CREATE TABLE metric_rollups (
    metric TEXT NOT NULL,
    day DATE NOT NULL,
    user_group TEXT NOT NULL DEFAULT '',
    neighbourhood_id INTEGER NOT NULL DEFAULT 0,
    dim TEXT NOT NULL DEFAULT '',
    n BIGINT NOT NULL,
    PRIMARY KEY (metric, day, user_group, neighbourhood_id, dim)
);

-- The reporter's group at filing time: statistics by group survive erasure.
ALTER TABLE reports ADD COLUMN reporter_group TEXT;
-- Overdue counts read only this index (status, deadline, then the filters).
CREATE INDEX reports_awaiting_due_idx ON reports (status, due_at, created_at, neighbourhood_id, reporter_group);
-- Survey audiences on the dashboard: participants per group and neighbourhood.
CREATE INDEX users_participants_idx ON users (role, active, user_group, neighbourhood_id);

-- What a participant did before (bit flags: 1 report, 2 survey answer,
-- 4 topic proposed or supported, 8 RSVP) and when they last acted: enough to
-- count each person once in the funnel and once per week as active.
ALTER TABLE user_activity ADD COLUMN last_action_at TIMESTAMP;
ALTER TABLE user_activity ADD COLUMN firsts INTEGER NOT NULL DEFAULT 0;

CREATE TABLE metric_targets (
    id SERIAL PRIMARY KEY,
    metric TEXT NOT NULL,
    user_group TEXT,
    neighbourhood_id INTEGER REFERENCES neighbourhoods (id),
    value DOUBLE PRECISION NOT NULL,
    due_on DATE NOT NULL,
    label TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX metric_targets_metric_idx ON metric_targets (metric);
