//! Adding papers by hand, editing them, their change log and BibTeX.

use actix_web::{get, patch, post, web, HttpResponse};
use serde_json::{json, Map, Value};
use shortscience_types::{
    ArxivId, CreatePaperRequest, Doi, PaperChange, PaperDetail, PaperHistory, PaperId, PaperRef,
    Problem, UpdatePaperRequest,
};
use utoipa_actix_web::service_config::ServiceConfig;

use super::papers::load_detail;
use crate::auth::ActiveUser;
use crate::catalogue::{self, PaperRecord, VenueInput};
use crate::db::models::{self, papers, venues};
use crate::db::{write_transaction, Db, DbConn};
use crate::error::{ApiError, ApiResult};
use crate::validate;

pub fn configure(cfg: &mut ServiceConfig) {
    // Before `GET /papers/{ref:.+}`, which would otherwise take `…/bibtex` as part of a DOI.
    cfg.service(get_bibtex)
        .service(get_paper_history)
        .service(create_paper)
        .service(update_paper);
}

fn field<T>(name: &str, result: Result<T, String>) -> ApiResult<T> {
    result.map_err(|m| ApiError::invalid_field(name, m))
}

fn parse_reference(raw: &str) -> ApiResult<PaperRef> {
    PaperRef::parse(raw).map_err(|e| ApiError::invalid_path("ref", e.0))
}

fn optional_doi(raw: Option<&str>) -> ApiResult<Option<String>> {
    raw.map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            Doi::parse(d)
                .map(|d| d.as_str().to_owned())
                .map_err(|e| ApiError::invalid_field("doi", e.0))
        })
        .transpose()
}

fn optional_arxiv(raw: Option<&str>) -> ApiResult<Option<String>> {
    raw.map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| {
            shortscience_upstream::arxiv::id_from_input(a)
                .map(|a| a.as_str().to_owned())
                .map_err(|e| ApiError::invalid_field("arxiv_id", e.0))
        })
        .transpose()
}

fn venue_input(input: &shortscience_types::VenueInput) -> ApiResult<VenueInput> {
    let name = field("venue", validate::venue_name(&input.name))?;
    VenueInput::new(&name, input.kind)
        .ok_or_else(|| ApiError::invalid_field("venue", "needs letters or digits in its name"))
}

/// 409 when another paper already has this arXiv id or DOI.
fn ensure_unique(
    conn: &mut DbConn,
    arxiv_id: Option<&str>,
    doi: Option<&str>,
    except: Option<i64>,
) -> ApiResult<()> {
    let checks = [
        (
            "arxiv_id",
            arxiv_id
                .and_then(|a| ArxivId::parse(a).ok())
                .map(PaperRef::Arxiv),
        ),
        (
            "doi",
            doi.and_then(|d| Doi::parse(d).ok()).map(PaperRef::Doi),
        ),
    ];
    for (name, reference) in checks {
        let Some(reference) = reference else { continue };
        if let Some((other, _)) = papers::find(conn, &reference)? {
            if Some(other.id) != except {
                return Err(ApiError::Conflict {
                    code: "paper_exists",
                    field: name.to_owned(),
                    message: format!(
                        "this paper is already in the catalogue: /api/v1/papers/{}",
                        other.id
                    ),
                });
            }
        }
    }
    Ok(())
}

/// Adds a paper that is in neither arXiv nor Crossref, from a form.
#[utoipa::path(
    tag = "papers",
    security(("bearer" = [])),
    request_body = CreatePaperRequest,
    responses(
        (status = 201, description = "Added", body = PaperDetail),
        (status = 400, description = "Malformed JSON or unknown fields", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Suspended", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A paper with this DOI or arXiv id exists (`paper_exists`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/papers")]
pub async fn create_paper(
    db: web::Data<Db>,
    ActiveUser(caller): ActiveUser,
    body: web::Json<CreatePaperRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let record = PaperRecord {
        title: field("title", validate::title(&body.title))?,
        authors: field("authors", validate::authors(&body.authors))?,
        abstract_text: field(
            "abstract",
            validate::abstract_text(body.abstract_text.as_deref().unwrap_or_default()),
        )?,
        year: body
            .year
            .map(|y| field("year", validate::year(y)))
            .transpose()?,
        published_on: body.published_on,
        venue: body.venue.as_ref().map(venue_input).transpose()?,
        doi: optional_doi(body.doi.as_deref())?,
        arxiv_id: optional_arxiv(body.arxiv_id.as_deref())?,
        url: field(
            "url",
            validate::web_url(body.url.as_deref().unwrap_or_default()),
        )?,
        pdf_url: field(
            "pdf_url",
            validate::web_url(body.pdf_url.as_deref().unwrap_or_default()),
        )?,
        source: "manual",
        keywords: field("keywords", validate::keywords(&body.keywords))?
            .into_iter()
            .map(|k| (k, "free"))
            .collect(),
    };
    let detail = db
        .run(move |conn| {
            write_transaction(conn, |conn| {
                ensure_unique(
                    conn,
                    record.arxiv_id.as_deref(),
                    record.doi.as_deref(),
                    None,
                )?;
                let id = catalogue::insert(conn, &record, Some(caller.id))?;
                papers::log_change(
                    conn,
                    id,
                    Some(caller.id),
                    "created",
                    &json!({"source": "manual"}),
                    models::now(),
                )?;
                load_detail(conn, &PaperRef::Id(PaperId(id)))?
                    .ok_or_else(|| ApiError::internal(anyhow::anyhow!("the new paper vanished")))
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/papers/{}", detail.id)))
        .json(detail))
}

/// Corrects a paper's metadata: by whoever added it, or a moderator. Every change is recorded
/// (who, when, what) in the paper's history.
#[utoipa::path(
    tag = "papers",
    security(("bearer" = [])),
    params(("ref" = String, Path, description = "The paper's id, `arxiv:<id>` or `doi:<doi>`")),
    request_body = UpdatePaperRequest,
    responses(
        (status = 200, description = "The updated paper", body = PaperDetail),
        (status = 400, description = "Malformed JSON, unknown fields or a malformed ref", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the paper's creator nor a moderator, or suspended", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such paper", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another paper has this DOI or arXiv id", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/papers/{ref:.+}")]
pub async fn update_paper(
    db: web::Data<Db>,
    ActiveUser(caller): ActiveUser,
    path: web::Path<String>,
    body: web::Json<UpdatePaperRequest>,
) -> ApiResult<HttpResponse> {
    let reference = parse_reference(&path.into_inner())?;
    let body = body.into_inner();
    // Validate everything before touching the database.
    let title = body
        .title
        .as_deref()
        .map(|t| field("title", validate::title(t)))
        .transpose()?;
    let authors = body
        .authors
        .as_deref()
        .map(|a| field("authors", validate::authors(a)))
        .transpose()?;
    let abstract_text = body
        .abstract_text
        .as_ref()
        .map(|a| {
            field(
                "abstract",
                validate::abstract_text(a.as_deref().unwrap_or_default()),
            )
        })
        .transpose()?;
    let year = body
        .year
        .map(|y| y.map(|y| field("year", validate::year(y))).transpose())
        .transpose()?;
    let venue = body
        .venue
        .as_ref()
        .map(|v| v.as_ref().map(venue_input).transpose())
        .transpose()?;
    let doi = body
        .doi
        .as_ref()
        .map(|d| optional_doi(d.as_deref()))
        .transpose()?;
    let arxiv_id = body
        .arxiv_id
        .as_ref()
        .map(|a| optional_arxiv(a.as_deref()))
        .transpose()?;
    let url = body
        .url
        .as_ref()
        .map(|u| field("url", validate::web_url(u.as_deref().unwrap_or_default())))
        .transpose()?;
    let pdf_url = body
        .pdf_url
        .as_ref()
        .map(|u| {
            field(
                "pdf_url",
                validate::web_url(u.as_deref().unwrap_or_default()),
            )
        })
        .transpose()?;
    let keywords = body
        .keywords
        .as_deref()
        .map(|k| field("keywords", validate::keywords(k)))
        .transpose()?;
    let published_on = body.published_on;

    let detail = db
        .run(move |conn| {
            write_transaction(conn, |conn| {
                let Some((paper, old_venue)) = papers::find(conn, &reference)? else {
                    return Err(ApiError::not_found(format!("no paper `{reference}`")));
                };
                let may_edit = paper.created_by == Some(caller.id) || caller.role.can_moderate();
                if !may_edit {
                    return Err(ApiError::forbidden(
                        "forbidden",
                        "only whoever added this paper, or a moderator, may edit it",
                    ));
                }
                let before = load_detail(conn, &PaperRef::Id(PaperId(paper.id)))?
                    .ok_or_else(|| ApiError::internal(anyhow::anyhow!("the paper vanished")))?;
                let mut diff = Map::new();
                let mut record = |name: &str, from: Value, to: Value| {
                    if from != to {
                        diff.insert(name.to_owned(), json!({"from": from, "to": to}));
                    }
                };
                let mut changes = papers::PaperChanges::default();
                if let Some(title) = title {
                    record("title", json!(paper.title), json!(title));
                    changes.title = Some(title);
                }
                if let Some(text) = abstract_text {
                    record("abstract", json!(paper.abstract_text), json!(text));
                    changes.abstract_text = Some(text);
                }
                if let Some(year) = year {
                    record("year", json!(paper.year), json!(year));
                    changes.year = Some(year);
                }
                if let Some(date) = published_on {
                    record("published_on", json!(paper.published_on), json!(date));
                    changes.published_on = Some(date);
                }
                if let Some(venue) = venue {
                    record(
                        "venue",
                        json!(old_venue.as_ref().map(|v| &v.name)),
                        json!(venue.as_ref().map(|v| &v.name)),
                    );
                    changes.venue_id = Some(match venue {
                        Some(v) => Some(
                            venues::find_or_create(
                                conn,
                                &venues::NewVenue {
                                    slug: &v.slug,
                                    name: &v.name,
                                    kind: v.kind.as_str(),
                                    created_at: models::now(),
                                },
                            )?
                            .id,
                        ),
                        None => None,
                    });
                }
                if let Some(doi) = doi {
                    ensure_unique(conn, None, doi.as_deref(), Some(paper.id))?;
                    record("doi", json!(paper.doi), json!(doi));
                    changes.doi = Some(doi);
                }
                if let Some(arxiv_id) = arxiv_id {
                    ensure_unique(conn, arxiv_id.as_deref(), None, Some(paper.id))?;
                    record("arxiv_id", json!(paper.arxiv_id), json!(arxiv_id));
                    changes.arxiv_id = Some(arxiv_id);
                }
                if let Some(url) = url {
                    record("url", json!(paper.url), json!(url));
                    changes.url = Some(url);
                }
                if let Some(pdf_url) = pdf_url {
                    record("pdf_url", json!(paper.pdf_url), json!(pdf_url));
                    changes.pdf_url = Some(pdf_url);
                }
                if let Some(authors) = &authors {
                    let old: Vec<&str> = before.authors.iter().map(|a| a.name.as_str()).collect();
                    record("authors", json!(old), json!(authors));
                }
                if let Some(keywords) = &keywords {
                    let old: Vec<&str> = before.keywords.iter().map(|k| k.name.as_str()).collect();
                    record("keywords", json!(old), json!(keywords));
                }
                if diff.is_empty() {
                    return Ok(before);
                }
                let now = models::now();
                changes.updated_at = Some(now);
                papers::update(conn, paper.id, &changes)?;
                if let Some(authors) = &authors {
                    let names: Vec<&str> = authors.iter().map(String::as_str).collect();
                    papers::set_authors(conn, paper.id, &names)?;
                }
                if let Some(keywords) = &keywords {
                    // Keywords that exist keep their kind (an arXiv category stays one); new
                    // ones are free keywords.
                    let kinds: Vec<(&str, &str)> =
                        keywords.iter().map(|k| (k.as_str(), "free")).collect();
                    papers::set_keywords(conn, paper.id, &kinds)?;
                }
                papers::log_change(
                    conn,
                    paper.id,
                    Some(caller.id),
                    "edited",
                    &Value::Object(diff),
                    now,
                )?;
                load_detail(conn, &PaperRef::Id(PaperId(paper.id)))?
                    .ok_or_else(|| ApiError::internal(anyhow::anyhow!("the paper vanished")))
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(detail))
}

/// Who added or changed the paper, when, and what.
#[utoipa::path(
    tag = "papers",
    params(("ref" = String, Path, description = "The paper's id, `arxiv:<id>` or `doi:<doi>`")),
    responses(
        (status = 200, description = "The change log, oldest first", body = PaperHistory),
        (status = 404, description = "No such paper", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/papers/{ref:.+}/history")]
pub async fn get_paper_history(
    db: web::Data<Db>,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let reference = parse_reference(&path.into_inner())?;
    let history = db
        .run(move |conn| {
            let Some((paper, _)) = papers::find(conn, &reference)? else {
                return Err(ApiError::not_found(format!("no paper `{reference}`")));
            };
            let items = papers::changes_of(conn, paper.id)?
                .into_iter()
                .map(|row| PaperChange {
                    action: row.action,
                    username: row.username,
                    at: row.at.and_utc(),
                    changes: serde_json::from_str(&row.changes).unwrap_or(Value::Null),
                })
                .collect();
            Ok(PaperHistory { items })
        })
        .await?;
    Ok(HttpResponse::Ok().json(history))
}

/// The paper as a BibTeX entry.
#[utoipa::path(
    tag = "papers",
    params(("ref" = String, Path, description = "The paper's id, `arxiv:<id>` or `doi:<doi>`")),
    responses(
        (status = 200, description = "A BibTeX entry", body = String, content_type = "text/x-bibtex"),
        (status = 404, description = "No such paper", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/papers/{ref:.+}/bibtex")]
pub async fn get_bibtex(db: web::Data<Db>, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let reference = parse_reference(&path.into_inner())?;
    let detail = db
        .run(move |conn| {
            load_detail(conn, &reference)?
                .ok_or_else(|| ApiError::not_found(format!("no paper `{reference}`")))
        })
        .await?;
    let key = crate::bibtex::citation_key(&detail);
    Ok(HttpResponse::Ok()
        .content_type("text/x-bibtex; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("inline; filename=\"{key}.bib\""),
        ))
        .body(crate::bibtex::entry(&detail)))
}
