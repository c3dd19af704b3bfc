//! Body markup more than one page shows: summary cards, a summary in full, a list of papers.

use shortscience_types::{PaperBrief, PaperListItem, SummaryDetail, SummaryItem};

use super::esc;
use super::text::{authors_line, encode, person_name, public_author, venue_year};

/// Who wrote the summary: a link to the author's page, or "anonymous".
fn byline(summary: &SummaryItem) -> String {
    match public_author(summary) {
        Some(author) => format!(
            "<a href=\"/users/{}\">{}</a>",
            encode(&author.username),
            esc(&person_name(author))
        ),
        None => "anonymous".to_owned(),
    }
}

/// The paper's title (a link to its page, in a `level` heading), authors, venue and year.
pub(super) fn paper_heading(level: &str, paper: &PaperBrief) -> String {
    format!(
        "<{level} class=\"paper-title\"><a href=\"/papers/{}\">{}</a></{level}><p class=\"authors\">{}</p><p class=\"meta\">{}</p>",
        paper.id,
        esc(&paper.title),
        esc(&authors_line(&paper.authors)),
        esc(&venue_year(paper.venue.as_ref(), paper.year)),
    )
}

pub(super) fn feed_card(item: &SummaryDetail) -> String {
    let paper = &item.paper;
    let by = byline(&item.summary);
    let keywords = paper
        .keywords
        .iter()
        .map(|k| {
            format!(
                "<a class=\"chip\" href=\"/keywords/{}\">{}</a>",
                encode(&k.slug),
                esc(&k.name)
            )
        })
        .collect::<String>();
    format!(
        "<article class=\"card feed-item\">{}<div class=\"excerpt prose\">{}</div><p class=\"meta\">Summary by {by} · <a href=\"/summaries/{}\">read</a> · {} points</p>{}</article>",
        paper_heading("h2", paper),
        item.summary.excerpt_html,
        item.summary.id,
        item.summary.score,
        if keywords.is_empty() {
            String::new()
        } else {
            format!("<p class=\"chips\">{keywords}</p>")
        }
    )
}

pub(super) fn paper_list(papers: &[PaperListItem]) -> String {
    if papers.is_empty() {
        return "<p class=\"empty\">No papers yet.</p>".to_owned();
    }
    let mut out = String::from("<ul class=\"paper-list\">");
    for paper in papers {
        out.push_str(&format!(
            "<li class=\"card\"><h2 class=\"paper-title\"><a href=\"/papers/{}\">{}</a></h2><p class=\"authors\">{}</p><p class=\"meta\">{}{}</p></li>",
            paper.id,
            esc(&paper.title),
            esc(&authors_line(&paper.authors)),
            esc(&venue_year(paper.venue.as_ref(), paper.year)),
            match paper.summary_count {
                0 => String::new(),
                1 => " · 1 summary".to_owned(),
                n => format!(" · {n} summaries"),
            }
        ));
    }
    out.push_str("</ul>");
    out
}

pub(super) fn summary_article(summary: &SummaryItem) -> String {
    let by = byline(summary);
    format!(
        "<article class=\"card summary\" id=\"summary-{}\"><p class=\"meta\">Summary by {by} · {} · {} points · <a href=\"/summaries/{}\">permalink</a></p><div class=\"summary-body prose\">{}</div></article>",
        summary.id,
        summary.created_at.format("%-d %B %Y"),
        summary.score,
        summary.id,
        summary.body_html.as_deref().unwrap_or(&summary.excerpt_html)
    )
}
