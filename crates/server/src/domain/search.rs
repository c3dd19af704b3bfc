//! Full-text search over papers and public summaries, in the database's own full-text engine
//! (SQLite FTS5, PostgreSQL tsvector), so every server process shares one index that is always
//! consistent with the data (migration `…_search`).
//!
//! Queries use web-search syntax: words, `"quoted phrases"`, `-excluded` words or phrases, and
//! `OR` between alternatives. PostgreSQL reads it with `websearch_to_tsquery`; for SQLite,
//! [`fts5_query`] writes the same meaning in FTS5's syntax, quoting every word so that no input
//! can be an FTS5 syntax error. Ranking weights title over authors over keywords over abstract
//! and summary text (bm25 column weights; tsvector weights A–D with `ts_rank_cd`).

use std::collections::HashMap;

use diesel::sql_types::{BigInt, Double, Integer, Text};
use diesel::{QueryableByName, RunQueryDsl};
use shortscience_types::{
    ArxivId, Doi, Page, PaperId, PaperRef, SearchHit, SearchKind, SearchQuery, SearchResults,
    SummaryHit, SummaryId,
};

use crate::db::models::papers;
use crate::db::models::summaries as summary_rows;
use crate::db::{Backend, Db, DbConn};
use crate::domain::cursor::Cursor;
use crate::domain::limits::RateLimits;
use crate::domain::summaries::user_ref;
use crate::domain::{papers as paper_views, DomainError, DomainResult};

/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// How deep results can be paged (relevance order is not stable enough for more).
pub const MAX_OFFSET: i64 = 1000;
/// On SQLite, how many matches a query ranks at most: the newest this many (by id, which FTS5
/// walks backwards without sorting). bm25 costs time for every match ranked, and a common word
/// matches a large part of 300k summaries (seconds per query in the benchmark); the newest 5,000
/// are ranked in milliseconds, and results stay relevant, if recent-leaning, for such words.
/// Rarer queries (fewer matches) are ranked in full.
pub const SQLITE_MAX_RANKED: i64 = 5000;

/// Where a match starts and ends in the engines' snippets (private-use characters, which never
/// occur in the stored text's meaning), turned into `<mark>` after escaping.
const MARK_OPEN: char = '\u{E000}';
const MARK_CLOSE: char = '\u{E001}';

/// One part of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Atom {
    Word(String),
    Phrase(String),
}

/// A parsed query: alternatives (`OR`), each needing all its positive atoms and none of its
/// negative ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Parsed {
    alternatives: Vec<(Vec<Atom>, Vec<Atom>)>,
}

fn has_word_chars(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// Reads web-search syntax. Unbalanced quotes close at the end; operators without operands,
/// punctuation-only words and a lone `-` are dropped.
fn parse(query: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut current: (Vec<Atom>, Vec<Atom>) = (Vec::new(), Vec::new());
    let mut chars = query.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&first) = chars.peek() else { break };
        let negated = first == '-';
        if negated {
            chars.next();
        }
        let atom = if chars.peek() == Some(&'"') {
            chars.next();
            let phrase: String = chars.by_ref().take_while(|c| *c != '"').collect();
            Atom::Phrase(phrase.split_whitespace().collect::<Vec<_>>().join(" "))
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '"' {
                    break;
                }
                word.push(c);
                chars.next();
            }
            if word == "OR" && !negated {
                if !current.0.is_empty() || !current.1.is_empty() {
                    parsed.alternatives.push(std::mem::take(&mut current));
                }
                continue;
            }
            Atom::Word(word)
        };
        let text = match &atom {
            Atom::Word(w) | Atom::Phrase(w) => w,
        };
        if !has_word_chars(text) {
            continue;
        }
        if negated {
            current.1.push(atom);
        } else {
            current.0.push(atom);
        }
    }
    if !current.0.is_empty() || !current.1.is_empty() {
        parsed.alternatives.push(current);
    }
    // An alternative with nothing to find (only exclusions) finds nothing.
    parsed
        .alternatives
        .retain(|(positive, _)| !positive.is_empty());
    parsed
}

/// FTS5 string literal: double quotes doubled.
fn fts5_string(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The query in FTS5 syntax, or `None` when it can find nothing.
fn fts5_query(query: &str) -> Option<String> {
    let parsed = parse(query);
    let alternatives: Vec<String> = parsed
        .alternatives
        .iter()
        .map(|(positive, negative)| {
            let text = |a: &Atom| match a {
                Atom::Word(w) | Atom::Phrase(w) => fts5_string(w),
            };
            let mut expr = format!(
                "({})",
                positive.iter().map(text).collect::<Vec<_>>().join(" AND ")
            );
            for atom in negative {
                expr = format!("{expr} NOT {}", text(atom));
            }
            format!("({expr})")
        })
        .collect();
    (!alternatives.is_empty()).then(|| alternatives.join(" OR "))
}

/// Escapes an engine's snippet and marks its matches.
fn snippet_html(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 32);
    let mut open = false;
    for c in raw.chars() {
        match c {
            MARK_OPEN if !open => {
                out.push_str("<mark>");
                open = true;
            }
            MARK_CLOSE if open => {
                out.push_str("</mark>");
                open = false;
            }
            MARK_OPEN | MARK_CLOSE => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    if open {
        out.push_str("</mark>");
    }
    out
}

/// The paper a query names exactly: an arXiv id or URL, or a DOI (or DOI URL).
fn exact_ref(query: &str) -> Option<PaperRef> {
    let q = query.trim();
    if q.contains(char::is_whitespace) || q.is_empty() {
        return None;
    }
    if let Ok(doi) = Doi::parse(q) {
        return Some(PaperRef::Doi(doi));
    }
    shortscience_upstream::arxiv::id_from_input(q)
        .ok()
        .or_else(|| ArxivId::parse(q).ok())
        .map(PaperRef::Arxiv)
}

/// A year filter: `2020` or `2018-2021`.
fn years(raw: Option<&str>) -> DomainResult<Option<(i32, i32)>> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let bad = || DomainError::bad_parameter("year", "must be a year (2020) or a range (2018-2021)");
    let year = |s: &str| {
        s.trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1000..=9999).contains(y))
    };
    let (from, to) = match raw.split_once('-') {
        Some((a, b)) => (year(a).ok_or_else(bad)?, year(b).ok_or_else(bad)?),
        None => {
            let y = year(raw).ok_or_else(bad)?;
            (y, y)
        }
    };
    Ok(Some((from.min(to), from.max(to))))
}

#[derive(Debug, QueryableByName)]
struct Hit {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Double)]
    score: f64,
    #[diesel(sql_type = Text)]
    snippet: String,
}

/// Filters every search applies to the paper (`p`) of a hit.
struct Filters {
    venue: Option<String>,
    years: Option<(i32, i32)>,
    author: Option<String>,
}

/// Builds `AND …` clauses with numbered placeholders from `next`, and their values.
fn filter_sql(
    filters: &Filters,
    pg: bool,
    next: &mut usize,
    authors_column: &str,
) -> (String, Vec<Bind>) {
    let mut sql = String::new();
    let mut binds = Vec::new();
    let placeholder = |next: &mut usize| {
        *next += 1;
        if pg {
            format!("${next}")
        } else {
            format!("?{next}")
        }
    };
    if let Some(venue) = &filters.venue {
        let p = placeholder(next);
        sql.push_str(&format!(
            " AND p.venue_id = (SELECT id FROM venues WHERE slug = {p})"
        ));
        binds.push(Bind::Text(venue.clone()));
    }
    if let Some((from, to)) = filters.years {
        let (a, b) = (placeholder(next), placeholder(next));
        sql.push_str(&format!(" AND p.year BETWEEN {a} AND {b}"));
        binds.push(Bind::Int(from));
        binds.push(Bind::Int(to));
    }
    if let Some(author) = &filters.author {
        let p = placeholder(next);
        let like = if pg { "ILIKE" } else { "LIKE" };
        sql.push_str(&format!(" AND {authors_column} {like} {p}"));
        let escaped = author
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        binds.push(Bind::Text(format!("%{escaped}%")));
        sql.push_str(" ESCAPE '\\'");
    }
    (sql, binds)
}

enum Bind {
    Text(String),
    Int(i32),
    Long(i64),
}

fn run_hits(conn: &mut DbConn, sql: String, binds: Vec<Bind>) -> DomainResult<Vec<Hit>> {
    let mut query: diesel::query_builder::BoxedSqlQuery<
        '_,
        Backend,
        diesel::query_builder::SqlQuery,
    > = diesel::sql_query(sql).into_boxed();
    for bind in binds {
        query = match bind {
            Bind::Text(t) => query.bind::<Text, _>(t),
            Bind::Int(i) => query.bind::<Integer, _>(i),
            Bind::Long(l) => query.bind::<BigInt, _>(l),
        };
    }
    Ok(query.load(conn)?)
}

/// The best `limit` papers from `offset`, (id, score, snippet).
fn paper_hits(
    conn: &mut DbConn,
    q: &str,
    filters: &Filters,
    limit: i64,
    offset: i64,
) -> DomainResult<Vec<Hit>> {
    let pg = matches!(conn, DbConn::Pg(_));
    if pg {
        let mut next = 1;
        let (extra, mut binds) = filter_sql(filters, true, &mut next, "f.authors");
        let sql = format!(
            "SELECT t.id, t.score, ts_headline('english', t.title || ' — ' || t.abstract, websearch_to_tsquery('english', $1), \
               'StartSel=\u{E000}, StopSel=\u{E001}, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"') AS snippet \
             FROM (SELECT p.id, f.title, f.abstract, ts_rank_cd(f.document, query)::float8 AS score \
                   FROM papers_fts f JOIN papers p ON p.id = f.paper_id, websearch_to_tsquery('english', $1) query \
                   WHERE f.document @@ query{extra} \
                   ORDER BY score DESC, p.id DESC LIMIT ${} OFFSET ${}) t \
             ORDER BY t.score DESC, t.id DESC",
            next + 1,
            next + 2
        );
        let mut all = vec![Bind::Text(q.to_owned())];
        all.append(&mut binds);
        all.push(Bind::Long(limit));
        all.push(Bind::Long(offset));
        return run_hits(conn, sql, all);
    }
    let Some(matched) = fts5_query(q) else {
        return Ok(Vec::new());
    };
    let mut next = 1;
    let (extra, mut binds) = filter_sql(filters, false, &mut next, "c.authors");
    // bm25 is lower for better matches; the score is its negation. Weights: title, authors,
    // keywords, abstract, venue, identifiers.
    // Ranked first, snippets after: SQLite computes every selected column of every match
    // before it sorts, and a snippet costs far more than a bm25 score. The outer query finds
    // the page's rows again by rowid (CROSS JOIN keeps that order) to make their snippets.
    // Without filters the index alone ranks (every indexed row is a paper); with them, each
    // match joins its paper and its search text.
    let ranked = if extra.is_empty() {
        format!(
            "SELECT * FROM (SELECT papers_fts.rowid AS id, \
                    -bm25(papers_fts, 10.0, 5.0, 3.0, 1.0, 2.0, 3.0) AS score \
             FROM papers_fts WHERE papers_fts MATCH ?1 \
             ORDER BY papers_fts.rowid DESC LIMIT {SQLITE_MAX_RANKED})"
        )
    } else {
        format!(
            "SELECT * FROM (SELECT p.id AS id, \
                    -bm25(papers_fts, 10.0, 5.0, 3.0, 1.0, 2.0, 3.0) AS score \
             FROM papers_fts JOIN papers p ON p.id = papers_fts.rowid \
             JOIN papers_fts_content c ON c.paper_id = p.id \
             WHERE papers_fts MATCH ?1{extra} \
             ORDER BY papers_fts.rowid DESC LIMIT {SQLITE_MAX_RANKED})"
        )
    };
    let sql = format!(
        "WITH top AS ({ranked} ORDER BY score DESC, id DESC LIMIT ?{} OFFSET ?{}) \
         SELECT top.id AS id, top.score AS score, \
                snippet(papers_fts, -1, char(57344), char(57345), '…', 24) AS snippet \
         FROM top CROSS JOIN papers_fts ON papers_fts.rowid = top.id \
         WHERE papers_fts MATCH ?1 \
         ORDER BY top.score DESC, top.id DESC",
        next + 1,
        next + 2
    );
    let mut all = vec![Bind::Text(matched)];
    all.append(&mut binds);
    all.push(Bind::Long(limit));
    all.push(Bind::Long(offset));
    run_hits(conn, sql, all)
}

/// The best `limit` public, visible summaries from `offset`.
fn summary_hits(
    conn: &mut DbConn,
    q: &str,
    filters: &Filters,
    limit: i64,
    offset: i64,
) -> DomainResult<Vec<Hit>> {
    let visible = "s.visibility = 'public' AND s.hidden = FALSE AND s.deleted_at IS NULL";
    let pg = matches!(conn, DbConn::Pg(_));
    if pg {
        let mut next = 1;
        let (extra, mut binds) = filter_sql(
            filters,
            true,
            &mut next,
            "(SELECT authors FROM papers_fts WHERE paper_id = p.id)",
        );
        let sql = format!(
            "SELECT t.id, t.score, ts_headline('english', s.body_markdown, websearch_to_tsquery('english', $1), \
               'StartSel=\u{E000}, StopSel=\u{E001}, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"') AS snippet \
             FROM (SELECT s.id, ts_rank_cd(f.document, query)::float8 AS score \
                   FROM summaries_fts f JOIN summaries s ON s.id = f.summary_id JOIN papers p ON p.id = s.paper_id, \
                        websearch_to_tsquery('english', $1) query \
                   WHERE f.document @@ query AND {visible}{extra} \
                   ORDER BY score DESC, s.id DESC LIMIT ${} OFFSET ${}) t JOIN summaries s ON s.id = t.id \
             ORDER BY t.score DESC, t.id DESC",
            next + 1,
            next + 2
        );
        let mut all = vec![Bind::Text(q.to_owned())];
        all.append(&mut binds);
        all.push(Bind::Long(limit));
        all.push(Bind::Long(offset));
        return run_hits(conn, sql, all);
    }
    let Some(matched) = fts5_query(q) else {
        return Ok(Vec::new());
    };
    let mut next = 1;
    let (extra, mut binds) = filter_sql(
        filters,
        false,
        &mut next,
        "(SELECT authors FROM papers_fts_content WHERE paper_id = p.id)",
    );
    // Ranked first, snippets after (see `paper_hits`).
    // SQLite's index holds only the publicly visible summaries (its triggers see to it,
    // migration 2026-12-04-000002): without filters it ranks alone, reading no summary row;
    // with them, each match joins its summary and paper (and checks visibility again).
    let ranked = if extra.is_empty() {
        format!(
            "SELECT * FROM (SELECT summaries_fts.rowid AS id, -bm25(summaries_fts) AS score \
             FROM summaries_fts WHERE summaries_fts MATCH ?1 \
             ORDER BY summaries_fts.rowid DESC LIMIT {SQLITE_MAX_RANKED})"
        )
    } else {
        format!(
            "SELECT * FROM (SELECT s.id AS id, -bm25(summaries_fts) AS score \
             FROM summaries_fts JOIN summaries s ON s.id = summaries_fts.rowid JOIN papers p ON p.id = s.paper_id \
             WHERE summaries_fts MATCH ?1 AND {visible}{extra} \
             ORDER BY summaries_fts.rowid DESC LIMIT {SQLITE_MAX_RANKED})"
        )
    };
    let sql = format!(
        "WITH top AS ({ranked} ORDER BY score DESC, id DESC LIMIT ?{} OFFSET ?{}) \
         SELECT top.id AS id, top.score AS score, \
                snippet(summaries_fts, 0, char(57344), char(57345), '…', 24) AS snippet \
         FROM top CROSS JOIN summaries_fts ON summaries_fts.rowid = top.id \
         WHERE summaries_fts MATCH ?1 \
         ORDER BY top.score DESC, top.id DESC",
        next + 1,
        next + 2
    );
    let mut all = vec![Bind::Text(matched)];
    all.append(&mut binds);
    all.push(Bind::Long(limit));
    all.push(Bind::Long(offset));
    run_hits(conn, sql, all)
}

/// Summaries weigh less than papers when both kinds are merged (their text is longer and less
/// specific than a title).
const SUMMARY_WEIGHT: f64 = 0.5;

/// Searches papers and public summaries. Anonymous summaries never name their author here.
#[tracing::instrument(level = "debug", skip_all, fields(kind = query.kind.as_str()))]
pub async fn search(
    db: &Db,
    limits: &RateLimits,
    client: std::net::IpAddr,
    query: SearchQuery,
    page: Page,
) -> DomainResult<SearchResults> {
    let q = query.q.trim().to_owned();
    let chars = q.chars().count();
    if q.is_empty() || chars > MAX_QUERY_CHARS {
        return Err(DomainError::bad_parameter(
            "q",
            format!("must be 1 to {MAX_QUERY_CHARS} characters"),
        ));
    }
    let filters = Filters {
        venue: query
            .venue
            .as_deref()
            .map(|v| v.trim().to_lowercase())
            .filter(|v| !v.is_empty()),
        years: years(query.year.as_deref())?,
        author: query
            .author
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned),
    };
    let offset = match Cursor::decode_opt(page.cursor.as_deref())? {
        None => 0,
        Some(c)
            if c.key == format!("search:{}", query.kind.as_str())
                && (0..=MAX_OFFSET).contains(&c.id) =>
        {
            c.id
        }
        Some(_) => return Err(Cursor::foreign()),
    };
    let limit = page.size();
    let kind = query.kind;
    let limits = limits.clone();
    db.run(move |conn| {
        limits.search(conn, client)?;
        let exact = exact_ref(&q)
            .map(|r| papers::find(conn, &r))
            .transpose()?
            .flatten()
            .map(|(p, _)| paper_views::briefs(conn, &[p.id]))
            .transpose()?
            .and_then(|mut briefs| briefs.drain().next().map(|(_, brief)| brief));
        // One more than asked tells whether there is a next page.
        let want = offset + limit + 1;
        let mut hits: Vec<(bool, Hit)> = Vec::new();
        if kind != SearchKind::Summaries {
            hits.extend(
                paper_hits(conn, &q, &filters, want, 0)?
                    .into_iter()
                    .map(|h| (true, h)),
            );
        }
        if kind != SearchKind::Papers {
            hits.extend(
                summary_hits(conn, &q, &filters, want, 0)?
                    .into_iter()
                    .map(|mut h| {
                        if kind == SearchKind::All {
                            h.score *= SUMMARY_WEIGHT;
                        }
                        (false, h)
                    }),
            );
        }
        hits.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(b.1.id.cmp(&a.1.id)));
        let start = usize::try_from(offset).unwrap_or(0).min(hits.len());
        let has_more = hits.len() > start + usize::try_from(limit).unwrap_or(0);
        let window: Vec<(bool, Hit)> = hits
            .into_iter()
            .skip(start)
            .take(usize::try_from(limit).unwrap_or(0))
            .collect();
        let next_cursor = (has_more && offset + limit <= MAX_OFFSET)
            .then(|| Cursor::new(format!("search:{}", kind.as_str()), offset + limit).encode());
        let items = hydrate(conn, window)?;
        Ok(SearchResults {
            exact,
            items,
            next_cursor,
        })
    })
    .await
}

/// The hits as the API shows them, in order.
fn hydrate(conn: &mut DbConn, hits: Vec<(bool, Hit)>) -> DomainResult<Vec<SearchHit>> {
    let paper_ids: Vec<PaperId> = hits
        .iter()
        .filter(|(p, _)| *p)
        .map(|(_, h)| PaperId(h.id))
        .collect();
    let summary_ids: Vec<SummaryId> = hits
        .iter()
        .filter(|(p, _)| !*p)
        .map(|(_, h)| SummaryId(h.id))
        .collect();
    let mut listed: HashMap<PaperId, shortscience_types::PaperListItem> =
        paper_views::list_items(conn, &paper_ids)?
            .into_iter()
            .map(|item| (item.id, item))
            .collect();
    let summaries: HashMap<SummaryId, (summary_rows::Summary, summary_rows::AuthorName)> =
        summary_rows::find_many(conn, &summary_ids)?
            .into_iter()
            .map(|row| (row.0.id, row))
            .collect();
    let briefs = paper_views::briefs(
        conn,
        &summaries
            .values()
            .map(|(s, _)| s.paper_id)
            .collect::<Vec<_>>(),
    )?;
    let mut out = Vec::with_capacity(hits.len());
    for (is_paper, hit) in hits {
        let snippet_html = snippet_html(&hit.snippet);
        if is_paper {
            if let Some(paper) = listed.remove(&PaperId(hit.id)) {
                out.push(SearchHit::Paper {
                    paper: Box::new(paper),
                    snippet_html,
                });
            }
        } else if let Some((summary, author)) = summaries.get(&SummaryId(hit.id)) {
            let Some(paper) = briefs.get(&summary.paper_id).cloned() else {
                continue;
            };
            out.push(SearchHit::Summary {
                summary: SummaryHit {
                    id: summary.id,
                    author: (!summary.anonymous).then(|| user_ref(author.clone())),
                    anonymous: summary.anonymous,
                    score: summary.score,
                    excerpt_html: summary.excerpt_html.clone(),
                    created_at: summary.created_at.and_utc(),
                },
                paper: Box::new(paper),
                snippet_html,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_syntax_becomes_quoted_fts5() {
        assert_eq!(
            fts5_query("neural networks").as_deref(),
            Some(r#"(("neural" AND "networks"))"#)
        );
        assert_eq!(
            fts5_query(r#""attention is all" -rnn"#).as_deref(),
            Some(r#"(("attention is all") NOT "rnn")"#)
        );
        assert_eq!(
            fts5_query("gan OR vae").as_deref(),
            Some(r#"(("gan")) OR (("vae"))"#)
        );
        assert_eq!(
            fts5_query(r#"say "hi"#).as_deref(),
            Some(r#"(("say" AND "hi"))"#),
            "an open quote closes at the end"
        );
        assert_eq!(fts5_query(r#"a"b"#).as_deref(), Some(r#"(("a" AND "b"))"#));
    }

    #[test]
    fn odd_queries_never_make_a_syntax_error_or_match_everything() {
        for odd in [
            "",
            "-",
            "OR",
            "\"",
            "-x",
            "OR OR",
            "()",
            "*",
            "NOT",
            "AND",
            "😀",
            "\\",
            "'; DROP TABLE papers; --",
        ] {
            let rendered = fts5_query(odd);
            if let Some(r) = &rendered {
                // Every word is a quoted string: nothing reaches FTS5 as an operator.
                assert!(r.starts_with("((\""), "{odd}: {r}");
            }
        }
        assert_eq!(fts5_query("-x"), None, "only an exclusion finds nothing");
        assert_eq!(fts5_query("OR"), None);
        assert_eq!(fts5_query("😀"), None, "no word characters");
        assert_eq!(
            fts5_query("say \"qu\"\"ote\"").as_deref(),
            Some(r#"(("say" AND "qu" AND "ote"))"#)
        );
    }

    #[test]
    fn snippets_are_escaped_and_marked() {
        let raw = format!("a <b> & {MARK_OPEN}gan{MARK_CLOSE} \"x\" {MARK_OPEN}open");
        assert_eq!(
            snippet_html(&raw),
            "a &lt;b&gt; &amp; <mark>gan</mark> &quot;x&quot; <mark>open</mark>"
        );
    }

    #[test]
    fn exact_references_are_recognised() {
        assert!(matches!(exact_ref("2003.10555"), Some(PaperRef::Arxiv(_))));
        assert!(matches!(
            exact_ref("https://arxiv.org/abs/2003.10555v2"),
            Some(PaperRef::Arxiv(_))
        ));
        assert!(matches!(
            exact_ref("10.1038/nature14539"),
            Some(PaperRef::Doi(_))
        ));
        assert!(matches!(
            exact_ref("https://doi.org/10.1038/nature14539"),
            Some(PaperRef::Doi(_))
        ));
        assert_eq!(exact_ref("neural networks"), None);
        assert_eq!(exact_ref("gan"), None);
    }

    #[test]
    fn years_are_one_or_a_range() {
        assert_eq!(years(Some("2020")).ok().flatten(), Some((2020, 2020)));
        assert_eq!(years(Some("2021-2018")).ok().flatten(), Some((2018, 2021)));
        assert!(years(Some("twenty")).is_err());
        assert_eq!(years(None).ok().flatten(), None);
    }
}
