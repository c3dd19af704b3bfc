//! `shortscience export`, `import` and `copy`: a whole site as JSON lines, portable between
//! SQLite and PostgreSQL.
//!
//! The first line names the format and the schema's migration; then one line per row,
//! `{"table": "...", "row": {...}}`, parents before children (users, venues, authors, keywords,
//! papers, their authors and keywords, summaries, revisions, votes, comments, the moderation log
//! and paper changes). Values are normalised (booleans as booleans, timestamps as
//! `YYYY-MM-DDTHH:MM:SS.ffffff` UTC) so a dump reads the same from either backend. Password
//! hashes and API tokens are written only with `--with-secrets`; sessions, server secrets and the
//! processes' shared state (rate limits, feed snapshots, upstream cache) never are. Rows keep
//! their ids, so links stay valid; an import goes into an empty database only.

mod export;
mod import;
mod tables;

use chrono::NaiveDateTime;

use crate::db::DbConn;

pub use export::{export, Counts};
pub use import::{import, Imported};

/// The first line of a dump.
pub const FORMAT: &str = "shortscience-export";
pub const VERSION: u64 = 1;

/// A timestamp as either backend prints it (`T` or a space between date and time).
fn parse_timestamp(raw: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw.trim_end_matches('Z'), f).ok())
}

/// A timestamp in the dump's canonical form.
fn format_timestamp(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// Moves a whole site from one database to another (both migrated; the target empty): an export
/// of the source streamed into an import of the target, without a file in between.
pub fn copy(from: &mut DbConn, to: &mut DbConn) -> anyhow::Result<Imported> {
    let (reader, writer) = std::io::pipe()?;
    std::thread::scope(|scope| {
        let exporter = scope.spawn(move || -> anyhow::Result<Counts> {
            let mut writer = std::io::BufWriter::new(writer);
            export(from, true, &mut writer)
        });
        let imported = import(to, &mut std::io::BufReader::new(reader));
        let exported = exporter
            .join()
            .map_err(|_| anyhow::anyhow!("the export thread panicked"))?;
        // An import error is the one to report; an export error explains a short import.
        let imported = imported?;
        let exported = exported?;
        let total: u64 = exported.iter().map(|(_, n)| n).sum();
        anyhow::ensure!(
            total == imported.rows,
            "exported {total} rows but imported {}",
            imported.rows
        );
        Ok(imported)
    })
}

#[cfg(test)]
mod tests {
    use super::tables::TABLES;
    use super::*;

    #[test]
    fn timestamps_from_either_backend_read_alike() {
        let sqlite = parse_timestamp("2026-11-30 01:02:03.123456");
        let pg = parse_timestamp("2026-11-30T01:02:03.123456");
        assert!(sqlite.is_some());
        assert_eq!(sqlite, pg);
        assert_eq!(
            sqlite.map(format_timestamp).as_deref(),
            Some("2026-11-30T01:02:03.123456")
        );
        assert_eq!(
            parse_timestamp("2026-11-30 01:02:03")
                .map(format_timestamp)
                .as_deref(),
            Some("2026-11-30T01:02:03.000000")
        );
    }

    #[test]
    fn every_table_orders_by_its_columns() {
        for table in TABLES {
            for part in table.order_by.split(", ") {
                assert!(
                    table.columns.iter().any(|(n, _, _)| *n == part),
                    "{}: {part}",
                    table.name
                );
            }
        }
    }
}
