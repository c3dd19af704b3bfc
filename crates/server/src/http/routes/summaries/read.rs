//! Reading one summary.

use actix_web::{get, web, HttpResponse};
use shortscience_types::{SummaryDetail, SummaryId};

use crate::db::Db;
use crate::domain::summaries;
use crate::http::error::ApiResult;
use crate::http::extract::{MaybeAuthUser, ShareToken};
use crate::http::responses::ReadProblems;

/// One summary with its paper. A private summary is shown to its author (with its
/// `share_token`) and to whoever sends that token in the `X-Share-Token` header.
#[utoipa::path(
    tag = "summaries",
    params(
        ("id" = SummaryId, Path, description = "The summary's id"),
        ShareToken,
    ),
    responses((status = 200, description = "The summary", body = SummaryDetail), ReadProblems)
)]
#[get("/summaries/{id}")]
pub async fn get_summary(
    db: web::Data<Db>,
    caller: MaybeAuthUser,
    ShareToken(share): ShareToken,
    id: web::Path<SummaryId>,
) -> ApiResult<HttpResponse> {
    let detail = summaries::get(&db, caller.viewer(), id.into_inner(), share).await?;
    Ok(HttpResponse::Ok().json(detail))
}
