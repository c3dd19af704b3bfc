//! `shortsci` against the real server: each test starts the app on a free port with a fresh
//! SQLite file, makes users and papers through the client library, then runs the binary with a
//! private HOME and checks its output and exit status.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod account;
mod reading;
mod writing;

use std::future::Future;
use std::path::Path;

use shortscience_client::types::{
    CreatePaperRequest, CreateSummaryRequest, PaperDetail, PaperRef, SummaryDetail, VenueInput,
    VenueKind,
};
use shortscience_client::Client;

use shortscience_server::testing::TestServer;

/// A server, a signed-up user with a token, and a private HOME for the binary.
pub struct Setup {
    /// Runs the async setup and checks; one runtime for the whole test, since the client's
    /// pooled connections belong to the runtime that opened them.
    runtime: tokio::runtime::Runtime,
    pub server: TestServer,
    pub token: String,
    pub client: Client,
    pub home: tempfile::TempDir,
}

impl Setup {
    pub fn new(username: &str) -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let server = TestServer::start();
        let token = runtime.block_on(server.token_for(username));
        let client = server.client().with_token(&token).expect("a client");
        Self {
            runtime,
            server,
            token,
            client,
            home: tempfile::tempdir().expect("a HOME"),
        }
    }

    /// Runs a client call (or any future) to completion.
    pub fn run<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// `shortsci` pointed at the server with the user's token, with no colour and a private
    /// HOME (so a developer's own config is never read or written).
    pub fn shortsci(&self) -> assert_cmd::Command {
        let mut command = self.bare();
        command.env("SHORTSCIENCE_TOKEN", &self.token);
        command
    }

    /// `shortsci` pointed at the server, without a token.
    pub fn bare(&self) -> assert_cmd::Command {
        shortsci(&self.server.address, self.home.path())
    }

    /// Adds a paper (arXiv 2003.10555, DOI 10.5555/engines.1843) as the user.
    pub fn paper(&self) -> PaperDetail {
        self.run(self.client.create_paper(&CreatePaperRequest {
            title: "Sketch of the Analytical Engine".to_owned(),
            authors: vec!["Luigi Menabrea".to_owned(), "Ada Lovelace".to_owned()],
            abstract_text: Some("Notes on a machine that weaves algebraic patterns.".to_owned()),
            year: Some(2020),
            venue: Some(VenueInput {
                name: "ICLR".to_owned(),
                kind: VenueKind::Conference,
            }),
            arxiv_id: Some("2003.10555".to_owned()),
            doi: Some("10.5555/engines.1843".to_owned()),
            keywords: vec!["engines".to_owned()],
            ..CreatePaperRequest::default()
        }))
        .expect("a paper")
    }

    /// A summary of `paper` by a new user, so that the setup's user can vote on it.
    pub fn summary_by_another(&self, paper: &PaperDetail, username: &str) -> SummaryDetail {
        let other = self.run(self.server.user(username));
        self.run(other.create_summary(
            &PaperRef::Id(paper.id),
            &CreateSummaryRequest {
                body_markdown: "The engine weaves *algebraic* patterns: $B_7$.".to_owned(),
                anonymous: false,
                visibility: Default::default(),
            },
        ))
        .expect("a summary")
    }
}

/// `shortsci` with HOME and XDG_CONFIG_HOME in `home`, the server from `api`, and no token.
pub fn shortsci(api: &str, home: &Path) -> assert_cmd::Command {
    let mut command = assert_cmd::Command::new(env!("CARGO_BIN_EXE_shortsci"));
    command
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("SHORTSCIENCE_API", api)
        .env_remove("SHORTSCIENCE_TOKEN")
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .timeout(std::time::Duration::from_secs(60));
    command
}

/// Standard output as JSON.
pub fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}
