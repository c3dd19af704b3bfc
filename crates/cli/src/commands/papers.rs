//! `paper get|list|import` and `bibtex`.

use shortscience_client::ImportOutcome;
use shortscience_types::{Page, PaperDetail, PaperDraft, PaperListQuery, PaperPage, PaperRef};

use super::{summary_byline, Context};
use crate::cli::{PaperCommand, PaperListArgs};
use crate::error::CliError;
use crate::input::import_request;
use crate::output::table::Table;
use crate::output::text::{excerpt, field, truncate, wrap};
use crate::output::time::ago;
use crate::output::{accent, bold, dim, paint, score};

pub async fn run(ctx: &Context, command: PaperCommand) -> Result<(), CliError> {
    match command {
        PaperCommand::Get { reference } => get(ctx, &reference).await,
        PaperCommand::List(args) => list(ctx, args).await,
        PaperCommand::Import { source, dry_run } => import(ctx, &source, dry_run).await,
    }
}

async fn get(ctx: &Context, reference: &PaperRef) -> Result<(), CliError> {
    let paper = ctx.call(ctx.client.get_paper(reference)).await?;
    if ctx.out.json {
        return ctx.out.print_json(&paper);
    }
    ctx.out.lines(&paper_view(&paper, ctx.out.width))
}

/// The readable view of a paper and its summaries.
fn paper_view(paper: &PaperDetail, width: usize) -> Vec<String> {
    let mut lines = wrap(&paper.title, width, "")
        .into_iter()
        .map(|l| paint(bold(), l))
        .collect::<Vec<_>>();
    let authors: Vec<&str> = paper.authors.iter().map(|a| a.name.as_str()).collect();
    if !authors.is_empty() {
        lines.extend(wrap(&authors.join(", "), width, ""));
    }
    let mut facts = Vec::new();
    match (&paper.venue, paper.year) {
        (Some(venue), Some(year)) => facts.push(format!("{} {year}", venue.name)),
        (Some(venue), None) => facts.push(venue.name.clone()),
        (None, Some(year)) => facts.push(year.to_string()),
        (None, None) => {}
    }
    if let Some(arxiv) = &paper.arxiv_id {
        facts.push(format!("arXiv {arxiv}"));
    }
    if let Some(doi) = &paper.doi {
        facts.push(format!("DOI {doi}"));
    }
    if !facts.is_empty() {
        lines.push(paint(dim(), facts.join(" · ")));
    }
    if !paper.keywords.is_empty() {
        let names: Vec<&str> = paper.keywords.iter().map(|k| k.name.as_str()).collect();
        lines.push(field("Keywords", names.join(", ")));
    }
    if let Some(link) = paper.links.pdf.as_ref().or(paper.links.url.as_ref()) {
        lines.push(field("Read", link));
    }
    if let Some(text) = paper
        .abstract_text
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        lines.push(String::new());
        lines.push(paint(bold(), "Abstract"));
        lines.extend(wrap(text, width, "  "));
    }
    lines.push(String::new());
    let count = paper.summary_count;
    lines.push(paint(
        bold(),
        format!("{count} summar{}", if count == 1 { "y" } else { "ies" }),
    ));
    if paper.summaries.is_empty() {
        lines.push(format!(
            "  None yet. Write one: {}",
            paint(
                accent(),
                format!(
                    "shortsci summary write {} --file summary.md",
                    paper_ref(paper)
                )
            )
        ));
    }
    for summary in &paper.summaries {
        lines.push(format!(
            "  {}  {}  {}",
            paint(accent(), format!("#{}", summary.id)),
            score(summary.score),
            summary_byline(summary)
        ));
        lines.extend(wrap(
            &excerpt(summary.body_markdown.as_deref().unwrap_or_default(), 300),
            width,
            "     ",
        ));
    }
    if !paper.summaries.is_empty() {
        lines.push(paint(dim(), "  Read one: shortsci summary get ID"));
    }
    lines.push(String::new());
    lines.push(paint(
        dim(),
        format!("paper {} · added {}", paper.id, ago(paper.created_at)),
    ));
    lines
}

/// The shortest reference of a paper to type: its arXiv id, else DOI, else id.
fn paper_ref(paper: &PaperDetail) -> String {
    match (&paper.arxiv_id, &paper.doi) {
        (Some(arxiv), _) => format!("arxiv:{arxiv}"),
        (None, Some(doi)) => format!("doi:{doi}"),
        (None, None) => paper.id.to_string(),
    }
}

async fn list(ctx: &Context, args: PaperListArgs) -> Result<(), CliError> {
    let query = PaperListQuery {
        sort: args.sort.into(),
        venue: args.venue,
        year: args.year,
        keyword: args.keyword,
        author: args.author,
    };
    let page = Page {
        limit: Some(args.page.limit),
        cursor: args.page.cursor,
    };
    let found = ctx.call(ctx.client.list_papers(&query, &page)).await?;
    if ctx.out.json {
        return ctx.out.print_json(&found);
    }
    ctx.out.lines(&paper_table(&found, ctx.out.width))
}

fn paper_table(found: &PaperPage, width: usize) -> Vec<String> {
    if found.items.is_empty() {
        return vec!["No papers.".to_owned()];
    }
    let mut table = Table::new(&["ID", "YEAR", "VENUE", "SUMMARIES", "TITLE"]).style(0, accent());
    for paper in &found.items {
        table.row(vec![
            paper.id.to_string(),
            paper.year.map(|y| y.to_string()).unwrap_or_default(),
            paper
                .venue
                .as_ref()
                .map(|v| truncate(&v.name, 16))
                .unwrap_or_default(),
            paper.summary_count.to_string(),
            paper.title.clone(),
        ]);
    }
    let mut lines = table.render(width);
    lines.extend(next_page_hint(found.next_cursor.as_deref()));
    lines
}

/// "More: --cursor …" under a list that has a next page.
pub fn next_page_hint(cursor: Option<&str>) -> Option<String> {
    cursor.map(|cursor| paint(dim(), format!("More: add --cursor {cursor}")))
}

async fn import(ctx: &Context, source: &str, dry_run: bool) -> Result<(), CliError> {
    let request = import_request(source, dry_run)?;
    let outcome = ctx.call(ctx.client.import_paper(&request)).await?;
    if ctx.out.json {
        return match &outcome {
            ImportOutcome::Created(paper) | ImportOutcome::Existing(paper) => {
                ctx.out.print_json(paper)
            }
            ImportOutcome::Preview(preview) => ctx.out.print_json(preview),
        };
    }
    let (headline, mut lines) = match &outcome {
        ImportOutcome::Created(paper) => (
            format!("Imported as paper {}.", paper.id),
            paper_view(paper, ctx.out.width),
        ),
        ImportOutcome::Existing(paper) => (
            format!("Already in the catalogue as paper {}.", paper.id),
            paper_view(paper, ctx.out.width),
        ),
        ImportOutcome::Preview(preview) => (
            match preview.existing {
                Some(id) => format!("Dry run: already in the catalogue as paper {id}."),
                None => "Dry run: this would be added (nothing was stored).".to_owned(),
            },
            draft_view(&preview.paper, ctx.out.width),
        ),
    };
    lines.insert(0, paint(bold(), headline));
    lines.insert(1, String::new());
    ctx.out.lines(&lines)
}

fn draft_view(draft: &PaperDraft, width: usize) -> Vec<String> {
    let mut lines = vec![paint(bold(), &draft.title)];
    lines.extend(wrap(&draft.authors.join(", "), width, ""));
    let mut facts = Vec::new();
    if let Some(venue) = &draft.venue {
        facts.push(venue.name.clone());
    }
    if let Some(year) = draft.year {
        facts.push(year.to_string());
    }
    if let Some(arxiv) = &draft.arxiv_id {
        facts.push(format!("arXiv {arxiv}"));
    }
    if let Some(doi) = &draft.doi {
        facts.push(format!("DOI {doi}"));
    }
    lines.push(paint(dim(), facts.join(" · ")));
    if let Some(text) = &draft.abstract_text {
        lines.push(String::new());
        lines.extend(wrap(text, width, "  "));
    }
    lines
}

pub async fn bibtex(ctx: &Context, reference: &PaperRef) -> Result<(), CliError> {
    let entry = ctx.call(ctx.client.get_bibtex(reference)).await?;
    if ctx.out.json {
        // The API answers BibTeX as text; as JSON it is one string.
        return ctx.out.print_json(&entry);
    }
    ctx.out.line(entry.trim_end())
}
