//! Reading the catalogue: the paper list (filters, four orders, keyset cursors), a paper with
//! its ranked summaries, its links, and its BibTeX entry.

use std::collections::HashMap;

use shortscience_types::{
    AuthorRef, KeywordRef, LatestSummary, Page, PaperBrief, PaperDetail, PaperId, PaperLinks,
    PaperListItem, PaperListQuery, PaperPage, PaperRef, PaperSort, VerifiedAuthor,
};

use crate::db::models::keywords;
use crate::db::models::papers::{self, After, Author, Paper, PaperFilter};
use crate::db::models::summaries::{self, AuthorName};
use crate::db::models::venues::Venue;
use crate::db::{Db, DbConn};
use crate::domain::cursor::{self, Cursor};
use crate::domain::summaries::{summary_item, user_ref};
use crate::domain::{bibtex, browse, DomainError, DomainResult, Viewer};

pub fn no_paper(reference: &PaperRef) -> DomainError {
    DomainError::not_found(format!("no paper `{reference}`"))
}

/// `<sort>:<key>` and the id: the position after which the next page starts.
fn encode_cursor(sort: PaperSort, after: &After) -> String {
    let key = match after {
        After::Id(_) => String::new(),
        After::Recent(Some(at), _) => cursor::micros(*at),
        After::Recent(None, _) => "null".to_owned(),
        After::Count(n, _) => n.to_string(),
    };
    Cursor::new(format!("{}:{key}", sort.as_str()), after.id().0).encode()
}

fn decode_cursor(sort: PaperSort, cursor: &Cursor) -> DomainResult<After> {
    let (name, key) = cursor.key.split_once(':').ok_or_else(Cursor::foreign)?;
    if name != sort.as_str() {
        return Err(Cursor::foreign());
    }
    let id = PaperId(cursor.id);
    Ok(match sort {
        PaperSort::New => After::Id(id),
        PaperSort::Recent if key == "null" => After::Recent(None, id),
        PaperSort::Recent => After::Recent(
            Some(cursor::from_micros(key).ok_or_else(Cursor::foreign)?),
            id,
        ),
        PaperSort::Summaries | PaperSort::Top => {
            After::Count(key.parse::<i32>().map_err(|_| Cursor::foreign())?, id)
        }
    })
}

/// Papers, filtered by venue, year, keyword and author, in one of four orders.
#[tracing::instrument(level = "debug", skip_all, fields(sort = query.sort.as_str()))]
pub async fn list(db: &Db, query: PaperListQuery, page: Page) -> DomainResult<PaperPage> {
    let limit = page.size();
    let sort = query.sort;
    let after = Cursor::decode_opt(page.cursor.as_deref())?
        .map(|c| decode_cursor(sort, &c))
        .transpose()?;
    let filter = PaperFilter {
        venue_slug: query.venue,
        year: query.year,
        keyword_slug: query.keyword,
        author_id: query.author,
    };
    db.run(move |conn| {
        // One row more than asked tells whether there is a next page.
        let mut rows = papers::list(conn, &filter, sort, after.as_ref(), limit + 1)?;
        let has_more = rows.len() as i64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        let next_cursor = has_more
            .then(|| rows.last())
            .flatten()
            .map(|(p, _)| encode_cursor(sort, &After::of(sort, p)));
        let ids: Vec<PaperId> = rows.iter().map(|(p, _)| p.id).collect();
        let authors = papers::authors_of(conn, &ids)?;
        let latest = summaries::latest_for_papers(conn, &ids)?;
        Ok(list_page(rows, authors, latest, next_cursor))
    })
    .await
}

/// Briefs of these papers (title, year, venue, authors, keywords), by id: three queries for
/// any number of papers.
pub fn briefs(conn: &mut DbConn, ids: &[PaperId]) -> DomainResult<HashMap<PaperId, PaperBrief>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = papers::briefs(conn, ids)?;
    let mut authors = group_authors(papers::authors_of(conn, ids)?);
    let mut keywords: HashMap<PaperId, Vec<KeywordRef>> = HashMap::new();
    for (paper, k) in keywords::keywords_of_many(conn, ids)? {
        keywords.entry(paper).or_default().push(KeywordRef {
            slug: k.slug,
            name: k.name,
        });
    }
    Ok(rows
        .into_values()
        .map(|(paper, venue)| {
            let brief = PaperBrief {
                id: paper.id,
                title: paper.title,
                year: paper.year,
                venue: venue.map(browse::venue_ref),
                authors: authors.remove(&paper.id).unwrap_or_default(),
                keywords: keywords.remove(&paper.id).unwrap_or_default(),
            };
            (brief.id, brief)
        })
        .collect())
}

/// List items of these papers (in no particular order), as the paper list shows them.
pub fn list_items(conn: &mut DbConn, ids: &[PaperId]) -> DomainResult<Vec<PaperListItem>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = papers::with_venues(conn, ids)?;
    let authors = papers::authors_of(conn, ids)?;
    let latest = summaries::latest_for_papers(conn, ids)?;
    Ok(list_page(rows, authors, latest, None).items)
}

fn list_page(
    rows: Vec<(Paper, Option<Venue>)>,
    authors: Vec<(PaperId, Author)>,
    latest: Vec<(summaries::Latest, AuthorName)>,
    next_cursor: Option<String>,
) -> PaperPage {
    let mut authors_by_paper = group_authors(authors);
    let mut latest_by_paper: HashMap<PaperId, LatestSummary> = latest
        .into_iter()
        .map(|(s, author)| {
            (
                s.paper_id,
                LatestSummary {
                    id: s.id,
                    author: (!s.anonymous).then(|| user_ref(author)),
                    excerpt: s.excerpt,
                    excerpt_html: s.excerpt_html,
                    created_at: s.created_at.and_utc(),
                },
            )
        })
        .collect();
    let items = rows
        .into_iter()
        .map(|(paper, venue)| PaperListItem {
            id: paper.id,
            authors: authors_by_paper.remove(&paper.id).unwrap_or_default(),
            latest_summary: latest_by_paper.remove(&paper.id),
            title: paper.title,
            year: paper.year,
            venue: venue.map(browse::venue_ref),
            arxiv_id: paper.arxiv_id,
            doi: paper.doi,
            summary_count: i64::from(paper.summary_count),
            created_at: paper.created_at.and_utc(),
        })
        .collect();
    PaperPage { items, next_cursor }
}

fn group_authors(rows: Vec<(PaperId, Author)>) -> HashMap<PaperId, Vec<AuthorRef>> {
    let mut map: HashMap<PaperId, Vec<AuthorRef>> = HashMap::new();
    for (paper_id, author) in rows {
        map.entry(paper_id).or_default().push(AuthorRef {
            id: author.id,
            name: author.name,
            verified_user: None,
            orcid: None,
        });
    }
    map
}

/// A paper with everything its page shows to this viewer: their votes, and their own summary
/// even while it is private or hidden.
#[tracing::instrument(level = "debug", skip(db, viewer))]
pub async fn get(db: &Db, viewer: Viewer, reference: PaperRef) -> DomainResult<PaperDetail> {
    db.run(move |conn| detail(conn, &reference, &viewer)?.ok_or_else(|| no_paper(&reference)))
        .await
}

/// The paper as a BibTeX entry: (citation key, entry).
#[tracing::instrument(level = "debug", skip(db))]
pub async fn bibtex(db: &Db, reference: PaperRef) -> DomainResult<(String, String)> {
    let paper = get(db, Viewer::default(), reference).await?;
    Ok((bibtex::citation_key(&paper), bibtex::entry(&paper)))
}

/// A paper as its page shows it to this viewer, or `None` when there is no such paper.
pub fn detail(
    conn: &mut DbConn,
    reference: &PaperRef,
    viewer: &Viewer,
) -> DomainResult<Option<PaperDetail>> {
    let Some((paper, venue)) = papers::find(conn, reference)? else {
        return Ok(None);
    };
    // Three statements in all, whoever asks: the paper with its venue, its authors and
    // keywords, its summaries with the viewer's votes.
    let (authors, keywords) = papers::authors_and_keywords(conn, paper.id)?;
    let rows = summaries::for_paper(conn, paper.id, viewer.id)?;
    let links = links(&paper);
    // The paper's verified authors by username, first in the paper's order: the badge on
    // their summaries, found without another statement.
    let mut verified: HashMap<String, VerifiedAuthor> = HashMap::new();
    for a in &authors {
        if let Some(username) = &a.verified_user {
            verified
                .entry(username.clone())
                .or_insert_with(|| VerifiedAuthor {
                    author_id: a.author.id,
                    name: a.author.name.clone(),
                    orcid: a.orcid.clone(),
                });
        }
    }
    Ok(Some(PaperDetail {
        id: paper.id,
        authors: authors
            .into_iter()
            .map(|a| AuthorRef {
                id: a.author.id,
                name: a.author.name,
                verified_user: a.verified_user,
                orcid: a.orcid,
            })
            .collect(),
        keywords: keywords
            .into_iter()
            .map(|k| KeywordRef {
                slug: k.slug,
                name: k.name,
            })
            .collect(),
        summaries: rows
            .into_iter()
            .map(|(s, author, vote)| {
                let badge = verified.get(&author.username).cloned();
                summary_item(s, author, viewer, vote, badge)
            })
            .collect(),
        title: paper.title,
        abstract_text: paper.abstract_text,
        year: paper.year,
        published_on: paper.published_on,
        venue: venue.map(browse::venue_ref),
        arxiv_id: paper.arxiv_id,
        doi: paper.doi,
        links,
        summary_count: i64::from(paper.summary_count),
        can_edit: viewer.id.is_some() && (viewer.moderator || viewer.id == paper.created_by),
        created_at: paper.created_at.and_utc(),
        updated_at: paper.updated_at.and_utc(),
    }))
}

/// A stored paper as an anonymous reader sees it (after creating or editing it).
pub fn stored(conn: &mut DbConn, id: PaperId, viewer: &Viewer) -> DomainResult<PaperDetail> {
    detail(conn, &PaperRef::Id(id), viewer)?
        .ok_or_else(|| DomainError::internal(anyhow::anyhow!("paper {id} vanished")))
}

/// Where to read the paper: arXiv, PDF, DOI resolver, landing page and a Google Scholar search.
pub fn links(paper: &Paper) -> PaperLinks {
    let arxiv = paper
        .arxiv_id
        .as_ref()
        .map(|id| format!("https://arxiv.org/abs/{id}"));
    let pdf = paper.pdf_url.clone().or_else(|| {
        paper
            .arxiv_id
            .as_ref()
            .map(|id| format!("https://arxiv.org/pdf/{id}"))
    });
    let doi = paper
        .doi
        .as_ref()
        .map(|doi| format!("https://doi.org/{doi}"));
    let query: String = url::form_urlencoded::byte_serialize(paper.title.as_bytes()).collect();
    PaperLinks {
        arxiv,
        pdf,
        doi,
        url: paper.url.clone(),
        scholar: format!("https://scholar.google.com/scholar?q={query}"),
    }
}
