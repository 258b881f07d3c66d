//! Participation dashboards, pilot targets and the council monitor.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::users::Group;
use crate::validation::validate_text;
use crate::FieldError;

/// Cells below this are shown as "fewer than 5" to partners and in the
/// council monitor, so that nobody can be singled out.
pub const SUPPRESS_BELOW: i64 = 5;
/// Cohort retention is followed for this many weeks after sign-up.
pub const COHORT_WEEKS: usize = 8;
pub const TARGET_LABEL_MAX_CHARS: usize = 120;

/// A reporting period: a month, a quarter, a year, or the whole pilot.
/// Written `2026-07`, `2026-Q3`, `2026` or `all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    All,
    Year(i32),
    Quarter(i32, u32),
    Month(i32, u32),
}

impl Period {
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("all") {
            return Some(Period::All);
        }
        let year = |y: &str| {
            y.parse::<i32>()
                .ok()
                .filter(|y| (2000..=2100).contains(y) && y.to_string().len() == 4)
        };
        match s.split_once('-') {
            None => year(s).map(Period::Year),
            Some((y, rest)) => {
                let y = year(y)?;
                if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
                    let q: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
                    Some(Period::Quarter(y, q))
                } else {
                    let m: u32 = rest.parse().ok().filter(|m| (1..=12).contains(m))?;
                    (rest.len() == 2).then_some(Period::Month(y, m))
                }
            }
        }
    }

    pub fn as_string(self) -> String {
        match self {
            Period::All => "all".into(),
            Period::Year(y) => format!("{y}"),
            Period::Quarter(y, q) => format!("{y}-Q{q}"),
            Period::Month(y, m) => format!("{y}-{m:02}"),
        }
    }

    /// First day and the day after the last; `None` for the whole pilot.
    pub fn bounds(self) -> Option<(NaiveDate, NaiveDate)> {
        let d = |y, m| NaiveDate::from_ymd_opt(y, m, 1);
        let next = |y: i32, m: u32| if m == 12 { d(y + 1, 1) } else { d(y, m + 1) };
        match self {
            Period::All => None,
            Period::Year(y) => Some((d(y, 1)?, d(y + 1, 1)?)),
            Period::Quarter(y, q) => Some((d(y, 3 * q - 2)?, next(y, 3 * q)?)),
            Period::Month(y, m) => Some((d(y, m)?, next(y, m)?)),
        }
    }

    /// The period just before this one, for comparisons.
    pub fn previous(self) -> Option<Period> {
        match self {
            Period::All => None,
            Period::Year(y) => Some(Period::Year(y - 1)),
            Period::Quarter(y, 1) => Some(Period::Quarter(y - 1, 4)),
            Period::Quarter(y, q) => Some(Period::Quarter(y, q - 1)),
            Period::Month(y, 1) => Some(Period::Month(y - 1, 12)),
            Period::Month(y, m) => Some(Period::Month(y, m - 1)),
        }
    }

    /// The period that holds `day`, at this period's granularity.
    pub fn containing(self, day: NaiveDate) -> Period {
        match self {
            Period::All => Period::All,
            Period::Year(_) => Period::Year(day.year()),
            Period::Quarter(..) => Period::Quarter(day.year(), (day.month() - 1) / 3 + 1),
            Period::Month(..) => Period::Month(day.year(), day.month()),
        }
    }
}

/// Monday of the ISO week holding `day`.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - chrono::Duration::days(day.weekday().num_days_from_monday() as i64)
}

/// Hides counts from 1 to 4 when `on`.
pub fn suppress(n: i64, on: bool) -> Option<i64> {
    if on && n > 0 && n < SUPPRESS_BELOW {
        None
    } else {
        Some(n)
    }
}

string_enum!(
    /// A figure that can carry a pilot target.
    TargetMetric {
        Signups = "signups",
        VerifiedStudents = "verified_students",
        ActiveParticipants = "active_participants",
        ReportsFiled = "reports_filed",
        MedianTriageHours = "median_triage_hours",
        MedianResolutionHours = "median_resolution_hours",
        OverdueReports = "overdue_reports",
        SatisfactionPct = "satisfaction_pct",
        ResponseRatePct = "response_rate_pct",
        TopicsProposed = "topics_proposed",
        ActionsDonePct = "actions_done_pct",
    }
);

impl TargetMetric {
    /// True when a lower figure is better (the target is a ceiling).
    pub fn lower_is_better(self) -> bool {
        matches!(
            self,
            TargetMetric::MedianTriageHours
                | TargetMetric::MedianResolutionHours
                | TargetMetric::OverdueReports
        )
    }

    pub fn area(self) -> MetricArea {
        use TargetMetric::*;
        match self {
            Signups | VerifiedStudents | ActiveParticipants => MetricArea::Participation,
            ReportsFiled
            | MedianTriageHours
            | MedianResolutionHours
            | OverdueReports
            | SatisfactionPct => MetricArea::Reports,
            ResponseRatePct => MetricArea::Surveys,
            TopicsProposed | ActionsDonePct => MetricArea::Meetings,
        }
    }

    pub fn label_nl(self) -> &'static str {
        use TargetMetric::*;
        match self {
            Signups => "Aanmeldingen",
            VerifiedStudents => "Geverifieerde studenten",
            ActiveParticipants => "Actieve deelnemers (30 dagen)",
            ReportsFiled => "Meldingen",
            MedianTriageHours => "Mediane tijd tot beoordeling (uur)",
            MedianResolutionHours => "Mediane tijd tot afhandeling (uur)",
            OverdueReports => "Te laat beoordeeld",
            SatisfactionPct => "Tevreden melders (%)",
            ResponseRatePct => "Respons enquêtes (%)",
            TopicsProposed => "Ingebrachte onderwerpen",
            ActionsDonePct => "Afgeronde acties (%)",
        }
    }

    pub fn label_en(self) -> &'static str {
        use TargetMetric::*;
        match self {
            Signups => "Sign-ups",
            VerifiedStudents => "Verified students",
            ActiveParticipants => "Active participants (30 days)",
            ReportsFiled => "Reports filed",
            MedianTriageHours => "Median time to triage (hours)",
            MedianResolutionHours => "Median time to resolution (hours)",
            OverdueReports => "Overdue for triage",
            SatisfactionPct => "Satisfied reporters (%)",
            ResponseRatePct => "Survey response rate (%)",
            TopicsProposed => "Topics proposed",
            ActionsDonePct => "Actions done (%)",
        }
    }
}

string_enum!(
    MetricArea {
        Participation = "participation",
        Reports = "reports",
        Surveys = "surveys",
        Meetings = "meetings",
    }
);

/// The filters every metrics endpoint takes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct MetricsQuery {
    /// `all` (default), a year `2026`, a quarter `2026-Q3` or a month `2026-07`.
    pub period: Option<String>,
    pub group: Option<Group>,
    pub neighbourhood_id: Option<i32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodDto {
    /// As given: `all`, `2026`, `2026-Q3`, `2026-07`.
    pub period: String,
    pub from: NaiveDate,
    /// The last day of the period (or today for the running one).
    pub to: NaiveDate,
}

/// Progress of a figure against a coordinator's target.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetProgress {
    pub target: TargetDto,
    /// The figure in the target's own group and neighbourhood, this period.
    pub actual: Option<f64>,
    /// Share of the target reached (for ceilings: 100 when met).
    pub progress_pct: Option<f64>,
    pub met: bool,
}

/// A headline figure; `value` is null when suppressed or not computable.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Indicator {
    pub metric: TargetMetric,
    pub value: Option<f64>,
    pub targets: Vec<TargetProgress>,
}

/// One labelled count; `value` is null when it was suppressed (1 to 4).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cell {
    pub key: String,
    pub label: String,
    pub value: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekPoint {
    /// Monday of the week.
    pub week: NaiveDate,
    pub value: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupWeek {
    pub week: NaiveDate,
    pub residents: Option<i64>,
    pub students: Option<i64>,
    pub verified_students: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cohort {
    /// Monday of the sign-up week.
    pub week: NaiveDate,
    pub size: Option<i64>,
    /// People of the cohort active in week 1, 2, ... after their sign-up week.
    pub active_after_weeks: Vec<Option<i64>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParticipationMetrics {
    pub period: PeriodDto,
    pub suppressed: bool,
    pub indicators: Vec<Indicator>,
    pub signups_per_week: Vec<SignupWeek>,
    pub signups_by_neighbourhood: Vec<Cell>,
    /// Distinct participants who did something, per week.
    pub active_per_week: Vec<WeekPoint>,
    /// Of those who signed up in the period: signed up, then filed a report,
    /// answered a survey, proposed or supported a topic, RSVP'd, joined a team.
    pub funnel: Vec<Cell>,
    pub cohorts: Vec<Cohort>,
    /// Those who signed up in the period by outreach channel (`direct`: no
    /// campaign link), with how many took part within 30 days.
    pub by_channel: Vec<crate::campaigns::CampaignResult>,
}

/// Nearest-rank percentiles of a duration, in hours (whole hours up to two
/// days, whole days after that).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Durations {
    pub count: Option<i64>,
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportMetrics {
    pub period: PeriodDto,
    pub suppressed: bool,
    pub indicators: Vec<Indicator>,
    pub per_week: Vec<WeekPoint>,
    pub by_kind: Vec<Cell>,
    pub by_category: Vec<Cell>,
    pub by_neighbourhood: Vec<Cell>,
    /// Where the reports filed in the period are now.
    pub by_status: Vec<Cell>,
    /// Filed, triaged, resolved.
    pub funnel: Vec<Cell>,
    pub triage: Durations,
    pub resolution: Durations,
    /// Still awaiting triage past their deadline.
    pub overdue: Option<i64>,
    pub satisfied: Option<i64>,
    pub unsatisfied: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyRate {
    pub survey_id: i32,
    pub title: String,
    pub status: String,
    pub responses: Option<i64>,
    pub audience: i64,
    pub rate_pct: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyMetrics {
    pub period: PeriodDto,
    pub suppressed: bool,
    pub indicators: Vec<Indicator>,
    pub surveys: Vec<SurveyRate>,
    pub responses_by_neighbourhood: Vec<Cell>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingMetrics {
    pub period: PeriodDto,
    pub suppressed: bool,
    pub indicators: Vec<Indicator>,
    pub meetings: i64,
    pub meetings_held: i64,
    pub topics: Option<i64>,
    pub supports: Option<i64>,
    pub rsvps: Option<i64>,
    pub topics_by_status: Vec<Cell>,
    pub topics_by_neighbourhood: Vec<Cell>,
    pub actions_done: i64,
    pub actions_open: i64,
    pub actions_overdue: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetDto {
    pub id: i32,
    pub metric: TargetMetric,
    pub group: Option<Group>,
    pub neighbourhood_id: Option<i32>,
    pub value: f64,
    pub due_on: NaiveDate,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TargetRequest {
    pub metric: TargetMetric,
    #[serde(default)]
    pub group: Option<Group>,
    #[serde(default)]
    pub neighbourhood_id: Option<i32>,
    pub value: f64,
    pub due_on: NaiveDate,
    pub label: String,
}

impl TargetRequest {
    pub fn validate(&self, today: NaiveDate) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Err(e) = validate_text("label", &self.label, 3, TARGET_LABEL_MAX_CHARS) {
            errors.push(e);
        }
        let pct = self.metric.as_str().ends_with("_pct");
        if !self.value.is_finite() || self.value < 0.0 || (pct && self.value > 100.0) {
            errors.push(FieldError::new(
                "value",
                "out_of_range",
                if pct {
                    "Give a percentage from 0 to 100."
                } else {
                    "Give a number of 0 or more."
                },
            ));
        } else if self.value > 10_000_000.0 {
            errors.push(FieldError::new(
                "value",
                "out_of_range",
                "That number is too large.",
            ));
        }
        if self.due_on < today {
            errors.push(FieldError::new(
                "due_on",
                "in_past",
                "Choose a date from today on.",
            ));
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_parse_and_bound() {
        assert_eq!(Period::parse("all"), Some(Period::All));
        assert_eq!(Period::parse("2026"), Some(Period::Year(2026)));
        assert_eq!(Period::parse("2026-Q3"), Some(Period::Quarter(2026, 3)));
        assert_eq!(Period::parse("2026-07"), Some(Period::Month(2026, 7)));
        for bad in ["", "2026-Q5", "2026-13", "2026-7", "26", "2026-07-01", "x"] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
        assert_eq!(
            Period::Quarter(2026, 4).bounds(),
            Some((d(2026, 10, 1), d(2027, 1, 1)))
        );
        assert_eq!(
            Period::Month(2026, 2).bounds(),
            Some((d(2026, 2, 1), d(2026, 3, 1)))
        );
        assert_eq!(
            Period::Quarter(2026, 1).previous(),
            Some(Period::Quarter(2025, 4))
        );
        assert_eq!(
            Period::Month(2026, 1).previous(),
            Some(Period::Month(2025, 12))
        );
        assert_eq!(Period::Quarter(2026, 3).as_string(), "2026-Q3");
    }

    #[test]
    fn weeks_start_on_monday_and_small_counts_hide() {
        assert_eq!(week_start(d(2026, 11, 25)), d(2026, 11, 23));
        assert_eq!(week_start(d(2026, 11, 23)), d(2026, 11, 23));
        assert_eq!(suppress(4, true), None);
        assert_eq!(suppress(0, true), Some(0));
        assert_eq!(suppress(5, true), Some(5));
        assert_eq!(suppress(2, false), Some(2));
    }
}
