use diesel::prelude::*;
use diesel::sql_types::Text;
use shortscience_server::db::{self, DbConn};

use crate::helpers::*;

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

/// Tables and their columns as the database has them.
fn columns(conn: &mut DbConn, table: &str) -> Vec<String> {
    let rows: Vec<Name> = match conn {
        DbConn::Sqlite(_) => diesel::sql_query(format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid")).load(conn),
        DbConn::Pg(_) => diesel::sql_query(format!(
            "SELECT column_name::text AS name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{table}' ORDER BY ordinal_position"
        ))
        .load(conn),
    }
    .unwrap();
    rows.into_iter().map(|r| r.name).collect()
}

/// The tables of the application, without the database's and diesel's own and without the
/// shadow tables full-text indexes keep.
fn table_names(conn: &mut DbConn) -> Vec<String> {
    let rows: Vec<Name> = match conn {
        DbConn::Sqlite(_) => diesel::sql_query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
        .load(conn),
        DbConn::Pg(_) => diesel::sql_query(
            "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public'",
        )
        .load(conn),
    }
    .unwrap();
    rows.into_iter()
        .map(|r| r.name)
        .filter(|n| n != "__diesel_schema_migrations" && !n.contains("_fts"))
        .collect()
}

macro_rules! columns_of {
    ($($table:ident),* $(,)?) => {
        vec![$(
            (
                stringify!($table),
                {
                    use diesel::Table as _;
                    use shortscience_server::db::schema::$table;
                    column_names(&$table::table::all_columns())
                },
            ),
        )*]
    };
}

/// Names of a table's columns as schema.rs declares them.
fn column_names<C: ColumnNames>(columns: &C) -> Vec<String> {
    columns.names()
}

trait ColumnNames {
    fn names(&self) -> Vec<String>;
}

macro_rules! impl_column_names {
    ($($t:ident),+) => {
        impl<$($t: diesel::Column),+> ColumnNames for ($($t,)+) {
            fn names(&self) -> Vec<String> {
                vec![$($t::NAME.to_owned()),+]
            }
        }
    };
}
impl_column_names!(A, B);
impl_column_names!(A, B, C);
impl_column_names!(A, B, C, D);
impl_column_names!(A, B, C, D, E);
impl_column_names!(A, B, C, D, E, F);
impl_column_names!(A, B, C, D, E, F, G);
impl_column_names!(A, B, C, D, E, F, G, H);
impl_column_names!(A, B, C, D, E, F, G, H, I);
impl_column_names!(A, B, C, D, E, F, G, H, I, J);
impl_column_names!(A, B, C, D, E, F, G, H, I, J, K);
impl_column_names!(A, B, C, D, E, F, G, H, I, J, K, L);
impl_column_names!(A, B, C, D, E, F, G, H, I, J, K, L, M);
impl_column_names!(A, B, C, D, E, F, G, H, I, J, K, L, M, N);
impl_column_names!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O);
impl_column_names!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P);
impl_column_names!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q);
impl_column_names!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R);
impl_column_names!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S);
impl_column_names!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T);
impl_column_names!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T, U);
impl_column_names!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T, U, V);
impl_column_names!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T, U, V, W);
impl_column_names!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T, U, V, W, X);

fn check_schema_matches_database(conn: &mut DbConn) {
    let declared = columns_of!(
        users,
        venues,
        papers,
        authors,
        paper_authors,
        keywords,
        paper_keywords,
        summaries,
        summary_revisions,
        votes,
        comments,
        sessions,
        refresh_tokens,
        api_tokens,
        server_secrets,
        moderation_log,
        paper_changes,
        rate_limits,
        feed_snapshots,
        upstream_pacing,
        upstream_cache,
        health_probe,
        year_counts,
        venue_year_counts,
        follows,
        notifications,
        notification_feeds,
        flags,
        author_claims,
    );
    // Every table the migrations create is declared (the database's own bookkeeping aside).
    let mut tables = table_names(conn);
    let mut names: Vec<String> = declared.iter().map(|(t, _)| (*t).to_owned()).collect();
    tables.sort();
    names.sort();
    assert_eq!(tables, names, "tables in the database vs. schema.rs");
    for (table, declared) in declared {
        let mut actual = columns(conn, table);
        let mut declared = declared;
        actual.sort();
        declared.sort();
        assert_eq!(
            actual, declared,
            "schema.rs and the migrations disagree on `{table}`"
        );
    }
}

fn up_down_up(backend: Backend) {
    let Some((_database, url)) = TestDatabase::create(backend) else {
        note_postgres_skipped();
        return;
    };
    let database = db::Db::connect(&url).unwrap();
    let mut conn = database.get().unwrap();
    let applied = db::run_migrations(&mut conn).unwrap();
    assert!(!applied.is_empty());
    check_schema_matches_database(&mut conn);
    assert!(db::migration_status(&mut conn)
        .unwrap()
        .iter()
        .all(|m| m.applied));

    let reverted = db::revert_all_migrations(&mut conn).unwrap();
    assert_eq!(reverted.len(), applied.len());
    assert!(
        columns(&mut conn, "papers").is_empty(),
        "tables are gone after reverting"
    );
    assert_eq!(db::latest_migration(&mut conn).unwrap(), None);

    let again = db::run_migrations(&mut conn).unwrap();
    assert_eq!(again, applied);
    check_schema_matches_database(&mut conn);
    // And the app's demo data loads on the re-created schema, twice without duplicates.
    let first = shortscience_server::domain::seed::seed_demo(&mut conn).unwrap();
    let second = shortscience_server::domain::seed::seed_demo(&mut conn).unwrap();
    assert_eq!((first.papers_added, second.papers_added), (5, 0));
}

#[test]
fn migrations_go_up_down_and_up_again_on_sqlite() {
    up_down_up(Backend::Sqlite);
}

#[test]
fn migrations_go_up_down_and_up_again_on_postgres() {
    up_down_up(Backend::Postgres);
}
