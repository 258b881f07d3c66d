//! `spawn_app()`: the real application on a random port with a fresh database
//! (a temp SQLite file, or a new PostgreSQL database when TEST_DATABASE_URL is set).

use std::collections::HashMap;

use backend::config::{Config, DatabaseKind};
use backend::db::{self, models::OutboxMail, DbConnection};
use backend::startup::Application;
use diesel::prelude::*;
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use shared::auth::SessionResponse;

pub const PASSWORD: &str = "fietsen langs het diep";
pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123";
/// A page with an inline style sheet and script, standing in for trunk's output.
pub const INDEX_HTML: &str =
    "<!doctype html><html lang=\"nl\"><head><style>main { margin: 0 }</style><script type=\"module\">boot()</script></head><body></body></html>";
/// The staff client's page (scripts/build.sh writes it beside `index.html`).
pub const STAFF_HTML: &str =
    "<!doctype html><html lang=\"nl\"><head><script type=\"module\">bootStaff()</script></head><body></body></html>";

pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub database_url: String,
    pub kind: DatabaseKind,
    pub data_dir: tempfile::TempDir,
    pub jwt: backend::auth::jwt::JwtKeys,
    _pg_cleanup: Option<PgDrop>,
}

pub struct PgDrop {
    admin_url: String,
    name: String,
}

impl Drop for PgDrop {
    fn drop(&mut self) {
        let (url, name) = (self.admin_url.clone(), self.name.clone());
        // Own thread: Drop may run inside the async runtime.
        let _ = std::thread::spawn(move || {
            if let Ok(mut c) = diesel::PgConnection::establish(&url) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut c);
            }
        })
        .join();
    }
}

/// A connection to a fresh, empty PostgreSQL database, which goes with it
/// (the connection is closed first: fields drop in order).
pub struct FreshPg {
    pub conn: DbConnection,
    _drop: PgDrop,
}

/// For PostgreSQL-only tests: `None` on SQLite, saying the test was skipped.
pub fn fresh_postgres() -> Option<FreshPg> {
    let dir = tempfile::tempdir().unwrap();
    let (url, Some(guard)) = fresh_database(&dir) else {
        eprintln!("PostgreSQL only: skipped on SQLite");
        return None;
    };
    let conn = db::establish(&url, DatabaseKind::Postgres).unwrap();
    Some(FreshPg { conn, _drop: guard })
}

/// The statements a PostgreSQL connection keeps prepared (named), as text.
pub fn prepared_statements(conn: &mut DbConnection) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Prepared {
        #[diesel(sql_type = diesel::sql_types::Text)]
        statement: String,
    }
    diesel::sql_query("SELECT statement FROM pg_prepared_statements")
        .load::<Prepared>(conn)
        .unwrap()
        .into_iter()
        .map(|p| p.statement)
        .collect()
}

/// A new, empty database: a SQLite file in `dir`, or a PostgreSQL database
/// (dropped with the guard) when TEST_DATABASE_URL is set.
pub fn fresh_database(dir: &tempfile::TempDir) -> (String, Option<PgDrop>) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!(
                "wv_test_{}",
                backend::auth::random_token()[..12]
                    .to_lowercase()
                    .replace('-', "_")
            );
            let mut c =
                diesel::PgConnection::establish(&admin_url).expect("TEST_DATABASE_URL reachable");
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut c)
                .unwrap();
            let url = db::postgres_url_with_database(&admin_url, &name);
            (url, Some(PgDrop { admin_url, name }))
        }
        _ => (
            format!("sqlite://{}", dir.path().join("test.db").display()),
            None,
        ),
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(customise: impl FnOnce(&mut Config)) -> TestApp {
    let data_dir = tempfile::tempdir().unwrap();
    let (database_url, pg_cleanup) = fresh_database(&data_dir);
    let config = test_config(&data_dir, &database_url, customise);
    start(config, data_dir, database_url, pg_cleanup).await
}

/// The test configuration on a data directory and database.
pub fn test_config(
    data_dir: &tempfile::TempDir,
    database_url: &str,
    customise: impl FnOnce(&mut Config),
) -> Config {
    let static_dir = data_dir.path().join("dist");
    std::fs::create_dir_all(&static_dir).unwrap();
    std::fs::write(static_dir.join("index.html"), INDEX_HTML).unwrap();
    std::fs::write(static_dir.join("staff.html"), STAFF_HTML).unwrap();
    let vars: HashMap<&str, String> = HashMap::from([
        ("WIJKVEILIG_DATA_DIR", data_dir.path().display().to_string()),
        ("WIJKVEILIG_BIND", "127.0.0.1:0".to_string()),
        ("DATABASE_URL", database_url.to_owned()),
        ("WIJKVEILIG_JWT_SECRET", JWT_SECRET.to_string()),
        ("WIJKVEILIG_STATIC_DIR", static_dir.display().to_string()),
        (
            "WIJKVEILIG_PUBLIC_URL",
            "http://wijkveilig.test".to_string(),
        ),
        ("WIJKVEILIG_DB_POOL_SIZE", "4".to_string()),
    ]);
    let mut config = Config::from_lookup(|k| vars.get(k).cloned()).expect("test config");
    customise(&mut config);
    config
}

async fn start(
    config: Config,
    data_dir: tempfile::TempDir,
    database_url: String,
    pg_cleanup: Option<PgDrop>,
) -> TestApp {
    let kind = config.database_kind;
    let jwt = backend::auth::jwt::JwtKeys::new(&config);
    let app = Application::build(config).await.expect("app starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: new_client(),
        database_url,
        kind,
        data_dir,
        jwt,
        _pg_cleanup: pg_cleanup,
    }
}

/// Two instances on one new database, as a load balancer sees them. On
/// PostgreSQL they start at the same moment (both run the migrations, under
/// the advisory lock); SQLite is for one instance, so there the second
/// starts after the first.
pub async fn spawn_twins() -> (TestApp, TestApp) {
    let dir_a = tempfile::tempdir().unwrap();
    let dir_b = tempfile::tempdir().unwrap();
    let (database_url, pg_cleanup) = fresh_database(&dir_a);
    let config_a = test_config(&dir_a, &database_url, |_| {});
    let config_b = test_config(&dir_b, &database_url, |_| {});
    if config_a.database_kind == DatabaseKind::Postgres {
        tokio::join!(
            start(config_a, dir_a, database_url.clone(), pg_cleanup),
            start(config_b, dir_b, database_url.clone(), None),
        )
    } else {
        let a = start(config_a, dir_a, database_url.clone(), pg_cleanup).await;
        let b = start(config_b, dir_b, database_url.clone(), None).await;
        (a, b)
    }
}

pub fn new_client() -> Client {
    Client::builder().cookie_store(true).build().unwrap()
}

pub fn signup_body(email: &str) -> Value {
    json!({
        "email": email,
        "password": PASSWORD,
        "display_name": "Anna de Vries",
        "group": "student",
        "neighbourhood_id": 1,
        "accepted_privacy_version": shared::PRIVACY_VERSION,
    })
}

/// A logged-in user with their own cookie jar.
pub struct Session {
    pub client: Client,
    pub token: String,
    pub user_id: i32,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn post(&self, client: &Client, path: &str, body: &Value) -> Response {
        client.post(self.url(path)).json(body).send().await.unwrap()
    }

    pub async fn get_auth(&self, path: &str, token: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn send_auth(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: &Value,
    ) -> Response {
        self.client
            .request(method, self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn signup_with(&self, body: Value) -> Session {
        let client = new_client();
        let res = self.post(&client, "/api/auth/signup", &body).await;
        assert_eq!(
            res.status(),
            StatusCode::CREATED,
            "{}",
            res.text().await.unwrap()
        );
        let session: SessionResponse = res.json().await.unwrap();
        Session {
            client,
            token: session.access_token,
            user_id: session.user.id,
        }
    }

    pub async fn signup(&self, email: &str) -> Session {
        self.signup_with(signup_body(email)).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        let client = new_client();
        self.post(
            &client,
            "/api/auth/login",
            &json!({"email": email, "password": password}),
        )
        .await
    }

    pub async fn login_session(&self, email: &str, password: &str) -> Session {
        let client = new_client();
        let res = self
            .post(
                &client,
                "/api/auth/login",
                &json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let s: SessionResponse = res.json().await.unwrap();
        Session {
            client,
            token: s.access_token,
            user_id: s.user.id,
        }
    }

    pub fn conn(&self) -> DbConnection {
        db::establish(&self.database_url, self.kind).unwrap()
    }

    /// Creates an admin straight in the database and logs in.
    pub async fn admin(&self) -> Session {
        let email = "admin@gemeente.test";
        let hash = backend::auth::password::hash_password(PASSWORD).unwrap();
        let at = backend::db::models::now();
        let mut conn = self.conn();
        db::users::insert(
            &mut conn,
            &backend::db::models::NewUser {
                email,
                password_hash: &hash,
                display_name: "Beheer",
                role: "admin",
                user_group: None,
                neighbourhood_id: None,
                language: "nl",
                privacy_version: None,
                privacy_accepted_at: None,
                email_verified_at: Some(at),
                active: true,
                created_at: at,
                updated_at: at,
                campaign_id: None,
            },
        )
        .unwrap();
        self.login_session(email, PASSWORD).await
    }

    /// An account written straight to the database with an access token, for
    /// tests that need many people (no password hashing, no login).
    pub fn quick_user(
        &self,
        email: &str,
        role: &str,
        group: Option<&str>,
        neighbourhood_id: Option<i32>,
    ) -> Session {
        let at = backend::db::models::now();
        let id = db::users::insert(
            &mut self.conn(),
            &backend::db::models::NewUser {
                email,
                password_hash: "not-a-password-hash",
                display_name: "Test",
                role,
                user_group: group,
                neighbourhood_id,
                language: "nl",
                privacy_version: None,
                privacy_accepted_at: None,
                email_verified_at: Some(at),
                active: true,
                created_at: at,
                updated_at: at,
                campaign_id: None,
            },
        )
        .unwrap()
        .id;
        let role = shared::users::Role::parse(role).unwrap();
        Session {
            client: new_client(),
            token: self.jwt.issue(id, role, "test-session").unwrap(),
            user_id: id,
        }
    }

    pub fn outbox(&self, recipient: &str) -> Vec<OutboxMail> {
        use backend::db::schema::outbox;
        outbox::table
            .filter(outbox::recipient.eq(recipient))
            .order(outbox::id.asc())
            .select(OutboxMail::as_select())
            .load(&mut self.conn())
            .unwrap()
    }

    /// Mail is sent after some answers (password reset); wait for it briefly.
    pub async fn wait_for_mail(&self, recipient: &str, count: usize) -> Vec<OutboxMail> {
        for _ in 0..100 {
            let mails = self.outbox(recipient);
            if mails.len() >= count {
                return mails;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("no mail for {recipient}");
    }

    pub fn count_users(&self) -> i64 {
        use backend::db::schema::users;
        users::table.count().get_result(&mut self.conn()).unwrap()
    }

    pub async fn refresh(&self, client: &Client) -> Response {
        client
            .post(self.url("/api/auth/refresh"))
            .send()
            .await
            .unwrap()
    }
}

/// The token in the link of a mail.
pub fn token_in(mail: &OutboxMail) -> String {
    let start = mail.body.find("token=").expect("mail has a link") + "token=".len();
    mail.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// Asserts a problem+json answer with this status and, if given, this field.
pub async fn assert_problem(res: Response, status: u16, field: Option<&str>) -> Value {
    assert_eq!(res.status().as_u16(), status);
    assert_eq!(
        res.headers().get("content-type").unwrap(),
        "application/problem+json"
    );
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert!(body["type"].as_str().unwrap().starts_with("/problems/"));
    if let Some(field) = field {
        let errors = body["errors"].as_array().expect("field errors");
        assert!(
            errors.iter().any(|e| e["field"] == field),
            "no error for {field}: {body}"
        );
    }
    body
}

/// The JSON body of an answer that must have this status (the body is shown if not).
pub async fn ok_json(res: Response, status: u16) -> Value {
    let code = res.status().as_u16();
    let text = res.text().await.unwrap();
    assert_eq!(code, status, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// The id of a report category by its code.
pub async fn category_id(app: &TestApp, code: &str) -> i64 {
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

/// Every reporter's kept total of reports (migration 000010) is their number
/// of reports: no reporter with a wrong total, none with reports but no total.
pub fn assert_kept_report_totals_exact(conn: &mut DbConnection) {
    #[derive(QueryableByName)]
    struct Off {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        reporter_id: i32,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        kept: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        counted: i64,
    }
    let off: Vec<Off> = diesel::sql_query(
        "SELECT reporter_id, kept, counted FROM ( \
           SELECT u.id AS reporter_id, \
             COALESCE((SELECT c.reports FROM reporter_report_counts c WHERE c.reporter_id = u.id), 0) AS kept, \
             (SELECT COUNT(*) FROM reports r WHERE r.reporter_id = u.id) AS counted \
           FROM users u) AS t WHERE kept <> counted",
    )
    .load(conn)
    .unwrap();
    let off: Vec<(i32, i64, i64)> = off
        .into_iter()
        .map(|o| (o.reporter_id, o.kept, o.counted))
        .collect();
    assert!(
        off.is_empty(),
        "kept totals off (reporter, kept, counted): {off:?}"
    );
}
