//! Rows, insert forms and queries, one module per table group. Query functions take
//! `&mut DbConn` and return `QueryResult`; handlers never build SQL themselves.

pub mod account_data;
pub mod accounts;
pub mod claims;
pub mod comments;
pub mod community;
pub mod digests;
pub mod flags;
pub mod keywords;
pub mod papers;
pub mod search;
pub mod shared;
pub mod sitemap;
pub mod summaries;
pub mod users;
pub mod venues;

use chrono::NaiveDateTime;

/// The current time as stored in the database (UTC, microsecond precision so that SQLite's text
/// timestamps and PostgreSQL's compare and round-trip alike).
pub fn now() -> NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    let micros = now.and_utc().timestamp_micros();
    chrono::DateTime::from_timestamp_micros(micros)
        .map(|t| t.naive_utc())
        .unwrap_or(now)
}
