//! Your own data (export, erasure, consent), the audit log and retention.

use serde::{Deserialize, Serialize};

use crate::meetings::TopicStatus;
use crate::reports::{NotificationDto, ReportDto};
use crate::users::UserDto;

/// `DELETE /api/me`: the password again, so a left-open session cannot erase an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeleteAccountRequest {
    pub password: String,
}

/// `POST /api/me/consent`: accepting the current privacy statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConsentRequest {
    pub privacy_version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentDto {
    pub privacy_version: String,
    #[serde(with = "crate::utc")]
    pub accepted_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedAnswer {
    pub question: String,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedResponse {
    pub survey_id: i32,
    pub survey_title: String,
    #[serde(with = "crate::utc")]
    pub submitted_at: chrono::NaiveDateTime,
    pub answers: Vec<ExportedAnswer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedTopic {
    pub id: i32,
    pub meeting_id: i32,
    pub title: String,
    pub description: String,
    pub status: TopicStatus,
    #[serde(with = "crate::utc")]
    pub created_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedSupport {
    pub topic_id: i32,
    pub topic_title: String,
    #[serde(with = "crate::utc")]
    pub created_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedRsvp {
    pub meeting_id: i32,
    pub meeting_title: String,
    pub going: bool,
    #[serde(with = "crate::utc")]
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedPhoto {
    pub report_id: i32,
    pub id: i32,
    pub content_type: String,
    pub byte_size: i32,
    pub width: i32,
    pub height: i32,
    #[serde(with = "crate::utc")]
    pub uploaded_at: chrono::NaiveDateTime,
}

/// `GET /api/me/export`: everything the platform holds about me.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DataExport {
    #[serde(with = "crate::utc")]
    pub exported_at: chrono::NaiveDateTime,
    pub account: UserDto,
    pub consents: Vec<ConsentDto>,
    /// My reports with their public history.
    pub reports: Vec<ReportDto>,
    /// The photos of my reports: what was stored, not the images themselves.
    pub photos: Vec<ExportedPhoto>,
    /// My answers to surveys that were not anonymous (anonymous ones hold no link to me).
    pub survey_responses: Vec<ExportedResponse>,
    pub topics: Vec<ExportedTopic>,
    pub supports: Vec<ExportedSupport>,
    pub rsvps: Vec<ExportedRsvp>,
    pub notifications: Vec<NotificationDto>,
    /// The outreach campaign whose link I signed up through, if any.
    pub campaign: Option<String>,
    /// Prevention teams I proposed, belong to or asked to join.
    pub teams: Vec<ExportedMembership>,
    /// Patrols I signed up for.
    pub patrols: Vec<ExportedPatrol>,
    pub observations: Vec<ExportedObservation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedMembership {
    pub team_id: i32,
    pub team_name: String,
    /// `requested`, `active`, or `proposed` for a team I proposed and am not in.
    pub status: String,
    pub lead: bool,
    #[serde(with = "crate::utc")]
    pub since: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedPatrol {
    pub patrol_id: i32,
    pub team_id: i32,
    #[serde(with = "crate::utc")]
    pub starts_at: chrono::NaiveDateTime,
    pub meeting_point: String,
    #[serde(with = "crate::utc")]
    pub signed_up_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedObservation {
    pub id: i32,
    pub patrol_id: i32,
    pub what: String,
    pub place: String,
    #[serde(with = "crate::utc")]
    pub observed_at: chrono::NaiveDateTime,
    pub report_id: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntryDto {
    pub id: i32,
    #[serde(with = "crate::utc")]
    pub at: chrono::NaiveDateTime,
    /// `null` for the system and for erased accounts.
    pub actor_id: Option<i32>,
    pub actor_role: String,
    /// `reporter_identity_viewed`, `role_changed`, `data_exported`, `account_erased`, `purge`.
    pub action: String,
    pub subject_type: Option<String>,
    pub subject_id: Option<i32>,
    /// Counts and codes, never contents.
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub items: Vec<AuditEntryDto>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// One retention period. Kinds: `resolved_report_reporter`,
/// `closed_report_reporter`, `report_photos`, `inactive_account`,
/// `inactive_account_grace`, `outbox`, `audit_log`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RetentionSetting {
    pub kind: String,
    /// 1 to 36500 days.
    pub days: i32,
}
