//! Typed configuration, read from the environment once at start and validated
//! there, so that a bad setting stops the server before it serves anything.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine;
use rand::RngCore;
use shared::validation::BoundingBox;

/// A secret value whose `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    Sqlite,
    Postgres,
}

/// One rate limit: at most `max` requests per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u32,
    pub window: Duration,
}

impl Limit {
    pub const fn per_minutes(max: u32, minutes: u64) -> Limit {
        Limit {
            max,
            window: Duration::from_secs(minutes * 60),
        }
    }
}

/// Limits on the endpoints that attackers hammer. Each applies per client
/// address and per account; `login_per_ip` counts failed logins only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    pub signup_per_ip: Limit,
    pub login_per_ip: Limit,
    pub login_per_account: Limit,
    pub refresh_per_ip: Limit,
    pub refresh_per_account: Limit,
    pub reset_per_ip: Limit,
    pub reset_per_account: Limit,
    pub verification_mail_per_account: Limit,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            signup_per_ip: Limit::per_minutes(20, 60),
            login_per_ip: Limit::per_minutes(50, 15),
            login_per_account: Limit::per_minutes(10, 15),
            refresh_per_ip: Limit::per_minutes(300, 15),
            refresh_per_account: Limit::per_minutes(60, 15),
            reset_per_ip: Limit::per_minutes(20, 60),
            reset_per_account: Limit::per_minutes(3, 60),
            verification_mail_per_account: Limit::per_minutes(5, 60),
        }
    }
}

impl RateLimits {
    /// Multiplies every maximum, for load tests from one address.
    pub fn scaled(mut self, factor: u32) -> Self {
        for limit in [
            &mut self.signup_per_ip,
            &mut self.login_per_ip,
            &mut self.login_per_account,
            &mut self.refresh_per_ip,
            &mut self.refresh_per_account,
            &mut self.reset_per_ip,
            &mut self.reset_per_account,
            &mut self.verification_mail_per_account,
        ] {
            limit.max = limit.max.saturating_mul(factor);
        }
        self
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub bind: String,
    pub data_dir: PathBuf,
    pub database_url: Secret,
    pub database_kind: DatabaseKind,
    pub db_pool_size: u32,
    /// The longest a request's statement may run (PostgreSQL), or wait for
    /// the write lock (SQLite), before it is given up and answered 503.
    pub db_statement_timeout: Duration,
    pub jwt_secret: Secret,
    pub environment: Environment,
    pub cors_origin: Option<String>,
    pub log_format: LogFormat,
    pub smtp_url: Option<Secret>,
    pub mail_from: String,
    pub static_dir: PathBuf,
    /// Where users reach the web client; used in links in emails.
    pub public_url: String,
    /// Email domains whose verified addresses make a verified student.
    pub student_domains: Vec<String>,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you run).
    pub trust_proxy: bool,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    pub rate_limits: RateLimits,
    /// Password hashes computed at once; the rest wait briefly or get 503.
    pub password_hash_concurrency: usize,
    /// API requests worked on at once; the rest wait in arrival order
    /// (see [`crate::gate`]).
    pub max_in_flight: usize,
    /// Report locations must fall inside this box.
    pub area: BoundingBox,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration error in {var}: {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

fn err(var: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        message: message.into(),
    }
}

/// API requests worked on at once by default: enough to keep the database
/// connections and the filing lane (or writer) busy, few enough that the
/// queues behind the gate stay short.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 64;

pub const JWT_ISSUER: &str = "wijkveilig";
pub const JWT_AUDIENCE: &str = "wijkveilig-api";
const MIN_SECRET_BYTES: usize = 32;

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
    }

    /// Reads settings through `get`, so tests can supply their own.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let environment = match get("WIJKVEILIG_ENV").as_deref() {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(other) => {
                return Err(err(
                    "WIJKVEILIG_ENV",
                    format!("`{other}` is neither `development` nor `production`"),
                ))
            }
        };
        let bind = get("WIJKVEILIG_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        if bind.parse::<std::net::SocketAddr>().is_err() {
            return Err(err(
                "WIJKVEILIG_BIND",
                format!("`{bind}` is not an address like 127.0.0.1:8080"),
            ));
        }
        let data_dir = PathBuf::from(get("WIJKVEILIG_DATA_DIR").unwrap_or_else(|| "./data".into()));
        std::fs::create_dir_all(&data_dir).map_err(|e| {
            err(
                "WIJKVEILIG_DATA_DIR",
                format!("cannot create {}: {e}", data_dir.display()),
            )
        })?;

        let database_url = get("DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("wijkveilig.db").display()));
        let database_kind = database_kind(&database_url)?;
        let db_pool_size = match get("WIJKVEILIG_DB_POOL_SIZE") {
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|n| (2..=200).contains(n))
                .ok_or_else(|| err("WIJKVEILIG_DB_POOL_SIZE", "must be a number from 2 to 200"))?,
            // At least 2: one request may need a second connection.
            None => match database_kind {
                DatabaseKind::Sqlite => 8,
                DatabaseKind::Postgres => 10,
            },
        };

        // Requests take milliseconds: a statement that runs this long is stuck
        // (a lock that a hung session holds, a runaway plan) and would keep its
        // connection, and soon the pool's others, from everyone else.
        let db_statement_timeout = match get("WIJKVEILIG_DB_STATEMENT_TIMEOUT_MS") {
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|n| (100..=600_000).contains(n))
                .map(Duration::from_millis)
                .ok_or_else(|| {
                    err(
                        "WIJKVEILIG_DB_STATEMENT_TIMEOUT_MS",
                        "must be a number of milliseconds from 100 to 600000",
                    )
                })?,
            None => Duration::from_secs(10),
        };

        let jwt_secret = jwt_secret(&get, environment, &data_dir)?;

        let cors_origin = get("WIJKVEILIG_CORS_ORIGIN");
        if let Some(origin) = &cors_origin {
            if !(origin.starts_with("http://") || origin.starts_with("https://"))
                || origin.ends_with('/')
            {
                return Err(err(
                    "WIJKVEILIG_CORS_ORIGIN",
                    "must be an origin like https://wijkveilig.groningen.nl (no trailing slash)",
                ));
            }
        }
        let log_format = match get("WIJKVEILIG_LOG_FORMAT").as_deref() {
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(err(
                    "WIJKVEILIG_LOG_FORMAT",
                    format!("`{other}` is neither `pretty` nor `json`"),
                ))
            }
        };
        let smtp_url = get("WIJKVEILIG_SMTP_URL").map(Secret::new);
        if let Some(url) = &smtp_url {
            if !(url.expose().starts_with("smtp://") || url.expose().starts_with("smtps://")) {
                return Err(err(
                    "WIJKVEILIG_SMTP_URL",
                    "must start with smtp:// or smtps://",
                ));
            }
        }
        let mail_from = get("WIJKVEILIG_MAIL_FROM")
            .unwrap_or_else(|| "Wijkveilig <no-reply@wijkveilig.local>".into());

        let static_dir =
            PathBuf::from(get("WIJKVEILIG_STATIC_DIR").unwrap_or_else(|| "./frontend/dist".into()));
        let public_url = get("WIJKVEILIG_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_owned();
        let student_domains = get("WIJKVEILIG_STUDENT_DOMAINS")
            .unwrap_or_else(|| "student.rug.nl,st.hanze.nl".into())
            .split(',')
            .map(|d| d.trim().to_lowercase())
            .filter(|d| !d.is_empty())
            .collect();
        let trust_proxy = matches!(get("WIJKVEILIG_TRUST_PROXY").as_deref(), Some("true" | "1"));
        let rate_limit_factor = match get("WIJKVEILIG_RATE_LIMIT_FACTOR") {
            Some(v) => v.parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                err(
                    "WIJKVEILIG_RATE_LIMIT_FACTOR",
                    "must be a whole number >= 1",
                )
            })?,
            None => 1,
        };
        let area = match get("WIJKVEILIG_AREA") {
            Some(v) => parse_area(&v).ok_or_else(|| {
                err(
                    "WIJKVEILIG_AREA",
                    "must be min_lat,min_lon,max_lat,max_lon in degrees",
                )
            })?,
            None => BoundingBox::GRONINGEN,
        };
        let max_in_flight = match get("WIJKVEILIG_MAX_IN_FLIGHT") {
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=100_000).contains(n))
                .ok_or_else(|| {
                    err(
                        "WIJKVEILIG_MAX_IN_FLIGHT",
                        "must be a number from 1 to 100000",
                    )
                })?,
            None => DEFAULT_MAX_IN_FLIGHT,
        };
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());

        Ok(Config {
            bind,
            data_dir,
            database_url: Secret::new(database_url),
            database_kind,
            db_pool_size,
            db_statement_timeout,
            jwt_secret,
            environment,
            cors_origin,
            log_format,
            smtp_url,
            mail_from,
            static_dir,
            public_url,
            student_domains,
            trust_proxy,
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(14 * 24 * 3600),
            rate_limits: RateLimits::default().scaled(rate_limit_factor),
            password_hash_concurrency: cores.saturating_sub(1).max(1),
            max_in_flight,
            area,
        })
    }

    pub fn is_production(&self) -> bool {
        self.environment == Environment::Production
    }
}

fn parse_area(v: &str) -> Option<BoundingBox> {
    let n: Vec<f64> = v
        .split(',')
        .map(|p| p.trim().parse().ok())
        .collect::<Option<_>>()?;
    let [min_lat, min_lon, max_lat, max_lon] = n[..] else {
        return None;
    };
    let valid = (-90.0..=90.0).contains(&min_lat)
        && (-90.0..=90.0).contains(&max_lat)
        && (-180.0..=180.0).contains(&min_lon)
        && (-180.0..=180.0).contains(&max_lon)
        && min_lat < max_lat
        && min_lon < max_lon;
    valid.then_some(BoundingBox {
        min_lat,
        min_lon,
        max_lat,
        max_lon,
    })
}

/// `sqlite://path`, `postgres://...`/`postgresql://...`, or the path of an existing file.
pub fn database_kind(url: &str) -> Result<DatabaseKind, ConfigError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(DatabaseKind::Postgres)
    } else if url.starts_with("sqlite://") || Path::new(url).is_file() {
        Ok(DatabaseKind::Sqlite)
    } else {
        Err(err(
            "DATABASE_URL",
            "use sqlite://PATH or postgres://USER@HOST/DB (a bare path must be an existing file)",
        ))
    }
}

fn jwt_secret(
    get: &impl Fn(&str) -> Option<String>,
    environment: Environment,
    data_dir: &Path,
) -> Result<Secret, ConfigError> {
    let (var, value) = if let Some(v) = get("WIJKVEILIG_JWT_SECRET") {
        ("WIJKVEILIG_JWT_SECRET", v)
    } else if let Some(path) = get("WIJKVEILIG_JWT_SECRET_FILE") {
        let v = std::fs::read_to_string(&path).map_err(|e| {
            err(
                "WIJKVEILIG_JWT_SECRET_FILE",
                format!("cannot read {path}: {e}"),
            )
        })?;
        ("WIJKVEILIG_JWT_SECRET_FILE", v.trim().to_owned())
    } else if environment == Environment::Production {
        return Err(err(
            "WIJKVEILIG_JWT_SECRET",
            "production mode needs a secret (or WIJKVEILIG_JWT_SECRET_FILE)",
        ));
    } else {
        return generated_secret(data_dir);
    };
    if value.len() < MIN_SECRET_BYTES {
        return Err(err(
            var,
            format!("must be at least {MIN_SECRET_BYTES} bytes"),
        ));
    }
    Ok(Secret::new(value))
}

/// Development only: a random secret kept in the data directory, so tokens
/// survive a restart without anyone choosing a weak one.
fn generated_secret(data_dir: &Path) -> Result<Secret, ConfigError> {
    const VAR: &str = "WIJKVEILIG_JWT_SECRET";
    let path = data_dir.join("jwt_secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim();
        if existing.len() >= MIN_SECRET_BYTES {
            return Ok(Secret::new(existing));
        }
    }
    let mut bytes = [0u8; 48];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    write_private(&path, &secret)
        .map_err(|e| err(VAR, format!("cannot write {}: {e}", path.display())))?;
    Ok(Secret::new(secret))
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let mut map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        map.entry("WIJKVEILIG_DATA_DIR".into())
            .or_insert_with(|| dir.path().display().to_string());
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_give_a_local_sqlite_setup_with_a_persisted_secret() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display().to_string();
        let a = config(&[("WIJKVEILIG_DATA_DIR", &d)]).unwrap();
        assert_eq!(a.bind, "127.0.0.1:8080");
        assert_eq!(a.database_kind, DatabaseKind::Sqlite);
        assert_eq!(a.max_in_flight, DEFAULT_MAX_IN_FLIGHT);
        let b = config(&[("WIJKVEILIG_DATA_DIR", &d)]).unwrap();
        assert_eq!(
            a.jwt_secret, b.jwt_secret,
            "secret must persist across starts"
        );
        assert_eq!(format!("{:?}", a.jwt_secret), "[redacted]");
    }

    #[test]
    fn production_refuses_to_start_without_a_secret() {
        let e = config(&[("WIJKVEILIG_ENV", "production")]).unwrap_err();
        assert_eq!(e.var, "WIJKVEILIG_JWT_SECRET");
        let short = config(&[
            ("WIJKVEILIG_ENV", "production"),
            ("WIJKVEILIG_JWT_SECRET", "short"),
        ]);
        assert!(short.is_err());
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (var, value) in [
            ("WIJKVEILIG_BIND", "localhost"),
            ("DATABASE_URL", "/no/such/file.db"),
            ("WIJKVEILIG_LOG_FORMAT", "xml"),
            ("WIJKVEILIG_ENV", "staging"),
            ("WIJKVEILIG_CORS_ORIGIN", "example.org"),
            ("WIJKVEILIG_SMTP_URL", "http://mail"),
            ("WIJKVEILIG_AREA", "53,6,52,7"),
            ("WIJKVEILIG_DB_STATEMENT_TIMEOUT_MS", "0"),
            ("WIJKVEILIG_DB_STATEMENT_TIMEOUT_MS", "10s"),
            ("WIJKVEILIG_MAX_IN_FLIGHT", "0"),
            ("WIJKVEILIG_MAX_IN_FLIGHT", "many"),
        ] {
            let e = config(&[(var, value)]).unwrap_err();
            assert_eq!(e.var, var);
        }
    }

    #[test]
    fn secret_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s");
        std::fs::write(&file, "x".repeat(40) + "\n").unwrap();
        let c = config(&[("WIJKVEILIG_JWT_SECRET_FILE", file.to_str().unwrap())]).unwrap();
        assert_eq!(c.jwt_secret.expose(), "x".repeat(40));
    }
}
