//! The domain layer: every business rule, once. Plain functions per resource take a database
//! handle and the acting user (a [`Viewer`] for reads, an [`auth::AuthUser`] for writes) and
//! return `Result<_, DomainError>`. Who may see or do what, anonymity and visibility are decided
//! here and nowhere else; the HTTP layer only extracts, calls and maps (docs/architecture.md).

pub mod accounts;
pub mod auth;
pub mod bibtex;
pub mod browse;
pub mod catalogue;
pub mod claims;
pub mod comments;
pub mod cursor;
pub mod digests;
pub mod error;
pub mod feed;
pub mod feeds;
pub mod flags;
pub mod follows;
pub mod health;
pub mod import;
pub mod limits;
pub mod moderation;
pub mod notifications;
pub mod oembed;
pub mod papers;
pub mod ranking;
pub mod records;
pub mod render;
pub mod search;
pub mod seed;
pub mod site;
pub mod summaries;
pub mod upstream;
pub mod users;
pub mod validate;
pub mod votes;

use shortscience_types::{Role, UserId};

pub use error::{DomainError, DomainResult, Existing};

/// Who is asking, as far as reading goes: nobody, a user, or a moderator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Viewer {
    pub id: Option<UserId>,
    pub moderator: bool,
}

impl Viewer {
    /// A signed-in reader.
    pub fn user(id: UserId, role: Role) -> Self {
        Self {
            id: Some(id),
            moderator: role.can_moderate(),
        }
    }

    pub fn is(&self, user_id: UserId) -> bool {
        self.id == Some(user_id)
    }
}

/// Runs CPU-heavy work (password hashing, rendering long Markdown) on the blocking pool, off the
/// async executor.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> DomainResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| DomainError::internal(anyhow::anyhow!("blocking task failed: {e}")))
}
