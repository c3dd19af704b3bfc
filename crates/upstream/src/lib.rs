//! Parsers for the services papers are imported from. Pure functions from response bodies to
//! typed records: no I/O here, so they are tested against real captured responses.

pub mod arxiv;
pub mod crossref;

/// A response that is not what the service documents.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed {service} response: {reason}")]
pub struct MalformedResponse {
    pub service: &'static str,
    pub reason: String,
}

/// Collapses runs of whitespace (including the hard line breaks arXiv puts in titles) into one
/// space and trims.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Collapses whitespace inside paragraphs but keeps blank-line paragraph breaks.
pub fn normalise_paragraphs(text: &str) -> String {
    let mut paragraphs = Vec::new();
    let mut current = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(collapse_whitespace(&current.join(" ")));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(collapse_whitespace(&current.join(" ")));
    }
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_collapsed_and_paragraphs_kept() {
        assert_eq!(
            collapse_whitespace("  Quantum  Criticality\n  for\tNodes "),
            "Quantum Criticality for Nodes"
        );
        assert_eq!(
            normalise_paragraphs("  One\nline.\n\n\n Two\n  lines. \n"),
            "One line.\n\nTwo lines."
        );
    }
}
