//! Running a parsed command line: one module per group of commands, each fetching through the
//! client and printing through the [`Printer`].

mod account;
mod browse;
mod papers;
mod summaries;

use std::future::Future;
use std::time::Duration;

use clap::CommandFactory;
use shortscience_client::{Client, Error as ClientError, RetryPolicy};
use shortscience_types::{SummaryItem, UserRef};

use crate::cli::{Cli, Command};
use crate::config;
use crate::error::CliError;
use crate::output::time::ago;
use crate::output::{dim, paint, Printer};

/// Refused requests are retried as the client library allows, but a person is waiting: a
/// `Retry-After` beyond 10 seconds is reported ("try again in N s") rather than sat out.
const RETRY: RetryPolicy = RetryPolicy {
    max_attempts: 3,
    base_delay: Duration::from_millis(500),
    max_delay: Duration::from_secs(10),
};

/// What every command needs: the client, where it points, and how to print.
pub struct Context {
    pub client: Client,
    pub api: String,
    pub out: Printer,
}

impl Context {
    /// Awaits a client call, turning its failure into an API error that names the server.
    pub async fn call<T>(
        &self,
        request: impl Future<Output = Result<T, ClientError>>,
    ) -> Result<T, CliError> {
        request.await.map_err(|error| CliError::Api {
            error,
            api: self.api.clone(),
        })
    }
}

/// The client for a server and token. A server URL that cannot be used is the user's input,
/// so a usage error.
pub fn client(api: &str, token: Option<&str>) -> Result<Client, CliError> {
    let mut builder = Client::builder(api)
        .user_agent(concat!("shortsci/", env!("CARGO_PKG_VERSION")))
        .retry(RETRY);
    if let Some(token) = token {
        builder = builder.token(token);
    }
    builder.build().map_err(|e| CliError::Usage(e.to_string()))
}

/// Who wrote a summary, as its bylines name them: the username, or "anonymous".
fn author_name(author: Option<&UserRef>) -> &str {
    author.map(|a| a.username.as_str()).unwrap_or("anonymous")
}

/// "by ada · 3 days ago · 2 comments", dimmed: a summary's line in a list.
fn summary_byline(summary: &SummaryItem) -> String {
    paint(
        dim(),
        format!(
            "by {} · {} · {} comment{}",
            author_name(summary.author.as_ref()),
            ago(summary.created_at),
            summary.comment_count,
            if summary.comment_count == 1 { "" } else { "s" }
        ),
    )
}

/// Runs one command line.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let out = Printer::new(cli.global.json);
    match cli.command {
        Command::Completions { shell } => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "shortsci", &mut std::io::stdout());
            return Ok(());
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut page)
                .map_err(|e| CliError::Local(format!("cannot render the manual: {e}")))?;
            return out.line(String::from_utf8_lossy(&page).trim_end());
        }
        Command::Login(args) => return account::login(&cli.global, args, out).await,
        _ => {}
    }
    let resolved = config::resolve(&cli.global)?;
    let ctx = Context {
        client: client(&resolved.api, resolved.token.as_deref())?,
        api: resolved.api,
        out,
    };
    match cli.command {
        Command::Paper(command) => papers::run(&ctx, command).await,
        Command::Bibtex { reference } => papers::bibtex(&ctx, &reference).await,
        Command::Search(args) => browse::search(&ctx, args).await,
        Command::Feed(args) => browse::feed(&ctx, args).await,
        Command::Summary(command) => summaries::run(&ctx, command).await,
        Command::Vote { id, direction } => summaries::vote(&ctx, id, direction).await,
        Command::Comment {
            summary_id,
            file,
            reply_to,
        } => summaries::comment(&ctx, summary_id, &file, reply_to).await,
        Command::Me => account::me(&ctx).await,
        Command::Export => account::export(&ctx).await,
        Command::Login(_) | Command::Completions { .. } | Command::Man => Ok(()),
    }
}
