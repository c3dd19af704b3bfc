//! A summary's revisions and the diff between two of them.

use actix_web::{get, web, HttpResponse};
use shortscience_types::{DiffQuery, RevisionDiff, RevisionList};

use crate::db::Db;
use crate::domain::summaries::{self, SummaryAccess};
use crate::http::error::ApiResult;

use crate::http::query::Query;
use crate::http::responses::ReadProblems;

/// Every version of a summary's text, oldest first (readable by whoever may read the summary).
#[utoipa::path(
    tag = "summaries",
    params(SummaryAccess),
    responses((status = 200, description = "The revisions", body = RevisionList), ReadProblems)
)]
#[get("/summaries/{id}/revisions")]
pub async fn list_revisions(db: web::Data<Db>, access: SummaryAccess) -> ApiResult<HttpResponse> {
    let list = summaries::revisions(&db, access).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// A line diff between two revisions of a summary.
#[utoipa::path(
    tag = "summaries",
    params(SummaryAccess, DiffQuery),
    responses((status = 200, description = "The diff", body = RevisionDiff), ReadProblems)
)]
#[get("/summaries/{id}/revisions/diff")]
pub async fn get_revision_diff(
    db: web::Data<Db>,
    access: SummaryAccess,
    Query(query): Query<DiffQuery>,
) -> ApiResult<HttpResponse> {
    let diff = summaries::diff(&db, access, query).await?;
    Ok(HttpResponse::Ok().json(diff))
}
