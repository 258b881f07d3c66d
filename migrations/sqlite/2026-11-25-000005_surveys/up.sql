-- Pilot surveys: the survey and its audience, ordered questions, and the
-- responses with one row per answered question.

CREATE TABLE surveys (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    title_nl TEXT NOT NULL,
    title_en TEXT NOT NULL,
    intro_nl TEXT NOT NULL,
    intro_en TEXT NOT NULL,
    -- Comma-separated target groups: 'student', 'resident' or both.
    audience_groups TEXT NOT NULL,
    opens_at TIMESTAMP NOT NULL,
    closes_at TIMESTAMP NOT NULL,
    anonymous BOOLEAN NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'closed')),
    -- The earlier survey this one is compared with (before/after).
    baseline_id INTEGER REFERENCES surveys (id) ON DELETE SET NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    closed_at TIMESTAMP
);
CREATE INDEX surveys_status_idx ON surveys (status, closes_at);

-- No rows: open to the audience groups in every neighbourhood.
CREATE TABLE survey_neighbourhoods (
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods (id),
    PRIMARY KEY (survey_id, neighbourhood_id)
);

CREATE TABLE survey_questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    -- Identity across copies: a follow-up survey's question with the same key
    -- is compared with the baseline's.
    question_key TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('single_choice', 'multiple_choice', 'likert', 'free_text', 'number')),
    text_nl TEXT NOT NULL,
    text_en TEXT NOT NULL,
    required BOOLEAN NOT NULL,
    -- The kind's settings (choices, limits, scale labels) as JSON.
    config TEXT NOT NULL,
    UNIQUE (survey_id, question_key)
);
CREATE INDEX survey_questions_survey_idx ON survey_questions (survey_id, position);

CREATE TABLE survey_responses (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    -- Only for surveys that are not anonymous; NULL after account erasure.
    respondent_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- Keyed hash of survey and account: enforces "once" without a readable link.
    respondent_key TEXT NOT NULL,
    -- The group and neighbourhood at the time of answering, for breakdowns.
    user_group TEXT,
    neighbourhood_id INTEGER REFERENCES neighbourhoods (id),
    -- Anonymous responses keep only the day, so timing cannot link them to a person.
    submitted_at TIMESTAMP NOT NULL,
    UNIQUE (survey_id, respondent_key)
);
CREATE INDEX survey_responses_respondent_idx ON survey_responses (respondent_id);

CREATE TABLE survey_answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    response_id INTEGER NOT NULL REFERENCES survey_responses (id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES survey_questions (id) ON DELETE CASCADE,
    -- Chosen option indices, comma-separated (choice questions).
    choices TEXT,
    -- Likert point or number.
    number DOUBLE,
    text TEXT
);
CREATE INDEX survey_answers_response_idx ON survey_answers (response_id);
CREATE INDEX survey_answers_question_idx ON survey_answers (question_id);

-- Counting the eligible audience of a survey (response rates).
CREATE INDEX users_audience_idx ON users (role, user_group, neighbourhood_id);
