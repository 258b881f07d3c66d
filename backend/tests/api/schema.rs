//! The database schema: migrations reverse cleanly, and the OpenAPI
//! description in the repository is the one the code generates.

use backend::db::{self, DbConnection, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel_migrations::MigrationHarness;

use crate::helpers::*;

#[derive(QueryableByName, Debug, PartialEq)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Tables, columns, indexes and row counts, as text.
fn snapshot(conn: &mut DbConnection) -> Vec<String> {
    let (schema_sql, tables_sql) = match conn {
        DbConnection::Sqlite(_) => (
            "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') AS line FROM sqlite_master \
             WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '__diesel%' ORDER BY name",
            "SELECT name AS line FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__diesel%' ORDER BY name",
        ),
        DbConnection::Pg(_) => (
            "SELECT line FROM ( \
               SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable \
                 || ' ' || COALESCE(column_default, '') AS line FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name NOT LIKE '__diesel%' \
               UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' \
                 AND tablename NOT LIKE '__diesel%' \
               UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint \
                 WHERE connamespace = 'public'::regnamespace AND conname NOT LIKE '__diesel%' \
             ) s ORDER BY line",
            "SELECT table_name::text AS line FROM information_schema.tables WHERE table_schema = 'public' \
             AND table_name NOT LIKE '__diesel%' ORDER BY table_name",
        ),
    };
    let mut lines: Vec<String> = diesel::sql_query(schema_sql)
        .load::<Line>(conn)
        .unwrap()
        .into_iter()
        .map(|l| l.line)
        .collect();
    let tables: Vec<Line> = diesel::sql_query(tables_sql).load(conn).unwrap();
    for t in tables {
        let c: Count = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {}", t.line))
            .get_result(conn)
            .unwrap();
        lines.push(format!("rows {} = {}", t.line, c.n));
    }
    lines
}

#[test]
fn every_down_migration_undoes_its_up() {
    let dir = tempfile::tempdir().unwrap();
    let (url, _guard) = fresh_database(&dir);
    let kind = backend::config::database_kind(&url).unwrap();
    let mut conn = db::establish(&url, kind).unwrap();
    let total = match &conn {
        DbConnection::Sqlite(_) => {
            diesel::migration::MigrationSource::<diesel::sqlite::Sqlite>::migrations(
                &SQLITE_MIGRATIONS,
            )
            .unwrap()
            .len()
        }
        DbConnection::Pg(_) => {
            diesel::migration::MigrationSource::<diesel::pg::Pg>::migrations(&POSTGRES_MIGRATIONS)
                .unwrap()
                .len()
        }
    };
    assert!(total >= 2);
    for step in 0..total {
        let before = snapshot(&mut conn);
        let next = |conn: &mut DbConnection| match conn {
            DbConnection::Sqlite(c) => c
                .run_next_migration(SQLITE_MIGRATIONS)
                .map(|v| v.to_string()),
            DbConnection::Pg(c) => c
                .run_next_migration(POSTGRES_MIGRATIONS)
                .map(|v| v.to_string()),
        };
        let version = next(&mut conn).unwrap();
        assert_ne!(
            snapshot(&mut conn),
            before,
            "migration {version} changed nothing"
        );
        match &mut conn {
            DbConnection::Sqlite(c) => c.revert_last_migration(SQLITE_MIGRATIONS).unwrap(),
            DbConnection::Pg(c) => c.revert_last_migration(POSTGRES_MIGRATIONS).unwrap(),
        };
        assert_eq!(
            snapshot(&mut conn),
            before,
            "down of {version} (step {step}) does not undo its up"
        );
        next(&mut conn).unwrap();
    }
}

#[tokio::test]
async fn committed_openapi_matches_the_code() {
    let app = spawn_app().await;
    let served = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json")).unwrap();
    assert_eq!(
        served.trim(),
        committed.trim(),
        "backend/openapi.json is stale: run `cargo run -p backend -- openapi > backend/openapi.json`"
    );
    let spec: serde_json::Value = serde_json::from_str(&served).unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    // Every operation of the route tables is described (but the document
    // itself and the campaign short links), and nothing else.
    let routes: std::collections::BTreeSet<(String, String)> = backend::api::ROUTES
        .iter()
        .filter(|(_, p)| *p != "/openapi.json")
        .map(|(m, p)| (m.to_string(), format!("/api{p}")))
        .chain(
            backend::api::SITE_ROUTES
                .iter()
                .filter(|(_, p)| !p.starts_with("/c/"))
                .map(|(m, p)| (m.to_string(), p.to_string())),
        )
        .collect();
    let described: std::collections::BTreeSet<(String, String)> = spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.clone(), path.clone()))
        })
        .collect();
    let undocumented: Vec<_> = routes.difference(&described).collect();
    let unrouted: Vec<_> = described.difference(&routes).collect();
    assert!(
        undocumented.is_empty(),
        "routes missing from the OpenAPI document: {undocumented:?}"
    );
    assert!(
        unrouted.is_empty(),
        "operations without a route: {unrouted:?}"
    );
}
