//! Reading one summary.

use actix_web::{get, web, HttpResponse};
use shortscience_types::SummaryDetail;

use crate::db::Db;
use crate::domain::summaries::{self, SummaryAccess};
use crate::http::error::ApiResult;

use crate::http::responses::ReadProblems;

/// One summary with its paper. A private summary is shown to its author (with its
/// `share_token`) and to whoever sends that token in the `X-Share-Token` header.
#[utoipa::path(
    tag = "summaries",
    params(SummaryAccess),
    responses((status = 200, description = "The summary", body = SummaryDetail), ReadProblems)
)]
#[get("/summaries/{id}")]
pub async fn get_summary(db: web::Data<Db>, access: SummaryAccess) -> ApiResult<HttpResponse> {
    let detail = summaries::get(&db, access).await?;
    Ok(HttpResponse::Ok().json(detail))
}
