//! Whether the service can do its work.

use shortscience_types::Health;

use crate::db::{self, Db};
use crate::domain::{DomainError, DomainResult};

/// Readiness: the database answers (its newest applied migration is read).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn check(db: &Db) -> DomainResult<Health> {
    let migration = db
        .run(|conn| db::latest_migration(conn).map_err(DomainError::Unavailable))
        .await?;
    Ok(Health {
        status: "ok".to_owned(),
        database: db.backend().to_owned(),
        migration,
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}
