//! Outreach campaigns: creation and bad input, short links and QR codes,
//! first-touch attribution at sign-up, and results (sign-ups, verified
//! students, activated within 30 days, cost per activated participant)
//! checked against hand-computed values, for coordinators and partners.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

fn campaign(name: &str, channel: &str, group: &str, days: (i64, i64), cost: Option<i64>) -> Value {
    let today = chrono::Utc::now().date_naive();
    json!({
        "name": name,
        "target_group": group,
        "channel": channel,
        "starts_on": (today + chrono::Duration::days(days.0)).to_string(),
        "ends_on": (today + chrono::Duration::days(days.1)).to_string(),
        "cost_cents": cost,
    })
}

async fn create(app: &TestApp, coord: &Session, body: Value) -> Value {
    ok_json(
        app.send_auth(Method::POST, "/api/campaigns", &coord.token, &body)
            .await,
        201,
    )
    .await
}

async fn sign_up(app: &TestApp, email: &str, group: &str, code: Option<&str>) -> Session {
    let mut body = signup_body(email);
    body["group"] = json!(group);
    if let Some(code) = code {
        body["campaign"] = json!(code);
    }
    app.signup_with(body).await
}

fn row<'a>(rows: &'a Value, key: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("no row {key} in {rows}"))
}

fn figures(r: &Value) -> [Value; 5] {
    [
        r["signups"].clone(),
        r["verified_students"].clone(),
        r["activated"].clone(),
        r["cost_cents"].clone(),
        r["cost_per_activated_cents"].clone(),
    ]
}

#[tokio::test]
async fn campaigns_attribute_sign_ups_and_count_who_took_part() {
    let app = spawn_app().await;
    let coord = app.quick_user("coord@gemeente.test", "coordinator", None, None);
    let partner = app.quick_user("agent@politie.test", "partner", None, None);
    let resident = sign_up(&app, "r@example.nl", "resident", None).await;

    // Bad input and wrong roles store nothing.
    let mut bad = campaign("Flyers", "qr_print", "student", (0, -1), Some(-5));
    assert_problem(
        app.send_auth(Method::POST, "/api/campaigns", &coord.token, &bad)
            .await,
        422,
        Some("ends_on"),
    )
    .await;
    bad = campaign("Flyers", "qr_print", "student", (0, 10), None);
    bad["neighbourhood_id"] = json!(999);
    assert_problem(
        app.send_auth(Method::POST, "/api/campaigns", &coord.token, &bad)
            .await,
        422,
        Some("neighbourhood_id"),
    )
    .await;
    bad["channel"] = json!("carrier_pigeon");
    assert_problem(
        app.send_auth(Method::POST, "/api/campaigns", &coord.token, &bad)
            .await,
        400,
        None,
    )
    .await;
    for s in [&resident, &partner] {
        let res = app
            .send_auth(
                Method::POST,
                "/api/campaigns",
                &s.token,
                &campaign("X", "event", "all", (0, 1), None),
            )
            .await;
        assert_problem(res, 403, None).await;
    }
    let list = ok_json(
        app.send_auth(Method::GET, "/api/campaigns", &coord.token, &json!(null))
            .await,
        200,
    )
    .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);

    // Flyers with a QR code for students (EUR 100), a social media post, an ended event.
    let flyer = create(
        &app,
        &coord,
        campaign(
            "Flyers Selwerd",
            "qr_print",
            "student",
            (-3, 30),
            Some(10_000),
        ),
    )
    .await;
    let social = create(
        &app,
        &coord,
        campaign("Instagram", "social_media", "student", (-1, 10), None),
    )
    .await;
    let ended = create(
        &app,
        &coord,
        campaign("Braderie", "event", "resident", (-20, -2), Some(5_000)),
    )
    .await;
    let code = |c: &Value| c["code"].as_str().unwrap().to_owned();
    assert!(shared::campaigns::plausible_code(&code(&flyer)));
    assert_eq!(
        flyer["signup_url"],
        format!("http://wijkveilig.test/c/{}", code(&flyer))
    );
    assert_eq!(
        (flyer["running"].as_bool(), ended["running"].as_bool()),
        (Some(true), Some(false))
    );
    let one = ok_json(
        app.get_auth(&format!("/api/campaigns/{}", flyer["id"]), &coord.token)
            .await,
        200,
    )
    .await;
    assert_eq!(one, flyer);
    assert_problem(
        app.get_auth(&format!("/api/campaigns/{}", flyer["id"]), &partner.token)
            .await,
        403,
        None,
    )
    .await;
    assert_problem(
        app.get_auth("/api/campaigns/9999", &coord.token).await,
        404,
        None,
    )
    .await;

    // The short link leads to the sign-up page with the code; nonsense to the plain page.
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = no_redirect
        .get(app.url(&format!("/c/{}", code(&flyer))))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(
        res.headers()["location"],
        format!("/signup?campaign={}", code(&flyer))
    );
    let res = no_redirect
        .get(app.url("/c/<script>"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/signup");

    // QR codes to print, for coordinators only.
    let svg = app
        .get_auth(
            &format!("/api/campaigns/{}/qr.svg", flyer["id"]),
            &coord.token,
        )
        .await;
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().starts_with("<svg"));
    let png = app
        .get_auth(
            &format!("/api/campaigns/{}/qr.png", flyer["id"]),
            &coord.token,
        )
        .await;
    assert_eq!(png.headers()["content-type"], "image/png");
    assert_eq!(&png.bytes().await.unwrap()[..4], b"\x89PNG");
    assert_problem(
        app.get_auth(
            &format!("/api/campaigns/{}/qr.png", flyer["id"]),
            &partner.token,
        )
        .await,
        403,
        None,
    )
    .await;
    assert_problem(
        app.get_auth("/api/campaigns/9999/qr.svg", &coord.token)
            .await,
        404,
        None,
    )
    .await;

    // Sign-ups: three through the flyer (one a verified student), one through
    // social media; an ended code, a made-up code and no code are direct.
    let f1 = sign_up(&app, "f1@student.rug.nl", "student", Some(&code(&flyer))).await;
    let f2 = sign_up(&app, "f2@example.nl", "student", Some(&code(&flyer))).await;
    let _f3 = sign_up(&app, "f3@example.nl", "resident", Some(&code(&flyer))).await;
    let s1 = sign_up(&app, "s1@example.nl", "student", Some(&code(&social))).await;
    let e1 = sign_up(&app, "e1@example.nl", "resident", Some(&code(&ended))).await;
    let _x1 = sign_up(&app, "x1@example.nl", "resident", Some("zzzzzzzz")).await;
    let _d1 = sign_up(&app, "d1@example.nl", "resident", None).await;
    let token = token_in(&app.outbox("f1@student.rug.nl")[0]);
    let res = app
        .post(
            &app.client,
            "/api/auth/verify-email",
            &json!({"token": token}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let me = ok_json(app.get_auth("/api/me", &f1.token).await, 200).await;
    assert_eq!(me["verified_student"], true);

    // Taking part: f1 files a report, f2 proposes a team that is approved
    // (joins it as lead), s1 only RSVPs (not an activation), e1 files a report.
    let cat = category_id(&app, "noise").await;
    let report = json!({
        "category_id": cat,
        "description": "Harde muziek tot drie uur 's nachts",
        "occurred_at": (chrono::Utc::now() - chrono::Duration::hours(3)).to_rfc3339(),
        "neighbourhood_id": 1,
    });
    for s in [&f1, &e1] {
        ok_json(
            app.send_auth(Method::POST, "/api/reports", &s.token, &report)
                .await,
            201,
        )
        .await;
    }
    let team = ok_json(
        app.send_auth(
            Method::POST,
            "/api/teams",
            &f2.token,
            &json!({"name": "BPT Selwerd", "area": "Selwerd-Zuid", "contact": "bpt@example.nl"}),
        )
        .await,
        201,
    )
    .await;
    ok_json(
        app.send_auth(
            Method::POST,
            &format!("/api/teams/{}/decision", team["id"]),
            &coord.token,
            &json!({"approve": true}),
        )
        .await,
        200,
    )
    .await;
    let now = chrono::Utc::now();
    let meeting = ok_json(
        app.send_auth(
            Method::POST,
            "/api/meetings",
            &coord.token,
            &json!({
                "neighbourhood_id": 1, "title": "Wijkoverleg", "place": "Wijkcentrum",
                "starts_at": (now + chrono::Duration::days(9)).to_rfc3339(),
                "propose_until": (now + chrono::Duration::days(5)).to_rfc3339(), "capacity": 30,
            }),
        )
        .await,
        201,
    )
    .await;
    ok_json(
        app.send_auth(
            Method::PUT,
            &format!("/api/meetings/{}/rsvp", meeting["id"]),
            &s1.token,
            &json!({"going": true}),
        )
        .await,
        200,
    )
    .await;

    // Hand-computed: flyer 3 sign-ups, 1 verified, 2 activated, EUR 100 / 2;
    // social 1 / 0 / 0; ended 0; direct 4 sign-ups (ended, made-up, none,
    // and `resident` from the start), 1 activated.
    let r = ok_json(
        app.get_auth("/api/campaigns/results", &coord.token).await,
        200,
    )
    .await;
    assert_eq!(r["suppressed"], false);
    let by_id = |c: &Value| row(&r["campaigns"], &c["id"].to_string()).clone();
    assert_eq!(
        figures(&by_id(&flyer)),
        [json!(3), json!(1), json!(2), json!(10_000), json!(5_000)]
    );
    assert_eq!(
        figures(&by_id(&social)),
        [json!(1), json!(0), json!(0), Value::Null, Value::Null]
    );
    assert_eq!(
        figures(&by_id(&ended)),
        [json!(0), json!(0), json!(0), json!(5_000), Value::Null]
    );
    assert_eq!(
        figures(row(&r["by_channel"], "qr_print")),
        [json!(3), json!(1), json!(2), json!(10_000), json!(5_000)]
    );
    // A group's cost is known only when every campaign in it has one.
    assert_eq!(
        figures(row(&r["by_target_group"], "student")),
        [json!(4), json!(1), json!(2), Value::Null, Value::Null]
    );
    assert_eq!(
        figures(row(&r["by_target_group"], "resident")),
        [json!(0), json!(0), json!(0), json!(5_000), Value::Null]
    );
    assert_eq!(
        figures(&r["direct"]),
        [json!(4), json!(0), json!(1), Value::Null, Value::Null]
    );

    // Partners see counts of 1 to 4 as null.
    let p = ok_json(
        app.get_auth("/api/campaigns/results", &partner.token).await,
        200,
    )
    .await;
    assert_eq!(p["suppressed"], true);
    assert_eq!(
        figures(row(&p["campaigns"], &flyer["id"].to_string())),
        [
            Value::Null,
            Value::Null,
            Value::Null,
            json!(10_000),
            Value::Null
        ]
    );
    assert_problem(
        app.get_auth("/api/campaigns/results", &resident.token)
            .await,
        403,
        None,
    )
    .await;

    // The participation dashboard shows the same numbers by channel.
    let d = ok_json(
        app.get_auth("/api/metrics/participation?period=all", &coord.token)
            .await,
        200,
    )
    .await;
    assert_eq!(
        figures(row(&d["by_channel"], "qr_print"))[..3],
        [json!(3), json!(1), json!(2)]
    );
    assert_eq!(
        figures(row(&d["by_channel"], "direct"))[..3],
        [json!(4), json!(0), json!(1)]
    );
    let funnel = d["funnel"].as_array().unwrap();
    assert_eq!(
        funnel.iter().find(|c| c["key"] == "team").unwrap()["value"],
        1
    );

    // And a full recount from the base tables agrees with what the writes
    // kept (the campaign counts and the funnel; the coordinator and partner
    // were written straight to the database).
    let mut conn = app.conn();
    let ours = |t: backend::metrics::rollup::Tally| {
        t.nonzero()
            .into_iter()
            .filter(|(k, _)| k.metric.starts_with("camp_") || k.metric == "funnel")
            .collect::<Vec<_>>()
    };
    let recounted = ours(backend::metrics::recount::recount(&mut conn).unwrap());
    assert_eq!(recounted.len(), 11, "{recounted:?}");
    assert_eq!(
        recounted,
        ours(backend::metrics::recount::stored(&mut conn).unwrap())
    );

    // The account remembers its campaign; the export says so.
    let export = ok_json(app.get_auth("/api/me/export", &f2.token).await, 200).await;
    assert_eq!(export["campaign"], "Flyers Selwerd");
    assert_eq!(export["teams"][0]["lead"], true);
}
