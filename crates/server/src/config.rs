//! Command line and environment configuration, parsed and validated once at start-up.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// The default database when no `DATABASE_URL` is given: an SQLite file created on first run.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/shortscience.db";

/// ShortScience: short summaries of research papers, ranked and discussed by their readers.
#[derive(Debug, Parser)]
#[command(name = "shortscience", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Database to use: `sqlite://<path>` (created on first run) or `postgres://user:pass@host/db`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true, hide_env_values = true)]
    pub database_url: String,
    /// Log filter in `tracing` EnvFilter syntax, e.g. `info` or `shortscience_server=debug`.
    #[arg(long = "log", env = "RUST_LOG", default_value = "info", global = true)]
    pub log_filter: String,
    /// Log lines as `text` (for people) or `json` (one object a line, for log collectors).
    #[arg(long, env = "SHORTSCIENCE_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"], global = true)]
    pub log_format: String,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run migrations, then serve the API and the web app.
    Serve(Box<ServeArgs>),
    /// Apply or revert database migrations.
    Migrate {
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Load the demo data set (idempotent: papers already present are left alone).
    Seed,
    /// Print the OpenAPI document (what api-spec/openapi.json must contain).
    Openapi,
    /// Write a consistent copy of the SQLite database while the site serves (PostgreSQL: prints
    /// the pg_dump recipe).
    Backup {
        /// The new file.
        #[arg(long)]
        out: PathBuf,
    },
    /// Write the whole site as JSON lines (portable between SQLite and PostgreSQL).
    Export {
        /// The file to write (`-` for standard output).
        #[arg(long)]
        out: PathBuf,
        /// Include password hashes and API tokens (hashed). Keep such a file secret.
        #[arg(long)]
        with_secrets: bool,
    },
    /// Load an export into an empty database (migrations are applied first).
    Import {
        /// The export to read (`-` for standard input).
        file: PathBuf,
    },
    /// Move a whole site from one database to another, e.g.
    /// `--from sqlite://data/shortscience.db --to postgres://…` (the target must be empty).
    Copy {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// Fill a new, empty database with a realistic, deterministic data set for benchmarks
    /// (migrations are applied first). 100k papers, 300k summaries, 1M votes and 20k users take
    /// about two minutes on SQLite.
    Generate {
        #[arg(long, default_value_t = 1000)]
        papers: usize,
        #[arg(long, default_value_t = 3000)]
        summaries: usize,
        #[arg(long, default_value_t = 10000)]
        votes: usize,
        #[arg(long, default_value_t = 200)]
        users: usize,
        /// Comments (default: a third of the summaries).
        #[arg(long)]
        comments: Option<usize>,
        /// The same seed gives the same data set.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The day history ends (00:00 UTC), YYYY-MM-DD; the five years before it are filled.
        /// Default: today, so that the newest summaries are at most a day old and `top` for a
        /// day, a week or a month has something to rank. The same seed and day give the same
        /// data set.
        #[arg(long)]
        until: Option<chrono::NaiveDate>,
    },
    /// The benchmark's yardstick: cast votes in a single-writer loop on one connection, with the
    /// API's own vote transaction but no HTTP (use a copy of the database: it writes). Prints
    /// JSON.
    #[command(hide = true)]
    BenchRawVotes {
        #[arg(long, default_value_t = 20000)]
        count: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Send the e-mail digests that are due, once, then exit (for cron; `serve` also sends them
    /// every `--digest-interval` seconds when SMTP is configured). Safe to run beside servers
    /// and other runs on the same database: each digest is claimed by one process.
    SendDigests(Box<SendDigestsArgs>),
    /// Create an admin account, or make an existing account an admin. The password is read from
    /// SHORTSCIENCE_ADMIN_PASSWORD or, if unset, from the first line of standard input.
    CreateAdmin {
        #[arg(long)]
        username: String,
        /// Required when the account does not exist yet.
        #[arg(long)]
        email: Option<String>,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum MigrateAction {
    /// Apply every pending migration.
    Up,
    /// Revert the newest applied migration (`--all` reverts every one).
    Down {
        #[arg(long)]
        all: bool,
    },
    /// Revert the newest migration and apply it again.
    Redo,
    /// List applied and pending migrations.
    Status,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on. Use 0.0.0.0 to accept connections from other machines.
    #[arg(long, env = "SHORTSCIENCE_BIND", default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "SHORTSCIENCE_PORT", default_value_t = 8080)]
    pub port: u16,
    /// Directory with the built web app (Trunk's output). The API works without it.
    #[arg(long, env = "SHORTSCIENCE_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,
    /// Load the demo data set before serving.
    #[arg(long, env = "SHORTSCIENCE_DEMO")]
    pub demo: bool,
    /// HTTP worker threads (default: one per CPU core).
    #[arg(long, env = "SHORTSCIENCE_WORKERS")]
    pub workers: Option<usize>,
    /// The arXiv API's query endpoint (the only arXiv URL ever contacted).
    #[arg(long, env = "SHORTSCIENCE_ARXIV_API_URL", default_value = crate::domain::upstream::DEFAULT_ARXIV_API_URL)]
    pub arxiv_api_url: url::Url,
    /// Crossref's REST API base (the only Crossref URL ever contacted).
    #[arg(long, env = "SHORTSCIENCE_CROSSREF_API_URL", default_value = crate::domain::upstream::DEFAULT_CROSSREF_API_URL)]
    pub crossref_api_url: url::Url,
    /// A contact email for the User-Agent sent upstream (Crossref's polite pool asks for one).
    #[arg(long, env = "SHORTSCIENCE_CONTACT_EMAIL")]
    pub contact_email: Option<String>,
    /// Accounts one address may create in a burst (then one every 6 minutes). Raise it for a
    /// classroom or workshop behind one NAT address, or for end-to-end tests.
    #[arg(long, env = "SHORTSCIENCE_REGISTRATIONS_PER_ADDRESS", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub registrations_per_address: u32,
    /// Secret for signing access tokens (at least 32 characters). When unset, a random one is
    /// generated on first run and kept in the database, so restarts keep sessions.
    #[arg(long, env = "SHORTSCIENCE_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed
    /// (comma-separated addresses or networks, e.g. `127.0.0.1,10.0.0.0/8`). Behind them, rate
    /// limits key on the real client and HSTS is sent for HTTPS requests; from anyone else these
    /// headers are ignored.
    #[arg(long, env = "SHORTSCIENCE_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_network)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Serve a read-only database: reads work, every write answers 503 `storage_unavailable`
    /// (maintenance windows, replicas, read-only media). Nothing is migrated or written.
    #[arg(long, env = "SHORTSCIENCE_READ_ONLY")]
    pub read_only: bool,
    /// Seconds requests in flight and open keep-alive connections get to finish after SIGTERM
    /// (new connections are refused at once; answers say `Connection: close`).
    #[arg(long, env = "SHORTSCIENCE_SHUTDOWN_GRACE", default_value_t = 30)]
    pub shutdown_grace: u64,
    /// Serve Prometheus metrics at `http://<this address>/metrics` (e.g. `127.0.0.1:9100`).
    /// Off when unset; keep it off the public interface.
    #[arg(long, env = "SHORTSCIENCE_METRICS_BIND")]
    pub metrics_bind: Option<std::net::SocketAddr>,
    /// The site's public address (e.g. `https://shortscience.example`), used in canonical links,
    /// feeds, the sitemap and oEmbed. Unset, each request's `Host` is used, which suits a
    /// development machine but lets any client choose the host named in a page: set it in
    /// production.
    #[arg(long, env = "SHORTSCIENCE_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<String>,
    /// Milliseconds a process reuses what it sent signed-out readers of public pages and lists
    /// (`0` turns the cache off). Also the bound on how long a write made through another
    /// process can stay unseen by them (docs/performance.md, "Anonymous read caching").
    #[arg(long, env = "SHORTSCIENCE_READ_CACHE_MS", default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(0..=60_000))]
    pub read_cache_ms: u64,
    /// `off` switches every rate limit off (benchmarks and load tests only).
    #[arg(long, env = "SHORTSCIENCE_RATE_LIMITS", default_value = "on", value_parser = ["on", "off"])]
    pub rate_limits: String,
    #[command(flatten)]
    pub mail: MailArgs,
    /// Seconds between passes that send the e-mail digests that are due (only with
    /// `--smtp-url`).
    #[arg(long, env = "SHORTSCIENCE_DIGEST_INTERVAL", default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..))]
    pub digest_interval: u64,
}

/// E-mail: off unless an SMTP server is given.
#[derive(Debug, Clone, Default, Args)]
pub struct MailArgs {
    /// The SMTP server for e-mail digests, as `smtps://user:password@host:465` (TLS),
    /// `smtp://user:password@host:587?tls=required` (STARTTLS) or `smtp://host:25` (plain,
    /// local relays only). Unset, no e-mail is ever sent. The password is never shown or logged.
    #[arg(long, env = "SHORTSCIENCE_SMTP_URL", value_parser = SmtpUrl::parse, hide_env_values = true)]
    pub smtp_url: Option<SmtpUrl>,
    /// The sender of e-mail digests, e.g. `ShortScience <digests@shortscience.example>`
    /// (required with `--smtp-url`).
    #[arg(long, env = "SHORTSCIENCE_MAIL_FROM")]
    pub mail_from: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct SendDigestsArgs {
    #[command(flatten)]
    pub mail: MailArgs,
    /// The site's public address, for the links in the e-mails (required).
    #[arg(long, env = "SHORTSCIENCE_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<String>,
}

/// An `smtp://` or `smtps://` URL, which may hold a password: shown and logged only with the
/// password replaced by `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl(String);

impl SmtpUrl {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let url =
            url::Url::parse(raw).map_err(|e| format!("`{}` is not a URL: {e}", redact(raw)))?;
        if !matches!(url.scheme(), "smtp" | "smtps") || url.host_str().is_none_or(str::is_empty) {
            return Err(format!(
                "`{}` must be an smtp:// or smtps:// URL with a host",
                redact(raw)
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The URL with its password, for the SMTP client only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

impl fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SmtpUrl({})", redact(&self.0))
    }
}

/// An absolute http(s) URL without query or fragment, kept without its trailing slash.
fn parse_public_url(raw: &str) -> Result<String, String> {
    let url = url::Url::parse(raw.trim()).map_err(|e| format!("`{raw}` is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!("`{raw}` must be an http or https URL with a host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("`{raw}` must not have a query or a fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// An address or a network (`10.0.0.1` or `10.0.0.0/8`).
fn parse_network(raw: &str) -> Result<ipnet::IpNet, String> {
    let raw = raw.trim();
    raw.parse::<ipnet::IpNet>()
        .or_else(|_| raw.parse::<IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("`{raw}` is not an IP address or network"))
}

impl Default for ServeArgs {
    fn default() -> Self {
        Self {
            bind: IpAddr::from([127, 0, 0, 1]),
            port: 8080,
            static_dir: PathBuf::from("dist"),
            demo: false,
            workers: None,
            arxiv_api_url: url::Url::parse(crate::domain::upstream::DEFAULT_ARXIV_API_URL)
                .unwrap_or_else(|_| unreachable_url()),
            crossref_api_url: url::Url::parse(crate::domain::upstream::DEFAULT_CROSSREF_API_URL)
                .unwrap_or_else(|_| unreachable_url()),
            contact_email: None,
            registrations_per_address: 10,
            jwt_secret: None,
            trusted_proxies: Vec::new(),
            read_only: false,
            shutdown_grace: 30,
            metrics_bind: None,
            public_url: None,
            rate_limits: "on".to_owned(),
            read_cache_ms: 2_000,
            mail: MailArgs::default(),
            digest_interval: 600,
        }
    }
}

fn unreachable_url() -> url::Url {
    // The defaults above are constant, valid URLs.
    url::Url::parse("http://127.0.0.1/").unwrap_or_else(|_| std::process::abort())
}

/// A parsed `DATABASE_URL`. The backend is chosen explicitly by the URL's scheme.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://<path>` or `sqlite:<path>`: a file, created (with its directory) if missing.
    Sqlite(PathBuf),
    /// `postgres://…` or `postgresql://…`, passed to libpq as is.
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            if path.is_empty() || path == ":memory:" || path.starts_with("file:") {
                return Err(format!(
                    "DATABASE_URL `{url}`: give SQLite a file path, e.g. sqlite://data/shortscience.db"
                ));
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        Err(format!(
            "DATABASE_URL must start with sqlite:// or postgres:// (got `{}`)",
            redact(url)
        ))
    }

    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }
}

/// Shows a database URL without its password, for logs and error messages.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            Self::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Replaces the password of a `scheme://user:password@host` URL with `***`.
fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            // set_password only fails for URLs that cannot have one, which this one has.
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(parsed) => parsed.to_string(),
        Err(_) => "<unparseable URL>".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_choose_the_backend_by_scheme() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/x.db"),
            Ok(DatabaseUrl::Sqlite(PathBuf::from("data/x.db")))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/x.db"),
            Ok(DatabaseUrl::Sqlite(PathBuf::from("/tmp/x.db")))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:x.db"),
            Ok(DatabaseUrl::Sqlite(PathBuf::from("x.db")))
        );
        assert!(matches!(
            DatabaseUrl::parse("postgresql://u:p@localhost/db"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        for bad in ["", "mysql://x", "sqlite://", "sqlite::memory:", "data/x.db"] {
            assert!(DatabaseUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_registration_burst_is_configurable_and_bounded() {
        use clap::Parser;
        let parse = |args: &[&str]| {
            Cli::try_parse_from(["shortscience", "serve"].iter().chain(args)).map(|cli| {
                match cli.command {
                    Some(Command::Serve(serve)) => serve.registrations_per_address,
                    _ => 0,
                }
            })
        };
        assert_eq!(parse(&[]).ok(), Some(10));
        assert_eq!(
            parse(&["--registrations-per-address", "200"]).ok(),
            Some(200)
        );
        assert!(parse(&["--registrations-per-address", "0"]).is_err());
        let serve = ServeArgs {
            registrations_per_address: 42,
            ..ServeArgs::default()
        };
        let url = DatabaseUrl::parse("sqlite://x.db");
        let settings = url.map(|url| crate::startup::Settings::new(url, serve));
        assert_eq!(
            settings.map(|s| s.rate_limits.register.burst).ok(),
            Some(42)
        );
    }

    #[test]
    fn smtp_urls_are_checked_and_never_show_their_password() {
        use clap::Parser;
        let url = SmtpUrl::parse("smtps://me:s3cret@mail.example:465");
        assert_eq!(
            url.as_ref().map(|u| u.expose()),
            Ok("smtps://me:s3cret@mail.example:465")
        );
        let url = url.unwrap_or_else(|_| SmtpUrl(String::new()));
        assert_eq!(url.to_string(), "smtps://me:***@mail.example:465");
        assert!(!format!("{url:?}").contains("s3cret"));
        for bad in [
            "http://me:s3cret@mail.example",
            "smtp://",
            "mail.example:25",
        ] {
            let err = SmtpUrl::parse(bad).err().unwrap_or_default();
            assert!(!err.is_empty(), "{bad}");
            assert!(!err.contains("s3cret"), "{err}");
        }
        let cli = Cli::try_parse_from([
            "shortscience",
            "serve",
            "--smtp-url",
            "smtp://me:s3cret@127.0.0.1:2525",
            "--mail-from",
            "digests@example.org",
        ]);
        let debug = format!("{cli:?}");
        assert!(debug.contains("smtp://me:***@127.0.0.1:2525"), "{debug}");
        assert!(!debug.contains("s3cret"), "{debug}");
        // Off unless configured.
        let cli = Cli::try_parse_from(["shortscience", "serve"]);
        assert!(matches!(
            cli.map(|c| c.command),
            Ok(Some(Command::Serve(serve))) if serve.mail.smtp_url.is_none()
        ));
    }

    #[test]
    fn database_urls_never_show_their_password() {
        let url =
            DatabaseUrl::parse("postgres://me:s3cret@db.example:5432/ss").map(|u| u.to_string());
        assert_eq!(url.as_deref(), Ok("postgres://me:***@db.example:5432/ss"));
        let err = DatabaseUrl::parse("mongodb://me:s3cret@host/x")
            .err()
            .unwrap_or_default();
        assert!(!err.contains("s3cret"), "{err}");
    }
}
