use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::users::{Group, Language, Role, UserDto};

use super::schema::{email_tokens, neighbourhoods, outbox, refresh_tokens, users};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i32,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub role: String,
    pub user_group: Option<String>,
    pub neighbourhood_id: Option<i32>,
    pub language: String,
    pub email_verified_at: Option<NaiveDateTime>,
    pub student_verified_at: Option<NaiveDateTime>,
    pub student_domain: Option<String>,
    pub privacy_version: Option<String>,
    pub privacy_accepted_at: Option<NaiveDateTime>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The outreach campaign whose link they signed up through (first touch).
    pub campaign_id: Option<i32>,
}

impl User {
    /// The CHECK constraints keep these columns within the enums.
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Participant)
    }

    pub fn to_dto(&self) -> UserDto {
        UserDto {
            id: self.id,
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            role: self.role(),
            group: self.user_group.as_deref().and_then(Group::parse),
            neighbourhood_id: self.neighbourhood_id,
            language: Language::parse(&self.language).unwrap_or_default(),
            email_verified: self.email_verified_at.is_some(),
            verified_student: self.student_verified_at.is_some(),
            active: self.active,
            created_at: self.created_at,
            privacy_version: self.privacy_version.clone(),
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub user_group: Option<&'a str>,
    pub neighbourhood_id: Option<i32>,
    pub language: &'a str,
    pub privacy_version: Option<&'a str>,
    pub privacy_accepted_at: Option<NaiveDateTime>,
    pub email_verified_at: Option<NaiveDateTime>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub campaign_id: Option<i32>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = neighbourhoods)]
pub struct NeighbourhoodRow {
    pub id: i32,
    pub name: String,
    pub active: bool,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshToken {
    pub id: i32,
    pub user_id: i32,
    pub family_id: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = refresh_tokens)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewRefreshToken<'a> {
    pub user_id: i32,
    pub family_id: &'a str,
    pub token_hash: &'a str,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = email_tokens)]
pub struct EmailToken {
    pub id: i32,
    pub user_id: i32,
    pub purpose: String,
    pub token_hash: String,
    pub detail: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = email_tokens)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewEmailToken<'a> {
    pub user_id: i32,
    pub purpose: &'a str,
    pub token_hash: &'a str,
    pub detail: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxMail {
    pub id: i32,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = outbox)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewOutboxMail<'a> {
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub status: &'a str,
    pub created_at: NaiveDateTime,
}

/// Current time in UTC, truncated to microseconds so values round-trip
/// identically through SQLite text and PostgreSQL timestamps.
pub fn now() -> NaiveDateTime {
    use chrono::{SubsecRound, Utc};
    Utc::now().naive_utc().trunc_subsecs(6)
}
