//! A paper's page: head (`citation_*` tags, schema.org `ScholarlyArticle`) and first paint.

use serde_json::{json, Value};
use shortscience_types::{AuthorRef, PaperDetail, PaperId, VenueKind};

use super::markup::summary_article;
use super::text::{authors_line, venue_year};
use super::{esc, FeedLink, Head, DESCRIPTION_CHARS};
use crate::domain::render::shorten;

/// A paper as schema.org `ScholarlyArticle` with its name, address and authors only.
pub(super) fn article_stub(id: PaperId, title: &str, authors: &[AuthorRef], base: &str) -> Value {
    json!({
        "@type": "ScholarlyArticle",
        "name": title,
        "url": format!("{base}/papers/{id}"),
        "author": authors.iter().map(|a| json!({"@type": "Person", "name": a.name})).collect::<Vec<_>>(),
    })
}

/// The paper as schema.org `ScholarlyArticle`.
fn scholarly_article(paper: &PaperDetail, base: &str, full: bool) -> Value {
    let mut same_as = Vec::new();
    let mut identifiers = Vec::new();
    if let Some(id) = &paper.arxiv_id {
        same_as.push(format!("https://arxiv.org/abs/{id}"));
        identifiers.push(json!({"@type": "PropertyValue", "propertyID": "arXiv", "value": id}));
    }
    if let Some(doi) = &paper.doi {
        same_as.push(format!("https://doi.org/{doi}"));
        identifiers.push(json!({"@type": "PropertyValue", "propertyID": "DOI", "value": doi}));
    }
    let mut article = article_stub(paper.id, &paper.title, &paper.authors, base);
    let Some(map) = article.as_object_mut() else {
        return article;
    };
    map.insert("headline".into(), json!(shorten(&paper.title, 110)));
    let date = paper
        .published_on
        .map(|d| d.to_string())
        .or_else(|| paper.year.map(|y| y.to_string()));
    if let Some(date) = date {
        map.insert("datePublished".into(), json!(date));
    }
    if !same_as.is_empty() {
        map.insert("sameAs".into(), json!(same_as));
    }
    if full {
        if !identifiers.is_empty() {
            map.insert("identifier".into(), json!(identifiers));
        }
        if let Some(text) = &paper.abstract_text {
            map.insert("abstract".into(), json!(text));
        }
        if !paper.keywords.is_empty() {
            map.insert(
                "keywords".into(),
                json!(paper
                    .keywords
                    .iter()
                    .map(|k| k.name.clone())
                    .collect::<Vec<_>>()),
            );
        }
        if let Some(venue) = &paper.venue {
            let kind = match venue.kind {
                VenueKind::Journal => "Periodical",
                _ => "PublicationEvent",
            };
            map.insert(
                "isPartOf".into(),
                json!({"@type": kind, "name": venue.name}),
            );
        }
        map.insert("commentCount".into(), json!(paper.summaries.len()));
    }
    article
}

fn with_context(mut value: Value) -> Value {
    if let Some(map) = value.as_object_mut() {
        map.insert("@context".into(), json!("https://schema.org"));
    }
    value
}

pub(super) fn head(paper: &PaperDetail, base: &str) -> Head {
    let description = paper
        .abstract_text
        .as_deref()
        .map(|a| shorten(a, DESCRIPTION_CHARS))
        .unwrap_or_else(|| {
            let by = authors_line(&paper.authors);
            format!(
                "{} by {by}: summaries and discussion on ShortScience.",
                paper.title
            )
        });
    let mut head = Head::new(paper.title.clone(), description);
    head.canonical = Some(format!("/papers/{}", paper.id));
    head.og_type = "article";
    head.oembed = true;
    head.names.push(("citation_title", paper.title.clone()));
    for author in &paper.authors {
        head.names.push(("citation_author", author.name.clone()));
    }
    if let Some(date) = paper.published_on {
        head.names.push((
            "citation_publication_date",
            date.format("%Y/%m/%d").to_string(),
        ));
    } else if let Some(year) = paper.year {
        head.names
            .push(("citation_publication_date", year.to_string()));
    }
    if let Some(id) = &paper.arxiv_id {
        head.names.push(("citation_arxiv_id", id.clone()));
    }
    if let Some(doi) = &paper.doi {
        head.names.push(("citation_doi", doi.clone()));
    }
    if let Some(pdf) = &paper.links.pdf {
        head.names.push(("citation_pdf_url", pdf.clone()));
    }
    if let Some(venue) = &paper.venue {
        let tag = match venue.kind {
            VenueKind::Journal => "citation_journal_title",
            VenueKind::Preprint | VenueKind::Other => "citation_publisher",
            VenueKind::Conference | VenueKind::Workshop => "citation_conference_title",
        };
        head.names.push((tag, venue.name.clone()));
    }
    if !paper.keywords.is_empty() {
        let keywords = paper
            .keywords
            .iter()
            .map(|k| k.name.clone())
            .collect::<Vec<_>>();
        head.names.push(("citation_keywords", keywords.join("; ")));
    }
    head.names.push((
        "citation_abstract_html_url",
        format!("{base}/papers/{}", paper.id),
    ));
    for keyword in &paper.keywords {
        head.properties.push(("article:tag", keyword.name.clone()));
    }
    head.json_ld
        .push(with_context(scholarly_article(paper, base, true)));
    head.feeds.push(FeedLink::paper(paper.id, &paper.title));
    head
}

pub(super) fn body(paper: &PaperDetail) -> String {
    let mut out = format!(
        "<article class=\"paper\"><header class=\"page-head\"><h1 class=\"paper-title\">{}</h1><p class=\"authors\">{}</p><p class=\"meta\">{}</p>",
        esc(&paper.title),
        paper
            .authors
            .iter()
            .map(|a| format!("<a href=\"/authors/{}\">{}</a>", a.id, esc(&a.name)))
            .collect::<Vec<_>>()
            .join(", "),
        esc(&venue_year(paper.venue.as_ref(), paper.year))
    );
    let mut links = Vec::new();
    if let Some(url) = &paper.links.arxiv {
        links.push(format!(
            "<a href=\"{}\" rel=\"external\">arXiv</a>",
            esc(url)
        ));
    }
    if let Some(url) = &paper.links.pdf {
        links.push(format!("<a href=\"{}\" rel=\"external\">PDF</a>", esc(url)));
    }
    if let Some(url) = &paper.links.doi {
        links.push(format!("<a href=\"{}\" rel=\"external\">DOI</a>", esc(url)));
    }
    if !links.is_empty() {
        out.push_str(&format!("<p class=\"links\">{}</p>", links.join(" · ")));
    }
    out.push_str("</header>");
    if let Some(text) = &paper.abstract_text {
        out.push_str(&format!(
            "<section class=\"abstract\"><h2>Abstract</h2><p>{}</p></section>",
            esc(text)
        ));
    }
    out.push_str(&format!(
        "<section class=\"summaries\"><h2>{}</h2>",
        match paper.summaries.len() {
            0 => "No summaries yet".to_owned(),
            1 => "1 summary".to_owned(),
            n => format!("{n} summaries"),
        }
    ));
    for summary in &paper.summaries {
        out.push_str(&summary_article(summary));
    }
    out.push_str("</section></article>");
    out
}
