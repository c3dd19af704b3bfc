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

use std::io::{BufRead, Write};

use anyhow::Context as _;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::query_builder::BoxedSqlQuery;
use diesel::sql_types::{BigInt, Bool, Date, Double, Integer, Nullable, Text, Timestamp};
use diesel::{Connection as _, QueryableByName, RunQueryDsl};
use serde_json::{Map, Value};

use crate::db::{self, Backend, DbConn};

/// The first line of a dump.
pub const FORMAT: &str = "shortscience-export";
pub const VERSION: u64 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    BigInt,
    Int,
    Double,
    Text,
    Bool,
    Timestamp,
    Date,
}

/// A column: name, kind, nullable.
type Column = (&'static str, Kind, bool);

struct Table {
    name: &'static str,
    order_by: &'static str,
    columns: &'static [Column],
    /// Columns blanked without `--with-secrets`.
    secret_columns: &'static [&'static str],
    /// Left out entirely without `--with-secrets`.
    secret: bool,
    /// Has an identity column `id` whose sequence follows the imported ids (PostgreSQL).
    identity: bool,
}

use Kind::{BigInt as B, Bool as Bo, Date as D, Double as F, Int as I, Text as T, Timestamp as Ts};

/// Every table a site's content lives in, parents first.
const TABLES: &[Table] = &[
    Table {
        name: "users",
        order_by: "id",
        columns: &[
            ("id", B, false),
            ("username", T, false),
            ("email", T, true),
            ("display_name", T, true),
            ("password_hash", T, true),
            ("bio", T, false),
            ("role", T, false),
            ("suspended", Bo, false),
            ("created_at", Ts, false),
            ("updated_at", Ts, false),
        ],
        secret_columns: &["password_hash"],
        secret: false,
        identity: true,
    },
    Table {
        name: "venues",
        order_by: "id",
        columns: &[
            ("id", B, false),
            ("slug", T, false),
            ("name", T, false),
            ("kind", T, false),
            ("created_at", Ts, false),
        ],
        secret_columns: &[],
        secret: false,
        identity: true,
    },
    Table {
        name: "authors",
        order_by: "id",
        columns: &[
            ("id", B, false),
            ("name", T, false),
            ("name_key", T, false),
            ("orcid", T, true),
            ("created_at", Ts, false),
        ],
        secret_columns: &[],
        secret: false,
        identity: true,
    },
    Table {
        name: "keywords",
        order_by: "id",
        columns: &[
            ("id", B, false),
            ("slug", T, false),
            ("name", T, false),
            ("kind", T, false),
            ("created_at", Ts, false),
        ],
        secret_columns: &[],
        secret: false,
        identity: true,
    },
    Table {
        name: "papers",
        order_by: "id",
        columns: &[
            ("id", B, false),
            ("title", T, false),
            ("abstract_text", T, true),
            ("year", I, true),
            ("published_on", D, true),
            ("venue_id", B, true),
            ("arxiv_id", T, true),
            ("doi", T, true),
            ("url", T, true),
            ("pdf_url", T, true),
            ("source", T, false),
            ("created_by", B, true),
            ("summary_count", I, false),
            ("last_summary_at", Ts, true),
            ("created_at", Ts, false),
            ("updated_at", Ts, false),
            ("top_score", I, false),
        ],
        secret_columns: &[],
        secret: false,
        identity: true,
    },
    Table {
        name: "paper_authors",
        order_by: "paper_id, position",
        columns: &[
            ("paper_id", B, false),
            ("author_id", B, false),
            ("position", I, false),
        ],
        secret_columns: &[],
        secret: false,
        identity: false,
    },
    Table {
        name: "paper_keywords",
        order_by: "paper_id, keyword_id",
        columns: &[
            ("paper_id", B, false),
            ("keyword_id", B, false),
            ("position", I, false),
        ],
        secret_columns: &[],
        secret: false,
        identity: false,
    },
    Table {
        name: "summaries",
        order_by: "id",
        columns: &[
            ("id", B, false),
            ("paper_id", B, false),
            ("author_id", B, false),
            ("body_markdown", T, false),
            ("body_html", T, false),
            ("excerpt", T, false),
            ("excerpt_html", T, false),
            ("anonymous", Bo, false),
            ("visibility", T, false),
            ("share_token", T, true),
            ("ups", I, false),
            ("downs", I, false),
            ("score", I, false),
            ("hot", F, false),
            ("rank", F, false),
            ("comment_count", I, false),
            ("hidden", Bo, false),
            ("deleted_at", Ts, true),
            ("created_at", Ts, false),
            ("edited_at", Ts, true),
            ("updated_at", Ts, false),
        ],
        secret_columns: &[],
        secret: false,
        identity: true,
    },
    Table {
        name: "summary_revisions",
        order_by: "id",
        columns: &[
            ("id", B, false),
            ("summary_id", B, false),
            ("editor_id", B, false),
            ("body_markdown", T, false),
            ("created_at", Ts, false),
        ],
        secret_columns: &[],
        secret: false,
        identity: true,
    },
    Table {
        name: "votes",
        order_by: "user_id, summary_id",
        columns: &[
            ("user_id", B, false),
            ("summary_id", B, false),
            ("value", I, false),
            ("created_at", Ts, false),
            ("updated_at", Ts, false),
        ],
        secret_columns: &[],
        secret: false,
        identity: false,
    },
    Table {
        name: "comments",
        order_by: "id",
        columns: &[
            ("id", B, false),
            ("summary_id", B, false),
            ("parent_id", B, true),
            ("author_id", B, false),
            ("body_markdown", T, false),
            ("body_html", T, false),
            ("hidden", Bo, false),
            ("deleted_at", Ts, true),
            ("created_at", Ts, false),
            ("edited_at", Ts, true),
        ],
        secret_columns: &[],
        secret: false,
        identity: true,
    },
    Table {
        name: "moderation_log",
        order_by: "id",
        columns: &[
            ("id", B, false),
            ("actor_id", B, true),
            ("action", T, false),
            ("target_user_id", B, true),
            ("reason", T, true),
            ("details", T, false),
            ("created_at", Ts, false),
        ],
        secret_columns: &[],
        secret: false,
        identity: true,
    },
    Table {
        name: "paper_changes",
        order_by: "id",
        columns: &[
            ("id", B, false),
            ("paper_id", B, false),
            ("user_id", B, true),
            ("action", T, false),
            ("changes", T, false),
            ("created_at", Ts, false),
        ],
        secret_columns: &[],
        secret: false,
        identity: true,
    },
    Table {
        name: "api_tokens",
        order_by: "id",
        columns: &[
            ("id", B, false),
            ("user_id", B, false),
            ("name", T, false),
            ("lookup", T, false),
            ("secret_hash", T, false),
            ("created_at", Ts, false),
            ("expires_at", Ts, true),
            ("last_used_at", Ts, true),
            ("revoked_at", Ts, true),
        ],
        secret_columns: &[],
        secret: true,
        identity: true,
    },
];

fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

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
            let sql = match conn {
                DbConn::Sqlite(_) => format!(
                    "SELECT json_object({}) AS row FROM {} ORDER BY {}",
                    fields.join(", "),
                    table.name,
                    table.order_by
                ),
                DbConn::Pg(_) => format!(
                    "SELECT json_build_object({})::text AS row FROM {} ORDER BY {}",
                    fields.join(", "),
                    table.name,
                    table.order_by
                ),
            };
            let mut n = 0;
            for row in diesel::sql_query(sql)
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
            counts.push((table.name, n));
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(counts)
}

fn parse_timestamp(raw: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw.trim_end_matches('Z'), f).ok())
}

fn format_timestamp(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
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

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    pub rows: u64,
    pub tables: Vec<(String, u64)>,
}

/// Reads a dump into an empty database (migrated to the same schema).
pub fn import(conn: &mut DbConn, input: &mut dyn BufRead) -> anyhow::Result<Imported> {
    let mut lines = input.lines();
    let header: Value = serde_json::from_str(&lines.next().context("the dump is empty")??)
        .context("the first line is not a dump header")?;
    anyhow::ensure!(
        header["format"] == FORMAT && header["version"] == VERSION,
        "not a {FORMAT} version {VERSION} file"
    );
    let users: i64 = {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        diesel::sql_query("SELECT count(*) AS n FROM users")
            .get_result::<Count>(conn)?
            .n
    };
    anyhow::ensure!(
        users == 0,
        "the target database is not empty ({users} users): import into a new database"
    );
    let mut imported = Imported::default();
    let mut batch: Vec<(usize, &'static Table, Map<String, Value>)> = Vec::new();
    for (number, line) in lines.enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let number = number + 2;
        let entry: Value =
            serde_json::from_str(&line).with_context(|| format!("line {number} is not JSON"))?;
        let name = entry["table"]
            .as_str()
            .with_context(|| format!("line {number} names no table"))?;
        let table =
            table(name).with_context(|| format!("line {number}: unknown table `{name}`"))?;
        let Value::Object(row) = entry["row"].clone() else {
            anyhow::bail!("line {number}: no row");
        };
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

fn insert_batch(
    conn: &mut DbConn,
    batch: &mut Vec<(usize, &'static Table, Map<String, Value>)>,
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
    let names: Vec<&str> = table.columns.iter().map(|(n, _, _)| *n).collect();
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
    for (name, kind, nullable) in table.columns {
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
