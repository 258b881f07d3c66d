//! Seeds a fresh database with demo data, starts the real server on it and
//! times every metrics endpoint over HTTP; prints median and 95th percentile
//! per endpoint and database.
//!
//! ```text
//! cargo run --release -p backend --example bench_metrics -- \
//!     --participants 100000 --reports 1000000 [--requests 40] [--db sqlite|postgres|both]
//! ```
//! `--database-url URL` times an existing database (seeded before with
//! `backend seed-demo`) instead of seeding a fresh one.
//! PostgreSQL is reached through `BENCH_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`); a scratch database is
//! created there and dropped afterwards.

mod common;

use std::time::{Duration, Instant};

use backend::db;
use backend::metrics::seed::{seed, SeedOptions};
use backend::startup::Application;
use chrono::Datelike;

struct Args {
    participants: usize,
    reports: usize,
    requests: usize,
    dbs: Vec<&'static str>,
    existing: Option<String>,
}

fn args() -> Args {
    let mut a = Args {
        participants: 10_000,
        reports: 100_000,
        requests: 40,
        dbs: vec!["sqlite", "postgres"],
        existing: None,
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < argv.len() {
        let value = argv.get(i + 1).cloned().unwrap_or_default();
        match argv[i].as_str() {
            "--participants" => a.participants = value.parse().expect("a number"),
            "--reports" => a.reports = value.parse().expect("a number"),
            "--requests" => a.requests = value.parse().expect("a number"),
            "--database-url" => {
                a.dbs = vec![if value.starts_with("postgres") {
                    "postgres"
                } else {
                    "sqlite"
                }];
                a.existing = Some(value);
            }
            "--db" => {
                a.dbs = match value.as_str() {
                    "sqlite" => vec!["sqlite"],
                    "postgres" => vec!["postgres"],
                    _ => vec!["sqlite", "postgres"],
                }
            }
            other => panic!("unknown argument {other}"),
        }
        i += 2;
    }
    a
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let a = args();
    let mut results: Vec<(String, String, Duration, Duration, usize)> = Vec::new();
    for kind in &a.dbs {
        let scratch = common::Scratch::new(kind, a.existing.clone())?;
        let url = scratch.url.clone();
        let config = scratch.config(&[])?;
        let mut conn = db::establish(&url, config.database_kind)?;
        db::run_migrations(&mut conn)?;
        if a.existing.is_none() {
            println!(
                "== {kind}: seeding {} participants, {} reports",
                a.participants, a.reports
            );
            let started = Instant::now();
            let counts = tokio::task::block_in_place(|| {
                seed(
                    &mut conn,
                    &SeedOptions {
                        participants: a.participants,
                        reports: a.reports,
                        surveys: 12,
                        meetings_per_month: 2,
                        months: 12,
                        seed: 7,
                    },
                    backend::db::models::now(),
                )
            })?;
            println!(
                "seeded in {:.0} s: {} reports, {} events, {} responses, {} topics, {} rollup rows",
                started.elapsed().as_secs_f64(),
                counts.reports,
                counts.events,
                counts.responses,
                counts.topics,
                counts.rollup_rows
            );
        }
        let at = backend::db::models::now();
        let coordinator = db::users::insert(
            &mut conn,
            &backend::db::models::NewUser {
                email: &format!("bench{}@gemeente.test", std::process::id()),
                password_hash: "!",
                display_name: "Bench",
                role: "coordinator",
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
        )?;
        let jwt = backend::auth::jwt::JwtKeys::new(&config);
        let token = jwt.issue(coordinator.id, shared::users::Role::Coordinator, "bench")?;
        let app = Application::build(config).await?;
        let base = format!("http://127.0.0.1:{}", app.port());
        let server = tokio::spawn(app.run_until_stopped());
        let client = reqwest::Client::new();
        let today = at.date();
        let quarter = format!("{}-Q{}", today.year(), (today.month() - 1) / 3 + 1);
        let year = today.year().to_string();
        let paths = [
            "/api/metrics/participation".to_string(),
            "/api/metrics/reports".to_string(),
            "/api/metrics/surveys".to_string(),
            "/api/metrics/meetings".to_string(),
            format!("/api/metrics/participation?period={year}&group=student"),
            format!("/api/metrics/reports?period={quarter}&group=student&neighbourhood_id=3"),
            format!("/api/monitor?period={quarter}&format=csv"),
        ];
        for path in &paths {
            let mut times = Vec::with_capacity(a.requests);
            let mut errors = 0;
            for i in 0..a.requests + 3 {
                let t = Instant::now();
                let res = client
                    .get(format!("{base}{path}"))
                    .bearer_auth(&token)
                    .send()
                    .await?;
                let ok = res.status().is_success();
                let _ = res.bytes().await?;
                if i >= 3 {
                    times.push(t.elapsed());
                    errors += usize::from(!ok);
                }
            }
            times.sort();
            results.push((
                kind.to_string(),
                path.clone(),
                common::percentile(&times, 0.5),
                common::percentile(&times, 0.95),
                errors,
            ));
        }
        server.abort();
        drop(conn);
        drop(scratch);
    }
    println!(
        "\n{:<9} {:<72} {:>9} {:>9} {:>6}",
        "database", "endpoint", "median", "p95", "errors"
    );
    for (kind, path, p50, p95, errors) in results {
        println!(
            "{kind:<9} {path:<72} {:>7.1}ms {:>7.1}ms {errors:>6}",
            p50.as_secs_f64() * 1000.0,
            p95.as_secs_f64() * 1000.0
        );
    }
    Ok(())
}
