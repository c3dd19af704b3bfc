//! The planned data set into the database, table by table, as multi-row `INSERT`s of literals.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};

use super::plan::{PaperRow, Plan};
use super::samples::SENTENCES;
use super::sql::{boolean, in_transaction, insert_rows, opt_text, opt_ts, text, ts};
use super::vocab::{person, ADJECTIVES, FIRST_NAMES, LAST_NAMES, METHODS, NOUNS, TOPICS, VENUES};
use super::{bulk, Generated};
use crate::db::DbConn;
use crate::domain::ranking;

/// Writes every table of `plan`, each in one transaction; `progress` hears each as it commits.
pub(super) fn write(
    conn: &mut DbConn,
    plan: &Plan,
    progress: &mut dyn FnMut(&str),
) -> anyhow::Result<Generated> {
    let saved_triggers = bulk::begin(conn)?;
    let users = in_transaction(conn, progress, "users", |conn| users(conn, plan))?;
    in_transaction(conn, progress, "venues and keywords", |conn| {
        venues_and_keywords(conn, plan)
    })?;
    in_transaction(conn, progress, "authors", |conn| authors(conn, plan))?;
    let papers = in_transaction(conn, progress, "papers", |conn| papers(conn, plan))?;
    let summaries = in_transaction(conn, progress, "summaries", |conn| summaries(conn, plan))?;
    let revisions = in_transaction(conn, progress, "revisions", |conn| revisions(conn, plan))?;
    let votes = in_transaction(conn, progress, "votes", |conn| votes(conn, plan))?;
    let comments = in_transaction(conn, progress, "comments", |conn| comments(conn, plan))?;
    in_transaction(conn, progress, "search index", |conn| {
        bulk::rebuild_search(conn)?;
        Ok(0)
    })?;
    bulk::end(conn, saved_triggers)?;
    progress("statistics");
    Ok(Generated {
        users,
        papers,
        summaries,
        votes,
        comments,
        revisions,
        seconds: 0.0,
    })
}

/// A 1-based id from a 0-based index, or `NULL`.
fn opt_id(index: Option<usize>) -> String {
    index.map_or_else(|| "NULL".to_owned(), |i| (i + 1).to_string())
}

fn users(conn: &mut DbConn, plan: &Plan) -> anyhow::Result<usize> {
    insert_rows(
        conn,
        "users",
        "id, username, email, display_name, password_hash, bio, role, suspended, created_at, updated_at",
        plan.user_joined.iter().enumerate().map(|(i, joined)| {
            let (first, last) = person(i);
            format!(
                "({}, {}, {}, {}, NULL, '', 'user', FALSE, {}, {})",
                i + 1,
                text(&format!("user{}", i + 1)),
                text(&format!("user{}@example.org", i + 1)),
                text(&format!("{first} {last}")),
                ts(*joined),
                ts(*joined)
            )
        }),
        2000,
    )
}

fn venues_and_keywords(conn: &mut DbConn, plan: &Plan) -> anyhow::Result<usize> {
    let start = plan.history.start;
    let venues = VENUES
        .iter()
        .map(|(slug, name, kind)| (*slug, *name, *kind));
    let keywords = plan
        .keyword_names
        .iter()
        .map(|(slug, name, kind)| (slug.as_str(), name.as_str(), *kind));
    Ok(insert_named(conn, "venues", venues, start)?
        + insert_named(conn, "keywords", keywords, start)?)
}

/// Inserts `(slug, name, kind)` rows, with ids from 1, into `venues` or `keywords`.
fn insert_named<'a>(
    conn: &mut DbConn,
    table: &str,
    rows: impl Iterator<Item = (&'a str, &'a str, &'a str)>,
    created_at: NaiveDateTime,
) -> anyhow::Result<usize> {
    insert_rows(
        conn,
        table,
        "id, slug, name, kind, created_at",
        rows.enumerate().map(|(i, (slug, name, kind))| {
            format!(
                "({}, {}, {}, {}, {})",
                i + 1,
                text(slug),
                text(name),
                text(kind),
                ts(created_at)
            )
        }),
        1000,
    )
}

fn authors(conn: &mut DbConn, plan: &Plan) -> anyhow::Result<usize> {
    insert_rows(
        conn,
        "authors",
        "id, name, name_key, orcid, created_at",
        (0..plan.author_count).map(|i| {
            let (first, last) = person(i);
            let initial =
                (b'A' + ((i / (FIRST_NAMES.len() * LAST_NAMES.len())) % 26) as u8) as char;
            let round = i / (FIRST_NAMES.len() * LAST_NAMES.len() * 26);
            let name = if round == 0 {
                format!("{first} {initial}. {last}")
            } else {
                format!("{first} {initial}. {last} {}", round + 1)
            };
            let key = name.to_lowercase();
            format!(
                "({}, {}, {}, NULL, {})",
                i + 1,
                text(&name),
                text(&key),
                ts(plan.history.start)
            )
        }),
        2000,
    )
}

/// The papers, then their authors and keywords; counts the papers.
fn papers(conn: &mut DbConn, plan: &Plan) -> anyhow::Result<usize> {
    let users = plan.user_joined.len();
    let mut serial = HashMap::<String, usize>::new();
    let n = insert_rows(
        conn,
        "papers",
        "id, title, abstract_text, year, published_on, venue_id, arxiv_id, doi, url, pdf_url, source, created_by, summary_count, last_summary_at, created_at, updated_at, top_score",
        plan.papers
            .iter()
            .enumerate()
            .map(|(i, p)| paper_row(i, p, users, &mut serial)),
        1000,
    )?;
    insert_links(
        conn,
        "paper_authors",
        "paper_id, author_id, position",
        &plan.papers,
        |p| &p.authors,
    )?;
    insert_links(
        conn,
        "paper_keywords",
        "paper_id, keyword_id, position",
        &plan.papers,
        |p| &p.keywords,
    )?;
    Ok(n)
}

/// Paper `i`'s row; `serial` numbers the arXiv ids of each month.
fn paper_row(i: usize, p: &PaperRow, users: usize, serial: &mut HashMap<String, usize>) -> String {
    let id = i + 1;
    let topic = TOPICS[(i * 7 + p.keywords.len()) % TOPICS.len()];
    let title = format!(
        "{} {} for {} via {}",
        ADJECTIVES[i % ADJECTIVES.len()],
        NOUNS[(i / ADJECTIVES.len()) % NOUNS.len()],
        topic,
        METHODS[(i / 3) % METHODS.len()]
    );
    let mut abstract_text = format!("We study {topic}. ");
    for k in 0..4 {
        abstract_text.push_str(SENTENCES[(i + k * 3) % SENTENCES.len()]);
        abstract_text.push(' ');
    }
    let month = p.created_at.format("%y%m").to_string();
    let n = serial.entry(month.clone()).or_insert(0);
    *n += 1;
    let arxiv = format!("{month}.{:05}", *n);
    let doi = i.is_multiple_of(3).then(|| format!("10.5555/ss.{id}"));
    format!(
        "({id}, {}, {}, {}, {}, {}, {}, {}, NULL, {}, 'arxiv', {}, {}, {}, {}, {}, {})",
        text(&title),
        text(abstract_text.trim_end()),
        p.year,
        text(&p.created_at.format("%Y-%m-%d").to_string()),
        opt_id(p.venue),
        text(&arxiv),
        opt_text(doi.as_deref()),
        text(&format!("https://arxiv.org/pdf/{arxiv}")),
        1 + (i % users),
        p.summary_count,
        opt_ts(p.last_summary_at),
        ts(p.created_at),
        ts(p.created_at),
        p.top_score
    )
}

/// Inserts a paper's links (`linked`: its authors or keywords) in order into `table`.
fn insert_links(
    conn: &mut DbConn,
    table: &str,
    columns: &str,
    papers: &[PaperRow],
    linked: fn(&PaperRow) -> &[usize],
) -> anyhow::Result<usize> {
    insert_rows(
        conn,
        table,
        columns,
        papers.iter().enumerate().flat_map(|(i, p)| {
            linked(p)
                .iter()
                .enumerate()
                .map(move |(pos, x)| format!("({}, {}, {pos})", i + 1, x + 1))
        }),
        5000,
    )
}

fn summaries(conn: &mut DbConn, plan: &Plan) -> anyhow::Result<usize> {
    insert_rows(
        conn,
        "summaries",
        "id, paper_id, author_id, body_markdown, body_html, excerpt, excerpt_html, anonymous, visibility, share_token, ups, downs, score, hot, rank, comment_count, hidden, deleted_at, created_at, edited_at, updated_at",
        plan.summaries.iter().enumerate().map(|(i, s)| {
            let id = i + 1;
            let r = &plan.rendered_summaries[s.sample];
            let score = s.ups - s.downs;
            format!(
                "({id}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {score}, {}, {}, {}, {}, {}, {}, {}, {})",
                s.paper + 1,
                s.author + 1,
                text(&plan.summary_texts[s.sample]),
                text(&r.html),
                text(&r.excerpt),
                text(&r.excerpt_html),
                boolean(s.anonymous),
                if s.private { "'private'" } else { "'public'" },
                if s.private { text(&format!("gen{id:012}")) } else { "NULL".to_owned() },
                s.ups,
                s.downs,
                ranking::hot(score, s.created_at),
                ranking::wilson_lower_bound(s.ups, s.downs),
                s.comment_count,
                boolean(s.hidden),
                opt_ts(s.deleted.then(|| s.edited_at.unwrap_or(s.created_at) + Duration::hours(1))),
                ts(s.created_at),
                opt_ts(s.edited_at),
                ts(s.edited_at.unwrap_or(s.created_at)),
            )
        }),
        400,
    )
}

fn revisions(conn: &mut DbConn, plan: &Plan) -> anyhow::Result<usize> {
    insert_rows(
        conn,
        "summary_revisions",
        "summary_id, editor_id, body_markdown, created_at",
        plan.summaries.iter().enumerate().flat_map(|(i, s)| {
            let body = &plan.summary_texts[s.sample];
            let revision = |body: &str, at| {
                format!("({}, {}, {}, {})", i + 1, s.author + 1, text(body), ts(at))
            };
            // The newest revision is the summary's text; an edited one had a draft first.
            let first = if s.edited_at.is_some() {
                revision(&format!("{body}\n(first draft)"), s.created_at)
            } else {
                revision(body, s.created_at)
            };
            let second = s.edited_at.map(|at| revision(body, at));
            std::iter::once(first).chain(second)
        }),
        500,
    )
}

fn votes(conn: &mut DbConn, plan: &Plan) -> anyhow::Result<usize> {
    insert_rows(
        conn,
        "votes",
        "user_id, summary_id, value, created_at, updated_at",
        plan.votes.iter().map(|v| {
            format!(
                "({}, {}, {}, {}, {})",
                v.user + 1,
                v.summary + 1,
                v.value,
                ts(v.at),
                ts(v.at)
            )
        }),
        5000,
    )
}

fn comments(conn: &mut DbConn, plan: &Plan) -> anyhow::Result<usize> {
    insert_rows(
        conn,
        "comments",
        "id, summary_id, parent_id, author_id, body_markdown, body_html, hidden, deleted_at, created_at, edited_at",
        plan.comments.iter().enumerate().map(|(i, c)| {
            format!(
                "({}, {}, {}, {}, {}, {}, FALSE, NULL, {}, NULL)",
                i + 1,
                c.summary + 1,
                opt_id(c.parent),
                c.author + 1,
                text(&plan.comment_texts[c.sample]),
                text(&plan.rendered_comments[c.sample].html),
                ts(c.at)
            )
        }),
        1000,
    )
}
