-- Accounts, sessions and the tokens that go with them.
-- Times are UTC without zone. Ids are 32-bit: ample for a municipality.

CREATE TABLE neighbourhoods (
    id SERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    active BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE users (
    id SERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('participant', 'coordinator', 'partner', 'admin')),
    user_group TEXT CHECK (user_group IN ('student', 'resident')),
    neighbourhood_id INTEGER REFERENCES neighbourhoods (id),
    language TEXT NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
    email_verified_at TIMESTAMP,
    -- Only the institution's domain is kept, not the institution address.
    student_verified_at TIMESTAMP,
    student_domain TEXT,
    privacy_version TEXT,
    privacy_accepted_at TIMESTAMP,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX users_role_created_idx ON users (role, created_at);
CREATE INDEX users_created_idx ON users (created_at);
CREATE INDEX users_neighbourhood_idx ON users (neighbourhood_id);

-- Refresh tokens, stored as SHA-256 hashes. A family is one login session:
-- every rotation adds a token to it; reuse of a spent token revokes it whole.
CREATE TABLE refresh_tokens (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at);

-- Single-use tokens sent by email: verify_email, verify_student, reset_password.
CREATE TABLE email_tokens (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'verify_student', 'reset_password')),
    token_hash TEXT NOT NULL UNIQUE,
    detail TEXT,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX email_tokens_user_purpose_idx ON email_tokens (user_id, purpose);

-- Every outgoing mail; the record of what was sent when no SMTP is configured.
CREATE TABLE outbox (
    id SERIAL PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('logged', 'queued', 'sent', 'failed')),
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_recipient_idx ON outbox (recipient, created_at);
CREATE INDEX outbox_created_idx ON outbox (created_at);

-- Fixed-window counters for rate limits, shared by every server instance.
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY NOT NULL,
    window_start TIMESTAMP NOT NULL,
    count INTEGER NOT NULL
);
CREATE INDEX rate_limits_window_idx ON rate_limits (window_start);
