//! `shortsci`: the ShortScience command line. `main` parses the arguments (clap exits 2 on
//! usage errors), runs the command on a single-threaded runtime, and turns the outcome into the
//! exit status: 0 success, 1 the server refused or could not be reached, 2 bad usage.

mod cli;
mod commands;
mod config;
mod error;
mod input;
mod output;

use std::process::ExitCode;

use clap::Parser;

use crate::error::CliError;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let outcome = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Local(format!("cannot start: {e}")))
        .and_then(|runtime| runtime.block_on(commands::run(cli)));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            error.report();
            error.exit_code()
        }
    }
}
