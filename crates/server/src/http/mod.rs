//! The HTTP layer (actix-web): routes and their handlers, extractors, the error → problem+json
//! mapping, ETags, the OpenAPI document, and serving the web app. It calls the domain layer and
//! never the database directly.

pub(crate) mod coding;
pub mod error;
pub mod etag;
pub mod extract;
pub mod json;
pub mod openapi;
pub mod openapi_rules;
pub mod query;
pub mod read_cache;
pub mod rejections;
pub mod responses;
pub mod routes;
pub mod security;
pub mod site;
pub mod spa;
