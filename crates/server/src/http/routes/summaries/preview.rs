//! The Markdown preview.

use actix_web::{post, web, HttpResponse};
use shortscience_types::{RenderRequest, RenderResponse};

use crate::db::Db;
use crate::domain::limits::RateLimits;
use crate::domain::summaries;
use crate::http::error::ApiResult;
use crate::http::extract::ClientIp;
use crate::http::json::Json;
use crate::http::responses::PreviewProblems;

/// Renders Markdown with math exactly as a published summary or comment is rendered: the
/// editor's live preview. Needs no sign-in (it stores nothing); rate-limited per address.
#[utoipa::path(
    tag = "summaries",
    request_body = RenderRequest,
    responses((status = 200, description = "Sanitised HTML", body = RenderResponse), PreviewProblems)
)]
#[post("/render")]
pub async fn render_preview(
    db: web::Data<Db>,
    limits: web::Data<RateLimits>,
    ClientIp(client): ClientIp,
    body: Json<RenderRequest>,
) -> ApiResult<HttpResponse> {
    let rendered = summaries::preview(&db, &limits, client, body.into_inner().markdown).await?;
    Ok(HttpResponse::Ok().json(rendered))
}
