//! The full-text search queries, built from a [`Source`] per kind of hit (papers, summaries) and
//! backend (PostgreSQL tsvector with `ts_rank_cd`, SQLite FTS5 with bm25): one statement ranks a
//! kind ([`hits`]); once the kinds are merged and the page is cut, one more per kind makes the
//! snippets of the hits on the page only ([`snippets`]). A snippet costs far more than a score
//! (the engine reads and tokenizes the whole text again), so merging first halves that work.

use diesel::sql_types::{BigInt, Double, Integer, Text};
use diesel::{QueryResult, QueryableByName, RunQueryDsl};

use crate::db::{Backend, DbConn};

/// On SQLite, how many matches a query ranks at most: the newest this many (by id, which FTS5
/// walks backwards without sorting). bm25 costs time for every match ranked (about 4 µs each on
/// the benchmark machine), and a common word matches a large part of 300k summaries: on the
/// benchmark's data set, ranking the newest 5,000 matches of a common word took about 20 ms per
/// kind, the newest 1,000 about 4 ms (timed in sqlite3). With 1,000, `just bench` measures
/// search p95 42 ms on one connection (issue 10's target: 50 ms). Results stay relevant, if
/// recent-leaning, for such words; rarer queries (fewer matches) are ranked in full.
pub const SQLITE_MAX_RANKED: i64 = 1000;

/// Where a match starts and ends in the engines' snippets (private-use characters, which never
/// occur in the stored text's meaning): `StartSel`/`StopSel` on PostgreSQL, `char(57344)` and
/// `char(57345)` on SQLite.
pub const MARK_OPEN: char = '\u{E000}';
pub const MARK_CLOSE: char = '\u{E001}';

/// The summaries everyone may see, as the search queries name them (`s`).
const VISIBLE: &str = " AND s.visibility = 'public' AND s.hidden = FALSE AND s.deleted_at IS NULL";

/// One hit: its id (paper or summary) and score (higher is better).
#[derive(Debug, QueryableByName)]
pub struct Hit {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Double)]
    pub score: f64,
}

/// A hit's raw snippet, with [`MARK_OPEN`] and [`MARK_CLOSE`] around matches (not escaped).
#[derive(Debug, QueryableByName)]
struct Snippet {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    snippet: String,
}

/// The options of PostgreSQL's `ts_headline`, marking matches as SQLite's snippets do.
const PG_HEADLINE: &str = "'StartSel=\u{E000}, StopSel=\u{E001}, MaxWords=35, MinWords=12, \
                           MaxFragments=2, FragmentDelimiter=\" … \"'";

/// Filters every search applies to the paper (`p`) of a hit.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// A venue's slug.
    pub venue: Option<String>,
    /// Publication years, inclusive.
    pub years: Option<(i32, i32)>,
    /// Part of an author's name (matched case-insensitively, as a substring).
    pub author: Option<String>,
}

/// The query as each engine reads it.
#[derive(Debug, Clone)]
pub struct Matching<'a> {
    /// Web-search syntax, for PostgreSQL's `websearch_to_tsquery`.
    pub websearch: &'a str,
    /// The same in FTS5 syntax, for SQLite; `None` when it can find nothing.
    pub fts5: Option<&'a str>,
}

/// What one kind of hit reads: its full-text table, how its rows join their paper (`p`), and
/// how it is ranked and shown. The queries of both kinds are built from it alike.
pub struct Source {
    /// The full-text table (tsvector table on PostgreSQL, FTS5 table on SQLite).
    fts: &'static str,
    /// The hit's id once its row is joined.
    id: &'static str,
    /// `AND …` limiting hits to what everyone may see, or nothing.
    visible: &'static str,
    /// PostgreSQL: joins from the full-text row `f` to the hit's row and paper.
    pg_joins: &'static str,
    /// PostgreSQL: the table a hit's headline text is read from, and its id column.
    pg_text_table: (&'static str, &'static str),
    /// PostgreSQL: the text the headline is cut from.
    pg_headline: &'static str,
    /// PostgreSQL: the paper's authors, for the author filter.
    pg_authors: &'static str,
    /// SQLite, with filters: joins from the FTS5 row to the hit's row and paper.
    sqlite_joins: &'static str,
    /// SQLite: the paper's authors, for the author filter.
    sqlite_authors: &'static str,
    /// SQLite: bm25 column weights after the table name (`, 10.0, …`), or nothing.
    bm25_weights: &'static str,
    /// SQLite: the column the snippet is cut from (-1: the best one).
    snippet_column: i32,
}

/// Papers: ranked by title, authors, keywords, abstract, venue and identifiers.
pub const PAPERS: Source = Source {
    fts: "papers_fts",
    id: "p.id",
    visible: "",
    pg_joins: " JOIN papers p ON p.id = f.paper_id",
    pg_text_table: ("papers_fts", "paper_id"),
    pg_headline: "t.title || ' — ' || t.abstract",
    pg_authors: "f.authors",
    // Without filters the index alone ranks (every indexed row is a paper); with them, each
    // match joins its paper and its search text.
    sqlite_joins: " JOIN papers p ON p.id = papers_fts.rowid \
                   JOIN papers_fts_content c ON c.paper_id = p.id",
    sqlite_authors: "c.authors",
    // Weights: title, authors, keywords, abstract, venue, identifiers.
    bm25_weights: ", 10.0, 5.0, 3.0, 1.0, 2.0, 3.0",
    snippet_column: -1,
};

/// Public, visible summaries, ranked by their text.
pub const SUMMARIES: Source = Source {
    fts: "summaries_fts",
    id: "s.id",
    visible: VISIBLE,
    pg_joins: " JOIN summaries s ON s.id = f.summary_id JOIN papers p ON p.id = s.paper_id",
    pg_text_table: ("summaries", "id"),
    pg_headline: "t.body_markdown",
    pg_authors: "(SELECT authors FROM papers_fts WHERE paper_id = p.id)",
    // SQLite's index holds only the publicly visible summaries (its triggers see to it,
    // migration 2026-12-04-000002): without filters it ranks alone, reading no summary row;
    // with them, each match joins its summary and paper (and checks visibility again).
    sqlite_joins: " JOIN summaries s ON s.id = summaries_fts.rowid \
                   JOIN papers p ON p.id = s.paper_id",
    sqlite_authors: "(SELECT authors FROM papers_fts_content WHERE paper_id = p.id)",
    bm25_weights: "",
    snippet_column: 0,
};

/// A bound value.
#[derive(Debug)]
enum Bind {
    Text(String),
    Int(i32),
    Long(i64),
}

/// Builds `AND …` clauses with numbered placeholders from `next`, and their values.
fn filter_sql(
    filters: &Filters,
    pg: bool,
    next: &mut usize,
    authors_column: &str,
) -> (String, Vec<Bind>) {
    let mut sql = String::new();
    let mut binds = Vec::new();
    let placeholder = |next: &mut usize| {
        *next += 1;
        if pg {
            format!("${next}")
        } else {
            format!("?{next}")
        }
    };
    if let Some(venue) = &filters.venue {
        let p = placeholder(next);
        sql.push_str(&format!(
            " AND p.venue_id = (SELECT id FROM venues WHERE slug = {p})"
        ));
        binds.push(Bind::Text(venue.clone()));
    }
    if let Some((from, to)) = filters.years {
        let (a, b) = (placeholder(next), placeholder(next));
        sql.push_str(&format!(" AND p.year BETWEEN {a} AND {b}"));
        binds.push(Bind::Int(from));
        binds.push(Bind::Int(to));
    }
    if let Some(author) = &filters.author {
        let p = placeholder(next);
        let like = if pg { "ILIKE" } else { "LIKE" };
        sql.push_str(&format!(" AND {authors_column} {like} {p}"));
        let escaped = author
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        binds.push(Bind::Text(format!("%{escaped}%")));
        sql.push_str(" ESCAPE '\\'");
    }
    (sql, binds)
}

impl Source {
    /// PostgreSQL: the page of scores, best first.
    fn pg_sql(&self, extra: &str, limit_at: usize, offset_at: usize) -> String {
        let Self {
            fts,
            id,
            visible,
            pg_joins,
            ..
        } = self;
        format!(
            "SELECT {id} AS id, ts_rank_cd(f.document, query)::float8 AS score \
             FROM {fts} f{pg_joins}, websearch_to_tsquery('english', $1) query \
             WHERE f.document @@ query{visible}{extra} \
             ORDER BY score DESC, {id} DESC LIMIT ${limit_at} OFFSET ${offset_at}"
        )
    }

    /// SQLite: the page of scores, best first. bm25 is lower for better matches; the score is
    /// its negation.
    fn sqlite_sql(&self, extra: &str, limit_at: usize, offset_at: usize) -> String {
        let Self {
            fts, bm25_weights, ..
        } = self;
        // Without filters the index alone ranks; with them, each match joins its rows.
        let (id, joins, visible) = if extra.is_empty() {
            (format!("{fts}.rowid"), "", "")
        } else {
            (self.id.to_owned(), self.sqlite_joins, self.visible)
        };
        format!(
            "SELECT * FROM (SELECT {id} AS id, -bm25({fts}{bm25_weights}) AS score \
             FROM {fts}{joins} WHERE {fts} MATCH ?1{visible}{extra} \
             ORDER BY {fts}.rowid DESC LIMIT {SQLITE_MAX_RANKED}) \
             ORDER BY score DESC, id DESC LIMIT ?{limit_at} OFFSET ?{offset_at}"
        )
    }

    /// The statement making the snippets of these hits (ids from the database itself, written
    /// into the statement as integers), reading the query as `$1`/`?1`.
    fn snippet_sql(&self, pg: bool, ids: &[i64]) -> String {
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        if pg {
            let (table, id) = self.pg_text_table;
            format!(
                "SELECT t.{id}::int8 AS id, ts_headline('english', {}, \
                 websearch_to_tsquery('english', $1), {PG_HEADLINE}) AS snippet \
                 FROM {table} t WHERE t.{id} IN ({list})",
                self.pg_headline
            )
        } else {
            let values = ids
                .iter()
                .map(|id| format!("({id})"))
                .collect::<Vec<_>>()
                .join(",");
            let Self {
                fts,
                snippet_column,
                ..
            } = self;
            // CROSS JOIN makes SQLite walk the page and find each hit by rowid in the index.
            format!(
                "WITH page(id) AS (VALUES {values}) \
                 SELECT page.id AS id, \
                        snippet({fts}, {snippet_column}, char(57344), char(57345), '…', 24) AS snippet \
                 FROM page CROSS JOIN {fts} ON {fts}.rowid = page.id WHERE {fts} MATCH ?1"
            )
        }
    }

    /// The statement and its values for a page of hits, or `None` when the query can find
    /// nothing on this backend.
    fn statement(
        &self,
        pg: bool,
        matching: &Matching<'_>,
        filters: &Filters,
        limit: i64,
        offset: i64,
    ) -> Option<(String, Vec<Bind>)> {
        let (matched, authors) = if pg {
            (matching.websearch, self.pg_authors)
        } else {
            (matching.fts5?, self.sqlite_authors)
        };
        let mut next = 1;
        let (extra, filter_binds) = filter_sql(filters, pg, &mut next, authors);
        let sql = if pg {
            self.pg_sql(&extra, next + 1, next + 2)
        } else {
            self.sqlite_sql(&extra, next + 1, next + 2)
        };
        let mut binds = vec![Bind::Text(matched.to_owned())];
        binds.extend(filter_binds);
        binds.push(Bind::Long(limit));
        binds.push(Bind::Long(offset));
        Some((sql, binds))
    }
}

/// The best `limit` hits of this kind from `offset`, best first (score, then newest id), without
/// their snippets (see [`snippets`]).
pub fn hits(
    conn: &mut DbConn,
    source: &Source,
    matching: &Matching<'_>,
    filters: &Filters,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<Hit>> {
    let pg = matches!(conn, DbConn::Pg(_));
    let Some((sql, binds)) = source.statement(pg, matching, filters, limit, offset) else {
        return Ok(Vec::new());
    };
    let mut query: diesel::query_builder::BoxedSqlQuery<
        '_,
        Backend,
        diesel::query_builder::SqlQuery,
    > = diesel::sql_query(sql).into_boxed();
    for bind in binds {
        query = match bind {
            Bind::Text(t) => query.bind::<Text, _>(t),
            Bind::Int(i) => query.bind::<Integer, _>(i),
            Bind::Long(l) => query.bind::<BigInt, _>(l),
        };
    }
    query.load(conn)
}

/// The snippets of these hits of this kind (from [`hits`] with the same query), by id. Hits the
/// engine no longer matches (changed meanwhile) have none.
pub fn snippets(
    conn: &mut DbConn,
    source: &Source,
    matching: &Matching<'_>,
    ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, String>> {
    let pg = matches!(conn, DbConn::Pg(_));
    let matched = if pg {
        matching.websearch
    } else {
        match matching.fts5 {
            Some(m) => m,
            None => return Ok(Default::default()),
        }
    };
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<Snippet> = diesel::sql_query(source.snippet_sql(pg, ids))
        .bind::<Text, _>(matched)
        .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.id, r.snippet)).collect())
}
