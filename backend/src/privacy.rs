//! Privacy by design: the audit log, erasure of an account, and the retention
//! purge. Everything here runs on a database connection (blocking), so it
//! serves the HTTP handlers, the daily job in the server and `backend purge`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{
    audit_log, outbox, report_photos, reports, retention_settings, user_activity, users,
};
use crate::db::{write_tx, DbConnection};
use crate::storage::BlobStore;

/// One audit entry. `actor_id` is `None` for the system (the purge).
pub struct AuditEntry<'a> {
    pub actor_id: Option<i32>,
    pub actor_role: &'a str,
    pub action: &'a str,
    pub subject: Option<(&'a str, i32)>,
    pub detail: Option<String>,
}

/// Appends to the audit log. There is no update or delete of entries except
/// the retention purge of entries older than the audit period.
pub fn audit(conn: &mut DbConnection, e: AuditEntry, at: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_id.eq(e.actor_id),
            audit_log::actor_role.eq(e.actor_role),
            audit_log::action.eq(e.action),
            audit_log::subject_type.eq(e.subject.map(|s| s.0)),
            audit_log::subject_id.eq(e.subject.map(|s| s.1)),
            audit_log::detail.eq(e.detail),
            audit_log::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// A consent record: this person accepted this version of the privacy statement.
pub fn record_consent(
    conn: &mut DbConnection,
    user_id: i32,
    version: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    use crate::db::schema::consents;
    diesel::insert_into(consents::table)
        .values((
            consents::user_id.eq(user_id),
            consents::privacy_version.eq(version),
            consents::accepted_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records that someone was active (login, session refresh), for the
/// inactive-account rule; clears an earlier inactivity warning.
pub fn touch(conn: &mut DbConnection, user_id: i32, at: NaiveDateTime) -> QueryResult<()> {
    let changed = diesel::update(user_activity::table.find(user_id))
        .set((
            user_activity::last_seen_at.eq(at),
            user_activity::warned_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(user_activity::table)
            .values((
                user_activity::user_id.eq(user_id),
                user_activity::last_seen_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct ErasureCounts {
    pub reports_unlinked: usize,
    pub outbox_mails: usize,
}

/// Erases an account: my reports stay for statistics without any link to me
/// or my feedback text; non-anonymous survey answers are detached; topics stay
/// without my name (the foreign keys set NULL); sessions, tokens,
/// notifications, supports, RSVPs, team memberships, patrol sign-ups and
/// consents go with the account (cascade); observations stay in the team's
/// log without my name; team proposals not approved are deleted;
/// mails to my address leave the outbox. Runs inside the caller's transaction.
pub fn erase_account(conn: &mut DbConnection, user_id: i32) -> QueryResult<ErasureCounts> {
    use crate::db::schema::{survey_answers, survey_responses, topics};
    let found: Option<(String, String)> = users::table
        .find(user_id)
        .select((users::email, users::display_name))
        .first(conn)
        .optional()?;
    let Some((email, name)) = found else {
        return Ok(ErasureCounts::default());
    };
    // My name in texts I wrote myself goes too (people sign their reports).
    let name = name.trim().to_owned();
    if name.chars().count() >= 3 {
        use diesel::dsl::sql;
        use diesel::sql_types::{Nullable, Text};
        let replace = |column: &'static str| {
            sql::<Text>(&format!("REPLACE({column}, "))
                .bind::<Text, _>(name.clone())
                .sql(", '[naam verwijderd]')")
        };
        diesel::update(reports::table.filter(reports::reporter_id.eq(user_id)))
            .set(reports::description.eq(replace("description")))
            .execute(conn)?;
        diesel::update(topics::table.filter(topics::proposer_id.eq(user_id)))
            .set((
                topics::title.eq(replace("title")),
                topics::description.eq(replace("description")),
            ))
            .execute(conn)?;
        diesel::update(
            crate::db::schema::observations::table
                .filter(crate::db::schema::observations::user_id.eq(user_id)),
        )
        .set(crate::db::schema::observations::what.eq(replace("what")))
        .execute(conn)?;
        let mine = survey_responses::table
            .filter(survey_responses::respondent_id.eq(user_id))
            .select(survey_responses::id);
        diesel::update(survey_answers::table.filter(survey_answers::response_id.eq_any(mine)))
            .set(
                survey_answers::text.eq(sql::<Nullable<Text>>("REPLACE(text, ")
                    .bind::<Text, _>(name.clone())
                    .sql(", '[naam verwijderd]')")),
            )
            .execute(conn)?;
    }
    let reports_unlinked = diesel::update(reports::table.filter(reports::reporter_id.eq(user_id)))
        .set((
            reports::reporter_id.eq(None::<i32>),
            reports::contact_ok.eq(false),
            reports::feedback.eq(None::<String>),
        ))
        .execute(conn)?;
    // Team proposals nobody approved hold only my words and my contact details.
    // My places on patrols still to come free up; walks already made keep
    // their count of walkers (a figure, without my name).
    {
        use crate::db::schema::{patrol_signups, patrols, teams};
        let mine = patrol_signups::table
            .filter(patrol_signups::user_id.eq(user_id))
            .select(patrol_signups::patrol_id);
        diesel::update(
            patrols::table
                .filter(patrols::id.eq_any(mine))
                .filter(patrols::starts_at.gt(crate::db::models::now())),
        )
        .set(patrols::signup_count.eq(patrols::signup_count - 1))
        .execute(conn)?;
        diesel::delete(
            teams::table
                .filter(teams::proposer_id.eq(user_id))
                .filter(teams::status.ne("approved")),
        )
        .execute(conn)?;
    }
    let outbox_mails =
        diesel::delete(outbox::table.filter(outbox::recipient.eq(&email))).execute(conn)?;
    // Audit entries about this account stay, without pointing at it.
    diesel::update(
        audit_log::table
            .filter(audit_log::subject_type.eq("user"))
            .filter(audit_log::subject_id.eq(user_id)),
    )
    .set(audit_log::subject_id.eq(None::<i32>))
    .execute(conn)?;
    diesel::delete(users::table.find(user_id)).execute(conn)?;
    Ok(ErasureCounts {
        reports_unlinked,
        outbox_mails,
    })
}

/// Retention periods in days, by kind (see migration 000007 for defaults).
pub fn retention_days(conn: &mut DbConnection) -> QueryResult<Vec<(String, i32)>> {
    retention_settings::table
        .order(retention_settings::kind.asc())
        .select((retention_settings::kind, retention_settings::days))
        .load(conn)
}

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct PurgeCounts {
    pub resolved_reports_unlinked: usize,
    pub closed_reports_unlinked: usize,
    pub photos_deleted: usize,
    pub accounts_warned: usize,
    pub accounts_erased: usize,
    pub outbox_mails_deleted: usize,
    pub audit_entries_deleted: usize,
}

#[derive(Debug)]
pub enum PurgeOutcome {
    Done {
        counts: PurgeCounts,
        /// Accounts to send the inactivity warning to: (email, language).
        warn: Vec<(String, String)>,
    },
    /// Another instance holds the purge lock right now.
    Busy,
}

/// An arbitrary, fixed key for PostgreSQL's advisory lock on the purge.
const PURGE_LOCK: i64 = 0x5756_5055_5247; // "WVPURG"

/// Applies the retention periods as of `now`. With `dry_run` nothing changes
/// and the counts say what would. Safe to run from several instances at once:
/// on PostgreSQL a transaction-level advisory lock lets one run and the others
/// answer `Busy`; on SQLite the write transaction serialises them and the
/// second finds nothing left to do. Photo files are deleted after the rows
/// are, so a crash leaves at most an orphaned file, never a dangling row.
pub fn purge(
    conn: &mut DbConnection,
    photos: &dyn BlobStore,
    now: NaiveDateTime,
    dry_run: bool,
    progress: &mut dyn FnMut(&str, usize),
) -> QueryResult<PurgeOutcome> {
    let mut photo_keys: Vec<String> = Vec::new();
    let outcome = write_tx(conn, |conn| -> QueryResult<PurgeOutcome> {
        if let DbConnection::Pg(_) = conn {
            #[derive(QueryableByName)]
            struct Locked {
                #[diesel(sql_type = diesel::sql_types::Bool)]
                locked: bool,
            }
            let got: Locked = diesel::sql_query(format!(
                "SELECT pg_try_advisory_xact_lock({PURGE_LOCK}) AS locked"
            ))
            .get_result(conn)?;
            if !got.locked {
                return Ok(PurgeOutcome::Busy);
            }
            // Not a request: the purge may delete a lot at once (the first
            // run after a long pause), so the serving connection's statement
            // timeout is lifted until this transaction ends.
            diesel::sql_query("SET LOCAL statement_timeout = 0").execute(conn)?;
        }
        let days: std::collections::HashMap<String, i32> =
            retention_days(conn)?.into_iter().collect();
        let before = |kind: &str, default: i64| {
            now - chrono::Duration::days(days.get(kind).map(|d| *d as i64).unwrap_or(default))
        };
        let mut c = PurgeCounts::default();
        let unlink = || {
            (
                reports::reporter_id.eq(None::<i32>),
                reports::contact_ok.eq(false),
                reports::feedback.eq(None::<String>),
            )
        };

        let resolved = reports::table
            .filter(reports::reporter_id.is_not_null())
            .filter(reports::status.eq("resolved"))
            .filter(reports::resolved_at.lt(before("resolved_report_reporter", 365)));
        c.resolved_reports_unlinked = if dry_run {
            resolved.count().get_result::<i64>(conn)? as usize
        } else {
            diesel::update(resolved).set(unlink()).execute(conn)?
        };
        progress("resolved reports unlinked", c.resolved_reports_unlinked);

        let closed = reports::table
            .filter(reports::reporter_id.is_not_null())
            .filter(reports::status.eq_any(["rejected", "closed"]))
            .filter(reports::updated_at.lt(before("closed_report_reporter", 183)));
        c.closed_reports_unlinked = if dry_run {
            closed.count().get_result::<i64>(conn)? as usize
        } else {
            diesel::update(closed).set(unlink()).execute(conn)?
        };
        progress("closed reports unlinked", c.closed_reports_unlinked);

        let old_photos =
            report_photos::table.filter(report_photos::created_at.lt(before("report_photos", 365)));
        photo_keys = old_photos.select(report_photos::storage_key).load(conn)?;
        c.photos_deleted = photo_keys.len();
        if !dry_run {
            diesel::delete(old_photos).execute(conn)?;
        }
        progress("photos deleted", c.photos_deleted);

        // Inactive accounts: warned first, erased after the grace period
        // unless they came back (a login clears the warning).
        let inactive_before = before("inactive_account", 730);
        let grace_before = before("inactive_account_grace", 30);
        let to_erase: Vec<i32> = user_activity::table
            .inner_join(users::table)
            .filter(users::role.eq("participant"))
            .filter(user_activity::warned_at.lt(grace_before))
            .filter(user_activity::last_seen_at.lt(inactive_before))
            .select(users::id)
            .load(conn)?;
        let to_warn: Vec<(i32, String, String)> = user_activity::table
            .inner_join(users::table)
            .filter(users::role.eq("participant"))
            .filter(user_activity::warned_at.is_null())
            .filter(user_activity::last_seen_at.lt(inactive_before))
            .select((users::id, users::email, users::language))
            .load(conn)?;
        c.accounts_warned = to_warn.len();
        c.accounts_erased = to_erase.len();
        if !dry_run {
            let ids: Vec<i32> = to_warn.iter().map(|w| w.0).collect();
            diesel::update(user_activity::table.filter(user_activity::user_id.eq_any(&ids)))
                .set(user_activity::warned_at.eq(now))
                .execute(conn)?;
            for id in &to_erase {
                erase_account(conn, *id)?;
            }
        }
        progress("inactive accounts warned", c.accounts_warned);
        progress("inactive accounts erased", c.accounts_erased);

        let old_mail = outbox::table.filter(outbox::created_at.lt(before("outbox", 30)));
        c.outbox_mails_deleted = if dry_run {
            old_mail.count().get_result::<i64>(conn)? as usize
        } else {
            diesel::delete(old_mail).execute(conn)?
        };
        progress("outbox mails deleted", c.outbox_mails_deleted);

        let old_audit =
            audit_log::table.filter(audit_log::created_at.lt(before("audit_log", 1826)));
        c.audit_entries_deleted = if dry_run {
            old_audit.count().get_result::<i64>(conn)? as usize
        } else {
            diesel::delete(old_audit).execute(conn)?
        };
        progress("audit entries deleted", c.audit_entries_deleted);

        if !dry_run && c != PurgeCounts::default() {
            audit(
                conn,
                AuditEntry {
                    actor_id: None,
                    actor_role: "system",
                    action: "purge",
                    subject: None,
                    detail: serde_json::to_string(&c).ok(),
                },
                now,
            )?;
        }
        let warn = if dry_run {
            Vec::new()
        } else {
            to_warn.into_iter().map(|(_, e, l)| (e, l)).collect()
        };
        Ok(PurgeOutcome::Done { counts: c, warn })
    })?;
    if !dry_run {
        for key in &photo_keys {
            if let Err(e) = photos.delete(key) {
                tracing::warn!(error = %e, "photo file not deleted; the row is gone");
            }
        }
    }
    Ok(outcome)
}

/// Mails the inactivity warning: log in within the grace period to keep the account.
pub async fn send_warnings(
    mailer: &crate::mail::Mailer,
    pool: &crate::db::Pool,
    public_url: &str,
    warn: Vec<(String, String)>,
) -> crate::error::ApiResult<()> {
    for (email, lang) in warn {
        let lang = shared::users::Language::parse(&lang).unwrap_or_default();
        let (subject, body) = crate::mail::inactive_warning(lang, public_url);
        mailer
            .send(
                pool,
                crate::mail::Mail {
                    to: email,
                    subject,
                    body,
                },
            )
            .await?;
    }
    Ok(())
}

/// The purge once a day in the server. Several instances may each run it;
/// the lock inside `purge` keeps that safe.
pub fn spawn_daily(state: actix_web::web::Data<crate::startup::AppState>) {
    tokio::spawn(async move {
        // First run ten minutes after start (not during a deploy's warm-up), then daily.
        let day = std::time::Duration::from_secs(24 * 3600);
        let first = tokio::time::Instant::now() + std::time::Duration::from_secs(600);
        let mut interval = tokio::time::interval_at(first, day);
        loop {
            interval.tick().await;
            let photos = state.photos.clone();
            let result = crate::db::run_write(&state.pool, move |conn| {
                Ok(purge(
                    conn,
                    photos.as_ref(),
                    crate::db::models::now(),
                    false,
                    &mut |_, _| {},
                )?)
            })
            .await;
            match result {
                Ok(PurgeOutcome::Done { counts, warn }) => {
                    tracing::info!(?counts, "retention purge done");
                    if let Err(e) =
                        send_warnings(&state.mailer, &state.pool, &state.config.public_url, warn)
                            .await
                    {
                        tracing::warn!(error = %e, "inactivity warnings not sent");
                    }
                }
                Ok(PurgeOutcome::Busy) => tracing::info!("retention purge running elsewhere"),
                Err(e) => tracing::warn!(error = %e, "retention purge failed"),
            }
        }
    });
}
