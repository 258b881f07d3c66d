//! `backend seed-demo`: fills a database with realistic, clearly fake data
//! (participants, reports with their history, surveys with responses,
//! meetings with topics, supports, RSVPs and actions) at any size, and the
//! rollups that go with it, computed by the same functions as live writes.
//!
//! Rows go in as multi-row INSERTs of generated literals (no user input), in
//! transactions of a few thousand rows: a million reports take minutes, not
//! hours, on both databases. Demo accounts get an unusable password hash.

use std::collections::HashMap;
use std::io::Write;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::recount::write;
use super::rollup::*;
use crate::db::{write_tx, DbConnection};

#[derive(Debug, Clone)]
pub struct SeedOptions {
    pub participants: usize,
    pub reports: usize,
    pub surveys: usize,
    /// Meetings per neighbourhood per month.
    pub meetings_per_month: usize,
    /// How far back the data goes.
    pub months: i64,
    pub seed: u64,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SeedCounts {
    pub participants: usize,
    pub reports: usize,
    pub events: usize,
    pub surveys: usize,
    pub responses: usize,
    pub meetings: usize,
    pub topics: usize,
    pub supports: usize,
    pub rsvps: usize,
    pub actions: usize,
    pub rollup_rows: usize,
}

/// Progress bar on standard error: `label [#####     ] 50% 500/1000`.
pub struct Progress {
    label: &'static str,
    total: usize,
    shown: usize,
}

impl Progress {
    pub fn new(label: &'static str, total: usize) -> Progress {
        let p = Progress {
            label,
            total: total.max(1),
            shown: usize::MAX,
        };
        p.draw(0);
        p
    }

    pub fn set(&mut self, done: usize) {
        let pct = done * 100 / self.total;
        if pct != self.shown {
            self.shown = pct;
            self.draw(done);
        }
    }

    fn draw(&self, done: usize) {
        let width = 30;
        let filled = done * width / self.total;
        eprint!(
            "\r{:<12} [{}{}] {:>3}% {}/{}",
            self.label,
            "#".repeat(filled),
            " ".repeat(width - filled),
            done * 100 / self.total,
            done,
            self.total
        );
        let _ = std::io::stderr().flush();
    }

    pub fn finish(mut self) {
        self.set(self.total);
        self.draw(self.total);
        eprintln!();
    }
}

/// Collects rows of one table and writes them in multi-row INSERTs.
struct Batch {
    head: String,
    rows: Vec<String>,
}

impl Batch {
    fn new(table: &str, columns: &str) -> Batch {
        Batch {
            head: format!("INSERT INTO {table} ({columns}) VALUES "),
            rows: Vec::new(),
        }
    }

    fn push(&mut self, conn: &mut DbConnection, row: String) -> QueryResult<()> {
        self.rows.push(row);
        if self.rows.len() >= 500 {
            self.flush(conn)?;
        }
        Ok(())
    }

    /// Adds a row that refers to rows of other batches: those are written
    /// first, in the order given, whenever this one is written.
    fn push_after(
        &mut self,
        conn: &mut DbConnection,
        parents: &mut [&mut Batch],
        row: String,
    ) -> QueryResult<()> {
        self.rows.push(row);
        if self.rows.len() >= 500 {
            for p in parents.iter_mut() {
                p.flush(conn)?;
            }
            self.flush(conn)?;
        }
        Ok(())
    }

    fn flush(&mut self, conn: &mut DbConnection) -> QueryResult<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let sql = format!("{}{}", self.head, self.rows.join(", "));
        self.rows.clear();
        diesel::sql_query(sql).execute(conn)?;
        Ok(())
    }
}

fn t(at: NaiveDateTime) -> String {
    format!("'{}'", at.format("%Y-%m-%d %H:%M:%S"))
}

fn opt_t(at: Option<NaiveDateTime>) -> String {
    at.map_or("NULL".into(), t)
}

fn b(v: bool) -> &'static str {
    if v {
        "TRUE"
    } else {
        "FALSE"
    }
}

fn s(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

const DESCRIPTIONS: [&str; 8] = [
    "Geluidsoverlast van een feest tot laat in de nacht",
    "Fietsen uit de gang gestolen, slot doorgeknipt",
    "Groep jongeren hangt elke avond bij het portiek",
    "Inbraak in de schuur, deur geforceerd",
    "Harde muziek uit studentenhuis na middernacht",
    "Verdachte persoon probeert deuren van auto's",
    "Overlast van scooters op de stoep",
    "Raam van de benedenwoning ingegooid",
];

/// Fills the database. Refuses when it already holds reports, so that demo
/// data never mixes with real data.
pub fn seed(
    conn: &mut DbConnection,
    o: &SeedOptions,
    now: NaiveDateTime,
) -> anyhow::Result<SeedCounts> {
    use crate::db::schema::{reports, users};
    let existing: i64 = reports::table.count().get_result(conn)?;
    if existing > 0 {
        anyhow::bail!(
            "the database already holds {existing} reports; seed-demo only fills an empty one"
        );
    }
    let mut rng = StdRng::seed_from_u64(o.seed);
    let mut tally = Tally::default();
    let mut counts = SeedCounts::default();
    let start = now - Duration::days(30 * o.months.max(1));
    let span = (now - start).num_seconds();
    let hoods: Vec<i32> = crate::db::schema::neighbourhoods::table
        .select(crate::db::schema::neighbourhoods::id)
        .load(conn)?;
    let categories = crate::db::reports::categories(conn)?;
    anyhow::ensure!(
        !hoods.is_empty() && !categories.is_empty(),
        "run the migrations first"
    );
    let first_user: i32 = users::table
        .select(diesel::dsl::max(users::id))
        .first::<Option<i32>>(conn)?
        .unwrap_or(0)
        + 1;
    let mut actions: Vec<(NaiveDateTime, usize, Action)> = Vec::new();

    // Participants, signing up evenly over the period (a few more at the start).
    let mut people: Vec<Actor> = Vec::with_capacity(o.participants);
    let mut bar = Progress::new("participants", o.participants);
    let mut batch = Batch::new(
        "users",
        "id, email, password_hash, display_name, role, user_group, neighbourhood_id, language, \
         email_verified_at, student_verified_at, student_domain, privacy_version, \
         privacy_accepted_at, active, created_at, updated_at",
    );
    for chunk in (0..o.participants).collect::<Vec<_>>().chunks(5000) {
        write_tx(conn, |conn| -> QueryResult<()> {
            for &i in chunk {
                let id = first_user + i as i32;
                let offset = (rng.gen::<f64>().powf(1.3) * span as f64) as i64;
                let created = start + Duration::seconds(offset);
                let student = rng.gen_bool(0.6);
                let verified = student && rng.gen_bool(0.7);
                let hood = hoods[rng.gen_range(0..hoods.len())];
                let group = if student { "student" } else { "resident" };
                batch.push(
                    conn,
                    format!(
                        "({id}, 'demo{id}@demo.invalid', '!demo', 'Demo {id}', 'participant', '{group}', \
                         {hood}, 'nl', {}, {}, {}, {}, {}, TRUE, {}, {})",
                        t(created),
                        opt_t(verified.then_some(created + Duration::hours(1))),
                        if verified { "'student.demo.invalid'" } else { "NULL" },
                        s(shared::PRIVACY_VERSION),
                        t(created),
                        t(created),
                        t(created)
                    ),
                )?;
                let who = Actor {
                    user_id: id,
                    group: group.into(),
                    hood,
                    signed_up: created.date(),
                    campaign: None,
                };
                signed_up(&mut tally, &who)?;
                if verified {
                    student_verified(&mut tally, &who)?;
                }
                people.push(who);
            }
            batch.flush(conn)
        })?;
        bar.set(people.len());
    }
    bar.finish();
    counts.participants = people.len();
    if people.is_empty() {
        write(conn, &tally)?;
        return Ok(counts);
    }
    let created_of: Vec<NaiveDateTime> = people
        .iter()
        .map(|p| p.signed_up.and_hms_opt(12, 0, 0).unwrap_or(start))
        .collect();
    // Participants in order of sign-up: a report at time t comes from someone
    // who had signed up by then, and reports spread evenly over the period.
    let mut by_signup: Vec<usize> = (0..people.len()).collect();
    by_signup.sort_by_key(|p| created_of[*p]);

    // Reports: filed by a participant after their sign-up, mostly in their own
    // neighbourhood; triaged within hours to days, many forwarded and resolved.
    let first_report: i32 = 1;
    let mut bar = Progress::new("reports", o.reports);
    let mut rb = Batch::new(
        "reports",
        "id, reporter_id, category_id, kind, neighbourhood_id, description, occurred_at, lat, lon, \
         address, anonymous_to_partners, contact_ok, status, due_at, forwarded_at, \
         police_handled_at, resolved_at, satisfied, feedback, feedback_at, created_at, updated_at, \
         reporter_group",
    );
    let mut eb = Batch::new(
        "report_events",
        "report_id, actor_id, actor_role, event, from_status, to_status, public_note, created_at",
    );
    for chunk in (0..o.reports).collect::<Vec<_>>().chunks(5000) {
        write_tx(conn, |conn| -> QueryResult<()> {
            for &i in chunk {
                let id = first_report + i as i32;
                let mut created = start + Duration::seconds(rng.gen_range(0..span.max(60)));
                let known = by_signup.partition_point(|p| created_of[*p] <= created);
                let p = if known == 0 {
                    created = created_of[by_signup[0]].min(now);
                    by_signup[0]
                } else {
                    by_signup[rng.gen_range(0..known)]
                };
                let who = &people[p];
                let cat = &categories[rng.gen_range(0..categories.len())];
                let hood = if rng.gen_bool(0.85) {
                    who.hood
                } else {
                    hoods[rng.gen_range(0..hoods.len())]
                };
                let facts = ReportFacts {
                    created_at: created,
                    group: who.group.clone(),
                    hood,
                    category_id: cat.id,
                };
                let due =
                    crate::domain::working_days::add_working_days(created, cat.triage_days as u32);
                let mut status = "submitted";
                let mut events = vec![(created, "created", None, "submitted", None)];
                let triage_at = created + Duration::minutes(rng.gen_range(20..(60 * 24 * 6)));
                let (mut forwarded_at, mut resolved_at, mut satisfied) = (None, None, None);
                let mut updated = created;
                if triage_at < now {
                    if rng.gen_bool(0.08) {
                        events.push((
                            triage_at,
                            "transition",
                            Some("submitted"),
                            "rejected",
                            Some("Geen taak voor de gemeente."),
                        ));
                        status = "rejected";
                    } else {
                        events.push((triage_at, "transition", Some("submitted"), "triaged", None));
                        status = "triaged";
                        let mut at = triage_at;
                        if cat.police_by_default || rng.gen_bool(0.2) {
                            at += Duration::hours(rng.gen_range(1..48));
                            if at < now {
                                events.push((at, "transition", Some("triaged"), "forwarded", None));
                                status = "forwarded";
                                forwarded_at = Some(at);
                            }
                        }
                        let done = at + Duration::hours(rng.gen_range(4..(24 * 20)));
                        if done < now && rng.gen_bool(0.85) {
                            events.push((
                                done,
                                "transition",
                                Some(status),
                                "resolved",
                                Some("Opgelost, dank voor uw melding."),
                            ));
                            status = "resolved";
                            resolved_at = Some(done);
                            if rng.gen_bool(0.4) {
                                satisfied = Some(rng.gen_bool(0.72));
                            }
                        }
                    }
                }
                report_filed(&mut tally, &facts, "submitted")?;
                for (at, _, from, to, _) in &events[1..] {
                    report_moved(&mut tally, &facts, from.unwrap_or("submitted"), to, *at)?;
                    updated = *at;
                }
                if let Some(sat) = satisfied {
                    report_feedback(&mut tally, &facts, sat)?;
                }
                actions.push((created, p, Action::Report));
                let (lat, lon) = (
                    53.2 + rng.gen::<f64>() * 0.04,
                    6.53 + rng.gen::<f64>() * 0.06,
                );
                rb.push(
                    conn,
                    format!(
                        "({id}, {}, {}, {}, {hood}, {}, {}, {lat:.5}, {lon:.5}, NULL, {}, {}, '{status}', \
                         {}, {}, NULL, {}, {}, NULL, {}, {}, {}, '{}')",
                        who.user_id,
                        cat.id,
                        s(&cat.kind),
                        s(DESCRIPTIONS[rng.gen_range(0..DESCRIPTIONS.len())]),
                        t(created - Duration::minutes(rng.gen_range(5..600))),
                        b(rng.gen_bool(0.3)),
                        b(rng.gen_bool(0.6)),
                        t(due),
                        opt_t(forwarded_at),
                        opt_t(resolved_at),
                        satisfied.map_or("NULL", b),
                        opt_t(satisfied.map(|_| updated)),
                        t(created),
                        t(updated),
                        who.group
                    ),
                )?;
                for (at, event, from, to, note) in events {
                    counts.events += 1;
                    let (actor, role) = if event == "created" {
                        (who.user_id.to_string(), "reporter")
                    } else {
                        ("NULL".into(), "coordinator")
                    };
                    eb.push_after(
                        conn,
                        &mut [&mut rb],
                        format!(
                            "({id}, {actor}, '{role}', '{event}', {}, '{to}', {}, {})",
                            from.map_or("NULL".into(), s),
                            note.map_or("NULL".into(), s),
                            t(at)
                        ),
                    )?;
                }
            }
            rb.flush(conn)?;
            eb.flush(conn)
        })?;
        counts.reports += chunk.len();
        bar.set(counts.reports);
    }
    bar.finish();

    // Surveys, spread over the period, each answered by a share of its audience.
    let mut bar = Progress::new("surveys", o.surveys);
    write_tx(conn, |conn| -> QueryResult<()> {
        let mut sb = Batch::new(
            "surveys",
            "id, title_nl, title_en, intro_nl, intro_en, audience_groups, opens_at, closes_at, \
             anonymous, status, created_at, updated_at, published_at, closed_at",
        );
        let mut resp = Batch::new(
            "survey_responses",
            "survey_id, respondent_id, respondent_key, user_group, neighbourhood_id, submitted_at",
        );
        for k in 0..o.surveys {
            let id = 1 + k as i32;
            let opens = start + Duration::seconds(span * k as i64 / o.surveys.max(1) as i64);
            let closes = opens + Duration::days(21);
            let status = if closes < now { "closed" } else { "published" };
            let anonymous = k % 2 == 1;
            let groups = if k % 3 == 0 {
                "student"
            } else {
                "student,resident"
            };
            sb.push(
                conn,
                format!(
                    "({id}, 'Veiligheidsbeleving {n}', 'Sense of safety {n}', 'Demo-enquête.', \
                     'Demo survey.', '{groups}', {}, {}, {}, '{status}', {}, {}, {}, {})",
                    t(opens),
                    t(closes),
                    b(anonymous),
                    t(opens),
                    t(opens),
                    t(opens),
                    opt_t((status == "closed").then_some(closes)),
                    n = k + 1
                ),
            )?;
            for (p, who) in people.iter().enumerate() {
                if !groups.contains(who.group.as_str())
                    || created_of[p] > opens
                    || !rng.gen_bool(0.15)
                {
                    continue;
                }
                let mut at = opens + Duration::seconds(rng.gen_range(0..21 * 86_400));
                if at > now {
                    continue;
                }
                if anonymous {
                    at = at.date().and_hms_opt(0, 0, 0).unwrap_or(at);
                }
                survey_answered(&mut tally, id, &who.group, who.hood, at.date())?;
                if !anonymous {
                    actions.push((at, p, Action::Survey));
                }
                counts.responses += 1;
                resp.push_after(
                    conn,
                    &mut [&mut sb],
                    format!(
                        "({id}, {}, 'demo-{id}-{}', '{}', {}, {})",
                        if anonymous {
                            "NULL".into()
                        } else {
                            who.user_id.to_string()
                        },
                        who.user_id,
                        who.group,
                        who.hood,
                        t(at)
                    ),
                )?;
            }
            counts.surveys += 1;
            bar.set(counts.surveys);
        }
        sb.flush(conn)?;
        resp.flush(conn)
    })?;
    bar.finish();

    // Meetings in every neighbourhood, with topics, supports, RSVPs and actions.
    let mut by_hood: HashMap<i32, Vec<usize>> = HashMap::new();
    for (p, who) in people.iter().enumerate() {
        by_hood.entry(who.hood).or_default().push(p);
    }
    let months = o.months.max(1);
    let total_meetings = hoods.len() * months as usize * o.meetings_per_month;
    let mut bar = Progress::new("meetings", total_meetings);
    write_tx(conn, |conn| -> QueryResult<()> {
        let mut mb = Batch::new(
            "meetings",
            "id, neighbourhood_id, title, starts_at, place, description, propose_until, capacity, \
             status, created_at, updated_at",
        );
        let mut tb = Batch::new(
            "topics",
            "id, meeting_id, proposer_id, title, description, status, support_count, created_at, updated_at",
        );
        let mut sup = Batch::new("topic_supports", "topic_id, user_id, created_at");
        let mut rs = Batch::new("meeting_rsvps", "meeting_id, user_id, going, updated_at");
        let mut ab = Batch::new(
            "follow_up_actions",
            "topic_id, description, owner, due_on, status, created_at, updated_at",
        );
        let (mut meeting_id, mut topic_id) = (0, 0);
        for &hood in &hoods {
            let locals = by_hood.get(&hood).cloned().unwrap_or_default();
            for m in 0..months * o.meetings_per_month as i64 {
                meeting_id += 1;
                let starts = (start
                    + Duration::days(30 * m / o.meetings_per_month.max(1) as i64 + 20))
                .date()
                .and_hms_opt(19, 30, 0)
                .unwrap_or(start);
                let held = starts < now;
                let status = if held { "held" } else { "planned" };
                let created = starts - Duration::days(30);
                mb.push(
                    conn,
                    format!(
                        "({meeting_id}, {hood}, 'Wijkveiligheidsoverleg', {}, 'Buurthuis', \
                         'Burgemeester, politie en OM met bewoners.', {}, 80, '{status}', {}, {})",
                        t(starts),
                        t(starts - Duration::days(3)),
                        t(created),
                        t(created)
                    ),
                )?;
                counts.meetings += 1;
                let eligible: Vec<usize> = locals
                    .iter()
                    .copied()
                    .filter(|p| created_of[*p] < starts - Duration::days(3))
                    .collect();
                if eligible.is_empty() {
                    continue;
                }
                for _ in 0..rng.gen_range(2..6) {
                    topic_id += 1;
                    let p = eligible[rng.gen_range(0..eligible.len())];
                    let at = (starts - Duration::days(rng.gen_range(4..28))).max(created_of[p]);
                    if at > now {
                        continue;
                    }
                    let mut supporters = Vec::new();
                    for _ in 0..rng.gen_range(0..12) {
                        let q = eligible[rng.gen_range(0..eligible.len())];
                        if q != p && !supporters.contains(&q) {
                            supporters.push(q);
                        }
                    }
                    let topic_status = if held { "discussed" } else { "proposed" };
                    tb.push_after(
                        conn,
                        &mut [&mut mb],
                        format!(
                            "({topic_id}, {meeting_id}, {}, 'Overlast bij het plein', \
                             'Wat kunnen we samen doen?', '{topic_status}', {}, {}, {})",
                            people[p].user_id,
                            supporters.len(),
                            t(at),
                            t(at)
                        ),
                    )?;
                    counts.topics += 1;
                    meeting_count(&mut tally, TOPICS, &people[p].group, hood, starts.date(), 1)?;
                    actions.push((at, p, Action::Topic));
                    for q in supporters {
                        let sat = (at + Duration::hours(rng.gen_range(1..72))).min(now);
                        sup.push_after(
                            conn,
                            &mut [&mut mb, &mut tb],
                            format!("({topic_id}, {}, {})", people[q].user_id, t(sat)),
                        )?;
                        meeting_count(
                            &mut tally,
                            SUPPORTS,
                            &people[q].group,
                            hood,
                            starts.date(),
                            1,
                        )?;
                        actions.push((sat, q, Action::Topic));
                        counts.supports += 1;
                    }
                    if held && rng.gen_bool(0.5) {
                        let due = (starts + Duration::days(rng.gen_range(14..90))).date();
                        let done = due < now.date() && rng.gen_bool(0.7);
                        ab.push_after(
                            conn,
                            &mut [&mut mb, &mut tb],
                            format!(
                                "({topic_id}, 'Extra surveillance in de avond', 'police', '{}', '{}', {}, {})",
                                due.format("%Y-%m-%d"),
                                if done { "done" } else { "open" },
                                t(starts),
                                t(starts)
                            ),
                        )?;
                        counts.actions += 1;
                    }
                }
                let mut going = Vec::new();
                for _ in 0..rng.gen_range(0..40) {
                    let q = eligible[rng.gen_range(0..eligible.len())];
                    if !going.contains(&q) {
                        going.push(q);
                    }
                }
                for q in going {
                    let at = (starts - Duration::days(rng.gen_range(1..20))).max(created_of[q]);
                    if at > now {
                        continue;
                    }
                    rs.push_after(
                        conn,
                        &mut [&mut mb],
                        format!("({meeting_id}, {}, TRUE, {})", people[q].user_id, t(at)),
                    )?;
                    meeting_count(&mut tally, RSVPS, &people[q].group, hood, starts.date(), 1)?;
                    actions.push((at, q, Action::Rsvp));
                    counts.rsvps += 1;
                }
                bar.set(counts.meetings);
            }
        }
        mb.flush(conn)?;
        tb.flush(conn)?;
        sup.flush(conn)?;
        rs.flush(conn)?;
        ab.flush(conn)
    })?;
    bar.finish();

    // Activity, in time order, as the live writes would have counted it.
    eprintln!("rollups …");
    actions.sort_by_key(|(at, p, _)| (*at, *p));
    let mut states = vec![ActivityState::default(); people.len()];
    for (at, p, action) in actions {
        states[p] = acted(&mut tally, &people[p], states[p], action, at)?;
    }
    write_tx(conn, |conn| -> QueryResult<()> {
        let mut ua = Batch::new(
            "user_activity",
            "user_id, last_seen_at, last_action_at, firsts",
        );
        for (p, st) in states.iter().enumerate() {
            if let Some(last) = st.last_action_at {
                ua.push(
                    conn,
                    format!(
                        "({}, {}, {}, {})",
                        people[p].user_id,
                        t(last),
                        t(last),
                        st.firsts
                    ),
                )?;
            }
        }
        ua.flush(conn)?;
        counts.rollup_rows = write(conn, &tally)?;
        Ok(())
    })?;
    if let DbConnection::Pg(_) = conn {
        for table in ["users", "reports", "surveys", "meetings", "topics"] {
            diesel::sql_query(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT MAX(id) FROM {table}), 1))"
            ))
            .execute(conn)?;
        }
        diesel::sql_query("ANALYZE").execute(conn)?;
    } else {
        diesel::sql_query("ANALYZE").execute(conn)?;
    }
    Ok(counts)
}
