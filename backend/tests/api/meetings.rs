//! Meetings end to end: organising, RSVPs, topics with supports and their
//! workflow, follow-up actions, suggestions from reports, and bad input.

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

const HOOD: i32 = 1;

fn meeting_body() -> Value {
    let now = chrono::Utc::now();
    json!({
        "neighbourhood_id": HOOD,
        "title": "Driehoeksoverleg Beijum",
        "starts_at": (now + chrono::Duration::days(21)).to_rfc3339(),
        "place": "Wijkcentrum De Dilgt",
        "description": "Burgemeester, politie en OM praten met bewoners.",
        "propose_until": (now + chrono::Duration::days(14)).to_rfc3339(),
        "capacity": 40,
    })
}

async fn send(
    app: &TestApp,
    s: &Session,
    method: Method,
    path: &str,
    body: &Value,
) -> reqwest::Response {
    app.send_auth(method, path, &s.token, body).await
}

async fn meeting(app: &TestApp, coord: &Session) -> i64 {
    let v = ok_json(
        send(app, coord, Method::POST, "/api/meetings", &meeting_body()).await,
        201,
    )
    .await;
    v["id"].as_i64().unwrap()
}

async fn propose(app: &TestApp, s: &Session, meeting: i64, title: &str) -> reqwest::Response {
    send(
        app,
        s,
        Method::POST,
        &format!("/api/meetings/{meeting}/topics"),
        &json!({"title": title, "description": "Elke week fietsen in de portieken en harde muziek."}),
    )
    .await
}

fn count(app: &TestApp, table: &str) -> i64 {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
        .get_result::<N>(&mut app.conn())
        .unwrap()
        .n
}

#[tokio::test]
async fn coordinators_organise_meetings_and_bad_input_stores_nothing() {
    let app = spawn_app().await;
    let coord = app.quick_user("coord@gemeente.test", "coordinator", None, None);
    let resident = app.quick_user("r@example.nl", "participant", Some("resident"), Some(HOOD));
    let partner = app.quick_user("agent@politie.test", "partner", None, None);
    let now = chrono::Utc::now();
    type Change = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(Change, &str)> = vec![
        (Box::new(|b| b["title"] = json!("x")), "title"),
        (Box::new(|b| b["place"] = json!("")), "place"),
        (Box::new(|b| b["capacity"] = json!(0)), "capacity"),
        (
            Box::new(move |b| {
                b["starts_at"] = json!((now - chrono::Duration::hours(1)).to_rfc3339())
            }),
            "starts_at",
        ),
        (
            Box::new(move |b| {
                b["propose_until"] = json!((now + chrono::Duration::days(30)).to_rfc3339())
            }),
            "propose_until",
        ),
        (
            Box::new(|b| b["neighbourhood_id"] = json!(999)),
            "neighbourhood_id",
        ),
    ];
    for (change, field) in cases {
        let mut body = meeting_body();
        change(&mut body);
        assert_problem(
            send(&app, &coord, Method::POST, "/api/meetings", &body).await,
            422,
            Some(field),
        )
        .await;
    }
    for s in [&resident, &partner] {
        assert_problem(
            send(&app, s, Method::POST, "/api/meetings", &meeting_body()).await,
            403,
            None,
        )
        .await;
    }
    assert_eq!(count(&app, "meetings"), 0);

    let id = meeting(&app, &coord).await;
    let m: Value = app
        .get_auth(&format!("/api/meetings/{id}"), &resident.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(m["status"], "planned");
    assert_eq!(m["can_propose"], true);
    assert_eq!(m["neighbourhood_name"], "Beijum");
    assert_eq!(m["allowed_transitions"], json!([]));
    let list: Value = app
        .get_auth(
            &format!("/api/meetings?neighbourhood_id={HOOD}"),
            &resident.token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    let other: Value = app
        .get_auth("/api/meetings?neighbourhood_id=2", &resident.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(other["total"], 0);

    // The workflow, with 409s that name the allowed steps.
    let p = assert_problem(
        send(
            &app,
            &coord,
            Method::POST,
            &format!("/api/meetings/{id}/transitions"),
            &json!({"to": "held"}),
        )
        .await,
        409,
        Some("to"),
    )
    .await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("agenda_set, cancelled"),
        "{p}"
    );
    // Minutes come after the meeting.
    assert_problem(
        send(
            &app,
            &coord,
            Method::PATCH,
            &format!("/api/meetings/{id}"),
            &json!({"minutes": "Besproken: fietsen."}),
        )
        .await,
        409,
        None,
    )
    .await;
    for to in ["agenda_set", "held"] {
        let v = ok_json(
            send(
                &app,
                &coord,
                Method::POST,
                &format!("/api/meetings/{id}/transitions"),
                &json!({"to": to}),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(v["status"], to);
    }
    let v = ok_json(
        send(
            &app,
            &coord,
            Method::PATCH,
            &format!("/api/meetings/{id}"),
            &json!({"minutes": "Besproken: fietsen in portieken."}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(v["minutes"], "Besproken: fietsen in portieken.");
    assert_problem(
        send(
            &app,
            &coord,
            Method::PATCH,
            &format!("/api/meetings/{id}"),
            &json!({"evaluation_survey_id": 999}),
        )
        .await,
        422,
        Some("evaluation_survey_id"),
    )
    .await;
    let v = ok_json(
        send(
            &app,
            &coord,
            Method::POST,
            &format!("/api/meetings/{id}/transitions"),
            &json!({"to": "evaluated"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(v["allowed_transitions"], json!([]));

    // The format is reused for another neighbourhood.
    let now = chrono::Utc::now();
    let copy = ok_json(
        send(
            &app,
            &coord,
            Method::POST,
            &format!("/api/meetings/{id}/copy"),
            &json!({"neighbourhood_id": 2, "starts_at": (now + chrono::Duration::days(40)).to_rfc3339(),
                    "propose_until": (now + chrono::Duration::days(30)).to_rfc3339()}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(copy["status"], "planned");
    assert_eq!(copy["neighbourhood_id"], 2);
    assert_eq!(copy["title"], "Driehoeksoverleg Beijum");
    assert_eq!(copy["minutes"], Value::Null);
    assert_eq!(copy["topic_count"], 0);

    // iCalendar.
    let res = app
        .get_auth(&format!("/api/meetings/{id}/ics"), &resident.token)
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let ics = res.text().await.unwrap();
    assert!(
        ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"),
        "{ics}"
    );
    assert!(ics.contains("SUMMARY:Driehoeksoverleg Beijum\r\n"));
    assert!(ics.contains("LOCATION:Wijkcentrum De Dilgt\r\n"));
    assert!(ics.contains(&format!("UID:meeting-{id}@wijkveilig.test")));
}

#[tokio::test]
async fn rsvps_respect_capacity_and_counts_are_for_coordinators() {
    let app = spawn_app().await;
    let coord = app.quick_user("coord@gemeente.test", "coordinator", None, None);
    let mut body = meeting_body();
    body["capacity"] = json!(1);
    let id = ok_json(
        send(&app, &coord, Method::POST, "/api/meetings", &body).await,
        201,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let a = app.quick_user("a@example.nl", "participant", Some("resident"), Some(HOOD));
    let b = app.quick_user("b@example.nl", "participant", Some("student"), Some(2));
    let path = format!("/api/meetings/{id}/rsvp");
    let v = ok_json(
        send(&app, &a, Method::PUT, &path, &json!({"going": true})).await,
        200,
    )
    .await;
    assert_eq!(
        (v["going"].clone(), v["my_rsvp"].clone()),
        (json!(1), json!(true))
    );
    // Saying yes again is not a second seat.
    ok_json(
        send(&app, &a, Method::PUT, &path, &json!({"going": true})).await,
        200,
    )
    .await;
    assert_problem(
        send(&app, &b, Method::PUT, &path, &json!({"going": true})).await,
        409,
        None,
    )
    .await;
    ok_json(
        send(&app, &b, Method::PUT, &path, &json!({"going": false})).await,
        200,
    )
    .await;
    assert_problem(
        send(&app, &coord, Method::PUT, &path, &json!({"going": true})).await,
        403,
        None,
    )
    .await;
    let staff: Value = app
        .get_auth(&format!("/api/meetings/{id}"), &coord.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (staff["going"].clone(), staff["not_going"].clone()),
        (json!(1), json!(1))
    );
    let mine: Value = app
        .get_auth(&format!("/api/meetings/{id}"), &b.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["not_going"], Value::Null);
    assert_eq!(mine["my_rsvp"], false);
    // Changing one's mind frees the seat.
    ok_json(
        send(&app, &a, Method::PUT, &path, &json!({"going": false})).await,
        200,
    )
    .await;
    ok_json(
        send(&app, &b, Method::PUT, &path, &json!({"going": true})).await,
        200,
    )
    .await;
    // No RSVPs once cancelled.
    ok_json(
        send(
            &app,
            &coord,
            Method::POST,
            &format!("/api/meetings/{id}/transitions"),
            &json!({"to": "cancelled"}),
        )
        .await,
        200,
    )
    .await;
    assert_problem(
        send(&app, &a, Method::PUT, &path, &json!({"going": true})).await,
        409,
        None,
    )
    .await;
    assert_eq!(count(&app, "meeting_rsvps"), 2);
}

#[tokio::test]
async fn residents_propose_and_support_topics_within_the_rules() {
    let app = spawn_app().await;
    let coord = app.quick_user("coord@gemeente.test", "coordinator", None, None);
    let ria = app.quick_user(
        "ria@example.nl",
        "participant",
        Some("resident"),
        Some(HOOD),
    );
    let sem = app.quick_user("sem@example.nl", "participant", Some("student"), Some(HOOD));
    let elsewhere = app.quick_user("e@example.nl", "participant", Some("resident"), Some(2));
    let id = meeting(&app, &coord).await;

    let topic = ok_json(propose(&app, &ria, id, "Fietsen in portieken").await, 201).await;
    let tid = topic["id"].as_i64().unwrap();
    assert_eq!(topic["status"], "proposed");
    assert_eq!(topic["mine"], true);
    assert_eq!(topic["events"][0]["event"], "proposed");
    let other = ok_json(
        propose(&app, &sem, id, "Harde muziek na middernacht").await,
        201,
    )
    .await;
    let oid = other["id"].as_i64().unwrap();

    // Outside the neighbourhood, staff, bad input: refused, nothing stored.
    assert_problem(
        propose(&app, &elsewhere, id, "Iets anders hier").await,
        403,
        None,
    )
    .await;
    assert_problem(
        propose(&app, &coord, id, "Iets anders hier").await,
        403,
        None,
    )
    .await;
    let res = send(
        &app,
        &ria,
        Method::POST,
        &format!("/api/meetings/{id}/topics"),
        &json!({"title": "x", "description": "kort"}),
    )
    .await;
    let p = assert_problem(res, 422, Some("title")).await;
    assert_eq!(p["errors"].as_array().unwrap().len(), 2);
    assert_eq!(count(&app, "topics"), 2);

    // Support once; withdraw; topics list by support.
    let path = format!("/api/topics/{oid}/support");
    let v = ok_json(send(&app, &ria, Method::POST, &path, &json!({})).await, 200).await;
    assert_eq!(
        (v["support_count"].clone(), v["supported_by_me"].clone()),
        (json!(1), json!(true))
    );
    assert_problem(
        send(&app, &ria, Method::POST, &path, &json!({})).await,
        409,
        None,
    )
    .await;
    ok_json(
        send(&app, &elsewhere, Method::POST, &path, &json!({})).await,
        200,
    )
    .await;
    let list: Value = app
        .get_auth(&format!("/api/meetings/{id}/topics"), &sem.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["id"], oid);
    assert_eq!(list[0]["support_count"], 2);
    assert_eq!(
        list[0]["proposer_name"],
        Value::Null,
        "participants do not see who proposed"
    );
    let staff: Value = app
        .get_auth(&format!("/api/meetings/{id}/topics"), &coord.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(staff[0]["proposer_name"], "Test");
    let v = ok_json(
        send(&app, &elsewhere, Method::DELETE, &path, &json!({})).await,
        200,
    )
    .await;
    assert_eq!(v["support_count"], 1);
    assert_problem(
        send(&app, &elsewhere, Method::DELETE, &path, &json!({})).await,
        409,
        None,
    )
    .await;
    assert_eq!(count(&app, "topic_supports"), 1);

    // Only the proposer edits, while it is open.
    let edit = json!({"title": "Fietsen in de portieken", "description": "Elke week fietsen in de portieken van de flats."});
    assert_problem(
        send(
            &app,
            &sem,
            Method::PATCH,
            &format!("/api/topics/{tid}"),
            &edit,
        )
        .await,
        403,
        None,
    )
    .await;
    let v = ok_json(
        send(
            &app,
            &ria,
            Method::PATCH,
            &format!("/api/topics/{tid}"),
            &edit,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(v["title"], "Fietsen in de portieken");

    // After the deadline: proposing and editing are refused with a clear message.
    {
        use backend::db::schema::meetings;
        diesel::update(meetings::table.find(id as i32))
            .set(
                meetings::propose_until
                    .eq(backend::db::models::now() - chrono::Duration::minutes(1)),
            )
            .execute(&mut app.conn())
            .unwrap();
    }
    let p = assert_problem(
        propose(&app, &ria, id, "Te laat voor de agenda").await,
        409,
        None,
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("deadline"), "{p}");
    assert_problem(
        send(
            &app,
            &ria,
            Method::PATCH,
            &format!("/api/topics/{tid}"),
            &edit,
        )
        .await,
        409,
        None,
    )
    .await;
    let m: Value = app
        .get_auth(&format!("/api/meetings/{id}"), &ria.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(m["can_propose"], false);
    assert_eq!(count(&app, "topics"), 2);
}

#[tokio::test]
async fn the_agenda_and_follow_up_reach_proposers_and_supporters() {
    let app = spawn_app().await;
    let coord = app.quick_user("coord@gemeente.test", "coordinator", None, None);
    let police = app.quick_user("agent@politie.test", "partner", None, None);
    let ria = app.quick_user(
        "ria@example.nl",
        "participant",
        Some("resident"),
        Some(HOOD),
    );
    let sem = app.quick_user("sem@example.nl", "participant", Some("student"), Some(HOOD));
    let id = meeting(&app, &coord).await;
    let tid = ok_json(propose(&app, &ria, id, "Fietsen in portieken").await, 201).await["id"]
        .as_i64()
        .unwrap();
    let dup = ok_json(propose(&app, &sem, id, "Fietsen bij de flats").await, 201).await["id"]
        .as_i64()
        .unwrap();
    let late = ok_json(propose(&app, &sem, id, "Parkeren op de stoep").await, 201).await["id"]
        .as_i64()
        .unwrap();
    ok_json(
        send(
            &app,
            &sem,
            Method::POST,
            &format!("/api/topics/{tid}/support"),
            &json!({}),
        )
        .await,
        200,
    )
    .await;
    let go = |topic: i64, body: Value| {
        let (app, coord) = (&app, &coord);
        async move {
            send(
                app,
                coord,
                Method::POST,
                &format!("/api/topics/{topic}/transitions"),
                &body,
            )
            .await
        }
    };

    let p = assert_problem(go(tid, json!({"to": "done"})).await, 409, Some("to")).await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("on_agenda, merged, declined"),
        "{p}"
    );
    assert_problem(
        go(late, json!({"to": "declined"})).await,
        422,
        Some("reason"),
    )
    .await;
    assert_problem(
        go(dup, json!({"to": "merged"})).await,
        422,
        Some("merged_into"),
    )
    .await;
    assert_problem(
        go(dup, json!({"to": "merged", "merged_into": dup})).await,
        422,
        Some("merged_into"),
    )
    .await;
    assert_problem(
        send(
            &app,
            &ria,
            Method::POST,
            &format!("/api/topics/{tid}/transitions"),
            &json!({"to": "on_agenda"}),
        )
        .await,
        403,
        None,
    )
    .await;
    let v = ok_json(
        go(dup, json!({"to": "merged", "merged_into": tid})).await,
        200,
    )
    .await;
    assert_eq!(v["merged_into"], tid);
    let v = ok_json(go(late, json!({"to": "declined", "reason": "Dit hoort bij de parkeerregels, niet bij veiligheid."})).await, 200).await;
    assert_eq!(
        v["public_reason"],
        "Dit hoort bij de parkeerregels, niet bij veiligheid."
    );
    for to in ["on_agenda", "discussed", "follow_up"] {
        ok_json(go(tid, json!({"to": to})).await, 200).await;
    }

    // Follow-up actions: not in the past; partners update only their own.
    let add = |body: Value| {
        let (app, coord) = (&app, &coord);
        async move {
            send(
                app,
                coord,
                Method::POST,
                &format!("/api/topics/{tid}/actions"),
                &body,
            )
            .await
        }
    };
    let today = chrono::Utc::now().date_naive();
    assert_problem(
        add(json!({"description": "Extra surveillance", "owner": "police", "due_on": (today - chrono::Duration::days(1)).to_string()})).await,
        422,
        Some("due_on"),
    )
    .await;
    assert_problem(
        add(json!({"description": "x", "owner": "police", "due_on": today.to_string()})).await,
        422,
        Some("description"),
    )
    .await;
    assert_problem(add(json!({"description": "Extra surveillance", "owner": "army", "due_on": today.to_string()})).await, 400, None).await;
    assert_eq!(count(&app, "follow_up_actions"), 0);
    let v = ok_json(
        add(json!({"description": "Extra surveillance in de portieken", "owner": "police", "due_on": (today + chrono::Duration::days(14)).to_string()})).await,
        201,
    )
    .await;
    let police_action = v["actions"][0]["id"].as_i64().unwrap();
    let v = ok_json(
        add(json!({"description": "Fietsenrekken plaatsen", "owner": "municipality", "due_on": (today + chrono::Duration::days(30)).to_string()})).await,
        201,
    )
    .await;
    let own_action = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["owner"] == "municipality")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_problem(
        send(
            &app,
            &police,
            Method::POST,
            &format!("/api/actions/{own_action}/updates"),
            &json!({"note": "Gedaan"}),
        )
        .await,
        403,
        None,
    )
    .await;
    assert_problem(
        send(
            &app,
            &ria,
            Method::POST,
            &format!("/api/actions/{police_action}/updates"),
            &json!({"note": "Gedaan"}),
        )
        .await,
        403,
        None,
    )
    .await;
    assert_problem(
        send(
            &app,
            &police,
            Method::POST,
            &format!("/api/actions/{police_action}/updates"),
            &json!({"note": " "}),
        )
        .await,
        422,
        Some("note"),
    )
    .await;
    let v = ok_json(
        send(
            &app,
            &police,
            Method::POST,
            &format!("/api/actions/{police_action}/updates"),
            &json!({"status": "in_progress", "note": "Twee avonden per week gepland."}),
        )
        .await,
        201,
    )
    .await;
    let action = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == police_action)
        .unwrap()
        .clone();
    assert_eq!(action["status"], "in_progress");
    assert_eq!(action["updates"][0]["by"], "partner");

    // The tracker: partners see police and prosecutor actions; overdue ones stand out.
    {
        use backend::db::schema::follow_up_actions as a;
        diesel::update(a::table.find(own_action as i32))
            .set(a::due_on.eq(today - chrono::Duration::days(2)))
            .execute(&mut app.conn())
            .unwrap();
    }
    let all: Value = app
        .get_auth("/api/actions?open=true", &coord.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["total"], 2);
    let overdue: Value = app
        .get_auth("/api/actions?overdue=true", &coord.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(overdue["total"], 1);
    assert_eq!(overdue["items"][0]["overdue"], true);
    let theirs: Value = app
        .get_auth("/api/actions", &police.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["total"], 1);
    assert_eq!(theirs["items"][0]["owner"], "police");
    assert_eq!(app.get_auth("/api/actions", &ria.token).await.status(), 403);

    // My topics: the proposer and the supporter see what became of it.
    let mine: Value = app
        .get_auth("/api/me/topics", &ria.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["status"], "follow_up");
    assert_eq!(mine[0]["actions"].as_array().unwrap().len(), 2);
    let sems: Value = app
        .get_auth("/api/me/topics", &sem.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        sems.as_array().unwrap().len(),
        3,
        "two proposed, one supported"
    );
    let notes: Value = app
        .get_auth("/api/me/notifications", &ria.token)
        .await
        .json()
        .await
        .unwrap();
    let topic_notes: Vec<&Value> = notes
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "topic_status")
        .collect();
    // on_agenda, discussed, follow_up, two actions added, one partner update.
    assert_eq!(topic_notes.len(), 6, "{notes}");
    assert_eq!(topic_notes[0]["topic_title"], "Fietsen in portieken");
    let sem_notes: Value = app
        .get_auth("/api/me/notifications", &sem.token)
        .await
        .json()
        .await
        .unwrap();
    assert!(sem_notes
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["topic_status"] == "declined"
            && n["public_note"] == "Dit hoort bij de parkeerregels, niet bij veiligheid."));

    // Supporting a closed topic is refused.
    assert_problem(
        send(
            &app,
            &ria,
            Method::POST,
            &format!("/api/topics/{late}/support"),
            &json!({}),
        )
        .await,
        409,
        None,
    )
    .await;
}

#[tokio::test]
async fn frequent_report_categories_become_topics_with_small_counts_suppressed() {
    let app = spawn_app().await;
    let coord = app.quick_user("coord@gemeente.test", "coordinator", None, None);
    let resident = app.quick_user("r@example.nl", "participant", Some("resident"), Some(HOOD));
    let cats: Vec<Value> = app
        .client
        .get(app.url("/api/report-categories"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let cat = |code: &str| {
        cats.iter().find(|c| c["code"] == code).unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    for (code, hood, n) in [("noise", HOOD, 6), ("litter", HOOD, 2), ("noise", 2, 3)] {
        for _ in 0..n {
            let res = send(
                &app,
                &resident,
                Method::POST,
                "/api/reports",
                &json!({
                    "category_id": cat(code),
                    "description": "Overlast die al weken aanhoudt in de straat",
                    "occurred_at": (chrono::Utc::now() - chrono::Duration::hours(2)).to_rfc3339(),
                    "neighbourhood_id": hood,
                    "anonymous_to_partners": true,
                    "contact_ok": false,
                }),
            )
            .await;
            assert_eq!(res.status(), 201);
        }
    }
    let id = meeting(&app, &coord).await;
    let s: Value = app
        .get_auth(&format!("/api/meetings/{id}/suggestions"), &coord.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(s.as_array().unwrap().len(), 2);
    assert_eq!(
        (s[0]["code"].clone(), s[0]["count"].clone()),
        (json!("noise"), json!(6))
    );
    assert_eq!(
        (s[1]["code"].clone(), s[1]["count"].clone()),
        (json!("litter"), Value::Null)
    );
    assert_eq!(
        app.get_auth(&format!("/api/meetings/{id}/suggestions"), &resident.token)
            .await
            .status(),
        403
    );

    let path = format!("/api/meetings/{id}/topics/from-reports");
    let t = ok_json(
        send(
            &app,
            &coord,
            Method::POST,
            &path,
            &json!({"category_id": cat("noise")}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(t["report_count"], 6);
    assert_eq!(t["proposer_name"], Value::Null);
    assert_eq!(count(&app, "topic_reports"), 6);
    assert_problem(
        send(
            &app,
            &coord,
            Method::POST,
            &path,
            &json!({"category_id": 999}),
        )
        .await,
        422,
        Some("category_id"),
    )
    .await;
    assert_problem(
        send(
            &app,
            &coord,
            Method::POST,
            &path,
            &json!({"category_id": cat("car")}),
        )
        .await,
        422,
        Some("category_id"),
    )
    .await;
    assert_problem(
        send(
            &app,
            &resident,
            Method::POST,
            &path,
            &json!({"category_id": cat("noise")}),
        )
        .await,
        403,
        None,
    )
    .await;
}
