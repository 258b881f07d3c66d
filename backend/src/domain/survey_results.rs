//! Survey results: counts, shares, statistics, breakdowns with small-cell
//! suppression, the before/after comparison with a baseline, and the CSV.
//! Pure functions over rows already loaded, so they are tested by hand-computed
//! examples.

use std::collections::{BTreeMap, HashMap};

use shared::surveys::{
    number_stats, BaselineRef, Breakdown, BreakdownCell, CellQuestion, NumberStats, OptionChange,
    OptionCount, QuestionChange, QuestionDto, QuestionKind, QuestionResult, SurveyResults,
    SurveyStatus, SUPPRESS_BELOW,
};

use crate::db::surveys::{AnswerRow, ResponseRow, SurveyRow};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Everything, including free text; breakdown cells under 5 suppressed.
    Coordinator,
    /// Aggregates only: no free text, and every count under 5 suppressed.
    Partner,
}

pub struct ResultsInput {
    pub eligible: i64,
    pub responses: Vec<ResponseRow>,
    pub answers: Vec<AnswerRow>,
    /// The baseline survey, its questions, its number of responses and answers.
    pub baseline: Option<(SurveyRow, Vec<QuestionDto>, i64, Vec<AnswerRow>)>,
    pub neighbourhood_names: HashMap<i32, String>,
}

fn choices_of(a: &AnswerRow) -> Vec<usize> {
    a.choices
        .as_deref()
        .unwrap_or("")
        .split(',')
        .filter_map(|c| c.parse().ok())
        .collect()
}

/// Counts per option (choice questions) or per point (Likert), and the number
/// of respondents who answered.
fn distribution(q: &QuestionDto, answers: &[&AnswerRow]) -> (i64, Vec<i64>) {
    let answered = answers.len() as i64;
    let slots = match q.kind {
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice => q.settings.options.len(),
        QuestionKind::Likert => q.settings.points.unwrap_or(5) as usize,
        QuestionKind::FreeText | QuestionKind::Number => 0,
    };
    let mut counts = vec![0i64; slots];
    for a in answers {
        match q.kind {
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
                for c in choices_of(a) {
                    if let Some(slot) = counts.get_mut(c) {
                        *slot += 1;
                    }
                }
            }
            QuestionKind::Likert => {
                if let Some(v) = a.number {
                    if let Some(slot) = counts.get_mut((v as usize).wrapping_sub(1)) {
                        *slot += 1;
                    }
                }
            }
            _ => {}
        }
    }
    (answered, counts)
}

fn percent(count: i64, of: i64) -> f64 {
    if of == 0 {
        0.0
    } else {
        round1(count as f64 * 100.0 / of as f64)
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn numbers(answers: &[&AnswerRow]) -> Vec<f64> {
    answers.iter().filter_map(|a| a.number).collect()
}

fn slot_labels(q: &QuestionDto) -> Vec<(String, String)> {
    match q.kind {
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice => q
            .settings
            .options
            .iter()
            .map(|o| (o.nl.clone(), o.en.clone()))
            .collect(),
        QuestionKind::Likert => {
            let points = q.settings.points.unwrap_or(5);
            (1..=points)
                .map(|p| {
                    let end = if p == 1 {
                        q.settings.low_label.as_ref()
                    } else if p == points {
                        q.settings.high_label.as_ref()
                    } else {
                        None
                    };
                    match end {
                        Some(l) => (format!("{p} ({})", l.nl), format!("{p} ({})", l.en)),
                        None => (p.to_string(), p.to_string()),
                    }
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

fn rounded(s: NumberStats) -> NumberStats {
    NumberStats {
        mean: round2(s.mean),
        median: round2(s.median),
        ..s
    }
}

fn question_result(
    q: &QuestionDto,
    answers: &[&AnswerRow],
    audience: Audience,
    baseline: Option<(&QuestionDto, &[&AnswerRow])>,
) -> QuestionResult {
    let (answered, counts) = distribution(q, answers);
    let hide = |n: i64| audience == Audience::Partner && n < SUPPRESS_BELOW;
    let options = slot_labels(q)
        .into_iter()
        .zip(&counts)
        .map(|((label_nl, label_en), &count)| OptionCount {
            label_nl,
            label_en,
            count: (!hide(count)).then_some(count),
            percent: (!hide(count)).then(|| percent(count, answered)),
        })
        .collect();
    let stats = if matches!(q.kind, QuestionKind::Likert | QuestionKind::Number) && !hide(answered)
    {
        number_stats(&numbers(answers)).map(rounded)
    } else {
        None
    };
    let texts = if q.kind == QuestionKind::FreeText && audience == Audience::Coordinator {
        answers.iter().filter_map(|a| a.text.clone()).collect()
    } else {
        Vec::new()
    };
    let change = baseline.and_then(|(bq, banswers)| {
        let (banswered, bcounts) = distribution(bq, banswers);
        if hide(answered) || hide(banswered) {
            return None;
        }
        let (baseline_mean, mean) = if matches!(q.kind, QuestionKind::Likert | QuestionKind::Number)
        {
            (
                number_stats(&numbers(banswers)).map(|s| round2(s.mean)),
                number_stats(&numbers(answers)).map(|s| round2(s.mean)),
            )
        } else {
            (None, None)
        };
        let options =
            if q.kind.has_options() && bq.settings.options.len() == q.settings.options.len() {
                slot_labels(q)
                    .into_iter()
                    .enumerate()
                    .map(|(i, (label_nl, label_en))| {
                        let before = percent(bcounts[i], banswered);
                        let after = percent(counts[i], answered);
                        OptionChange {
                            label_nl,
                            label_en,
                            baseline_percent: before,
                            percent: after,
                            difference: round1(after - before),
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
        Some(QuestionChange {
            baseline_question_id: bq.id,
            baseline_answered: banswered,
            baseline_mean,
            mean,
            mean_difference: baseline_mean.zip(mean).map(|(b, a)| round2(a - b)),
            options,
        })
    });
    QuestionResult {
        question_id: q.id,
        key: q.key.clone(),
        kind: q.kind,
        text_nl: q.text_nl.clone(),
        text_en: q.text_en.clone(),
        answered: (!hide(answered)).then_some(answered),
        options,
        stats,
        texts,
        change,
    }
}

/// One breakdown: respondents grouped by `key_of`, each cell with fewer than
/// 5 respondents suppressed (for every audience).
fn breakdown(
    dimension: &str,
    questions: &[QuestionDto],
    input: &ResultsInput,
    key_of: impl Fn(&ResponseRow) -> (String, String),
) -> Breakdown {
    let mut cells: BTreeMap<String, (String, Vec<i32>)> = BTreeMap::new();
    for r in &input.responses {
        let (key, label) = key_of(r);
        cells
            .entry(key)
            .or_insert_with(|| (label, Vec::new()))
            .1
            .push(r.id);
    }
    let cells = cells
        .into_iter()
        .map(|(key, (label, ids))| {
            let n = ids.len() as i64;
            if n < SUPPRESS_BELOW {
                return BreakdownCell {
                    key,
                    label,
                    respondents: None,
                    suppressed: true,
                    questions: Vec::new(),
                };
            }
            let questions = questions
                .iter()
                .filter(|q| q.kind != QuestionKind::FreeText)
                .map(|q| {
                    let answers: Vec<&AnswerRow> = input
                        .answers
                        .iter()
                        .filter(|a| a.question_id == q.id && ids.contains(&a.response_id))
                        .collect();
                    let (answered, counts) = distribution(q, &answers);
                    CellQuestion {
                        question_id: q.id,
                        mean: matches!(q.kind, QuestionKind::Likert | QuestionKind::Number)
                            .then(|| number_stats(&numbers(&answers)).map(|s| round2(s.mean)))
                            .flatten(),
                        percents: if q.kind.has_options() {
                            counts.iter().map(|c| percent(*c, answered)).collect()
                        } else {
                            Vec::new()
                        },
                    }
                })
                .collect();
            BreakdownCell {
                key,
                label,
                respondents: Some(n),
                suppressed: false,
                questions,
            }
        })
        .collect();
    Breakdown {
        dimension: dimension.into(),
        cells,
    }
}

pub fn compute(
    row: &SurveyRow,
    questions: &[QuestionDto],
    input: &ResultsInput,
    audience: Audience,
) -> SurveyResults {
    let respondents = input.responses.len() as i64;
    let suppressed = audience == Audience::Partner && respondents < SUPPRESS_BELOW;
    fn by_question(answers: &[AnswerRow], id: i32) -> Vec<&AnswerRow> {
        answers.iter().filter(|a| a.question_id == id).collect()
    }
    let baseline_answers: Vec<(QuestionDto, Vec<&AnswerRow>)> = match &input.baseline {
        Some((_, bq, _, bans)) => bq
            .iter()
            .map(|q| {
                let a: Vec<&AnswerRow> = bans.iter().filter(|a| a.question_id == q.id).collect();
                (q.clone(), a)
            })
            .collect(),
        None => Vec::new(),
    };
    let question_results = if suppressed {
        Vec::new()
    } else {
        questions
            .iter()
            .map(|q| {
                let base = baseline_answers
                    .iter()
                    .find(|(bq, _)| bq.key == q.key && bq.kind == q.kind)
                    .map(|(bq, a)| (bq, a.as_slice()));
                question_result(q, &by_question(&input.answers, q.id), audience, base)
            })
            .collect()
    };
    let breakdowns = if suppressed {
        Vec::new()
    } else {
        vec![
            breakdown("group", questions, input, |r| {
                let g = r.user_group.clone().unwrap_or_else(|| "unknown".into());
                (g.clone(), g)
            }),
            breakdown("neighbourhood", questions, input, |r| {
                match r.neighbourhood_id {
                    Some(n) => (
                        n.to_string(),
                        input
                            .neighbourhood_names
                            .get(&n)
                            .cloned()
                            .unwrap_or_else(|| n.to_string()),
                    ),
                    None => ("unknown".into(), "unknown".into()),
                }
            }),
        ]
    };
    SurveyResults {
        survey_id: row.id,
        title_nl: row.title_nl.clone(),
        title_en: row.title_en.clone(),
        status: SurveyStatus::parse(&row.status).unwrap_or(SurveyStatus::Draft),
        respondents,
        eligible: input.eligible,
        response_rate: (input.eligible > 0)
            .then(|| (respondents as f64 / input.eligible as f64 * 1000.0).round() / 1000.0),
        suppressed,
        questions: question_results,
        breakdowns,
        baseline: input.baseline.as_ref().map(|(b, _, n, _)| BaselineRef {
            id: b.id,
            title_nl: b.title_nl.clone(),
            title_en: b.title_en.clone(),
            respondents: *n,
        }),
    }
}

/// One CSV cell: quoted when needed, and text that a spreadsheet would run as
/// a formula is prefixed with an apostrophe.
pub(crate) fn cell(value: &str, is_text: bool) -> String {
    let guarded = if is_text && value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// One row per response: a pseudonymous respondent id (R0001, … in order of
/// answering, not an account id), the day, group, neighbourhood, and each
/// question's answer (option labels in Dutch). UTF-8 with a byte order mark so
/// that spreadsheet programs read the accents right; CRLF line ends.
pub fn csv(row: &SurveyRow, questions: &[QuestionDto], input: &ResultsInput) -> String {
    let _ = row;
    let mut out = String::from("\u{feff}");
    let mut header = vec![
        "respondent".to_string(),
        "date".into(),
        "group".into(),
        "neighbourhood".into(),
    ];
    header.extend(
        questions
            .iter()
            .map(|q| format!("Q{} {}", q.position, q.text_nl)),
    );
    out.push_str(
        &header
            .iter()
            .map(|h| cell(h, true))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("\r\n");
    let mut by_response: HashMap<(i32, i32), &AnswerRow> = HashMap::new();
    for a in &input.answers {
        by_response.insert((a.response_id, a.question_id), a);
    }
    for (i, r) in input.responses.iter().enumerate() {
        let mut cells = vec![
            format!("R{:04}", i + 1),
            r.submitted_at.date().to_string(),
            cell(r.user_group.as_deref().unwrap_or(""), true),
            cell(
                &r.neighbourhood_id
                    .and_then(|n| input.neighbourhood_names.get(&n).cloned())
                    .unwrap_or_default(),
                true,
            ),
        ];
        for q in questions {
            let value = match by_response.get(&(r.id, q.id)) {
                None => String::new(),
                Some(a) => match q.kind {
                    QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
                        let labels: Vec<String> = choices_of(a)
                            .into_iter()
                            .filter_map(|c| q.settings.options.get(c).map(|o| o.nl.clone()))
                            .collect();
                        cell(&labels.join("; "), true)
                    }
                    QuestionKind::Likert | QuestionKind::Number => {
                        a.number.map(shared::surveys::fmt_num).unwrap_or_default()
                    }
                    QuestionKind::FreeText => cell(a.text.as_deref().unwrap_or(""), true),
                },
            };
            cells.push(value);
        }
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use shared::surveys::{ChoiceOption, QuestionSettings};

    fn at() -> chrono::NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 10, 1)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
    }

    fn survey() -> SurveyRow {
        SurveyRow {
            id: 1,
            title_nl: "Veiligheid".into(),
            title_en: "Safety".into(),
            intro_nl: String::new(),
            intro_en: String::new(),
            audience_groups: "student".into(),
            opens_at: at(),
            closes_at: at(),
            anonymous: true,
            status: "closed".into(),
            baseline_id: None,
            created_by: None,
            created_at: at(),
            updated_at: at(),
            published_at: None,
            closed_at: None,
        }
    }

    fn likert() -> QuestionDto {
        QuestionDto {
            id: 10,
            position: 1,
            key: "safe".into(),
            kind: QuestionKind::Likert,
            text_nl: "Hoe veilig?".into(),
            text_en: "How safe?".into(),
            required: true,
            settings: QuestionSettings {
                points: Some(5),
                low_label: Some(ChoiceOption {
                    nl: "Onveilig".into(),
                    en: "Unsafe".into(),
                }),
                high_label: Some(ChoiceOption {
                    nl: "Veilig".into(),
                    en: "Safe".into(),
                }),
                ..Default::default()
            },
        }
    }

    fn choice() -> QuestionDto {
        QuestionDto {
            id: 11,
            position: 2,
            key: "where".into(),
            kind: QuestionKind::MultipleChoice,
            text_nl: "Waar?".into(),
            text_en: "Where?".into(),
            required: false,
            settings: QuestionSettings {
                options: vec![
                    ChoiceOption {
                        nl: "Thuis".into(),
                        en: "Home".into(),
                    },
                    ChoiceOption {
                        nl: "Straat, \"buiten\"".into(),
                        en: "Street".into(),
                    },
                ],
                min_selections: Some(0),
                max_selections: Some(2),
                ..Default::default()
            },
        }
    }

    /// Six students in neighbourhood 1 and one resident in 2; Likert answers
    /// 1,2,2,4,5,5 from the students and 3 from the resident.
    fn input() -> ResultsInput {
        let mut responses = Vec::new();
        let mut answers = Vec::new();
        for (i, (group, hood, point, choices)) in [
            ("student", 1, 1.0, "0"),
            ("student", 1, 2.0, "0,1"),
            ("student", 1, 2.0, "1"),
            ("student", 1, 4.0, "1"),
            ("student", 1, 5.0, "0,1"),
            ("student", 1, 5.0, ""),
            ("resident", 2, 3.0, "0"),
        ]
        .into_iter()
        .enumerate()
        {
            let id = i as i32 + 1;
            responses.push(ResponseRow {
                id,
                survey_id: 1,
                respondent_id: None,
                user_group: Some(group.into()),
                neighbourhood_id: Some(hood),
                submitted_at: at(),
            });
            answers.push(AnswerRow {
                response_id: id,
                question_id: 10,
                choices: None,
                number: Some(point),
                text: None,
            });
            if !choices.is_empty() {
                answers.push(AnswerRow {
                    response_id: id,
                    question_id: 11,
                    choices: Some(choices.into()),
                    number: None,
                    text: None,
                });
            }
        }
        ResultsInput {
            eligible: 20,
            responses,
            answers,
            baseline: None,
            neighbourhood_names: HashMap::from([(1, "Paddepoel".into()), (2, "Selwerd".into())]),
        }
    }

    #[test]
    fn counts_shares_and_statistics_match_hand_computed_values() {
        let r = compute(
            &survey(),
            &[likert(), choice()],
            &input(),
            Audience::Coordinator,
        );
        assert_eq!(r.respondents, 7);
        assert_eq!(r.response_rate, Some(0.35));
        let l = &r.questions[0];
        assert_eq!(l.answered, Some(7));
        let counts: Vec<_> = l.options.iter().map(|o| o.count.unwrap()).collect();
        assert_eq!(counts, [1, 2, 1, 1, 2]);
        assert_eq!(l.options[0].label_en, "1 (Unsafe)");
        assert_eq!(l.options[1].percent, Some(28.6)); // 2 of 7
        let s = l.stats.clone().unwrap();
        // (1+2+2+4+5+5+3)/7 = 22/7; sorted 1,2,2,3,4,5,5 → median 3
        assert_eq!(
            (s.mean, s.median, s.min, s.max),
            (round2(22.0 / 7.0), 3.0, 1.0, 5.0)
        );
        let c = &r.questions[1];
        assert_eq!(c.answered, Some(6));
        // Home chosen by 4 of 6 (66.7%), street by 4 of 6.
        assert_eq!(c.options[0].count, Some(4));
        assert_eq!(c.options[0].percent, Some(66.7));
    }

    #[test]
    fn breakdown_cells_under_five_are_suppressed() {
        let r = compute(
            &survey(),
            &[likert(), choice()],
            &input(),
            Audience::Coordinator,
        );
        let groups = &r.breakdowns[0];
        assert_eq!(groups.dimension, "group");
        let resident = groups.cells.iter().find(|c| c.key == "resident").unwrap();
        assert!(
            resident.suppressed && resident.respondents.is_none() && resident.questions.is_empty()
        );
        let student = groups.cells.iter().find(|c| c.key == "student").unwrap();
        assert_eq!(student.respondents, Some(6));
        // Students' mean: 19/6 = 3.17
        assert_eq!(student.questions[0].mean, Some(3.17));
        let hoods = &r.breakdowns[1];
        assert_eq!(
            hoods.cells.iter().find(|c| c.key == "1").unwrap().label,
            "Paddepoel"
        );
        assert!(
            hoods
                .cells
                .iter()
                .find(|c| c.key == "2")
                .unwrap()
                .suppressed
        );
    }

    #[test]
    fn partners_get_aggregates_without_small_counts_or_free_text() {
        let r = compute(
            &survey(),
            &[likert(), choice()],
            &input(),
            Audience::Partner,
        );
        let l = &r.questions[0];
        assert!(
            l.options.iter().all(|o| o.count.is_none()),
            "every point has fewer than 5"
        );
        assert!(l.stats.is_some(), "7 answered");
        let mut few = input();
        few.responses.truncate(4);
        let r = compute(&survey(), &[likert()], &few, Audience::Partner);
        assert!(r.suppressed && r.questions.is_empty() && r.breakdowns.is_empty());
    }

    #[test]
    fn the_change_against_a_baseline_is_after_minus_before() {
        let mut inp = input();
        let mut base_q = likert();
        base_q.id = 90;
        let base_answers = [2.0, 2.0, 2.0, 2.0, 3.0]
            .iter()
            .enumerate()
            .map(|(i, v)| AnswerRow {
                response_id: 100 + i as i32,
                question_id: 90,
                choices: None,
                number: Some(*v),
                text: None,
            })
            .collect();
        inp.baseline = Some((survey(), vec![base_q], 5, base_answers));
        let r = compute(&survey(), &[likert()], &inp, Audience::Coordinator);
        let change = r.questions[0].change.clone().unwrap();
        // before 11/5 = 2.2, after 22/7 = 3.14
        assert_eq!(
            (change.baseline_mean, change.mean, change.mean_difference),
            (Some(2.2), Some(round2(22.0 / 7.0)), Some(0.94))
        );
        assert_eq!(r.baseline.unwrap().respondents, 5);
    }

    #[test]
    fn the_csv_quotes_guards_formulas_and_uses_pseudonyms() {
        let mut inp = input();
        inp.responses[0].user_group = Some("=HYPERLINK(\"x\")".into());
        let out = csv(&survey(), &[likert(), choice()], &inp);
        assert!(out.starts_with('\u{feff}'));
        let lines: Vec<&str> = out.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(
            lines[0],
            "respondent,date,group,neighbourhood,Q1 Hoe veilig?,Q2 Waar?"
        );
        assert_eq!(
            lines[1],
            "R0001,2026-10-01,\"'=HYPERLINK(\"\"x\"\")\",Paddepoel,1,Thuis"
        );
        assert_eq!(
            lines[2],
            "R0002,2026-10-01,student,Paddepoel,2,\"Thuis; Straat, \"\"buiten\"\"\""
        );
        assert_eq!(lines[6], "R0006,2026-10-01,student,Paddepoel,5,");
    }
}
