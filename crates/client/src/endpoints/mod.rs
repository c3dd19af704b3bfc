//! One module per resource, each adding its endpoints to [`crate::Client`] as methods named
//! after the OpenAPI operation ids (`get_paper`, `create_summary`, …).

pub mod account;
pub mod browse;
pub mod comments;
pub mod community;
pub mod moderation;
pub mod papers;
pub mod search;
pub mod summaries;
pub mod users;
