//! Importing a paper by arXiv id or DOI, its metadata fetched from arXiv or Crossref.

use shortscience_types::{
    ArxivId, Doi, ImportPaperRequest, ImportPreview, PaperDetail, PaperDraft, PaperId, PaperRef,
    VenueRef,
};

use crate::db::models::{self, papers};
use crate::db::{write_transaction, Db, DbConn};
use crate::domain::auth::AuthUser;
use crate::domain::limits::RateLimits;
use crate::domain::papers::stored;
use crate::domain::records::{self, PaperRecord};
use crate::domain::upstream::Upstream;
use crate::domain::{DomainError, DomainResult, Viewer};

/// What to import from where.
enum Source {
    Arxiv(ArxivId),
    Crossref(Doi),
}

/// arXiv's own DOIs (DataCite, `10.48550/arXiv.<id>`) name arXiv papers: import those from arXiv.
const ARXIV_DOI_PREFIX: &str = "10.48550/arxiv.";

fn source(input: &ImportPaperRequest) -> DomainResult<Source> {
    match (input.arxiv.as_deref(), input.doi.as_deref()) {
        (Some(arxiv), None) => shortscience_upstream::arxiv::id_from_input(arxiv)
            .map(Source::Arxiv)
            .map_err(|e| DomainError::invalid_field("arxiv", e.0)),
        (None, Some(doi)) => {
            let doi = Doi::parse(doi).map_err(|e| DomainError::invalid_field("doi", e.0))?;
            match doi.as_str().strip_prefix(ARXIV_DOI_PREFIX) {
                Some(id) => ArxivId::parse(id)
                    .map(Source::Arxiv)
                    .map_err(|e| DomainError::invalid_field("doi", e.0)),
                None => Ok(Source::Crossref(doi)),
            }
        }
        (Some(_), Some(_)) => Err(DomainError::invalid_field(
            "doi",
            "give either arxiv or doi, not both",
        )),
        (None, None) => Err(DomainError::invalid_field(
            "arxiv",
            "give an arXiv id or URL, or a DOI",
        )),
    }
}

/// The stored paper this record would duplicate: same arXiv id (any version), or same DOI
/// (compared in lower case), including an arXiv paper whose DOI matches.
fn existing(conn: &mut DbConn, record: &PaperRecord) -> DomainResult<Option<PaperId>> {
    let arxiv = record
        .arxiv_id
        .as_deref()
        .and_then(|a| ArxivId::parse(a).ok())
        .map(PaperRef::Arxiv);
    let doi = record
        .doi
        .as_deref()
        .and_then(|d| Doi::parse(d).ok())
        .map(PaperRef::Doi);
    for reference in [arxiv, doi].into_iter().flatten() {
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

fn draft_of(detail: PaperDetail) -> PaperDraft {
    PaperDraft {
        title: detail.title,
        abstract_text: detail.abstract_text,
        year: detail.year,
        published_on: detail.published_on,
        venue: detail.venue,
        authors: detail.authors.into_iter().map(|a| a.name).collect(),
        keywords: detail.keywords.into_iter().map(|k| k.name).collect(),
        arxiv_id: detail.arxiv_id,
        doi: detail.doi,
    }
}

/// What an import did.
pub enum Imported {
    /// Newly added.
    Created(PaperDetail),
    /// Already in the catalogue (any arXiv version; DOIs in any case; an arXiv paper whose DOI
    /// matches): nothing was added.
    Existing(PaperDetail),
    /// A dry run: what would be stored, and the stored paper it would duplicate, if any.
    Preview(ImportPreview),
}

/// Adds a paper by arXiv id or DOI, with its metadata from arXiv or Crossref. A paper already
/// in the catalogue is answered with the existing record; upstream is not even asked when the
/// identifier is known.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %importer.id))]
pub async fn import(
    db: &Db,
    upstream: &Upstream,
    limits: &RateLimits,
    importer: &AuthUser,
    input: ImportPaperRequest,
) -> DomainResult<Imported> {
    let source = source(&input)?;
    let (gate, importer_id) = (limits.clone(), importer.id);
    db.run(move |conn| gate.import(conn, importer_id)).await?;
    let known = match &source {
        Source::Arxiv(id) => PaperRef::Arxiv(id.clone()),
        Source::Crossref(doi) => PaperRef::Doi(doi.clone()),
    };
    let known_id = db
        .run(move |conn| -> DomainResult<_> { Ok(papers::find(conn, &known)?.map(|(p, _)| p.id)) })
        .await?;
    if let Some(id) = known_id {
        return respond(db, id, importer.viewer(), false, input.dry_run).await;
    }
    let record = match &source {
        Source::Arxiv(id) => records::from_arxiv(&upstream.arxiv(db, id).await?),
        Source::Crossref(doi) => records::from_crossref(&upstream.crossref(db, doi).await?),
    };
    if input.dry_run {
        let probe = record.clone();
        let existing = db.run(move |conn| existing(conn, &probe)).await?;
        return Ok(Imported::Preview(ImportPreview {
            existing,
            paper: draft(&record),
        }));
    }
    let viewer = importer.viewer();
    let importer = importer.id;
    let (id, created) = db
        .run(move |conn| {
            let outcome = write_transaction(conn, |conn| -> DomainResult<(PaperId, bool)> {
                if let Some(id) = existing(conn, &record)? {
                    return Ok((id, false));
                }
                let id = records::insert(conn, &record, Some(importer))?;
                let origin = serde_json::json!({
                    "source": record.source,
                    "arxiv_id": record.arxiv_id,
                    "doi": record.doi,
                });
                papers::log_change(conn, id, Some(importer), "imported", &origin, models::now())?;
                Ok((id, true))
            });
            match outcome {
                // Another request inserted the same paper first (a unique index said so): that
                // one is the answer.
                Err(DomainError::Internal(cause)) if is_unique_violation(&cause) => {
                    existing(conn, &record)?
                        .map(|id| (id, false))
                        .ok_or_else(|| {
                            DomainError::internal(anyhow::anyhow!("an imported paper vanished"))
                        })
                }
                other => other,
            }
        })
        .await?;
    if created {
        tracing::info!(paper.id = %id, "paper imported");
    }
    respond(db, id, viewer, created, false).await
}

fn is_unique_violation(cause: &anyhow::Error) -> bool {
    matches!(
        cause.downcast_ref::<diesel::result::Error>(),
        Some(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _
        ))
    )
}

/// The stored paper: created, existing, or as a preview for dry runs.
async fn respond(
    db: &Db,
    id: PaperId,
    viewer: Viewer,
    created: bool,
    dry_run: bool,
) -> DomainResult<Imported> {
    let detail = db.run(move |conn| stored(conn, id, &viewer)).await?;
    Ok(if dry_run {
        Imported::Preview(ImportPreview {
            existing: Some(detail.id),
            paper: draft_of(detail),
        })
    } else if created {
        Imported::Created(detail)
    } else {
        Imported::Existing(detail)
    })
}
