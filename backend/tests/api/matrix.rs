//! The authorization matrix: every route of the route tables, called by
//! every kind of caller (nobody, the owner of the resource, another
//! participant, a coordinator, a partner, an admin), with the status each
//! must get. The table is checked against `api::ROUTES`,
//! `api::open311::ROUTES` and `api::SITE_ROUTES`: a route without an entry,
//! or an entry for a route that does not exist, fails the test.
//!
//! A refusal must be exactly the expected status, as problem+json (Open311
//! answers in its own error format). "Allowed" means the caller got past
//! authorization: any answer but 401, 403, 404 or a server error (a valid
//! request may still be a 409 or 422 for reasons of state, which is fine
//! here: the other test modules check the outcomes). Bodies are well formed,
//! so a refusal cannot hide behind a parse error. Refused callers go first:
//! they must change nothing that the allowed callers then see.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Exp {
    /// Past authorization (any status but 401, 403, 404 or 5xx).
    Yes,
    /// Exactly this status.
    Is(u16),
}
use Exp::{Is, Yes};

const U: Exp = Is(401);
const F: Exp = Is(403);
const H: Exp = Is(404);

/// The callers, in the order of every row's expectations.
const CALLERS: [&str; 6] = [
    "anonymous",
    "owner",
    "other",
    "coordinator",
    "partner",
    "admin",
];

// Common rows: [anonymous, owner, other participant, coordinator, partner, admin].
const PUBLIC: [Exp; 6] = [Yes; 6];
const SIGNED_IN: [Exp; 6] = [U, Yes, Yes, Yes, Yes, Yes];
const PARTICIPANTS: [Exp; 6] = [U, Yes, Yes, F, F, F];
const STAFF: [Exp; 6] = [U, F, F, Yes, F, Yes];
const VIEWERS: [Exp; 6] = [U, F, F, Yes, Yes, Yes];
const ADMIN: [Exp; 6] = [U, F, F, F, F, Yes];

struct Case {
    method: &'static str,
    /// The route as the route table spells it (with its prefix).
    route: &'static str,
    /// The path to call for each caller.
    paths: [String; 6],
    body: Option<Value>,
    exp: [Exp; 6],
}

fn case(
    method: &'static str,
    route: &'static str,
    path: impl Into<String>,
    body: Option<Value>,
    exp: [Exp; 6],
) -> Case {
    let path = path.into();
    Case {
        method,
        route,
        paths: std::array::from_fn(|_| path.clone()),
        body,
        exp,
    }
}

/// The resources the rows act on, made through the API.
struct Fixture {
    report: i64,
    /// The report's reference, as Open311 names it.
    reference: String,
    unforwarded: i64,
    photo: i64,
    notification: i64,
    category: i64,
    survey: i64,
    draft: i64,
    closing: i64,
    meeting: i64,
    topic: i64,
    action: i64,
    team: i64,
    patrol: i64,
    observation: i64,
    campaign: i64,
    targets: [i64; 2],
    api_key: i64,
    /// Participants who asked to join the team: one for each caller who may
    /// remove a member.
    requesters: [i32; 3],
}

const HOOD: i32 = 3;
/// A 1x1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

async fn call(
    app: &TestApp,
    token: Option<&str>,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> (u16, String, String) {
    let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
    let mut req = app.client.request(method, app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req = match body {
        // A string is a form body (Open311), anything else JSON.
        Some(Value::String(form)) => req
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.clone()),
        Some(b) => req.json(b),
        None => req,
    };
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let ctype = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, ctype, res.text().await.unwrap())
}

async fn id_of(
    app: &TestApp,
    token: &str,
    method: &str,
    path: &str,
    body: Value,
    status: u16,
) -> i64 {
    let (code, _, text) = call(app, Some(token), method, path, Some(&body)).await;
    assert_eq!(code, status, "{method} {path}: {text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    v["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {text}"))
}

fn in_hours(h: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(h)).to_rfc3339()
}

fn report_body(category: i64) -> Value {
    json!({
        "category_id": category,
        "description": "Harde muziek en geschreeuw in het studentenhuis.",
        "occurred_at": in_hours(-1),
        "neighbourhood_id": HOOD,
    })
}

fn survey_body() -> Value {
    json!({
        "title_nl": "Veilig wonen", "title_en": "Living safely",
        "groups": ["student", "resident"],
        "opens_at": in_hours(-1), "closes_at": in_hours(24 * 7),
        "anonymous": false,
        "questions": [{"kind": "single_choice", "text_nl": "Woon je op kamers?",
            "text_en": "Do you rent a room?", "required": true,
            "settings": {"options": [{"nl": "Ja", "en": "Yes"}, {"nl": "Nee", "en": "No"}]}}],
    })
}

async fn fixture(app: &TestApp, s: &[Session; 5]) -> Fixture {
    let requesters: [Session; 3] = std::array::from_fn(|i| {
        app.quick_user(
            &format!("r{i}@example.nl"),
            "participant",
            Some("resident"),
            Some(HOOD),
        )
    });
    let [owner, other, coord, partner, admin] = s;
    let (o, c) = (owner.token.as_str(), coord.token.as_str());
    let category = category_id(app, "noise").await;
    let report = id_of(app, o, "POST", "/api/reports", report_body(category), 201).await;
    let (_, _, text) = call(app, Some(o), "GET", &format!("/api/reports/{report}"), None).await;
    let reference = serde_json::from_str::<Value>(&text).unwrap()["reference"]
        .as_str()
        .unwrap()
        .to_owned();
    let unforwarded = id_of(app, o, "POST", "/api/reports", report_body(category), 201).await;
    for to in ["triaged", "forwarded"] {
        let path = format!("/api/reports/{report}/transitions");
        let (code, _, text) = call(app, Some(c), "POST", &path, Some(&json!({"to": to}))).await;
        assert_eq!(code, 200, "{text}");
    }
    let res = app
        .client
        .post(app.url(&format!("/api/reports/{report}/photos")))
        .bearer_auth(o)
        .header("content-type", "image/png")
        .body(PNG.to_vec())
        .send()
        .await
        .unwrap();
    let photo = ok_json(res, 201).await["id"].as_i64().unwrap();
    let (_, _, text) = call(app, Some(o), "GET", "/api/me/notifications", None).await;
    let v: Value = serde_json::from_str(&text).unwrap();
    let notification = v[0]["id"].as_i64().expect("a notification");

    let survey = id_of(app, c, "POST", "/api/surveys", survey_body(), 201).await;
    let draft = id_of(app, c, "POST", "/api/surveys", survey_body(), 201).await;
    let closing = id_of(app, c, "POST", "/api/surveys", survey_body(), 201).await;
    for s in [survey, closing] {
        let path = format!("/api/surveys/{s}/publish");
        let (code, _, text) = call(app, Some(c), "POST", &path, Some(&json!({}))).await;
        assert_eq!(code, 200, "{text}");
    }

    let meeting = id_of(
        app,
        c,
        "POST",
        "/api/meetings",
        json!({
            "neighbourhood_id": HOOD, "title": "Driehoeksoverleg Selwerd",
            "starts_at": in_hours(24 * 21), "place": "Wijkcentrum",
            "propose_until": in_hours(24 * 14), "capacity": 40,
        }),
        201,
    )
    .await;
    let topic = id_of(
        app,
        o,
        "POST",
        &format!("/api/meetings/{meeting}/topics"),
        json!({"title": "Fietsen in de portiek", "description": "Elke avond staan er fietsen in de portiek."}),
        201,
    )
    .await;
    let v = ok_json(
        app.send_auth(
            Method::POST,
            &format!("/api/topics/{topic}/actions"),
            c,
            &json!({"description": "Extra surveillance", "owner": "police",
                "due_on": (chrono::Utc::now() + chrono::Duration::days(30)).date_naive().to_string()}),
        )
        .await,
        201,
    )
    .await;
    let action = v["actions"][0]["id"].as_i64().expect("an action");

    let team = id_of(
        app,
        o,
        "POST",
        "/api/teams",
        json!({"name": "BPT Selwerd", "area": "Selwerd-Zuid", "contact": "bpt@example.nl"}),
        201,
    )
    .await;
    let path = format!("/api/teams/{team}/decision");
    let (code, _, text) = call(app, Some(c), "POST", &path, Some(&json!({"approve": true}))).await;
    assert_eq!(code, 200, "{text}");
    let patrol = id_of(
        app,
        o,
        "POST",
        &format!("/api/teams/{team}/patrols"),
        json!({"starts_at": in_hours(1), "meeting_point": "Bij de kerk", "min_members": 1, "max_members": 5}),
        201,
    )
    .await;
    let path = format!("/api/patrols/{patrol}/signup");
    let (code, _, text) = call(app, Some(o), "PUT", &path, Some(&json!(null))).await;
    assert!(code < 300, "{text}");
    for r in &requesters {
        let path = format!("/api/teams/{team}/members");
        let (code, _, text) = call(app, Some(&r.token), "POST", &path, None).await;
        assert!(code < 300, "{text}");
    }
    let requesters = requesters.map(|r| r.user_id);
    let observation = id_of(
        app,
        o,
        "POST",
        &format!("/api/patrols/{patrol}/observations"),
        json!({"what": "Open schuurdeur", "place": "Achterpad", "observed_at": in_hours(0)}),
        201,
    )
    .await;

    let campaign = id_of(
        app,
        c,
        "POST",
        "/api/campaigns",
        json!({"name": "Introductieweek", "target_group": "student", "channel": "qr_print",
            "starts_on": chrono::Utc::now().date_naive().to_string(),
            "ends_on": (chrono::Utc::now() + chrono::Duration::days(30)).date_naive().to_string()}),
        201,
    )
    .await;
    let mut targets = [0; 2];
    for t in &mut targets {
        *t = id_of(app, c, "POST", "/api/metrics/targets", target_body(), 201).await;
    }
    let api_key = id_of(
        app,
        &admin.token,
        "POST",
        "/api/admin/api-keys",
        json!({"name": "Signalen"}),
        201,
    )
    .await;
    let _ = (other, partner);
    Fixture {
        report,
        reference,
        unforwarded,
        photo,
        notification,
        category,
        survey,
        draft,
        closing,
        meeting,
        topic,
        action,
        team,
        patrol,
        observation,
        campaign,
        targets,
        api_key,
        requesters,
    }
}

fn target_body() -> Value {
    json!({"metric": "signups", "value": 500.0, "label": "500 studenten",
        "due_on": (chrono::Utc::now() + chrono::Duration::days(90)).date_naive().to_string()})
}

/// One row per route (two where owner and non-owner differ on another
/// resource), in an order where no allowed call undoes what a later row needs.
#[rustfmt::skip]
fn cases(f: &Fixture, s: &[Session; 5]) -> Vec<Case> {
    let other = &s[1];
    let r = f.report;
    let today = chrono::Utc::now().date_naive().to_string();
    let mut v = vec![
        // Accounts: public, with well-formed bodies that fail validation (no
        // account is made, nothing is hashed).
        case("post", "/api/auth/signup", "/api/auth/signup",
            Some(json!({"email": "not-an-email", "password": "x", "display_name": "A",
                "group": "student", "neighbourhood_id": HOOD, "accepted_privacy_version": "x"})),
            PUBLIC),
        // Unknown credentials are a 401 for everyone.
        case("post", "/api/auth/login", "/api/auth/login",
            Some(json!({"email": "nobody@example.nl", "password": "wrong password here"})), [U; 6]),
        // No refresh cookie: a 401 for everyone, whatever the bearer token.
        case("post", "/api/auth/refresh", "/api/auth/refresh", None, [U; 6]),
        case("post", "/api/auth/logout", "/api/auth/logout", None, PUBLIC),
        case("post", "/api/auth/verify-email", "/api/auth/verify-email",
            Some(json!({"token": "not-a-token"})), PUBLIC),
        case("post", "/api/auth/password-reset", "/api/auth/password-reset",
            Some(json!({"email": "nobody@example.nl"})), PUBLIC),
        case("post", "/api/auth/password-reset/confirm", "/api/auth/password-reset/confirm",
            Some(json!({"token": "not-a-token", "new_password": "x"})), PUBLIC),
        case("get", "/api/me", "/api/me", None, SIGNED_IN),
        case("patch", "/api/me", "/api/me", Some(json!({})), SIGNED_IN),
        // A wrong password: refused as a field error, nothing erased.
        case("delete", "/api/me", "/api/me", Some(json!({"password": "not my password"})), SIGNED_IN),
        case("get", "/api/me/export", "/api/me/export", None, SIGNED_IN),
        case("post", "/api/me/consent", "/api/me/consent",
            Some(json!({"privacy_version": shared::PRIVACY_VERSION})), SIGNED_IN),
        case("post", "/api/me/password", "/api/me/password",
            Some(json!({"current_password": "not my password", "new_password": "x"})), SIGNED_IN),
        case("post", "/api/me/verification-email", "/api/me/verification-email", None, SIGNED_IN),
        case("post", "/api/me/student-verification", "/api/me/student-verification",
            Some(json!({"email": "not-an-email"})), PARTICIPANTS),
        case("get", "/api/neighbourhoods", "/api/neighbourhoods", None, PUBLIC),
        case("get", "/api/me/notifications", "/api/me/notifications", None, SIGNED_IN),
        case("post", "/api/me/notifications/read-all", "/api/me/notifications/read-all", None, SIGNED_IN),
        // Somebody else's notification does not exist for them.
        case("post", "/api/me/notifications/{id}/read",
            format!("/api/me/notifications/{}/read", f.notification), None, [U, Yes, H, H, H, H]),
        case("get", "/api/me/topics", "/api/me/topics", None, SIGNED_IN),

        // Administration.
        case("get", "/api/admin/audit", "/api/admin/audit", None, ADMIN),
        case("get", "/api/admin/retention", "/api/admin/retention", None, ADMIN),
        case("put", "/api/admin/retention", "/api/admin/retention",
            Some(json!([{"kind": "no-such-kind", "days": 30}])), ADMIN),
        case("get", "/api/admin/users", "/api/admin/users", None, ADMIN),
        case("patch", "/api/admin/users/{id}", format!("/api/admin/users/{}", other.user_id),
            Some(json!({"active": true})), ADMIN),
        case("get", "/api/admin/api-keys", "/api/admin/api-keys", None, ADMIN),
        case("post", "/api/admin/api-keys", "/api/admin/api-keys", Some(json!({"name": ""})), ADMIN),
        case("delete", "/api/admin/api-keys/{id}",
            format!("/api/admin/api-keys/{}", f.api_key), None, ADMIN),
        case("get", "/api/admin/report-categories", "/api/admin/report-categories", None, ADMIN),
        case("post", "/api/admin/report-categories", "/api/admin/report-categories",
            Some(json!({"code": "", "kind": "nuisance", "name_nl": "", "name_en": "", "triage_days": 0})),
            ADMIN),
        case("patch", "/api/admin/report-categories/{id}",
            format!("/api/admin/report-categories/{}", f.category), Some(json!({})), ADMIN),

        // Reports.
        case("get", "/api/report-categories", "/api/report-categories", None, PUBLIC),
        case("get", "/api/reports", "/api/reports", None, SIGNED_IN),
        case("post", "/api/reports", "/api/reports", Some(report_body(f.category)), PARTICIPANTS),
        // Forwarded: the partner sees it too.
        case("get", "/api/reports/{id}", format!("/api/reports/{r}"), None, [U, Yes, H, Yes, Yes, Yes]),
        // Not forwarded: hidden from the partner.
        case("get", "/api/reports/{id}", format!("/api/reports/{}", f.unforwarded), None,
            [U, Yes, H, Yes, H, Yes]),
        // Moving a report is the municipality's; an invalid move is a 409/422.
        case("post", "/api/reports/{id}/transitions", format!("/api/reports/{r}/transitions"),
            Some(json!({"to": "submitted"})), [U, F, F, Yes, F, Yes]),
        // The reporter's alone: refused to those who see the report, hidden from the rest.
        case("post", "/api/reports/{id}/feedback", format!("/api/reports/{r}/feedback"),
            Some(json!({"satisfied": true})), [U, Yes, H, F, F, F]),
        case("post", "/api/reports/{id}/reopen", format!("/api/reports/{r}/reopen"),
            Some(json!({"reason": "Het is weer begonnen."})), [U, Yes, H, F, F, F]),
        case("post", "/api/reports/{id}/photos", format!("/api/reports/{}/photos", f.unforwarded),
            None, [U, Yes, H, F, H, F]),
        case("get", "/api/reports/{id}/photos/{photo_id}",
            format!("/api/reports/{r}/photos/{}", f.photo), None, [U, Yes, H, Yes, Yes, Yes]),
        case("post", "/api/reports/{id}/partner-notes", format!("/api/reports/{r}/partner-notes"),
            Some(json!({"note": "Wijkagent is langs geweest."})), [U, F, F, Yes, Yes, Yes]),
        case("post", "/api/reports/{id}/partner-notes",
            format!("/api/reports/{}/partner-notes", f.unforwarded),
            Some(json!({"note": "Wijkagent is langs geweest."})), [U, F, F, Yes, H, Yes]),

        // Surveys.
        case("get", "/api/surveys", "/api/surveys", None, SIGNED_IN),
        case("post", "/api/surveys", "/api/surveys", Some(survey_body()), STAFF),
        case("get", "/api/surveys/{id}", format!("/api/surveys/{}", f.survey), None, SIGNED_IN),
        // A draft is the coordinators' only.
        case("get", "/api/surveys/{id}", format!("/api/surveys/{}", f.draft), None,
            [U, H, H, Yes, H, Yes]),
        case("put", "/api/surveys/{id}", format!("/api/surveys/{}", f.draft), Some(survey_body()), STAFF),
        case("post", "/api/surveys/{id}/publish", format!("/api/surveys/{}/publish", f.draft),
            Some(json!({})), STAFF),
        case("post", "/api/surveys/{id}/close", format!("/api/surveys/{}/close", f.closing),
            Some(json!({})), STAFF),
        case("post", "/api/surveys/{id}/copy", format!("/api/surveys/{}/copy", f.survey),
            Some(json!({})), STAFF),
        case("post", "/api/surveys/{id}/responses", format!("/api/surveys/{}/responses", f.survey),
            Some(json!({"answers": []})), PARTICIPANTS),
        case("get", "/api/surveys/{id}/results", format!("/api/surveys/{}/results", f.survey), None,
            VIEWERS),
        case("get", "/api/surveys/{id}/results.csv", format!("/api/surveys/{}/results.csv", f.survey),
            None, STAFF),

        // Meetings and their follow-up.
        case("get", "/api/meetings", "/api/meetings", None, SIGNED_IN),
        case("post", "/api/meetings", "/api/meetings", Some(json!({"neighbourhood_id": HOOD,
            "title": "x", "starts_at": in_hours(1), "place": "", "propose_until": in_hours(2),
            "capacity": 0})), STAFF),
        case("get", "/api/meetings/{id}", format!("/api/meetings/{}", f.meeting), None, SIGNED_IN),
        case("patch", "/api/meetings/{id}", format!("/api/meetings/{}", f.meeting),
            Some(json!({"place": "Wijkcentrum"})), STAFF),
        // Not a move from where it is: a conflict for those allowed.
        case("post", "/api/meetings/{id}/transitions", format!("/api/meetings/{}/transitions", f.meeting),
            Some(json!({"to": "evaluated"})), STAFF),
        case("post", "/api/meetings/{id}/copy", format!("/api/meetings/{}/copy", f.meeting),
            Some(json!({"neighbourhood_id": HOOD, "starts_at": in_hours(-1), "propose_until": in_hours(-2)})),
            STAFF),
        case("put", "/api/meetings/{id}/rsvp", format!("/api/meetings/{}/rsvp", f.meeting),
            Some(json!({"going": true})), PARTICIPANTS),
        case("get", "/api/meetings/{id}/ics", format!("/api/meetings/{}/ics", f.meeting), None, SIGNED_IN),
        case("get", "/api/meetings/{id}/topics", format!("/api/meetings/{}/topics", f.meeting), None,
            SIGNED_IN),
        case("post", "/api/meetings/{id}/topics", format!("/api/meetings/{}/topics", f.meeting),
            Some(json!({"title": "x", "description": ""})), PARTICIPANTS),
        case("get", "/api/meetings/{id}/suggestions", format!("/api/meetings/{}/suggestions", f.meeting),
            None, STAFF),
        case("post", "/api/meetings/{id}/topics/from-reports",
            format!("/api/meetings/{}/topics/from-reports", f.meeting),
            Some(json!({"category_id": f.category})), STAFF),
        case("get", "/api/topics/{id}", format!("/api/topics/{}", f.topic), None, SIGNED_IN),
        // Only the proposer edits their topic.
        case("patch", "/api/topics/{id}", format!("/api/topics/{}", f.topic),
            Some(json!({"title": "x", "description": ""})), [U, Yes, F, F, F, F]),
        case("post", "/api/topics/{id}/support", format!("/api/topics/{}/support", f.topic), None,
            PARTICIPANTS),
        case("delete", "/api/topics/{id}/support", format!("/api/topics/{}/support", f.topic), None,
            PARTICIPANTS),
        case("post", "/api/topics/{id}/transitions", format!("/api/topics/{}/transitions", f.topic),
            Some(json!({"to": "proposed"})), STAFF),
        case("post", "/api/topics/{id}/actions", format!("/api/topics/{}/actions", f.topic),
            Some(json!({"description": "x", "owner": "police", "due_on": today})), STAFF),
        case("get", "/api/actions", "/api/actions", None, VIEWERS),
        case("post", "/api/actions/{id}/updates", format!("/api/actions/{}/updates", f.action),
            Some(json!({"note": ""})), VIEWERS),

        // Dashboards and the council monitor.
        case("get", "/api/metrics/participation", "/api/metrics/participation", None, VIEWERS),
        case("get", "/api/metrics/reports", "/api/metrics/reports", None, VIEWERS),
        case("get", "/api/metrics/surveys", "/api/metrics/surveys", None, VIEWERS),
        case("get", "/api/metrics/meetings", "/api/metrics/meetings", None, VIEWERS),
        case("get", "/api/metrics/targets", "/api/metrics/targets", None, VIEWERS),
        case("post", "/api/metrics/targets", "/api/metrics/targets",
            Some(json!({"metric": "signups", "value": 1.0, "label": "", "due_on": today})), STAFF),
        case("get", "/api/monitor", "/api/monitor?period=2026", None, VIEWERS),
        case("post", "/api/monitor/links", "/api/monitor/links", Some(json!({"period": "2026"})), VIEWERS),

        // Prevention teams: the owner proposed the team and leads it.
        case("get", "/api/teams", "/api/teams", None, SIGNED_IN),
        case("post", "/api/teams", "/api/teams",
            Some(json!({"name": "x", "area": "", "contact": ""})), PARTICIPANTS),
        case("get", "/api/teams/overview", "/api/teams/overview", None, STAFF),
        case("get", "/api/teams/{id}", format!("/api/teams/{}", f.team), None, SIGNED_IN),
        case("post", "/api/teams/{id}/decision", format!("/api/teams/{}/decision", f.team),
            Some(json!({"approve": false, "reason": "Er is al een team."})), STAFF),
        // The other participant asks to join (the owner is a member already).
        case("post", "/api/teams/{id}/members", format!("/api/teams/{}/members", f.team), None,
            PARTICIPANTS),
        // Leads and coordinators manage members; a partner or non-member may not.
        case("patch", "/api/teams/{id}/members/{user_id}",
            format!("/api/teams/{}/members/{}", f.team, other.user_id),
            Some(json!({"lead": false})), [U, Yes, F, Yes, F, Yes]),
        // Patrols are the members' (the other participant only asked to join).
        case("get", "/api/teams/{id}/patrols", format!("/api/teams/{}/patrols", f.team), None,
            [U, Yes, F, Yes, F, Yes]),
        case("post", "/api/teams/{id}/patrols", format!("/api/teams/{}/patrols", f.team),
            Some(json!({"starts_at": in_hours(-1), "meeting_point": "", "min_members": 0, "max_members": 0})),
            [U, Yes, F, Yes, F, Yes]),
        case("get", "/api/patrols/{id}/observations", format!("/api/patrols/{}/observations", f.patrol),
            None, [U, Yes, F, Yes, F, Yes]),
        case("post", "/api/patrols/{id}/observations", format!("/api/patrols/{}/observations", f.patrol),
            Some(json!({"what": "x", "place": "", "observed_at": in_hours(0)})), [U, Yes, F, F, F, F]),
        case("post", "/api/observations/{id}/report", format!("/api/observations/{}/report", f.observation),
            Some(json!({"category_id": f.category})), [U, Yes, F, F, F, F]),
        case("put", "/api/patrols/{id}/signup", format!("/api/patrols/{}/signup", f.patrol), None,
            [U, Yes, F, F, F, F]),
        case("delete", "/api/patrols/{id}/signup", format!("/api/patrols/{}/signup", f.patrol), None,
            [U, Yes, F, F, F, F]),

        // Outreach campaigns.
        case("get", "/api/campaigns", "/api/campaigns", None, STAFF),
        case("post", "/api/campaigns", "/api/campaigns",
            Some(json!({"name": "", "target_group": "student", "channel": "qr_print",
                "starts_on": today, "ends_on": today})), STAFF),
        case("get", "/api/campaigns/results", "/api/campaigns/results", None, VIEWERS),
        case("get", "/api/campaigns/{id}", format!("/api/campaigns/{}", f.campaign), None, STAFF),
        case("get", "/api/campaigns/{id}/qr.svg", format!("/api/campaigns/{}/qr.svg", f.campaign), None, STAFF),
        case("get", "/api/campaigns/{id}/qr.png", format!("/api/campaigns/{}/qr.png", f.campaign), None, STAFF),

        case("get", "/api/openapi.json", "/api/openapi.json", None, PUBLIC),

        // Outside /api.
        case("get", "/healthz", "/healthz", None, PUBLIC),
        case("get", "/readyz", "/readyz", None, PUBLIC),
        case("get", "/c/{code}", "/c/abcdefgh", None, PUBLIC),

        // Open311: reads are public and carry no personal data; filing needs
        // an API key, which no bearer token replaces.
        case("get", "/open311/v2/discovery.json", "/open311/v2/discovery.json", None, PUBLIC),
        case("get", "/open311/v2/services.json", "/open311/v2/services.json", None, PUBLIC),
        case("get", "/open311/v2/services/{file}", "/open311/v2/services/noise.json", None, PUBLIC),
        case("get", "/open311/v2/requests.json", "/open311/v2/requests.json", None, PUBLIC),
        // Form-encoded, as the specification has it; no api_key.
        case("post", "/open311/v2/requests.json", "/open311/v2/requests.json",
            Some(json!("service_code=noise&description=Harde+muziek&lat=53.22&long=6.55")), [F; 6]),
        case("get", "/open311/v2/requests/{file}", format!("/open311/v2/requests/{}.json", f.reference),
            None, PUBLIC),
    ];
    // Leads and coordinators remove members; each allowed caller removes a
    // requester of their own, the refused ones try the first.
    let mut remove = case("delete", "/api/teams/{id}/members/{user_id}", "", None,
        [U, Yes, F, Yes, F, Yes]);
    remove.paths = std::array::from_fn(|i| {
        let who = match i { 3 => f.requesters[1], 5 => f.requesters[2], _ => f.requesters[0] };
        format!("/api/teams/{}/members/{who}", f.team)
    });
    v.push(remove);
    // Each allowed caller deletes a target of their own, so that the second
    // one does not find it gone.
    let mut delete_target = case("delete", "/api/metrics/targets/{id}", "", None, STAFF);
    delete_target.paths = std::array::from_fn(|i| {
        let t = if i == 5 { f.targets[1] } else { f.targets[0] };
        format!("/api/metrics/targets/{t}")
    });
    v.push(delete_target);
    v
}

#[tokio::test]
async fn every_route_answers_every_caller_as_the_matrix_says() {
    let app = spawn_app().await;
    let sessions = [
        app.quick_user(
            "owner@example.nl",
            "participant",
            Some("resident"),
            Some(HOOD),
        ),
        app.quick_user(
            "other@example.nl",
            "participant",
            Some("student"),
            Some(HOOD),
        ),
        app.quick_user("coord@gemeente.test", "coordinator", None, None),
        app.quick_user("agent@politie.test", "partner", None, None),
        app.quick_user("beheer@gemeente.test", "admin", None, None),
    ];
    let f = fixture(&app, &sessions).await;
    let cases = cases(&f, &sessions);

    // The matrix covers the route tables exactly.
    let tables: BTreeSet<(String, String)> = backend::api::ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), format!("/api{p}")))
        .chain(
            backend::api::open311::ROUTES
                .iter()
                .map(|(m, p)| (m.to_string(), format!("/open311/v2{p}"))),
        )
        .chain(
            backend::api::SITE_ROUTES
                .iter()
                .map(|(m, p)| (m.to_string(), p.to_string())),
        )
        .collect();
    let covered: BTreeSet<(String, String)> = cases
        .iter()
        .map(|c| (c.method.to_owned(), c.route.to_owned()))
        .collect();
    let missing: Vec<_> = tables.difference(&covered).collect();
    let unknown: Vec<_> = covered.difference(&tables).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the matrix: {missing:?}"
    );
    assert!(
        unknown.is_empty(),
        "rows for routes that do not exist: {unknown:?}"
    );

    let tokens: [Option<&str>; 6] = [
        None,
        Some(&sessions[0].token),
        Some(&sessions[1].token),
        Some(&sessions[2].token),
        Some(&sessions[3].token),
        Some(&sessions[4].token),
    ];
    let mut failures = Vec::new();
    let mut calls = 0;
    for c in &cases {
        // Refused callers first, then the allowed ones.
        let mut order: Vec<usize> = (0..6).collect();
        order.sort_by_key(|&i| c.exp[i] == Yes);
        for i in order {
            let (status, ctype, text) =
                call(&app, tokens[i], c.method, &c.paths[i], c.body.as_ref()).await;
            calls += 1;
            let ok = match c.exp[i] {
                Yes => !matches!(status, 401 | 403 | 404) && status < 500,
                Is(code) => {
                    status == code
                        && (c.route.starts_with("/open311")
                            || status < 400
                            || ctype == "application/problem+json")
                }
            };
            if !ok {
                let text: String = text.chars().take(160).collect();
                failures.push(format!(
                    "{} {} as {}: expected {:?}, got {status} {ctype} {text}",
                    c.method.to_uppercase(),
                    c.paths[i],
                    CALLERS[i],
                    c.exp[i]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {calls} calls broke the matrix:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
