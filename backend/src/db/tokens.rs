//! Refresh-token families and single-use email tokens. Only SHA-256 hashes of
//! tokens are stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::models::{EmailToken, NewEmailToken, NewRefreshToken, RefreshToken};
use super::schema::{email_tokens, refresh_tokens};
use super::DbConnection;

pub fn insert_refresh(conn: &mut DbConnection, new: &NewRefreshToken) -> QueryResult<usize> {
    diesel::insert_into(refresh_tokens::table)
        .values(new)
        .execute(conn)
}

pub fn find_refresh(
    conn: &mut DbConnection,
    token_hash: &str,
) -> QueryResult<Option<RefreshToken>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select(RefreshToken::as_select())
        .first(conn)
        .optional()
}

/// Marks a token spent. Returns false when another request spent it first.
pub fn spend_refresh(conn: &mut DbConnection, id: i32, at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        refresh_tokens::table
            .find(id)
            .filter(refresh_tokens::used_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(at))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn revoke_family(
    conn: &mut DbConnection,
    family_id: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)
}

/// Ends every session of a user, except the family `keep` when given.
pub fn revoke_user(
    conn: &mut DbConnection,
    user_id: i32,
    keep: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let target = refresh_tokens::table
        .filter(refresh_tokens::user_id.eq(user_id))
        .filter(refresh_tokens::revoked_at.is_null());
    match keep {
        Some(family) => diesel::update(target.filter(refresh_tokens::family_id.ne(family)))
            .set(refresh_tokens::revoked_at.eq(at))
            .execute(conn),
        None => diesel::update(target)
            .set(refresh_tokens::revoked_at.eq(at))
            .execute(conn),
    }
}

/// True when the family has a token that is neither revoked nor expired.
pub fn family_alive(
    conn: &mut DbConnection,
    family_id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null())
            .filter(refresh_tokens::expires_at.gt(at)),
    ))
    .get_result(conn)
}

pub fn insert_email_token(conn: &mut DbConnection, new: &NewEmailToken) -> QueryResult<usize> {
    diesel::insert_into(email_tokens::table)
        .values(new)
        .execute(conn)
}

/// An unspent, unexpired token of this purpose.
pub fn find_email_token(
    conn: &mut DbConnection,
    token_hash: &str,
    purposes: &[&str],
    at: NaiveDateTime,
) -> QueryResult<Option<EmailToken>> {
    email_tokens::table
        .filter(email_tokens::token_hash.eq(token_hash))
        .filter(email_tokens::purpose.eq_any(purposes))
        .filter(email_tokens::used_at.is_null())
        .filter(email_tokens::expires_at.gt(at))
        .select(EmailToken::as_select())
        .first(conn)
        .optional()
}

pub fn spend_email_token(conn: &mut DbConnection, id: i32, at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        email_tokens::table
            .find(id)
            .filter(email_tokens::used_at.is_null()),
    )
    .set(email_tokens::used_at.eq(at))
    .execute(conn)?;
    Ok(n == 1)
}

/// Spends every open token of a purpose, e.g. older reset links after a reset.
pub fn spend_all_email_tokens(
    conn: &mut DbConnection,
    user_id: i32,
    purpose: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        email_tokens::table
            .filter(email_tokens::user_id.eq(user_id))
            .filter(email_tokens::purpose.eq(purpose))
            .filter(email_tokens::used_at.is_null()),
    )
    .set(email_tokens::used_at.eq(at))
    .execute(conn)
}
