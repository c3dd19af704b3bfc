//! The ShortScience server: a JSON REST API over SQLite or PostgreSQL that also serves the web
//! app. `main.rs` only parses the command line; everything else is here so that tests start the
//! real application (`startup::Application`) on port 0.

pub mod admin;
pub mod auth;
pub mod bibtex;
pub mod catalogue;
pub mod config;
pub mod db;
pub mod error;
pub mod etag;
pub mod feed;
pub mod openapi;
pub mod query;
pub mod ranking;
pub mod rate_limit;
pub mod render;
pub mod routes;
pub mod seed;
pub mod spa;
pub mod startup;
pub mod telemetry;
pub mod upstream;
pub mod validate;
