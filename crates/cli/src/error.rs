//! Failures of a command, their exit codes, and how they are told on standard error.

use std::io::Write;
use std::process::ExitCode;

use anstyle::{AnsiColor, Style};
use shortscience_client::types::ErrorCode;
use shortscience_client::Error as ClientError;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad input the command checked itself (exit 2, like clap's usage errors).
    #[error("{0}")]
    Usage(String),
    /// The server refused, or could not be reached (exit 1).
    #[error("{error}")]
    Api {
        error: ClientError,
        /// The server asked, for messages about reaching it.
        api: String,
    },
    /// Something on this machine failed: the config file, the terminal (exit 1).
    #[error("{0}")]
    Local(String),
    /// Standard output was closed (`shortsci … | head`): nothing to say, but not a success
    /// either (exit 1, no message).
    #[error("standard output closed")]
    ClosedOutput,
}

impl CliError {
    /// 2 for usage errors, 1 for everything else.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Self::Usage(_) => ExitCode::from(2),
            Self::Api { .. } | Self::Local(_) | Self::ClosedOutput => ExitCode::from(1),
        }
    }

    /// Writes the error to standard error: the problem's title and detail, the invalid fields,
    /// the code and status, the request id to quote, and a hint where there is one.
    pub fn report(&self) {
        let mut err = anstream::stderr().lock();
        let red = Style::new().bold().fg_color(Some(AnsiColor::Red.into()));
        let dim = Style::new().dimmed();
        let _ = match self {
            Self::Usage(message) => writeln!(
                err,
                "{red}error:{red:#} {message}\n\nFor more information, try '--help'."
            ),
            Self::Local(message) => writeln!(err, "{red}error:{red:#} {message}"),
            Self::ClosedOutput => Ok(()),
            Self::Api { error, api } => {
                let mut lines = describe(error, api);
                let first = lines.remove(0);
                let _ = writeln!(err, "{red}error:{red:#} {first}");
                for line in lines {
                    let _ = writeln!(err, "  {dim}{line}{dim:#}");
                }
                Ok(())
            }
        };
    }
}

/// The lines telling a client error: first the message, then details.
fn describe(error: &ClientError, api: &str) -> Vec<String> {
    let mut lines = Vec::new();
    match error {
        ClientError::Api(refusal) => {
            let problem = &refusal.problem;
            lines.push(match &problem.detail {
                Some(detail) => format!("{}: {detail}", problem.title),
                None => problem.title.clone(),
            });
            for field in &problem.errors {
                lines.push(format!(
                    "{} ({}): {}",
                    field.field, field.location, field.message
                ));
            }
            lines.push(format!("{} {}", refusal.status.as_u16(), problem.code));
            if let Some(id) = &problem.request_id {
                lines.push(format!("request id: {id}"));
            }
            if let Some(hint) = hint(error) {
                lines.push(hint);
            }
        }
        ClientError::Network(_) => {
            lines.push(error.to_string());
            lines.push(format!(
                "is a ShortScience server running at {api}? Choose another with --api or SHORTSCIENCE_API"
            ));
        }
        _ => {
            lines.push(error.to_string());
            if let Some(wait) = error.retry_after() {
                lines.push(format!("try again in {} s", wait.as_secs()));
            }
        }
    }
    lines
}

/// What to do about some refusals.
fn hint(error: &ClientError) -> Option<String> {
    let problem = error.problem()?;
    match problem.code {
        ErrorCode::Unauthenticated | ErrorCode::InvalidToken => Some(
            "sign in with `shortsci login`, or set SHORTSCIENCE_TOKEN (or --token) to a personal API token"
                .to_owned(),
        ),
        ErrorCode::SummaryExists => problem.summary_id.map(|id| {
            format!("you already summarised this paper: change it with `shortsci summary edit {id} --file FILE`")
        }),
        ErrorCode::PaperExists => problem
            .paper_id
            .map(|id| format!("see it with `shortsci paper get {id}`")),
        ErrorCode::RateLimited | ErrorCode::ServiceUnavailable | ErrorCode::StorageUnavailable => {
            error
                .retry_after()
                .map(|wait| format!("try again in {} s", wait.as_secs()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use shortscience_client::types::Problem;
    use shortscience_client::{ApiError, StatusCode};

    use super::*;

    #[test]
    fn problems_are_told_with_fields_code_request_id_and_hint() {
        let error = ClientError::Api(Box::new(ApiError {
            status: StatusCode::CONFLICT,
            problem: Problem {
                type_uri: "https://shortscience.org/problems/summary_exists".into(),
                title: "Summary exists".into(),
                status: 409,
                detail: Some("you already summarised this paper".into()),
                code: ErrorCode::SummaryExists,
                instance: None,
                errors: Vec::new(),
                summary_id: Some(shortscience_client::types::SummaryId(12)),
                paper_id: None,
                flag_id: None,
                claim_id: None,
                request_id: Some("abc".into()),
            },
            retry_after: None,
        }));
        let lines = describe(&error, "http://localhost:8080");
        assert_eq!(
            lines[0],
            "Summary exists: you already summarised this paper"
        );
        assert_eq!(lines[1], "409 summary_exists");
        assert_eq!(lines[2], "request id: abc");
        assert!(lines[3].contains("shortsci summary edit 12"));
    }

    #[test]
    fn exit_codes_tell_usage_from_failure() {
        assert_eq!(CliError::Usage("x".into()).exit_code(), ExitCode::from(2));
        assert_eq!(CliError::Local("x".into()).exit_code(), ExitCode::from(1));
        assert_eq!(CliError::ClosedOutput.exit_code(), ExitCode::from(1));
    }
}
