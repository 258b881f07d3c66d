//! Dashboards: every figure on a small dataset against hand-computed values,
//! suppression for partners and in the monitor, targets, and the rollups kept
//! by live writes against a full recount.

use backend::metrics::recount;
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

async fn get_json(app: &TestApp, s: &Session, path: &str) -> Value {
    let res = app.get_auth(path, &s.token).await;
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    assert_eq!(status, 200, "{path}: {text}");
    serde_json::from_str(&text).unwrap()
}

fn exec(conn: &mut backend::db::DbConnection, sql: &str) {
    diesel::sql_query(sql)
        .execute(conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

fn indicator(v: &Value, metric: &str) -> Value {
    v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["metric"] == metric)
        .unwrap_or_else(|| panic!("no indicator {metric}"))
        .clone()
}

fn cell(v: &Value, list: &str, key: &str) -> Value {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key)
        .unwrap_or_else(|| panic!("no {key} in {list}"))["value"]
        .clone()
}

/// The dataset of the hand-computed test, all in the third quarter of 2026:
/// six students in Beijum (1) who sign up on Tue 7 July (four verified), three
/// residents in De Wijert (2) on Tue 14 July; six reports, a survey, a
/// meeting with a topic, a support, two RSVPs and two actions.
fn known_dataset(app: &TestApp) -> (i32, i32) {
    let mut conn = app.conn();
    let cats = backend::db::reports::categories(&mut conn).unwrap();
    let nuisance = cats.iter().find(|c| c.kind == "nuisance").unwrap().id;
    let burglary = cats.iter().find(|c| c.kind == "burglary").unwrap().id;
    let user = |id: i32, group: &str, hood: i32, day: &str, verified: bool| {
        format!(
            "INSERT INTO users (id, email, password_hash, display_name, role, user_group, neighbourhood_id, \
             language, email_verified_at, student_verified_at, active, created_at, updated_at) VALUES \
             ({id}, 'p{id}@example.nl', 'x', 'P{id}', 'participant', '{group}', {hood}, 'nl', \
             '{day} 10:00:00', {}, TRUE, '{day} 10:00:00', '{day} 10:00:00')",
            if verified { format!("'{day} 11:00:00'") } else { "NULL".into() }
        )
    };
    for i in 1..=6 {
        exec(
            &mut conn,
            &user(100 + i, "student", 1, "2026-07-07", i <= 4),
        );
    }
    for i in 1..=3 {
        exec(
            &mut conn,
            &user(200 + i, "resident", 2, "2026-07-14", false),
        );
    }
    // (id, reporter, group, hood, category, created, status, resolved, satisfied, due)
    let reports = [
        (
            1,
            101,
            "student",
            1,
            nuisance,
            "2026-07-08 09:00:00",
            "resolved",
            Some("2026-07-09 15:00:00"),
            Some(true),
        ),
        (
            2,
            102,
            "student",
            1,
            nuisance,
            "2026-07-08 10:00:00",
            "resolved",
            Some("2026-07-11 10:00:00"),
            Some(false),
        ),
        (
            3,
            103,
            "student",
            1,
            burglary,
            "2026-07-15 08:00:00",
            "triaged",
            None,
            None,
        ),
        (
            4,
            201,
            "resident",
            2,
            burglary,
            "2026-07-16 08:00:00",
            "rejected",
            None,
            None,
        ),
        (
            5,
            202,
            "resident",
            2,
            nuisance,
            "2026-07-20 08:00:00",
            "submitted",
            None,
            None,
        ),
        (
            6,
            101,
            "student",
            1,
            nuisance,
            "2026-08-03 12:00:00",
            "resolved",
            Some("2026-08-07 16:00:00"),
            None,
        ),
    ];
    for (id, reporter, group, hood, cat, created, status, resolved, satisfied) in reports {
        let kind = if cat == burglary {
            "burglary"
        } else {
            "nuisance"
        };
        exec(&mut conn, &format!(
            "INSERT INTO reports (id, reporter_id, category_id, kind, neighbourhood_id, description, occurred_at, \
             anonymous_to_partners, contact_ok, status, due_at, resolved_at, satisfied, created_at, updated_at, \
             reporter_group) VALUES ({id}, {reporter}, {cat}, '{kind}', {hood}, 'Een melding voor de test', \
             '{created}', FALSE, FALSE, '{status}', '2026-07-23 17:00:00', {}, {}, '{created}', '{created}', '{group}')",
            resolved.map_or("NULL".into(), |r| format!("'{r}'")),
            satisfied.map_or("NULL", |s| if s { "TRUE" } else { "FALSE" }),
        ));
    }
    // Triage decisions: 5 h, 2 h, 10 h, 1 h (a rejection) and 50 h.
    for (report, at, to) in [
        (1, "2026-07-08 14:00:00", "triaged"),
        (2, "2026-07-08 12:00:00", "triaged"),
        (3, "2026-07-15 18:00:00", "triaged"),
        (4, "2026-07-16 09:00:00", "rejected"),
        (6, "2026-08-05 14:00:00", "triaged"),
    ] {
        exec(&mut conn, &format!(
            "INSERT INTO report_events (report_id, actor_role, event, from_status, to_status, created_at) \
             VALUES ({report}, 'coordinator', 'transition', 'submitted', '{to}', '{at}')"
        ));
    }
    exec(&mut conn, "INSERT INTO surveys (id, title_nl, title_en, intro_nl, intro_en, audience_groups, opens_at, \
        closes_at, anonymous, status, created_at, updated_at) VALUES (1, 'Enquête', 'Survey', '', '', 'student', \
        '2026-07-01 00:00:00', '2026-07-31 00:00:00', FALSE, 'closed', '2026-07-01 00:00:00', '2026-07-01 00:00:00')");
    exec(&mut conn, "INSERT INTO survey_responses (survey_id, respondent_id, respondent_key, user_group, \
        neighbourhood_id, submitted_at) VALUES (1, 104, 'k104', 'student', 1, '2026-07-21 12:00:00')");
    exec(&mut conn, "INSERT INTO meetings (id, neighbourhood_id, title, starts_at, place, description, propose_until, \
        capacity, status, created_at, updated_at) VALUES (1, 1, 'Overleg', '2026-07-30 19:00:00', 'Buurthuis', '', \
        '2026-07-27 00:00:00', 50, 'held', '2026-07-01 00:00:00', '2026-07-01 00:00:00')");
    exec(&mut conn, "INSERT INTO topics (id, meeting_id, proposer_id, title, description, status, support_count, \
        created_at, updated_at) VALUES (1, 1, 105, 'Fietsen', 'Fietsen in de gang', 'discussed', 1, \
        '2026-07-22 12:00:00', '2026-07-22 12:00:00')");
    exec(&mut conn, "INSERT INTO topic_supports (topic_id, user_id, created_at) VALUES (1, 106, '2026-07-23 12:00:00')");
    exec(
        &mut conn,
        "INSERT INTO meeting_rsvps (meeting_id, user_id, going, updated_at) VALUES \
        (1, 106, TRUE, '2026-07-23 13:00:00'), (1, 203, TRUE, '2026-07-24 12:00:00')",
    );
    exec(&mut conn, "INSERT INTO follow_up_actions (topic_id, description, owner, due_on, status, created_at, \
        updated_at) VALUES (1, 'Extra controle', 'police', '2026-08-15', 'open', '2026-07-31 00:00:00', \
        '2026-07-31 00:00:00'), (1, 'Brief aan bewoners', 'municipality', '2026-08-10', 'done', \
        '2026-07-31 00:00:00', '2026-07-31 00:00:00')");
    if let backend::db::DbConnection::Pg(_) = conn {
        for t in ["users", "reports", "surveys", "meetings", "topics"] {
            exec(
                &mut conn,
                &format!("SELECT setval(pg_get_serial_sequence('{t}', 'id'), 1000)"),
            );
        }
    }
    let tally = recount::recount(&mut conn).unwrap();
    recount::write(&mut conn, &tally).unwrap();
    (nuisance, burglary)
}

#[tokio::test]
async fn every_figure_matches_the_hand_computed_value() {
    let app = spawn_app().await;
    let (nuisance, burglary) = known_dataset(&app);
    let coord = app.quick_user("coord@gemeente.test", "coordinator", None, None);
    let q = "period=2026-Q3";

    let p = get_json(&app, &coord, &format!("/api/metrics/participation?{q}")).await;
    assert_eq!(p["period"]["from"], "2026-07-01");
    assert_eq!(p["period"]["to"], "2026-09-30");
    assert_eq!(indicator(&p, "signups")["value"], 9.0);
    assert_eq!(indicator(&p, "verified_students")["value"], 4.0);
    assert_eq!(
        indicator(&p, "active_participants")["value"],
        0.0,
        "nobody acted in the last 30 days"
    );
    let weeks = p["signups_per_week"].as_array().unwrap();
    assert_eq!(weeks[0]["week"], "2026-06-29");
    let w = |day: &str| weeks.iter().find(|w| w["week"] == day).unwrap().clone();
    assert_eq!(
        w("2026-07-06"),
        json!({"week": "2026-07-06", "residents": 0, "students": 2, "verified_students": 4})
    );
    assert_eq!(
        w("2026-07-13"),
        json!({"week": "2026-07-13", "residents": 3, "students": 0, "verified_students": 0})
    );
    assert_eq!(cell(&p, "signups_by_neighbourhood", "1"), 6);
    assert_eq!(cell(&p, "signups_by_neighbourhood", "2"), 3);
    // Reports by S1, S2, S3, R1, R2; a named survey answer by S4; S5 proposes,
    // S6 supports; S6 and R3 RSVP.
    for (step, n) in [
        ("signed_up", 9),
        ("report", 5),
        ("survey", 1),
        ("topic", 2),
        ("rsvp", 2),
    ] {
        assert_eq!(cell(&p, "funnel", step), n, "funnel {step}");
    }
    let active: Vec<(String, i64)> = p["active_per_week"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["value"] != 0)
        .map(|w| {
            (
                w["week"].as_str().unwrap().to_owned(),
                w["value"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        active,
        vec![
            ("2026-07-06".into(), 2),
            ("2026-07-13".into(), 2),
            ("2026-07-20".into(), 5),
            ("2026-08-03".into(), 1)
        ]
    );
    let cohorts = p["cohorts"].as_array().unwrap();
    assert_eq!(cohorts.len(), 2);
    assert_eq!(cohorts[0]["week"], "2026-07-06");
    assert_eq!(cohorts[0]["size"], 6);
    assert_eq!(
        cohorts[0]["active_after_weeks"],
        json!([1, 3, 0, 1, 0, 0, 0, 0])
    );
    assert_eq!(cohorts[1]["size"], 3);
    assert_eq!(
        cohorts[1]["active_after_weeks"],
        json!([2, 0, 0, 0, 0, 0, 0, 0])
    );

    let r = get_json(&app, &coord, &format!("/api/metrics/reports?{q}")).await;
    assert_eq!(indicator(&r, "reports_filed")["value"], 6.0);
    // Triage 1, 2, 5, 10, 48 (50 h counts as two whole days): median 5, p90 48.
    assert_eq!(
        r["triage"],
        json!({"count": 5, "median_hours": 5.0, "p90_hours": 48.0})
    );
    // Resolution 30 h, 72 h, 96 h (100 h in whole days).
    assert_eq!(
        r["resolution"],
        json!({"count": 3, "median_hours": 72.0, "p90_hours": 96.0})
    );
    assert_eq!(r["overdue"], 1);
    assert_eq!(
        (r["satisfied"].clone(), r["unsatisfied"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(indicator(&r, "satisfaction_pct")["value"], 50.0);
    assert_eq!(cell(&r, "by_kind", "nuisance"), 4);
    assert_eq!(cell(&r, "by_kind", "burglary"), 2);
    assert_eq!(cell(&r, "by_category", &nuisance.to_string()), 4);
    assert_eq!(cell(&r, "by_category", &burglary.to_string()), 2);
    assert_eq!(cell(&r, "by_neighbourhood", "1"), 4);
    assert_eq!(cell(&r, "by_neighbourhood", "2"), 2);
    for (s, n) in [
        ("submitted", 1),
        ("triaged", 1),
        ("resolved", 3),
        ("rejected", 1),
        ("forwarded", 0),
    ] {
        assert_eq!(cell(&r, "by_status", s), n, "status {s}");
    }
    for (s, n) in [("filed", 6), ("triaged", 5), ("resolved", 3)] {
        assert_eq!(cell(&r, "funnel", s), n);
    }
    let per_week: Vec<i64> = r["per_week"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["value"].as_i64().unwrap())
        .collect();
    assert_eq!(&per_week[..7], &[0, 2, 2, 1, 0, 1, 0]);
    assert_eq!(per_week.len(), 14, "the weeks of 2026-Q3");

    let s = get_json(&app, &coord, &format!("/api/metrics/surveys?{q}")).await;
    assert_eq!(s["surveys"][0]["responses"], 1);
    assert_eq!(s["surveys"][0]["audience"], 6);
    assert_eq!(s["surveys"][0]["rate_pct"], 16.7);
    assert_eq!(indicator(&s, "response_rate_pct")["value"], 16.7);
    assert_eq!(cell(&s, "responses_by_neighbourhood", "1"), 1);

    let m = get_json(&app, &coord, &format!("/api/metrics/meetings?{q}")).await;
    assert_eq!(
        (m["meetings"].clone(), m["meetings_held"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(
        (
            m["topics"].clone(),
            m["supports"].clone(),
            m["rsvps"].clone()
        ),
        (json!(1), json!(1), json!(2))
    );
    assert_eq!(cell(&m, "topics_by_status", "discussed"), 1);
    assert_eq!(
        (
            m["actions_done"].clone(),
            m["actions_open"].clone(),
            m["actions_overdue"].clone()
        ),
        (json!(1), json!(1), json!(1))
    );
    assert_eq!(indicator(&m, "actions_done_pct")["value"], 50.0);

    // Filters: residents only, one neighbourhood, another period.
    let r = get_json(
        &app,
        &coord,
        &format!("/api/metrics/reports?{q}&group=resident"),
    )
    .await;
    assert_eq!(indicator(&r, "reports_filed")["value"], 2.0);
    assert_eq!(r["overdue"], 1);
    let r = get_json(
        &app,
        &coord,
        &format!("/api/metrics/reports?{q}&neighbourhood_id=1"),
    )
    .await;
    assert_eq!(indicator(&r, "reports_filed")["value"], 4.0);
    assert_eq!(r["overdue"], 0);
    let r = get_json(&app, &coord, "/api/metrics/reports?period=2026-08").await;
    assert_eq!(indicator(&r, "reports_filed")["value"], 1.0);
    let p = get_json(&app, &coord, "/api/metrics/participation?period=2026-Q2").await;
    assert_eq!(indicator(&p, "signups")["value"], 0.0);
    let all = get_json(&app, &coord, "/api/metrics/reports").await;
    assert_eq!(all["period"]["period"], "all");
    assert_eq!(indicator(&all, "reports_filed")["value"], 6.0);

    // Bad filters: a clear 422 naming the field.
    for (path, field) in [
        ("/api/metrics/reports?period=2026-Q5", "period"),
        (
            "/api/metrics/participation?neighbourhood_id=999",
            "neighbourhood_id",
        ),
    ] {
        assert_problem(app.get_auth(path, &coord.token).await, 422, Some(field)).await;
    }
    let bad = app
        .get_auth("/api/metrics/surveys?group=alien", &coord.token)
        .await;
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn partners_and_the_monitor_hide_small_numbers_and_targets_show_progress() {
    let app = spawn_app().await;
    known_dataset(&app);
    let coord = app.quick_user("coord@gemeente.test", "coordinator", None, None);
    let partner = app.quick_user("politie@politie.test", "partner", None, None);
    let resident = app.quick_user("r@example.nl", "participant", Some("resident"), Some(1));
    let q = "period=2026-Q3";
    assert_eq!(
        app.get_auth(&format!("/api/metrics/reports?{q}"), &resident.token)
            .await
            .status(),
        403
    );

    let p = get_json(&app, &partner, &format!("/api/metrics/participation?{q}")).await;
    assert_eq!(p["suppressed"], true);
    assert_eq!(indicator(&p, "signups")["value"], 9.0);
    assert_eq!(
        indicator(&p, "verified_students")["value"],
        Value::Null,
        "4 is hidden"
    );
    assert_eq!(cell(&p, "signups_by_neighbourhood", "1"), 6);
    assert_eq!(cell(&p, "signups_by_neighbourhood", "2"), Value::Null);
    assert_eq!(
        cell(&p, "signups_by_neighbourhood", "3"),
        0,
        "zero is not a person"
    );
    let r = get_json(&app, &partner, &format!("/api/metrics/reports?{q}")).await;
    assert_eq!(cell(&r, "by_kind", "nuisance"), Value::Null);
    assert_eq!(
        r["triage"]["median_hours"], 5.0,
        "five triage decisions are enough"
    );
    assert_eq!(
        r["resolution"],
        json!({"count": null, "median_hours": null, "p90_hours": null})
    );
    assert_eq!(indicator(&r, "satisfaction_pct")["value"], Value::Null);
    let s = get_json(&app, &partner, &format!("/api/metrics/surveys?{q}")).await;
    assert_eq!(s["surveys"][0]["responses"], Value::Null);
    assert_eq!(s["surveys"][0]["rate_pct"], Value::Null);

    // Targets: coordinators set them, partners may not; bad input stores nothing.
    let due = (chrono::Utc::now() + chrono::Duration::days(60))
        .date_naive()
        .to_string();
    for (body, field) in [
        (
            json!({"metric": "signups", "value": -1, "due_on": due, "label": "Deelnemers"}),
            "value",
        ),
        (
            json!({"metric": "satisfaction_pct", "value": 120, "due_on": due, "label": "Tevreden"}),
            "value",
        ),
        (
            json!({"metric": "signups", "value": 500, "due_on": "2020-01-01", "label": "Deelnemers"}),
            "due_on",
        ),
        (
            json!({"metric": "signups", "value": 500, "due_on": due, "label": ""}),
            "label",
        ),
        (
            json!({"metric": "signups", "value": 500, "due_on": due, "label": "Wijk", "neighbourhood_id": 99}),
            "neighbourhood_id",
        ),
    ] {
        assert_problem(
            app.send_auth(Method::POST, "/api/metrics/targets", &coord.token, &body)
                .await,
            422,
            Some(field),
        )
        .await;
    }
    let body = json!({"metric": "signups", "group": "student", "value": 500, "due_on": due, "label": "500 studenten"});
    assert_eq!(
        app.send_auth(Method::POST, "/api/metrics/targets", &partner.token, &body)
            .await
            .status(),
        403
    );
    let res = app
        .send_auth(Method::POST, "/api/metrics/targets", &coord.token, &body)
        .await;
    assert_eq!(res.status(), 201);
    let target: Value = res.json().await.unwrap();
    let triage = json!({"metric": "median_triage_hours", "value": 72, "due_on": due, "label": "Binnen 3 dagen"});
    assert_eq!(
        app.send_auth(Method::POST, "/api/metrics/targets", &coord.token, &triage)
            .await
            .status(),
        201
    );
    let list = get_json(&app, &partner, "/api/metrics/targets").await;
    assert_eq!(list.as_array().unwrap().len(), 2);

    let p = get_json(&app, &coord, &format!("/api/metrics/participation?{q}")).await;
    let t = &indicator(&p, "signups")["targets"][0];
    assert_eq!(t["actual"], 6.0, "six students signed up");
    assert_eq!(t["progress_pct"], 1.2);
    assert_eq!(t["met"], false);
    let r = get_json(&app, &coord, &format!("/api/metrics/reports?{q}")).await;
    let t = &indicator(&r, "median_triage_hours")["targets"][0];
    assert_eq!(
        (t["actual"].clone(), t["met"].clone()),
        (json!(5.0), json!(true))
    );
    let id = target["id"].as_i64().unwrap();
    assert_eq!(
        app.send_auth(
            Method::DELETE,
            &format!("/api/metrics/targets/{id}"),
            &coord.token,
            &json!({})
        )
        .await
        .status(),
        204
    );
    assert_eq!(
        app.send_auth(
            Method::DELETE,
            &format!("/api/metrics/targets/{id}"),
            &coord.token,
            &json!({})
        )
        .await
        .status(),
        404
    );

    // The monitor: CSV and printable HTML, suppressed even for coordinators,
    // compared with the quarter before.
    let res = app
        .get_auth(&format!("/api/monitor?{q}&format=csv"), &coord.token)
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    assert!(csv.contains("indicator,signups,,9,0,"), "{csv}");
    assert!(csv.contains("indicator,verified_students,,,0,"), "{csv}");
    assert!(csv.contains("neighbourhood,reports,Beijum,<5,,"), "{csv}");
    assert!(csv.contains("neighbourhood,signups,Beijum,6,,"), "{csv}");
    let res = app
        .get_auth(&format!("/api/monitor?{q}"), &coord.token)
        .await;
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    let html = res.text().await.unwrap();
    assert!(
        html.contains("<svg")
            && html.contains("2026-Q3")
            && html.contains("vergeleken met 2026-Q2")
    );
    assert!(html.contains("&lt;5") && !html.contains("<5"));
    assert_problem(
        app.get_auth("/api/monitor?period=2026-Q9", &coord.token)
            .await,
        422,
        Some("period"),
    )
    .await;
    assert_problem(
        app.get_auth(&format!("/api/monitor?{q}&format=pdf"), &coord.token)
            .await,
        422,
        Some("format"),
    )
    .await;

    // A signed link opens the monitor without a token; a changed one does not.
    let link: Value = app
        .send_auth(
            Method::POST,
            "/api/monitor/links",
            &partner.token,
            &json!({"period": "2026-Q3"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let url = link["url"].as_str().unwrap();
    assert_eq!(
        app.client.get(app.url(url)).send().await.unwrap().status(),
        200
    );
    let tampered = url.replace("2026-Q3", "2026-Q2");
    assert_eq!(
        app.client
            .get(app.url(&tampered))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        app.client
            .get(app.url("/api/monitor?period=2026-Q3"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}

async fn ok(res: reqwest::Response, status: u16) -> Value {
    let code = res.status().as_u16();
    let text = res.text().await.unwrap();
    assert_eq!(code, status, "{text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

fn compare(app: &TestApp, only_counts: bool) {
    let mut conn = app.conn();
    let stored = recount::stored(&mut conn).unwrap().nonzero();
    let fresh = recount::recount(&mut conn).unwrap().nonzero();
    let activity = ["active", "funnel", "cohort", "last_action"];
    let keep = |m: &std::collections::BTreeMap<backend::metrics::rollup::Key, i64>| {
        m.iter()
            .filter(|(k, _)| !(only_counts && activity.contains(&k.metric)))
            .map(|(k, n)| (k.clone(), *n))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let (a, b) = (keep(&stored), keep(&fresh));
    assert!(a.len() > 10, "the writes left rollups: {a:?}");
    assert_eq!(
        a, b,
        "rollups kept by the writes differ from a full recount"
    );
}

#[tokio::test]
async fn rollups_equal_a_full_recount_after_a_random_mix_of_writes() {
    let app = spawn_app().await;
    let coord = app.quick_user("coord@gemeente.test", "coordinator", None, None);
    let now = chrono::Utc::now();
    let mut people = Vec::new();
    for (i, (group, hood)) in [
        ("student", 1),
        ("student", 1),
        ("resident", 1),
        ("resident", 2),
        ("student", 2),
    ]
    .into_iter()
    .enumerate()
    {
        let mut body = signup_body(&format!("p{i}@example.nl"));
        body["group"] = json!(group);
        body["neighbourhood_id"] = json!(hood);
        people.push(app.signup_with(body).await);
    }
    let cats: Vec<Value> = app
        .client
        .get(app.url("/api/report-categories"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut surveys = Vec::new();
    for anonymous in [false, true] {
        let s = ok(app.send_auth(Method::POST, "/api/surveys", &coord.token, &json!({
            "title_nl": "Mening", "title_en": "Views", "groups": ["student", "resident"], "anonymous": anonymous,
            "opens_at": (now - chrono::Duration::hours(1)).to_rfc3339(),
            "closes_at": (now + chrono::Duration::days(7)).to_rfc3339(),
            "questions": [{"kind": "free_text", "text_nl": "Wat valt je op?", "text_en": "What do you notice?",
                           "required": true, "settings": {"max_length": 200}}],
        })).await, 201).await;
        let id = s["id"].as_i64().unwrap();
        ok(
            app.send_auth(
                Method::POST,
                &format!("/api/surveys/{id}/publish"),
                &coord.token,
                &json!({}),
            )
            .await,
            200,
        )
        .await;
        surveys.push((id, s["questions"][0]["id"].as_i64().unwrap()));
    }
    let mut meetings = Vec::new();
    for hood in [1, 2] {
        let m = ok(app.send_auth(Method::POST, "/api/meetings", &coord.token, &json!({
            "neighbourhood_id": hood, "title": "Buurtoverleg", "place": "Wijkcentrum", "capacity": 50,
            "starts_at": (now + chrono::Duration::days(20)).to_rfc3339(),
            "propose_until": (now + chrono::Duration::days(10)).to_rfc3339(),
        })).await, 201).await;
        meetings.push((m["id"].as_i64().unwrap(), hood));
    }
    let mut rng = StdRng::seed_from_u64(42);
    let mut reports: Vec<(i64, usize)> = Vec::new();
    let mut topics: Vec<i64> = Vec::new();
    let hood_of = |i: usize| if i < 3 { 1 } else { 2 };
    for phase in [false, true] {
        for _ in 0..60 {
            let i = rng.gen_range(0..people.len());
            let p = &people[i];
            match rng.gen_range(0..8) {
                0 | 1 => {
                    let cat = &cats[rng.gen_range(0..cats.len())];
                    let r = app.send_auth(Method::POST, "/api/reports", &p.token, &json!({
                        "category_id": cat["id"], "description": "Harde muziek tot diep in de nacht",
                        "occurred_at": (now - chrono::Duration::hours(2)).to_rfc3339(),
                        "neighbourhood_id": rng.gen_range(1..=3), "anonymous_to_partners": false, "contact_ok": false,
                    })).await;
                    reports.push((ok(r, 201).await["id"].as_i64().unwrap(), i));
                }
                2 if !reports.is_empty() => {
                    let (id, _) = reports[rng.gen_range(0..reports.len())];
                    let to = ["triaged", "rejected", "forwarded", "resolved", "closed"]
                        [rng.gen_range(0..5)];
                    let _ = app
                        .send_auth(
                            Method::POST,
                            &format!("/api/reports/{id}/transitions"),
                            &coord.token,
                            &json!({"to": to, "public_note": "Bedankt voor uw melding."}),
                        )
                        .await;
                }
                3 if !reports.is_empty() => {
                    let (id, owner) = reports[rng.gen_range(0..reports.len())];
                    let s = &people[owner];
                    if rng.gen_bool(0.5) {
                        let _ = app
                            .send_auth(
                                Method::POST,
                                &format!("/api/reports/{id}/feedback"),
                                &s.token,
                                &json!({"satisfied": rng.gen_bool(0.5)}),
                            )
                            .await;
                    } else {
                        let _ = app
                            .send_auth(
                                Method::POST,
                                &format!("/api/reports/{id}/reopen"),
                                &s.token,
                                &json!({"reason": "Het speelt nog steeds."}),
                            )
                            .await;
                    }
                }
                4 => {
                    let (sid, q) = surveys[rng.gen_range(0..surveys.len())];
                    let _ = app
                        .send_auth(
                            Method::POST,
                            &format!("/api/surveys/{sid}/responses"),
                            &p.token,
                            &json!({"answers": [{"question_id": q, "text": "Prima"}]}),
                        )
                        .await;
                }
                5 => {
                    let (mid, _) = meetings
                        .iter()
                        .copied()
                        .find(|(_, h)| *h == hood_of(i))
                        .unwrap();
                    let r = app.send_auth(Method::POST, &format!("/api/meetings/{mid}/topics"), &p.token,
                        &json!({"title": "Fietsen in de gang", "description": "Elke week fietsen in de portieken."})).await;
                    if r.status() == 201 {
                        topics.push(r.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
                    }
                }
                6 if !topics.is_empty() => {
                    let t = topics[rng.gen_range(0..topics.len())];
                    let method = if phase && rng.gen_bool(0.4) {
                        Method::DELETE
                    } else {
                        Method::POST
                    };
                    let _ = app
                        .send_auth(
                            method,
                            &format!("/api/topics/{t}/support"),
                            &p.token,
                            &json!({}),
                        )
                        .await;
                }
                _ => {
                    let (mid, _) = meetings[rng.gen_range(0..meetings.len())];
                    let going = !phase || rng.gen_bool(0.6);
                    let _ = app
                        .send_auth(
                            Method::PUT,
                            &format!("/api/meetings/{mid}/rsvp"),
                            &p.token,
                            &json!({"going": going}),
                        )
                        .await;
                }
            }
        }
        // Without withdrawals every figure is recountable; withdrawn supports
        // and RSVPs leave their activity counted but no row to recount it from.
        compare(&app, phase);
    }
}

/// Filing takes one of three paths on PostgreSQL (one statement when the
/// reporter's activity stays as it is; otherwise locked, with the activity
/// update in the statement; the row made first when there is none) and the
/// general one on SQLite: each answers with what it stored and counts what a
/// full recount counts, also when one person files many at once.
#[tokio::test]
async fn every_filing_path_stores_what_it_answers_and_counts_like_a_recount() {
    let app = spawn_app().await;
    let noise = category_id(&app, "noise").await;
    let body = |hood: i32| {
        json!({
            "category_id": noise, "description": "Harde muziek tot diep in de nacht",
            "occurred_at": (chrono::Utc::now() - chrono::Duration::hours(2)).to_rfc3339(),
            "neighbourhood_id": hood, "location": {"lat": 53.2345, "lon": 6.5432},
            "address": "Paddepoelsterweg 12", "anonymous_to_partners": true, "contact_ok": false,
        })
    };
    let mut signup = signup_body("anna@example.nl");
    signup["group"] = json!("student");
    let anna = app.signup_with(signup).await;
    for hood in [1, 2, 2] {
        let filed = ok(
            app.send_auth(Method::POST, "/api/reports", &anna.token, &body(hood))
                .await,
            201,
        )
        .await;
        let id = filed["id"].as_i64().unwrap();
        let read = get_json(&app, &anna, &format!("/api/reports/{id}")).await;
        assert_eq!(filed, read, "the answer to filing is what was stored");
        assert_eq!(filed["timeline"][0]["event"], "created");
    }
    // No activity row yet, and eight reports at once.
    let bert = app.signup("bert@example.nl").await;
    {
        use backend::db::schema::user_activity;
        diesel::delete(user_activity::table.find(bert.user_id))
            .execute(&mut app.conn())
            .unwrap();
    }
    let bodies: Vec<Value> = (0..8).map(|i| body(1 + i % 3)).collect();
    let filings = bodies
        .iter()
        .map(|b| app.send_auth(Method::POST, "/api/reports", &bert.token, b));
    for res in futures_util::future::join_all(filings).await {
        ok(res, 201).await;
    }
    let events: i64 = {
        use backend::db::schema::{report_events, reports};
        report_events::table
            .inner_join(reports::table)
            .filter(reports::reporter_id.eq(bert.user_id))
            .count()
            .get_result(&mut app.conn())
            .unwrap()
    };
    assert_eq!(events, 8, "one event per report");
    compare(&app, false);
}

/// Many filings at once, from several people: on PostgreSQL the batcher files
/// them together (see `db::filing`), on SQLite the writer thread does. Each
/// request gets its own report back, as stored, with one event, and the
/// rollups count each report once.
#[tokio::test]
async fn concurrent_filings_each_get_their_own_report_and_count_once() {
    let app = spawn_app().await;
    let noise = category_id(&app, "noise").await;
    let litter = category_id(&app, "litter").await;
    let mut people = Vec::new();
    for (i, group) in ["student", "resident", "student", "resident", "student"]
        .iter()
        .enumerate()
    {
        let mut body = signup_body(&format!("p{i}@example.nl"));
        body["group"] = json!(group);
        body["neighbourhood_id"] = json!(1 + i);
        people.push(app.signup_with(body).await);
    }
    let body = |p: usize, n: usize| {
        let mut b = json!({
            "category_id": if n.is_multiple_of(2) { noise } else { litter },
            "description": format!("Melding {n} van deelnemer {p}: harde muziek"),
            "occurred_at": (chrono::Utc::now() - chrono::Duration::minutes(10 + n as i64)).to_rfc3339(),
            "neighbourhood_id": 1 + (p + n) % 12,
            "anonymous_to_partners": n.is_multiple_of(3), "contact_ok": !n.is_multiple_of(2),
        });
        if n % 4 == 1 {
            b["location"] = json!({"lat": 53.2 + n as f64 / 1000.0, "lon": 6.56});
        }
        if n % 4 == 2 {
            b["address"] = json!(format!("Diepenring {n}"));
        }
        b
    };
    // A first report each (their first action of the day takes the locked
    // path); the rest at once, which may share statements.
    for (p, s) in people.iter().enumerate() {
        ok(
            app.send_auth(Method::POST, "/api/reports", &s.token, &body(p, 0))
                .await,
            201,
        )
        .await;
    }
    let sent: Vec<(usize, usize, Value)> = (0..people.len())
        .flat_map(|p| (1..9).map(move |n| (p, n)))
        .map(|(p, n)| (p, n, body(p, n)))
        .collect();
    // Refusals among them, each answered for itself: a coordinator, an
    // unknown neighbourhood, a deactivated account.
    let coordinator = app.quick_user("coord@gemeente.test", "coordinator", None, None);
    let gone = app.signup("gone@example.nl").await;
    {
        use backend::db::schema::users;
        diesel::update(users::table.find(gone.user_id))
            .set(users::active.eq(false))
            .execute(&mut app.conn())
            .unwrap();
    }
    let mut nowhere = body(0, 3);
    nowhere["neighbourhood_id"] = json!(999);
    let refused = [
        (&coordinator.token, body(0, 5), 403, None),
        (&people[1].token, nowhere, 422, Some("neighbourhood_id")),
        (&gone.token, body(0, 7), 401, None),
    ];
    let (answers, refusals) = futures_util::future::join(
        futures_util::future::join_all(
            sent.iter()
                .map(|(p, _, b)| app.send_auth(Method::POST, "/api/reports", &people[*p].token, b)),
        ),
        futures_util::future::join_all(
            refused
                .iter()
                .map(|(token, b, _, _)| app.send_auth(Method::POST, "/api/reports", token, b)),
        ),
    )
    .await;
    for ((_, _, status, field), res) in refused.iter().zip(refusals) {
        assert_problem(res, *status, *field).await;
    }
    let mut ids = std::collections::BTreeSet::new();
    for ((p, n, b), res) in sent.iter().zip(answers) {
        let filed = ok(res, 201).await;
        assert_eq!(filed["description"], b["description"], "filing {p}/{n}");
        assert_eq!(filed["category_id"], b["category_id"]);
        assert_eq!(filed["neighbourhood_id"], b["neighbourhood_id"]);
        assert_eq!(filed["anonymous_to_partners"], b["anonymous_to_partners"]);
        assert_eq!(filed["contact_ok"], b["contact_ok"]);
        assert_eq!(
            filed["address"],
            b.get("address").cloned().unwrap_or(Value::Null)
        );
        assert_eq!(
            filed["location"],
            b.get("location").cloned().unwrap_or(Value::Null)
        );
        assert_eq!(filed["timeline"].as_array().unwrap().len(), 1);
        let id = filed["id"].as_i64().unwrap();
        assert!(ids.insert(id), "report {id} answered twice");
        let read = get_json(&app, &people[*p], &format!("/api/reports/{id}")).await;
        assert_eq!(
            filed, read,
            "the answer to filing {p}/{n} is what was stored"
        );
    }
    let (reports, events): (i64, i64) = {
        use backend::db::schema::{report_events, reports};
        let mut conn = app.conn();
        (
            reports::table.count().get_result(&mut conn).unwrap(),
            report_events::table.count().get_result(&mut conn).unwrap(),
        )
    };
    assert_eq!(
        (reports, events),
        (45, 45),
        "one report and one event per filing"
    );
    compare(&app, false);
}

/// A report the test hands to the PostgreSQL filing lane itself.
struct TestDraft {
    reporter: i32,
    category: i32,
    description: String,
    at: chrono::NaiveDateTime,
    counts: backend::metrics::rollup::Tally,
}

impl TestDraft {
    fn new(reporter: i32, category: i32, n: usize) -> TestDraft {
        use backend::metrics::rollup;
        let at = backend::db::models::now();
        let mut counts = rollup::Tally::default();
        let facts = rollup::ReportFacts {
            created_at: at,
            group: "student".into(),
            hood: 1,
            category_id: category,
        };
        rollup::report_filed(&mut counts, &facts, "submitted").unwrap();
        TestDraft {
            reporter,
            category,
            description: format!("Melding {n} uit de test van de batcher"),
            at,
            counts,
        }
    }
}

impl backend::db::filing::Draft for TestDraft {
    fn report(&self) -> backend::db::reports::NewReport<'_> {
        backend::db::reports::NewReport {
            reporter_id: Some(self.reporter),
            category_id: self.category,
            kind: "nuisance",
            neighbourhood_id: 1,
            description: &self.description,
            occurred_at: self.at,
            lat: None,
            lon: None,
            address: None,
            anonymous_to_partners: false,
            contact_ok: false,
            status: "submitted",
            due_at: self.at,
            created_at: self.at,
            updated_at: self.at,
            reporter_group: Some("student"),
        }
    }

    fn event(&self) -> backend::db::reports::NewEvent<'_> {
        backend::db::reports::NewEvent::new(0, Some(self.reporter), "reporter", "created", self.at)
            .status(None, "submitted")
    }

    fn counts(&self) -> &backend::metrics::rollup::Tally {
        &self.counts
    }

    fn file_alone(
        &self,
        _: &mut backend::db::DbConnection,
    ) -> backend::error::ApiResult<(
        backend::db::reports::ReportRow,
        backend::db::reports::EventRow,
    )> {
        panic!("the test's drafts are filed with others")
    }
}

/// The test's request: whatever the lane reads, its draft goes to the batch.
struct TestRequest(TestDraft);

impl backend::db::filing::Request for TestRequest {
    type Draft = TestDraft;

    fn keys(&self) -> backend::db::filing::Keys {
        (self.0.reporter, self.0.category, 1)
    }

    fn prepare(
        self,
        _: Option<backend::db::reports::FilingLookup>,
    ) -> backend::error::ApiResult<(TestDraft, bool)> {
        Ok((self.0, false))
    }
}

/// For the filing-lane tests: Anna, the noise category's id, and a connection
/// in a transaction that holds the rollups, so that every filing waits in its
/// statement until that connection commits.
async fn anna_with_rollups_held(app: &TestApp) -> (Session, i32, backend::db::DbConnection) {
    let anna = app.signup("anna@example.nl").await;
    let noise = category_id(app, "noise").await as i32;
    let mut lock = app.conn();
    exec(&mut lock, "BEGIN");
    exec(
        &mut lock,
        "LOCK TABLE metric_rollups IN SHARE ROW EXCLUSIVE MODE",
    );
    (anna, noise, lock)
}

/// PostgreSQL only (SQLite has no filing lane): a filing that the database
/// refuses inside a batch (here a category that does not exist) fails alone;
/// the others in its statement are stored, each once, with their counts.
#[tokio::test]
async fn a_filing_the_database_refuses_fails_alone_in_its_batch() {
    use backend::error::ApiError;
    let app = spawn_app().await;
    if app.kind != backend::config::DatabaseKind::Postgres {
        return;
    }
    let pool =
        backend::db::build_pool(&test_config(&app.data_dir, &app.database_url, |_| {})).unwrap();
    // The first filing waits in its statement and the rest queue up behind it
    // and share the next one.
    let (anna, noise, mut lock) = anna_with_rollups_held(&app).await;
    let first = {
        let pool = pool.clone();
        tokio::spawn(async move {
            let lane = pool.filing_lane().unwrap();
            lane.file(TestRequest(TestDraft::new(anna.user_id, noise, 0)))
                .await
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let rest: Vec<_> = (1..=12)
        .map(|n| {
            let pool = pool.clone();
            let category = if n == 6 { 999_999 } else { noise };
            tokio::spawn(async move {
                let lane = pool.filing_lane().unwrap();
                lane.file(TestRequest(TestDraft::new(anna.user_id, category, n)))
                    .await
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    exec(&mut lock, "COMMIT");
    let mut stored = Vec::new();
    for (n, task) in std::iter::once(first).chain(rest).enumerate() {
        match task.await.unwrap() {
            Ok((draft, report, event)) => {
                assert_ne!(n, 6, "the filing with an unknown category was stored");
                assert_eq!(report.description, draft.description);
                assert_eq!(
                    (event.report_id, event.event.as_str()),
                    (report.id, "created")
                );
                stored.push(report.id);
            }
            Err(ApiError::Validation(errors)) => {
                assert_eq!(n, 6, "filing {n} failed");
                assert_eq!(errors[0].code, "unknown_reference");
            }
            Err(e) => panic!("filing {n}: {e:?}"),
        }
    }
    assert_eq!(stored.len(), 12);
    let (reports, events): (i64, i64) = {
        use backend::db::schema::{report_events, reports};
        let mut conn = app.conn();
        (
            reports::table.count().get_result(&mut conn).unwrap(),
            report_events::table.count().get_result(&mut conn).unwrap(),
        )
    };
    assert_eq!((reports, events), (12, 12));
    // The report counts as a recount has them (the drafts skip the activity).
    let mut conn = app.conn();
    let of_reports = |t: backend::metrics::rollup::Tally| {
        t.nonzero()
            .into_iter()
            .filter(|(k, _)| ["reports", "reports_cat", "status"].contains(&k.metric))
            .collect::<Vec<_>>()
    };
    let stored = of_reports(recount::stored(&mut conn).unwrap());
    assert_eq!(stored, of_reports(recount::recount(&mut conn).unwrap()));
    assert_eq!(stored.iter().map(|(_, n)| n).sum::<i64>(), 36);
}

/// PostgreSQL only: when the lane's queue is full, a filing is refused at
/// once with 503 (try again) instead of waiting behind it; the queued ones are
/// stored when the lane moves on.
#[tokio::test]
async fn a_full_filing_lane_refuses_at_once() {
    use backend::error::ApiError;
    let app = spawn_app().await;
    if app.kind != backend::config::DatabaseKind::Postgres {
        return;
    }
    let lane = backend::db::filing::Lane::with_queue(
        app.database_url.clone(),
        std::time::Duration::from_secs(10),
        4,
    )
    .unwrap();
    let (anna, noise, mut lock) = anna_with_rollups_held(&app).await;
    let submit = |n: usize| {
        let lane = lane.clone();
        tokio::spawn(async move {
            lane.file(TestRequest(TestDraft::new(anna.user_id, noise, n)))
                .await
        })
    };
    // One for each of the lane's two threads, which then wait for the lock.
    let mut accepted = Vec::new();
    for n in 0..2 {
        accepted.push(submit(n));
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
    for n in 2..6 {
        accepted.push(submit(n));
    }
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let refused = tokio::time::timeout(std::time::Duration::from_secs(1), submit(6))
        .await
        .expect("answered at once")
        .unwrap();
    assert!(
        matches!(refused, Err(ApiError::Unavailable(_))),
        "the filing beyond the queue was not refused at once"
    );
    exec(&mut lock, "COMMIT");
    for task in accepted {
        task.await.unwrap().expect("stored");
    }
    let stored: i64 = {
        use backend::db::schema::reports;
        reports::table.count().get_result(&mut app.conn()).unwrap()
    };
    assert_eq!(stored, 6);
}

/// PostgreSQL only (SQLite keeps no list of its prepared statements): the
/// statements that add counts to the rollups, one count (`rollup::Db`, run by
/// sign-ups, triage and meetings) or several at once (`rollup::apply`, run by
/// survey answers, meetings and filings outside the lane), stay prepared on
/// the connection instead of being parsed and planned anew each time; and
/// what they add adds up.
#[tokio::test]
async fn adding_to_the_rollups_keeps_its_statements_prepared() {
    use backend::metrics::rollup::{self, Key, Sink, Tally};
    let Some(mut pg) = fresh_postgres() else {
        return;
    };
    let conn = &mut pg.conn;
    backend::db::run_migrations(conn).unwrap();
    let key = |metric, dim: &str| Key {
        metric,
        day: chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
        group: "student".into(),
        hood: 0,
        dim: dim.into(),
    };
    let mut several = Tally::default();
    several.add(key(rollup::REPORTS, ""), 1).unwrap();
    several.add(key(rollup::STATUS, "submitted"), 1).unwrap();
    for _ in 0..2 {
        rollup::Db(conn).add(key(rollup::REPORTS, ""), 2).unwrap();
        rollup::apply(conn, &several).unwrap();
    }
    let prepared = prepared_statements(conn);
    let adding = |unnest: bool| {
        prepared
            .iter()
            .filter(|s| s.starts_with("INSERT INTO metric_rollups"))
            .filter(|s| s.contains("unnest") == unnest)
            .count()
    };
    assert_eq!((adding(false), adding(true)), (1, 1), "{prepared:#?}");
    let stored = recount::stored(conn).unwrap().nonzero();
    assert_eq!(
        stored.into_iter().collect::<Vec<_>>(),
        vec![
            (key(rollup::REPORTS, ""), 6),
            (key(rollup::STATUS, "submitted"), 2)
        ]
    );
}

/// PostgreSQL only: the participation dashboard reads all its rollup sums in
/// one statement, and it stays prepared on the connection (a named statement
/// in `pg_prepared_statements`), with its values bound, so a second call,
/// with other filters of the same shape, plans nothing anew.
#[tokio::test]
async fn dashboard_rollup_reads_stay_prepared() {
    use backend::metrics::{self, Ctx, Scope};
    use shared::metrics::Period;
    use shared::users::Group;
    let Some(mut pg) = fresh_postgres() else {
        return;
    };
    let conn = &mut pg.conn;
    backend::db::run_migrations(conn).unwrap();
    let now = backend::db::models::now();
    let ctx = Ctx::load(conn, true, now).unwrap();
    let scope = |group, hood| Scope::new(Period::All, group, hood, now.date());
    metrics::participation(conn, &ctx, &scope(None, None)).unwrap();
    let rollups = |conn: &mut _| -> Vec<String> {
        let mut texts: Vec<String> = prepared_statements(conn)
            .into_iter()
            .filter(|s| s.contains("FROM metric_rollups"))
            .collect();
        texts.sort();
        texts
    };
    let first = rollups(conn);
    assert_eq!(first.len(), 1, "one statement for every sum: {first:#?}");
    assert_eq!(
        first[0].matches("UNION ALL").count(),
        8,
        "nine sums in it: {first:#?}"
    );
    assert!(
        first[0].contains("metric = $1") && !first[0].contains('\''),
        "values bound, none written in: {first:#?}"
    );
    // The same shape for a group and a neighbourhood: a new text once, then kept.
    metrics::participation(conn, &ctx, &scope(Some(Group::Student), Some(1))).unwrap();
    let second = rollups(conn);
    assert_eq!(second.len(), 2, "{second:#?}");
    metrics::participation(conn, &ctx, &scope(Some(Group::Resident), Some(2))).unwrap();
    assert_eq!(rollups(conn), second);
}
