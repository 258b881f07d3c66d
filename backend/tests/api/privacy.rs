//! Export, erasure, consent, retention and the audit log.

use backend::db::DbConnection;
use backend::privacy::{purge, PurgeOutcome};
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Every (table, column) of the schema, except diesel's own.
fn columns(conn: &mut DbConnection) -> Vec<(String, String)> {
    let tables: Vec<Name> = match conn {
        DbConnection::Sqlite(_) => diesel::sql_query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE '__diesel%' AND name NOT LIKE 'reports_fts%'",
        ),
        DbConnection::Pg(_) => diesel::sql_query(
            "SELECT table_name::text AS name FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_name NOT LIKE '__diesel%'",
        ),
    }
    .load(conn)
    .unwrap();
    let mut out = Vec::new();
    for t in tables {
        let cols: Vec<Name> = match conn {
            DbConnection::Sqlite(_) => {
                diesel::sql_query(format!("SELECT name FROM pragma_table_info('{}')", t.name))
            }
            DbConnection::Pg(_) => diesel::sql_query(format!(
                "SELECT column_name::text AS name FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name = '{}'",
                t.name
            )),
        }
        .load(conn)
        .unwrap();
        out.extend(cols.into_iter().map(|c| (t.name.clone(), c.name)));
    }
    out
}

/// Rows anywhere in the database whose text contains `needle`.
fn occurrences(conn: &mut DbConnection, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (table, column) in columns(conn) {
        let n: N = diesel::sql_query(format!(
            "SELECT COUNT(*) AS n FROM {table} WHERE CAST({column} AS TEXT) LIKE '%{needle}%'"
        ))
        .get_result(conn)
        .unwrap();
        if n.n > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    found
}

fn count(conn: &mut DbConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<N>(conn).unwrap().n
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

/// A participant who files a report, answers a named survey, proposes and
/// supports a topic and RSVPs, through the API.
async fn active_participant(
    app: &TestApp,
    email: &str,
    name: &str,
    survey: i64,
    q: i64,
    meeting: i64,
) -> Session {
    let mut body = signup_body(email);
    body["display_name"] = json!(name);
    let s = app.signup_with(body).await;
    let cats: Vec<Value> = app
        .client
        .get(app.url("/api/report-categories"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let res = send(
        app,
        &s,
        Method::POST,
        "/api/reports",
        &json!({
            "category_id": cats[0]["id"],
            "description": format!("Geluidsoverlast gemeld door {name}"),
            "occurred_at": (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339(),
            "neighbourhood_id": 1,
            "anonymous_to_partners": false,
            "contact_ok": true,
        }),
    )
    .await;
    assert_eq!(res.status(), 201);
    let res = send(
        app,
        &s,
        Method::POST,
        &format!("/api/surveys/{survey}/responses"),
        &json!({"answers": [{"question_id": q, "text": format!("Antwoord van {name}")}]}),
    )
    .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let topic: Value = send(app, &s, Method::POST, &format!("/api/meetings/{meeting}/topics"),
        &json!({"title": format!("Onderwerp van {name}"), "description": "Een onderwerp met genoeg tekst."}))
        .await.json().await.unwrap();
    let res = send(
        app,
        &s,
        Method::PUT,
        &format!("/api/meetings/{meeting}/rsvp"),
        &json!({"going": true}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let _ = topic;
    s
}

async fn setting(app: &TestApp) -> (Session, i64, i64, i64) {
    let coord = app.quick_user("coord@gemeente.test", "coordinator", None, None);
    let now = chrono::Utc::now();
    let survey: Value = send(app, &coord, Method::POST, "/api/surveys", &json!({
        "title_nl": "Mening over de wijk", "title_en": "Views on the area", "groups": ["student", "resident"],
        "opens_at": (now - chrono::Duration::hours(1)).to_rfc3339(),
        "closes_at": (now + chrono::Duration::days(7)).to_rfc3339(),
        "questions": [{"kind": "free_text", "text_nl": "Wat valt je op?", "text_en": "What do you notice?",
                       "required": true, "settings": {"max_length": 200}}],
    })).await.json().await.unwrap();
    let sid = survey["id"].as_i64().unwrap();
    let q = survey["questions"][0]["id"].as_i64().unwrap();
    send(
        app,
        &coord,
        Method::POST,
        &format!("/api/surveys/{sid}/publish"),
        &json!({}),
    )
    .await;
    let meeting: Value = send(
        app,
        &coord,
        Method::POST,
        "/api/meetings",
        &json!({
            "neighbourhood_id": 1, "title": "Buurtoverleg", "place": "Wijkcentrum", "capacity": 50,
            "starts_at": (now + chrono::Duration::days(20)).to_rfc3339(),
            "propose_until": (now + chrono::Duration::days(10)).to_rfc3339(),
        }),
    )
    .await
    .json()
    .await
    .unwrap();
    (coord, sid, q, meeting["id"].as_i64().unwrap())
}

#[tokio::test]
async fn the_export_holds_my_data_and_nothing_of_others() {
    let app = spawn_app().await;
    let (_coord, survey, q, meeting) = setting(&app).await;
    let anna = active_participant(
        &app,
        "anna@example.nl",
        "Anna Exportvrouw",
        survey,
        q,
        meeting,
    )
    .await;
    let bert =
        active_participant(&app, "bert@example.nl", "Bert Anderman", survey, q, meeting).await;
    let topics: Vec<Value> = app
        .get_auth(&format!("/api/meetings/{meeting}/topics"), &anna.token)
        .await
        .json()
        .await
        .unwrap();
    let bert_topic = topics.iter().find(|t| t["mine"] == false).unwrap()["id"]
        .as_i64()
        .unwrap();
    send(
        &app,
        &anna,
        Method::POST,
        &format!("/api/topics/{bert_topic}/support"),
        &json!({}),
    )
    .await;

    // A photo on Anna's report: its metadata is in the export.
    let mine: Value = app
        .get_auth("/api/reports?mine=true", &anna.token)
        .await
        .json()
        .await
        .unwrap();
    let report_id = mine["items"][0]["id"].as_i64().unwrap();
    let mut png = Vec::new();
    image::DynamicImage::new_rgb8(40, 30)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let res = app
        .client
        .post(app.url(&format!("/api/reports/{report_id}/photos")))
        .bearer_auth(&anna.token)
        .header("content-type", "image/png")
        .body(png)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());

    let res = app.get_auth("/api/me/export", &anna.token).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let export: Value = res.json().await.unwrap();
    assert_eq!(export["account"]["email"], "anna@example.nl");
    assert_eq!(export["consents"].as_array().unwrap().len(), 1);
    assert_eq!(export["reports"].as_array().unwrap().len(), 1);
    let photos = export["photos"].as_array().unwrap();
    assert_eq!(photos.len(), 1);
    assert_eq!(photos[0]["report_id"], report_id);
    assert_eq!(
        (photos[0]["width"].clone(), photos[0]["height"].clone()),
        (json!(40), json!(30))
    );
    assert!(photos[0]["byte_size"].as_i64().unwrap() > 0);
    assert_eq!(
        export["reports"][0]["description"],
        "Geluidsoverlast gemeld door Anna Exportvrouw"
    );
    assert!(!export["reports"][0]["timeline"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(
        export["survey_responses"][0]["answers"][0]["answer"],
        "Antwoord van Anna Exportvrouw"
    );
    assert_eq!(
        export["topics"][0]["title"],
        "Onderwerp van Anna Exportvrouw"
    );
    assert_eq!(
        export["supports"][0]["topic_title"],
        "Onderwerp van Bert Anderman"
    );
    assert_eq!(export["rsvps"][0]["going"], true);
    let text = export.to_string();
    assert!(!text.contains("bert@example.nl"));
    assert!(!text.contains("Antwoord van Bert"));
    assert!(!text.contains("gemeld door Bert"));
    let _ = bert;
}

#[tokio::test]
async fn erasure_leaves_no_trace_while_the_numbers_stay() {
    let app = spawn_app().await;
    let (coord, survey, q, meeting) = setting(&app).await;
    let anna =
        active_participant(&app, "anna@example.nl", "Anna Wisvrouw", survey, q, meeting).await;
    let _bert =
        active_participant(&app, "bert@example.nl", "Bert Blijver", survey, q, meeting).await;
    // The coordinator sees Anna's identity on her report: an audit entry about it.
    let reports: Value = app
        .get_auth("/api/reports", &coord.token)
        .await
        .json()
        .await
        .unwrap();
    let anna_report = reports["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["description"].as_str().unwrap().contains("Anna"))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    app.get_auth(&format!("/api/reports/{anna_report}"), &coord.token)
        .await;
    app.get_auth("/api/me/export", &anna.token).await;
    let mut conn = app.conn();
    let numbers = |conn: &mut DbConnection| {
        (
            count(conn, "SELECT COUNT(*) AS n FROM reports"),
            count(conn, "SELECT COUNT(*) AS n FROM survey_responses"),
            count(conn, "SELECT COUNT(*) AS n FROM survey_answers"),
            count(conn, "SELECT COUNT(*) AS n FROM topics"),
            count(
                conn,
                "SELECT COALESCE(SUM(support_count), 0) AS n FROM topics",
            ),
        )
    };
    let before = numbers(&mut conn);
    assert!(!occurrences(&mut conn, "anna@example.nl").is_empty());
    let metrics = || async {
        let mut out = Vec::new();
        for area in ["participation", "reports", "surveys", "meetings"] {
            let mut v: Value = app
                .get_auth(&format!("/api/metrics/{area}"), &coord.token)
                .await
                .json()
                .await
                .unwrap();
            // A survey's audience is today's population, which the erasure
            // does shrink; every count of what people did stays.
            for s in v["surveys"].as_array_mut().into_iter().flatten() {
                s["audience"] = Value::Null;
                s["rate_pct"] = Value::Null;
            }
            if area == "surveys" {
                v["indicators"] = Value::Null;
            }
            out.push(v);
        }
        out
    };
    let metrics_before = metrics().await;
    assert_eq!(
        metrics_before[0]["indicators"][0]["value"], 2.0,
        "two sign-ups"
    );

    assert_problem(
        send(
            &app,
            &anna,
            Method::DELETE,
            "/api/me",
            &json!({"password": "wrong password here"}),
        )
        .await,
        422,
        Some("password"),
    )
    .await;
    let res = send(
        &app,
        &anna,
        Method::DELETE,
        "/api/me",
        &json!({"password": PASSWORD}),
    )
    .await;
    assert_eq!(res.status(), 204);

    assert_eq!(
        occurrences(&mut conn, "anna@example.nl"),
        Vec::<String>::new()
    );
    assert_eq!(
        occurrences(&mut conn, "Anna Wisvrouw"),
        Vec::<String>::new()
    );
    let id = anna.user_id;
    for (table, column) in [
        ("users", "id"),
        ("reports", "reporter_id"),
        ("reporter_report_counts", "reporter_id"),
        ("report_events", "actor_id"),
        ("survey_responses", "respondent_id"),
        ("topics", "proposer_id"),
        ("topic_supports", "user_id"),
        ("topic_events", "actor_id"),
        ("meeting_rsvps", "user_id"),
        ("notifications", "user_id"),
        ("refresh_tokens", "user_id"),
        ("email_tokens", "user_id"),
        ("consents", "user_id"),
        ("user_activity", "user_id"),
        ("audit_log", "actor_id"),
        ("audit_log", "subject_id"),
    ] {
        let n = count(
            &mut conn,
            &format!("SELECT COUNT(*) AS n FROM {table} WHERE {column} = {id}"),
        );
        assert_eq!(n, 0, "{table}.{column} still points at the erased account");
    }
    assert_eq!(numbers(&mut conn), before, "the statistics survive");
    assert_kept_report_totals_exact(&mut conn);
    assert_eq!(
        metrics().await,
        metrics_before,
        "every metric is the same after the erasure"
    );
    assert_eq!(app.login("anna@example.nl", PASSWORD).await.status(), 401);
    assert_eq!(app.get_auth("/api/me", &anna.token).await.status(), 401);

    let admin = app.admin().await;
    let log: Value = app
        .get_auth("/api/admin/audit?action=account_erased", &admin.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log["total"], 1);
    assert_eq!(log["items"][0]["actor_id"], Value::Null);
    let viewed: Value = app
        .get_auth(
            "/api/admin/audit?action=reporter_identity_viewed",
            &admin.token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(viewed["total"].as_i64().unwrap() >= 1);
    assert_eq!(viewed["items"][0]["actor_id"], coord.user_id);
    let exported: Value = app
        .get_auth("/api/admin/audit?action=data_exported", &admin.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(exported["total"], 1);
}

#[tokio::test]
async fn role_changes_are_audited_and_only_admins_read_the_log() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let someone = app.signup("iemand@example.nl").await;
    let res = send(
        &app,
        &admin,
        Method::PATCH,
        &format!("/api/admin/users/{}", someone.user_id),
        &json!({"role": "partner"}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let log: Value = app
        .get_auth("/api/admin/audit?action=role_changed", &admin.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log["total"], 1);
    assert_eq!(log["items"][0]["subject_id"], someone.user_id);
    assert_eq!(log["items"][0]["detail"], "participant -> partner");
    assert_eq!(log["items"][0]["actor_id"], admin.user_id);
    let coord = app.quick_user("c@gemeente.test", "coordinator", None, None);
    assert_eq!(
        app.get_auth("/api/admin/audit", &coord.token)
            .await
            .status(),
        403
    );
    assert_problem(
        app.get_auth("/api/admin/audit?per_page=1000", &admin.token)
            .await,
        422,
        Some("per_page"),
    )
    .await;
}

#[tokio::test]
async fn consent_is_asked_again_for_a_new_privacy_statement() {
    let app = spawn_app().await;
    let s = app.signup("c@example.nl").await;
    {
        use backend::db::schema::users;
        diesel::update(users::table.find(s.user_id))
            .set(users::privacy_version.eq("2020-01"))
            .execute(&mut app.conn())
            .unwrap();
    }
    let me: Value = app
        .get_auth("/api/me", &s.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["privacy_version"], "2020-01");
    assert_problem(
        send(
            &app,
            &s,
            Method::POST,
            "/api/me/consent",
            &json!({"privacy_version": "2020-01"}),
        )
        .await,
        422,
        Some("privacy_version"),
    )
    .await;
    let res = send(
        &app,
        &s,
        Method::POST,
        "/api/me/consent",
        &json!({"privacy_version": shared::PRIVACY_VERSION}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let me: Value = res.json().await.unwrap();
    assert_eq!(me["privacy_version"], shared::PRIVACY_VERSION);
    let export: Value = app
        .get_auth("/api/me/export", &s.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        export["consents"].as_array().unwrap().len(),
        2,
        "sign-up and the new version"
    );
}

#[tokio::test]
async fn admins_set_retention_periods_and_bad_values_change_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let list: Vec<Value> = app
        .get_auth("/api/admin/retention", &admin.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 7);
    let res = send(
        &app,
        &admin,
        Method::PUT,
        "/api/admin/retention",
        &json!([{"kind": "outbox", "days": 14}, {"kind": "nonsense", "days": 5}]),
    )
    .await;
    assert_problem(res, 422, Some("[1].kind")).await;
    let res = send(
        &app,
        &admin,
        Method::PUT,
        "/api/admin/retention",
        &json!([{"kind": "outbox", "days": 0}]),
    )
    .await;
    assert_problem(res, 422, Some("[0].days")).await;
    let list: Vec<Value> = app
        .get_auth("/api/admin/retention", &admin.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        list.iter().find(|s| s["kind"] == "outbox").unwrap()["days"],
        30
    );
    let res = send(
        &app,
        &admin,
        Method::PUT,
        "/api/admin/retention",
        &json!([{"kind": "outbox", "days": 14}]),
    )
    .await;
    let list: Vec<Value> = res.json().await.unwrap();
    assert_eq!(
        list.iter().find(|s| s["kind"] == "outbox").unwrap()["days"],
        14
    );
    let user = app.quick_user("p@example.nl", "participant", Some("student"), Some(1));
    assert_eq!(
        app.get_auth("/api/admin/retention", &user.token)
            .await
            .status(),
        403
    );
}

fn days_ago(now: chrono::NaiveDateTime, d: i64) -> chrono::NaiveDateTime {
    now - chrono::Duration::days(d)
}

#[tokio::test]
async fn the_purge_removes_exactly_what_is_due() {
    use backend::db::schema::{audit_log, outbox, reports, user_activity};
    let app = spawn_app().await;
    let (coord, survey, q, meeting) = setting(&app).await;
    let _ = coord;
    let mut ids = Vec::new();
    for name in ["Een", "Twee", "Drie", "Vier"] {
        let s = active_participant(
            &app,
            &format!("{}@example.nl", name.to_lowercase()),
            name,
            survey,
            q,
            meeting,
        )
        .await;
        ids.push(s.user_id);
    }
    let mut conn = app.conn();
    let report_of = |conn: &mut DbConnection, user: i32| -> i32 {
        reports::table
            .filter(reports::reporter_id.eq(user))
            .select(reports::id)
            .first(conn)
            .unwrap()
    };
    let now = backend::db::models::now();
    let (r_old_resolved, r_new_resolved, r_old_closed, r_new_closed) = (
        report_of(&mut conn, ids[0]),
        report_of(&mut conn, ids[1]),
        report_of(&mut conn, ids[2]),
        report_of(&mut conn, ids[3]),
    );
    for (id, status, resolved, updated) in [
        (
            r_old_resolved,
            "resolved",
            Some(days_ago(now, 400)),
            days_ago(now, 400),
        ),
        (
            r_new_resolved,
            "resolved",
            Some(days_ago(now, 100)),
            days_ago(now, 100),
        ),
        (r_old_closed, "closed", None, days_ago(now, 200)),
        (r_new_closed, "rejected", None, days_ago(now, 100)),
    ] {
        diesel::update(reports::table.find(id))
            .set((
                reports::status.eq(status),
                reports::resolved_at.eq(resolved),
                reports::updated_at.eq(updated),
                reports::feedback.eq(Some("Prima geholpen")),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    // Old mail and audit entries, an inactive account.
    diesel::update(outbox::table.filter(outbox::recipient.eq("een@example.nl")))
        .set(outbox::created_at.eq(days_ago(now, 40)))
        .execute(&mut conn)
        .unwrap();
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_role.eq("system"),
            audit_log::action.eq("old"),
            audit_log::created_at.eq(days_ago(now, 2000)),
        ))
        .execute(&mut conn)
        .unwrap();
    diesel::update(user_activity::table.find(ids[3]))
        .set(user_activity::last_seen_at.eq(days_ago(now, 800)))
        .execute(&mut conn)
        .unwrap();
    let mail_before = count(&mut conn, "SELECT COUNT(*) AS n FROM outbox");

    let store = backend::storage::DirStore::new(app.data_dir.path().join("photos")).unwrap();
    let run = |conn: &mut DbConnection, at, dry| match purge(conn, &store, at, dry, &mut |_, _| {})
        .unwrap()
    {
        PurgeOutcome::Done { counts, warn } => (counts, warn),
        PurgeOutcome::Busy => panic!("nobody else purges"),
    };
    // A dry run says what is due and changes nothing.
    let (dry, warn) = run(&mut conn, now, true);
    assert_eq!(
        (
            dry.resolved_reports_unlinked,
            dry.closed_reports_unlinked,
            dry.accounts_warned,
            dry.accounts_erased
        ),
        (1, 1, 1, 0)
    );
    assert_eq!(dry.outbox_mails_deleted, 1);
    assert_eq!(dry.audit_entries_deleted, 1);
    assert!(warn.is_empty());
    assert_eq!(
        count(
            &mut conn,
            "SELECT COUNT(*) AS n FROM reports WHERE reporter_id IS NULL"
        ),
        0
    );

    let (done, warn) = run(&mut conn, now, false);
    assert_eq!(done, dry);
    assert_eq!(
        warn,
        vec![("vier@example.nl".to_string(), "nl".to_string())]
    );
    let linked = |conn: &mut DbConnection, id: i32| -> (Option<i32>, bool, Option<String>) {
        reports::table
            .find(id)
            .select((reports::reporter_id, reports::contact_ok, reports::feedback))
            .first(conn)
            .unwrap()
    };
    assert_eq!(linked(&mut conn, r_old_resolved), (None, false, None));
    assert_eq!(linked(&mut conn, r_old_closed), (None, false, None));
    assert_eq!(linked(&mut conn, r_new_resolved).0, Some(ids[1]));
    assert_eq!(linked(&mut conn, r_new_closed).0, Some(ids[3]));
    assert_kept_report_totals_exact(&mut conn);
    assert_eq!(
        count(&mut conn, "SELECT COUNT(*) AS n FROM outbox"),
        mail_before - 1
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'old'"
        ),
        0
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'purge'"
        ),
        1
    );

    // Idempotent: a second run finds nothing.
    let (again, _) = run(&mut conn, now, false);
    assert_eq!(again, backend::privacy::PurgeCounts::default());
    // After the grace period the warned account is erased; its report stays.
    let (later, _) = run(&mut conn, now + chrono::Duration::days(31), false);
    assert_eq!(later.accounts_erased, 1);
    assert_eq!(
        count(
            &mut conn,
            &format!("SELECT COUNT(*) AS n FROM users WHERE id = {}", ids[3])
        ),
        0
    );
    assert_eq!(linked(&mut conn, r_new_closed).0, None);
    assert_eq!(count(&mut conn, "SELECT COUNT(*) AS n FROM reports"), 4);
    assert_kept_report_totals_exact(&mut conn);
}

#[tokio::test]
async fn two_purges_at_once_do_not_conflict() {
    let app = spawn_app().await;
    let (_c, survey, q, meeting) = setting(&app).await;
    for name in ["Een", "Twee"] {
        active_participant(
            &app,
            &format!("{}@example.nl", name.to_lowercase()),
            name,
            survey,
            q,
            meeting,
        )
        .await;
    }
    {
        use backend::db::schema::reports;
        let now = backend::db::models::now();
        diesel::update(reports::table)
            .set((
                reports::status.eq("resolved"),
                reports::resolved_at.eq(days_ago(now, 500)),
            ))
            .execute(&mut app.conn())
            .unwrap();
    }
    let url = app.database_url.clone();
    let kind = app.kind;
    let dir = app.data_dir.path().join("photos");
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let (url, dir) = (url.clone(), dir.clone());
            std::thread::spawn(move || {
                let mut conn = backend::db::establish(&url, kind).unwrap();
                let store = backend::storage::DirStore::new(dir).unwrap();
                match purge(
                    &mut conn,
                    &store,
                    backend::db::models::now(),
                    false,
                    &mut |_, _| {},
                )
                .unwrap()
                {
                    PurgeOutcome::Done { counts, .. } => counts.resolved_reports_unlinked,
                    PurgeOutcome::Busy => 0,
                }
            })
        })
        .collect();
    let total: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(total, 2, "each report unlinked exactly once");
    assert_eq!(
        count(
            &mut app.conn(),
            "SELECT COUNT(*) AS n FROM reports WHERE reporter_id IS NULL"
        ),
        2
    );
}
