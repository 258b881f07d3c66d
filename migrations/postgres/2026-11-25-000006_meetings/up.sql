-- Neighbourhood safety meetings: meetings with RSVPs, residents' topics with
-- supports and an event history, links from topics to reports, and follow-up
-- actions with public updates.

CREATE TABLE meetings (
    id SERIAL PRIMARY KEY,
    neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods (id),
    title TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    place TEXT NOT NULL,
    description TEXT NOT NULL,
    propose_until TIMESTAMP NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
    status TEXT NOT NULL CHECK (status IN ('planned', 'agenda_set', 'held', 'evaluated', 'cancelled')),
    minutes TEXT,
    evaluation_survey_id INTEGER REFERENCES surveys (id) ON DELETE SET NULL,
    copied_from INTEGER REFERENCES meetings (id) ON DELETE SET NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX meetings_neighbourhood_idx ON meetings (neighbourhood_id, starts_at);
CREATE INDEX meetings_starts_idx ON meetings (starts_at);

CREATE TABLE meeting_rsvps (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    going BOOLEAN NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
);
CREATE INDEX meeting_rsvps_user_idx ON meeting_rsvps (user_id);

CREATE TABLE topics (
    id SERIAL PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    -- NULL for topics a coordinator made from reports, and after erasure.
    proposer_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'on_agenda', 'discussed', 'follow_up', 'done', 'merged', 'declined')),
    merged_into INTEGER REFERENCES topics (id) ON DELETE SET NULL,
    public_reason TEXT,
    -- Kept equal to the rows in topic_supports, in the same transaction.
    support_count INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX topics_meeting_idx ON topics (meeting_id, support_count);
CREATE INDEX topics_proposer_idx ON topics (proposer_id);

CREATE TABLE topic_supports (
    topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (topic_id, user_id)
);
CREATE INDEX topic_supports_user_idx ON topic_supports (user_id);

CREATE TABLE topic_events (
    id SERIAL PRIMARY KEY,
    topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor_role TEXT NOT NULL,
    event TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX topic_events_topic_idx ON topic_events (topic_id, created_at);

CREATE TABLE topic_reports (
    topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    PRIMARY KEY (topic_id, report_id)
);

CREATE TABLE follow_up_actions (
    id SERIAL PRIMARY KEY,
    topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    description TEXT NOT NULL,
    owner TEXT NOT NULL CHECK (owner IN ('municipality', 'police', 'prosecutor', 'residents')),
    due_on DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done')),
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX follow_up_actions_topic_idx ON follow_up_actions (topic_id);
CREATE INDEX follow_up_actions_status_idx ON follow_up_actions (status, due_on);

CREATE TABLE action_updates (
    id SERIAL PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES follow_up_actions (id) ON DELETE CASCADE,
    actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor_role TEXT NOT NULL,
    status TEXT,
    note TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX action_updates_action_idx ON action_updates (action_id, created_at);

-- Notifications about topics as well as reports. No foreign key: SQLite cannot
-- drop a column that has one, and topics are never deleted on their own.
ALTER TABLE notifications ADD COLUMN topic_id INTEGER;
