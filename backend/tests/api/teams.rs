//! Prevention teams end to end: proposal and decision, joining and leads,
//! patrols with their limits, the patrol log and observations turned into
//! reports, the coordinators' overview, and bad input that stores nothing.

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

const HOOD: i32 = 3;

fn patrol_body(hours_ahead: i64, min: i32, max: i32) -> Value {
    json!({
        "starts_at": (chrono::Utc::now() + chrono::Duration::hours(hours_ahead)).to_rfc3339(),
        "meeting_point": "Hoek Paterswoldseweg / Laan Corpus den Hoorn",
        "route": "Rondje langs de fietsenstallingen en de achterpaden.",
        "min_members": min,
        "max_members": max,
    })
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

/// Moves a patrol's start into the past, as if time went by.
fn walk(app: &TestApp, patrol: i64) {
    use backend::db::schema::patrols;
    diesel::update(patrols::table.find(patrol as i32))
        .set(patrols::starts_at.eq(backend::db::models::now() - chrono::Duration::hours(1)))
        .execute(&mut app.conn())
        .unwrap();
}

#[tokio::test]
async fn a_team_from_proposal_to_patrol_log() {
    let app = spawn_app().await;
    let coord = app.quick_user("coord@gemeente.test", "coordinator", None, None);
    let partner = app.quick_user("agent@politie.test", "partner", None, None);
    let lead = app.quick_user(
        "lead@example.nl",
        "participant",
        Some("resident"),
        Some(HOOD),
    );
    let member = app.quick_user("m@example.nl", "participant", Some("student"), Some(HOOD));
    let other = app.quick_user("o@example.nl", "participant", Some("resident"), Some(HOOD));
    let call = |s: &Session, m: Method, path: &str, body: Value| {
        let token = s.token.clone();
        let path = path.to_owned();
        let app = &app;
        async move { app.send_auth(m, &path, &token, &body).await }
    };

    // Proposing: bad input and wrong roles store nothing.
    let res = call(
        &lead,
        Method::POST,
        "/api/teams",
        json!({"name": "x", "area": "", "contact": "06"}),
    )
    .await;
    let body = assert_problem(res, 422, Some("name")).await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "area", "contact"]);
    let proposal = json!({
        "name": "BPT Schildersbuurt",
        "area": "Schildersbuurt en het Noorderplantsoen",
        "contact": "bpt-schildersbuurt@example.nl",
    });
    assert_problem(
        call(&partner, Method::POST, "/api/teams", proposal.clone()).await,
        403,
        None,
    )
    .await;
    assert_problem(
        call(&coord, Method::POST, "/api/teams", proposal.clone()).await,
        403,
        None,
    )
    .await;
    assert_eq!(count(&app, "teams"), 0);
    let team = ok_json(call(&lead, Method::POST, "/api/teams", proposal).await, 201).await;
    let id = team["id"].as_i64().unwrap();
    assert_eq!(team["status"], "proposed");
    assert_eq!(team["neighbourhood_id"], HOOD);
    assert_eq!(team["mine"], true);

    // Nobody else sees a proposal; nobody can join it yet.
    let list = ok_json(
        call(&other, Method::GET, "/api/teams", json!(null)).await,
        200,
    )
    .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    assert_problem(
        call(
            &other,
            Method::GET,
            &format!("/api/teams/{id}"),
            json!(null),
        )
        .await,
        404,
        None,
    )
    .await;
    assert_problem(
        call(
            &partner,
            Method::GET,
            &format!("/api/teams/{id}"),
            json!(null),
        )
        .await,
        404,
        None,
    )
    .await;
    assert_problem(
        call(
            &other,
            Method::POST,
            &format!("/api/teams/{id}/members"),
            json!(null),
        )
        .await,
        409,
        None,
    )
    .await;

    // The coordinator decides: a decline needs a reason; only coordinators decide.
    let decide = format!("/api/teams/{id}/decision");
    assert_problem(
        call(&coord, Method::POST, &decide, json!({"approve": false})).await,
        422,
        Some("reason"),
    )
    .await;
    assert_problem(
        call(&lead, Method::POST, &decide, json!({"approve": true})).await,
        403,
        None,
    )
    .await;
    let team = ok_json(
        call(&coord, Method::POST, &decide, json!({"approve": true})).await,
        200,
    )
    .await;
    assert_eq!(team["status"], "approved");
    assert_eq!(team["member_count"], 1);
    assert_eq!(team["members"][0]["user_id"], lead.user_id);
    assert_eq!(team["members"][0]["lead"], true);
    assert_eq!(team["members"][0]["email"], "lead@example.nl");
    assert_problem(
        call(
            &coord,
            Method::POST,
            &decide,
            json!({"approve": false, "reason": "Toch niet"}),
        )
        .await,
        409,
        None,
    )
    .await;

    // Joining: a request, then a lead accepts; twice is refused.
    let members = format!("/api/teams/{id}/members");
    let t = ok_json(
        call(&member, Method::POST, &members, json!(null)).await,
        201,
    )
    .await;
    assert_eq!(t["my_membership"], "requested");
    assert_problem(
        call(&member, Method::POST, &members, json!(null)).await,
        409,
        None,
    )
    .await;
    assert_problem(
        call(&partner, Method::POST, &members, json!(null)).await,
        403,
        None,
    )
    .await;
    ok_json(call(&other, Method::POST, &members, json!(null)).await, 201).await;
    assert_eq!(count(&app, "team_members"), 3);
    // A non-lead cannot accept, or make themselves a lead.
    let accept = |uid: i32| format!("/api/teams/{id}/members/{uid}");
    assert_problem(
        call(
            &member,
            Method::PATCH,
            &accept(member.user_id),
            json!({"status": "active"}),
        )
        .await,
        403,
        None,
    )
    .await;
    assert_problem(
        call(
            &other,
            Method::PATCH,
            &accept(member.user_id),
            json!({"status": "active"}),
        )
        .await,
        403,
        None,
    )
    .await;
    assert_problem(
        call(
            &lead,
            Method::PATCH,
            &accept(member.user_id),
            json!({"status": "requested"}),
        )
        .await,
        422,
        Some("status"),
    )
    .await;
    assert_problem(
        call(
            &lead,
            Method::PATCH,
            &accept(member.user_id),
            json!({"lead": true}),
        )
        .await,
        409,
        None,
    )
    .await;
    let t = ok_json(
        call(
            &lead,
            Method::PATCH,
            &accept(member.user_id),
            json!({"status": "active"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(t["member_count"], 2);
    // The lead declines the other request; the other person can ask again later.
    let res = call(&lead, Method::DELETE, &accept(other.user_id), json!(null)).await;
    assert_eq!(res.status(), 204);
    assert_eq!(count(&app, "team_members"), 2);

    // Who sees what: the partner the leads' contact, a resident outside the team only leads' names.
    let seen = ok_json(
        call(
            &partner,
            Method::GET,
            &format!("/api/teams/{id}"),
            json!(null),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(seen["members"].as_array().unwrap().len(), 1);
    assert_eq!(seen["members"][0]["email"], "lead@example.nl");
    let seen = ok_json(
        call(
            &other,
            Method::GET,
            &format!("/api/teams/{id}"),
            json!(null),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(seen["members"].as_array().unwrap().len(), 1);
    assert!(seen["members"][0].get("email").is_none());
    assert_eq!(seen["can_manage"], false);
    let seen = ok_json(
        call(
            &member,
            Method::GET,
            &format!("/api/teams/{id}"),
            json!(null),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(seen["members"].as_array().unwrap().len(), 2);
    assert_eq!(seen["my_membership"], "active");

    // Patrols: only leads plan them, in the future, with a sane size.
    let patrols = format!("/api/teams/{id}/patrols");
    assert_problem(
        call(&member, Method::POST, &patrols, patrol_body(5, 2, 2)).await,
        403,
        None,
    )
    .await;
    assert_problem(
        call(&lead, Method::POST, &patrols, patrol_body(-2, 2, 2)).await,
        422,
        Some("starts_at"),
    )
    .await;
    assert_problem(
        call(&lead, Method::POST, &patrols, patrol_body(5, 3, 2)).await,
        422,
        Some("max_members"),
    )
    .await;
    assert_eq!(count(&app, "patrols"), 0);
    let p = ok_json(
        call(&lead, Method::POST, &patrols, patrol_body(5, 2, 2)).await,
        201,
    )
    .await;
    let pid = p["id"].as_i64().unwrap();
    // Within a day and below its minimum: flagged.
    assert_eq!(p["understaffed"], true);
    let later = ok_json(
        call(&lead, Method::POST, &patrols, patrol_body(72, 2, 4)).await,
        201,
    )
    .await;
    assert_eq!(later["understaffed"], false);
    assert_problem(
        call(&other, Method::GET, &patrols, json!(null)).await,
        403,
        None,
    )
    .await;

    // Sign-ups: members only, up to the maximum.
    let signup = format!("/api/patrols/{pid}/signup");
    assert_problem(
        call(&other, Method::PUT, &signup, json!(null)).await,
        403,
        None,
    )
    .await;
    let p = ok_json(call(&member, Method::PUT, &signup, json!(null)).await, 200).await;
    assert_eq!(
        (p["signup_count"].as_i64(), p["signed_up"].as_bool()),
        (Some(1), Some(true))
    );
    // Signing up again changes nothing; withdrawing and coming back works.
    let p = ok_json(call(&member, Method::PUT, &signup, json!(null)).await, 200).await;
    assert_eq!(p["signup_count"], 1);
    let p = ok_json(
        call(&member, Method::DELETE, &signup, json!(null)).await,
        200,
    )
    .await;
    assert_eq!(
        (p["signup_count"].as_i64(), p["signed_up"].as_bool()),
        (Some(0), Some(false))
    );
    let p = ok_json(call(&member, Method::PUT, &signup, json!(null)).await, 200).await;
    assert_eq!(p["signup_count"], 1);
    let p = ok_json(call(&lead, Method::PUT, &signup, json!(null)).await, 200).await;
    assert_eq!(
        (p["signup_count"].as_i64(), p["understaffed"].as_bool()),
        (Some(2), Some(false))
    );
    // A third member finds it full.
    ok_json(call(&other, Method::POST, &members, json!(null)).await, 201).await;
    ok_json(
        call(
            &lead,
            Method::PATCH,
            &accept(other.user_id),
            json!({"status": "active"}),
        )
        .await,
        200,
    )
    .await;
    assert_problem(
        call(&other, Method::PUT, &signup, json!(null)).await,
        409,
        None,
    )
    .await;
    assert_eq!(count(&app, "patrol_signups"), 2);

    // The log: not before the walk, only by those who walked, nothing from the future.
    let log = format!("/api/patrols/{pid}/observations");
    let seen_body = |minutes_ago: i64| {
        json!({
            "what": "Kelderbox open, fietsen zichtbaar vanaf de straat",
            "place": "Achterpad Van Swietenstraat",
            "observed_at": (chrono::Utc::now() - chrono::Duration::minutes(minutes_ago)).to_rfc3339(),
        })
    };
    assert_problem(
        call(&member, Method::POST, &log, seen_body(0)).await,
        409,
        None,
    )
    .await;
    walk(&app, pid);
    assert_problem(
        call(&other, Method::PUT, &signup, json!(null)).await,
        409,
        None,
    )
    .await;
    assert_problem(
        call(&member, Method::DELETE, &signup, json!(null)).await,
        409,
        None,
    )
    .await;
    assert_problem(
        call(&other, Method::POST, &log, seen_body(5)).await,
        403,
        None,
    )
    .await;
    assert_problem(
        call(&member, Method::POST, &log, seen_body(-60)).await,
        422,
        Some("observed_at"),
    )
    .await;
    assert_problem(
        call(
            &member,
            Method::POST,
            &log,
            json!({"what": "", "place": "x", "observed_at": chrono::Utc::now().to_rfc3339()}),
        )
        .await,
        422,
        Some("what"),
    )
    .await;
    assert_eq!(count(&app, "observations"), 0);
    let o = ok_json(call(&member, Method::POST, &log, seen_body(10)).await, 201).await;
    let oid = o["id"].as_i64().unwrap();
    assert_eq!(o["mine"], true);
    let list = ok_json(call(&lead, Method::GET, &log, json!(null)).await, 200).await;
    assert_eq!(list["items"][0]["mine"], false);
    assert_eq!(list["items"][0]["observer_name"], "Test");

    // One action turns it into the observer's report, prefilled.
    let to_report = format!("/api/observations/{oid}/report");
    let burglary = category_id(&app, "shed_garage").await;
    assert_problem(
        call(
            &lead,
            Method::POST,
            &to_report,
            json!({"category_id": burglary}),
        )
        .await,
        403,
        None,
    )
    .await;
    assert_problem(
        call(
            &member,
            Method::POST,
            &to_report,
            json!({"category_id": 999}),
        )
        .await,
        422,
        Some("category_id"),
    )
    .await;
    assert_eq!(count(&app, "reports"), 0);
    let report = ok_json(
        call(
            &member,
            Method::POST,
            &to_report,
            json!({"category_id": burglary}),
        )
        .await,
        201,
    )
    .await;
    assert!(report["description"]
        .as_str()
        .unwrap()
        .starts_with("Kelderbox open"));
    assert_eq!(report["address"], "Achterpad Van Swietenstraat");
    assert_eq!(report["neighbourhood_id"], HOOD);
    assert_eq!(report["status"], "submitted");
    assert_problem(
        call(
            &member,
            Method::POST,
            &to_report,
            json!({"category_id": burglary}),
        )
        .await,
        409,
        None,
    )
    .await;
    let list = ok_json(call(&member, Method::GET, &log, json!(null)).await, 200).await;
    assert_eq!(list["items"][0]["report_id"], report["id"]);
    assert_eq!(count(&app, "reports"), 1);

    // The coordinators' overview counts the patrol held and the observation.
    assert_problem(
        call(&lead, Method::GET, "/api/teams/overview", json!(null)).await,
        403,
        None,
    )
    .await;
    let ov = ok_json(
        call(&coord, Method::GET, "/api/teams/overview", json!(null)).await,
        200,
    )
    .await;
    let row = &ov["items"][0];
    assert_eq!(
        (row["members"].as_i64(), row["leads"].as_i64()),
        (Some(3), Some(1))
    );
    assert_eq!(
        (row["patrols_held"].as_i64(), row["observations"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(row["months"].as_array().unwrap().len(), 1);

    // Leads: the last one cannot step down or leave while there are members.
    assert_problem(
        call(
            &lead,
            Method::PATCH,
            &accept(lead.user_id),
            json!({"lead": false}),
        )
        .await,
        409,
        None,
    )
    .await;
    assert_problem(
        call(&lead, Method::DELETE, &accept(lead.user_id), json!(null)).await,
        409,
        None,
    )
    .await;
    assert_problem(
        call(&member, Method::DELETE, &accept(other.user_id), json!(null)).await,
        403,
        None,
    )
    .await;
    let t = ok_json(
        call(
            &lead,
            Method::PATCH,
            &accept(member.user_id),
            json!({"lead": true}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        t["members"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["lead"] == true)
            .count(),
        2
    );
    // Leaving takes one's sign-ups for coming patrols along.
    let later_signup = format!("/api/patrols/{}/signup", later["id"]);
    ok_json(
        call(&other, Method::PUT, &later_signup, json!(null)).await,
        200,
    )
    .await;
    assert_eq!(
        call(&other, Method::DELETE, &accept(other.user_id), json!(null))
            .await
            .status(),
        204
    );
    let p = ok_json(call(&lead, Method::GET, &patrols, json!(null)).await, 200).await;
    assert_eq!(p["items"][1]["signup_count"], 0);
    assert_eq!(
        call(&lead, Method::DELETE, &accept(lead.user_id), json!(null))
            .await
            .status(),
        204
    );
    let t = ok_json(
        call(
            &member,
            Method::GET,
            &format!("/api/teams/{id}"),
            json!(null),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(t["member_count"], 1);
    assert_eq!(t["i_lead"], true);
}

#[tokio::test]
async fn declined_teams_say_why_and_stay_with_their_proposer() {
    let app = spawn_app().await;
    let coord = app.quick_user("coord@gemeente.test", "coordinator", None, None);
    let resident = app.quick_user("r@example.nl", "participant", Some("resident"), Some(HOOD));
    let body = json!({"name": "BPT Oosterpoort", "area": "Oosterpoort", "contact": "06 12345678"});
    let team = ok_json(
        app.send_auth(Method::POST, "/api/teams", &resident.token, &body)
            .await,
        201,
    )
    .await;
    let id = team["id"].as_i64().unwrap();
    let t = ok_json(
        app.send_auth(
            Method::POST,
            &format!("/api/teams/{id}/decision"),
            &coord.token,
            &json!({"approve": false, "reason": "Er is al een team voor deze straten"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(t["status"], "declined");
    let list = ok_json(
        app.send_auth(Method::GET, "/api/teams", &resident.token, &json!(null))
            .await,
        200,
    )
    .await;
    assert_eq!(
        list["items"][0]["decision_reason"],
        "Er is al een team voor deze straten"
    );
    assert_eq!(list["items"][0]["member_count"], 0);
    assert_problem(
        app.send_auth(
            Method::POST,
            &format!("/api/teams/{id}/patrols"),
            &coord.token,
            &patrol_body(5, 1, 3),
        )
        .await,
        409,
        None,
    )
    .await;
    // Unknown ids are 404s, not 500s.
    assert_problem(
        app.send_auth(
            Method::GET,
            "/api/teams/9999",
            &resident.token,
            &json!(null),
        )
        .await,
        404,
        None,
    )
    .await;
    assert_problem(
        app.send_auth(
            Method::PUT,
            "/api/patrols/9999/signup",
            &resident.token,
            &json!(null),
        )
        .await,
        404,
        None,
    )
    .await;
    assert_problem(
        app.send_auth(
            Method::POST,
            "/api/observations/9999/report",
            &resident.token,
            &json!({"category_id": 1}),
        )
        .await,
        404,
        None,
    )
    .await;
}

#[tokio::test]
async fn erasure_leaves_the_log_without_a_name_and_drops_open_proposals() {
    let app = spawn_app().await;
    let coord = app.quick_user("coord@gemeente.test", "coordinator", None, None);
    let lead = app.quick_user(
        "lead@example.nl",
        "participant",
        Some("resident"),
        Some(HOOD),
    );
    let mut body = signup_body("walker@example.nl");
    body["display_name"] = json!("Wim Walker");
    let walker = app.signup_with(body).await;
    let send = |s: &Session, m: Method, path: String, body: Value| {
        let token = s.token.clone();
        let app = &app;
        async move { app.send_auth(m, &path, &token, &body).await }
    };
    let team = ok_json(
        send(
            &lead,
            Method::POST,
            "/api/teams".into(),
            json!({"name": "BPT Oost", "area": "Oost", "contact": "06 1234"}),
        )
        .await,
        201,
    )
    .await;
    let id = team["id"].as_i64().unwrap();
    ok_json(
        send(
            &coord,
            Method::POST,
            format!("/api/teams/{id}/decision"),
            json!({"approve": true}),
        )
        .await,
        200,
    )
    .await;
    ok_json(
        send(
            &walker,
            Method::POST,
            format!("/api/teams/{id}/members"),
            json!(null),
        )
        .await,
        201,
    )
    .await;
    ok_json(
        send(
            &lead,
            Method::PATCH,
            format!("/api/teams/{id}/members/{}", walker.user_id),
            json!({"status": "active"}),
        )
        .await,
        200,
    )
    .await;
    let p = ok_json(
        send(
            &lead,
            Method::POST,
            format!("/api/teams/{id}/patrols"),
            patrol_body(1, 1, 4),
        )
        .await,
        201,
    )
    .await;
    let pid = p["id"].as_i64().unwrap();
    ok_json(
        send(
            &walker,
            Method::PUT,
            format!("/api/patrols/{pid}/signup"),
            json!(null),
        )
        .await,
        200,
    )
    .await;
    ok_json(
        send(
            &walker,
            Method::POST,
            format!("/api/patrols/{pid}/observations"),
            json!({
                "what": "Wim Walker zag een open raam bij nummer 4",
                "place": "Oosterstraat",
                "observed_at": chrono::Utc::now().to_rfc3339(),
            }),
        )
        .await,
        201,
    )
    .await;
    // The walker also proposed a team of his own that nobody decided on yet.
    ok_json(
        send(
            &walker,
            Method::POST,
            "/api/teams".into(),
            json!({"name": "BPT Wim", "area": "Oost", "contact": "wim@example.nl"}),
        )
        .await,
        201,
    )
    .await;
    let export = ok_json(app.get_auth("/api/me/export", &walker.token).await, 200).await;
    assert_eq!(export["teams"].as_array().unwrap().len(), 2);
    assert_eq!(export["patrols"][0]["patrol_id"], pid);
    assert_eq!(export["observations"][0]["place"], "Oosterstraat");

    let res = send(
        &walker,
        Method::DELETE,
        "/api/me".into(),
        json!({"password": PASSWORD}),
    )
    .await;
    assert_eq!(res.status(), 204);
    // Membership and sign-up went with the account; the log keeps the observation, without him.
    assert_eq!(count(&app, "team_members"), 1);
    assert_eq!(count(&app, "patrol_signups"), 0);
    assert_eq!(count(&app, "teams"), 1);
    let log = ok_json(
        send(
            &lead,
            Method::GET,
            format!("/api/patrols/{pid}/observations"),
            json!(null),
        )
        .await,
        200,
    )
    .await;
    let o = &log["items"][0];
    assert_eq!(o["observer_name"], Value::Null);
    assert_eq!(
        o["what"],
        "[naam verwijderd] zag een open raam bij nummer 4"
    );
    let p = ok_json(
        send(
            &lead,
            Method::GET,
            format!("/api/teams/{id}/patrols"),
            json!(null),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(p["items"][0]["signup_count"], 0);
}
