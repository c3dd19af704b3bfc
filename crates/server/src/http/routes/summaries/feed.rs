//! The site feed.

use actix_web::{get, web, HttpResponse};
use shortscience_types::{FeedQuery, Page, SummaryPage};

use crate::db::Db;
use crate::domain::feed::{self, FeedSettings};
use crate::http::error::ApiResult;
use crate::http::extract::MaybeAuthUser;
use crate::http::query::Query;
use crate::http::responses::ListProblems;

/// The site feed: public summaries, `hot` (default), `new` or `top`, optionally only those
/// written in the last day, week, month or year. Cursor-paginated; a reader paging through `hot`
/// or `top` sees each summary once even while votes reorder the feed (docs/ranking.md).
#[utoipa::path(
    tag = "summaries",
    params(FeedQuery, Page),
    responses((status = 200, description = "One page of summaries", body = SummaryPage), ListProblems)
)]
#[get("/summaries")]
pub async fn list_summaries(
    db: web::Data<Db>,
    settings: web::Data<FeedSettings>,
    caller: MaybeAuthUser,
    Query(query): Query<FeedQuery>,
    Query(page): Query<Page>,
) -> ApiResult<HttpResponse> {
    let page = feed::page(&db, **settings, caller.viewer(), query, page).await?;
    Ok(HttpResponse::Ok().json(page))
}
