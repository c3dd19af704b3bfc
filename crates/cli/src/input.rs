//! Reading what the user gives: paper references, import sources, and Markdown files (or
//! standard input). Every failure here is the user's input, so a usage error (exit 2).

use std::io::Read;
use std::path::Path;

use shortscience_types::{ArxivId, Doi, ImportPaperRequest, PaperRef};

use crate::error::CliError;

/// A paper reference as the API takes it (`42`, `arxiv:2003.10555`, `doi:10.…`), and for
/// convenience a bare arXiv id (`2003.10555v2`) or DOI (`10.1038/nature14539`, a doi.org URL).
pub fn parse_paper_ref(input: &str) -> Result<PaperRef, String> {
    if let Ok(reference) = PaperRef::parse(input) {
        return Ok(reference);
    }
    if let Ok(arxiv) = ArxivId::parse(input) {
        return Ok(PaperRef::Arxiv(arxiv));
    }
    if looks_like_doi(input) {
        return Doi::parse(input)
            .map(PaperRef::Doi)
            .map_err(|e| e.to_string());
    }
    Err(format!(
        "`{input}` is not a paper reference: give an id (42), arxiv:<id> (arxiv:2003.10555), \
         doi:<doi>, or a bare arXiv id or DOI"
    ))
}

/// Whether input names a DOI rather than an arXiv paper: it starts with `10.`, `doi:`, or is a
/// doi.org URL.
pub fn looks_like_doi(input: &str) -> bool {
    let lower = input.trim().to_ascii_lowercase();
    let without_scheme = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    lower.starts_with("10.")
        || lower.starts_with("doi:")
        || without_scheme.starts_with("doi.org/")
        || without_scheme.starts_with("dx.doi.org/")
}

/// The import request for an arXiv id or URL, or a DOI. DOIs are checked here; arXiv URLs
/// (`https://arxiv.org/abs/…`, `…/pdf/….pdf`) are left for the server, which knows their forms.
pub fn import_request(source: &str, dry_run: bool) -> Result<ImportPaperRequest, CliError> {
    let source = source.trim();
    if looks_like_doi(source) {
        let doi = Doi::parse(source).map_err(|e| CliError::Usage(e.to_string()))?;
        return Ok(ImportPaperRequest {
            doi: Some(doi.to_string()),
            arxiv: None,
            dry_run,
        });
    }
    let is_url = source.contains("://") || source.to_ascii_lowercase().starts_with("arxiv.org/");
    if !is_url {
        ArxivId::parse(source).map_err(|e| CliError::Usage(e.to_string()))?;
    }
    Ok(ImportPaperRequest {
        arxiv: Some(source.to_owned()),
        doi: None,
        dry_run,
    })
}

/// The text of `--file`: the file, or standard input for `-`. An empty text is refused here:
/// the server would refuse it too, after a round trip.
pub fn read_text(path: &Path) -> Result<String, CliError> {
    let text = if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::Usage(format!("cannot read standard input: {e}")))?;
        text
    } else {
        std::fs::read_to_string(path)
            .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))?
    };
    if text.trim().is_empty() {
        let name = if path == Path::new("-") {
            "standard input".to_owned()
        } else {
            path.display().to_string()
        };
        return Err(CliError::Usage(format!("{name} is empty: nothing to send")));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_refs_accept_api_forms_and_bare_ids() {
        for (input, want) in [
            ("42", "42"),
            ("arxiv:2003.10555v2", "arxiv:2003.10555"),
            ("2003.10555", "arxiv:2003.10555"),
            ("hep-th/9901001v1", "arxiv:hep-th/9901001"),
            ("doi:10.1038/Nature14539", "doi:10.1038/nature14539"),
            ("10.1038/nature14539", "doi:10.1038/nature14539"),
            (
                "https://doi.org/10.1038/nature14539",
                "doi:10.1038/nature14539",
            ),
        ] {
            assert_eq!(
                parse_paper_ref(input).map(|r| r.to_string()).as_deref(),
                Ok(want),
                "{input}"
            );
        }
        for bad in ["", "0", "nonsense", "10.", "arxiv:nope"] {
            assert!(parse_paper_ref(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn imports_pick_doi_or_arxiv_from_the_input() {
        let doi = import_request("https://doi.org/10.1038/NATURE14539", false).unwrap();
        assert_eq!(doi.doi.as_deref(), Some("10.1038/nature14539"));
        assert_eq!(doi.arxiv, None);
        let bare = import_request("10.1145/3292500.3330701", true).unwrap();
        assert!(bare.doi.is_some() && bare.dry_run);
        let arxiv = import_request("1706.03762v5", false).unwrap();
        assert_eq!(arxiv.arxiv.as_deref(), Some("1706.03762v5"));
        let url = import_request("https://arxiv.org/abs/1706.03762", false).unwrap();
        assert_eq!(
            url.arxiv.as_deref(),
            Some("https://arxiv.org/abs/1706.03762")
        );
        for bad in ["not-a-paper", "10.1038", "doi:nope"] {
            assert!(
                matches!(import_request(bad, false), Err(CliError::Usage(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn empty_and_missing_files_are_usage_errors() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.md");
        std::fs::write(&empty, "  \n").unwrap();
        assert!(matches!(read_text(&empty), Err(CliError::Usage(_))));
        assert!(matches!(
            read_text(&dir.path().join("missing.md")),
            Err(CliError::Usage(_))
        ));
        let full = dir.path().join("full.md");
        std::fs::write(&full, "Hello $x$").unwrap();
        assert_eq!(read_text(&full).unwrap(), "Hello $x$");
    }
}
