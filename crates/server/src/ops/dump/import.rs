//! Import: a dump's rows into an empty database, a thousand to a transaction, each value bound
//! with its column's type; then the identity sequences follow the ids (PostgreSQL).

use std::io::BufRead;

use anyhow::Context as _;
use chrono::NaiveDate;
use diesel::query_builder::BoxedSqlQuery;
use diesel::sql_types::{BigInt, Bool, Date, Double, Integer, Nullable, Text, Timestamp};
use diesel::{QueryableByName, RunQueryDsl};
use serde_json::{Map, Value};

use super::tables::{table, Column, Kind, Table, TABLES};
use super::{parse_timestamp, FORMAT, VERSION};
use crate::db::{self, Backend, DbConn};

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    pub rows: u64,
    pub tables: Vec<(String, u64)>,
}

/// Rows read but not yet inserted, each with its line number.
type Batch = Vec<(usize, &'static Table, Map<String, Value>)>;

/// Reads a dump into an empty database (migrated to the same schema).
pub fn import(conn: &mut DbConn, input: &mut dyn BufRead) -> anyhow::Result<Imported> {
    let mut lines = input.lines();
    let header: Value = serde_json::from_str(&lines.next().context("the dump is empty")??)
        .context("the first line is not a dump header")?;
    anyhow::ensure!(
        header["format"] == FORMAT && header["version"] == VERSION,
        "not a {FORMAT} version {VERSION} file"
    );
    ensure_empty(conn)?;
    let mut imported = Imported::default();
    let mut batch: Batch = Vec::new();
    for (number, line) in lines.enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        // Line numbers count from 1, and the header was line 1.
        let number = number + 2;
        let (table, row) = parse_line(number, &line)?;
        batch.push((number, table, row));
        if batch.len() >= 1000 {
            insert_batch(conn, &mut batch, &mut imported)?;
        }
    }
    insert_batch(conn, &mut batch, &mut imported)?;
    if let DbConn::Pg(_) = conn {
        for table in TABLES.iter().filter(|t| t.identity) {
            diesel::sql_query(format!(
                "SELECT setval(pg_get_serial_sequence('{0}', 'id'), GREATEST((SELECT max(id) FROM {0}), 1))",
                table.name
            ))
            .execute(conn)?;
        }
    }
    Ok(imported)
}

/// Refuses a database that has users already.
fn ensure_empty(conn: &mut DbConn) -> anyhow::Result<()> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let users = diesel::sql_query("SELECT count(*) AS n FROM users")
        .get_result::<Count>(conn)?
        .n;
    anyhow::ensure!(
        users == 0,
        "the target database is not empty ({users} users): import into a new database"
    );
    Ok(())
}

/// Line `number` of a dump: the table it names and its row.
fn parse_line(number: usize, line: &str) -> anyhow::Result<(&'static Table, Map<String, Value>)> {
    let entry: Value =
        serde_json::from_str(line).with_context(|| format!("line {number} is not JSON"))?;
    let name = entry["table"]
        .as_str()
        .with_context(|| format!("line {number} names no table"))?;
    let table = table(name).with_context(|| format!("line {number}: unknown table `{name}`"))?;
    let Value::Object(row) = entry["row"].clone() else {
        anyhow::bail!("line {number}: no row");
    };
    Ok((table, row))
}

fn insert_batch(
    conn: &mut DbConn,
    batch: &mut Batch,
    imported: &mut Imported,
) -> anyhow::Result<()> {
    db::write_transaction(conn, |conn| -> anyhow::Result<()> {
        for (number, table, row) in batch.iter() {
            insert_row(conn, table, row)
                .with_context(|| format!("line {number} ({})", table.name))?;
            imported.rows += 1;
            match imported.tables.last_mut() {
                Some((name, n)) if name == table.name => *n += 1,
                _ => imported.tables.push((table.name.to_owned(), 1)),
            }
        }
        Ok(())
    })?;
    batch.clear();
    Ok(())
}

fn insert_row(conn: &mut DbConn, table: &Table, row: &Map<String, Value>) -> anyhow::Result<()> {
    // A column the row does not name is left to the database's default, so a dump made before a
    // migration added a column with a default (e.g. `users.email_digest`) still imports; one
    // with no default is refused by the database, with the line number.
    let columns: Vec<&Column> = table
        .columns
        .iter()
        .filter(|(name, _, _)| row.contains_key(*name))
        .collect();
    let names: Vec<&str> = columns.iter().map(|(n, _, _)| *n).collect();
    let placeholders: Vec<String> = (1..=names.len())
        .map(|i| match conn {
            DbConn::Pg(_) => format!("${i}"),
            DbConn::Sqlite(_) => format!("?{i}"),
        })
        .collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        table.name,
        names.join(", "),
        placeholders.join(", ")
    );
    let mut query: BoxedSqlQuery<'_, Backend, diesel::query_builder::SqlQuery> =
        diesel::sql_query(sql).into_boxed();
    for (name, kind, nullable) in columns {
        let value = row.get(*name).unwrap_or(&Value::Null);
        anyhow::ensure!(*nullable || !value.is_null(), "`{name}` is missing");
        let bad = || anyhow::anyhow!("`{name}` is not a {kind:?}: {value}");
        query = match kind {
            Kind::BigInt => query.bind::<Nullable<BigInt>, _>(
                value
                    .as_i64()
                    .map(Some)
                    .or_else(|| value.is_null().then_some(None))
                    .ok_or_else(bad)?,
            ),
            Kind::Int => query.bind::<Nullable<Integer>, _>(match value {
                Value::Null => None,
                v => Some(
                    v.as_i64()
                        .and_then(|n| i32::try_from(n).ok())
                        .ok_or_else(bad)?,
                ),
            }),
            Kind::Double => query.bind::<Nullable<Double>, _>(match value {
                Value::Null => None,
                v => Some(v.as_f64().ok_or_else(bad)?),
            }),
            Kind::Text => query.bind::<Nullable<Text>, _>(match value {
                Value::Null => None,
                v => Some(v.as_str().ok_or_else(bad)?.to_owned()),
            }),
            Kind::Bool => query.bind::<Nullable<Bool>, _>(match value {
                Value::Null => None,
                v => Some(v.as_bool().ok_or_else(bad)?),
            }),
            Kind::Timestamp => query.bind::<Nullable<Timestamp>, _>(match value {
                Value::Null => None,
                v => Some(v.as_str().and_then(parse_timestamp).ok_or_else(bad)?),
            }),
            Kind::Date => query.bind::<Nullable<Date>, _>(match value {
                Value::Null => None,
                v => Some(
                    v.as_str()
                        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                        .ok_or_else(bad)?,
                ),
            }),
        };
    }
    query.execute(conn)?;
    Ok(())
}
