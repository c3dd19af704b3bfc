//! Papers: `GET /papers`, `GET /papers/{ref}`.

use std::collections::HashMap;

use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use shortscience_types::{
    AuthorId, AuthorRef, KeywordRef, LatestSummary, PaperDetail, PaperId, PaperLinks,
    PaperListItem, PaperPage, PaperRef, Problem, SummaryId, SummaryItem, UserRef,
};
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db::models::papers::{self, Author, Paper, PaperFilter};
use crate::db::models::summaries::{self, AuthorName, Summary};
use crate::db::models::venues::Venue;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::query::{Cursor, QueryParams};
use crate::routes::venues::venue_ref;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_papers).service(get_paper);
}

/// Query parameters of `GET /papers` (documentation; parsed by [`QueryParams`]).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ListPapersParams {
    /// Only papers at this venue (its slug, e.g. `iclr`).
    venue: Option<String>,
    /// Only papers from this year.
    #[param(minimum = 1000, maximum = 9999)]
    year: Option<i32>,
    /// Page size, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// Papers, newest first, filtered by venue and year. Keyset-paginated: follow `next_cursor`.
#[utoipa::path(
    tag = "papers",
    params(ListPapersParams),
    responses(
        (status = 200, description = "One page of papers", body = PaperPage),
        (status = 400, description = "A query parameter is malformed or out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/papers")]
pub async fn list_papers(db: web::Data<Db>, query: QueryParams) -> ApiResult<HttpResponse> {
    let limit = query.limit()?;
    let filter = PaperFilter {
        venue_slug: query.string("venue", 100)?.map(|s| s.to_lowercase()),
        year: query
            .int("year", 1000..=9999)?
            .and_then(|y| i32::try_from(y).ok()),
    };
    let before_id = match query.cursor()? {
        Some(cursor) if cursor.key == "id" => Some(cursor.id),
        Some(_) => return Err(ApiError::invalid_query("cursor", "belongs to another list")),
        None => None,
    };
    let page = db
        .run(move |conn| {
            // One row more than asked tells whether there is a next page.
            let mut rows = papers::list(conn, &filter, before_id, limit + 1)?;
            let has_more = rows.len() as i64 > limit;
            rows.truncate(usize::try_from(limit).unwrap_or(0));
            let ids: Vec<i64> = rows.iter().map(|(p, _)| p.id).collect();
            let authors = papers::authors_of(conn, &ids)?;
            let latest = summaries::latest_for_papers(conn, &ids)?;
            Ok(build_page(rows, authors, latest, has_more))
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

fn build_page(
    rows: Vec<(Paper, Option<Venue>)>,
    authors: Vec<(i64, Author)>,
    latest: Vec<(Summary, AuthorName)>,
    has_more: bool,
) -> PaperPage {
    let mut authors_by_paper = group_authors(authors);
    let mut latest_by_paper: HashMap<i64, LatestSummary> = latest
        .into_iter()
        .map(|(s, author)| {
            (
                s.paper_id,
                LatestSummary {
                    id: SummaryId(s.id),
                    author: (!s.anonymous).then(|| user_ref(author)),
                    excerpt: s.excerpt,
                    excerpt_html: s.excerpt_html,
                    created_at: s.created_at.and_utc(),
                },
            )
        })
        .collect();
    let next_cursor = if has_more {
        rows.last().map(|(p, _)| Cursor::new("id", p.id).encode())
    } else {
        None
    };
    let items = rows
        .into_iter()
        .map(|(paper, venue)| PaperListItem {
            id: PaperId(paper.id),
            authors: authors_by_paper.remove(&paper.id).unwrap_or_default(),
            latest_summary: latest_by_paper.remove(&paper.id),
            title: paper.title,
            year: paper.year,
            venue: venue.map(venue_ref),
            arxiv_id: paper.arxiv_id,
            doi: paper.doi,
            summary_count: i64::from(paper.summary_count),
            created_at: paper.created_at.and_utc(),
        })
        .collect();
    PaperPage { items, next_cursor }
}

fn group_authors(rows: Vec<(i64, Author)>) -> HashMap<i64, Vec<AuthorRef>> {
    let mut map: HashMap<i64, Vec<AuthorRef>> = HashMap::new();
    for (paper_id, author) in rows {
        map.entry(paper_id).or_default().push(AuthorRef {
            id: AuthorId(author.id),
            name: author.name,
        });
    }
    map
}

fn user_ref(author: AuthorName) -> UserRef {
    UserRef {
        username: author.username,
        display_name: author.display_name,
    }
}

/// A paper with its authors, venue, keywords, links and its public summaries, best first.
#[utoipa::path(
    tag = "papers",
    params(("ref" = String, Path, description = "The paper's id, `arxiv:<id>` (any version) or `doi:<doi>`", example = "arxiv:2003.10555")),
    responses(
        (status = 200, description = "The paper", body = PaperDetail),
        (status = 400, description = "`ref` is not an id, arXiv id or DOI", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such paper", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/papers/{ref:.+}")]
pub async fn get_paper(db: web::Data<Db>, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let raw = path.into_inner();
    let reference = PaperRef::parse(&raw).map_err(|e| ApiError::invalid_path("ref", e.0))?;
    let detail = db
        .run(move |conn| {
            load_detail(conn, &reference)?
                .ok_or_else(|| ApiError::not_found(format!("no paper `{reference}`")))
        })
        .await?;
    Ok(HttpResponse::Ok().json(detail))
}

/// A paper with everything its page shows, or `None` when there is no such paper.
pub fn load_detail(
    conn: &mut crate::db::DbConn,
    reference: &PaperRef,
) -> Result<Option<PaperDetail>, diesel::result::Error> {
    let Some((paper, venue)) = papers::find(conn, reference)? else {
        return Ok(None);
    };
    let authors = papers::authors_of(conn, &[paper.id])?;
    let keywords = papers::keywords_of(conn, paper.id)?;
    let summaries = summaries::for_paper(conn, paper.id)?;
    Ok(Some(build_detail(
        paper, venue, authors, keywords, summaries,
    )))
}

fn build_detail(
    paper: Paper,
    venue: Option<Venue>,
    authors: Vec<(i64, Author)>,
    keywords: Vec<papers::Keyword>,
    summaries: Vec<(Summary, AuthorName)>,
) -> PaperDetail {
    let links = links(&paper);
    PaperDetail {
        id: PaperId(paper.id),
        authors: group_authors(authors).remove(&paper.id).unwrap_or_default(),
        keywords: keywords
            .into_iter()
            .map(|k| KeywordRef {
                slug: k.slug,
                name: k.name,
            })
            .collect(),
        summaries: summaries
            .into_iter()
            .map(|(s, author)| SummaryItem {
                id: SummaryId(s.id),
                author: (!s.anonymous).then(|| user_ref(author)),
                anonymous: s.anonymous,
                body_markdown: s.body_markdown,
                body_html: s.body_html,
                ups: s.ups,
                downs: s.downs,
                score: s.score,
                rank: s.rank,
                comment_count: s.comment_count,
                created_at: s.created_at.and_utc(),
                edited_at: s.edited_at.map(|t| t.and_utc()),
            })
            .collect(),
        title: paper.title,
        abstract_text: paper.abstract_text,
        year: paper.year,
        published_on: paper.published_on,
        venue: venue.map(venue_ref),
        arxiv_id: paper.arxiv_id,
        doi: paper.doi,
        links,
        summary_count: i64::from(paper.summary_count),
        created_at: paper.created_at.and_utc(),
        updated_at: paper.updated_at.and_utc(),
    }
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
