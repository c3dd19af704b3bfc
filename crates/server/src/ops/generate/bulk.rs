//! The bulk load's surroundings: search triggers suspended while rows go in and the search index
//! rebuilt in one pass afterwards, fast SQLite settings, identity sequences and statistics.

use diesel::connection::SimpleConnection as _;
use diesel::RunQueryDsl as _;

use crate::db::DbConn;

/// The search triggers suspended while rows go in (SQLite: their SQL, to recreate them).
const SQLITE_SEARCH_TRIGGERS: &[&str] = &[
    "papers_search_ai",
    "papers_search_au",
    "papers_search_ad",
    "paper_authors_search_ai",
    "paper_authors_search_ad",
    "paper_keywords_search_ai",
    "paper_keywords_search_ad",
    "summaries_search_ai",
    "summaries_search_au",
    "summaries_search_ad",
];

const PG_SEARCH_TRIGGERS: &[(&str, &str)] = &[
    ("papers", "papers_search_sync"),
    ("paper_authors", "paper_authors_search_sync"),
    ("paper_keywords", "paper_keywords_search_sync"),
    ("summaries", "summaries_search_sync"),
];

#[derive(diesel::QueryableByName)]
struct Named {
    #[diesel(sql_type = diesel::sql_types::Text)]
    sql: String,
}

/// Prepares for the bulk load: the search triggers off (returned: what [`end`] needs to turn
/// them on again) and, on SQLite, speed over durability.
pub(super) fn begin(conn: &mut DbConn) -> anyhow::Result<Vec<String>> {
    let saved_triggers = suspend_search(conn)?;
    if matches!(conn, DbConn::Sqlite(_)) {
        // A generator can afford to lose its work on a power cut; it cannot afford fsyncs.
        // And a page cache big enough for the indexes being filled (2 GiB at most, allocated
        // as used), so that random index inserts do not read the disk.
        conn.batch_execute(
            "PRAGMA synchronous = OFF; PRAGMA cache_size = -2000000; PRAGMA temp_store = MEMORY",
        )?;
    }
    Ok(saved_triggers)
}

/// After the bulk load (and [`rebuild_search`]): the search triggers on again, then [`finish`].
pub(super) fn end(conn: &mut DbConn, saved_triggers: Vec<String>) -> anyhow::Result<()> {
    resume_search(conn, saved_triggers)?;
    finish(conn)
}

/// Turns the search triggers off (SQLite: drops them, returning their SQL).
fn suspend_search(conn: &mut DbConn) -> anyhow::Result<Vec<String>> {
    match conn {
        DbConn::Sqlite(_) => {
            let mut saved = Vec::new();
            for name in SQLITE_SEARCH_TRIGGERS {
                let rows: Vec<Named> = diesel::sql_query(format!(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = '{name}'"
                ))
                .load(conn)?;
                for row in rows {
                    saved.push(row.sql);
                    conn.batch_execute(&format!("DROP TRIGGER {name}"))?;
                }
            }
            Ok(saved)
        }
        DbConn::Pg(_) => {
            for (table, trigger) in PG_SEARCH_TRIGGERS {
                conn.batch_execute(&format!("ALTER TABLE {table} DISABLE TRIGGER {trigger}"))?;
            }
            Ok(Vec::new())
        }
    }
}

fn resume_search(conn: &mut DbConn, saved: Vec<String>) -> anyhow::Result<()> {
    match conn {
        DbConn::Sqlite(_) => {
            for sql in saved {
                conn.batch_execute(&sql)?;
            }
        }
        DbConn::Pg(_) => {
            for (table, trigger) in PG_SEARCH_TRIGGERS {
                conn.batch_execute(&format!("ALTER TABLE {table} ENABLE TRIGGER {trigger}"))?;
            }
        }
    }
    Ok(())
}

/// Builds the search index from the rows in one pass (the `papers_fts_source` view says what
/// each paper contributes, as the triggers do row by row).
pub(super) fn rebuild_search(conn: &mut DbConn) -> anyhow::Result<()> {
    match conn {
        DbConn::Sqlite(_) => conn.batch_execute(
            "DELETE FROM papers_fts_content;
             INSERT INTO papers_fts_content (paper_id, title, authors, keywords, abstract, venue, idents)
             SELECT paper_id, title, authors, keywords, abstract, venue, idents FROM papers_fts_source;
             INSERT INTO summaries_fts (summaries_fts) VALUES ('delete-all');
             INSERT INTO summaries_fts (rowid, body_markdown)
             SELECT id, body_markdown FROM summaries
             WHERE visibility = 'public' AND hidden = FALSE AND deleted_at IS NULL;",
        )?,
        DbConn::Pg(_) => conn.batch_execute(
            "DELETE FROM papers_fts;
             INSERT INTO papers_fts (paper_id, title, authors, keywords, abstract, venue, idents)
             SELECT paper_id, title, authors, keywords, abstract, venue, idents FROM papers_fts_source;
             DELETE FROM summaries_fts;
             INSERT INTO summaries_fts (summary_id, document)
             SELECT id, setweight(to_tsvector('english', body_markdown), 'D') FROM summaries;",
        )?,
    }
    Ok(())
}

/// Identity sequences after explicit ids (PostgreSQL), planner statistics, a compact WAL.
fn finish(conn: &mut DbConn) -> anyhow::Result<()> {
    match conn {
        DbConn::Sqlite(_) => {
            // Only `sqlite_stat1` is kept. The bundled SQLite is built with STAT4, and with its
            // samples present every statement whose plan could depend on a bound value is
            // prepared again each time it runs with new values: `sqlite3Reprepare` was 11% of the
            // server's CPU on paper pages (perf, debug build), 3.6% without the samples.
            // `ANALYZE sqlite_schema` makes open connections reload what is left.
            conn.batch_execute(
                "PRAGMA synchronous = NORMAL; ANALYZE; DELETE FROM sqlite_stat4; \
                 ANALYZE sqlite_schema; PRAGMA wal_checkpoint(TRUNCATE);",
            )?;
        }
        DbConn::Pg(_) => {
            for table in [
                "users",
                "venues",
                "keywords",
                "authors",
                "papers",
                "summaries",
                "summary_revisions",
                "comments",
            ] {
                conn.batch_execute(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT max(id) FROM {table}), 1))"
                ))?;
            }
            conn.batch_execute("ANALYZE")?;
        }
    }
    Ok(())
}
