//! Integration tests: the real application on port 0, over real HTTP, against a private
//! database per test. Every test runs on SQLite, and on PostgreSQL when `TEST_POSTGRES_URL`
//! points at a server where the user may create databases (each test creates and drops its own).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod helpers;

mod accounts;
mod architecture;
mod authz_matrix;
mod catalogue;
mod client;
mod community;
mod digests;
mod discovery;
mod errors;
mod fake_upstream;
mod hardening;
mod health;
mod import;
mod migrations;
mod moderation_queue;
mod openapi;
mod ops;
mod papers;
mod performance;
mod profiles;
mod rate_limits;
mod read_cache;
mod scale;
mod search;
mod spa;
mod summaries;
mod venues;
