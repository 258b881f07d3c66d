//! The yardstick the load targets were set with: a bare actix-web + diesel
//! server (no middleware, no Wijkveilig code) answering `GET /healthz`, and
//! `POST /insert`, which checks an HS256 JWT and inserts one row. Run on the
//! same machine and database in the same run as the real server, it tells
//! how fast this machine is today, so the real server's figures can be read
//! against what the machine allows.

use std::time::{SystemTime, UNIX_EPOCH};

use actix_web::{dev::ServerHandle, error, http::header, web, App, HttpRequest, HttpResponse};
use backend::config::DatabaseKind;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

diesel::table! {
    bench_reference (id) {
        id -> Integer,
        author -> Integer,
        body -> Text,
    }
}

const SECRET: &[u8] = b"reference-secret-reference-secret-0123";

#[derive(Serialize, Deserialize)]
struct Claims {
    sub: i32,
    exp: u64,
}

/// A token the reference server accepts, for author `sub`.
pub fn token(sub: i32) -> String {
    let exp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
        + 3600;
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &Claims { sub, exp },
        &EncodingKey::from_secret(SECRET),
    )
    .expect("a reference token")
}

enum Db {
    Pg(Pool<ConnectionManager<PgConnection>>),
    Sqlite(Pool<ConnectionManager<SqliteConnection>>),
}

/// WAL and normal syncing, as the real server runs SQLite.
#[derive(Debug)]
struct SqliteSettings;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for SqliteSettings {
    fn on_acquire(&self, c: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        c.batch_execute(
            "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
        )
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

#[derive(Deserialize)]
struct Body {
    body: String,
}

struct Keys {
    decoding: DecodingKey,
    validation: Validation,
}

async fn insert(
    req: HttpRequest,
    db: web::Data<Db>,
    keys: web::Data<Keys>,
    body: web::Json<Body>,
) -> actix_web::Result<HttpResponse> {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| error::ErrorUnauthorized("no token"))?;
    let author = jsonwebtoken::decode::<Claims>(token, &keys.decoding, &keys.validation)
        .map_err(|_| error::ErrorUnauthorized("bad token"))?
        .claims
        .sub;
    let text = body.into_inner().body;
    let id = web::block(move || -> anyhow::Result<i32> {
        use bench_reference::dsl;
        let row = (dsl::author.eq(author), dsl::body.eq(text));
        let query = diesel::insert_into(dsl::bench_reference).values(row);
        Ok(match &**db {
            Db::Pg(p) => query.returning(dsl::id).get_result(&mut p.get()?)?,
            Db::Sqlite(p) => query.returning(dsl::id).get_result(&mut p.get()?)?,
        })
    })
    .await
    .map_err(error::ErrorInternalServerError)?
    .map_err(error::ErrorInternalServerError)?;
    Ok(HttpResponse::Created().json(serde_json::json!({ "id": id })))
}

/// The reference table, with the id column's type of the database.
fn create_table(id: &str) -> String {
    format!(
        "CREATE TABLE bench_reference \
         (id {id} PRIMARY KEY, author INTEGER NOT NULL, body TEXT NOT NULL)"
    )
}

/// Starts the reference server on the database at `url` (a table of its
/// own); returns its address and a handle to stop it.
pub async fn start(
    url: &str,
    kind: DatabaseKind,
    pool_size: u32,
) -> anyhow::Result<(String, ServerHandle)> {
    let db = match kind {
        DatabaseKind::Postgres => {
            let mut c = PgConnection::establish(url)?;
            c.batch_execute(&create_table("SERIAL"))?;
            Db::Pg(
                Pool::builder()
                    .max_size(pool_size)
                    .build(ConnectionManager::new(url))?,
            )
        }
        DatabaseKind::Sqlite => {
            let path = backend::db::sqlite_path(url);
            let mut c = SqliteConnection::establish(path)?;
            c.batch_execute(&create_table("INTEGER"))?;
            // One connection: SQLite takes one writer at a time, and a pool of
            // writers would only sleep in busy_timeout.
            Db::Sqlite(
                Pool::builder()
                    .max_size(1)
                    .connection_customizer(Box::new(SqliteSettings))
                    .build(ConnectionManager::new(path))?,
            )
        }
    };
    let db = web::Data::new(db);
    let keys = web::Data::new(Keys {
        decoding: DecodingKey::from_secret(SECRET),
        validation: Validation::new(Algorithm::HS256),
    });
    let server = actix_web::HttpServer::new(move || {
        App::new()
            .app_data(db.clone())
            .app_data(keys.clone())
            .route("/healthz", web::get().to(|| async { "ok" }))
            .route("/insert", web::post().to(insert))
    })
    .bind("127.0.0.1:0")?;
    let port = server.addrs()[0].port();
    let server = server.run();
    let handle = server.handle();
    tokio::spawn(server);
    Ok((format!("http://127.0.0.1:{port}"), handle))
}
