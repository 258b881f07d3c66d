-- Neighbourhood prevention teams (members, leads, patrols, patrol log) and
-- outreach campaigns with first-touch attribution of sign-ups.

CREATE TABLE teams (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods (id),
    name TEXT NOT NULL,
    area TEXT NOT NULL,
    contact TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'declined')),
    decision_reason TEXT,
    proposer_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decided_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX teams_neighbourhood_idx ON teams (neighbourhood_id, status);
CREATE INDEX teams_status_idx ON teams (status, created_at);
CREATE INDEX teams_proposer_idx ON teams (proposer_id);

-- A request to join is a row with status 'requested'; a declined request or
-- a member who leaves is deleted.
CREATE TABLE team_members (
    team_id INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('requested', 'active')),
    lead BOOLEAN NOT NULL DEFAULT FALSE,
    requested_at TIMESTAMP NOT NULL,
    joined_at TIMESTAMP,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user_idx ON team_members (user_id, status);

CREATE TABLE patrols (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    team_id INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    starts_at TIMESTAMP NOT NULL,
    meeting_point TEXT NOT NULL,
    route TEXT NOT NULL,
    min_members INTEGER NOT NULL CHECK (min_members BETWEEN 1 AND 50),
    max_members INTEGER NOT NULL CHECK (max_members BETWEEN 1 AND 50),
    signup_count INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX patrols_team_idx ON patrols (team_id, starts_at);

CREATE TABLE patrol_signups (
    patrol_id INTEGER NOT NULL REFERENCES patrols (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (patrol_id, user_id)
);
CREATE INDEX patrol_signups_user_idx ON patrol_signups (user_id);

CREATE TABLE observations (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    patrol_id INTEGER NOT NULL REFERENCES patrols (id) ON DELETE CASCADE,
    -- NULL after the observer's account was erased.
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    what TEXT NOT NULL,
    place TEXT NOT NULL,
    observed_at TIMESTAMP NOT NULL,
    report_id INTEGER REFERENCES reports (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX observations_patrol_idx ON observations (patrol_id, observed_at);
CREATE INDEX observations_user_idx ON observations (user_id);

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    target_group TEXT NOT NULL CHECK (target_group IN ('resident', 'student', 'all')),
    channel TEXT NOT NULL CHECK (channel IN ('qr_print', 'social_media', 'student_association', 'introduction_week', 'event', 'door_to_door', 'other')),
    neighbourhood_id INTEGER REFERENCES neighbourhoods (id),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    cost_cents BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX campaigns_starts_idx ON campaigns (starts_on);

-- First touch: the campaign whose link the person signed up through.
ALTER TABLE users ADD COLUMN campaign_id INTEGER REFERENCES campaigns (id) ON DELETE SET NULL;
CREATE INDEX users_campaign_idx ON users (campaign_id);
