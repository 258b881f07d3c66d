//! Recomputes every rollup from the base tables, with the same functions the
//! live writes use. `backend rebuild-metrics` writes the result; the tests
//! compare it with what the writes kept.
//!
//! Answers to anonymous surveys count for response rates only, never for a
//! person's activity (live writes do the same). What a recount cannot see:
//! erased accounts take their RSVP and support rows with them while the
//! rollups keep counting them (statistics survive erasure).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rollup::*;
use crate::db::schema::{
    meeting_rsvps, meetings, report_events, reports, survey_responses, team_members,
    topic_supports, topics, users,
};
use crate::db::DbConnection;

pub fn recount(conn: &mut DbConnection) -> QueryResult<Tally> {
    let mut t = Tally::default();
    type Person = (
        i32,
        Option<String>,
        Option<i32>,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<i32>,
    );
    let people: Vec<Person> = users::table
        .filter(users::role.eq("participant"))
        .select((
            users::id,
            users::user_group,
            users::neighbourhood_id,
            users::created_at,
            users::student_verified_at,
            users::campaign_id,
        ))
        .load(conn)?;
    let mut actors = HashMap::new();
    for (id, group, hood, created, verified, campaign) in people {
        let who = Actor {
            user_id: id,
            group: group.unwrap_or_default(),
            hood: hood.unwrap_or(0),
            signed_up: created.date(),
            campaign,
        };
        signed_up(&mut t, &who)?;
        if verified.is_some() {
            student_verified(&mut t, &who)?;
        }
        actors.insert(id, who);
    }
    let group_of = |id: Option<i32>| {
        id.and_then(|id| actors.get(&id))
            .map(|a| a.group.clone())
            .unwrap_or_default()
    };
    let mut actions: Vec<(NaiveDateTime, i32, Action)> = Vec::new();

    let triaged: HashMap<i32, NaiveDateTime> = report_events::table
        .filter(report_events::event.eq("transition"))
        .filter(report_events::from_status.eq("submitted"))
        .select((report_events::report_id, report_events::created_at))
        .load::<(i32, NaiveDateTime)>(conn)?
        .into_iter()
        .collect();
    type ReportCols = (
        i32,
        Option<i32>,
        Option<String>,
        i32,
        i32,
        String,
        Option<NaiveDateTime>,
        Option<bool>,
        NaiveDateTime,
    );
    let rows: Vec<ReportCols> = reports::table
        .select((
            reports::id,
            reports::reporter_id,
            reports::reporter_group,
            reports::neighbourhood_id,
            reports::category_id,
            reports::status,
            reports::resolved_at,
            reports::satisfied,
            reports::created_at,
        ))
        .load(conn)?;
    for (id, reporter, group, hood, category_id, status, resolved_at, satisfied, created_at) in rows
    {
        let facts = ReportFacts {
            created_at,
            group: group.unwrap_or_default(),
            hood,
            category_id,
        };
        report_filed(&mut t, &facts, &status)?;
        if let Some(at) = triaged.get(&id) {
            t.add(
                Key {
                    metric: TRIAGE,
                    day: month(created_at.date()),
                    group: facts.group.clone(),
                    hood,
                    dim: hours_bucket(created_at, *at).to_string(),
                },
                1,
            )?;
        }
        if let Some(at) = resolved_at {
            t.add(
                Key {
                    metric: RESOLVE,
                    day: month(created_at.date()),
                    group: facts.group.clone(),
                    hood,
                    dim: hours_bucket(created_at, at).to_string(),
                },
                1,
            )?;
        }
        if let Some(s) = satisfied {
            report_feedback(&mut t, &facts, s)?;
        }
        if let Some(r) = reporter {
            actions.push((created_at, r, Action::Report));
        }
    }

    type Response = (i32, Option<i32>, Option<String>, Option<i32>, NaiveDateTime);
    let responses: Vec<Response> = survey_responses::table
        .select((
            survey_responses::survey_id,
            survey_responses::respondent_id,
            survey_responses::user_group,
            survey_responses::neighbourhood_id,
            survey_responses::submitted_at,
        ))
        .load(conn)?;
    for (survey_id, respondent, group, hood, at) in responses {
        survey_answered(
            &mut t,
            survey_id,
            &group.unwrap_or_default(),
            hood.unwrap_or(0),
            at.date(),
        )?;
        if let Some(r) = respondent {
            actions.push((at, r, Action::Survey));
        }
    }

    let meeting_of: HashMap<i32, (i32, NaiveDateTime)> = meetings::table
        .select((
            meetings::id,
            meetings::neighbourhood_id,
            meetings::starts_at,
        ))
        .load::<(i32, i32, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(id, hood, starts)| (id, (hood, starts)))
        .collect();
    let topic_rows: Vec<(i32, i32, Option<i32>, NaiveDateTime)> = topics::table
        .select((
            topics::id,
            topics::meeting_id,
            topics::proposer_id,
            topics::created_at,
        ))
        .load(conn)?;
    let mut topic_meeting = HashMap::new();
    for (id, meeting_id, proposer, at) in topic_rows {
        topic_meeting.insert(id, meeting_id);
        let (hood, starts) = meeting_of[&meeting_id];
        meeting_count(&mut t, TOPICS, &group_of(proposer), hood, starts.date(), 1)?;
        if let Some(p) = proposer.filter(|p| actors.contains_key(p)) {
            actions.push((at, p, Action::Topic));
        }
    }
    let supports: Vec<(i32, i32, NaiveDateTime)> = topic_supports::table
        .select((
            topic_supports::topic_id,
            topic_supports::user_id,
            topic_supports::created_at,
        ))
        .load(conn)?;
    for (topic_id, user_id, at) in supports {
        let (hood, starts) = meeting_of[&topic_meeting[&topic_id]];
        meeting_count(
            &mut t,
            SUPPORTS,
            &group_of(Some(user_id)),
            hood,
            starts.date(),
            1,
        )?;
        actions.push((at, user_id, Action::Topic));
    }
    let rsvps: Vec<(i32, i32, NaiveDateTime)> = meeting_rsvps::table
        .filter(meeting_rsvps::going.eq(true))
        .select((
            meeting_rsvps::meeting_id,
            meeting_rsvps::user_id,
            meeting_rsvps::updated_at,
        ))
        .load(conn)?;
    for (meeting_id, user_id, at) in rsvps {
        let (hood, starts) = meeting_of[&meeting_id];
        meeting_count(
            &mut t,
            RSVPS,
            &group_of(Some(user_id)),
            hood,
            starts.date(),
            1,
        )?;
        actions.push((at, user_id, Action::Rsvp));
    }

    let joined: Vec<(i32, Option<NaiveDateTime>)> = team_members::table
        .filter(team_members::status.eq("active"))
        .select((team_members::user_id, team_members::joined_at))
        .load(conn)?;
    for (user_id, at) in joined {
        if let Some(at) = at {
            actions.push((at, user_id, Action::Team));
        }
    }

    actions.sort_by_key(|(at, user, _)| (*at, *user));
    let mut states: HashMap<i32, ActivityState> = HashMap::new();
    for (at, user, action) in actions {
        let Some(who) = actors.get(&user) else {
            continue;
        };
        let state = states.get(&user).copied().unwrap_or_default();
        let next = acted(&mut t, who, state, action, at)?;
        states.insert(user, next);
    }
    Ok(t)
}

/// The table as a tally, for comparison.
pub fn stored(conn: &mut DbConnection) -> QueryResult<Tally> {
    use crate::db::schema::metric_rollups as m;
    let rows: Vec<(String, chrono::NaiveDate, String, i32, String, i64)> = m::table
        .select((
            m::metric,
            m::day,
            m::user_group,
            m::neighbourhood_id,
            m::dim,
            m::n,
        ))
        .load(conn)?;
    let mut t = Tally::default();
    for (metric, day, group, hood, dim, n) in rows {
        let metric = ALL_METRICS
            .iter()
            .copied()
            .find(|m| *m == metric)
            .unwrap_or("unknown");
        t.add(
            Key {
                metric,
                day,
                group,
                hood,
                dim,
            },
            n,
        )?;
    }
    Ok(t)
}

pub const ALL_METRICS: [&str; 18] = [
    SIGNUPS,
    ACTIVE,
    LAST_ACTION,
    FUNNEL,
    COHORT,
    REPORTS,
    REPORTS_CAT,
    STATUS,
    TRIAGE,
    RESOLVE,
    SATISFACTION,
    RESPONSES,
    TOPICS,
    SUPPORTS,
    RSVPS,
    CAMP_SIGNUPS,
    CAMP_VERIFIED,
    CAMP_ACTIVATED,
];

/// Replaces the table with a tally (seeding, or repairing after a restore).
pub fn write(conn: &mut DbConnection, tally: &Tally) -> QueryResult<usize> {
    diesel::delete(crate::db::schema::metric_rollups::table).execute(conn)?;
    let rows: Vec<_> = tally.nonzero().into_iter().collect();
    for chunk in rows.chunks(500) {
        let values: Vec<String> = chunk
            .iter()
            .map(|(k, n)| {
                format!(
                    "('{}', '{}', '{}', {}, '{}', {})",
                    k.metric,
                    k.day.format("%Y-%m-%d"),
                    k.group.replace('\'', "''"),
                    k.hood,
                    k.dim.replace('\'', "''"),
                    n
                )
            })
            .collect();
        diesel::sql_query(format!(
            "INSERT INTO metric_rollups (metric, day, user_group, neighbourhood_id, dim, n) VALUES {}",
            values.join(", ")
        ))
        .execute(conn)?;
    }
    Ok(rows.len())
}
