//! Load program: starts the real server on a scratch database and drives it
//! over HTTP with many keep-alive connections, each a closed loop (send,
//! wait for the answer, send the next). Prints requests per second, p50, p95
//! and p99 latency and errors per endpoint for each phase:
//!
//! 0. the yardstick: a bare actix-web + diesel server on the same machine and
//!    database, its `GET /healthz` and a JWT check with a one-row insert (see
//!    `common/reference.rs`), 64 connections;
//! 1. the ceiling of the same server on `GET /healthz` (64 connections);
//! 2. filing reports only, and "my reports" only (64 connections);
//! 3. a realistic mix (sign up, log in, file a report, my reports, the
//!    coordinator's list, a dashboard call, answer a survey) at 64 and at 256
//!    connections;
//! 4. 32 clients logging in nonstop while 32 others read "my reports":
//!    argon2 is slow on purpose, so excess logins must get a fast 429/503.
//!
//! ```text
//! cargo run --release -p backend --example load -- [--db sqlite|postgres|both] [--seconds 10]
//! cargo run --release -p backend --example load -- --soak 600 [--db sqlite]
//! ```
//! `--soak N` runs the mix at 64 connections for N seconds and prints the
//! process's resident memory (server and load generator share the process)
//! at the start and the end, and every minute (on a PostgreSQL server with
//! autovacuum off, a thread vacuums beside it once a minute, as autovacuum
//! would). Server and load generator
//! share the machine, as the targets in the README assume.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use backend::startup::Application;
use common::{ms, percentile};
use serde_json::{json, Value};

const PASSWORD: &str = "fietsen langs het diep 2026";

struct Args {
    dbs: Vec<&'static str>,
    seconds: u64,
    soak: Option<u64>,
    each: bool,
}

const USAGE: &str = "usage: load [--db sqlite|postgres|both] [--seconds N] [--soak N] [--each]
  --db       which databases (default both; PostgreSQL at BENCH_DATABASE_URL)
  --seconds  how long each phase runs (default 10)
  --soak     run the mix for N seconds instead, printing memory each minute
  --each     before the mix, run each of its other data endpoints alone (64 connections),
             and the mix without sign-up and login (256)";

/// The arguments, or the usage on stderr and exit code 2 for a wrong one.
fn args() -> Args {
    let mut a = Args {
        dbs: vec!["sqlite", "postgres"],
        seconds: 10,
        soak: None,
        each: false,
    };
    let usage = |problem: &str| -> ! {
        if problem.is_empty() {
            println!("{USAGE}");
            std::process::exit(0)
        }
        eprintln!("{problem}\n{USAGE}");
        std::process::exit(2)
    };
    let seconds = |value: Option<&String>, name: &str| -> u64 {
        match value.map(|v| v.parse::<u64>()) {
            Some(Ok(n)) if n > 0 => n,
            _ => usage(&format!("{name} takes a whole number of seconds above 0")),
        }
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < argv.len() {
        let value = argv.get(i + 1);
        match argv[i].as_str() {
            "--db" => {
                a.dbs = match value.map(String::as_str) {
                    Some("sqlite") => vec!["sqlite"],
                    Some("postgres") => vec!["postgres"],
                    Some("both") => vec!["sqlite", "postgres"],
                    _ => usage("--db takes sqlite, postgres or both"),
                }
            }
            "--seconds" => a.seconds = seconds(value, "--seconds"),
            "--soak" => a.soak = Some(seconds(value, "--soak")),
            "--each" => {
                a.each = true;
                i += 1;
                continue;
            }
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument {other}")),
        }
        i += 2;
    }
    a
}

/// One virtual user: a participant's token and, once answered, whether the survey is done.
#[derive(Clone)]
struct Person {
    email: String,
    token: String,
}

/// What every phase needs to know of the running server.
struct World {
    base: String,
    /// The bare reference server, and tokens it accepts.
    reference: String,
    reference_tokens: Vec<String>,
    coordinator: String,
    people: Vec<Person>,
    category: i64,
    survey: i64,
    questions: Vec<i64>,
    next_person: AtomicUsize,
    next_signup: AtomicUsize,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Op {
    ReferenceHealthz,
    ReferenceInsert,
    Healthz,
    Signup,
    Login,
    FileReport,
    MyReports,
    CoordinatorList,
    Dashboard,
    AnswerSurvey,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::ReferenceHealthz => "bare: GET /healthz",
            Op::ReferenceInsert => "bare: POST /insert (JWT, one row)",
            Op::Healthz => "GET /healthz",
            Op::Signup => "POST /api/auth/signup",
            Op::Login => "POST /api/auth/login",
            Op::FileReport => "POST /api/reports",
            Op::MyReports => "GET /api/reports?mine=true",
            Op::CoordinatorList => "GET /api/reports (coordinator)",
            Op::Dashboard => "GET /api/metrics/participation",
            Op::AnswerSurvey => "POST /api/surveys/{id}/responses",
        }
    }
}

/// The mix: weights out of 100.
const MIX: &[(Op, u32)] = &[
    (Op::Signup, 2),
    (Op::Login, 3),
    (Op::FileReport, 25),
    (Op::MyReports, 35),
    (Op::CoordinatorList, 15),
    (Op::Dashboard, 10),
    (Op::AnswerSurvey, 10),
];

#[derive(Default)]
struct Tally {
    /// Latencies of the requests the server answered (including errors).
    times: Vec<Duration>,
    errors: usize,
    /// Latencies of the answers that are the server saying no on purpose
    /// (429, 503), kept apart: a fast refusal must not flatter the
    /// percentiles of the requests that were served.
    refused: Vec<Duration>,
}

impl Tally {
    fn requests(&self) -> usize {
        self.times.len() + self.refused.len()
    }
}

type Results = BTreeMap<Op, Tally>;

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

fn pick(mix: &[(Op, u32)], r: u32) -> Op {
    let total: u32 = mix.iter().map(|(_, w)| w).sum();
    let mut r = r % total.max(1);
    for (op, w) in mix {
        if r < *w {
            return *op;
        }
        r -= w;
    }
    mix[0].0
}

async fn send(world: &World, http: &reqwest::Client, op: Op, seq: usize) -> reqwest::Result<u16> {
    let url = |p: &str| format!("{}{}", world.base, p);
    let person = || {
        let i = world.next_person.fetch_add(1, Ordering::Relaxed) % world.people.len();
        &world.people[i]
    };
    let res = match op {
        Op::ReferenceHealthz => {
            http.get(format!("{}/healthz", world.reference))
                .send()
                .await?
        }
        Op::ReferenceInsert => {
            let token = &world.reference_tokens[seq % world.reference_tokens.len()];
            http.post(format!("{}/insert", world.reference))
                .bearer_auth(token)
                .json(&json!({"body": format!("Geluidsoverlast van een feest, melding {seq}")}))
                .send()
                .await?
        }
        Op::Healthz => http.get(url("/healthz")).send().await?,
        Op::Signup => {
            let n = world.next_signup.fetch_add(1, Ordering::Relaxed);
            http.post(url("/api/auth/signup"))
                .json(&json!({
                    "email": format!("load-{}-{n}@example.nl", std::process::id()),
                    "password": PASSWORD, "display_name": "Load", "group": "student",
                    "neighbourhood_id": 1 + (n % 12) as i32,
                    "accepted_privacy_version": shared::PRIVACY_VERSION,
                }))
                .send()
                .await?
        }
        Op::Login => {
            let p = person();
            http.post(url("/api/auth/login"))
                .json(&json!({"email": p.email, "password": PASSWORD}))
                .send()
                .await?
        }
        Op::FileReport => {
            let p = person();
            http.post(url("/api/reports"))
                .bearer_auth(&p.token)
                .json(&json!({
                    "category_id": world.category,
                    "description": format!("Geluidsoverlast van een feest, melding {seq}"),
                    "occurred_at": (chrono::Utc::now() - chrono::Duration::minutes(30)).to_rfc3339(),
                    "neighbourhood_id": 1 + (seq % 12) as i32,
                    "anonymous_to_partners": false, "contact_ok": false,
                }))
                .send()
                .await?
        }
        Op::MyReports => {
            let p = person();
            http.get(url("/api/reports?mine=true&per_page=20"))
                .bearer_auth(&p.token)
                .send()
                .await?
        }
        Op::CoordinatorList => {
            http.get(url("/api/reports?per_page=20&status=submitted"))
                .bearer_auth(&world.coordinator)
                .send()
                .await?
        }
        Op::Dashboard => {
            http.get(url("/api/metrics/participation?period=all"))
                .bearer_auth(&world.coordinator)
                .send()
                .await?
        }
        Op::AnswerSurvey => {
            // Each person answers once; later answers are a 409 the mix counts as expected.
            let p = person();
            let q = &world.questions;
            http.post(url(&format!("/api/surveys/{}/responses", world.survey)))
                .bearer_auth(&p.token)
                .json(&json!({"answers": [
                    {"question_id": q[0], "choice": (seq % 2) as u32},
                    {"question_id": q[1], "value": 1 + (seq % 5) as u32},
                ]}))
                .send()
                .await?
        }
    };
    let status = res.status().as_u16();
    let _ = res.bytes().await?;
    Ok(status)
}

/// Runs `connections` closed loops for `seconds`, each picking from `mix`.
async fn phase(
    world: &Arc<World>,
    mix: &'static [(Op, u32)],
    connections: usize,
    seconds: u64,
) -> (Results, Duration) {
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..connections {
        let world = world.clone();
        tasks.push(tokio::spawn(async move {
            let http = client();
            let mut out: Results = BTreeMap::new();
            let mut seq = c * 1_000_003;
            let mut rng = (c as u32).wrapping_mul(2_654_435_761).wrapping_add(1);
            while Instant::now() < until {
                rng ^= rng << 13;
                rng ^= rng >> 17;
                rng ^= rng << 5;
                let op = pick(mix, rng);
                seq += 1;
                let t = Instant::now();
                let result = send(&world, &http, op, seq).await;
                let took = t.elapsed();
                let e = out.entry(op).or_default();
                match result {
                    Ok(429 | 503) => e.refused.push(took),
                    result => {
                        e.times.push(took);
                        match result {
                            Ok(s) if s < 400 => {}
                            // A second answer to the survey is the server keeping its promise.
                            Ok(409) if op == Op::AnswerSurvey => {}
                            _ => e.errors += 1,
                        }
                    }
                }
            }
            out
        }));
    }
    let mut all: Results = BTreeMap::new();
    for t in tasks {
        for (op, mut tally) in t.await.expect("load task") {
            let e = all.entry(op).or_default();
            e.times.append(&mut tally.times);
            e.errors += tally.errors;
            e.refused.append(&mut tally.refused);
        }
    }
    (all, started.elapsed())
}

fn print(title: &str, results: &mut Results, elapsed: Duration) {
    println!("\n-- {title}");
    // p50, p95 and p99 are of the requests served; the refusals (429 or
    // 503) have their own count and p99.
    println!(
        "{:<34} {:>9} {:>9} {:>8} {:>8} {:>8} {:>7} {:>8} {:>10}",
        "endpoint",
        "requests",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "errors",
        "429/503",
        "its p99 ms"
    );
    for (op, t) in results.iter_mut() {
        t.times.sort();
        t.refused.sort();
        println!(
            "{:<34} {:>9} {:>9.0} {:>8.1} {:>8.1} {:>8.1} {:>7} {:>8} {:>10.1}",
            op.name(),
            t.requests(),
            t.requests() as f64 / elapsed.as_secs_f64(),
            ms(percentile(&t.times, 0.50)),
            ms(percentile(&t.times, 0.95)),
            ms(percentile(&t.times, 0.99)),
            t.errors,
            t.refused.len(),
            ms(percentile(&t.refused, 0.99))
        );
    }
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .unwrap_or(0.0)
        / 1024.0
}

async fn json_of(res: reqwest::Response) -> anyhow::Result<Value> {
    let status = res.status();
    let text = res.text().await?;
    anyhow::ensure!(status.is_success(), "{status}: {text}");
    Ok(serde_json::from_str(&text)?)
}

/// Whether this is a PostgreSQL server with autovacuum off, where the program
/// does what autovacuum would (statistics and the visibility map) itself.
fn autovacuum_off(url: &str, kind: backend::config::DatabaseKind) -> anyhow::Result<bool> {
    use diesel::prelude::*;
    if kind != backend::config::DatabaseKind::Postgres {
        return Ok(false);
    }
    #[derive(diesel::QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Text)]
        autovacuum: String,
    }
    let mut conn = backend::db::establish(url, kind)?;
    let setting: Setting = diesel::sql_query("SHOW autovacuum").get_result(&mut conn)?;
    Ok(setting.autovacuum == "off")
}

/// Runs `VACUUM (ANALYZE)` over the whole database and says how long it took.
fn vacuum(url: &str, kind: backend::config::DatabaseKind) -> anyhow::Result<Duration> {
    use diesel::prelude::*;
    let mut conn = backend::db::establish(url, kind)?;
    let t = Instant::now();
    diesel::sql_query("VACUUM (ANALYZE)").execute(&mut conn)?;
    Ok(t.elapsed())
}

/// Where autovacuum is off, a thread that vacuums every `every` while the
/// soak runs, as autovacuum would beside the traffic; each vacuum's time is
/// collected for the minute's line. Stops when `stop` is set.
fn vacuum_beside(
    url: String,
    kind: backend::config::DatabaseKind,
    every: Duration,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> Arc<std::sync::Mutex<Vec<Duration>>> {
    let took = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = took.clone();
    std::thread::spawn(move || {
        let mut next = Instant::now() + every;
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(200));
            if Instant::now() >= next {
                match vacuum(&url, kind) {
                    Ok(t) => log.lock().unwrap().push(t),
                    Err(e) => eprintln!("vacuum failed: {e}"),
                }
                next = Instant::now() + every;
            }
        }
    });
    took
}

fn stored_reports(url: &str, kind: backend::config::DatabaseKind) -> anyhow::Result<i64> {
    use backend::db::schema::reports;
    use diesel::prelude::*;
    let mut conn = backend::db::establish(url, kind)?;
    Ok(reports::table.count().get_result(&mut conn)?)
}

/// Accounts, a coordinator, a published survey.
async fn prepare(
    base: &str,
    reference: &str,
    conn_url: &str,
    kind: backend::config::DatabaseKind,
    people: usize,
) -> anyhow::Result<World> {
    let http = reqwest::Client::new();
    let mut conn = backend::db::establish(conn_url, kind)?;
    let at = backend::db::models::now();
    let hash = backend::auth::password::hash_password(PASSWORD)?;
    let coordinator_email = format!("coord{}@gemeente.test", std::process::id());
    backend::db::users::insert(
        &mut conn,
        &backend::db::models::NewUser {
            email: &coordinator_email,
            password_hash: &hash,
            display_name: "Coördinator",
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
    let login = |email: String| {
        let http = http.clone();
        async move {
            let v = json_of(
                http.post(format!("{base}/api/auth/login"))
                    .json(&json!({"email": email, "password": PASSWORD}))
                    .send()
                    .await?,
            )
            .await?;
            anyhow::Ok(v["access_token"].as_str().unwrap_or_default().to_owned())
        }
    };
    let coordinator = login(coordinator_email).await?;
    // Participants sign up through the API, a few at a time (argon2 is the cost).
    let mut list = Vec::with_capacity(people);
    let ids: Vec<usize> = (0..people).collect();
    for chunk in ids.chunks(8) {
        let mut batch = Vec::new();
        for &i in chunk {
            let email = format!("p{i}-{}@example.nl", std::process::id());
            let http = http.clone();
            let base = base.to_owned();
            batch.push(tokio::spawn(async move {
                let body = json!({
                    "email": email, "password": PASSWORD, "display_name": "Deelnemer",
                    "group": if i % 3 == 0 { "resident" } else { "student" },
                    "neighbourhood_id": 1 + (i % 12) as i32,
                    "accepted_privacy_version": shared::PRIVACY_VERSION,
                });
                // A busy hasher answers 503 at once: come back, as a browser would.
                let mut res = http
                    .post(format!("{base}/api/auth/signup"))
                    .json(&body)
                    .send()
                    .await?;
                for _ in 0..100 {
                    if res.status() != reqwest::StatusCode::SERVICE_UNAVAILABLE {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    res = http
                        .post(format!("{base}/api/auth/signup"))
                        .json(&body)
                        .send()
                        .await?;
                }
                let v = json_of(res).await?;
                anyhow::Ok(Person {
                    email,
                    token: v["access_token"].as_str().unwrap_or_default().to_owned(),
                })
            }));
        }
        for b in batch {
            list.push(b.await??);
        }
    }
    let categories = json_of(
        http.get(format!("{base}/api/report-categories"))
            .send()
            .await?,
    )
    .await?;
    let category = categories[0]["id"].as_i64().unwrap_or(1);
    let now = chrono::Utc::now();
    let survey = json_of(
        http.post(format!("{base}/api/surveys"))
            .bearer_auth(&coordinator)
            .json(&json!({
                "title_nl": "Veiligheid in de wijk", "title_en": "Safety in the neighbourhood",
                "groups": ["student", "resident"],
                "opens_at": (now - chrono::Duration::hours(1)).to_rfc3339(),
                "closes_at": (now + chrono::Duration::days(7)).to_rfc3339(),
                "anonymous": false,
                "questions": [
                    {"kind": "single_choice", "text_nl": "Woon je op kamers?", "text_en": "Do you rent a room?", "required": true,
                     "settings": {"options": [{"nl": "Ja", "en": "Yes"}, {"nl": "Nee", "en": "No"}]}},
                    {"kind": "likert", "text_nl": "Hoe veilig voel je je?", "text_en": "How safe do you feel?", "required": true,
                     "settings": {"points": 5, "low_label": {"nl": "Onveilig", "en": "Unsafe"}, "high_label": {"nl": "Veilig", "en": "Safe"}}},
                ],
            }))
            .send()
            .await?,
    )
    .await?;
    let survey_id = survey["id"].as_i64().unwrap_or_default();
    json_of(
        http.post(format!("{base}/api/surveys/{survey_id}/publish"))
            .bearer_auth(&coordinator)
            .json(&json!({}))
            .send()
            .await?,
    )
    .await?;
    let questions = survey["questions"]
        .as_array()
        .map(|qs| qs.iter().filter_map(|q| q["id"].as_i64()).collect())
        .unwrap_or_default();
    Ok(World {
        base: base.to_owned(),
        reference: reference.to_owned(),
        reference_tokens: (1..=200).map(common::reference::token).collect(),
        coordinator,
        people: list,
        category,
        survey: survey_id,
        questions,
        next_person: AtomicUsize::new(0),
        next_signup: AtomicUsize::new(0),
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let a = args();
    for kind in &a.dbs {
        let scratch = common::Scratch::new(kind, None)?;
        // Sign-ups and logins all come from this one address: the per-address
        // limits would measure the rate limiter, not the server.
        let config = scratch.config(&[("WIJKVEILIG_RATE_LIMIT_FACTOR", "10000".into())])?;
        let db_kind = config.database_kind;
        let pool = config.db_pool_size;
        let app = Application::build(config).await?;
        let base = format!("http://127.0.0.1:{}", app.port());
        let server = tokio::spawn(app.run_until_stopped());
        let started = Instant::now();
        let (reference, reference_server) =
            common::reference::start(&scratch.url, db_kind, pool).await?;
        let world = Arc::new(prepare(&base, &reference, &scratch.url, db_kind, 200).await?);
        println!(
            "\n==== {kind} (pool {pool}): 200 participants, a coordinator and a survey ready in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        let s = a.seconds;

        if let Some(soak) = a.soak {
            // Each minute's figures are printed and dropped, so that the
            // process's memory is the server's (and the client's), not a
            // growing pile of samples.
            println!(
                "soak: mix at 64 connections for {soak} s; RSS at start {:.1} MB",
                rss_mb()
            );
            // Production keeps autovacuum on; where this server has it off,
            // a thread does its work beside the traffic once a minute.
            let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
            let vacuums = if autovacuum_off(&scratch.url, db_kind)? {
                println!("autovacuum is off on this server: VACUUM (ANALYZE) runs beside the mix every 60 s");
                Some(vacuum_beside(
                    scratch.url.clone(),
                    db_kind,
                    Duration::from_secs(60),
                    stop.clone(),
                ))
            } else {
                None
            };
            println!(
                "{:>8} {:>9} {:>7} {:>8} {:>14} {:>14} {:>9} {:>9}",
                "after s",
                "req/s",
                "errors",
                "429/503",
                "report p99 ms",
                "mine p99 ms",
                "RSS MB",
                "vacuum s"
            );
            let mut left = soak;
            while left > 0 {
                let step = left.min(60);
                let (mut r, e) = phase(&world, MIX, 64, step).await;
                left -= step;
                let requests: usize = r.values().map(Tally::requests).sum();
                let errors: usize = r.values().map(|t| t.errors).sum();
                let refused: usize = r.values().map(|t| t.refused.len()).sum();
                let mut p99 = |op: Op| {
                    r.get_mut(&op)
                        .map(|t| {
                            t.times.sort();
                            ms(percentile(&t.times, 0.99))
                        })
                        .unwrap_or(0.0)
                };
                let (report, mine) = (p99(Op::FileReport), p99(Op::MyReports));
                let vacuumed = vacuums
                    .as_ref()
                    .map(|v| {
                        std::mem::take(&mut *v.lock().unwrap())
                            .iter()
                            .map(|t| format!("{:.1}", t.as_secs_f64()))
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .unwrap_or_default();
                println!(
                    "{:>8} {:>9.0} {:>7} {:>8} {:>14.1} {:>14.1} {:>9.1} {:>9}",
                    soak - left,
                    requests as f64 / e.as_secs_f64(),
                    errors,
                    refused,
                    report,
                    mine,
                    rss_mb(),
                    vacuumed
                );
            }
            stop.store(true, Ordering::Relaxed);
            println!("RSS at end {:.1} MB", rss_mb());
            server.abort();
            continue;
        }

        const REFERENCE_HEALTHZ: &[(Op, u32)] = &[(Op::ReferenceHealthz, 1)];
        const REFERENCE_INSERT: &[(Op, u32)] = &[(Op::ReferenceInsert, 1)];
        let rate = |r: &Results, e: Duration| {
            r.values().map(Tally::requests).sum::<usize>() as f64 / e.as_secs_f64()
        };
        let (mut r, e) = phase(&world, REFERENCE_HEALTHZ, 64, s).await;
        print(
            &format!("{kind}: yardstick, a bare actix-web server, 64 connections"),
            &mut r,
            e,
        );
        let (mut r, e) = phase(&world, REFERENCE_INSERT, 64, s).await;
        let bare_insert = rate(&r, e);
        print(
            &format!("{kind}: yardstick, a bare actix-web + diesel insert, 64 connections"),
            &mut r,
            e,
        );
        reference_server.stop(true).await;

        const HEALTHZ: &[(Op, u32)] = &[(Op::Healthz, 1)];
        const FILE: &[(Op, u32)] = &[(Op::FileReport, 1)];
        const MINE: &[(Op, u32)] = &[(Op::MyReports, 1)];
        let (mut r, e) = phase(&world, HEALTHZ, 64, s).await;
        let ceiling = rate(&r, e);
        print(
            &format!("{kind}: /healthz ceiling, 64 connections"),
            &mut r,
            e,
        );
        for (title, mix) in [("filing reports", FILE), ("my reports", MINE)] {
            if mix == MINE {
                // The lists read (and count, up to the cap) what the filing
                // phase left: a faster filing phase makes them longer.
                let n = stored_reports(&scratch.url, db_kind)?;
                println!(
                    "\n{n} reports stored, {:.0} per participant",
                    n as f64 / world.people.len() as f64
                );
            }
            let (mut r, e) = phase(&world, mix, 64, s).await;
            let rps = rate(&r, e);
            print(&format!("{kind}: {title} only, 64 connections"), &mut r, e);
            println!(
                "   = {:.1}% of the /healthz ceiling ({ceiling:.0} req/s), \
                 {:.0}% of the bare insert ({bare_insert:.0} req/s)",
                100.0 * rps / ceiling,
                100.0 * rps / bare_insert
            );
        }
        // Every report in this database is from the rush a few seconds ago;
        // in production autovacuum (on by default) keeps statistics and the
        // visibility map of all but the newest rows. Where this server has
        // it off, the lists are measured once more after doing its work.
        if autovacuum_off(&scratch.url, db_kind)? {
            let took = vacuum(&scratch.url, db_kind)?;
            println!(
                "\nautovacuum is off on this server: VACUUM (ANALYZE), as it would run, took {:.1} s",
                took.as_secs_f64()
            );
            let (mut r, e) = phase(&world, MINE, 64, s).await;
            let rps = rate(&r, e);
            print(
                &format!("{kind}: my reports only, after the vacuum, 64 connections"),
                &mut r,
                e,
            );
            println!(
                "   = {:.1}% of the /healthz ceiling ({ceiling:.0} req/s)",
                100.0 * rps / ceiling
            );
        }
        if a.each {
            // What each other request of the mix costs with the machine to
            // itself (filing and my reports have their phases above). The
            // survey takes one answer a person, so nearly all are a 409,
            // as in the mix.
            const ALONE: [&[(Op, u32)]; 3] = [
                &[(Op::CoordinatorList, 1)],
                &[(Op::Dashboard, 1)],
                &[(Op::AnswerSurvey, 1)],
            ];
            for alone in ALONE {
                let (mut r, e) = phase(&world, alone, 64, s).await;
                let rps = rate(&r, e);
                let title = format!("{kind}: {} only, 64 connections", alone[0].0.name());
                print(&title, &mut r, e);
                println!(
                    "   = {:.1}% of the /healthz ceiling ({ceiling:.0} req/s)",
                    100.0 * rps / ceiling
                );
            }
            // The mix without its sign-ups and logins: what they and their
            // password hashes cost the rest.
            let without: &'static [(Op, u32)] = Vec::leak(
                MIX.iter()
                    .copied()
                    .filter(|(op, _)| !matches!(op, Op::Signup | Op::Login))
                    .collect(),
            );
            let (mut r, e) = phase(&world, without, 256, s).await;
            print(
                &format!("{kind}: mix without sign-up and login, 256 connections"),
                &mut r,
                e,
            );
        }
        for connections in [64, 256] {
            let (mut r, e) = phase(&world, MIX, connections, s).await;
            print(
                &format!("{kind}: mix, {connections} connections"),
                &mut r,
                e,
            );
        }
        // Logins nonstop beside readers.
        const LOGINS: &[(Op, u32)] = &[(Op::Login, 1)];
        let (w1, w2) = (world.clone(), world.clone());
        let logins = tokio::spawn(async move { phase(&w1, LOGINS, 32, s).await });
        let reads = tokio::spawn(async move { phase(&w2, MINE, 32, s).await });
        let (mut l, le) = logins.await?;
        let (mut rd, re) = reads.await?;
        print(
            &format!("{kind}: 32 clients logging in nonstop"),
            &mut l,
            le,
        );
        print(
            &format!("{kind}: ... while 32 others read my reports"),
            &mut rd,
            re,
        );
        server.abort();
    }
    Ok(())
}
