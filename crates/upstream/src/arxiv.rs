//! The arXiv API's Atom feeds (`GET /api/query?id_list=…`).
//!
//! Parsed namespace-aware and order-independent: older responses declare the `arxiv` and
//! `opensearch` namespaces on the elements that use them and order elements one way, newer ones
//! declare them on the root and order them another. Both parse the same.

use chrono::{DateTime, NaiveDate, Utc};
use roxmltree::{Document, Node};
use shortscience_types::ArxivId;

use crate::{collapse_whitespace, normalise_paragraphs, MalformedResponse};

pub const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
pub const ARXIV_NS: &str = "http://arxiv.org/schemas/atom";

/// One author, in the paper's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub name: String,
    pub affiliations: Vec<String>,
}

/// One paper of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: ArxivId,
    /// The version the feed describes (`v2` → 2).
    pub version: Option<u32>,
    pub title: String,
    /// The abstract, hard line breaks removed, paragraphs kept.
    pub summary: String,
    pub authors: Vec<Author>,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    pub doi: Option<String>,
    pub journal_ref: Option<String>,
    pub comment: Option<String>,
    /// The primary category first, then the others in feed order, without duplicates.
    pub categories: Vec<String>,
    pub abs_url: String,
    pub pdf_url: Option<String>,
}

impl Entry {
    pub fn published_date(&self) -> Option<NaiveDate> {
        self.published.map(|t| t.date_naive())
    }
}

/// What a feed says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Feed {
    Entries(Vec<Entry>),
    /// arXiv's error feed: one entry titled `Error` whose summary explains.
    Error(String),
}

fn malformed(reason: impl Into<String>) -> MalformedResponse {
    MalformedResponse {
        service: "arXiv",
        reason: reason.into(),
    }
}

fn is(node: &Node<'_, '_>, ns: &str, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(ns)
}

fn child<'a, 'i>(node: Node<'a, 'i>, ns: &str, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| is(c, ns, name))
}

fn children<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    ns: &'a str,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |c| is(c, ns, name))
}

/// All text inside an element (arXiv titles may contain nothing but text, but be lenient).
fn text(node: Node<'_, '_>) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

fn child_text(node: Node<'_, '_>, ns: &str, name: &str) -> Option<String> {
    child(node, ns, name)
        .map(|n| collapse_whitespace(&text(n)))
        .filter(|t| !t.is_empty())
}

fn timestamp(node: Node<'_, '_>, name: &str) -> Option<DateTime<Utc>> {
    child_text(node, ATOM_NS, name)
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// An entry's `<link>`.
struct Link<'a> {
    rel: Option<&'a str>,
    kind: Option<&'a str>,
    title: Option<&'a str>,
    href: &'a str,
}

/// Parses a feed body (of a 200 or of arXiv's 400 error feed).
pub fn parse_feed(xml: &str) -> Result<Feed, MalformedResponse> {
    let doc = Document::parse(xml).map_err(|e| malformed(format!("not XML: {e}")))?;
    let feed = doc.root_element();
    if !is(&feed, ATOM_NS, "feed") {
        return Err(malformed("the root element is not an Atom feed"));
    }
    let mut entries = Vec::new();
    for entry in children(feed, ATOM_NS, "entry") {
        let id_url = child_text(entry, ATOM_NS, "id").unwrap_or_default();
        let title = child_text(entry, ATOM_NS, "title").unwrap_or_default();
        if title == "Error" && id_url.contains("/api/errors") {
            let message = child_text(entry, ATOM_NS, "summary")
                .unwrap_or_else(|| "arXiv reported an error".to_owned());
            return Ok(Feed::Error(message));
        }
        entries.push(parse_entry(entry, &id_url, title)?);
    }
    Ok(Feed::Entries(entries))
}

fn parse_entry(
    entry: Node<'_, '_>,
    id_url: &str,
    title: String,
) -> Result<Entry, MalformedResponse> {
    // http://arxiv.org/abs/2003.10555v2 or http://arxiv.org/abs/hep-th/9901001v1
    let raw_id = id_url
        .split_once("/abs/")
        .map(|(_, id)| id)
        .ok_or_else(|| malformed(format!("entry id `{id_url}` is not an arXiv abstract URL")))?;
    let id = ArxivId::parse(raw_id).map_err(|e| malformed(e.0))?;
    let version = raw_id
        .rsplit_once('v')
        .and_then(|(_, v)| v.parse::<u32>().ok());
    if title.is_empty() {
        return Err(malformed(format!("entry {id} has no title")));
    }
    let summary = child(entry, ATOM_NS, "summary")
        .map(|n| normalise_paragraphs(&text(n)))
        .unwrap_or_default();
    let authors = children(entry, ATOM_NS, "author")
        .filter_map(|author| {
            let name = child_text(author, ATOM_NS, "name")?;
            let affiliations = children(author, ARXIV_NS, "affiliation")
                .map(|a| collapse_whitespace(&text(a)))
                .filter(|a| !a.is_empty())
                .collect();
            Some(Author { name, affiliations })
        })
        .collect();

    let mut categories: Vec<String> = Vec::new();
    if let Some(primary) =
        child(entry, ARXIV_NS, "primary_category").and_then(|n| n.attribute("term"))
    {
        categories.push(primary.trim().to_owned());
    }
    for category in children(entry, ATOM_NS, "category") {
        if let Some(term) = category.attribute("term").map(str::trim) {
            if !term.is_empty() && !categories.iter().any(|c| c == term) {
                categories.push(term.to_owned());
            }
        }
    }

    let links: Vec<Link<'_>> = children(entry, ATOM_NS, "link")
        .filter_map(|l| {
            Some(Link {
                rel: l.attribute("rel"),
                kind: l.attribute("type"),
                title: l.attribute("title"),
                href: l.attribute("href")?,
            })
        })
        .collect();
    let abs_url = links
        .iter()
        .find(|l| l.rel == Some("alternate") || l.kind == Some("text/html"))
        .map(|l| l.href.to_owned())
        .unwrap_or_else(|| format!("https://arxiv.org/abs/{id}"));
    let pdf_url = links
        .iter()
        .find(|l| l.title == Some("pdf") || l.kind == Some("application/pdf"))
        .map(|l| l.href.to_owned());

    Ok(Entry {
        version,
        title,
        summary,
        authors,
        published: timestamp(entry, "published"),
        updated: timestamp(entry, "updated"),
        doi: child_text(entry, ARXIV_NS, "doi"),
        journal_ref: child_text(entry, ARXIV_NS, "journal_ref"),
        comment: child_text(entry, ARXIV_NS, "comment"),
        categories,
        abs_url,
        pdf_url,
        id,
    })
}

/// An arXiv identifier from what people paste: a bare id (any version), `arXiv:…`, or an
/// `arxiv.org/abs/…` or `arxiv.org/pdf/….pdf` URL.
pub fn id_from_input(input: &str) -> Result<ArxivId, shortscience_types::RefError> {
    let s = input.trim();
    let lower = s.to_ascii_lowercase();
    let path = ["https://", "http://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme).map(|_| &s[scheme.len()..]))
        .map(|rest| rest.strip_prefix("www.").unwrap_or(rest))
        .and_then(|rest| {
            let host_len = rest.find('/')?;
            let host = &rest[..host_len];
            host.eq_ignore_ascii_case("arxiv.org")
                .then(|| &rest[host_len + 1..])
        });
    let candidate = match path {
        Some(path) => {
            let path = path.split(['?', '#']).next().unwrap_or_default();
            let path = ["abs/", "pdf/", "html/"]
                .iter()
                .find_map(|p| path.strip_prefix(p))
                .ok_or_else(|| {
                    shortscience_types::RefError(format!(
                        "`{input}` is not an arXiv abstract or PDF link"
                    ))
                })?;
            path.trim_end_matches('/').trim_end_matches(".pdf")
        }
        None => s,
    };
    ArxivId::parse(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEW_LAYOUT: &str = r#"<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/x</id>
  <title>arXiv Query</title>
  <opensearch:totalResults>1</opensearch:totalResults>
  <entry>
    <id>http://arxiv.org/abs/2003.10555v1</id>
    <title>ELECTRA: Pre-training Text Encoders as Discriminators Rather Than
  Generators</title>
    <updated>2020-03-23T17:59:33Z</updated>
    <link href="https://arxiv.org/abs/2003.10555v1" rel="alternate" type="text/html"/>
    <link href="https://arxiv.org/pdf/2003.10555v1" rel="related" type="application/pdf" title="pdf"/>
    <summary>Masked language modeling (MLM) pre-training methods such as BERT
corrupt the input.

A second paragraph &amp; more.</summary>
    <category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.AI" scheme="http://arxiv.org/schemas/atom"/>
    <published>2020-03-23T17:59:33Z</published>
    <arxiv:comment>ICLR 2020</arxiv:comment>
    <arxiv:primary_category term="cs.CL"/>
    <author><name>Kevin Clark</name><arxiv:affiliation>Stanford</arxiv:affiliation></author>
    <author><name>Minh-Thang Luong</name></author>
    <author><name>Łukasz  Kaiser</name></author>
  </entry>
</feed>"#;

    /// Older layout: namespaces declared where used, other element order, a DOI and journal ref.
    const OLD_LAYOUT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <entry>
    <author><name>A. Author</name></author>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="hep-th" scheme="http://arxiv.org/schemas/atom"/>
    <category term="hep-th" scheme="http://arxiv.org/schemas/atom"/>
    <category term="gr-qc" scheme="http://arxiv.org/schemas/atom"/>
    <arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">10.1000/Example.1</arxiv:doi>
    <arxiv:journal_ref xmlns:arxiv="http://arxiv.org/schemas/atom">Phys. Rev. D 1 (1999)</arxiv:journal_ref>
    <summary>  An old abstract. </summary>
    <title>An Old Paper</title>
    <published>1999-01-04T00:00:00Z</published>
    <id>http://arxiv.org/abs/hep-th/9901001v3</id>
  </entry>
</feed>"#;

    #[test]
    fn the_new_layout_parses_with_authors_in_order_and_primary_category_first() {
        let Ok(Feed::Entries(entries)) = parse_feed(NEW_LAYOUT) else {
            panic!("not entries")
        };
        let e = &entries[0];
        assert_eq!(e.id.as_str(), "2003.10555");
        assert_eq!(e.version, Some(1));
        assert_eq!(
            e.title,
            "ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators"
        );
        assert_eq!(e.summary, "Masked language modeling (MLM) pre-training methods such as BERT corrupt the input.\n\nA second paragraph & more.");
        let names: Vec<_> = e.authors.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Kevin Clark", "Minh-Thang Luong", "Łukasz Kaiser"]);
        assert_eq!(e.authors[0].affiliations, ["Stanford"]);
        assert_eq!(e.categories, ["cs.CL", "cs.AI"]);
        assert_eq!(e.comment.as_deref(), Some("ICLR 2020"));
        assert_eq!(
            e.pdf_url.as_deref(),
            Some("https://arxiv.org/pdf/2003.10555v1")
        );
        assert_eq!(
            e.published_date().map(|d| d.to_string()).as_deref(),
            Some("2020-03-23")
        );
    }

    #[test]
    fn the_old_layout_parses_the_same_fields() {
        let Ok(Feed::Entries(entries)) = parse_feed(OLD_LAYOUT) else {
            panic!("not entries")
        };
        let e = &entries[0];
        assert_eq!(e.id.as_str(), "hep-th/9901001");
        assert_eq!(e.version, Some(3));
        assert_eq!(e.doi.as_deref(), Some("10.1000/Example.1"));
        assert_eq!(e.journal_ref.as_deref(), Some("Phys. Rev. D 1 (1999)"));
        assert_eq!(e.categories, ["hep-th", "gr-qc"]);
        assert_eq!(e.summary, "An old abstract.");
        assert_eq!(e.abs_url, "https://arxiv.org/abs/hep-th/9901001");
    }

    #[test]
    fn error_and_empty_feeds_are_told_apart() {
        let error = r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>https://arxiv.org/api/errors#incorrect_id_format_for_x</id><title>Error</title><summary>incorrect id format for x</summary></entry></feed>"#;
        assert_eq!(
            parse_feed(error),
            Ok(Feed::Error("incorrect id format for x".to_owned()))
        );
        let empty = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>nothing</title></feed>"#;
        assert_eq!(parse_feed(empty), Ok(Feed::Entries(vec![])));
    }

    #[test]
    fn malformed_bodies_are_errors_not_panics() {
        for body in [
            "",
            "not xml",
            "<feed>",
            "<rss/>",
            r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>nope</id><title>T</title></entry></feed>"#,
            r#"<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><feed xmlns="http://www.w3.org/2005/Atom">&e;</feed>"#,
        ] {
            assert!(parse_feed(body).is_err(), "{body}");
        }
    }

    /// The real responses in ../shared/fixtures/upstream (captured by another project), when present.
    #[test]
    fn every_captured_real_response_parses() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/fixtures/upstream/arxiv");
        let Ok(files) = std::fs::read_dir(&dir) else {
            eprintln!("skipped: {} is not present", dir.display());
            return;
        };
        let mut seen = 0;
        for file in files.flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            let body = std::fs::read_to_string(file.path()).unwrap_or_default();
            let parsed = parse_feed(&body).unwrap_or_else(|e| panic!("{name}: {e}"));
            seen += 1;
            match (name.as_str(), parsed) {
                ("abc-error.xml", Feed::Error(message)) => {
                    assert!(message.contains("abc"), "{message}")
                }
                (n, Feed::Entries(entries)) if n.contains("empty") => {
                    assert!(entries.is_empty(), "{n}")
                }
                (n, Feed::Entries(entries)) => {
                    assert_eq!(entries.len(), 1, "{n}");
                    let e = &entries[0];
                    assert!(
                        !e.title.is_empty() && !e.summary.is_empty() && !e.authors.is_empty(),
                        "{n}"
                    );
                    assert!(!e.categories.is_empty(), "{n}");
                    assert!(
                        !e.title.contains('\n') && !e.summary.contains("\n "),
                        "{n}: {:?}",
                        e.title
                    );
                    let expected = n.trim_end_matches(".xml").replace('_', "/");
                    let expected = expected.split("-older").next().unwrap_or_default();
                    assert_eq!(ArxivId::parse(expected).ok().as_ref(), Some(&e.id), "{n}");
                }
                (n, other) => panic!("{n}: unexpected {other:?}"),
            }
        }
        assert!(seen >= 8, "only {seen} fixtures");
    }

    #[test]
    fn ids_are_taken_from_urls_and_prefixed_forms() {
        for (input, want) in [
            ("2003.10555", "2003.10555"),
            ("arXiv:2003.10555v2", "2003.10555"),
            ("https://arxiv.org/abs/2003.10555", "2003.10555"),
            (
                "https://arxiv.org/abs/2003.10555v3?context=cs",
                "2003.10555",
            ),
            ("http://www.arxiv.org/pdf/2003.10555v1.pdf", "2003.10555"),
            ("https://arxiv.org/pdf/2003.10555", "2003.10555"),
            ("https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001"),
            ("hep-th/9901001v2", "hep-th/9901001"),
        ] {
            assert_eq!(
                id_from_input(input)
                    .map(|i| i.as_str().to_owned())
                    .ok()
                    .as_deref(),
                Some(want),
                "{input}"
            );
        }
        for bad in [
            "https://example.org/abs/2003.10555",
            "https://arxiv.org/list/cs.CL",
            "https://arxiv.org.evil.com/abs/2003.10555",
            "nope",
        ] {
            assert!(id_from_input(bad).is_err(), "{bad}");
        }
    }
}
