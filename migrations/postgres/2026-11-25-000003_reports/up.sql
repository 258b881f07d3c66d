-- Reports (meldingen): categories, the reports, their event history, photos,
-- and in-app notifications to reporters.

CREATE TABLE report_categories (
    id SERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('nuisance', 'burglary')),
    name_nl TEXT NOT NULL,
    name_en TEXT NOT NULL,
    triage_days INTEGER NOT NULL CHECK (triage_days BETWEEN 0 AND 60),
    police_by_default BOOLEAN NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    position INTEGER NOT NULL
);

INSERT INTO report_categories (code, kind, name_nl, name_en, triage_days, police_by_default, position) VALUES
    ('noise', 'nuisance', 'Geluidsoverlast', 'Noise', 3, FALSE, 1),
    ('party', 'nuisance', 'Feest of huisfeest', 'Party', 2, FALSE, 2),
    ('litter', 'nuisance', 'Afval en zwerfvuil', 'Litter', 5, FALSE, 3),
    ('vandalism', 'nuisance', 'Vernieling', 'Vandalism', 3, FALSE, 4),
    ('drug_dealing', 'nuisance', 'Drugshandel', 'Drug dealing', 2, TRUE, 5),
    ('intimidation', 'nuisance', 'Intimidatie', 'Intimidation', 2, TRUE, 6),
    ('bicycle_nuisance', 'nuisance', 'Fietsoverlast', 'Bicycle nuisance', 5, FALSE, 7),
    ('other_nuisance', 'nuisance', 'Andere overlast', 'Other nuisance', 5, FALSE, 8),
    ('home', 'burglary', 'Inbraak in woning', 'Home burglary', 1, TRUE, 9),
    ('shed_garage', 'burglary', 'Inbraak in schuur of garage', 'Shed or garage burglary', 2, TRUE, 10),
    ('car', 'burglary', 'Auto-inbraak', 'Car break-in', 2, TRUE, 11),
    ('bicycle_theft', 'burglary', 'Fietsdiefstal', 'Bicycle theft', 3, TRUE, 12),
    ('attempted', 'burglary', 'Poging tot inbraak', 'Attempted burglary', 2, TRUE, 13);

CREATE TABLE reports (
    id SERIAL PRIMARY KEY,
    -- NULL once the reporter's account is erased; the report stays for statistics.
    reporter_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    category_id INTEGER NOT NULL REFERENCES report_categories (id),
    kind TEXT NOT NULL CHECK (kind IN ('nuisance', 'burglary')),
    neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods (id),
    description TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    address TEXT,
    anonymous_to_partners BOOLEAN NOT NULL,
    contact_ok BOOLEAN NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'triaged', 'forwarded', 'resolved', 'rejected', 'closed', 'reopened')),
    due_at TIMESTAMP NOT NULL,
    forwarded_at TIMESTAMP,
    police_handled_at TIMESTAMP,
    resolved_at TIMESTAMP,
    satisfied BOOLEAN,
    feedback TEXT,
    feedback_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX reports_reporter_idx ON reports (reporter_id, created_at);
CREATE INDEX reports_status_idx ON reports (status, created_at);
CREATE INDEX reports_kind_idx ON reports (kind, created_at);
CREATE INDEX reports_category_idx ON reports (category_id, created_at);
CREATE INDEX reports_neighbourhood_idx ON reports (neighbourhood_id, created_at);
CREATE INDEX reports_created_idx ON reports (created_at);
CREATE INDEX reports_due_idx ON reports (due_at);

-- Everything that happened to a report: transitions, notes, feedback, reopening.
CREATE TABLE report_events (
    id SERIAL PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor_role TEXT NOT NULL,
    event TEXT NOT NULL CHECK (event IN ('created', 'transition', 'partner_note', 'police_handled', 'feedback', 'reopened')),
    from_status TEXT,
    to_status TEXT,
    public_note TEXT,
    internal_note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX report_events_report_idx ON report_events (report_id, created_at);

CREATE TABLE report_photos (
    id SERIAL PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    storage_key TEXT NOT NULL UNIQUE,
    content_type TEXT NOT NULL,
    byte_size INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX report_photos_report_idx ON report_photos (report_id);

CREATE TABLE notifications (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    report_id INTEGER REFERENCES reports (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    status TEXT,
    public_note TEXT,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at);

-- Keys for Open311 clients that may file reports (POST requests.json).
CREATE TABLE api_keys (
    id SERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
