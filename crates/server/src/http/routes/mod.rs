//! The JSON API under `/api/v1`, one module per resource. Handlers extract, call one domain
//! function, and map its result to a response: no SQL and no business rule here. Handlers are
//! named `<verb>_<resource>`; those names are the OpenAPI operation ids.

pub mod auth;
pub mod browse;
pub mod catalogue;
pub mod comments;
pub mod community;
pub mod health;
pub mod import;
pub mod me;
pub mod moderation;
pub mod oembed;
pub mod papers;
pub mod search;
pub mod summaries;
pub mod users;
pub mod venues;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every API route (relative to `/api/v1`).
pub fn configure(cfg: &mut ServiceConfig) {
    health::configure(cfg);
    auth::configure(cfg);
    me::configure(cfg);
    community::configure(cfg);
    users::configure(cfg);
    import::configure(cfg);
    summaries::configure(cfg);
    moderation::configure(cfg);
    comments::configure(cfg);
    catalogue::configure(cfg);
    papers::configure(cfg);
    search::configure(cfg);
    oembed::configure(cfg);
    browse::configure(cfg);
    venues::configure(cfg);
}

/// `201 Created` with a `Location` and the JSON body.
pub(crate) fn created<T: serde::Serialize>(location: String, body: &T) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Created()
        .insert_header((actix_web::http::header::LOCATION, location))
        .json(body)
}
