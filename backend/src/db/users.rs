//! Queries on users and neighbourhoods.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::users::{Language, Role};

use super::models::{now, NeighbourhoodRow, NewUser, User};
use super::schema::{neighbourhoods, users};
use super::DbConnection;

diesel::define_sql_function! {
    /// SQL `lower()`, for case-insensitive search on both backends.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, new: &NewUser) -> QueryResult<User> {
    diesel::insert_into(users::table)
        .values(new)
        .returning(users::all_columns)
        .get_result(conn)
}

pub fn email_taken(conn: &mut DbConnection, email: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        users::table.filter(users::email.eq(email)),
    ))
    .get_result(conn)
}

pub fn admin_exists(conn: &mut DbConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        users::table.filter(users::role.eq(Role::Admin.as_str())),
    ))
    .get_result(conn)
}

#[derive(Debug, Default)]
pub struct ProfileChange<'a> {
    pub display_name: Option<&'a str>,
    pub neighbourhood_id: Option<i32>,
    pub language: Option<Language>,
}

#[derive(AsChangeset)]
#[diesel(table_name = users)]
struct ProfileChangeset<'a> {
    display_name: Option<&'a str>,
    neighbourhood_id: Option<Option<i32>>,
    language: Option<&'a str>,
    updated_at: NaiveDateTime,
}

pub fn update_profile(
    conn: &mut DbConnection,
    id: i32,
    change: &ProfileChange,
) -> QueryResult<User> {
    diesel::update(users::table.find(id))
        .set(ProfileChangeset {
            display_name: change.display_name,
            neighbourhood_id: change.neighbourhood_id.map(Some),
            language: change.language.map(Language::as_str),
            updated_at: now(),
        })
        .returning(users::all_columns)
        .get_result(conn)
}

pub fn set_password(conn: &mut DbConnection, id: i32, hash: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now())))
        .execute(conn)
}

pub fn set_email_verified(
    conn: &mut DbConnection,
    id: i32,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        users::table
            .find(id)
            .filter(users::email_verified_at.is_null()),
    )
    .set((users::email_verified_at.eq(at), users::updated_at.eq(at)))
    .execute(conn)
}

pub fn set_student_verified(
    conn: &mut DbConnection,
    id: i32,
    domain: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::student_verified_at.eq(at),
            users::student_domain.eq(domain),
            users::updated_at.eq(at),
        ))
        .execute(conn)
}

#[derive(AsChangeset)]
#[diesel(table_name = users)]
pub struct AdminChange<'a> {
    pub role: Option<&'a str>,
    pub active: Option<bool>,
    pub updated_at: NaiveDateTime,
}

pub fn admin_update(conn: &mut DbConnection, id: i32, change: &AdminChange) -> QueryResult<User> {
    diesel::update(users::table.find(id))
        .set(change)
        .returning(users::all_columns)
        .get_result(conn)
}

#[derive(Debug, Default)]
pub struct UserFilter {
    pub role: Option<Role>,
    /// Matched against email and display name, case-insensitively.
    pub text: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

/// One page of users, newest first, and the number of all matches.
pub fn list(conn: &mut DbConnection, filter: &UserFilter) -> QueryResult<(Vec<User>, i64)> {
    let pattern = filter.text.as_deref().map(|t| {
        let escaped = t
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    });
    let build = || {
        let mut q = users::table.into_boxed();
        if let Some(role) = filter.role {
            q = q.filter(users::role.eq(role.as_str()));
        }
        if let Some(p) = &pattern {
            q = q.filter(
                users::email
                    .like(p.clone())
                    .escape('\\')
                    .or(lower(users::display_name).like(p.clone()).escape('\\')),
            );
        }
        q
    };
    let total = build().count().get_result(conn)?;
    let items = build()
        .order((users::created_at.desc(), users::id.desc()))
        .offset(filter.offset)
        .limit(filter.limit)
        .select(User::as_select())
        .load(conn)?;
    Ok((items, total))
}

pub fn neighbourhood_exists(conn: &mut DbConnection, id: i32) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        neighbourhoods::table
            .find(id)
            .filter(neighbourhoods::active.eq(true)),
    ))
    .get_result(conn)
}

pub fn list_neighbourhoods(conn: &mut DbConnection) -> QueryResult<Vec<NeighbourhoodRow>> {
    neighbourhoods::table
        .filter(neighbourhoods::active.eq(true))
        .order(neighbourhoods::name.asc())
        .select(NeighbourhoodRow::as_select())
        .load(conn)
}

/// Display names of these accounts.
pub fn names(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<Vec<(i32, String)>> {
    users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load(conn)
}
