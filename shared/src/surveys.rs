//! Pilot surveys: the survey, its questions, answers and results.
//!
//! Validation of a survey and of answers lives here so that the builder and the
//! answering form in the browser check exactly what the server checks.

use serde::{Deserialize, Serialize};

use crate::users::Group;
use crate::validation::validate_text;
use crate::FieldError;

pub const TITLE_MAX_CHARS: usize = 200;
pub const INTRO_MAX_CHARS: usize = 2000;
pub const QUESTION_MAX_CHARS: usize = 500;
pub const OPTION_MAX_CHARS: usize = 200;
pub const LABEL_MAX_CHARS: usize = 60;
pub const MAX_QUESTIONS: usize = 50;
pub const MAX_OPTIONS: usize = 20;
pub const FREE_TEXT_MAX_CHARS: u32 = 4000;
pub const KEY_MAX_CHARS: usize = 40;
/// Cells with fewer respondents than this are suppressed outside the coordinator role
/// and in every breakdown.
pub const SUPPRESS_BELOW: i64 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SurveyStatus {
    Draft,
    Published,
    Closed,
}

impl SurveyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SurveyStatus::Draft => "draft",
            SurveyStatus::Published => "published",
            SurveyStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<SurveyStatus> {
        [
            SurveyStatus::Draft,
            SurveyStatus::Published,
            SurveyStatus::Closed,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    SingleChoice,
    MultipleChoice,
    Likert,
    FreeText,
    Number,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 5] = [
        QuestionKind::SingleChoice,
        QuestionKind::MultipleChoice,
        QuestionKind::Likert,
        QuestionKind::FreeText,
        QuestionKind::Number,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::SingleChoice => "single_choice",
            QuestionKind::MultipleChoice => "multiple_choice",
            QuestionKind::Likert => "likert",
            QuestionKind::FreeText => "free_text",
            QuestionKind::Number => "number",
        }
    }

    pub fn parse(s: &str) -> Option<QuestionKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn has_options(self) -> bool {
        matches!(
            self,
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice
        )
    }
}

/// An answer option of a choice question, in both languages.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChoiceOption {
    pub nl: String,
    pub en: String,
}

/// The settings of a question; which fields apply depends on `kind`
/// (the others are ignored and not stored).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionSettings {
    /// Choice questions: 2 to 20 options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
    /// Multiple choice: how many options must be chosen at least and at most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_selections: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_selections: Option<u32>,
    /// Likert: 5 or 7 points, with labels for both ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_label: Option<ChoiceOption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_label: Option<ChoiceOption>,
    /// Free text: the longest answer (1 to 4000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// Number: the allowed range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionInput {
    /// Identity across copies (before/after comparison). Leave out for a new
    /// question; keep it when editing or copying.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub kind: QuestionKind,
    pub text_nl: String,
    pub text_en: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub settings: QuestionSettings,
}

/// `POST /api/surveys` and `PUT /api/surveys/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SurveyInput {
    pub title_nl: String,
    pub title_en: String,
    #[serde(default)]
    pub intro_nl: String,
    #[serde(default)]
    pub intro_en: String,
    /// Target groups (at least one).
    pub groups: Vec<Group>,
    /// Limit to these neighbourhoods; empty means all.
    #[serde(default)]
    pub neighbourhood_ids: Vec<i32>,
    pub opens_at: chrono::DateTime<chrono::Utc>,
    pub closes_at: chrono::DateTime<chrono::Utc>,
    #[serde(default)]
    pub anonymous: bool,
    /// An earlier survey to compare with (before/after).
    #[serde(default)]
    pub baseline_id: Option<i32>,
    #[serde(default)]
    pub questions: Vec<QuestionInput>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionDto {
    pub id: i32,
    pub position: i32,
    pub key: String,
    pub kind: QuestionKind,
    pub text_nl: String,
    pub text_en: String,
    pub required: bool,
    pub settings: QuestionSettings,
}

impl QuestionDto {
    pub fn to_input(&self) -> QuestionInput {
        QuestionInput {
            key: Some(self.key.clone()),
            kind: self.kind,
            text_nl: self.text_nl.clone(),
            text_en: self.text_en.clone(),
            required: self.required,
            settings: self.settings.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyDto {
    pub id: i32,
    pub title_nl: String,
    pub title_en: String,
    pub intro_nl: String,
    pub intro_en: String,
    pub groups: Vec<Group>,
    pub neighbourhood_ids: Vec<i32>,
    #[serde(with = "crate::utc")]
    pub opens_at: chrono::NaiveDateTime,
    #[serde(with = "crate::utc")]
    pub closes_at: chrono::NaiveDateTime,
    pub anonymous: bool,
    pub status: SurveyStatus,
    pub baseline_id: Option<i32>,
    /// Published and between opening and closing time.
    pub is_open: bool,
    pub questions: Vec<QuestionDto>,
    /// For participants: whether I answered already.
    pub answered: bool,
    /// For coordinators and partners: responses so far.
    pub respondents: Option<i64>,
}

impl SurveyDto {
    pub fn to_input(&self) -> SurveyInput {
        use chrono::TimeZone;
        SurveyInput {
            title_nl: self.title_nl.clone(),
            title_en: self.title_en.clone(),
            intro_nl: self.intro_nl.clone(),
            intro_en: self.intro_en.clone(),
            groups: self.groups.clone(),
            neighbourhood_ids: self.neighbourhood_ids.clone(),
            opens_at: chrono::Utc.from_utc_datetime(&self.opens_at),
            closes_at: chrono::Utc.from_utc_datetime(&self.closes_at),
            anonymous: self.anonymous,
            baseline_id: self.baseline_id,
            questions: self.questions.iter().map(QuestionDto::to_input).collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveySummary {
    pub id: i32,
    pub title_nl: String,
    pub title_en: String,
    pub status: SurveyStatus,
    #[serde(with = "crate::utc")]
    pub opens_at: chrono::NaiveDateTime,
    #[serde(with = "crate::utc")]
    pub closes_at: chrono::NaiveDateTime,
    pub anonymous: bool,
    pub groups: Vec<Group>,
    pub is_open: bool,
    pub question_count: i64,
    pub answered: bool,
    pub respondents: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyList {
    pub items: Vec<SurveySummary>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// `POST /api/surveys/{id}/copy`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CopyRequest {
    /// Make the source the new survey's baseline (a before/after pair).
    #[serde(default)]
    pub as_follow_up: bool,
}

/// One answer. Which field is used depends on the question: `choice`
/// (single choice, option index), `choices` (multiple choice), `value`
/// (Likert point 1..points, or a number), `text` (free text).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    pub question_id: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResponseInput {
    pub answers: Vec<AnswerInput>,
}

/// An answer as stored: the chosen option indices, a number, or text.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerValue {
    Choices(Vec<u32>),
    Number(f64),
    Text(String),
}

/// Where an answer error is reported: `answers.{question_id}`.
pub fn answer_field(question_id: i32) -> String {
    format!("answers.{question_id}")
}

impl QuestionDto {
    /// Checks one answer against this question. `Ok(None)`: not answered (and
    /// allowed to be left open).
    pub fn check_answer(
        &self,
        answer: Option<&AnswerInput>,
    ) -> Result<Option<AnswerValue>, FieldError> {
        let field = answer_field(self.id);
        let missing = || {
            if self.required {
                Err(FieldError::new(&field, "required", "Answer this question."))
            } else {
                Ok(None)
            }
        };
        let Some(a) = answer else {
            return missing();
        };
        let s = &self.settings;
        let options = s.options.len() as u32;
        match self.kind {
            QuestionKind::SingleChoice => match a.choice {
                None => missing(),
                Some(c) if c < options => Ok(Some(AnswerValue::Choices(vec![c]))),
                Some(_) => Err(FieldError::new(
                    &field,
                    "unknown_option",
                    "Choose one of the options.",
                )),
            },
            QuestionKind::MultipleChoice => {
                let mut chosen = a.choices.clone().unwrap_or_default();
                chosen.sort_unstable();
                chosen.dedup();
                if chosen.is_empty() {
                    return missing();
                }
                if chosen.iter().any(|c| *c >= options) {
                    return Err(FieldError::new(
                        &field,
                        "unknown_option",
                        "Choose from the options.",
                    ));
                }
                let min = s.min_selections.unwrap_or(0);
                let max = s.max_selections.unwrap_or(options);
                let n = chosen.len() as u32;
                if n < min {
                    return Err(FieldError::new(
                        &field,
                        "too_few",
                        format!("Choose at least {min}."),
                    ));
                }
                if n > max {
                    return Err(FieldError::new(
                        &field,
                        "too_many",
                        format!("Choose at most {max}."),
                    ));
                }
                Ok(Some(AnswerValue::Choices(chosen)))
            }
            QuestionKind::Likert => match a.value {
                None => missing(),
                Some(v) => {
                    let points = s.points.unwrap_or(5) as f64;
                    if v.fract() != 0.0 || !(1.0..=points).contains(&v) {
                        Err(FieldError::new(
                            &field,
                            "out_of_range",
                            format!("Choose a point from 1 to {points}."),
                        ))
                    } else {
                        Ok(Some(AnswerValue::Number(v)))
                    }
                }
            },
            QuestionKind::Number => match a.value {
                None => missing(),
                Some(v) if !v.is_finite() => {
                    Err(FieldError::new(&field, "not_a_number", "Fill in a number."))
                }
                Some(v) => {
                    let (min, max) = (s.min.unwrap_or(f64::MIN), s.max.unwrap_or(f64::MAX));
                    if v < min || v > max {
                        Err(FieldError::new(
                            &field,
                            "out_of_range",
                            format!(
                                "Fill in a number from {} to {}.",
                                fmt_num(min),
                                fmt_num(max)
                            ),
                        ))
                    } else {
                        Ok(Some(AnswerValue::Number(v)))
                    }
                }
            },
            QuestionKind::FreeText => {
                let text = a.text.as_deref().map(str::trim).unwrap_or("");
                if text.is_empty() {
                    return missing();
                }
                let max = s.max_length.unwrap_or(FREE_TEXT_MAX_CHARS) as usize;
                validate_text(&field, text, 1, max).map(|t| Some(AnswerValue::Text(t)))
            }
        }
    }
}

/// A number without a needless `.0`.
pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Checks a whole response: one error per question at fault, in question
/// order; answers to questions that are not in the survey are refused too.
pub fn check_response(
    questions: &[QuestionDto],
    input: &ResponseInput,
) -> Result<Vec<(i32, AnswerValue)>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut values = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for a in &input.answers {
        if !questions.iter().any(|q| q.id == a.question_id) {
            errors.push(FieldError::new(
                &answer_field(a.question_id),
                "unknown_question",
                "This question is not in the survey.",
            ));
        } else if !seen.insert(a.question_id) {
            errors.push(FieldError::new(
                &answer_field(a.question_id),
                "duplicate",
                "Answer each question once.",
            ));
        }
    }
    for q in questions {
        let answer = input.answers.iter().find(|a| a.question_id == q.id);
        match q.check_answer(answer) {
            Ok(Some(v)) => values.push((q.id, v)),
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}

fn check_key(field: &str, key: &str) -> Result<(), FieldError> {
    if key.is_empty()
        || key.len() > KEY_MAX_CHARS
        || !key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        return Err(FieldError::new(
            field,
            "invalid_key",
            format!("Use 1 to {KEY_MAX_CHARS} lower-case letters, digits, '-' or '_'."),
        ));
    }
    Ok(())
}

fn check_pair(errors: &mut Vec<FieldError>, field: &str, pair: &ChoiceOption, max: usize) {
    for (lang, text) in [("nl", &pair.nl), ("en", &pair.en)] {
        if let Err(e) = validate_text(&format!("{field}.{lang}"), text, 1, max) {
            errors.push(e);
        }
    }
}

impl QuestionInput {
    /// Checks one question; fields are named `questions[i].…`.
    pub fn validate(&self, i: usize) -> Vec<FieldError> {
        let f = |name: &str| format!("questions[{i}].{name}");
        let mut errors = Vec::new();
        if let Some(key) = &self.key {
            if let Err(e) = check_key(&f("key"), key) {
                errors.push(e);
            }
        }
        for (name, text) in [("text_nl", &self.text_nl), ("text_en", &self.text_en)] {
            if let Err(e) = validate_text(&f(name), text, 3, QUESTION_MAX_CHARS) {
                errors.push(e);
            }
        }
        let s = &self.settings;
        match self.kind {
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
                if s.options.len() < 2 || s.options.len() > MAX_OPTIONS {
                    errors.push(FieldError::new(
                        &f("settings.options"),
                        "option_count",
                        format!("Give 2 to {MAX_OPTIONS} options."),
                    ));
                }
                for (j, o) in s.options.iter().enumerate() {
                    check_pair(
                        &mut errors,
                        &f(&format!("settings.options[{j}]")),
                        o,
                        OPTION_MAX_CHARS,
                    );
                }
                if self.kind == QuestionKind::MultipleChoice {
                    let n = s.options.len() as u32;
                    let min = s.min_selections.unwrap_or(0);
                    let max = s.max_selections.unwrap_or(n);
                    if max == 0 || max > n.max(1) {
                        errors.push(FieldError::new(
                            &f("settings.max_selections"),
                            "out_of_range",
                            "At most as many selections as there are options, and at least 1.",
                        ));
                    } else if min > max {
                        errors.push(FieldError::new(
                            &f("settings.min_selections"),
                            "out_of_range",
                            "The minimum is above the maximum.",
                        ));
                    }
                }
            }
            QuestionKind::Likert => {
                if !matches!(s.points, Some(5) | Some(7)) {
                    errors.push(FieldError::new(
                        &f("settings.points"),
                        "unsupported",
                        "A scale has 5 or 7 points.",
                    ));
                }
                for (name, label) in [("low_label", &s.low_label), ("high_label", &s.high_label)] {
                    match label {
                        Some(l) => check_pair(
                            &mut errors,
                            &f(&format!("settings.{name}")),
                            l,
                            LABEL_MAX_CHARS,
                        ),
                        None => errors.push(FieldError::new(
                            &f(&format!("settings.{name}")),
                            "required",
                            "Label both ends of the scale.",
                        )),
                    }
                }
            }
            QuestionKind::FreeText => {
                if !matches!(s.max_length, Some(1..=FREE_TEXT_MAX_CHARS)) {
                    errors.push(FieldError::new(
                        &f("settings.max_length"),
                        "out_of_range",
                        format!("The longest answer is 1 to {FREE_TEXT_MAX_CHARS} characters."),
                    ));
                }
            }
            QuestionKind::Number => match (s.min, s.max) {
                (Some(min), Some(max)) if min.is_finite() && max.is_finite() && min < max => {}
                _ => errors.push(FieldError::new(
                    &f("settings.max"),
                    "out_of_range",
                    "Give a minimum below the maximum.",
                )),
            },
        }
        errors
    }

    /// Only the settings that apply to the kind, so nothing stray is stored.
    pub fn normalised_settings(&self) -> QuestionSettings {
        let s = &self.settings;
        let trim = |o: &ChoiceOption| ChoiceOption {
            nl: o.nl.trim().to_owned(),
            en: o.en.trim().to_owned(),
        };
        match self.kind {
            QuestionKind::SingleChoice => QuestionSettings {
                options: s.options.iter().map(trim).collect(),
                ..Default::default()
            },
            QuestionKind::MultipleChoice => QuestionSettings {
                options: s.options.iter().map(trim).collect(),
                min_selections: Some(s.min_selections.unwrap_or(0)),
                max_selections: Some(s.max_selections.unwrap_or(s.options.len() as u32)),
                ..Default::default()
            },
            QuestionKind::Likert => QuestionSettings {
                points: s.points,
                low_label: s.low_label.as_ref().map(trim),
                high_label: s.high_label.as_ref().map(trim),
                ..Default::default()
            },
            QuestionKind::FreeText => QuestionSettings {
                max_length: s.max_length,
                ..Default::default()
            },
            QuestionKind::Number => QuestionSettings {
                min: s.min,
                max: s.max,
                ..Default::default()
            },
        }
    }
}

impl SurveyInput {
    /// Checks that need no database; the server also checks neighbourhoods and
    /// the baseline.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for (name, text, min, max) in [
            ("title_nl", &self.title_nl, 3, TITLE_MAX_CHARS),
            ("title_en", &self.title_en, 3, TITLE_MAX_CHARS),
            ("intro_nl", &self.intro_nl, 0, INTRO_MAX_CHARS),
            ("intro_en", &self.intro_en, 0, INTRO_MAX_CHARS),
        ] {
            if let Err(e) = validate_text(name, text, min, max) {
                errors.push(e);
            }
        }
        if self.groups.is_empty() {
            errors.push(FieldError::new(
                "groups",
                "required",
                "Choose at least one target group.",
            ));
        }
        if self.closes_at <= self.opens_at {
            errors.push(FieldError::new(
                "closes_at",
                "before_opening",
                "The survey must close after it opens.",
            ));
        }
        if self.questions.len() > MAX_QUESTIONS {
            errors.push(FieldError::new(
                "questions",
                "too_many",
                format!("A survey has at most {MAX_QUESTIONS} questions."),
            ));
        }
        let mut keys = std::collections::HashSet::new();
        for (i, q) in self.questions.iter().enumerate() {
            errors.extend(q.validate(i));
            if let Some(k) = &q.key {
                if !keys.insert(k.as_str()) {
                    errors.push(FieldError::new(
                        &format!("questions[{i}].key"),
                        "duplicate",
                        "Two questions have the same key.",
                    ));
                }
            }
        }
        errors
    }
}

// ---- Results -------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OptionCount {
    pub label_nl: String,
    pub label_en: String,
    /// `null` when suppressed.
    pub count: Option<i64>,
    pub percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NumberStats {
    pub n: i64,
    pub mean: f64,
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

/// Before/after for one question: means (Likert, number) or option shares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionChange {
    pub baseline_question_id: i32,
    pub baseline_answered: i64,
    pub baseline_mean: Option<f64>,
    pub mean: Option<f64>,
    pub mean_difference: Option<f64>,
    /// Per option: percentage points after minus before.
    pub options: Vec<OptionChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OptionChange {
    pub label_nl: String,
    pub label_en: String,
    pub baseline_percent: f64,
    pub percent: f64,
    pub difference: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionResult {
    pub question_id: i32,
    pub key: String,
    pub kind: QuestionKind,
    pub text_nl: String,
    pub text_en: String,
    /// Respondents who answered this question; `null` when suppressed.
    pub answered: Option<i64>,
    /// Choice options, or the points of a Likert scale, with counts.
    pub options: Vec<OptionCount>,
    /// Likert and number questions.
    pub stats: Option<NumberStats>,
    /// Free-text answers: coordinators only.
    pub texts: Vec<String>,
    pub change: Option<QuestionChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CellQuestion {
    pub question_id: i32,
    /// Likert and number: the mean in this cell.
    pub mean: Option<f64>,
    /// Choice questions: the share of each option in this cell.
    pub percents: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BreakdownCell {
    /// `student`/`resident`/`unknown`, or a neighbourhood id (`unknown` when none).
    pub key: String,
    pub label: String,
    /// `null` when fewer than 5 respondents (suppressed).
    pub respondents: Option<i64>,
    pub suppressed: bool,
    pub questions: Vec<CellQuestion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Breakdown {
    /// `group` or `neighbourhood`.
    pub dimension: String,
    pub cells: Vec<BreakdownCell>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BaselineRef {
    pub id: i32,
    pub title_nl: String,
    pub title_en: String,
    pub respondents: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyResults {
    pub survey_id: i32,
    pub title_nl: String,
    pub title_en: String,
    pub status: SurveyStatus,
    pub respondents: i64,
    /// Active participants in the audience now.
    pub eligible: i64,
    /// Respondents per eligible participant, 0..1 (`null` without eligible participants).
    pub response_rate: Option<f64>,
    /// True when the whole result is held back (partners, fewer than 5 respondents).
    pub suppressed: bool,
    pub questions: Vec<QuestionResult>,
    pub breakdowns: Vec<Breakdown>,
    pub baseline: Option<BaselineRef>,
}

/// Mean and median of a sample (median of an even count: the mean of the two
/// middle values). `None` for an empty sample.
pub fn number_stats(values: &[f64]) -> Option<NumberStats> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    Some(NumberStats {
        n: n as i64,
        mean: v.iter().sum::<f64>() / n as f64,
        median,
        min: v[0],
        max: v[n - 1],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(kind: QuestionKind, settings: QuestionSettings) -> QuestionDto {
        QuestionDto {
            id: 7,
            position: 1,
            key: "q1".into(),
            kind,
            text_nl: "Vraag".into(),
            text_en: "Question".into(),
            required: true,
            settings,
        }
    }

    fn opts(n: usize) -> Vec<ChoiceOption> {
        (0..n)
            .map(|i| ChoiceOption {
                nl: format!("Optie {i}"),
                en: format!("Option {i}"),
            })
            .collect()
    }

    fn answer(f: impl FnOnce(&mut AnswerInput)) -> AnswerInput {
        let mut a = AnswerInput {
            question_id: 7,
            ..Default::default()
        };
        f(&mut a);
        a
    }

    #[test]
    fn answers_are_checked_against_their_question() {
        let single = q(
            QuestionKind::SingleChoice,
            QuestionSettings {
                options: opts(3),
                ..Default::default()
            },
        );
        assert_eq!(
            single
                .check_answer(Some(&answer(|a| a.choice = Some(2))))
                .unwrap(),
            Some(AnswerValue::Choices(vec![2]))
        );
        assert_eq!(
            single
                .check_answer(Some(&answer(|a| a.choice = Some(3))))
                .unwrap_err()
                .code,
            "unknown_option"
        );
        assert_eq!(single.check_answer(None).unwrap_err().code, "required");

        let multi = q(
            QuestionKind::MultipleChoice,
            QuestionSettings {
                options: opts(4),
                min_selections: Some(2),
                max_selections: Some(3),
                ..Default::default()
            },
        );
        assert_eq!(
            multi
                .check_answer(Some(&answer(|a| a.choices = Some(vec![3, 1, 1]))))
                .unwrap(),
            Some(AnswerValue::Choices(vec![1, 3]))
        );
        assert_eq!(
            multi
                .check_answer(Some(&answer(|a| a.choices = Some(vec![1]))))
                .unwrap_err()
                .code,
            "too_few"
        );
        assert_eq!(
            multi
                .check_answer(Some(&answer(|a| a.choices = Some(vec![0, 1, 2, 3]))))
                .unwrap_err()
                .code,
            "too_many"
        );

        let likert = q(
            QuestionKind::Likert,
            QuestionSettings {
                points: Some(7),
                ..Default::default()
            },
        );
        assert!(likert
            .check_answer(Some(&answer(|a| a.value = Some(7.0))))
            .is_ok());
        for bad in [0.0, 8.0, 2.5] {
            assert_eq!(
                likert
                    .check_answer(Some(&answer(|a| a.value = Some(bad))))
                    .unwrap_err()
                    .code,
                "out_of_range"
            );
        }

        let number = q(
            QuestionKind::Number,
            QuestionSettings {
                min: Some(0.0),
                max: Some(10.0),
                ..Default::default()
            },
        );
        assert!(number
            .check_answer(Some(&answer(|a| a.value = Some(2.5))))
            .is_ok());
        assert_eq!(
            number
                .check_answer(Some(&answer(|a| a.value = Some(11.0))))
                .unwrap_err()
                .code,
            "out_of_range"
        );

        let mut text = q(
            QuestionKind::FreeText,
            QuestionSettings {
                max_length: Some(5),
                ..Default::default()
            },
        );
        assert_eq!(
            text.check_answer(Some(&answer(|a| a.text = Some("zeslet".into()))))
                .unwrap_err()
                .code,
            "too_long"
        );
        text.required = false;
        assert_eq!(
            text.check_answer(Some(&answer(|a| a.text = Some("   ".into()))))
                .unwrap(),
            None
        );
    }

    #[test]
    fn a_response_names_every_question_at_fault() {
        let mut a = q(
            QuestionKind::Likert,
            QuestionSettings {
                points: Some(5),
                ..Default::default()
            },
        );
        a.id = 1;
        let mut b = q(
            QuestionKind::FreeText,
            QuestionSettings {
                max_length: Some(100),
                ..Default::default()
            },
        );
        b.id = 2;
        let input = ResponseInput {
            answers: vec![
                AnswerInput {
                    question_id: 1,
                    value: Some(9.0),
                    ..Default::default()
                },
                AnswerInput {
                    question_id: 99,
                    text: Some("x".into()),
                    ..Default::default()
                },
            ],
        };
        let errors = check_response(&[a, b], &input).unwrap_err();
        let fields: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("answers.99", "unknown_question"),
                ("answers.1", "out_of_range"),
                ("answers.2", "required")
            ]
        );
    }

    #[test]
    fn statistics_match_hand_computed_values() {
        let s = number_stats(&[4.0, 1.0, 5.0, 2.0]).unwrap();
        assert_eq!(
            (s.n, s.mean, s.median, s.min, s.max),
            (4, 3.0, 3.0, 1.0, 5.0)
        );
        let s = number_stats(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!((s.mean, s.median), (2.0, 2.0));
        assert!(number_stats(&[]).is_none());
    }

    #[test]
    fn questions_are_validated_per_kind() {
        let base = |kind, settings| QuestionInput {
            key: None,
            kind,
            text_nl: "Hoe veilig voel je je?".into(),
            text_en: "How safe do you feel?".into(),
            required: true,
            settings,
        };
        let code = |q: QuestionInput| {
            q.validate(0)
                .into_iter()
                .map(|e| (e.field, e.code))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            code(base(
                QuestionKind::SingleChoice,
                QuestionSettings {
                    options: opts(1),
                    ..Default::default()
                }
            )),
            [(
                "questions[0].settings.options".to_string(),
                "option_count".to_string()
            )]
        );
        assert_eq!(
            code(base(
                QuestionKind::Likert,
                QuestionSettings {
                    points: Some(6),
                    ..Default::default()
                }
            ))
            .len(),
            3
        );
        assert!(code(base(
            QuestionKind::Number,
            QuestionSettings {
                min: Some(5.0),
                max: Some(1.0),
                ..Default::default()
            }
        ))
        .iter()
        .any(|(f, _)| f == "questions[0].settings.max"));
        let mut bad_key = base(
            QuestionKind::FreeText,
            QuestionSettings {
                max_length: Some(10),
                ..Default::default()
            },
        );
        bad_key.key = Some("Not OK!".into());
        assert_eq!(code(bad_key)[0].1, "invalid_key");
    }
}
