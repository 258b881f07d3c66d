DROP INDEX users_audience_idx;
DROP TABLE survey_answers;
DROP TABLE survey_responses;
DROP TABLE survey_questions;
DROP TABLE survey_neighbourhoods;
DROP TABLE surveys;
