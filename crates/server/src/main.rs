use std::process::ExitCode;

use clap::Parser as _;
use shortscience_server::config::{Cli, Command, DatabaseUrl, MigrateAction};
use shortscience_server::db::{self, Db};
use shortscience_server::domain::{accounts, seed};
use shortscience_server::startup::{self, Application, Settings};
use shortscience_server::telemetry;

#[actix_web::main]
async fn main() -> ExitCode {
    // A `.env` file in the working directory, if there is one, fills in unset variables.
    let dotenv = dotenvy::dotenv();
    let cli = Cli::parse();
    telemetry::init(&cli.global.log_filter);
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
