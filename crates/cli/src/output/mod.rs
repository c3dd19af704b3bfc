//! Printing: the API's JSON with `--json`, else a readable view. Colour goes through
//! `anstream`, which drops it when standard output is not a terminal or `NO_COLOR` is set.

pub mod table;
pub mod text;
pub mod time;

use std::io::{IsTerminal, Write};

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use crate::error::CliError;

/// The widest text is wrapped to, even on wide terminals (long lines are hard to read).
const MAX_WIDTH: usize = 100;
/// The width when standard output is not a terminal.
const DEFAULT_WIDTH: usize = 80;

/// How a command prints.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    /// `--json`: print the API's JSON and nothing else.
    pub json: bool,
    /// Columns to wrap and fit tables to.
    pub width: usize,
}

impl Printer {
    pub fn new(json: bool) -> Self {
        let width = if std::io::stdout().is_terminal() {
            terminal_size::terminal_size()
                .map(|(w, _)| usize::from(w.0))
                .unwrap_or(DEFAULT_WIDTH)
                .clamp(40, MAX_WIDTH)
        } else {
            DEFAULT_WIDTH
        };
        Self { json, width }
    }

    /// Prints a value as pretty JSON.
    pub fn print_json<T: Serialize + ?Sized>(&self, value: &T) -> Result<(), CliError> {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| CliError::Local(format!("cannot encode JSON: {e}")))?;
        self.line(&text)
    }

    /// Prints text as is, followed by a line break.
    pub fn line(&self, text: &str) -> Result<(), CliError> {
        let mut out = anstream::stdout().lock();
        writeln!(out, "{text}").map_err(write_failed)
    }

    /// Prints lines as is.
    pub fn lines(&self, lines: &[String]) -> Result<(), CliError> {
        let mut out = anstream::stdout().lock();
        for line in lines {
            writeln!(out, "{line}").map_err(write_failed)?;
        }
        Ok(())
    }
}

/// A closed pipe (`shortsci … | head`) is not worth a message, but is still a failure.
fn write_failed(e: std::io::Error) -> CliError {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return CliError::ClosedOutput;
    }
    CliError::Local(format!("cannot write to standard output: {e}"))
}

/// `text` in `style`, for the readable views.
pub fn paint(style: Style, text: impl std::fmt::Display) -> String {
    format!("{style}{text}{style:#}")
}

/// Headings and titles.
pub fn bold() -> Style {
    Style::new().bold()
}

/// Secondary facts: dates, counts, hints.
pub fn dim() -> Style {
    Style::new().dimmed()
}

/// Ids and commands to type.
pub fn accent() -> Style {
    Style::new().fg_color(Some(AnsiColor::Cyan.into()))
}

/// Scores: green when positive, red when negative.
pub fn score(value: i32) -> String {
    let style = match value {
        v if v > 0 => Style::new().fg_color(Some(AnsiColor::Green.into())),
        v if v < 0 => Style::new().fg_color(Some(AnsiColor::Red.into())),
        _ => Style::new(),
    };
    paint(style, format!("{value:+}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_pipe_is_quiet_and_other_write_errors_are_reported() {
        let closed = write_failed(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert!(matches!(closed, CliError::ClosedOutput));
        let full = write_failed(std::io::Error::from(std::io::ErrorKind::StorageFull));
        assert!(
            matches!(full, CliError::Local(ref m) if m.contains("cannot write")),
            "{full}"
        );
    }
}
