//! Turning metadata from arXiv, Crossref or a form into a paper record, and storing it.

use chrono::NaiveDate;
use diesel::QueryResult;
use shortscience_types::{PaperId, UserId, VenueKind};
use shortscience_upstream::{arxiv, crossref};

use crate::db::models::{self, keywords, papers, venues};
use crate::db::DbConn;

/// A venue to attach, created on first use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VenueInput {
    pub slug: String,
    pub name: String,
    pub kind: VenueKind,
}

impl VenueInput {
    pub fn new(name: &str, kind: VenueKind) -> Option<Self> {
        let name = shortscience_upstream::collapse_whitespace(name);
        let slug = slugify(&name);
        (!name.is_empty() && !slug.is_empty()).then_some(Self { slug, name, kind })
    }

    /// The row to create for it.
    pub fn new_venue(&self, at: chrono::NaiveDateTime) -> venues::NewVenue<'_> {
        venues::NewVenue {
            slug: &self.slug,
            name: &self.name,
            kind: self.kind,
            created_at: at,
        }
    }

    /// The arXiv e-print archive, for preprints without a journal.
    pub fn arxiv() -> Self {
        Self {
            slug: "arxiv".to_owned(),
            name: "arXiv".to_owned(),
            kind: VenueKind::Preprint,
        }
    }
}

/// Everything a paper is stored with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperRecord {
    pub title: String,
    pub abstract_text: Option<String>,
    pub year: Option<i32>,
    pub published_on: Option<NaiveDate>,
    pub venue: Option<VenueInput>,
    pub arxiv_id: Option<String>,
    pub doi: Option<String>,
    pub url: Option<String>,
    pub pdf_url: Option<String>,
    /// `arxiv`, `crossref`, `manual` or `demo`.
    pub source: &'static str,
    pub authors: Vec<String>,
    /// (name, kind): `arxiv` categories (primary first) or `free` keywords.
    pub keywords: Vec<(String, &'static str)>,
}

/// A URL-safe slug: lower-case ASCII letters and digits, dashes between words.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    slug.chars()
        .take(80)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

/// The journal of an arXiv `journal_ref` such as `Phys. Rev. D 59, 085001 (1999)`: the text
/// before the first digit, parenthesis or comma. Free text, so a best effort.
pub fn journal_from_ref(journal_ref: &str) -> Option<String> {
    let end = journal_ref
        .find(|c: char| c.is_ascii_digit() || c == '(' || c == ',' || c == ';')
        .unwrap_or(journal_ref.len());
    let name = journal_ref[..end]
        .trim()
        .trim_end_matches([':', '-', ';'])
        .trim();
    (name.chars().filter(|c| c.is_alphabetic()).count() >= 3).then(|| name.to_owned())
}

/// A paper from its arXiv record. The venue is the journal of `journal_ref` when there is one,
/// else arXiv; the year is that of the first version.
pub fn from_arxiv(entry: &arxiv::Entry) -> PaperRecord {
    let venue = entry
        .journal_ref
        .as_deref()
        .and_then(journal_from_ref)
        .and_then(|name| VenueInput::new(&name, VenueKind::Journal))
        .unwrap_or_else(VenueInput::arxiv);
    PaperRecord {
        title: entry.title.clone(),
        abstract_text: (!entry.summary.is_empty()).then(|| entry.summary.clone()),
        year: entry.published.map(|t| chrono::Datelike::year(&t)),
        published_on: entry.published_date(),
        venue: Some(venue),
        arxiv_id: Some(entry.id.as_str().to_owned()),
        doi: entry
            .doi
            .as_deref()
            .and_then(|d| shortscience_types::Doi::parse(d).ok())
            .map(|d| d.as_str().to_owned()),
        url: None,
        pdf_url: None,
        source: "arxiv",
        authors: entry.authors.iter().map(|a| a.name.clone()).collect(),
        keywords: entry
            .categories
            .iter()
            .map(|c| (c.clone(), "arxiv"))
            .collect(),
    }
}

/// A paper from its Crossref record; the venue is the container (journal, proceedings, series).
pub fn from_crossref(work: &crossref::Work) -> PaperRecord {
    let kind = match work.kind.as_str() {
        "journal-article" => VenueKind::Journal,
        "proceedings-article" => VenueKind::Conference,
        "posted-content" => VenueKind::Preprint,
        _ => VenueKind::Other,
    };
    PaperRecord {
        title: work.title.clone(),
        abstract_text: work.abstract_text.clone(),
        year: work.year,
        published_on: work.published,
        venue: work
            .container_title
            .as_deref()
            .and_then(|name| VenueInput::new(name, kind)),
        arxiv_id: None,
        doi: Some(work.doi.as_str().to_owned()),
        url: work.url.clone(),
        pdf_url: None,
        source: "crossref",
        authors: work.authors.clone(),
        keywords: work
            .subjects
            .iter()
            .take(10)
            .map(|s| (s.clone(), "free"))
            .collect(),
    }
}

/// Stores a paper with its venue, authors and keywords (call inside a transaction).
pub fn insert(
    conn: &mut DbConn,
    record: &PaperRecord,
    created_by: Option<UserId>,
) -> QueryResult<PaperId> {
    let now = models::now();
    let venue_id = match &record.venue {
        Some(v) => Some(venues::find_or_create(conn, &v.new_venue(now))?.id),
        None => None,
    };
    let id = papers::insert(
        conn,
        &papers::NewPaper {
            title: &record.title,
            abstract_text: record.abstract_text.as_deref(),
            year: record.year,
            published_on: record.published_on,
            venue_id,
            arxiv_id: record.arxiv_id.as_deref(),
            doi: record.doi.as_deref(),
            url: record.url.as_deref(),
            pdf_url: record.pdf_url.as_deref(),
            source: record.source,
            created_by,
            created_at: now,
            updated_at: now,
        },
    )?;
    let authors: Vec<&str> = record.authors.iter().map(String::as_str).collect();
    papers::set_authors(conn, id, &authors)?;
    let keywords: Vec<(&str, &str)> = record
        .keywords
        .iter()
        .map(|(n, k)| (n.as_str(), *k))
        .collect();
    keywords::set_keywords(conn, id, &keywords)?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_ascii_with_dashes() {
        assert_eq!(slugify("Organic Letters"), "organic-letters");
        assert_eq!(slugify("  Phys. Rev. D "), "phys-rev-d");
        assert_eq!(slugify("NeurIPS 2020!"), "neurips-2020");
        assert_eq!(slugify("Ærø"), "r");
        assert_eq!(slugify("…"), "");
    }

    #[test]
    fn journals_are_read_from_journal_refs() {
        assert_eq!(
            journal_from_ref("Phys. Rev. D 59, 085001 (1999)").as_deref(),
            Some("Phys. Rev. D")
        );
        assert_eq!(
            journal_from_ref("Nature 123 (2020) 1-10").as_deref(),
            Some("Nature")
        );
        assert_eq!(
            journal_from_ref("J. Math. Phys. 40:1234, 1999").as_deref(),
            Some("J. Math. Phys.")
        );
        assert_eq!(journal_from_ref("1999"), None);
    }
}
