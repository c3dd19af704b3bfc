//! Crossref's REST API: `GET /works/{doi}` → `{"status": "ok", "message": {…}}`.
//!
//! Every field Crossref documents as optional is treated as such: authors without given names
//! (or with only an organisation `name`), titles as arrays, missing dates and containers.

use chrono::NaiveDate;
use serde::Deserialize;
use shortscience_types::Doi;

use crate::{collapse_whitespace, MalformedResponse};

/// A work's metadata, reduced to what a paper record needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Work {
    pub doi: Doi,
    pub title: String,
    /// In the work's order; "Given Family", or the single name Crossref has.
    pub authors: Vec<String>,
    /// Journal, proceedings or book series.
    pub container_title: Option<String>,
    pub year: Option<i32>,
    pub published: Option<NaiveDate>,
    /// Crossref's type: `journal-article`, `proceedings-article`, `book`, `posted-content`, …
    pub kind: String,
    pub publisher: Option<String>,
    pub volume: Option<String>,
    pub page: Option<String>,
    pub url: Option<String>,
    pub subjects: Vec<String>,
    /// The abstract as plain text (Crossref sends JATS XML).
    pub abstract_text: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Envelope {
    status: String,
    message: Option<Message>,
}

#[derive(Debug, Deserialize)]
struct Message {
    #[serde(rename = "DOI")]
    doi: String,
    #[serde(default)]
    title: Vec<String>,
    #[serde(default)]
    subtitle: Vec<String>,
    #[serde(default)]
    author: Vec<Person>,
    #[serde(default)]
    editor: Vec<Person>,
    #[serde(rename = "container-title", default)]
    container_title: Vec<String>,
    issued: Option<DateParts>,
    #[serde(rename = "published-print")]
    published_print: Option<DateParts>,
    #[serde(rename = "published-online")]
    published_online: Option<DateParts>,
    #[serde(rename = "type", default)]
    kind: String,
    publisher: Option<String>,
    volume: Option<String>,
    page: Option<String>,
    #[serde(rename = "URL")]
    url: Option<String>,
    #[serde(default)]
    subject: Vec<String>,
    #[serde(rename = "abstract")]
    abstract_jats: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Person {
    given: Option<String>,
    family: Option<String>,
    name: Option<String>,
}

impl Person {
    fn display(&self) -> Option<String> {
        let parts: Vec<&str> = [self.given.as_deref(), self.family.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let name = if parts.is_empty() {
            self.name.clone().unwrap_or_default()
        } else {
            parts.join(" ")
        };
        let name = collapse_whitespace(&name);
        (!name.is_empty()).then_some(name)
    }
}

#[derive(Debug, Deserialize)]
struct DateParts {
    #[serde(rename = "date-parts", default)]
    date_parts: Vec<Vec<Option<i64>>>,
}

impl DateParts {
    /// (year, month, day) as far as known.
    fn parts(&self) -> (Option<i32>, Option<u32>, Option<u32>) {
        let first = self.date_parts.first();
        let get = |i: usize| first.and_then(|p| p.get(i).copied().flatten());
        (
            get(0).and_then(|y| i32::try_from(y).ok()),
            get(1).and_then(|m| u32::try_from(m).ok()),
            get(2).and_then(|d| u32::try_from(d).ok()),
        )
    }
}

fn malformed(reason: impl Into<String>) -> MalformedResponse {
    MalformedResponse {
        service: "Crossref",
        reason: reason.into(),
    }
}

/// Parses a `/works/{doi}` body.
pub fn parse_work(body: &[u8]) -> Result<Work, MalformedResponse> {
    let envelope: Envelope = serde_json::from_slice(body)
        .map_err(|e| malformed(format!("not the documented JSON: {e}")))?;
    if envelope.status != "ok" {
        return Err(malformed(format!("status `{}`", envelope.status)));
    }
    let m = envelope.message.ok_or_else(|| malformed("no message"))?;
    let doi = Doi::parse(&m.doi).map_err(|e| malformed(e.0))?;
    let mut title = m
        .title
        .iter()
        .map(|t| collapse_whitespace(&strip_markup(t)))
        .find(|t| !t.is_empty())
        .ok_or_else(|| malformed(format!("work {doi} has no title")))?;
    if let Some(subtitle) = m
        .subtitle
        .iter()
        .map(|s| collapse_whitespace(&strip_markup(s)))
        .find(|s| !s.is_empty())
    {
        if !title.contains(&subtitle) {
            title = format!("{title}: {subtitle}");
        }
    }
    // Books with editors and no authors list the editors.
    let people = if m.author.is_empty() {
        &m.editor
    } else {
        &m.author
    };
    let authors = people.iter().filter_map(Person::display).collect();
    let date = m
        .published_print
        .as_ref()
        .or(m.published_online.as_ref())
        .or(m.issued.as_ref())
        .map(DateParts::parts);
    let year = m
        .issued
        .as_ref()
        .and_then(|d| d.parts().0)
        .or_else(|| date.and_then(|d| d.0));
    let published = date.and_then(|(y, mo, d)| NaiveDate::from_ymd_opt(y?, mo?, d?));
    Ok(Work {
        doi,
        title,
        authors,
        container_title: m
            .container_title
            .iter()
            .map(|c| collapse_whitespace(c))
            .find(|c| !c.is_empty()),
        year,
        published,
        kind: m.kind,
        publisher: m
            .publisher
            .map(|p| collapse_whitespace(&p))
            .filter(|p| !p.is_empty()),
        volume: m.volume,
        page: m.page,
        url: m.url,
        subjects: m.subject,
        abstract_text: m
            .abstract_jats
            .map(|a| {
                crate::normalise_paragraphs(&strip_markup(&a.replace("</jats:p>", "</jats:p>\n\n")))
            })
            .map(|a| a.trim_start_matches("Abstract").trim().to_owned())
            .filter(|a| !a.is_empty()),
    })
}

/// Removes tags (`<i>`, `<jats:p>`, `<sub>`) and decodes the few entities Crossref uses.
fn strip_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_documented_work_parses() {
        let body = br#"{"status":"ok","message-type":"work","message":{
            "DOI":"10.1000/ABC.123","type":"proceedings-article",
            "title":["Deep <i>Learning</i>\n  for Everyone"],"subtitle":["A Primer"],
            "author":[{"given":"Ada","family":"Lovelace","sequence":"first"},{"family":"Babbage","sequence":"additional"},{"name":"The Analytical Engine Consortium","sequence":"additional"}],
            "container-title":["Proceedings of Something"],"issued":{"date-parts":[[2021,6]]},
            "published-print":{"date-parts":[[2021,6,14]]},"publisher":"ACM","page":"1-10",
            "URL":"https://doi.org/10.1000/abc.123","subject":["Computer Science"],
            "abstract":"<jats:title>Abstract</jats:title><jats:p>We study &amp; learn.</jats:p><jats:p>Second.</jats:p>"}}"#;
        let work = parse_work(body).unwrap();
        assert_eq!(work.doi.as_str(), "10.1000/abc.123");
        assert_eq!(work.title, "Deep Learning for Everyone: A Primer");
        assert_eq!(
            work.authors,
            [
                "Ada Lovelace",
                "Babbage",
                "The Analytical Engine Consortium"
            ]
        );
        assert_eq!(
            work.container_title.as_deref(),
            Some("Proceedings of Something")
        );
        assert_eq!(
            (work.year, work.published.map(|d| d.to_string())),
            (Some(2021), Some("2021-06-14".to_owned()))
        );
        assert_eq!(work.kind, "proceedings-article");
        assert_eq!(
            work.abstract_text.as_deref(),
            Some("We study & learn.\n\nSecond.")
        );
    }

    #[test]
    fn missing_optional_fields_are_fine_and_broken_bodies_are_errors() {
        let minimal = br#"{"status":"ok","message":{"DOI":"10.1/x","title":["T"]}}"#;
        let work = parse_work(minimal).unwrap();
        assert!(work.authors.is_empty() && work.year.is_none() && work.container_title.is_none());
        for bad in [
            &b""[..],
            b"{}",
            b"[]",
            b"not json",
            br#"{"status":"error","message":null}"#,
            br#"{"status":"ok","message":{"DOI":"nope","title":["T"]}}"#,
            br#"{"status":"ok","message":{"DOI":"10.1/x","title":[]}}"#,
        ] {
            assert!(parse_work(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }

    /// The real responses in ../shared/fixtures/upstream (captured by another project), when present.
    #[test]
    fn every_captured_real_response_parses() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/fixtures/upstream/crossref");
        let Ok(files) = std::fs::read_dir(&dir) else {
            eprintln!("skipped: {} is not present", dir.display());
            return;
        };
        let mut works = std::collections::BTreeMap::new();
        for file in files.flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            let body = std::fs::read(file.path()).unwrap_or_default();
            let work = parse_work(&body).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!work.title.is_empty() && work.year.is_some(), "{name}");
            works.insert(name, work);
        }
        assert_eq!(works.len(), 7);
        assert_eq!(
            works["test1.json"].doi.as_str(),
            "10.1021/acs.orglett.9b00971"
        );
        assert_eq!(
            works["test1.json"].container_title.as_deref(),
            Some("Organic Letters")
        );
        assert_eq!(works["test1.json"].authors[0], "Steven J. Mansfield");
        assert_eq!(works["test2.json"].authors[0], "Ēriks Kupče");
        // Authors without given names keep the one name they have.
        assert_eq!(
            works["test3.json"].authors[..2],
            ["Sheherazade".to_owned(), "Ardiantiono".to_owned()]
        );
        assert_eq!(works["test6.json"].kind, "book");
        // A book with editors and no authors lists its editors.
        assert_eq!(works["test7.json"].authors, ["Giuseppe Pileio"]);
    }
}
