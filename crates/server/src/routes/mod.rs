//! The JSON API under `/api/v1`, one module per resource. Handlers are named
//! `<verb>_<resource>`; those names are the OpenAPI operation ids.

pub mod auth;
pub mod browse;
pub mod catalogue;
pub mod comments;
pub mod health;
pub mod import;
pub mod me;
pub mod papers;
pub mod summaries;
pub mod users;
pub mod venues;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every API route (relative to `/api/v1`).
pub fn configure(cfg: &mut ServiceConfig) {
    health::configure(cfg);
    auth::configure(cfg);
    me::configure(cfg);
    users::configure(cfg);
    import::configure(cfg);
    summaries::configure(cfg);
    comments::configure(cfg);
    catalogue::configure(cfg);
    papers::configure(cfg);
    browse::configure(cfg);
    venues::configure(cfg);
}
