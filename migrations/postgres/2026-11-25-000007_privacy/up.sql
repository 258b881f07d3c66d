-- Privacy by design: an append-only audit log, consent records per privacy
-- statement version, retention periods, and account activity for the
-- inactive-account rule.

CREATE TABLE audit_log (
    id SERIAL PRIMARY KEY,
    -- NULL for the system (the purge) and once the actor's account is erased.
    actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor_role TEXT NOT NULL,
    action TEXT NOT NULL,
    subject_type TEXT,
    subject_id INTEGER,
    -- Counts and codes, never contents.
    detail TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_created_idx ON audit_log (created_at);
CREATE INDEX audit_log_action_idx ON audit_log (action, created_at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id);

CREATE TABLE consents (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    privacy_version TEXT NOT NULL,
    accepted_at TIMESTAMP NOT NULL
);
CREATE INDEX consents_user_idx ON consents (user_id);

CREATE TABLE retention_settings (
    kind TEXT PRIMARY KEY NOT NULL,
    days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 36500),
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO retention_settings (kind, days, updated_at) VALUES
    ('resolved_report_reporter', 365, CURRENT_TIMESTAMP),
    ('closed_report_reporter', 183, CURRENT_TIMESTAMP),
    ('report_photos', 365, CURRENT_TIMESTAMP),
    ('inactive_account', 730, CURRENT_TIMESTAMP),
    ('inactive_account_grace', 30, CURRENT_TIMESTAMP),
    ('outbox', 30, CURRENT_TIMESTAMP),
    ('audit_log', 1826, CURRENT_TIMESTAMP);

CREATE TABLE user_activity (
    user_id INTEGER PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_seen_at TIMESTAMP NOT NULL,
    warned_at TIMESTAMP
);
CREATE INDEX user_activity_seen_idx ON user_activity (last_seen_at);

-- Earlier consents, recorded at sign-up, become consent records.
INSERT INTO consents (user_id, privacy_version, accepted_at)
    SELECT id, privacy_version, privacy_accepted_at FROM users
    WHERE privacy_version IS NOT NULL AND privacy_accepted_at IS NOT NULL;
INSERT INTO user_activity (user_id, last_seen_at) SELECT id, updated_at FROM users;

CREATE INDEX reports_resolved_idx ON reports (resolved_at);
