use std::process::ExitCode;

use anyhow::Context as _;
use clap::Parser as _;
use shortscience_server::config::{Cli, Command, DatabaseUrl, MigrateAction};
use shortscience_server::db::{self, Db};
use shortscience_server::domain::digests::{self, Mailer};
use shortscience_server::domain::{accounts, seed};
use shortscience_server::startup::{self, Application, Settings};
use shortscience_server::{ops, telemetry};

#[actix_web::main]
async fn main() -> ExitCode {
    // A `.env` file in the working directory, if there is one, fills in unset variables.
    let dotenv = dotenvy::dotenv();
    let cli = Cli::parse();
    telemetry::init(&cli.global.log_filter, &cli.global.log_format);
    if let Err(err) = dotenv {
        if !err.not_found() {
            tracing::warn!("ignoring .env: {err}");
        }
    }
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // Printed once, plainly: this is what someone starting the server reads.
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Some(Command::Openapi) = cli.command {
        print!("{}", shortscience_server::http::openapi::openapi_json());
        return Ok(());
    }
    let database_url = DatabaseUrl::parse(&cli.global.database_url).map_err(anyhow::Error::msg)?;
    match cli
        .command
        .unwrap_or_else(|| Command::Serve(Box::default()))
    {
        Command::Serve(serve) => {
            tracing::info!(database = %database_url, "starting");
            let app = Application::build(Settings::new(database_url, (*serve).clone())).await?;
            tracing::info!(
                "listening on http://{}:{} (API docs at /api/docs/)",
                serve.bind,
                app.port()
            );
            app.run_until_stopped().await?;
            Ok(())
        }
        Command::Migrate { action } => {
            tokio::task::spawn_blocking(move || migrate(&database_url, action)).await?
        }
        Command::Openapi => Ok(()),
        Command::Backup { out } => {
            tokio::task::spawn_blocking(move || {
                let db = Db::connect(&database_url)?;
                let mut conn = db.get()?;
                if matches!(database_url, DatabaseUrl::Postgres(_)) {
                    println!("{}", ops::backup::PG_DUMP_RECIPE);
                    anyhow::bail!("nothing written: use pg_dump for PostgreSQL");
                }
                ops::backup::sqlite_backup(&mut conn, &out)?;
                println!("backup written to {}", out.display());
                Ok(())
            })
            .await?
        }
        Command::Export { out, with_secrets } => {
            tokio::task::spawn_blocking(move || {
                let db = Db::connect(&database_url)?;
                let mut conn = db.get()?;
                let counts = if out.as_os_str() == "-" {
                    ops::dump::export(&mut conn, with_secrets, &mut std::io::stdout().lock())?
                } else {
                    let file = std::fs::File::create_new(&out).with_context(|| {
                        format!("creating {} (it must not exist)", out.display())
                    })?;
                    ops::dump::export(&mut conn, with_secrets, &mut std::io::BufWriter::new(file))?
                };
                for (table, n) in counts {
                    eprintln!("{table:>18} {n}");
                }
                Ok(())
            })
            .await?
        }
        Command::Import { file } => {
            tokio::task::spawn_blocking(move || {
                let db = startup::prepare_database(&database_url, false)?;
                let mut conn = db.get()?;
                let imported = if file.as_os_str() == "-" {
                    ops::dump::import(&mut conn, &mut std::io::stdin().lock())?
                } else {
                    let input = std::fs::File::open(&file)
                        .with_context(|| format!("opening {}", file.display()))?;
                    ops::dump::import(&mut conn, &mut std::io::BufReader::new(input))?
                };
                for (table, n) in &imported.tables {
                    eprintln!("{table:>18} {n}");
                }
                println!("imported {} rows", imported.rows);
                Ok(())
            })
            .await?
        }
        Command::Copy { from, to } => {
            tokio::task::spawn_blocking(move || {
                let from = DatabaseUrl::parse(&from).map_err(anyhow::Error::msg)?;
                let to = DatabaseUrl::parse(&to).map_err(anyhow::Error::msg)?;
                let source = startup::prepare_database(&from, false)?;
                let target = startup::prepare_database(&to, false)?;
                let (mut from_conn, mut to_conn) = (source.get()?, target.get()?);
                let imported = ops::dump::copy(&mut from_conn, &mut to_conn)?;
                for (table, n) in &imported.tables {
                    eprintln!("{table:>18} {n}");
                }
                println!("copied {} rows from {from} to {to}", imported.rows);
                Ok(())
            })
            .await?
        }
        Command::SendDigests(args) => {
            let mailer = Mailer::from_config(&args.mail, args.public_url.as_deref())?.context(
                "e-mail is not configured: set SHORTSCIENCE_SMTP_URL (and SHORTSCIENCE_MAIL_FROM)",
            )?;
            let db =
                tokio::task::spawn_blocking(move || startup::prepare_database(&database_url, false))
                    .await??;
            let report = digests::send_due(&db, &mailer, db::models::now()).await?;
            println!(
                "e-mail digests: {} sent, {} sent by another process, {} failed",
                report.sent, report.taken, report.failed
            );
            anyhow::ensure!(
                report.failed == 0,
                "{} digest(s) could not be sent (see the log); they are tried again next time",
                report.failed
            );
            Ok(())
        }
        Command::CreateAdmin { username, email } => {
            let password = match std::env::var("SHORTSCIENCE_ADMIN_PASSWORD") {
                Ok(password) => password,
                Err(_) => {
                    eprintln!("Password for {username} (one line on standard input):");
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            tokio::task::spawn_blocking(move || {
                let db = startup::prepare_database(&database_url, false)?;
                let mut conn = db.get()?;
                let outcome =
                    accounts::create_admin(&mut conn, &username, email.as_deref(), &password)?;
                println!("{outcome}");
                Ok(())
            })
            .await?
        }
        Command::Generate {
            papers,
            summaries,
            votes,
            users,
            comments,
            seed,
            until,
        } => {
            tokio::task::spawn_blocking(move || {
                let db = startup::prepare_database(&database_url, false)?;
                let mut conn = db.get()?;
                let params = ops::generate::Params {
                    papers,
                    summaries,
                    votes,
                    users,
                    comments: comments.unwrap_or(summaries / 3),
                    seed,
                    until: until.unwrap_or_else(|| chrono::Utc::now().date_naive()),
                };
                let started = std::time::Instant::now();
                let done = ops::generate::generate(&mut conn, params, |stage| {
                    eprintln!("[{:6.1}s] {stage}", started.elapsed().as_secs_f64());
                })?;
                println!(
                    "generated {} users, {} papers, {} summaries ({} revisions), {} votes, {} comments in {:.1} s",
                    done.users,
                    done.papers,
                    done.summaries,
                    done.revisions,
                    done.votes,
                    done.comments,
                    done.seconds
                );
                Ok(())
            })
            .await?
        }
        Command::BenchRawVotes { count, seed } => {
            tokio::task::spawn_blocking(move || {
                let db = Db::connect(&database_url)?;
                let mut conn = db.get()?;
                let run = ops::bench::raw_votes(&mut conn, count, seed)?;
                println!(
                    "{}",
                    serde_json::json!({
                        "votes": run.votes,
                        "refused": run.refused,
                        "seconds": run.seconds,
                        "per_second": run.votes as f64 / run.seconds.max(1e-9),
                    })
                );
                Ok(())
            })
            .await?
        }
        Command::Seed => {
            tokio::task::spawn_blocking(move || {
                let db = startup::prepare_database(&database_url, false)?;
                let mut conn = db.get()?;
                let report = seed::seed_demo(&mut conn)?;
                println!("demo data: {} paper(s) added", report.papers_added);
                Ok(())
            })
            .await?
        }
    }
}

fn migrate(url: &DatabaseUrl, action: MigrateAction) -> anyhow::Result<()> {
    let db = Db::connect(url)?;
    let mut conn = db.get()?;
    match action {
        MigrateAction::Up => {
            let applied = db::run_migrations(&mut conn)?;
            if applied.is_empty() {
                println!("no pending migrations");
            }
            for version in applied {
                println!("applied {version}");
            }
        }
        MigrateAction::Down { all: false } => {
            println!("reverted {}", db::revert_last_migration(&mut conn)?);
        }
        MigrateAction::Down { all: true } => {
            for version in db::revert_all_migrations(&mut conn)? {
                println!("reverted {version}");
            }
        }
        MigrateAction::Redo => {
            println!("reverted {}", db::revert_last_migration(&mut conn)?);
            for version in db::run_migrations(&mut conn)? {
                println!("applied {version}");
            }
        }
        MigrateAction::Status => {
            for state in db::migration_status(&mut conn)? {
                let mark = if state.applied { "applied" } else { "pending" };
                println!("{mark:8} {}", state.version);
            }
        }
    }
    Ok(())
}
