//! Export: every table's rows as JSON lines, read in one transaction, each value in the canonical
//! form both backends agree on.

use std::io::Write;

use anyhow::Context as _;
use diesel::sql_types::Text;
use diesel::{Connection as _, QueryableByName, RunQueryDsl};
use serde_json::{Map, Value};

use super::tables::{Kind, Table, TABLES};
use super::{format_timestamp, parse_timestamp, FORMAT, VERSION};
use crate::db::{self, DbConn};

#[derive(QueryableByName)]
struct JsonRow {
    #[diesel(sql_type = Text)]
    row: String,
}

/// How many rows each backend was asked for, by table (what an export wrote).
pub type Counts = Vec<(&'static str, u64)>;

/// Writes the whole site as JSON lines to `out`.
pub fn export(
    conn: &mut DbConn,
    with_secrets: bool,
    out: &mut dyn Write,
) -> anyhow::Result<Counts> {
    let migration = db::latest_migration(conn)?;
    let header = serde_json::json!({"format": FORMAT, "version": VERSION, "migration": migration, "with_secrets": with_secrets});
    writeln!(out, "{header}")?;
    let mut counts = Vec::new();
    // One read transaction: a consistent picture while the site keeps serving.
    conn.transaction(|conn| -> anyhow::Result<()> {
        for table in TABLES.iter().filter(|t| with_secrets || !t.secret) {
            let n = export_table(conn, table, with_secrets, out)?;
            counts.push((table.name, n));
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(counts)
}

/// Writes the rows of `table` and counts them.
fn export_table(
    conn: &mut DbConn,
    table: &Table,
    with_secrets: bool,
    out: &mut dyn Write,
) -> anyhow::Result<u64> {
    let mut n = 0;
    for row in diesel::sql_query(select_json(conn, table))
        .load_iter::<JsonRow, diesel::connection::DefaultLoadingMode>(conn)?
    {
        let raw: Map<String, Value> = serde_json::from_str(&row?.row)?;
        let row = normalise(table, raw, with_secrets)
            .with_context(|| format!("a row of {}", table.name))?;
        writeln!(
            out,
            "{}",
            serde_json::json!({"table": table.name, "row": row})
        )?;
        n += 1;
    }
    Ok(n)
}

/// The query that reads each row of `table` as one JSON object, in order.
fn select_json(conn: &DbConn, table: &Table) -> String {
    let sqlite = matches!(conn, DbConn::Sqlite(_));
    let fields: Vec<String> = table
        .columns
        .iter()
        .map(|(name, kind, _)| match kind {
            // SQLite's JSON prints fewer digits than a double has: print them all.
            Kind::Double if sqlite => format!("'{name}', printf('%!.17g', {name})"),
            _ => format!("'{name}', {name}"),
        })
        .collect();
    let (object, cast) = if sqlite {
        ("json_object", "")
    } else {
        ("json_build_object", "::text")
    };
    format!(
        "SELECT {object}({}){cast} AS row FROM {} ORDER BY {}",
        fields.join(", "),
        table.name,
        table.order_by
    )
}

/// One row with every value in its canonical form.
fn normalise(
    table: &Table,
    raw: Map<String, Value>,
    with_secrets: bool,
) -> anyhow::Result<Map<String, Value>> {
    let mut row = Map::new();
    for (name, kind, _) in table.columns {
        let value = raw.get(*name).cloned().unwrap_or(Value::Null);
        let value = if !with_secrets && table.secret_columns.contains(name) {
            Value::Null
        } else {
            match (kind, value) {
                (_, Value::Null) => Value::Null,
                (Kind::Bool, Value::Number(n)) => Value::Bool(n.as_i64() != Some(0)),
                (Kind::Double, Value::String(s)) => s
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .with_context(|| format!("`{name}` is not a number: {s}"))?,
                (Kind::Timestamp, Value::String(s)) => Value::String(format_timestamp(
                    parse_timestamp(&s)
                        .with_context(|| format!("`{name}` is not a timestamp: {s}"))?,
                )),
                (_, value) => value,
            }
        };
        row.insert((*name).to_owned(), value);
    }
    Ok(row)
}
