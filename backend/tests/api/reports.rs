use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

/// Signs up and, when not a participant, gives the account `role` directly.
async fn user(app: &TestApp, email: &str, role: &str) -> Session {
    let s = app.signup(email).await;
    if role != "participant" {
        use backend::db::schema::users;
        diesel::update(users::table.find(s.user_id))
            .set(users::role.eq(role))
            .execute(&mut app.conn())
            .unwrap();
    }
    s
}

fn report_body(category_id: i64) -> Value {
    json!({
        "category_id": category_id,
        "description": "Harde muziek en geschreeuw tot vier uur 's nachts",
        "occurred_at": (chrono::Utc::now() - chrono::Duration::hours(3)).to_rfc3339(),
        "neighbourhood_id": 9,
        "location": {"lat": 53.2345, "lon": 6.5432},
        "anonymous_to_partners": true,
        "contact_ok": true,
    })
}

async fn category_id(app: &TestApp, code: &str) -> i64 {
    let cats: Vec<Value> = app
        .client
        .get(app.url("/api/report-categories"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    cats.iter().find(|c| c["code"] == code).unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn file(app: &TestApp, s: &Session, body: &Value) -> Value {
    let res = app
        .send_auth(Method::POST, "/api/reports", &s.token, body)
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn transition(app: &TestApp, s: &Session, id: i64, body: Value) -> reqwest::Response {
    app.send_auth(
        Method::POST,
        &format!("/api/reports/{id}/transitions"),
        &s.token,
        &body,
    )
    .await
}

fn count_reports(app: &TestApp) -> i64 {
    use backend::db::schema::reports;
    reports::table.count().get_result(&mut app.conn()).unwrap()
}

#[tokio::test]
async fn categories_are_seeded_under_two_kinds() {
    let app = spawn_app().await;
    let cats: Vec<Value> = app
        .client
        .get(app.url("/api/report-categories"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cats.iter().filter(|c| c["kind"] == "nuisance").count(), 8);
    assert_eq!(cats.iter().filter(|c| c["kind"] == "burglary").count(), 5);
    let home = cats.iter().find(|c| c["code"] == "home").unwrap();
    assert_eq!(home["police_by_default"], true);
    assert!(home["id"].is_number() && home["name_nl"].is_string() && home["name_en"].is_string());
}

#[tokio::test]
async fn filing_a_report_answers_with_reference_status_and_deadline() {
    let app = spawn_app().await;
    let anna = user(&app, "anna@example.nl", "participant").await;
    let noise = category_id(&app, "noise").await;
    let report = file(&app, &anna, &report_body(noise)).await;
    let reference = report["reference"].as_str().unwrap();
    assert!(
        reference.starts_with("WV-20") && reference.len() == "WV-2026-000001".len(),
        "{reference}"
    );
    assert_eq!(report["status"], "submitted");
    assert_eq!(report["kind"], "nuisance");
    assert!(report["due_at"].is_string());
    assert!(report["guidance"].is_null(), "guidance is for burglary");
    assert_eq!(report["timeline"][0]["event"], "created");
    assert_eq!(report["location"]["lat"], 53.2345);

    let mut burglary = report_body(category_id(&app, "home").await);
    burglary["location"] = Value::Null;
    burglary["address"] = json!("Paddepoelsterweg 12");
    let b = file(&app, &anna, &burglary).await;
    assert!(b["guidance"]["emergency"].as_str().unwrap().contains("112"));
    assert!(b["guidance"]["not_a_police_report"].is_string());
    assert_eq!(b["address"], "Paddepoelsterweg 12");
}

#[tokio::test]
async fn bad_reports_are_refused_field_by_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    let anna = user(&app, "anna@example.nl", "participant").await;
    let noise = category_id(&app, "noise").await;
    let future = (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    let old = (chrono::Utc::now() - chrono::Duration::days(400)).to_rfc3339();
    let cases: Vec<(&str, Value, &str)> = vec![
        ("category_id", json!(9999), "unknown_category"),
        ("neighbourhood_id", json!(9999), "unknown_neighbourhood"),
        ("description", json!("kort"), "too_short"),
        ("description", json!("x".repeat(4001)), "too_long"),
        ("occurred_at", json!(future), "in_future"),
        ("occurred_at", json!(old), "too_old"),
        (
            "location",
            json!({"lat": 52.37, "lon": 4.89}),
            "outside_area",
        ),
        ("address", json!("x"), "too_short"),
    ];
    for (field, value, code) in cases {
        let mut body = report_body(noise);
        body[field] = value;
        let res = app
            .send_auth(Method::POST, "/api/reports", &anna.token, &body)
            .await;
        let problem = assert_problem(res, 422, Some(field)).await;
        assert_eq!(problem["errors"][0]["code"], code, "{field}");
    }
    let mut body = report_body(noise);
    body["occurred_at"] = json!("yesterday");
    assert_problem(
        app.send_auth(Method::POST, "/api/reports", &anna.token, &body)
            .await,
        400,
        None,
    )
    .await;
    assert_eq!(count_reports(&app), 0);
}

#[tokio::test]
async fn who_may_see_and_do_what() {
    let app = spawn_app().await;
    let anna = user(&app, "anna@example.nl", "participant").await;
    let bert = user(&app, "bert@example.nl", "participant").await;
    let coord = user(&app, "coord@gemeente.test", "coordinator").await;
    let police = user(&app, "agent@politie.test", "partner").await;
    let noise = category_id(&app, "noise").await;

    assert_problem(
        app.send_auth(
            Method::POST,
            "/api/reports",
            &coord.token,
            &report_body(noise),
        )
        .await,
        403,
        None,
    )
    .await;
    let report = file(&app, &anna, &report_body(noise)).await;
    let id = report["id"].as_i64().unwrap();
    let path = format!("/api/reports/{id}");

    // Existence is not revealed to those who may not see it.
    assert_problem(app.get_auth(&path, &bert.token).await, 404, None).await;
    assert_problem(app.get_auth(&path, &police.token).await, 404, None).await;
    assert_problem(
        app.get_auth("/api/reports/999999", &anna.token).await,
        404,
        None,
    )
    .await;
    let mine: Value = app
        .get_auth("/api/reports?mine=true", &bert.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["total"], 0);
    let partner_list: Value = app
        .get_auth("/api/reports", &police.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(partner_list["total"], 0);

    // Only staff move reports.
    for s in [&anna, &police] {
        assert_problem(
            transition(&app, s, id, json!({"to": "triaged"})).await,
            403,
            None,
        )
        .await;
    }
    let seen: Value = app
        .get_auth(&path, &coord.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen["reporter"]["display_name"], "Anna de Vries");
    assert_eq!(seen["allowed_transitions"], json!(["triaged", "rejected"]));

    assert_eq!(
        transition(&app, &coord, id, json!({"to": "triaged"}))
            .await
            .status(),
        200
    );
    assert_eq!(
        transition(
            &app,
            &coord,
            id,
            json!({"to": "forwarded", "internal_note": "wijkagent Noord"})
        )
        .await
        .status(),
        200
    );

    // Forwarded: the partner sees it, without the anonymous reporter.
    let seen: Value = app
        .get_auth(&path, &police.token)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        seen["reporter"].is_null(),
        "anonymous towards partners: {seen}"
    );
    assert_eq!(seen["allowed_transitions"], json!([]));
    let partner_list: Value = app
        .get_auth("/api/reports", &police.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(partner_list["total"], 1);

    let res = app
        .send_auth(
            Method::POST,
            &format!("{path}/partner-notes"),
            &police.token,
            &json!({"note": "Extra surveillance ingepland", "handled": true}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let seen: Value = res.json().await.unwrap();
    assert_eq!(seen["police_handled"], true);
    let empty = app
        .send_auth(
            Method::POST,
            &format!("{path}/partner-notes"),
            &police.token,
            &json!({"note": "  "}),
        )
        .await;
    assert_problem(empty, 422, Some("note")).await;
    let by_participant = app
        .send_auth(
            Method::POST,
            &format!("{path}/partner-notes"),
            &anna.token,
            &json!({"note": "hoi"}),
        )
        .await;
    assert_problem(by_participant, 403, None).await;

    // The reporter never sees internal or partner notes.
    let own: Value = app.get_auth(&path, &anna.token).await.json().await.unwrap();
    let text = own["timeline"].to_string();
    assert!(
        !text.contains("wijkagent Noord") && !text.contains("surveillance"),
        "{text}"
    );
    assert!(own["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["event"] == "police_handled"));
}

#[tokio::test]
async fn a_non_anonymous_reporter_is_named_to_partners() {
    let app = spawn_app().await;
    let anna = user(&app, "anna@example.nl", "participant").await;
    let coord = user(&app, "coord@gemeente.test", "coordinator").await;
    let police = user(&app, "agent@politie.test", "partner").await;
    let mut body = report_body(category_id(&app, "home").await);
    body["anonymous_to_partners"] = json!(false);
    let id = file(&app, &anna, &body).await["id"].as_i64().unwrap();
    transition(&app, &coord, id, json!({"to": "triaged"})).await;
    transition(&app, &coord, id, json!({"to": "forwarded"})).await;
    let seen: Value = app
        .get_auth(&format!("/api/reports/{id}"), &police.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen["reporter"]["display_name"], "Anna de Vries");
    assert_eq!(
        seen["reporter"]["email"], "anna@example.nl",
        "contact_ok was given"
    );
}

#[tokio::test]
async fn transitions_follow_the_workflow_and_name_the_allowed_ones() {
    let app = spawn_app().await;
    let anna = user(&app, "anna@example.nl", "participant").await;
    let coord = user(&app, "coord@gemeente.test", "coordinator").await;
    let id = file(&app, &anna, &report_body(category_id(&app, "noise").await)).await["id"]
        .as_i64()
        .unwrap();

    let bad = transition(
        &app,
        &coord,
        id,
        json!({"to": "resolved", "public_note": "klaar"}),
    )
    .await;
    let problem = assert_problem(bad, 409, Some("to")).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("triaged, rejected"),
        "{problem}"
    );
    assert_problem(
        transition(&app, &coord, id, json!({"to": "done"})).await,
        400,
        None,
    )
    .await;
    assert_problem(
        transition(&app, &coord, 999999, json!({"to": "triaged"})).await,
        404,
        None,
    )
    .await;

    transition(&app, &coord, id, json!({"to": "triaged", "public_note": "We kijken ernaar", "internal_note": "bekend adres"})).await;
    let no_reason = transition(&app, &coord, id, json!({"to": "resolved"})).await;
    assert_problem(no_reason, 422, Some("public_note")).await;
    let long = transition(
        &app,
        &coord,
        id,
        json!({"to": "resolved", "public_note": "x".repeat(2001)}),
    )
    .await;
    assert_problem(long, 422, Some("public_note")).await;
    let ok = transition(
        &app,
        &coord,
        id,
        json!({"to": "resolved", "public_note": "Eigenaar aangesproken"}),
    )
    .await;
    assert_eq!(ok.status(), 200);
    let report: Value = ok.json().await.unwrap();
    assert_eq!(report["status"], "resolved");
    assert!(report["reopen_until"].is_string());

    // Every change is an event with who, when, from, to and notes.
    let timeline = report["timeline"].as_array().unwrap();
    assert_eq!(timeline.len(), 3);
    assert_eq!(timeline[1]["from_status"], "submitted");
    assert_eq!(timeline[1]["to_status"], "triaged");
    assert_eq!(timeline[1]["by"], "coordinator");
    assert_eq!(timeline[1]["internal_note"], "bekend adres");

    // The reporter: the public notes, a notification per change, no internal notes.
    let own: Value = app
        .get_auth(&format!("/api/reports/{id}"), &anna.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own["timeline"][2]["public_note"], "Eigenaar aangesproken");
    assert!(own["timeline"][1]["internal_note"].is_null());
    let notes: Vec<Value> = app
        .get_auth("/api/me/notifications", &anna.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0]["status"], "resolved");
    assert_eq!(notes[0]["read"], false);
    assert!(notes[0]["report_reference"]
        .as_str()
        .unwrap()
        .starts_with("WV-"));
    let nid = notes[0]["id"].as_i64().unwrap();
    let res = app
        .send_auth(
            Method::POST,
            &format!("/api/me/notifications/{nid}/read"),
            &anna.token,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 204);
    let other = app
        .send_auth(
            Method::POST,
            &format!("/api/me/notifications/{nid}/read"),
            &coord.token,
            &json!({}),
        )
        .await;
    assert_problem(other, 404, None).await;
    app.send_auth(
        Method::POST,
        "/api/me/notifications/read-all",
        &anna.token,
        &json!({}),
    )
    .await;
    let notes: Vec<Value> = app
        .get_auth("/api/me/notifications", &anna.token)
        .await
        .json()
        .await
        .unwrap();
    assert!(notes.iter().all(|n| n["read"] == true));
}

#[tokio::test]
async fn feedback_once_and_reopen_within_fourteen_days() {
    let app = spawn_app().await;
    let anna = user(&app, "anna@example.nl", "participant").await;
    let bert = user(&app, "bert@example.nl", "participant").await;
    let coord = user(&app, "coord@gemeente.test", "coordinator").await;
    let id = file(&app, &anna, &report_body(category_id(&app, "noise").await)).await["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/reports/{id}");

    let early = app
        .send_auth(
            Method::POST,
            &format!("{path}/feedback"),
            &anna.token,
            &json!({"satisfied": true}),
        )
        .await;
    assert_problem(early, 409, None).await;
    transition(&app, &coord, id, json!({"to": "triaged"})).await;
    transition(
        &app,
        &coord,
        id,
        json!({"to": "resolved", "public_note": "Opgelost"}),
    )
    .await;

    let not_mine = app
        .send_auth(
            Method::POST,
            &format!("{path}/feedback"),
            &bert.token,
            &json!({"satisfied": true}),
        )
        .await;
    assert_problem(not_mine, 404, None).await;
    let res = app
        .send_auth(
            Method::POST,
            &format!("{path}/feedback"),
            &anna.token,
            &json!({"satisfied": false, "comment": "Het is nog steeds luid"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let twice = app
        .send_auth(
            Method::POST,
            &format!("{path}/feedback"),
            &anna.token,
            &json!({"satisfied": true}),
        )
        .await;
    assert_problem(twice, 409, None).await;

    let no_reason = app
        .send_auth(
            Method::POST,
            &format!("{path}/reopen"),
            &anna.token,
            &json!({"reason": ""}),
        )
        .await;
    assert_problem(no_reason, 422, Some("reason")).await;
    let res = app
        .send_auth(
            Method::POST,
            &format!("{path}/reopen"),
            &anna.token,
            &json!({"reason": "Het begon weer"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let report: Value = res.json().await.unwrap();
    assert_eq!(report["status"], "reopened");
    assert_eq!(
        report["allowed_transitions"],
        json!([]),
        "reporters move nothing"
    );
    let staff: Value = app
        .get_auth(&path, &coord.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        staff["allowed_transitions"],
        json!(["triaged", "resolved", "rejected"])
    );

    // Resolved again, but 15 days ago: too late to reopen.
    transition(
        &app,
        &coord,
        id,
        json!({"to": "resolved", "public_note": "Nu echt"}),
    )
    .await;
    {
        use backend::db::schema::reports;
        let long_ago = backend::db::models::now() - chrono::Duration::days(15);
        diesel::update(reports::table.find(id as i32))
            .set(reports::resolved_at.eq(long_ago))
            .execute(&mut app.conn())
            .unwrap();
    }
    let late = app
        .send_auth(
            Method::POST,
            &format!("{path}/reopen"),
            &anna.token,
            &json!({"reason": "Weer herrie"}),
        )
        .await;
    assert_problem(late, 409, None).await;
}

#[tokio::test]
async fn a_reporters_whole_list_reads_the_total_kept_for_them() {
    let app = spawn_app().await;
    let anna = user(&app, "anna@example.nl", "participant").await;
    let bert = user(&app, "bert@example.nl", "participant").await;
    let coord = user(&app, "coord@gemeente.test", "coordinator").await;
    let (noise, home) = (
        category_id(&app, "noise").await,
        category_id(&app, "home").await,
    );
    for (who, cat) in [
        (&anna, noise),
        (&anna, noise),
        (&anna, home),
        (&bert, noise),
    ] {
        file(&app, who, &report_body(cat)).await;
    }
    // A participant's list and their `mine=true` list (read with the account
    // in one statement) are the same page.
    let page = |s: &Session, q: &'static str| {
        let (app, token, own) = (&app, s.token.clone(), s.user_id != coord.user_id);
        async move {
            let v = ok_json(
                app.get_auth(&format!("/api/reports?{q}"), &token).await,
                200,
            )
            .await;
            if own && !q.contains("mine") {
                let mine = ok_json(
                    app.get_auth(&format!("/api/reports?mine=true&{q}"), &token)
                        .await,
                    200,
                )
                .await;
                assert_eq!(mine, v, "{q}");
            }
            (
                v["total"].as_i64().unwrap(),
                v["items"].as_array().unwrap().len(),
            )
        }
    };
    // Full pages: the total is not the page's.
    assert_eq!(page(&anna, "per_page=2").await, (3, 2));
    assert_eq!(page(&anna, "per_page=2&page=2").await, (3, 1));
    assert_eq!(page(&anna, "per_page=2&page=3").await, (3, 0));
    assert_eq!(page(&anna, "per_page=2&sort=due").await, (3, 2));
    assert_eq!(page(&bert, "per_page=1").await, (1, 1));
    assert_eq!(page(&coord, "mine=true&per_page=1").await, (0, 0));
    assert_eq!(page(&coord, "per_page=1").await, (4, 1));
    assert_kept_report_totals_exact(&mut app.conn());

    // Which lists read the kept total, shown by making it wrong: the whole
    // list, in any order, does; a filtered list and the staff queue count.
    {
        use backend::db::schema::reporter_report_counts as kept;
        diesel::update(kept::table.find(anna.user_id))
            .set(kept::reports.eq(7))
            .execute(&mut app.conn())
            .unwrap();
    }
    assert_eq!(page(&anna, "per_page=2").await, (7, 2));
    assert_eq!(page(&anna, "per_page=2&sort=oldest").await, (7, 2));
    assert_eq!(page(&anna, "per_page=2&kind=nuisance").await, (2, 2));
    assert_eq!(page(&anna, "per_page=1&status=submitted").await, (3, 1));
    // A page that is not full still tells the total itself.
    assert_eq!(page(&anna, "per_page=5").await, (3, 3));
    assert_eq!(page(&coord, "per_page=1").await, (4, 1));
}

#[tokio::test]
async fn coordinators_filter_sort_and_page_the_queue() {
    let app = spawn_app().await;
    let anna = user(&app, "anna@example.nl", "participant").await;
    let coord = user(&app, "coord@gemeente.test", "coordinator").await;
    let noise = category_id(&app, "noise").await;
    let home = category_id(&app, "home").await;
    let mut ids = Vec::new();
    for (cat, hood, text) in [
        (noise, 9, "Feest met harde muziek"),
        (home, 9, "Ingebroken via de achterdeur"),
        (noise, 2, "Blaffende hond de hele nacht"),
    ] {
        let mut body = report_body(cat);
        body["neighbourhood_id"] = json!(hood);
        body["description"] = json!(text);
        ids.push(file(&app, &anna, &body).await["id"].as_i64().unwrap());
    }
    transition(&app, &coord, ids[0], json!({"to": "triaged"})).await;
    // One report is past its deadline.
    {
        use backend::db::schema::reports;
        diesel::update(reports::table.find(ids[2] as i32))
            .set(reports::due_at.eq(backend::db::models::now() - chrono::Duration::days(1)))
            .execute(&mut app.conn())
            .unwrap();
    }
    let total = |q: &'static str| {
        let app = &app;
        let token = coord.token.clone();
        async move {
            let v: Value = app
                .get_auth(&format!("/api/reports?{q}"), &token)
                .await
                .json()
                .await
                .unwrap();
            (v["total"].as_i64().unwrap_or_else(|| panic!("{q}: {v}")), v)
        }
    };
    assert_eq!(total("").await.0, 3);
    assert_eq!(total("status=submitted").await.0, 2);
    assert_eq!(total("status=submitted,triaged").await.0, 3);
    assert_eq!(total("kind=burglary").await.0, 1);
    assert_eq!(
        total(Box::leak(format!("category_id={noise}").into_boxed_str()))
            .await
            .0,
        2
    );
    assert_eq!(total("neighbourhood_id=2").await.0, 1);
    assert_eq!(total("q=MUZIEK").await.0, 1);
    assert_eq!(total("q=ziek").await.0, 1);
    assert_eq!(total("q=achterDEUR&kind=burglary").await.0, 1);
    assert_eq!(total("q=achterdeur&kind=nuisance").await.0, 0);
    // Search syntax of either engine is taken literally.
    assert_eq!(total("q=%25%25%25").await.0, 0);
    assert_eq!(total("q=%22hond%22%20OR%20x").await.0, 0);
    assert_eq!(total("q=%20%20hond%20").await.0, 1);
    let (n, overdue) = total("overdue=true").await;
    assert_eq!(n, 1);
    assert_eq!(overdue["items"][0]["overdue"], true);
    let today = chrono::Utc::now().date_naive();
    assert_eq!(
        total(Box::leak(
            format!("from={today}&to={today}").into_boxed_str()
        ))
        .await
        .0,
        3
    );
    assert_eq!(total("from=2020-01-01&to=2020-12-31").await.0, 0);
    let (_, sorted) = total("sort=oldest&per_page=2").await;
    assert_eq!(sorted["items"].as_array().unwrap().len(), 2);
    assert_eq!(sorted["items"][0]["id"].as_i64().unwrap(), ids[0]);
    let (_, due) = total("sort=due").await;
    assert_eq!(due["items"][0]["id"].as_i64().unwrap(), ids[2]);

    for (q, field) in [
        ("status=lost", "status"),
        ("sort=random", "sort"),
        ("per_page=500", "per_page"),
        ("from=2026-02-01&to=2026-01-01", "from"),
        ("q=ab", "q"),
    ] {
        assert_problem(
            app.get_auth(&format!("/api/reports?{q}"), &coord.token)
                .await,
            422,
            Some(field),
        )
        .await;
    }
    assert_problem(
        app.get_auth("/api/reports?kind=fire", &coord.token).await,
        400,
        None,
    )
    .await;
    assert_problem(
        app.get_auth("/api/reports?evil=1", &coord.token).await,
        400,
        None,
    )
    .await;

    // A participant only ever lists their own.
    let bert = user(&app, "bert@example.nl", "participant").await;
    let v: Value = app
        .get_auth("/api/reports", &bert.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["total"], 0);
    let v: Value = app
        .get_auth("/api/reports?mine=true", &anna.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["total"], 3);
    assert_eq!(v["total_capped"], false);

    // A last page that is not full tells the total; a full page, or one
    // past the end, is counted.
    for q in [
        "per_page=2&page=2",
        "per_page=2&page=3",
        "per_page=3",
        "per_page=4",
    ] {
        let (n, page) = total(q).await;
        assert_eq!((n, &page["total_capped"]), (3, &json!(false)), "{q}");
    }

    // A long queue is counted up to the cap, and says so.
    use diesel::RunQueryDsl;
    diesel::sql_query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250) \
         INSERT INTO reports (reporter_id, category_id, kind, neighbourhood_id, description, \
           occurred_at, anonymous_to_partners, contact_ok, status, due_at, created_at, updated_at) \
         SELECT reporter_id, category_id, kind, neighbourhood_id, description, occurred_at, \
           anonymous_to_partners, contact_ok, status, due_at, created_at, updated_at \
         FROM reports, n WHERE reports.id = (SELECT MIN(id) FROM reports)",
    )
    .execute(&mut app.conn())
    .unwrap();
    let (n, page) = total("").await;
    assert_eq!(n, shared::reports::REPORT_COUNT_CAP);
    assert_eq!(page["total_capped"], true);
    assert_eq!(page["items"].as_array().unwrap().len(), 20);
    let (n, page) = total("per_page=100&page=3").await;
    assert_eq!((n, &page["total_capped"]), (200, &json!(true)));
    assert_eq!(page["items"].as_array().unwrap().len(), 53);
    let (n, page) = total("kind=burglary").await;
    assert_eq!((n, &page["total_capped"]), (1, &json!(false)));
}

fn png_with_gps_text(w: u32, h: u32) -> Vec<u8> {
    use image::{DynamicImage, ImageFormat};
    let mut out = Vec::new();
    DynamicImage::new_rgb8(w, h)
        .write_to(&mut std::io::Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    // A tEXt chunk before IEND, standing in for embedded location metadata.
    let text = b"tEXtGPSLatitude\x0053.2194";
    let iend = out.len() - 12;
    let mut chunk = (text.len() as u32 - 4).to_be_bytes().to_vec();
    chunk.extend_from_slice(text);
    chunk.extend_from_slice(&[0, 0, 0, 0]); // CRC is not checked by the decoder here
    out.splice(iend..iend, chunk);
    out
}

async fn upload(app: &TestApp, s: &Session, id: i64, bytes: Vec<u8>) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/reports/{id}/photos")))
        .bearer_auth(&s.token)
        .header("content-type", "image/png")
        .body(bytes)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn photos_are_cleaned_limited_and_shown_only_to_who_may_see_the_report() {
    let app = spawn_app().await;
    let anna = user(&app, "anna@example.nl", "participant").await;
    let bert = user(&app, "bert@example.nl", "participant").await;
    let coord = user(&app, "coord@gemeente.test", "coordinator").await;
    let id = file(
        &app,
        &anna,
        &report_body(category_id(&app, "vandalism").await),
    )
    .await["id"]
        .as_i64()
        .unwrap();

    assert_problem(
        upload(&app, &bert, id, png_with_gps_text(20, 20)).await,
        404,
        None,
    )
    .await;
    let res = upload(&app, &anna, id, png_with_gps_text(64, 48)).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let photo: Value = res.json().await.unwrap();
    let url = photo["url"].as_str().unwrap().to_owned();

    let got = app
        .client
        .get(app.url(&url))
        .bearer_auth(&anna.token)
        .send()
        .await
        .unwrap();
    assert_eq!(got.headers().get("content-type").unwrap(), "image/jpeg");
    let bytes = got.bytes().await.unwrap();
    assert_eq!(&bytes[..3], &[0xFF, 0xD8, 0xFF], "re-encoded as JPEG");
    assert!(!bytes.windows(3).any(|w| w == b"GPS"), "metadata is gone");
    assert_eq!(
        app.client
            .get(app.url(&url))
            .bearer_auth(&coord.token)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_problem(
        app.client
            .get(app.url(&url))
            .bearer_auth(&bert.token)
            .send()
            .await
            .unwrap(),
        404,
        None,
    )
    .await;
    assert_problem(
        app.client.get(app.url(&url)).send().await.unwrap(),
        401,
        None,
    )
    .await;

    let report: Value = app
        .get_auth(&format!("/api/reports/{id}"), &anna.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["photos"].as_array().unwrap().len(), 1);

    let not_image = upload(&app, &anna, id, b"%PDF-1.7 this is a document".to_vec()).await;
    let problem = assert_problem(not_image, 422, Some("photo")).await;
    assert_eq!(problem["errors"][0]["code"], "not_an_image");
    let too_large = upload(&app, &anna, id, vec![0u8; 8 * 1024 * 1024 + 1]).await;
    assert_problem(too_large, 413, None).await;

    assert_eq!(
        upload(&app, &anna, id, png_with_gps_text(10, 10))
            .await
            .status(),
        201
    );
    assert_eq!(
        upload(&app, &anna, id, png_with_gps_text(10, 10))
            .await
            .status(),
        201
    );
    let fourth = upload(&app, &anna, id, png_with_gps_text(10, 10)).await;
    assert_problem(fourth, 409, Some("photo")).await;
    let report: Value = app
        .get_auth(&format!("/api/reports/{id}"), &anna.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["photos"].as_array().unwrap().len(), 3);
    let stored = std::fs::read_dir(app.data_dir.path().join("photos"))
        .unwrap()
        .count();
    assert_eq!(stored, 3, "refused uploads leave no files");
}

#[tokio::test]
async fn admins_edit_categories_and_inactive_ones_take_no_reports() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let anna = user(&app, "anna@example.nl", "participant").await;
    let body = json!({"code": "fireworks", "kind": "nuisance", "name_nl": "Vuurwerk", "name_en": "Fireworks", "triage_days": 1});
    assert_problem(
        app.send_auth(
            Method::POST,
            "/api/admin/report-categories",
            &anna.token,
            &body,
        )
        .await,
        403,
        None,
    )
    .await;
    let res = app
        .send_auth(
            Method::POST,
            "/api/admin/report-categories",
            &admin.token,
            &body,
        )
        .await;
    assert_eq!(res.status(), 201);
    let cat: Value = res.json().await.unwrap();
    assert_eq!(cat["active"], true);
    let id = cat["id"].as_i64().unwrap();
    assert_eq!(category_id(&app, "fireworks").await, id);

    let dup = app
        .send_auth(
            Method::POST,
            "/api/admin/report-categories",
            &admin.token,
            &body,
        )
        .await;
    assert_problem(dup, 409, Some("code")).await;
    for (field, value) in [
        ("code", json!("Bad Code")),
        ("triage_days", json!(99)),
        ("name_nl", json!("")),
    ] {
        let mut bad = body.clone();
        bad["code"] = json!("other_code");
        bad[field] = value;
        let res = app
            .send_auth(
                Method::POST,
                "/api/admin/report-categories",
                &admin.token,
                &bad,
            )
            .await;
        assert_problem(res, 422, Some(field)).await;
    }

    let path = format!("/api/admin/report-categories/{id}");
    let res = app
        .send_auth(
            Method::PATCH,
            &path,
            &admin.token,
            &json!({"triage_days": 2, "name_en": "Fireworks nuisance"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["triage_days"], 2);
    assert_problem(
        app.send_auth(Method::PATCH, &path, &admin.token, &json!({}))
            .await,
        422,
        None,
    )
    .await;
    assert_problem(
        app.send_auth(
            Method::PATCH,
            "/api/admin/report-categories/9999",
            &admin.token,
            &json!({"active": false}),
        )
        .await,
        404,
        None,
    )
    .await;

    file(&app, &anna, &report_body(id)).await;
    app.send_auth(
        Method::PATCH,
        &path,
        &admin.token,
        &json!({"active": false}),
    )
    .await;
    let public: Vec<Value> = app
        .client
        .get(app.url("/api/report-categories"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!public.iter().any(|c| c["code"] == "fireworks"));
    let all: Vec<Value> = app
        .get_auth("/api/admin/report-categories", &admin.token)
        .await
        .json()
        .await
        .unwrap();
    assert!(all
        .iter()
        .any(|c| c["code"] == "fireworks" && c["active"] == false));
    let refused = app
        .send_auth(Method::POST, "/api/reports", &anna.token, &report_body(id))
        .await;
    assert_problem(refused, 422, Some("category_id")).await;
}

#[derive(diesel::QueryableByName)]
struct SqlitePlan {
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

#[derive(diesel::QueryableByName)]
struct PgPlan {
    #[diesel(sql_type = diesel::sql_types::Text, column_name = "QUERY PLAN")]
    line: String,
}

/// The free-text filter is served by an index on both engines, not a scan.
#[test]
fn the_text_search_is_served_by_an_index() {
    use backend::db::DbConnection;
    let dir = tempfile::tempdir().unwrap();
    let (url, _guard) = fresh_database(&dir);
    let kind = backend::config::database_kind(&url).unwrap();
    let mut conn = backend::db::establish(&url, kind).unwrap();
    backend::db::run_migrations(&mut conn).unwrap();
    let plan: Vec<String> = match conn {
        DbConnection::Sqlite(_) => diesel::sql_query(
            "EXPLAIN QUERY PLAN SELECT id FROM reports WHERE reports.id IN \
             (SELECT rowid FROM reports_fts WHERE reports_fts MATCH '\"muziek\"')",
        )
        .load::<SqlitePlan>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|l| l.detail)
        .collect(),
        DbConnection::Pg(_) => {
            diesel::sql_query("SET enable_seqscan = off")
                .execute(&mut conn)
                .unwrap();
            diesel::sql_query(
                "EXPLAIN SELECT id FROM reports WHERE lower(reports.description) LIKE '%muziek%'",
            )
            .load::<PgPlan>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|l| l.line)
            .collect()
        }
    };
    let plan = plan.join("\n");
    assert!(
        plan.contains("reports_fts VIRTUAL TABLE INDEX")
            || plan.contains("reports_description_trgm_idx"),
        "{plan}"
    );
}

/// Filing, listing, answering and the dashboards read the account in the
/// same trip to the database as their own work (`auth::Caller`): a
/// deactivated account's unexpired token is refused there too, before
/// anything is written.
#[tokio::test]
async fn a_deactivated_account_files_lists_answers_and_sees_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let p = app.signup("anna@example.nl").await;
    let noise = category_id(&app, "noise").await;
    ok_json(
        app.send_auth(Method::POST, "/api/reports", &p.token, &report_body(noise))
            .await,
        201,
    )
    .await;
    ok_json(
        app.send_auth(
            Method::PATCH,
            &format!("/api/admin/users/{}", p.user_id),
            &admin.token,
            &json!({"active": false}),
        )
        .await,
        200,
    )
    .await;

    assert_problem(
        app.send_auth(Method::POST, "/api/reports", &p.token, &report_body(noise))
            .await,
        401,
        None,
    )
    .await;
    // A page with their report, and an empty one (the account read apart).
    for list in [
        "/api/reports?mine=true",
        "/api/reports?mine=true&status=closed",
    ] {
        assert_problem(app.get_auth(list, &p.token).await, 401, None).await;
    }
    assert_problem(
        app.send_auth(
            Method::POST,
            "/api/surveys/1/responses",
            &p.token,
            &json!({"answers": []}),
        )
        .await,
        401,
        None,
    )
    .await;
    assert_problem(
        app.get_auth("/api/metrics/participation", &p.token).await,
        401,
        None,
    )
    .await;
    let all = ok_json(app.get_auth("/api/reports", &admin.token).await, 200).await;
    assert_eq!(all["total"], 1, "only the report filed while active");
}

/// PostgreSQL only: a report list's page and its count stay prepared on the
/// connection (named statements, listed in `pg_prepared_statements`), so
/// PostgreSQL does not parse and plan them on every page. An SQL literal
/// anywhere in a diesel query makes it an unnamed statement, planned anew.
#[tokio::test]
async fn report_lists_keep_their_statements_prepared() {
    use backend::db::{self, reports::ReportFilter};
    let Some(mut pg) = fresh_postgres() else {
        return;
    };
    let conn = &mut pg.conn;
    db::run_migrations(conn).unwrap();
    // Second pages: an empty one past the first is counted on its own, so
    // both statements run.
    let filters = [
        ReportFilter {
            reporter_id: Some(1),
            limit: 20,
            offset: 20,
            ..Default::default()
        },
        ReportFilter {
            statuses: vec!["submitted".into()],
            limit: 20,
            offset: 20,
            ..Default::default()
        },
    ];
    for f in &filters {
        let (items, total) = db::reports::list(conn, f).unwrap();
        assert_eq!((items.len(), total), (0, 0));
    }
    let prepared = prepared_statements(conn);
    let on_reports = |order: bool| {
        prepared
            .iter()
            .filter(|s| s.contains("FROM \"reports\"") && s.contains("LIMIT"))
            .filter(|s| s.contains("ORDER BY") == order)
            .count()
    };
    assert_eq!(
        (on_reports(true), on_reports(false)),
        (2, 2),
        "a page and a count per filter: {prepared:#?}"
    );

    // A first page, again and again: PostgreSQL plans it for the values at
    // hand five times, then keeps a generic plan (its size is in the
    // statement; a bound LIMIT and OFFSET made a generic plan look dearer).
    let first = ReportFilter {
        reporter_id: Some(1),
        limit: 20,
        ..Default::default()
    };
    for _ in 0..8 {
        db::reports::list(conn, &first).unwrap();
    }
    #[derive(QueryableByName, Debug)]
    struct Plans {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        generic_plans: i64,
    }
    let plans: Vec<Plans> = diesel::sql_query(
        "SELECT generic_plans FROM pg_prepared_statements \
         WHERE statement LIKE '%FROM \"reports\"%LIMIT 20' AND statement NOT LIKE '%OFFSET%'",
    )
    .load(conn)
    .unwrap();
    assert!(
        matches!(plans.as_slice(), [p] if p.generic_plans >= 3),
        "{plans:?}"
    );

    // One's own first page with the account in the same statement: kept
    // prepared and generic as well.
    for _ in 0..8 {
        let (user, (items, total)) = db::reports::list_own(conn, 1, first.clone()).unwrap();
        assert!(user.is_none() && items.is_empty() && total == 0);
    }
    let plans: Vec<Plans> = diesel::sql_query(
        "SELECT generic_plans FROM pg_prepared_statements \
         WHERE statement LIKE '%CROSS JOIN (SELECT%FROM \"reports\"%LIMIT 20) AS page%'",
    )
    .load(conn)
    .unwrap();
    assert!(
        matches!(plans.as_slice(), [p] if p.generic_plans >= 3),
        "{plans:?}"
    );
}
