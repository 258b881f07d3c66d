//! Reports (meldingen) of nuisance and burglary, their categories and status.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    Nuisance,
    Burglary,
}

impl ReportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Nuisance => "nuisance",
            ReportKind::Burglary => "burglary",
        }
    }

    pub fn parse(s: &str) -> Option<ReportKind> {
        [ReportKind::Nuisance, ReportKind::Burglary]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Where a report stands. `rejected` and `closed` are ends; `reopened`
/// goes back into triage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    Submitted,
    Triaged,
    Forwarded,
    Resolved,
    Rejected,
    Closed,
    Reopened,
}

impl ReportStatus {
    pub const ALL: [ReportStatus; 7] = [
        ReportStatus::Submitted,
        ReportStatus::Triaged,
        ReportStatus::Forwarded,
        ReportStatus::Resolved,
        ReportStatus::Rejected,
        ReportStatus::Closed,
        ReportStatus::Reopened,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Submitted => "submitted",
            ReportStatus::Triaged => "triaged",
            ReportStatus::Forwarded => "forwarded",
            ReportStatus::Resolved => "resolved",
            ReportStatus::Rejected => "rejected",
            ReportStatus::Closed => "closed",
            ReportStatus::Reopened => "reopened",
        }
    }

    pub fn parse(s: &str) -> Option<ReportStatus> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The statuses a coordinator may move a report to from this one.
    pub fn next(self) -> &'static [ReportStatus] {
        use ReportStatus::*;
        match self {
            Submitted => &[Triaged, Rejected],
            Triaged => &[Forwarded, Resolved, Rejected],
            Forwarded => &[Resolved],
            Resolved => &[Closed],
            Reopened => &[Triaged, Resolved, Rejected],
            Rejected | Closed => &[],
        }
    }

    pub fn can_move_to(self, to: ReportStatus) -> bool {
        self.next().contains(&to)
    }

    /// Still waiting for the municipality (counts towards the triage deadline).
    pub fn awaits_triage(self) -> bool {
        matches!(self, ReportStatus::Submitted | ReportStatus::Reopened)
    }

    pub fn is_open(self) -> bool {
        !matches!(
            self,
            ReportStatus::Resolved | ReportStatus::Rejected | ReportStatus::Closed
        )
    }
}

#[cfg(test)]
mod tests {
    use super::ReportStatus::*;
    use super::*;

    #[test]
    fn the_workflow_runs_forward_and_ends_stay_ended() {
        assert!(Submitted.can_move_to(Triaged));
        assert!(Triaged.can_move_to(Forwarded));
        assert!(Forwarded.can_move_to(Resolved));
        assert!(Reopened.can_move_to(Triaged));
        assert!(!Submitted.can_move_to(Resolved));
        assert!(!Forwarded.can_move_to(Triaged));
        assert!(Rejected.next().is_empty() && Closed.next().is_empty());
        for s in ReportStatus::ALL {
            assert_eq!(ReportStatus::parse(s.as_str()), Some(s));
            assert!(!s.can_move_to(s), "{s:?} to itself");
            assert!(
                !s.can_move_to(Reopened),
                "reopening is the reporter's, not a transition"
            );
        }
    }
}

pub const DESCRIPTION_MIN_CHARS: usize = 10;
pub const DESCRIPTION_MAX_CHARS: usize = 4000;
pub const ADDRESS_MAX_CHARS: usize = 200;
pub const NOTE_MAX_CHARS: usize = 2000;
pub const MAX_PHOTOS: usize = 3;
pub const MAX_PHOTO_BYTES: usize = 8 * 1024 * 1024;
/// A reporter may reopen a resolved report within this many days.
pub const REOPEN_DAYS: i64 = 14;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Category {
    pub id: i32,
    pub code: String,
    pub kind: ReportKind,
    pub name_nl: String,
    pub name_en: String,
    /// Working days within which the municipality triages a report.
    pub triage_days: i32,
    pub police_by_default: bool,
    pub active: bool,
}

/// `POST /api/admin/report-categories`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateCategoryRequest {
    /// Stable machine name: lowercase letters, digits and `_`.
    pub code: String,
    pub kind: ReportKind,
    pub name_nl: String,
    pub name_en: String,
    pub triage_days: i32,
    #[serde(default)]
    pub police_by_default: bool,
}

/// `PATCH /api/admin/report-categories/{id}`: only the fields present change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateCategoryRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_nl: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub triage_days: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub police_by_default: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Location {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateReportRequest {
    pub category_id: i32,
    pub description: String,
    /// RFC 3339; not in the future, at most a year ago.
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub neighbourhood_id: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// A street address as text: a location without a map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default)]
    pub anonymous_to_partners: bool,
    #[serde(default)]
    pub contact_ok: bool,
}

/// What to do about a burglary: this platform takes no aangifte.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Guidance {
    pub not_a_police_report: String,
    pub how_to_report: String,
    pub emergency: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    #[serde(with = "crate::utc")]
    pub at: chrono::NaiveDateTime,
    pub event: String,
    pub from_status: Option<ReportStatus>,
    pub to_status: Option<ReportStatus>,
    pub public_note: Option<String>,
    /// Only for coordinators and partners.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_note: Option<String>,
    /// `coordinator`, `partner`, `reporter`: never a name.
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reporter {
    pub id: i32,
    pub display_name: String,
    /// Only when the reporter agreed to be contacted.
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoRef {
    pub id: i32,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportDto {
    pub id: i32,
    /// Human reference, e.g. `WV-2026-000123`.
    pub reference: String,
    pub category_id: i32,
    pub category_code: String,
    pub kind: ReportKind,
    pub neighbourhood_id: i32,
    pub description: String,
    #[serde(with = "crate::utc")]
    pub occurred_at: chrono::NaiveDateTime,
    pub location: Option<Location>,
    pub address: Option<String>,
    pub anonymous_to_partners: bool,
    pub contact_ok: bool,
    pub status: ReportStatus,
    #[serde(with = "crate::utc")]
    pub due_at: chrono::NaiveDateTime,
    pub overdue: bool,
    #[serde(with = "crate::utc")]
    pub created_at: chrono::NaiveDateTime,
    #[serde(with = "crate::utc")]
    pub updated_at: chrono::NaiveDateTime,
    /// Hidden from partners when the reporter chose anonymity.
    pub reporter: Option<Reporter>,
    pub photos: Vec<PhotoRef>,
    pub timeline: Vec<TimelineEntry>,
    pub police_handled: bool,
    pub satisfied: Option<bool>,
    pub feedback: Option<String>,
    /// Transitions the caller may make now.
    pub allowed_transitions: Vec<ReportStatus>,
    /// Until when the reporter may reopen (resolved reports only).
    #[serde(with = "crate::utc::option", default)]
    pub reopen_until: Option<chrono::NaiveDateTime>,
    pub guidance: Option<Guidance>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportPage {
    pub items: Vec<ReportDto>,
    pub page: u32,
    pub per_page: u32,
    /// How many reports match, counted up to [`REPORT_COUNT_CAP`].
    pub total: i64,
    /// More than `total` match (the count stopped at the cap).
    #[serde(default)]
    pub total_capped: bool,
}

/// Lists count their matches up to this many (ten pages of 20): an exact
/// count of a long queue costs a visit to every report in it on every page
/// (3 ms per 1 000 on PostgreSQL), and nobody pages further. The dashboard
/// has the exact figures.
pub const REPORT_COUNT_CAP: i64 = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    pub to: ReportStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FeedbackRequest {
    pub satisfied: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReopenRequest {
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PartnerNoteRequest {
    pub note: String,
    /// Marks the report as handled by police.
    #[serde(default)]
    pub handled: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationDto {
    pub id: i32,
    pub report_id: Option<i32>,
    pub report_reference: Option<String>,
    /// `status_changed` (a report) or `topic_status` (a meeting topic).
    pub kind: String,
    /// The report's new status.
    pub status: Option<ReportStatus>,
    pub topic_id: Option<i32>,
    pub topic_title: Option<String>,
    pub topic_status: Option<crate::meetings::TopicStatus>,
    pub public_note: Option<String>,
    #[serde(with = "crate::utc")]
    pub created_at: chrono::NaiveDateTime,
    pub read: bool,
}

/// `WV-2026-000123`: the year of filing and the id.
pub fn reference(id: i32, year: i32) -> String {
    format!("WV-{year}-{id:06}")
}

/// The id inside a reference, if it is one.
pub fn parse_reference(reference: &str) -> Option<i32> {
    let mut parts = reference.strip_prefix("WV-")?.splitn(2, '-');
    let _year: u16 = parts.next()?.parse().ok()?;
    parts.next()?.parse().ok()
}
