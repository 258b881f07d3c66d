//! What the benchmark programs share: a scratch database (a SQLite file in a
//! temporary directory, or a PostgreSQL database created for the run and
//! dropped afterwards), a server configuration for it, and percentiles.

#![allow(dead_code)]

pub mod reference;

use std::collections::HashMap;
use std::time::Duration;

use backend::config::Config;
use diesel::{Connection, RunQueryDsl};

pub struct Scratch {
    pub url: String,
    pub dir: tempfile::TempDir,
    drop_pg: Option<(String, String)>,
}

impl Scratch {
    /// `kind` is `sqlite` or `postgres`; PostgreSQL is reached through
    /// `BENCH_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`).
    pub fn new(kind: &str, existing: Option<String>) -> anyhow::Result<Scratch> {
        let dir = tempfile::tempdir()?;
        let (url, drop_pg) = match (kind, existing) {
            (_, Some(url)) => (url, None),
            ("sqlite", None) => (
                format!("sqlite://{}", dir.path().join("bench.db").display()),
                None,
            ),
            _ => {
                let admin = std::env::var("BENCH_DATABASE_URL")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
                let name = format!("wv_bench_{}", std::process::id());
                let mut c = diesel::PgConnection::establish(&admin)?;
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {name}")).execute(&mut c)?;
                diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut c)?;
                let url = backend::db::postgres_url_with_database(&admin, &name);
                (url, Some((admin, name)))
            }
        };
        Ok(Scratch { url, dir, drop_pg })
    }

    /// A server configuration on this database; `extra` adds or overrides variables.
    pub fn config(&self, extra: &[(&str, String)]) -> anyhow::Result<Config> {
        let static_dir = self.dir.path().join("dist");
        std::fs::create_dir_all(&static_dir)?;
        std::fs::write(
            static_dir.join("index.html"),
            "<!doctype html><title>bench</title>",
        )?;
        let mut vars: HashMap<&str, String> = HashMap::from([
            ("WIJKVEILIG_DATA_DIR", self.dir.path().display().to_string()),
            ("WIJKVEILIG_BIND", "127.0.0.1:0".to_string()),
            ("DATABASE_URL", self.url.clone()),
            (
                "WIJKVEILIG_JWT_SECRET",
                "bench-secret-bench-secret-bench-secret-123".to_string(),
            ),
            ("WIJKVEILIG_STATIC_DIR", static_dir.display().to_string()),
        ]);
        for (k, v) in extra {
            vars.insert(k, v.clone());
        }
        // The server's own variables (WIJKVEILIG_DB_POOL_SIZE, …) tune it here too.
        Ok(Config::from_lookup(|k| {
            vars.get(k).cloned().or_else(|| std::env::var(k).ok())
        })?)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.drop_pg.take() {
            if let Ok(mut c) = diesel::PgConnection::establish(&admin) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut c);
            }
        }
    }
}

/// Nearest-rank percentile of sorted durations (`p` from 0 to 1).
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
