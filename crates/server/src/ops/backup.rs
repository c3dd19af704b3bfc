//! `shortscience backup --out FILE`.

use std::path::Path;

use anyhow::Context as _;
use diesel::RunQueryDsl as _;

use crate::db::DbConn;

/// The PostgreSQL recipe the command prints (PostgreSQL backs up with its own tools).
pub const PG_DUMP_RECIPE: &str = "\
PostgreSQL databases are backed up with PostgreSQL's own tools, online and consistent:

    pg_dump --format=custom --file=shortscience.dump \"$DATABASE_URL\"

and restored into an empty database with:

    pg_restore --no-owner --dbname=\"$NEW_DATABASE_URL\" shortscience.dump

(docs/deploy.md has the whole drill; `shortscience export` writes a portable dump of either
backend.)";

/// Writes a consistent copy of a SQLite database to `out`, while the site keeps serving
/// (`VACUUM INTO`: one read transaction, so concurrent writes are neither blocked for long nor
/// half-copied). `out` must not exist.
pub fn sqlite_backup(conn: &mut DbConn, out: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(
        !out.exists(),
        "{} exists already: choose a new file",
        out.display()
    );
    anyhow::ensure!(
        matches!(conn, DbConn::Sqlite(_)),
        "not a SQLite database.\n\n{PG_DUMP_RECIPE}"
    );
    let target = out.to_string_lossy().replace('\'', "''");
    diesel::sql_query(format!("VACUUM INTO '{target}'"))
        .execute(conn)
        .with_context(|| format!("writing the backup to {}", out.display()))?;
    Ok(())
}
