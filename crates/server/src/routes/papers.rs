//! Papers: `GET /papers`, `GET /papers/{ref}`.

use std::collections::HashMap;

use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use shortscience_types::{
    AuthorId, AuthorRef, KeywordRef, LatestSummary, PaperDetail, PaperId, PaperLinks,
    PaperListItem, PaperPage, PaperRef, Problem, SummaryId, UserRef,
};
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::MaybeAuthUser;
use crate::db::models::papers::{self, After, Author, Paper, PaperFilter, PaperSort};
use crate::db::models::summaries::{self, AuthorName, Summary};
use crate::db::models::venues::Venue;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::query::{Cursor, QueryParams};
use crate::routes::summaries::{summary_item, Viewer};
use crate::routes::venues::venue_ref;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_papers).service(get_paper);
}

/// Query parameters of `GET /papers` (documentation; parsed by [`QueryParams`]).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ListPapersParams {
    /// `new` (newest added, the default), `recent` (newest summary), `summaries` (most
    /// summaries) or `top` (best summary score).
    sort: Option<String>,
    /// Only papers at this venue (its slug, e.g. `iclr`).
    venue: Option<String>,
    /// Only papers from this year.
    #[param(minimum = 1000, maximum = 9999)]
    year: Option<i32>,
    /// Only papers with this keyword or arXiv category (its slug, e.g. `cs.cl`).
    keyword: Option<String>,
    /// Only papers by this author (their id).
    author: Option<i64>,
    /// Page size, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    limit: Option<i64>,
    /// `next_cursor` of the previous page (of the same sort).
    cursor: Option<String>,
}

fn parse_sort(raw: Option<&str>) -> ApiResult<PaperSort> {
    match raw {
        None | Some("new") => Ok(PaperSort::New),
        Some("recent") => Ok(PaperSort::Recent),
        Some("summaries") => Ok(PaperSort::Summaries),
        Some("top") => Ok(PaperSort::Top),
        Some(_) => Err(ApiError::invalid_query(
            "sort",
            "must be one of new, recent, summaries, top",
        )),
    }
}

fn sort_name(sort: PaperSort) -> &'static str {
    match sort {
        PaperSort::New => "new",
        PaperSort::Recent => "recent",
        PaperSort::Summaries => "summaries",
        PaperSort::Top => "top",
    }
}

/// `<sort>:<key>` and the id: the position after which the next page starts.
fn encode_cursor(sort: PaperSort, after: &After) -> String {
    let key = match after {
        After::Id(_) => String::new(),
        After::Recent(Some(at), _) => at.and_utc().timestamp_micros().to_string(),
        After::Recent(None, _) => "null".to_owned(),
        After::Count(n, _) => n.to_string(),
    };
    let id = match after {
        After::Id(id) | After::Recent(_, id) | After::Count(_, id) => *id,
    };
    Cursor::new(format!("{}:{key}", sort_name(sort)), id).encode()
}

fn decode_cursor(sort: PaperSort, cursor: &Cursor) -> ApiResult<After> {
    let wrong = || ApiError::invalid_query("cursor", "belongs to another list or sort");
    let (name, key) = cursor.key.split_once(':').ok_or_else(wrong)?;
    if name != sort_name(sort) {
        return Err(wrong());
    }
    Ok(match sort {
        PaperSort::New => After::Id(cursor.id),
        PaperSort::Recent if key == "null" => After::Recent(None, cursor.id),
        PaperSort::Recent => {
            let at = key
                .parse::<i64>()
                .ok()
                .and_then(chrono::DateTime::from_timestamp_micros)
                .ok_or_else(wrong)?;
            After::Recent(Some(at.naive_utc()), cursor.id)
        }
        PaperSort::Summaries | PaperSort::Top => {
            After::Count(key.parse::<i32>().map_err(|_| wrong())?, cursor.id)
        }
    })
}

/// Papers, filtered by venue, year, keyword and author, in one of four orders.
/// Keyset-paginated: follow `next_cursor`.
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
    let sort = parse_sort(query.string("sort", 20)?.as_deref())?;
    let filter = PaperFilter {
        venue_slug: query.string("venue", 100)?.map(|s| s.to_lowercase()),
        year: query
            .int("year", 1000..=9999)?
            .and_then(|y| i32::try_from(y).ok()),
        keyword_slug: query.string("keyword", 100)?.map(|s| s.to_lowercase()),
        author_id: query.int("author", 1..=i64::MAX)?,
    };
    let after = query
        .cursor()?
        .map(|cursor| decode_cursor(sort, &cursor))
        .transpose()?;
    let page = db
        .run(move |conn| {
            // One row more than asked tells whether there is a next page.
            let mut rows = papers::list(conn, &filter, sort, after.as_ref(), limit + 1)?;
            let has_more = rows.len() as i64 > limit;
            rows.truncate(usize::try_from(limit).unwrap_or(0));
            let next_cursor = has_more
                .then(|| rows.last())
                .flatten()
                .map(|(p, _)| encode_cursor(sort, &sort.after(p)));
            let ids: Vec<i64> = rows.iter().map(|(p, _)| p.id).collect();
            let authors = papers::authors_of(conn, &ids)?;
            let latest = summaries::latest_for_papers(conn, &ids)?;
            Ok(build_page(rows, authors, latest, next_cursor))
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

fn build_page(
    rows: Vec<(Paper, Option<Venue>)>,
    authors: Vec<(i64, Author)>,
    latest: Vec<(Summary, AuthorName)>,
    next_cursor: Option<String>,
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
pub async fn get_paper(
    db: web::Data<Db>,
    MaybeAuthUser(caller): MaybeAuthUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let raw = path.into_inner();
    let reference = PaperRef::parse(&raw).map_err(|e| ApiError::invalid_path("ref", e.0))?;
    let viewer = Viewer::of(caller.as_ref());
    let detail = db
        .run(move |conn| {
            load_detail_for(conn, &reference, &viewer)?
                .ok_or_else(|| ApiError::not_found(format!("no paper `{reference}`")))
        })
        .await?;
    Ok(HttpResponse::Ok().json(detail))
}

/// A paper with everything its page shows to an anonymous reader, or `None` when there is no
/// such paper.
pub fn load_detail(
    conn: &mut crate::db::DbConn,
    reference: &PaperRef,
) -> Result<Option<PaperDetail>, diesel::result::Error> {
    load_detail_for(conn, reference, &Viewer::default())
}

/// A paper with everything its page shows to this viewer: their votes, and their own summary
/// even while it is private or hidden.
pub fn load_detail_for(
    conn: &mut crate::db::DbConn,
    reference: &PaperRef,
    viewer: &Viewer,
) -> Result<Option<PaperDetail>, diesel::result::Error> {
    let Some((paper, venue)) = papers::find(conn, reference)? else {
        return Ok(None);
    };
    let authors = papers::authors_of(conn, &[paper.id])?;
    let keywords = papers::keywords_of(conn, paper.id)?;
    let summaries = summaries::for_paper(conn, paper.id, viewer.id)?;
    let votes = match viewer.id {
        Some(user) => {
            let ids: Vec<i64> = summaries.iter().map(|(s, _)| s.id).collect();
            summaries::votes_of(conn, user, &ids)?
        }
        None => HashMap::new(),
    };
    Ok(Some(build_detail(
        paper, venue, authors, keywords, summaries, &votes, viewer,
    )))
}

fn build_detail(
    paper: Paper,
    venue: Option<Venue>,
    authors: Vec<(i64, Author)>,
    keywords: Vec<papers::Keyword>,
    summaries: Vec<(Summary, AuthorName)>,
    votes: &HashMap<i64, i32>,
    viewer: &Viewer,
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
            .map(|(s, author)| {
                let vote = votes.get(&s.id).copied().unwrap_or(0);
                summary_item(s, author, viewer, vote)
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
