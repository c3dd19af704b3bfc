//! Full-text search over papers and public summaries, in the database's own full-text engine
//! (SQLite FTS5, PostgreSQL tsvector), so every server process shares one index that is always
//! consistent with the data (migration `…_search`).
//!
//! Queries use web-search syntax: words, `"quoted phrases"`, `-excluded` words or phrases, and
//! `OR` between alternatives. PostgreSQL reads it with `websearch_to_tsquery`; for SQLite,
//! [`fts5_query`] writes the same meaning in FTS5's syntax, quoting every word so that no input
//! can be an FTS5 syntax error. Ranking weights title over authors over keywords over abstract
//! and summary text (bm25 column weights; tsvector weights A–D with `ts_rank_cd`).
//!
//! This module holds the rules (syntax, filters, paging, merging the kinds); the statements are
//! built in `db::models::search`.

mod syntax;

use std::collections::HashMap;

use shortscience_types::{
    ArxivId, Doi, Page, PaperId, PaperRef, SearchHit, SearchKind, SearchQuery, SearchResults,
    SummaryHit, SummaryId,
};

use crate::db::models::papers;
use crate::db::models::search::{self as search_rows, Filters, Hit, Matching};
use crate::db::models::summaries as summary_rows;
use crate::db::{Db, DbConn};
use crate::domain::cursor::Cursor;
use crate::domain::limits::RateLimits;
use crate::domain::summaries::user_ref;
use crate::domain::{papers as paper_views, DomainError, DomainResult};
use syntax::{fts5_query, snippet_html};

/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// How deep results can be paged (relevance order is not stable enough for more).
pub const MAX_OFFSET: i64 = 1000;

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
        let fts5 = fts5_query(&q);
        let matching = Matching {
            websearch: &q,
            fts5: fts5.as_deref(),
        };
        let mut hits: Vec<(bool, Hit)> = Vec::new();
        if kind != SearchKind::Summaries {
            hits.extend(
                search_rows::hits(conn, &search_rows::PAPERS, &matching, &filters, want, 0)?
                    .into_iter()
                    .map(|h| (true, h)),
            );
        }
        if kind != SearchKind::Papers {
            hits.extend(
                search_rows::hits(conn, &search_rows::SUMMARIES, &matching, &filters, want, 0)?
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
        // Snippets only for the page's hits, once the kinds are merged.
        let ids = |paper: bool| -> Vec<i64> {
            window
                .iter()
                .filter(|(p, _)| *p == paper)
                .map(|(_, h)| h.id)
                .collect()
        };
        let snippets = Snippets {
            papers: search_rows::snippets(conn, &search_rows::PAPERS, &matching, &ids(true))?,
            summaries: search_rows::snippets(
                conn,
                &search_rows::SUMMARIES,
                &matching,
                &ids(false),
            )?,
        };
        let items = hydrate(conn, window, snippets)?;
        Ok(SearchResults {
            exact,
            items,
            next_cursor,
        })
    })
    .await
}

/// The raw snippets of a page's hits, by kind and id.
struct Snippets {
    papers: HashMap<i64, String>,
    summaries: HashMap<i64, String>,
}

/// The hits as the API shows them, in order.
fn hydrate(
    conn: &mut DbConn,
    hits: Vec<(bool, Hit)>,
    mut snippets: Snippets,
) -> DomainResult<Vec<SearchHit>> {
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
        let raw = if is_paper {
            snippets.papers.remove(&hit.id)
        } else {
            snippets.summaries.remove(&hit.id)
        };
        let snippet_html = snippet_html(raw.as_deref().unwrap_or_default());
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
