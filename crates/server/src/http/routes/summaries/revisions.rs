//! A summary's revisions and the diff between two of them.

use actix_web::{get, web, HttpResponse};
use shortscience_types::{DiffQuery, RevisionDiff, RevisionList, SummaryId};

use crate::db::Db;
use crate::domain::summaries;
use crate::http::error::ApiResult;
use crate::http::extract::{MaybeAuthUser, ShareToken};
use crate::http::query::Query;
use crate::http::responses::ReadProblems;

/// Every version of a summary's text, oldest first (readable by whoever may read the summary).
#[utoipa::path(
    tag = "summaries",
    params(
        ("id" = SummaryId, Path, description = "The summary's id"),
        ShareToken,
    ),
    responses((status = 200, description = "The revisions", body = RevisionList), ReadProblems)
)]
#[get("/summaries/{id}/revisions")]
pub async fn list_revisions(
    db: web::Data<Db>,
    caller: MaybeAuthUser,
    ShareToken(share): ShareToken,
    id: web::Path<SummaryId>,
) -> ApiResult<HttpResponse> {
    let list = summaries::revisions(&db, caller.viewer(), id.into_inner(), share).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// A line diff between two revisions of a summary.
#[utoipa::path(
    tag = "summaries",
    params(
        ("id" = SummaryId, Path, description = "The summary's id"),
        DiffQuery,
        ShareToken,
    ),
    responses((status = 200, description = "The diff", body = RevisionDiff), ReadProblems)
)]
#[get("/summaries/{id}/revisions/diff")]
pub async fn get_revision_diff(
    db: web::Data<Db>,
    caller: MaybeAuthUser,
    ShareToken(share): ShareToken,
    id: web::Path<SummaryId>,
    Query(query): Query<DiffQuery>,
) -> ApiResult<HttpResponse> {
    let diff = summaries::diff(&db, caller.viewer(), id.into_inner(), share, query).await?;
    Ok(HttpResponse::Ok().json(diff))
}
