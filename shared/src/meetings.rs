//! Neighbourhood safety meetings, residents' topics and follow-up actions.

use serde::{Deserialize, Serialize};

use crate::validation::validate_text;
use crate::FieldError;

pub const TITLE_MAX_CHARS: usize = 200;
pub const PLACE_MAX_CHARS: usize = 200;
pub const DESCRIPTION_MAX_CHARS: usize = 4000;
pub const MINUTES_MAX_CHARS: usize = 20_000;
pub const TOPIC_TITLE_MAX_CHARS: usize = 120;
pub const TOPIC_DESCRIPTION_MAX_CHARS: usize = 2000;
pub const ACTION_MAX_CHARS: usize = 1000;
/// Suggested topics look back this many days of reports.
pub const SUGGESTION_DAYS: i64 = 90;

string_enum!(
    /// `planned -> agenda_set -> held -> evaluated`, or `cancelled` before it is held.
    MeetingStatus {
        Planned = "planned",
        AgendaSet = "agenda_set",
        Held = "held",
        Evaluated = "evaluated",
        Cancelled = "cancelled",
    }
);

impl MeetingStatus {
    pub fn next(self) -> &'static [MeetingStatus] {
        use MeetingStatus::*;
        match self {
            Planned => &[AgendaSet, Cancelled],
            AgendaSet => &[Held, Cancelled],
            Held => &[Evaluated],
            Evaluated | Cancelled => &[],
        }
    }
}

string_enum!(
    /// `proposed -> on_agenda -> discussed -> follow_up -> done`, or `merged`
    /// into another topic, or `declined` with a public reason.
    TopicStatus {
        Proposed = "proposed",
        OnAgenda = "on_agenda",
        Discussed = "discussed",
        FollowUp = "follow_up",
        Done = "done",
        Merged = "merged",
        Declined = "declined",
    }
);

impl TopicStatus {
    pub fn next(self) -> &'static [TopicStatus] {
        use TopicStatus::*;
        match self {
            Proposed => &[OnAgenda, Merged, Declined],
            OnAgenda => &[Discussed, Merged, Declined],
            Discussed => &[FollowUp, Done],
            FollowUp => &[Done],
            Done | Merged | Declined => &[],
        }
    }
}

string_enum!(
    /// Who carries out a follow-up action.
    ActionOwner {
        Municipality = "municipality",
        Police = "police",
        Prosecutor = "prosecutor",
        Residents = "residents",
    }
);

impl ActionOwner {
    /// Partners (police, prosecutor) may update the actions they own.
    pub fn is_partner(self) -> bool {
        matches!(self, ActionOwner::Police | ActionOwner::Prosecutor)
    }
}

string_enum!(
    ActionStatus {
        Open = "open",
        InProgress = "in_progress",
        Done = "done",
    }
);

/// `POST /api/meetings`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MeetingInput {
    pub neighbourhood_id: i32,
    pub title: String,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub place: String,
    #[serde(default)]
    pub description: String,
    /// Residents propose topics until this time.
    pub propose_until: chrono::DateTime<chrono::Utc>,
    pub capacity: i32,
}

fn check_schedule(
    errors: &mut Vec<FieldError>,
    starts_at: chrono::DateTime<chrono::Utc>,
    propose_until: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) {
    if starts_at <= now {
        errors.push(FieldError::new(
            "starts_at",
            "in_past",
            "The meeting must start in the future.",
        ));
    }
    if propose_until > starts_at {
        errors.push(FieldError::new(
            "propose_until",
            "after_start",
            "Proposing must close before the meeting starts.",
        ));
    }
}

impl MeetingInput {
    pub fn validate(&self, now: chrono::DateTime<chrono::Utc>) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for (field, value, min, max) in [
            ("title", &self.title, 3, TITLE_MAX_CHARS),
            ("place", &self.place, 2, PLACE_MAX_CHARS),
            ("description", &self.description, 0, DESCRIPTION_MAX_CHARS),
        ] {
            if let Err(e) = validate_text(field, value, min, max) {
                errors.push(e);
            }
        }
        if !(1..=10_000).contains(&self.capacity) {
            errors.push(FieldError::new(
                "capacity",
                "out_of_range",
                "Allow 1 to 10000 people.",
            ));
        }
        check_schedule(&mut errors, self.starts_at, self.propose_until, now);
        errors
    }
}

/// `PATCH /api/meetings/{id}`: only the fields present change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MeetingUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub propose_until: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<i32>,
    /// Public minutes, after the meeting was held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<String>,
    /// A survey to evaluate the meeting with, after it was held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_survey_id: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MeetingTransition {
    pub to: MeetingStatus,
}

/// `POST /api/meetings/{id}/copy`: the format of one meeting for another
/// neighbourhood and date; topics, RSVPs and minutes are not copied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CopyMeetingRequest {
    pub neighbourhood_id: i32,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub propose_until: chrono::DateTime<chrono::Utc>,
}

impl CopyMeetingRequest {
    pub fn validate(&self, now: chrono::DateTime<chrono::Utc>) -> Vec<FieldError> {
        let mut errors = Vec::new();
        check_schedule(&mut errors, self.starts_at, self.propose_until, now);
        errors
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RsvpRequest {
    pub going: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingDto {
    pub id: i32,
    pub neighbourhood_id: i32,
    pub neighbourhood_name: String,
    pub title: String,
    #[serde(with = "crate::utc")]
    pub starts_at: chrono::NaiveDateTime,
    pub place: String,
    pub description: String,
    #[serde(with = "crate::utc")]
    pub propose_until: chrono::NaiveDateTime,
    pub capacity: i32,
    pub status: MeetingStatus,
    /// Coordinators: where the meeting can go from here.
    pub allowed_transitions: Vec<MeetingStatus>,
    pub minutes: Option<String>,
    pub evaluation_survey_id: Option<i32>,
    pub going: i64,
    /// Coordinators only.
    pub not_going: Option<i64>,
    /// My answer, if I gave one.
    pub my_rsvp: Option<bool>,
    /// I may propose a topic now (I live there and the deadline has not passed).
    pub can_propose: bool,
    pub topic_count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingList {
    pub items: Vec<MeetingDto>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// `POST /api/meetings/{id}/topics` and `PATCH /api/topics/{id}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TopicInput {
    pub title: String,
    pub description: String,
}

impl TopicInput {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Err(e) = validate_text("title", &self.title, 3, TOPIC_TITLE_MAX_CHARS) {
            errors.push(e);
        }
        if let Err(e) = validate_text(
            "description",
            &self.description,
            10,
            TOPIC_DESCRIPTION_MAX_CHARS,
        ) {
            errors.push(e);
        }
        errors
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TopicTransition {
    pub to: TopicStatus,
    /// Required when declining: shown to everyone.
    #[serde(default)]
    pub reason: Option<String>,
    /// Required when merging: the topic this one joins.
    #[serde(default)]
    pub merged_into: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicEventDto {
    #[serde(with = "crate::utc")]
    pub at: chrono::NaiveDateTime,
    pub event: String,
    pub from_status: Option<TopicStatus>,
    pub to_status: Option<TopicStatus>,
    pub note: Option<String>,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionUpdateDto {
    #[serde(with = "crate::utc")]
    pub at: chrono::NaiveDateTime,
    pub by: String,
    pub status: Option<ActionStatus>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionDto {
    pub id: i32,
    pub topic_id: i32,
    pub topic_title: String,
    pub meeting_id: i32,
    pub description: String,
    pub owner: ActionOwner,
    pub due_on: chrono::NaiveDate,
    pub status: ActionStatus,
    pub overdue: bool,
    pub updates: Vec<ActionUpdateDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicDto {
    pub id: i32,
    pub meeting_id: i32,
    pub title: String,
    pub description: String,
    pub status: TopicStatus,
    pub public_reason: Option<String>,
    pub merged_into: Option<i32>,
    pub support_count: i32,
    pub supported_by_me: bool,
    /// I proposed it.
    pub mine: bool,
    /// Coordinators: who proposed it (`null` for topics made from reports).
    pub proposer_name: Option<String>,
    /// Made by a coordinator from this many reports.
    pub report_count: i64,
    #[serde(with = "crate::utc")]
    pub created_at: chrono::NaiveDateTime,
    pub allowed_transitions: Vec<TopicStatus>,
    pub events: Vec<TopicEventDto>,
    pub actions: Vec<ActionDto>,
}

/// `POST /api/topics/{id}/actions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    pub description: String,
    pub owner: ActionOwner,
    pub due_on: chrono::NaiveDate,
}

impl ActionInput {
    pub fn validate(&self, today: chrono::NaiveDate) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Err(e) = validate_text("description", &self.description, 5, ACTION_MAX_CHARS) {
            errors.push(e);
        }
        if self.due_on < today {
            errors.push(FieldError::new(
                "due_on",
                "in_past",
                "The due date is in the past.",
            ));
        }
        errors
    }
}

/// `POST /api/actions/{id}/updates`: a public update, optionally with a new status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActionUpdateInput {
    #[serde(default)]
    pub status: Option<ActionStatus>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionList {
    pub items: Vec<ActionDto>,
    pub total: i64,
}

/// A report category that is common in the neighbourhood lately.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicSuggestion {
    pub category_id: i32,
    pub code: String,
    pub name_nl: String,
    pub name_en: String,
    /// Reports in the last 90 days; `null` when fewer than 5 (suppressed).
    pub count: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FromReportsRequest {
    pub category_id: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflows_only_move_forward_and_ends_stay_ended() {
        for s in MeetingStatus::ALL {
            assert_eq!(MeetingStatus::parse(s.as_str()), Some(*s));
            assert!(!s.next().contains(s));
        }
        assert!(MeetingStatus::Held.next() == [MeetingStatus::Evaluated]);
        assert!(TopicStatus::Done.next().is_empty());
        assert!(TopicStatus::Proposed
            .next()
            .contains(&TopicStatus::Declined));
        assert!(!TopicStatus::Discussed.next().contains(&TopicStatus::Merged));
        assert!(ActionOwner::Police.is_partner() && !ActionOwner::Residents.is_partner());
    }

    #[test]
    fn a_meeting_needs_a_future_start_after_the_proposal_deadline() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-01T12:00:00Z")
            .unwrap()
            .to_utc();
        let input = MeetingInput {
            neighbourhood_id: 1,
            title: "Veiligheid in Vinkhuizen".into(),
            starts_at: now - chrono::Duration::days(1),
            place: "Wijkcentrum".into(),
            description: String::new(),
            propose_until: now,
            capacity: 0,
        };
        let fields: Vec<_> = input.validate(now).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["capacity", "starts_at", "propose_until"]);
    }
}
