//! The ShortScience server: a JSON REST API over SQLite or PostgreSQL that also serves the web
//! app. `main.rs` only parses the command line; everything else is here so that tests start the
//! real application (`startup::Application`) on port 0.
//!
//! Three layers, pointing one way (docs/architecture.md): `http` (actix handlers) → `domain`
//! (business rules) → `db` (schema, models, queries).

pub mod config;
pub mod db;
pub mod domain;
pub mod http;
pub mod metrics;
pub mod ops;
pub mod startup;
pub mod telemetry;
#[cfg(feature = "test-support")]
pub mod testing;
