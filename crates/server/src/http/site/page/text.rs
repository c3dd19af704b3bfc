//! Small text pieces the pages share: URL segments, people's names, author lines, venue and year.

use shortscience_types::{AuthorRef, SummaryItem, UserRef, VenueRef};

pub(super) fn encode(segment: &str) -> String {
    percent_encoding::utf8_percent_encode(segment, percent_encoding::NON_ALPHANUMERIC).to_string()
}

pub(super) fn person_name(user: &UserRef) -> String {
    user.display_name
        .clone()
        .unwrap_or_else(|| user.username.clone())
}

/// The summary's author as shown in public: `None` when it is anonymous.
pub(super) fn public_author(summary: &SummaryItem) -> Option<&UserRef> {
    (!summary.anonymous)
        .then_some(summary.author.as_ref())
        .flatten()
}

/// The paper's authors' names, comma-separated.
pub(super) fn authors_line(authors: &[AuthorRef]) -> String {
    authors
        .iter()
        .map(|a| a.name.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn venue_year(venue: Option<&VenueRef>, year: Option<i32>) -> String {
    match (venue, year) {
        (Some(v), Some(y)) => format!("{} {y}", v.name),
        (Some(v), None) => v.name.clone(),
        (None, Some(y)) => y.to_string(),
        (None, None) => String::new(),
    }
}
