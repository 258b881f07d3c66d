//! Queries on outreach campaigns.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::campaigns;
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = campaigns)]
pub struct CampaignRow {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub target_group: String,
    pub channel: String,
    pub neighbourhood_id: Option<i32>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub cost_cents: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = campaigns)]
#[diesel(treat_none_as_default_value = false)]
pub struct NewCampaign<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub target_group: &'a str,
    pub channel: &'a str,
    pub neighbourhood_id: Option<i32>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub cost_cents: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewCampaign) -> QueryResult<i32> {
    diesel::insert_into(campaigns::table)
        .values(new)
        .returning(campaigns::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<CampaignRow>> {
    campaigns::table
        .find(id)
        .select(CampaignRow::as_select())
        .first(conn)
        .optional()
}

/// Newest first.
pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<CampaignRow>> {
    campaigns::table
        .select(CampaignRow::as_select())
        .order((campaigns::starts_on.desc(), campaigns::id.desc()))
        .load(conn)
}

/// The campaign a sign-up on `today` is attributed to: one whose code it is
/// and whose period includes today.
pub fn running_by_code(
    conn: &mut DbConnection,
    code: &str,
    today: NaiveDate,
) -> QueryResult<Option<i32>> {
    if !shared::campaigns::plausible_code(code) {
        return Ok(None);
    }
    campaigns::table
        .filter(campaigns::code.eq(code))
        .filter(campaigns::starts_on.le(today))
        .filter(campaigns::ends_on.ge(today))
        .select(campaigns::id)
        .first(conn)
        .optional()
}

pub fn code_taken(conn: &mut DbConnection, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        campaigns::table.filter(campaigns::code.eq(code)),
    ))
    .get_result(conn)
}
