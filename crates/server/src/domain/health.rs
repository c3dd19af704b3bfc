//! Whether the service can do its work: liveness (the process answers) and readiness (the
//! database answers and takes writes).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use shortscience_types::Health;

use crate::db::models::{self, shared};
use crate::db::{self, write_transaction, Db};
use crate::domain::{DomainError, DomainResult};

/// How long one probe's answer stands (load balancers ask often; a probe writes).
pub const PROBE_TTL: Duration = Duration::from_secs(1);

/// The readiness probe of this process, with its last answer.
#[derive(Debug, Default)]
pub struct Readiness {
    last: Mutex<Option<(Instant, Result<Health, String>)>>,
}

impl Readiness {
    /// Ready when the database answers and takes a write (one row updated in a transaction),
    /// or, in read-only mode, answers. A probe's answer is reused for [`PROBE_TTL`].
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn check(&self, db: &Db, read_only: bool) -> DomainResult<Health> {
        if let Ok(last) = self.last.lock() {
            if let Some((at, answer)) = last.as_ref().filter(|(at, _)| at.elapsed() < PROBE_TTL) {
                let _ = at;
                return answer
                    .clone()
                    .map_err(|cause| DomainError::StorageUnavailable(anyhow::anyhow!(cause)));
            }
        }
        let answer = probe(db, read_only).await;
        let cached = match &answer {
            Ok(health) => Ok(health.clone()),
            Err(err) => Err(format!("{err:#}")),
        };
        if let Ok(mut last) = self.last.lock() {
            *last = Some((Instant::now(), cached));
        }
        answer
    }
}

async fn probe(db: &Db, read_only: bool) -> DomainResult<Health> {
    let migration = db
        .run(move |conn| -> DomainResult<Option<String>> {
            if !read_only {
                write_transaction(conn, |conn| shared::touch_probe(conn, models::now()))?;
            }
            db::latest_migration(conn).map_err(DomainError::Unavailable)
        })
        .await?;
    Ok(Health {
        status: if read_only { "read_only" } else { "ok" }.to_owned(),
        database: db.backend().to_owned(),
        migration,
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}
