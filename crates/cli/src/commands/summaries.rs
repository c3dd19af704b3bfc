//! `summary get|write|edit|delete`, `vote` and `comment`.

use std::path::Path;

use shortscience_types::{
    CommentId, CreateCommentRequest, CreateSummaryRequest, PaperRef, SummaryDetail, SummaryId,
    UpdateSummaryRequest, Visibility,
};

use super::Context;
use crate::cli::{SummaryCommand, VoteDirection};
use crate::error::CliError;
use crate::input::read_text;
use crate::output::text::{field, wrap_markdown};
use crate::output::time::ago;
use crate::output::{accent, bold, dim, paint, score};

pub async fn run(ctx: &Context, command: SummaryCommand) -> Result<(), CliError> {
    match command {
        SummaryCommand::Get { id } => get(ctx, id).await,
        SummaryCommand::Write {
            reference,
            file,
            anonymous,
            private,
        } => write(ctx, &reference, &file, anonymous, private).await,
        SummaryCommand::Edit { id, file } => edit(ctx, id, &file).await,
        SummaryCommand::Delete { id } => delete(ctx, id).await,
    }
}

async fn get(ctx: &Context, id: SummaryId) -> Result<(), CliError> {
    let summary = ctx.call(ctx.client.get_summary(id)).await?;
    if ctx.out.json {
        return ctx.out.print_json(&summary);
    }
    ctx.out.lines(&summary_view(&summary, ctx.out.width))
}

/// The readable view of a summary: its paper, who and when, the votes, and the text.
fn summary_view(detail: &SummaryDetail, width: usize) -> Vec<String> {
    let summary = &detail.summary;
    let paper = &detail.paper;
    let mut lines = vec![paint(bold(), &paper.title)];
    let mut facts = Vec::new();
    if let Some(venue) = &paper.venue {
        facts.push(venue.name.clone());
    }
    if let Some(year) = paper.year {
        facts.push(year.to_string());
    }
    facts.push(format!("paper {}", paper.id));
    lines.push(paint(dim(), facts.join(" · ")));
    lines.push(String::new());
    let author = match &summary.author {
        Some(user) => match &user.display_name {
            Some(name) => format!("{name} ({})", user.username),
            None => user.username.clone(),
        },
        None => "anonymous".to_owned(),
    };
    let mut byline = format!("by {author} · written {}", ago(summary.created_at));
    if let Some(edited) = summary.edited_at {
        byline.push_str(&format!(" · edited {}", ago(edited)));
    }
    lines.push(format!(
        "{}  {} {}  {}",
        paint(accent(), format!("#{}", summary.id)),
        score(summary.score),
        paint(
            dim(),
            format!("({} up, {} down)", summary.ups, summary.downs)
        ),
        paint(dim(), byline)
    ));
    let mut flags = Vec::new();
    if summary.visibility == Visibility::Private {
        flags.push("private");
    }
    if summary.anonymous {
        flags.push("anonymous");
    }
    if summary.hidden {
        flags.push("hidden by a moderator");
    }
    if summary.my_vote != 0 {
        flags.push(if summary.my_vote > 0 {
            "you voted up"
        } else {
            "you voted down"
        });
    }
    if !flags.is_empty() {
        lines.push(paint(dim(), flags.join(" · ")));
    }
    lines.push(String::new());
    lines.extend(wrap_markdown(
        summary.body_markdown.as_deref().unwrap_or_default(),
        width,
        "",
    ));
    lines.push(String::new());
    let comments = summary.comment_count;
    lines.push(paint(
        dim(),
        format!(
            "{comments} comment{} · comment: shortsci comment {} --file FILE",
            if comments == 1 { "" } else { "s" },
            summary.id
        ),
    ));
    if let Some(token) = &detail.share_token {
        lines.push(field("Share token (X-Share-Token)", token));
    }
    lines
}

async fn write(
    ctx: &Context,
    reference: &PaperRef,
    file: &Path,
    anonymous: bool,
    private: bool,
) -> Result<(), CliError> {
    let request = CreateSummaryRequest {
        body_markdown: read_text(file)?,
        anonymous,
        visibility: if private {
            Visibility::Private
        } else {
            Visibility::Public
        },
    };
    let created = ctx
        .call(ctx.client.create_summary(reference, &request))
        .await?;
    if ctx.out.json {
        return ctx.out.print_json(&created);
    }
    let mut lines = vec![format!(
        "Published summary {} of {}.",
        paint(accent(), format!("#{}", created.summary.id)),
        paint(bold(), &created.paper.title)
    )];
    if let Some(token) = &created.share_token {
        lines.push(field("Private; share token (X-Share-Token)", token));
    }
    lines.push(paint(
        dim(),
        format!("Read it: shortsci summary get {}", created.summary.id),
    ));
    ctx.out.lines(&lines)
}

async fn edit(ctx: &Context, id: SummaryId, file: &Path) -> Result<(), CliError> {
    let request = UpdateSummaryRequest {
        body_markdown: Some(read_text(file)?),
        ..UpdateSummaryRequest::default()
    };
    let updated = ctx.call(ctx.client.update_summary(id, &request)).await?;
    if ctx.out.json {
        return ctx.out.print_json(&updated);
    }
    ctx.out.lines(&[
        format!(
            "Updated summary {} of {} (the previous text is kept as a revision).",
            paint(accent(), format!("#{id}")),
            paint(bold(), &updated.paper.title)
        ),
        paint(dim(), format!("Read it: shortsci summary get {id}")),
    ])
}

async fn delete(ctx: &Context, id: SummaryId) -> Result<(), CliError> {
    ctx.call(ctx.client.delete_summary(id)).await?;
    if ctx.out.json {
        // 204: the API answers no JSON, so there is nothing to print.
        return Ok(());
    }
    ctx.out.line(&format!(
        "Deleted summary {}. Writing a summary of the same paper again brings it back.",
        paint(accent(), format!("#{id}"))
    ))
}

pub async fn vote(ctx: &Context, id: SummaryId, direction: VoteDirection) -> Result<(), CliError> {
    let result = ctx
        .call(ctx.client.vote_summary(id, direction.value()))
        .await?;
    if ctx.out.json {
        return ctx.out.print_json(&result);
    }
    let what = match direction {
        VoteDirection::Up => "Voted up",
        VoteDirection::Down => "Voted down",
        VoteDirection::Clear => "Withdrew your vote",
    };
    ctx.out.line(&format!(
        "{what} on summary {}: score {} ({} up, {} down).",
        paint(accent(), format!("#{id}")),
        score(result.score),
        result.ups,
        result.downs
    ))
}

pub async fn comment(
    ctx: &Context,
    summary: SummaryId,
    file: &Path,
    reply_to: Option<CommentId>,
) -> Result<(), CliError> {
    let request = CreateCommentRequest {
        body_markdown: read_text(file)?,
        parent_id: reply_to,
    };
    let posted = ctx
        .call(ctx.client.create_comment(summary, &request))
        .await?;
    if ctx.out.json {
        return ctx.out.print_json(&posted);
    }
    let what = match reply_to {
        Some(parent) => format!("a reply to comment {parent}"),
        None => "a comment".to_owned(),
    };
    ctx.out.line(&format!(
        "Posted {what} on summary {} (comment {}).",
        paint(accent(), format!("#{summary}")),
        posted.id
    ))
}
