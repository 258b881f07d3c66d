//! Neighbourhood prevention teams (buurtpreventieteams): membership, patrols
//! and the patrol log.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::validation::validate_text;
use crate::FieldError;

pub const NAME_MAX_CHARS: usize = 120;
pub const AREA_MAX_CHARS: usize = 1000;
pub const CONTACT_MAX_CHARS: usize = 300;
pub const REASON_MAX_CHARS: usize = 1000;
pub const POINT_MAX_CHARS: usize = 200;
pub const ROUTE_MAX_CHARS: usize = 2000;
pub const WHAT_MAX_CHARS: usize = 2000;
pub const PLACE_MAX_CHARS: usize = 300;
/// Most walkers a patrol can take.
pub const PATROL_MAX_MEMBERS: i32 = 50;
/// A patrol below its minimum this many hours before the start is flagged.
pub const UNDERSTAFFED_HOURS: i64 = 24;
/// Observations are recorded from this many hours before the patrol's start.
pub const OBSERVATION_LEAD_HOURS: i64 = 2;

string_enum!(
    /// `proposed -> approved` or `declined` (with a reason), by a coordinator.
    TeamStatus {
        Proposed = "proposed",
        Approved = "approved",
        Declined = "declined",
    }
);

string_enum!(
    /// A member asked to join (`requested`) or was accepted (`active`).
    MembershipStatus {
        Requested = "requested",
        Active = "active",
    }
);

fn texts(errors: &mut Vec<FieldError>, items: &[(&str, &str, usize, usize)]) {
    for (field, value, min, max) in items {
        if let Err(e) = validate_text(field, value, *min, *max) {
            errors.push(e);
        }
    }
}

/// `POST /api/teams`: a resident proposes a team for their neighbourhood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TeamInput {
    pub name: String,
    /// The streets the team walks, in words.
    pub area: String,
    /// How residents and the wijkagent reach the team (an e-mail address, a phone number).
    pub contact: String,
}

impl TeamInput {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        texts(
            &mut errors,
            &[
                ("name", &self.name, 3, NAME_MAX_CHARS),
                ("area", &self.area, 3, AREA_MAX_CHARS),
                ("contact", &self.contact, 3, CONTACT_MAX_CHARS),
            ],
        );
        errors
    }
}

/// `POST /api/teams/{id}/decision`: a reason is required to decline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TeamDecision {
    pub approve: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl TeamDecision {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        match (&self.reason, self.approve) {
            (Some(r), _) => texts(&mut errors, &[("reason", r, 3, REASON_MAX_CHARS)]),
            (None, false) => errors.push(FieldError::new(
                "reason",
                "required",
                "Say why the team is declined.",
            )),
            (None, true) => {}
        }
        errors
    }
}

/// `PATCH /api/teams/{id}/members/{user_id}`: accept a request, make or unmake a lead.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MemberUpdate {
    /// Only `active` (accept a request); decline with DELETE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<MembershipStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberDto {
    pub user_id: i32,
    pub display_name: String,
    pub status: MembershipStatus,
    pub lead: bool,
    #[serde(with = "crate::utc")]
    pub requested_at: NaiveDateTime,
    #[serde(with = "crate::utc::option", default)]
    pub joined_at: Option<NaiveDateTime>,
    /// Leads' e-mail address, for coordinators and partners (the wijkagent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamDto {
    pub id: i32,
    pub neighbourhood_id: i32,
    pub neighbourhood_name: String,
    pub name: String,
    pub area: String,
    pub contact: String,
    pub status: TeamStatus,
    /// Why the coordinator declined (or a note with the approval).
    pub decision_reason: Option<String>,
    #[serde(with = "crate::utc")]
    pub created_at: NaiveDateTime,
    /// Active members.
    pub member_count: i64,
    pub my_membership: Option<MembershipStatus>,
    pub i_lead: bool,
    /// Leads and coordinators manage members and plan patrols.
    pub can_manage: bool,
    /// Members and requests for members, leads and coordinators; the leads
    /// only for everyone else who may see the team.
    pub members: Vec<MemberDto>,
    pub mine: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamList {
    pub items: Vec<TeamDto>,
}

/// `POST /api/teams/{id}/patrols`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PatrolInput {
    pub starts_at: DateTime<Utc>,
    pub meeting_point: String,
    #[serde(default)]
    pub route: String,
    pub min_members: i32,
    pub max_members: i32,
}

impl PatrolInput {
    pub fn validate(&self, now: DateTime<Utc>) -> Vec<FieldError> {
        let mut errors = Vec::new();
        texts(
            &mut errors,
            &[
                ("meeting_point", &self.meeting_point, 2, POINT_MAX_CHARS),
                ("route", &self.route, 0, ROUTE_MAX_CHARS),
            ],
        );
        if self.starts_at <= now {
            errors.push(FieldError::new(
                "starts_at",
                "in_past",
                "Plan the patrol in the future.",
            ));
        } else if self.starts_at > now + chrono::Duration::days(366) {
            errors.push(FieldError::new(
                "starts_at",
                "too_far",
                "Plan at most a year ahead.",
            ));
        }
        if !(1..=PATROL_MAX_MEMBERS).contains(&self.min_members) {
            errors.push(FieldError::new(
                "min_members",
                "out_of_range",
                format!("A patrol needs 1 to {PATROL_MAX_MEMBERS} walkers."),
            ));
        }
        if !(1..=PATROL_MAX_MEMBERS).contains(&self.max_members) {
            errors.push(FieldError::new(
                "max_members",
                "out_of_range",
                format!("Allow 1 to {PATROL_MAX_MEMBERS} walkers."),
            ));
        } else if self.max_members < self.min_members {
            errors.push(FieldError::new(
                "max_members",
                "below_minimum",
                "The maximum cannot be below the minimum.",
            ));
        }
        errors
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatrolDto {
    pub id: i32,
    pub team_id: i32,
    #[serde(with = "crate::utc")]
    pub starts_at: NaiveDateTime,
    pub meeting_point: String,
    pub route: String,
    pub min_members: i32,
    pub max_members: i32,
    pub signup_count: i32,
    pub signed_up: bool,
    /// Walkers' names, for the team's members.
    pub walkers: Vec<String>,
    /// Starts within a day with fewer walkers than its minimum.
    pub understaffed: bool,
    pub past: bool,
    /// Observations can be recorded: from two hours before the start.
    pub log_open: bool,
    pub observation_count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatrolList {
    pub items: Vec<PatrolDto>,
}

/// `POST /api/patrols/{id}/observations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ObservationInput {
    pub what: String,
    /// Where, in words (a street, a corner).
    pub place: String,
    pub observed_at: DateTime<Utc>,
}

impl ObservationInput {
    /// `patrol_start`: observations belong to the walk, so not long before it.
    pub fn validate(&self, now: DateTime<Utc>, patrol_start: DateTime<Utc>) -> Vec<FieldError> {
        let mut errors = Vec::new();
        texts(
            &mut errors,
            &[
                ("what", &self.what, 3, WHAT_MAX_CHARS),
                ("place", &self.place, 2, PLACE_MAX_CHARS),
            ],
        );
        if self.observed_at > now + chrono::Duration::minutes(5) {
            errors.push(FieldError::new(
                "observed_at",
                "in_future",
                "An observation cannot be in the future.",
            ));
        } else if self.observed_at < patrol_start - chrono::Duration::hours(OBSERVATION_LEAD_HOURS)
        {
            errors.push(FieldError::new(
                "observed_at",
                "before_patrol",
                "Record what you saw during the walk.",
            ));
        }
        errors
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObservationDto {
    pub id: i32,
    pub patrol_id: i32,
    pub what: String,
    pub place: String,
    #[serde(with = "crate::utc")]
    pub observed_at: NaiveDateTime,
    /// `null` once the observer's account was erased.
    pub observer_name: Option<String>,
    pub mine: bool,
    /// The report made from it, if any.
    pub report_id: Option<i32>,
    #[serde(with = "crate::utc")]
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ObservationList {
    pub items: Vec<ObservationDto>,
}

/// `POST /api/observations/{id}/report`: the report takes the observation's
/// what, where and when and the team's neighbourhood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ObservationReportRequest {
    pub category_id: i32,
}

/// A month of a team's work, for coordinators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMonth {
    /// First day of the month.
    pub month: NaiveDate,
    /// Patrols that started in the month with at least one walker.
    pub patrols_held: i64,
    pub observations: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamOverview {
    pub team_id: i32,
    pub name: String,
    pub neighbourhood_name: String,
    pub status: TeamStatus,
    pub members: i64,
    pub leads: i64,
    pub requests: i64,
    pub patrols_held: i64,
    pub observations: i64,
    pub months: Vec<TeamMonth>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamOverviewList {
    pub items: Vec<TeamOverview>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patrol(min: i32, max: i32, hours: i64) -> PatrolInput {
        PatrolInput {
            starts_at: Utc::now() + chrono::Duration::hours(hours),
            meeting_point: "Bij de kerk".into(),
            route: String::new(),
            min_members: min,
            max_members: max,
        }
    }

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn patrols_need_a_future_time_and_a_sane_size() {
        assert!(patrol(2, 6, 24).validate(Utc::now()).is_empty());
        assert_eq!(fields(patrol(2, 6, -1).validate(Utc::now())), ["starts_at"]);
        assert_eq!(
            fields(patrol(3, 2, 5).validate(Utc::now())),
            ["max_members"]
        );
        assert_eq!(
            fields(patrol(0, 51, 5).validate(Utc::now())),
            ["min_members", "max_members"]
        );
    }

    #[test]
    fn declining_needs_a_reason() {
        let d = |approve, reason: Option<&str>| TeamDecision {
            approve,
            reason: reason.map(str::to_owned),
        };
        assert!(d(true, None).validate().is_empty());
        assert_eq!(fields(d(false, None).validate()), ["reason"]);
        assert!(d(false, Some("Er is al een team")).validate().is_empty());
    }

    #[test]
    fn observations_belong_to_the_walk() {
        let now = Utc::now();
        let o = |hours: i64| ObservationInput {
            what: "Open raam".into(),
            place: "Hoofdstraat 3".into(),
            observed_at: now + chrono::Duration::hours(hours),
        };
        let start = now - chrono::Duration::hours(1);
        assert!(o(0).validate(now, start).is_empty());
        assert_eq!(fields(o(1).validate(now, start)), ["observed_at"]);
        assert_eq!(fields(o(-5).validate(now, start)), ["observed_at"]);
    }
}
