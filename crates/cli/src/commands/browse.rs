//! `search` and `feed`.

use shortscience_types::{FeedQuery, Page, SearchHit, SearchQuery, SummaryPage};

use super::papers::next_page_hint;
use super::{author_name, summary_byline, Context};
use crate::cli::{FeedArgs, PageArgs, SearchArgs};
use crate::error::CliError;
use crate::output::text::{html_to_text, truncate, wrap};
use crate::output::time::ago;
use crate::output::{accent, bold, dim, paint, score};

fn page(args: PageArgs) -> Page {
    Page {
        limit: Some(args.limit),
        cursor: args.cursor,
    }
}

pub async fn search(ctx: &Context, args: SearchArgs) -> Result<(), CliError> {
    if args.query.trim().is_empty() {
        return Err(CliError::Usage("the search query is empty".into()));
    }
    let query = SearchQuery {
        q: args.query,
        kind: args.kind.into(),
        venue: args.venue,
        year: args.year,
        author: args.author,
    };
    let found = ctx
        .call(ctx.client.search_catalogue(&query, &page(args.page)))
        .await?;
    if ctx.out.json {
        return ctx.out.print_json(&found);
    }
    let width = ctx.out.width;
    let mut lines = Vec::new();
    if let Some(paper) = &found.exact {
        lines.push(format!(
            "{} {}  {}",
            paint(bold(), "Exact match:"),
            paint(accent(), format!("paper {}", paper.id)),
            paper.title
        ));
        lines.push(String::new());
    }
    if found.items.is_empty() && found.exact.is_none() {
        lines.push(format!("Nothing found for {}.", query.q));
    }
    for hit in &found.items {
        match hit {
            SearchHit::Paper {
                paper,
                snippet_html,
            } => {
                let mut facts = Vec::new();
                if let Some(year) = paper.year {
                    facts.push(year.to_string());
                }
                if let Some(venue) = &paper.venue {
                    facts.push(venue.name.clone());
                }
                lines.push(format!(
                    "{}  {}",
                    paint(accent(), format!("paper {:>5}", paper.id)),
                    paint(bold(), truncate(&paper.title, width.saturating_sub(13)))
                ));
                if !facts.is_empty() {
                    lines.push(format!("             {}", paint(dim(), facts.join(" · "))));
                }
                lines.extend(snippet(snippet_html, width));
            }
            SearchHit::Summary {
                summary,
                paper,
                snippet_html,
            } => {
                let author = author_name(summary.author.as_ref());
                lines.push(format!(
                    "{}  {}",
                    paint(accent(), format!("summary {:>3}", summary.id)),
                    truncate(&paper.title, width.saturating_sub(13))
                ));
                lines.push(format!(
                    "             {} {}",
                    score(summary.score),
                    paint(dim(), format!("by {author} · {}", ago(summary.created_at)))
                ));
                lines.extend(snippet(snippet_html, width));
            }
        }
    }
    lines.extend(next_page_hint(found.next_cursor.as_deref()));
    ctx.out.lines(&lines)
}

/// A search snippet as wrapped text under its hit.
fn snippet(html: &str, width: usize) -> Vec<String> {
    let text = html_to_text(html);
    if text.is_empty() {
        return Vec::new();
    }
    wrap(&text, width, "             ")
}

pub async fn feed(ctx: &Context, args: FeedArgs) -> Result<(), CliError> {
    let query = FeedQuery {
        sort: args.sort.into(),
        period: args.period.into(),
    };
    let found = ctx
        .call(ctx.client.list_summaries(&query, &page(args.page)))
        .await?;
    if ctx.out.json {
        return ctx.out.print_json(&found);
    }
    ctx.out.lines(&feed_view(&found, ctx.out.width))
}

fn feed_view(found: &SummaryPage, width: usize) -> Vec<String> {
    if found.items.is_empty() {
        return vec!["No summaries yet.".to_owned()];
    }
    let mut lines = Vec::new();
    for item in &found.items {
        let summary = &item.summary;
        let mut paper = item.paper.title.clone();
        match (&item.paper.venue, item.paper.year) {
            (Some(venue), Some(year)) => paper.push_str(&format!(" ({} {year})", venue.name)),
            (None, Some(year)) => paper.push_str(&format!(" ({year})")),
            _ => {}
        }
        lines.push(format!(
            "{} {}  {}",
            paint(accent(), format!("#{:<4}", summary.id)),
            score(summary.score),
            paint(bold(), truncate(&paper, width.saturating_sub(10)))
        ));
        lines.push(format!("      {}", summary_byline(summary)));
        let excerpt = html_to_text(&summary.excerpt_html);
        lines.extend(wrap(&excerpt, width, "      "));
        lines.push(String::new());
    }
    match next_page_hint(found.next_cursor.as_deref()) {
        Some(hint) => lines.push(hint),
        None => {
            lines.pop();
        }
    }
    lines
}
