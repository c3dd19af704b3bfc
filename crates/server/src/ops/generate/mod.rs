//! `shortscience generate`: fills an empty database with a realistic, deterministic data set for
//! benchmarks — users, arXiv-like venues, keywords and authors, papers over five years,
//! power-law summaries per paper and votes per summary, comments and revisions — with every
//! counter and stored rank consistent with the votes, as the API would have left them.
//!
//! Markdown is rendered by the real renderer: a few dozen sample texts (with math) are rendered
//! once and reused. Rows go in as large multi-row `INSERT`s of literal values (the same SQL on
//! both backends), table by table. The search triggers are suspended while the rows go in and
//! the search index is rebuilt in one pass afterwards, which is many times faster than keeping
//! it in step row by row; the counting triggers stay on.

mod bulk;
mod plan;
mod random;
mod samples;
mod sql;
mod vocab;
mod write;

use std::time::Instant;

use diesel::RunQueryDsl as _;

use crate::db::DbConn;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    pub papers: usize,
    pub summaries: usize,
    pub votes: usize,
    pub users: usize,
    pub comments: usize,
    pub seed: u64,
    /// History ends at 00:00 UTC on this day.
    pub until: chrono::NaiveDate,
}

/// What was generated, and how long it took.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Generated {
    pub users: usize,
    pub papers: usize,
    pub summaries: usize,
    pub votes: usize,
    pub comments: usize,
    pub revisions: usize,
    pub seconds: f64,
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Fills the (migrated, empty) database. `progress` hears each stage as it finishes.
pub fn generate(
    conn: &mut DbConn,
    params: Params,
    mut progress: impl FnMut(&str),
) -> anyhow::Result<Generated> {
    let started = Instant::now();
    let existing = diesel::sql_query(
        "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM papers) AS n",
    )
    .get_result::<Count>(conn)?
    .n;
    anyhow::ensure!(
        existing == 0,
        "the database already has users or papers: generate into a new, empty database"
    );
    anyhow::ensure!(params.users >= 2, "--users must be at least 2");
    anyhow::ensure!(params.papers >= 1, "--papers must be at least 1");
    // Everything in memory first (counters follow from the rows), then into the database.
    let plan = plan::plan(params, &mut progress);
    let mut out = write::write(conn, &plan, &mut progress)?;
    out.seconds = started.elapsed().as_secs_f64();
    Ok(out)
}
