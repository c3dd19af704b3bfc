//! `POST /papers/import`: add a paper by arXiv id or DOI, its metadata fetched upstream.

use actix_web::{post, web, HttpResponse};
use shortscience_types::{
    ArxivId, Doi, ImportPaperRequest, ImportPreview, PaperDetail, PaperDraft, PaperId, PaperRef,
    Problem, VenueRef,
};
use utoipa_actix_web::service_config::ServiceConfig;

use super::papers::load_detail;
use crate::auth::ActiveUser;
use crate::catalogue::{self, PaperRecord};
use crate::db::models::papers;
use crate::db::{write_transaction, Db, DbConn};
use crate::error::{ApiError, ApiResult};
use crate::rate_limit::RateLimits;
use crate::upstream::Upstream;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(import_paper);
}

/// What to import from where.
enum Source {
    Arxiv(ArxivId),
    Crossref(Doi),
}

/// arXiv's own DOIs (DataCite, `10.48550/arXiv.<id>`) name arXiv papers: import those from arXiv.
const ARXIV_DOI_PREFIX: &str = "10.48550/arxiv.";

fn source(body: &ImportPaperRequest) -> ApiResult<Source> {
    match (body.arxiv.as_deref(), body.doi.as_deref()) {
        (Some(arxiv), None) => shortscience_upstream::arxiv::id_from_input(arxiv)
            .map(Source::Arxiv)
            .map_err(|e| ApiError::invalid_field("arxiv", e.0)),
        (None, Some(doi)) => {
            let doi = Doi::parse(doi).map_err(|e| ApiError::invalid_field("doi", e.0))?;
            match doi.as_str().strip_prefix(ARXIV_DOI_PREFIX) {
                Some(id) => ArxivId::parse(id)
                    .map(Source::Arxiv)
                    .map_err(|e| ApiError::invalid_field("doi", e.0)),
                None => Ok(Source::Crossref(doi)),
            }
        }
        (Some(_), Some(_)) => Err(ApiError::invalid_field(
            "doi",
            "give either arxiv or doi, not both",
        )),
        (None, None) => Err(ApiError::invalid_field(
            "arxiv",
            "give an arXiv id or URL, or a DOI",
        )),
    }
}

/// The stored paper this record would duplicate: same arXiv id (any version), or same DOI
/// (compared in lower case), including an arXiv paper whose DOI matches.
fn existing(conn: &mut DbConn, record: &PaperRecord) -> Result<Option<i64>, diesel::result::Error> {
    let mut refs = Vec::new();
    if let Some(id) = record
        .arxiv_id
        .as_deref()
        .and_then(|a| ArxivId::parse(a).ok())
    {
        refs.push(PaperRef::Arxiv(id));
    }
    if let Some(doi) = record.doi.as_deref().and_then(|d| Doi::parse(d).ok()) {
        refs.push(PaperRef::Doi(doi));
    }
    for reference in refs {
        if let Some((paper, _)) = papers::find(conn, &reference)? {
            return Ok(Some(paper.id));
        }
    }
    Ok(None)
}

fn draft(record: &PaperRecord) -> PaperDraft {
    PaperDraft {
        title: record.title.clone(),
        abstract_text: record.abstract_text.clone(),
        year: record.year,
        published_on: record.published_on,
        venue: record.venue.as_ref().map(|v| VenueRef {
            slug: v.slug.clone(),
            name: v.name.clone(),
            kind: v.kind,
        }),
        authors: record.authors.clone(),
        keywords: record.keywords.iter().map(|(k, _)| k.clone()).collect(),
        arxiv_id: record.arxiv_id.clone(),
        doi: record.doi.clone(),
    }
}

enum Stored {
    Created(i64),
    Existing(i64),
    /// Another request inserted the same paper first.
    LostRace,
}

/// Adds a paper by arXiv id or DOI, with its metadata from arXiv or Crossref. Importing a paper
/// that is already in the catalogue (any arXiv version; DOIs in any case; an arXiv paper whose
/// DOI matches) answers 200 with the existing paper instead of adding a duplicate.
#[utoipa::path(
    tag = "papers",
    security(("bearer" = [])),
    request_body = ImportPaperRequest,
    responses(
        (status = 201, description = "Imported", body = PaperDetail),
        (status = 200, description = "Already in the catalogue (or, with dry_run, the preview: an ImportPreview)", body = PaperDetail),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Suspended", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "arXiv or Crossref has no such paper (`upstream_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an arXiv id, arXiv URL or DOI", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many imports", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "arXiv or Crossref failed or answered nonsense (`upstream_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 504, description = "arXiv or Crossref did not answer in time (`upstream_timeout`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/papers/import")]
pub async fn import_paper(
    db: web::Data<Db>,
    upstream: web::Data<Upstream>,
    limits: web::Data<RateLimits>,
    ActiveUser(caller): ActiveUser,
    body: web::Json<ImportPaperRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let source = source(&body)?;
    limits.import(caller.id)?;

    // Known already? Then upstream is not asked at all.
    let known = match &source {
        Source::Arxiv(id) => PaperRef::Arxiv(id.clone()),
        Source::Crossref(doi) => PaperRef::Doi(doi.clone()),
    };
    let known_id = db
        .run(move |conn| Ok(papers::find(conn, &known)?.map(|(p, _)| p.id)))
        .await?;
    if let Some(id) = known_id {
        return respond(&db, id, false, body.dry_run).await;
    }

    let record = match &source {
        Source::Arxiv(id) => catalogue::from_arxiv(&upstream.arxiv(id).await?),
        Source::Crossref(doi) => catalogue::from_crossref(&upstream.crossref(doi).await?),
    };
    if body.dry_run {
        let probe = record.clone();
        let existing = db.run(move |conn| Ok(existing(conn, &probe)?)).await?;
        return Ok(HttpResponse::Ok().json(ImportPreview {
            existing: existing.map(PaperId),
            paper: draft(&record),
        }));
    }

    let probe = record.clone();
    let stored = db
        .run(move |conn| {
            let outcome = write_transaction(conn, |conn| {
                if let Some(id) = existing(conn, &record)? {
                    return Ok(Stored::Existing(id));
                }
                match catalogue::insert(conn, &record, Some(caller.id)) {
                    Ok(id) => {
                        let origin = serde_json::json!({
                            "source": record.source,
                            "arxiv_id": record.arxiv_id,
                            "doi": record.doi,
                        });
                        papers::log_change(
                            conn,
                            id,
                            Some(caller.id),
                            "imported",
                            &origin,
                            crate::db::models::now(),
                        )?;
                        Ok(Stored::Created(id))
                    }
                    Err(diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::UniqueViolation,
                        _,
                    )) => Err(InsertError::Race),
                    Err(e) => Err(InsertError::Db(e)),
                }
            });
            match outcome {
                Ok(stored) => Ok(stored),
                Err(InsertError::Race) => Ok(Stored::LostRace),
                Err(InsertError::Db(e)) => Err(ApiError::from(e)),
            }
        })
        .await?;
    let (id, created) = match stored {
        Stored::Created(id) => (id, true),
        Stored::Existing(id) => (id, false),
        Stored::LostRace => {
            let id = db
                .run(move |conn| Ok(existing(conn, &probe)?))
                .await?
                .ok_or_else(|| ApiError::internal(anyhow::anyhow!("an imported paper vanished")))?;
            (id, false)
        }
    };
    respond(&db, id, created, false).await
}

/// Why the import transaction rolled back: another request inserted the paper first (a unique
/// index said so), or the database failed.
enum InsertError {
    Race,
    Db(diesel::result::Error),
}

impl From<diesel::result::Error> for InsertError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Db(e)
    }
}

/// The stored paper: 201 when just created, 200 when it existed, or as a preview for dry runs.
async fn respond(db: &Db, id: i64, created: bool, dry_run: bool) -> ApiResult<HttpResponse> {
    let detail = db
        .run(move |conn| {
            load_detail(conn, &PaperRef::Id(PaperId(id)))?
                .ok_or_else(|| ApiError::internal(anyhow::anyhow!("paper {id} vanished")))
        })
        .await?;
    if dry_run {
        return Ok(HttpResponse::Ok().json(ImportPreview {
            existing: Some(detail.id),
            paper: PaperDraft {
                title: detail.title,
                abstract_text: detail.abstract_text,
                year: detail.year,
                published_on: detail.published_on,
                venue: detail.venue,
                authors: detail.authors.into_iter().map(|a| a.name).collect(),
                keywords: detail.keywords.into_iter().map(|k| k.name).collect(),
                arxiv_id: detail.arxiv_id,
                doi: detail.doi,
            },
        }));
    }
    if created {
        tracing::info!(paper.id = id, "paper imported");
        Ok(HttpResponse::Created()
            .insert_header(("Location", format!("/api/v1/papers/{id}")))
            .json(detail))
    } else {
        Ok(HttpResponse::Ok().json(detail))
    }
}
