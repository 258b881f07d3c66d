use std::io::{BufRead, IsTerminal};

use anyhow::Context;
use clap::{Parser, Subcommand};

use backend::config::Config;
use backend::db::models::{now, NewUser};
use backend::{auth, db, openapi, startup::Application, telemetry};

/// Wijkveilig server and administration commands.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run migrations, then serve the API and the web client (the default).
    Serve,
    /// Run pending database migrations and exit.
    Migrate,
    /// Create an admin account. The password is read from standard input
    /// (one line) when it is not a terminal, and prompted for otherwise.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Beheerder")]
        name: String,
        /// Generate a strong password and print it once, instead of reading one.
        #[arg(long)]
        generate_password: bool,
        /// Do nothing (successfully) when an admin already exists.
        #[arg(long)]
        if_no_admin: bool,
    },
    /// Print the OpenAPI description.
    Openapi,
    /// Fill an empty database with demo data (participants, reports, surveys,
    /// meetings) and its dashboard figures, with a progress bar.
    SeedDemo {
        #[arg(long, default_value_t = 2_000)]
        participants: usize,
        #[arg(long, default_value_t = 20_000)]
        reports: usize,
        #[arg(long, default_value_t = 12)]
        surveys: usize,
        /// Meetings per neighbourhood per month.
        #[arg(long, default_value_t = 1)]
        meetings_per_month: usize,
        /// How many months back the data goes.
        #[arg(long, default_value_t = 12)]
        months: i64,
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// Recompute the dashboard figures from the data (after a restore or an
    /// import); `--check` only compares and exits non-zero on a difference.
    RebuildMetrics {
        #[arg(long)]
        check: bool,
    },
    /// Apply the retention periods now (the server also does this daily).
    Purge {
        /// Print what would be removed, change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Openapi => {
            println!("{}", openapi::spec_json());
            Ok(())
        }
        Command::Serve => {
            let config = load_config()?;
            actix_web::rt::System::new().block_on(serve(config))
        }
        Command::Migrate => {
            let config = load_config()?;
            let mut conn = db::establish(config.database_url.expose(), config.database_kind)
                .context("cannot connect to the database")?;
            let applied = db::run_migrations(&mut conn)?;
            println!("{} migration(s) applied", applied.len());
            Ok(())
        }
        Command::SeedDemo {
            participants,
            reports,
            surveys,
            meetings_per_month,
            months,
            seed,
        } => {
            let config = load_config()?;
            let mut conn = db::establish(config.database_url.expose(), config.database_kind)
                .context("cannot connect to the database")?;
            db::run_migrations(&mut conn)?;
            let options = backend::metrics::seed::SeedOptions {
                participants,
                reports,
                surveys,
                meetings_per_month,
                months,
                seed,
            };
            let started = std::time::Instant::now();
            let counts = backend::metrics::seed::seed(&mut conn, &options, now())?;
            println!("{counts:#?}");
            println!("seeded in {:.1} s", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::RebuildMetrics { check } => {
            let config = load_config()?;
            let mut conn = db::establish(config.database_url.expose(), config.database_kind)
                .context("cannot connect to the database")?;
            db::run_migrations(&mut conn)?;
            let fresh = backend::metrics::recount::recount(&mut conn)?;
            if check {
                let stored = backend::metrics::recount::stored(&mut conn)?;
                let (a, b) = (stored.nonzero(), fresh.nonzero());
                let same = a == b;
                let keys: std::collections::BTreeSet<_> = a.keys().chain(b.keys()).collect();
                for k in keys.into_iter().filter(|k| a.get(*k) != b.get(*k)).take(20) {
                    println!("{k:?}: stored {:?}, recounted {:?}", a.get(k), b.get(k));
                }
                println!(
                    "{}",
                    if same {
                        "rollups match a full recount"
                    } else {
                        "rollups differ from a full recount"
                    }
                );
                anyhow::ensure!(same, "rollups differ");
            } else {
                let n = db::write_tx(&mut conn, |c| backend::metrics::recount::write(c, &fresh))?;
                println!("{n} rollup rows written");
            }
            Ok(())
        }
        Command::Purge { dry_run } => {
            let config = load_config()?;
            purge(&config, dry_run)
        }
        Command::CreateAdmin {
            email,
            name,
            generate_password,
            if_no_admin,
        } => {
            let config = load_config()?;
            create_admin(&config, &email, &name, generate_password, if_no_admin)
        }
    }
}

fn purge(config: &Config, dry_run: bool) -> anyhow::Result<()> {
    use backend::privacy::PurgeOutcome;
    let mut conn = db::establish(config.database_url.expose(), config.database_kind)
        .context("cannot connect to the database")?;
    db::run_migrations(&mut conn)?;
    let photos = backend::storage::DirStore::new(config.data_dir.join("photos"))?;
    let steps = 7;
    let mut step = 0;
    let mut progress = |what: &str, n: usize| {
        step += 1;
        let done = "#".repeat(step * 20 / steps);
        println!("[{done:<20}] {step}/{steps} {what}: {n}");
    };
    if dry_run {
        println!("Dry run: nothing is changed.");
    }
    match backend::privacy::purge(&mut conn, &photos, now(), dry_run, &mut progress)? {
        PurgeOutcome::Busy => println!("Another purge is running; try again later."),
        PurgeOutcome::Done { warn, .. } => {
            if !warn.is_empty() {
                let mailer = backend::mail::Mailer::new(config)?;
                let pool = db::build_pool(config)?;
                actix_web::rt::System::new().block_on(backend::privacy::send_warnings(
                    &mailer,
                    &pool,
                    &config.public_url,
                    warn,
                ))?;
            }
            println!("{}", if dry_run { "Nothing changed." } else { "Done." });
        }
    }
    Ok(())
}

fn load_config() -> anyhow::Result<Config> {
    let config = Config::from_env()?;
    telemetry::init(config.log_format);
    Ok(config)
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let bind = config.bind.clone();
    let kind = config.database_kind;
    let app = Application::build(config).await?;
    tracing::info!(database = ?kind, "Wijkveilig is running at http://{bind}/");
    app.run_until_stopped().await?;
    Ok(())
}

fn create_admin(
    config: &Config,
    email: &str,
    name: &str,
    generate: bool,
    if_no_admin: bool,
) -> anyhow::Result<()> {
    use shared::users::Role;
    use shared::validation::{validate_display_name, validate_email, validate_password};

    let mut conn = db::establish(config.database_url.expose(), config.database_kind)
        .context("cannot connect to the database")?;
    db::run_migrations(&mut conn)?;
    if if_no_admin && db::users::admin_exists(&mut conn)? {
        println!("An admin account already exists; nothing to do.");
        return Ok(());
    }
    let email =
        validate_email("email", email).map_err(|e| anyhow::anyhow!("--email: {}", e.message))?;
    let name = validate_display_name("name", name)
        .map_err(|e| anyhow::anyhow!("--name: {}", e.message))?;
    if db::users::email_taken(&mut conn, &email)? {
        anyhow::bail!("an account with {email} already exists");
    }
    let password = if generate {
        auth::random_token()[..20].to_owned()
    } else {
        read_password()?
    };
    validate_password("password", &password)
        .map_err(|e| anyhow::anyhow!("password: {}", e.message))?;
    let hash = auth::password::hash_password(&password)?;
    let at = now();
    db::users::insert(
        &mut conn,
        &NewUser {
            email: &email,
            password_hash: &hash,
            display_name: &name,
            role: Role::Admin.as_str(),
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
    if generate {
        println!("Admin account created. Log in with:\n  email:    {email}\n  password: {password}\n(shown once; change it under Profile)");
    } else {
        println!("Admin account {email} created.");
    }
    Ok(())
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Repeat password: ")?;
        anyhow::ensure!(first == second, "the passwords differ");
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}
