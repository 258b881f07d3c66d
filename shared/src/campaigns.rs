//! Outreach campaigns: which channel brought which people, and whether they
//! then took part.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::validation::validate_text;
use crate::FieldError;

pub const NAME_MAX_CHARS: usize = 120;
/// A sign-up counts as activated when the person acts within this many days.
pub const ACTIVATION_DAYS: i64 = 30;
/// Largest cost, in cents (one million euros).
pub const MAX_COST_CENTS: i64 = 100_000_000;
/// Campaign codes: this many characters from [`CODE_ALPHABET`].
pub const CODE_LEN: usize = 8;
/// No 0/O, 1/l/I: codes are typed from posters too.
pub const CODE_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";

string_enum!(
    Channel {
        QrPrint = "qr_print",
        SocialMedia = "social_media",
        StudentAssociation = "student_association",
        IntroductionWeek = "introduction_week",
        Event = "event",
        DoorToDoor = "door_to_door",
        Other = "other",
    }
);

string_enum!(
    /// Whom the campaign aims at.
    TargetGroup {
        Resident = "resident",
        Student = "student",
        All = "all",
    }
);

/// Whether `code` could be a campaign code at all (checked before any lookup).
pub fn plausible_code(code: &str) -> bool {
    code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))
}

/// `POST /api/campaigns`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CampaignInput {
    pub name: String,
    pub target_group: TargetGroup,
    pub channel: Channel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub neighbourhood_id: Option<i32>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// In euro cents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_cents: Option<i64>,
}

impl CampaignInput {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Err(e) = validate_text("name", &self.name, 3, NAME_MAX_CHARS) {
            errors.push(e);
        }
        if self.ends_on < self.starts_on {
            errors.push(FieldError::new(
                "ends_on",
                "before_start",
                "The campaign cannot end before it starts.",
            ));
        } else if (self.ends_on - self.starts_on).num_days() > 366 {
            errors.push(FieldError::new(
                "ends_on",
                "too_long",
                "A campaign runs at most a year.",
            ));
        }
        if self
            .cost_cents
            .is_some_and(|c| !(0..=MAX_COST_CENTS).contains(&c))
        {
            errors.push(FieldError::new(
                "cost_cents",
                "out_of_range",
                "Enter a cost from 0 to 1,000,000 euros.",
            ));
        }
        errors
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignDto {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub target_group: TargetGroup,
    pub channel: Channel,
    pub neighbourhood_id: Option<i32>,
    pub neighbourhood_name: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub cost_cents: Option<i64>,
    /// The short link to print; sign-ups through it count for the campaign.
    pub signup_url: String,
    /// Today is within the campaign's period.
    pub running: bool,
    #[serde(with = "crate::utc")]
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignList {
    pub items: Vec<CampaignDto>,
}

/// One row of results: a campaign, a channel or a target group. Counts of
/// 1 to 4 are null for partners.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignResult {
    pub key: String,
    pub label: String,
    pub signups: Option<i64>,
    pub verified_students: Option<i64>,
    /// Signed up, then filed a report, answered a survey, proposed or
    /// supported a topic or joined a team within 30 days.
    pub activated: Option<i64>,
    pub cost_cents: Option<i64>,
    pub cost_per_activated_cents: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignResults {
    pub suppressed: bool,
    pub campaigns: Vec<CampaignResult>,
    pub by_channel: Vec<CampaignResult>,
    pub by_target_group: Vec<CampaignResult>,
    /// Sign-ups without a campaign link.
    pub direct: CampaignResult,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_the_poster_alphabet() {
        assert!(plausible_code("ab23cd45"));
        assert!(!plausible_code("ab23cd4"));
        assert!(!plausible_code("ab23cd4O"));
        assert!(!plausible_code("ab23cd4%"));
    }

    #[test]
    fn campaigns_check_period_and_cost() {
        let c = CampaignInput {
            name: "Introweek".into(),
            target_group: TargetGroup::Student,
            channel: Channel::IntroductionWeek,
            neighbourhood_id: None,
            starts_on: NaiveDate::from_ymd_opt(2026, 8, 17).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2026, 8, 21).unwrap(),
            cost_cents: Some(25_000),
        };
        assert!(c.validate().is_empty());
        let bad = CampaignInput {
            ends_on: NaiveDate::from_ymd_opt(2026, 8, 1).unwrap(),
            cost_cents: Some(-1),
            ..c
        };
        let fields: Vec<_> = bad.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["ends_on", "cost_cents"]);
    }
}
