use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn admin_endpoints_refuse_everyone_but_admins() {
    let app = spawn_app().await;
    let p = app.signup("anna@example.nl").await;
    assert_problem(
        app.client
            .get(app.url("/api/admin/users"))
            .send()
            .await
            .unwrap(),
        401,
        None,
    )
    .await;
    assert_problem(app.get_auth("/api/admin/users", &p.token).await, 403, None).await;
    let res = app
        .send_auth(
            Method::PATCH,
            &format!("/api/admin/users/{}", p.user_id),
            &p.token,
            &json!({"role": "admin"}),
        )
        .await;
    assert_problem(res, 403, None).await;
    let me: Value = app
        .get_auth("/api/me", &p.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "participant");
}

#[tokio::test]
async fn admins_list_users_with_filters_and_paging() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for name in ["anna", "bert", "cees"] {
        app.signup(&format!("{name}@example.nl")).await;
    }
    let page: Value = app
        .get_auth("/api/admin/users?per_page=2&page=1", &admin.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 4);
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert_eq!(page["items"][0]["email"], "cees@example.nl", "newest first");
    let page2: Value = app
        .get_auth("/api/admin/users?per_page=2&page=2", &admin.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page2["items"].as_array().unwrap().len(), 2);

    let found: Value = app
        .get_auth("/api/admin/users?q=BERT", &admin.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["email"], "bert@example.nl");
    let admins: Value = app
        .get_auth("/api/admin/users?role=admin", &admin.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(admins["total"], 1);
    let none: Value = app
        .get_auth("/api/admin/users?q=%25", &admin.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(none["total"], 0, "LIKE wildcards in the search are literal");

    assert_problem(
        app.get_auth("/api/admin/users?per_page=101", &admin.token)
            .await,
        422,
        Some("per_page"),
    )
    .await;
    assert_problem(
        app.get_auth("/api/admin/users?page=0", &admin.token).await,
        422,
        Some("page"),
    )
    .await;
    assert_problem(
        app.get_auth("/api/admin/users?role=king", &admin.token)
            .await,
        400,
        None,
    )
    .await;
    assert_problem(
        app.get_auth("/api/admin/users?sort=evil", &admin.token)
            .await,
        400,
        None,
    )
    .await;
}

#[tokio::test]
async fn a_promotion_takes_effect_at_once() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let p = app.signup("anna@example.nl").await;
    let res = app
        .send_auth(
            Method::PATCH,
            &format!("/api/admin/users/{}", p.user_id),
            &admin.token,
            &json!({"role": "coordinator"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["role"], "coordinator");
    let me: Value = app
        .get_auth("/api/me", &p.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "coordinator");
    let refreshed: Value = app.refresh(&p.client).await.json().await.unwrap();
    assert_eq!(refreshed["user"]["role"], "coordinator");
}

#[tokio::test]
async fn deactivation_ends_every_session_and_blocks_login() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let p = app.signup("anna@example.nl").await;
    let res = app
        .send_auth(
            Method::PATCH,
            &format!("/api/admin/users/{}", p.user_id),
            &admin.token,
            &json!({"active": false}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_problem(app.get_auth("/api/me", &p.token).await, 401, None).await;
    assert_problem(app.refresh(&p.client).await, 401, None).await;
    assert_problem(app.login("anna@example.nl", PASSWORD).await, 401, None).await;

    let res = app
        .send_auth(
            Method::PATCH,
            &format!("/api/admin/users/{}", p.user_id),
            &admin.token,
            &json!({"active": true}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.login("anna@example.nl", PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn bad_admin_changes_are_refused() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let own = format!("/api/admin/users/{}", admin.user_id);
    assert_problem(
        app.send_auth(
            Method::PATCH,
            &own,
            &admin.token,
            &json!({"role": "participant"}),
        )
        .await,
        409,
        None,
    )
    .await;
    assert_problem(
        app.send_auth(Method::PATCH, &own, &admin.token, &json!({"active": false}))
            .await,
        409,
        None,
    )
    .await;
    assert_problem(
        app.send_auth(
            Method::PATCH,
            "/api/admin/users/999999",
            &admin.token,
            &json!({"role": "partner"}),
        )
        .await,
        404,
        None,
    )
    .await;
    assert_problem(
        app.send_auth(
            Method::PATCH,
            "/api/admin/users/abc",
            &admin.token,
            &json!({"role": "partner"}),
        )
        .await,
        404,
        None,
    )
    .await;
    assert_problem(
        app.send_auth(Method::PATCH, &own, &admin.token, &json!({}))
            .await,
        422,
        Some("role"),
    )
    .await;
    assert_problem(
        app.send_auth(
            Method::PATCH,
            &own,
            &admin.token,
            &json!({"role": "emperor"}),
        )
        .await,
        400,
        None,
    )
    .await;
    let me: Value = app
        .get_auth("/api/me", &admin.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "admin");
}

#[tokio::test]
async fn create_admin_reads_the_password_from_stdin() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let app = spawn_app().await;
    let run = |args: &[&str], input: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_backend"))
            .args(args)
            .env("DATABASE_URL", &app.database_url)
            .env("WIJKVEILIG_DATA_DIR", app.data_dir.path())
            .env("WIJKVEILIG_JWT_SECRET", JWT_SECRET)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let weak = run(
        &["create-admin", "--email", "chef@gemeente.test"],
        "short\n",
    );
    assert!(!weak.status.success());
    let out = run(
        &["create-admin", "--email", "chef@gemeente.test"],
        &format!("{PASSWORD}\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let session = app.login_session("chef@gemeente.test", PASSWORD).await;
    let me: Value = app
        .get_auth("/api/me", &session.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "admin");
    let again = run(
        &[
            "create-admin",
            "--email",
            "other@gemeente.test",
            "--generate-password",
            "--if-no-admin",
        ],
        "",
    );
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("already exists"));
}
