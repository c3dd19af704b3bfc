//! SQL literals and the bulk `INSERT`s the generator writes with, each table in one transaction.

use std::fmt::Write as _;

use anyhow::Context as _;
use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection as _;
use diesel::RunQueryDsl as _;

use crate::db::DbConn;

pub(super) fn ts(at: NaiveDateTime) -> String {
    format!("'{}'", at.format("%Y-%m-%d %H:%M:%S%.6f"))
}

pub(super) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

pub(super) fn opt_text(s: Option<&str>) -> String {
    s.map_or_else(|| "NULL".to_owned(), text)
}

pub(super) fn opt_ts(at: Option<NaiveDateTime>) -> String {
    at.map_or_else(|| "NULL".to_owned(), ts)
}

pub(super) fn boolean(b: bool) -> &'static str {
    if b {
        "TRUE"
    } else {
        "FALSE"
    }
}

/// Inserts `rows` (each a parenthesised list of SQL literals) into `table`, `batch` at a time.
pub(super) fn insert_rows(
    conn: &mut DbConn,
    table: &str,
    columns: &str,
    rows: impl Iterator<Item = String>,
    batch: usize,
) -> anyhow::Result<usize> {
    let mut sql = String::new();
    let mut pending = 0;
    let mut total = 0;
    let flush = |conn: &mut DbConn, sql: &mut String| -> anyhow::Result<()> {
        if !sql.is_empty() {
            diesel::sql_query(sql.as_str())
                .execute(conn)
                .with_context(|| format!("inserting into {table}"))?;
            sql.clear();
        }
        Ok(())
    };
    for row in rows {
        if pending == 0 {
            let _ = write!(sql, "INSERT INTO {table} ({columns}) VALUES ");
        } else {
            sql.push(',');
        }
        sql.push_str(&row);
        pending += 1;
        total += 1;
        if pending == batch {
            flush(conn, &mut sql)?;
            pending = 0;
        }
    }
    flush(conn, &mut sql)?;
    Ok(total)
}

/// Runs `f` in one transaction and reports what it wrote.
pub(super) fn in_transaction(
    conn: &mut DbConn,
    progress: &mut dyn FnMut(&str),
    what: &str,
    f: impl FnOnce(&mut DbConn) -> anyhow::Result<usize>,
) -> anyhow::Result<usize> {
    conn.batch_execute("BEGIN")?;
    match f(conn) {
        Ok(n) => {
            conn.batch_execute("COMMIT")?;
            progress(&format!("{what}: {n}"));
            Ok(n)
        }
        Err(e) => {
            let _ = conn.batch_execute("ROLLBACK");
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_literals_escape_quotes() {
        assert_eq!(text("it's"), "'it''s'");
        assert_eq!(opt_text(None), "NULL");
    }
}
