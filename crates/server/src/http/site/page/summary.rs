//! A summary's page: head (article tags, schema.org `Review`) and first paint.

use serde_json::json;
use shortscience_types::SummaryDetail;

use super::markup::{paper_heading, summary_article};
use super::paper::article_stub;
use super::text::{encode, person_name, public_author};
use super::{FeedLink, Head, DESCRIPTION_CHARS, SITE};
use crate::domain::render::{excerpt, shorten};

fn title(detail: &SummaryDetail) -> String {
    match public_author(&detail.summary) {
        Some(author) => format!(
            "Summary of “{}” by {}",
            detail.paper.title,
            person_name(author)
        ),
        None => format!("An anonymous summary of “{}”", detail.paper.title),
    }
}

pub(super) fn head(detail: &SummaryDetail, base: &str) -> Head {
    let summary = &detail.summary;
    let mut head = Head::new(
        title(detail),
        shorten(
            &excerpt(summary.body_markdown.as_deref().unwrap_or_default()),
            DESCRIPTION_CHARS,
        ),
    );
    head.canonical = Some(format!("/summaries/{}", summary.id));
    head.og_type = "article";
    head.oembed = true;
    head.properties
        .push(("article:published_time", summary.created_at.to_rfc3339()));
    if let Some(edited) = summary.edited_at {
        head.properties
            .push(("article:modified_time", edited.to_rfc3339()));
    }
    let author = public_author(summary);
    if let Some(author) = author {
        head.properties.push((
            "article:author",
            format!("{base}/users/{}", encode(&author.username)),
        ));
    }
    for keyword in &detail.paper.keywords {
        head.properties.push(("article:tag", keyword.name.clone()));
    }
    let paper = &detail.paper;
    let mut reviewed = article_stub(paper.id, &paper.title, &paper.authors, base);
    if let (Some(map), Some(year)) = (reviewed.as_object_mut(), paper.year) {
        map.insert("datePublished".into(), json!(year.to_string()));
    }
    let mut review = json!({
        "@context": "https://schema.org",
        "@type": "Review",
        "name": title(detail),
        "url": format!("{base}/summaries/{}", summary.id),
        "itemReviewed": reviewed,
        "reviewBody": excerpt(summary.body_markdown.as_deref().unwrap_or_default()),
        "datePublished": summary.created_at.to_rfc3339(),
        "publisher": {"@type": "Organization", "name": SITE, "url": format!("{base}/")},
    });
    if let Some(map) = review.as_object_mut() {
        if let Some(author) = author {
            map.insert(
                "author".into(),
                json!({
                    "@type": "Person",
                    "name": person_name(author),
                    "url": format!("{base}/users/{}", encode(&author.username)),
                }),
            );
        }
        if let Some(edited) = summary.edited_at {
            map.insert("dateModified".into(), json!(edited.to_rfc3339()));
        }
    }
    head.json_ld.push(review);
    head.feeds.push(FeedLink::paper(paper.id, &paper.title));
    head
}

pub(super) fn body(detail: &SummaryDetail) -> String {
    format!(
        "<article class=\"summary-page\"><header class=\"page-head\"><p class=\"kicker\">Summary of</p>{}</header>{}</article>",
        paper_heading("h1", &detail.paper),
        summary_article(&detail.summary)
    )
}
