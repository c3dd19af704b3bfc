//! Adding papers by hand and correcting them (their creator or a moderator), with every change
//! recorded in the paper's history.

use serde_json::{json, Map, Value};
use shortscience_types::{
    ArxivId, CreatePaperRequest, Doi, ErrorCode, PaperChange, PaperDetail, PaperHistory, PaperId,
    PaperRef, UpdatePaperRequest,
};

use crate::db::models::{self, keywords, papers, venues};
use crate::db::{write_transaction, Db, DbConn};
use crate::domain::auth::AuthUser;
use crate::domain::papers::{no_paper, stored};
use crate::domain::records::{self, PaperRecord, VenueInput};
use crate::domain::{validate, DomainError, DomainResult, Existing};

fn check<T>(field: &str, result: Result<T, String>) -> DomainResult<T> {
    DomainError::check(field, result)
}

fn optional_doi(raw: Option<&str>) -> DomainResult<Option<String>> {
    raw.map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            Doi::parse(d)
                .map(|d| d.as_str().to_owned())
                .map_err(|e| DomainError::invalid_field("doi", e.0))
        })
        .transpose()
}

fn optional_arxiv(raw: Option<&str>) -> DomainResult<Option<String>> {
    raw.map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| {
            shortscience_upstream::arxiv::id_from_input(a)
                .map(|a| a.as_str().to_owned())
                .map_err(|e| DomainError::invalid_field("arxiv_id", e.0))
        })
        .transpose()
}

fn venue_input(input: &shortscience_types::VenueInput) -> DomainResult<VenueInput> {
    let name = check("venue", validate::venue_name(&input.name))?;
    VenueInput::new(&name, input.kind)
        .ok_or_else(|| DomainError::invalid_field("venue", "needs letters or digits in its name"))
}

/// A URL field: empty clears it.
fn url(field: &str, raw: Option<&str>) -> DomainResult<Option<String>> {
    check(field, validate::web_url(raw.unwrap_or_default()))
}

/// A conflict when another paper already has this arXiv id or DOI.
fn ensure_unique(
    conn: &mut DbConn,
    arxiv_id: Option<&str>,
    doi: Option<&str>,
    except: Option<PaperId>,
) -> DomainResult<()> {
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
                return Err(DomainError::Conflict {
                    code: ErrorCode::PaperExists,
                    field: name.to_owned(),
                    message: format!(
                        "this paper is already in the catalogue: /api/v1/papers/{}",
                        other.id
                    ),
                    existing: Existing::Paper(other.id),
                });
            }
        }
    }
    Ok(())
}

/// Adds a paper that is in neither arXiv nor Crossref, from a form.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %creator.id))]
pub async fn create(
    db: &Db,
    creator: &AuthUser,
    input: CreatePaperRequest,
) -> DomainResult<PaperDetail> {
    let record = PaperRecord {
        title: check("title", validate::title(&input.title))?,
        authors: check("authors", validate::authors(&input.authors))?,
        abstract_text: check(
            "abstract",
            validate::abstract_text(input.abstract_text.as_deref().unwrap_or_default()),
        )?,
        year: input
            .year
            .map(|y| check("year", validate::year(y)))
            .transpose()?,
        published_on: input.published_on,
        venue: input.venue.as_ref().map(venue_input).transpose()?,
        doi: optional_doi(input.doi.as_deref())?,
        arxiv_id: optional_arxiv(input.arxiv_id.as_deref())?,
        url: url("url", input.url.as_deref())?,
        pdf_url: url("pdf_url", input.pdf_url.as_deref())?,
        source: "manual",
        keywords: check("keywords", validate::keywords(&input.keywords))?
            .into_iter()
            .map(|k| (k, "free"))
            .collect(),
    };
    let viewer = creator.viewer();
    let creator = creator.id;
    db.run(move |conn| {
        write_transaction(conn, |conn| {
            ensure_unique(
                conn,
                record.arxiv_id.as_deref(),
                record.doi.as_deref(),
                None,
            )?;
            let id = records::insert(conn, &record, Some(creator))?;
            let origin = json!({"source": "manual"});
            papers::log_change(conn, id, Some(creator), "created", &origin, models::now())?;
            stored(conn, id, &viewer)
        })
    })
    .await
}

/// The fields of an edit, validated. `None`: leave alone; `Some(None)`: clear.
struct Edit {
    title: Option<String>,
    authors: Option<Vec<String>>,
    abstract_text: Option<Option<String>>,
    year: Option<Option<i32>>,
    published_on: Option<Option<chrono::NaiveDate>>,
    venue: Option<Option<VenueInput>>,
    doi: Option<Option<String>>,
    arxiv_id: Option<Option<String>>,
    url: Option<Option<String>>,
    pdf_url: Option<Option<String>>,
    keywords: Option<Vec<String>>,
}

impl Edit {
    /// Validates everything before the database is touched.
    fn parse(input: UpdatePaperRequest) -> DomainResult<Self> {
        Ok(Self {
            title: input
                .title
                .as_deref()
                .map(|t| check("title", validate::title(t)))
                .transpose()?,
            authors: input
                .authors
                .as_deref()
                .map(|a| check("authors", validate::authors(a)))
                .transpose()?,
            abstract_text: input
                .abstract_text
                .map(|a| {
                    check(
                        "abstract",
                        validate::abstract_text(a.as_deref().unwrap_or_default()),
                    )
                })
                .transpose()?,
            year: input
                .year
                .map(|y| y.map(|y| check("year", validate::year(y))).transpose())
                .transpose()?,
            published_on: input.published_on,
            venue: input
                .venue
                .as_ref()
                .map(|v| v.as_ref().map(venue_input).transpose())
                .transpose()?,
            doi: input.doi.map(|d| optional_doi(d.as_deref())).transpose()?,
            arxiv_id: input
                .arxiv_id
                .map(|a| optional_arxiv(a.as_deref()))
                .transpose()?,
            url: input.url.map(|u| url("url", u.as_deref())).transpose()?,
            pdf_url: input
                .pdf_url
                .map(|u| url("pdf_url", u.as_deref()))
                .transpose()?,
            keywords: input
                .keywords
                .as_deref()
                .map(|k| check("keywords", validate::keywords(k)))
                .transpose()?,
        })
    }
}

/// Records `name: {from, to}` when the value changes.
#[derive(Default)]
struct Diff(Map<String, Value>);

impl Diff {
    fn record(&mut self, name: &str, from: Value, to: Value) {
        if from != to {
            self.0
                .insert(name.to_owned(), json!({"from": from, "to": to}));
        }
    }
}

/// Corrects a paper's metadata: by whoever added it, or a moderator. Every change is recorded
/// (who, when, what) in the paper's history.
#[tracing::instrument(level = "debug", skip_all, fields(user.id = %editor.id, paper = %reference))]
pub async fn update(
    db: &Db,
    editor: &AuthUser,
    reference: PaperRef,
    input: UpdatePaperRequest,
) -> DomainResult<PaperDetail> {
    let edit = Edit::parse(input)?;
    let (editor_id, may_moderate, viewer) =
        (editor.id, editor.role.can_moderate(), editor.viewer());
    db.run(move |conn| {
        write_transaction(conn, |conn| {
            let (paper, old_venue) =
                papers::find(conn, &reference)?.ok_or_else(|| no_paper(&reference))?;
            if paper.created_by != Some(editor_id) && !may_moderate {
                return Err(DomainError::forbidden(
                    ErrorCode::Forbidden,
                    "only whoever added this paper, or a moderator, may edit it",
                ));
            }
            let before = stored(conn, paper.id, &viewer)?;
            let mut diff = Diff::default();
            let mut changes = papers::PaperChanges::default();
            if let Some(title) = edit.title {
                diff.record("title", json!(paper.title), json!(title));
                changes.title = Some(title);
            }
            if let Some(text) = edit.abstract_text {
                diff.record("abstract", json!(paper.abstract_text), json!(text));
                changes.abstract_text = Some(text);
            }
            if let Some(year) = edit.year {
                diff.record("year", json!(paper.year), json!(year));
                changes.year = Some(year);
            }
            if let Some(date) = edit.published_on {
                diff.record("published_on", json!(paper.published_on), json!(date));
                changes.published_on = Some(date);
            }
            if let Some(venue) = edit.venue {
                diff.record(
                    "venue",
                    json!(old_venue.as_ref().map(|v| &v.name)),
                    json!(venue.as_ref().map(|v| &v.name)),
                );
                changes.venue_id = Some(match venue {
                    Some(v) => Some(venues::find_or_create(conn, &v.new_venue(models::now()))?.id),
                    None => None,
                });
            }
            if let Some(doi) = edit.doi {
                ensure_unique(conn, None, doi.as_deref(), Some(paper.id))?;
                diff.record("doi", json!(paper.doi), json!(doi));
                changes.doi = Some(doi);
            }
            if let Some(arxiv_id) = edit.arxiv_id {
                ensure_unique(conn, arxiv_id.as_deref(), None, Some(paper.id))?;
                diff.record("arxiv_id", json!(paper.arxiv_id), json!(arxiv_id));
                changes.arxiv_id = Some(arxiv_id);
            }
            if let Some(url) = edit.url {
                diff.record("url", json!(paper.url), json!(url));
                changes.url = Some(url);
            }
            if let Some(pdf_url) = edit.pdf_url {
                diff.record("pdf_url", json!(paper.pdf_url), json!(pdf_url));
                changes.pdf_url = Some(pdf_url);
            }
            if let Some(authors) = &edit.authors {
                let old: Vec<&str> = before.authors.iter().map(|a| a.name.as_str()).collect();
                diff.record("authors", json!(old), json!(authors));
            }
            if let Some(keywords) = &edit.keywords {
                let old: Vec<&str> = before.keywords.iter().map(|k| k.name.as_str()).collect();
                diff.record("keywords", json!(old), json!(keywords));
            }
            if diff.0.is_empty() {
                return Ok(before);
            }
            let now = models::now();
            changes.updated_at = Some(now);
            papers::update(conn, paper.id, &changes)?;
            if let Some(authors) = &edit.authors {
                let names: Vec<&str> = authors.iter().map(String::as_str).collect();
                papers::set_authors(conn, paper.id, &names)?;
            }
            if let Some(keywords) = &edit.keywords {
                // Keywords that exist keep their kind (an arXiv category stays one); new ones
                // are free keywords.
                let kinds: Vec<(&str, &str)> =
                    keywords.iter().map(|k| (k.as_str(), "free")).collect();
                keywords::set_keywords(conn, paper.id, &kinds)?;
            }
            let diff = Value::Object(diff.0);
            papers::log_change(conn, paper.id, Some(editor_id), "edited", &diff, now)?;
            stored(conn, paper.id, &viewer)
        })
    })
    .await
}

/// Who added or changed the paper, when, and what; oldest first.
#[tracing::instrument(level = "debug", skip(db))]
pub async fn history(db: &Db, reference: PaperRef) -> DomainResult<PaperHistory> {
    db.run(move |conn| {
        let (paper, _) = papers::find(conn, &reference)?.ok_or_else(|| no_paper(&reference))?;
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
    .await
}
