//! The command line: every command, flag and argument (clap derive). Arguments are parsed into
//! the API's own types here, so malformed input is a usage error (exit 2) before anything is
//! sent.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use shortscience_types::{CommentId, FeedSort, PaperRef, PaperSort, Period, SearchKind, SummaryId};

use crate::input::parse_paper_ref;

/// Where the API is when neither `--api`, `SHORTSCIENCE_API` nor `shortsci login` says.
pub const DEFAULT_API: &str = "http://localhost:8080";

/// Read papers, summaries and the feed, and write summaries, votes and comments, on a
/// ShortScience server.
#[derive(Debug, Parser)]
#[command(name = "shortsci", version, propagate_version = true)]
#[command(
    after_help = "Sign in once with `shortsci login`, or set SHORTSCIENCE_TOKEN to a personal \
API token. Exit status: 0 success, 1 the server refused or could not be reached, 2 bad usage."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The server [default: the one `shortsci login` used, else http://localhost:8080]
    #[arg(long, global = true, env = "SHORTSCIENCE_API", value_name = "URL")]
    pub api: Option<String>,
    /// A personal API token (`ss_…`) [default: the one `shortsci login` stored]
    #[arg(
        long,
        global = true,
        env = "SHORTSCIENCE_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub token: Option<String>,
    /// Print the API's JSON instead of a readable view
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show, list and import papers
    #[command(subcommand)]
    Paper(PaperCommand),
    /// Search papers and summaries
    Search(SearchArgs),
    /// The site's feed of summaries
    Feed(FeedArgs),
    /// Read, write, edit and delete summaries
    #[command(subcommand)]
    Summary(SummaryCommand),
    /// Vote on a summary
    Vote {
        /// The summary's id
        id: SummaryId,
        /// up, down, or clear to withdraw your vote
        direction: VoteDirection,
    },
    /// Comment on a summary, or reply to a comment
    Comment {
        /// The summary's id
        summary_id: SummaryId,
        /// The comment in Markdown (`-` reads standard input)
        #[arg(long, short, value_name = "FILE")]
        file: PathBuf,
        /// Answer this comment instead of starting a thread
        #[arg(long, value_name = "COMMENT_ID")]
        reply_to: Option<CommentId>,
    },
    /// Print a paper's BibTeX entry
    Bibtex {
        /// An id, arxiv:<id>, doi:<doi>, or a bare arXiv id or DOI
        #[arg(value_parser = parse_paper_ref, value_name = "REF")]
        reference: PaperRef,
    },
    /// Show the account you are signed in as
    Me,
    /// Print everything the server keeps about you, as JSON
    Export,
    /// Sign in, create a personal API token and store it for later commands
    Login(LoginArgs),
    /// Print a shell completion script (e.g. `shortsci completions bash > ~/.local/share/bash-completion/completions/shortsci`)
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the manual page (e.g. `shortsci man | man -l -`)
    Man,
}

#[derive(Debug, Subcommand)]
pub enum PaperCommand {
    /// Show a paper and its summaries
    Get {
        /// An id, arxiv:<id>, doi:<doi>, or a bare arXiv id or DOI
        #[arg(value_parser = parse_paper_ref, value_name = "REF")]
        reference: PaperRef,
    },
    /// Add a paper from arXiv or Crossref (already there: shows the stored one)
    Import {
        /// An arXiv id or URL, or a DOI (10.… or a doi.org URL)
        #[arg(value_name = "ID_OR_URL_OR_DOI")]
        source: String,
        /// Only show what would be stored
        #[arg(long)]
        dry_run: bool,
    },
    /// List papers
    List(PaperListArgs),
}

#[derive(Debug, Args)]
pub struct PaperListArgs {
    /// Only papers at this venue (its slug, e.g. iclr)
    #[arg(long)]
    pub venue: Option<String>,
    /// Only papers from this year
    #[arg(long, value_parser = clap::value_parser!(i32).range(1000..=9999))]
    pub year: Option<i32>,
    /// Only papers with this keyword or arXiv category (e.g. cs.lg)
    #[arg(long)]
    pub keyword: Option<String>,
    /// Only papers by this author (their numeric id)
    #[arg(long, value_name = "AUTHOR_ID")]
    pub author: Option<shortscience_types::AuthorId>,
    /// Order
    #[arg(long, value_enum, default_value_t = PaperSortArg::New)]
    pub sort: PaperSortArg,
    #[command(flatten)]
    pub page: PageArgs,
}

/// Where a list starts and how long it is.
#[derive(Debug, Args)]
pub struct PageArgs {
    /// How many to show (1-100)
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(i64).range(1..=100))]
    pub limit: i64,
    /// Continue a list where a previous one stopped (its "next" cursor)
    #[arg(long)]
    pub cursor: Option<String>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words, "quoted phrases", -excluded, this OR that; or an arXiv id or DOI
    pub query: String,
    /// What to search
    #[arg(long, value_enum, default_value_t = SearchKindArg::All)]
    pub kind: SearchKindArg,
    /// Only papers at this venue (its slug)
    #[arg(long)]
    pub venue: Option<String>,
    /// Only papers of this year (2020) or range (2018-2021)
    #[arg(long)]
    pub year: Option<String>,
    /// Only papers with an author whose name contains this
    #[arg(long)]
    pub author: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
}

#[derive(Debug, Args)]
pub struct FeedArgs {
    /// Order
    #[arg(long, value_enum, default_value_t = FeedSortArg::Hot)]
    pub sort: FeedSortArg,
    /// Only summaries written within the last day, week, month or year
    #[arg(long, value_enum, default_value_t = PeriodArg::All)]
    pub period: PeriodArg,
    #[command(flatten)]
    pub page: PageArgs,
}

#[derive(Debug, Subcommand)]
pub enum SummaryCommand {
    /// Show a summary
    Get {
        /// The summary's id
        id: SummaryId,
    },
    /// Write your summary of a paper
    Write {
        /// The paper: an id, arxiv:<id>, doi:<doi>, or a bare arXiv id or DOI
        #[arg(value_parser = parse_paper_ref, value_name = "REF")]
        reference: PaperRef,
        /// The summary in Markdown with $math$ (`-` reads standard input)
        #[arg(long, short, value_name = "FILE")]
        file: PathBuf,
        /// Hide your name from everyone but you and moderators
        #[arg(long)]
        anonymous: bool,
        /// Only you, and whoever you give the share link, can read it
        #[arg(long)]
        private: bool,
    },
    /// Replace the text of your summary (the old text is kept as a revision)
    Edit {
        /// The summary's id
        id: SummaryId,
        /// The new text in Markdown (`-` reads standard input)
        #[arg(long, short, value_name = "FILE")]
        file: PathBuf,
    },
    /// Delete your summary
    Delete {
        /// The summary's id
        id: SummaryId,
    },
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Your username or email (asked when not given)
    #[arg(long, short)]
    pub username: Option<String>,
    /// The token's name, shown in your list of tokens [default: shortsci on <hostname>]
    #[arg(long)]
    pub token_name: Option<String>,
    /// Let the token expire after this many days (default: never)
    #[arg(long, value_parser = clap::value_parser!(i64).range(1..=3650))]
    pub expires_in_days: Option<i64>,
}

/// `vote` directions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VoteDirection {
    Up,
    Down,
    Clear,
}

impl VoteDirection {
    /// The API's vote value.
    pub fn value(self) -> i32 {
        match self {
            Self::Up => 1,
            Self::Down => -1,
            Self::Clear => 0,
        }
    }
}

/// `paper list --sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PaperSortArg {
    /// Newest added first
    New,
    /// Newest summary first
    Recent,
    /// Most summaries first
    Summaries,
    /// Best summary score first
    Top,
}

impl From<PaperSortArg> for PaperSort {
    fn from(value: PaperSortArg) -> Self {
        match value {
            PaperSortArg::New => Self::New,
            PaperSortArg::Recent => Self::Recent,
            PaperSortArg::Summaries => Self::Summaries,
            PaperSortArg::Top => Self::Top,
        }
    }
}

/// `feed --sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FeedSortArg {
    /// Score and age
    Hot,
    /// Newest first
    New,
    /// Net score
    Top,
}

impl From<FeedSortArg> for FeedSort {
    fn from(value: FeedSortArg) -> Self {
        match value {
            FeedSortArg::Hot => Self::Hot,
            FeedSortArg::New => Self::New,
            FeedSortArg::Top => Self::Top,
        }
    }
}

/// `feed --period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeriodArg {
    Day,
    Week,
    Month,
    Year,
    All,
}

impl From<PeriodArg> for Period {
    fn from(value: PeriodArg) -> Self {
        match value {
            PeriodArg::Day => Self::Day,
            PeriodArg::Week => Self::Week,
            PeriodArg::Month => Self::Month,
            PeriodArg::Year => Self::Year,
            PeriodArg::All => Self::All,
        }
    }
}

/// `search --kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchKindArg {
    /// Papers and summaries
    All,
    Papers,
    Summaries,
}

impl From<SearchKindArg> for SearchKind {
    fn from(value: SearchKindArg) -> Self {
        match value {
            SearchKindArg::All => Self::All,
            SearchKindArg::Papers => Self::Papers,
            SearchKindArg::Summaries => Self::Summaries,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_go_anywhere() {
        let cli = Cli::try_parse_from(["shortsci", "paper", "get", "arxiv:2003.10555", "--json"])
            .unwrap();
        assert!(cli.global.json);
        assert!(matches!(
            cli.command,
            Command::Paper(PaperCommand::Get {
                reference: PaperRef::Arxiv(_)
            })
        ));
    }

    #[test]
    fn bad_ids_and_directions_are_usage_errors() {
        for args in [
            &["shortsci", "summary", "get", "0"][..],
            &["shortsci", "vote", "3", "sideways"],
            &["shortsci", "paper", "get", "nonsense"],
            &["shortsci", "feed", "--limit", "500"],
        ] {
            let error = Cli::try_parse_from(args).unwrap_err();
            assert_eq!(error.exit_code(), 2, "{args:?}");
        }
    }
}
