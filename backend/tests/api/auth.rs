use std::time::{Duration, Instant};

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn signup_returns_a_session_and_stores_an_argon2id_hash() {
    let app = spawn_app().await;
    let client = new_client();
    let res = app
        .post(
            &client,
            "/api/auth/signup",
            &signup_body("  Anna@Example.NL "),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let cookie = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("wv_refresh="));
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/api/auth")
    );
    // Beside it the marker the page reads: the role, for the first view's menu.
    let marker = marker_cookie(&res);
    assert!(marker.starts_with("wv_session=participant;"), "{marker}");
    assert!(
        !marker.contains("HttpOnly") && marker.contains("Path=/"),
        "{marker}"
    );
    let body: Value = res.json().await.unwrap();
    assert!(body["access_token"].as_str().unwrap().len() > 20);
    assert_eq!(body["expires_in"], 900);
    let user = &body["user"];
    assert_eq!(user["email"], "anna@example.nl");
    assert_eq!(user["display_name"], "Anna de Vries");
    assert_eq!(user["role"], "participant");
    assert_eq!(user["group"], "student");
    assert_eq!(user["neighbourhood_id"], 1);
    assert_eq!(user["email_verified"], false);
    assert!(
        body.get("refresh_token").is_none(),
        "refresh token only in the cookie"
    );

    let me: Value = app
        .get_auth("/api/me", body["access_token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["id"], user["id"]);

    use backend::db::schema::users;
    let (hash, privacy): (String, Option<String>) = users::table
        .select((users::password_hash, users::privacy_version))
        .first(&mut app.conn())
        .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert_eq!(privacy.as_deref(), Some(shared::PRIVACY_VERSION));
    let mails = app.outbox("anna@example.nl");
    assert_eq!(mails.len(), 1);
    assert!(mails[0]
        .body
        .contains("http://wijkveilig.test/verify-email?token="));
}

#[tokio::test]
async fn signup_rejects_each_bad_field_and_stores_nothing() {
    let app = spawn_app().await;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("email", json!("not-an-email"), "invalid_email"),
        ("password", json!("short"), "too_short"),
        ("password", json!("x".repeat(129)), "too_long"),
        ("password", json!("Password123"), "too_common"),
        ("display_name", json!("   "), "required"),
        ("display_name", json!("a".repeat(61)), "too_long"),
        ("neighbourhood_id", json!(9999), "unknown_neighbourhood"),
        (
            "accepted_privacy_version",
            json!("2020-01"),
            "privacy_not_accepted",
        ),
    ];
    for (field, value, code) in cases {
        let mut body = signup_body("anna@example.nl");
        body[field] = value;
        let res = app.post(&app.client, "/api/auth/signup", &body).await;
        let problem = assert_problem(res, 422, Some(field)).await;
        let error = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["field"] == field)
            .unwrap();
        assert_eq!(error["code"], code, "{field}");
    }
    // Wrong types and unknown values are malformed requests.
    for (field, value) in [
        ("group", json!("alien")),
        ("neighbourhood_id", json!("one")),
    ] {
        let mut body = signup_body("anna@example.nl");
        body[field] = value;
        let res = app.post(&app.client, "/api/auth/signup", &body).await;
        assert_problem(res, 400, None).await;
    }
    assert_eq!(app.count_users(), 0);
    assert!(app.outbox("anna@example.nl").is_empty());
}

#[tokio::test]
async fn signup_with_a_taken_email_is_a_conflict_on_the_email_field() {
    let app = spawn_app().await;
    app.signup("anna@example.nl").await;
    let res = app
        .post(
            &app.client,
            "/api/auth/signup",
            &signup_body("ANNA@example.nl"),
        )
        .await;
    let problem = assert_problem(res, 409, Some("email")).await;
    assert_eq!(problem["errors"][0]["code"], "already_registered");
    assert_eq!(app.count_users(), 1);
}

#[tokio::test]
async fn login_gives_the_same_answer_for_unknown_email_and_wrong_password() {
    let app = spawn_app().await;
    app.signup("anna@example.nl").await;

    let ok = app.login("Anna@example.nl", PASSWORD).await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert!(ok.headers().get("set-cookie").is_some());

    // Timings are noisy when other tests share the cores: compare the
    // fastest of several tries each, taken in alternating order. Seven
    // wrong passwords and the login above stay within the account's limit.
    let mut wrong_times = Vec::new();
    let mut unknown_times = Vec::new();
    let mut bodies = Vec::new();
    for round in 0..7 {
        for email in if round % 2 == 0 {
            ["anna@example.nl", "nobody@example.nl"]
        } else {
            ["nobody@example.nl", "anna@example.nl"]
        } {
            let t = Instant::now();
            let res = app.login(email, "not the password at all").await;
            let took = t.elapsed();
            if email.starts_with("anna") {
                wrong_times.push(took);
            } else {
                unknown_times.push(took);
            }
            bodies.push(assert_problem(res, 401, None).await);
        }
    }
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "bodies differ: {bodies:?}"
    );
    // Without the dummy hash an unknown email would answer ~20x faster;
    // contention only ever makes a try slower, never faster than one hash.
    let wrong = wrong_times.iter().min().unwrap().as_secs_f64();
    let unknown = unknown_times.iter().min().unwrap().as_secs_f64();
    assert!(
        unknown > wrong * 0.3,
        "unknown {unknown:.4}s vs wrong {wrong:.4}s"
    );
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_whole_session() {
    let app = spawn_app().await;
    let s = app.signup("anna@example.nl").await;
    let first_cookie = s
        .client
        .post(app.url("/api/auth/refresh"))
        .send()
        .await
        .unwrap();
    assert_eq!(first_cookie.status(), StatusCode::OK);
    let cookie_a = first_cookie
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let token_a = cookie_a.split(';').next().unwrap().to_owned();
    let body: Value = first_cookie.json().await.unwrap();
    assert_eq!(
        app.get_auth("/api/me", body["access_token"].as_str().unwrap())
            .await
            .status(),
        200
    );

    // The jar now holds token B; token A is spent.
    let second = app.refresh(&s.client).await;
    assert_eq!(second.status(), StatusCode::OK);

    // An attacker replays token A: refused, and the session family is revoked.
    let replay = new_client()
        .post(app.url("/api/auth/refresh"))
        .header("cookie", token_a)
        .send()
        .await
        .unwrap();
    assert_problem(replay, 401, None).await;
    let legit = app.refresh(&s.client).await;
    assert_problem(legit, 401, None).await;
}

#[tokio::test]
async fn refresh_without_or_with_a_bad_cookie_is_401() {
    let app = spawn_app().await;
    assert_problem(app.refresh(&new_client()).await, 401, None).await;
    let res = new_client()
        .post(app.url("/api/auth/refresh"))
        .header("cookie", "wv_refresh=forged")
        .send()
        .await
        .unwrap();
    let cleared = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cleared.contains("wv_refresh=;") || cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    assert_problem(res, 401, None).await;
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    let s = app.signup("anna@example.nl").await;
    let res = s
        .client
        .post(app.url("/api/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_problem(app.refresh(&s.client).await, 401, None).await;
}

#[tokio::test]
async fn login_is_rate_limited_per_account_and_per_address() {
    let app = spawn_app().await;
    app.signup("anna@example.nl").await;
    for _ in 0..10 {
        let res = app.login("anna@example.nl", "wrong wrong wrong").await;
        assert_eq!(res.status(), 401);
    }
    let res = app.login("anna@example.nl", PASSWORD).await;
    assert_eq!(res.status(), 429);
    let retry: u64 = res
        .headers()
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 15 * 60);
    assert_problem(res, 429, None).await;

    let app = spawn_app_with(|c| c.rate_limits.login_per_ip.max = 3).await;
    for i in 0..3 {
        assert_eq!(
            app.login(&format!("u{i}@example.nl"), PASSWORD)
                .await
                .status(),
            401
        );
    }
    assert_eq!(app.login("other@example.nl", PASSWORD).await.status(), 429);

    // Per address only failures count: many people behind one NAT log in.
    let app = spawn_app_with(|c| c.rate_limits.login_per_ip.max = 2).await;
    for i in 0..4 {
        app.signup(&format!("s{i}@example.nl")).await;
        assert_eq!(
            app.login(&format!("s{i}@example.nl"), PASSWORD)
                .await
                .status(),
            200
        );
    }
    for _ in 0..2 {
        assert_eq!(
            app.login("s0@example.nl", "wrong wrong wrong")
                .await
                .status(),
            401
        );
    }
    let res = app.login("s1@example.nl", PASSWORD).await;
    assert!(res.headers().contains_key("retry-after"));
    assert_problem(res, 429, None).await;
}

#[tokio::test]
async fn signup_refresh_and_reset_are_rate_limited() {
    let app = spawn_app_with(|c| {
        c.rate_limits.signup_per_ip.max = 2;
        c.rate_limits.refresh_per_ip.max = 2;
        c.rate_limits.reset_per_account.max = 1;
    })
    .await;
    let s = app.signup("a@example.nl").await;
    app.signup("b@example.nl").await;
    let res = app
        .post(
            &app.client,
            "/api/auth/signup",
            &signup_body("c@example.nl"),
        )
        .await;
    assert_problem(res, 429, None).await;
    assert_eq!(app.count_users(), 2);

    assert_eq!(app.refresh(&s.client).await.status(), 200);
    assert_eq!(app.refresh(&s.client).await.status(), 200);
    assert_problem(app.refresh(&s.client).await, 429, None).await;

    let body = json!({"email": "a@example.nl"});
    assert_eq!(
        app.post(&app.client, "/api/auth/password-reset", &body)
            .await
            .status(),
        202
    );
    assert_problem(
        app.post(&app.client, "/api/auth/password-reset", &body)
            .await,
        429,
        None,
    )
    .await;
}

#[tokio::test]
async fn email_verification_link_works_once() {
    let app = spawn_app().await;
    let s = app.signup("anna@example.nl").await;
    let token = token_in(&app.outbox("anna@example.nl")[0]);
    let res = app
        .post(
            &app.client,
            "/api/auth/verify-email",
            &json!({"token": token}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let me: Value = app
        .get_auth("/api/me", &s.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email_verified"], true);
    assert_eq!(
        me["verified_student"], false,
        "example.nl is no institution"
    );

    let again = app
        .post(
            &app.client,
            "/api/auth/verify-email",
            &json!({"token": token}),
        )
        .await;
    assert_problem(again, 422, Some("token")).await;
    let garbage = app
        .post(
            &app.client,
            "/api/auth/verify-email",
            &json!({"token": "no such token"}),
        )
        .await;
    assert_problem(garbage, 422, Some("token")).await;
}

#[tokio::test]
async fn a_student_with_an_institution_address_becomes_a_verified_student() {
    let app = spawn_app().await;
    let s = app.signup("anna@student.rug.nl").await;
    let token = token_in(&app.outbox("anna@student.rug.nl")[0]);
    app.post(
        &app.client,
        "/api/auth/verify-email",
        &json!({"token": token}),
    )
    .await;
    let me: Value = app
        .get_auth("/api/me", &s.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["verified_student"], true);

    // A resident at the same domain is not counted as a student.
    let mut body = signup_body("bert@student.rug.nl");
    body["group"] = json!("resident");
    let r = app.signup_with(body).await;
    let token = token_in(&app.outbox("bert@student.rug.nl")[0]);
    app.post(
        &app.client,
        "/api/auth/verify-email",
        &json!({"token": token}),
    )
    .await;
    let me: Value = app
        .get_auth("/api/me", &r.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email_verified"], true);
    assert_eq!(me["verified_student"], false);
}

#[tokio::test]
async fn password_reset_by_link_changes_the_password_and_ends_sessions() {
    let app = spawn_app().await;
    let s = app.signup("anna@example.nl").await;

    let known = app
        .post(
            &app.client,
            "/api/auth/password-reset",
            &json!({"email": "Anna@example.nl"}),
        )
        .await;
    let unknown = app
        .post(
            &app.client,
            "/api/auth/password-reset",
            &json!({"email": "nobody@example.nl"}),
        )
        .await;
    assert_eq!(known.status(), 202);
    assert_eq!(unknown.status(), 202);
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
    let bad = app
        .post(
            &app.client,
            "/api/auth/password-reset",
            &json!({"email": "nope"}),
        )
        .await;
    assert_problem(bad, 422, Some("email")).await;

    let mails = app.wait_for_mail("anna@example.nl", 2).await;
    let token = token_in(mails.last().unwrap());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(app.outbox("nobody@example.nl").is_empty());

    let weak = app
        .post(
            &app.client,
            "/api/auth/password-reset/confirm",
            &json!({"token": token, "new_password": "password123"}),
        )
        .await;
    assert_problem(weak, 422, Some("new_password")).await;
    let new_password = "een nieuw lang wachtwoord";
    let ok = app
        .post(
            &app.client,
            "/api/auth/password-reset/confirm",
            &json!({"token": token, "new_password": new_password}),
        )
        .await;
    assert_eq!(ok.status(), 200);
    let reused = app
        .post(
            &app.client,
            "/api/auth/password-reset/confirm",
            &json!({"token": token, "new_password": new_password}),
        )
        .await;
    assert_problem(reused, 422, Some("token")).await;

    assert_problem(app.refresh(&s.client).await, 401, None).await;
    assert_eq!(app.login("anna@example.nl", PASSWORD).await.status(), 401);
    assert_eq!(
        app.login("anna@example.nl", new_password).await.status(),
        200
    );
}

/// The `wv_session` cookie that `res` sets.
fn marker_cookie(res: &reqwest::Response) -> String {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("wv_session="))
        .expect("a session marker")
        .to_owned()
}

#[tokio::test]
async fn the_session_marker_holds_the_role_and_logout_clears_it() {
    let app = spawn_app().await;
    app.admin().await;
    let res = app.login("admin@gemeente.test", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(marker_cookie(&res).starts_with("wv_session=admin;"));
    let s = app.signup("anna@example.nl").await;
    let res = app.refresh(&s.client).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(marker_cookie(&res).starts_with("wv_session=participant;"));
    let res = s
        .client
        .post(app.url("/api/auth/logout"))
        .send()
        .await
        .unwrap();
    let cleared = marker_cookie(&res);
    assert!(cleared.starts_with("wv_session=;"), "{cleared}");
}
