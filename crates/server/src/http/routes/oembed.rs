//! `GET /oembed`.

use actix_web::{get, web, HttpRequest, HttpResponse};
use shortscience_types::{OEmbed, OEmbedQuery};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db::Db;
use crate::domain::feed::FeedSettings;
use crate::domain::oembed::{self, Refusal};
use crate::http::error::{ApiError, ApiResult};
use crate::http::query::Query;
use crate::http::responses::OEmbedProblems;
use crate::http::site::base_url;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_oembed);
}

/// oEmbed 1.0 for a public summary or paper of this site: a `rich` card (a quote of the summary
/// or the abstract, with links) that chat apps, forums and blogs can show. Summary pages name this
/// endpoint in a `<link rel="alternate" type="application/json+oembed">`.
#[utoipa::path(
    tag = "discovery",
    params(OEmbedQuery),
    responses((status = 200, description = "The card", body = OEmbed), OEmbedProblems)
)]
#[get("/oembed")]
pub async fn get_oembed(
    req: HttpRequest,
    db: web::Data<Db>,
    feed: web::Data<FeedSettings>,
    Query(query): Query<OEmbedQuery>,
) -> ApiResult<HttpResponse> {
    match oembed::card(&db, **feed, &base_url(&req), query).await? {
        Ok(card) => Ok(HttpResponse::Ok()
            .insert_header((
                actix_web::http::header::CACHE_CONTROL,
                "public, max-age=3600",
            ))
            .json(card)),
        Err(Refusal::Format(format)) => Err(ApiError::FormatNotImplemented(format)),
    }
}
