//! The full-text search queries: one statement per kind of hit (papers, summaries) and backend
//! (PostgreSQL tsvector with `ts_rank_cd`, SQLite FTS5 with bm25), built from a [`Source`].

use diesel::sql_types::{BigInt, Double, Integer, Text};
use diesel::{QueryResult, QueryableByName, RunQueryDsl};

use crate::db::{Backend, DbConn};

/// On SQLite, how many matches a query ranks at most: the newest this many (by id, which FTS5
/// walks backwards without sorting). bm25 costs time for every match ranked, and a common word
/// matches a large part of 300k summaries (seconds per query in the benchmark); the newest 5,000
/// are ranked in milliseconds, and results stay relevant, if recent-leaning, for such words.
/// Rarer queries (fewer matches) are ranked in full.
pub const SQLITE_MAX_RANKED: i64 = 5000;

/// Where a match starts and ends in the engines' snippets (private-use characters, which never
/// occur in the stored text's meaning): `StartSel`/`StopSel` on PostgreSQL, `char(57344)` and
/// `char(57345)` on SQLite.
pub const MARK_OPEN: char = '\u{E000}';
pub const MARK_CLOSE: char = '\u{E001}';

/// The summaries everyone may see, as the search queries name them (`s`).
const VISIBLE: &str = " AND s.visibility = 'public' AND s.hidden = FALSE AND s.deleted_at IS NULL";

/// One hit: its id (paper or summary), score (higher is better) and raw snippet (with
/// [`MARK_OPEN`] and [`MARK_CLOSE`] around matches, not escaped).
#[derive(Debug, QueryableByName)]
pub struct Hit {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Double)]
    pub score: f64,
    #[diesel(sql_type = Text)]
    pub snippet: String,
}

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
    /// PostgreSQL: the inner query's columns besides the score.
    pg_columns: &'static str,
    /// PostgreSQL: the text the headline is cut from.
    pg_headline: &'static str,
    /// PostgreSQL: joins of the ranked page `t` that the headline needs.
    pg_outer_joins: &'static str,
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
    pg_columns: "p.id, f.title, f.abstract",
    pg_headline: "t.title || ' — ' || t.abstract",
    pg_outer_joins: "",
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
    pg_columns: "s.id",
    pg_headline: "s.body_markdown",
    pg_outer_joins: " JOIN summaries s ON s.id = t.id",
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
    /// PostgreSQL: ranks the page in an inner query, then cuts headlines for its rows only.
    fn pg_sql(&self, extra: &str, limit_at: usize, offset_at: usize) -> String {
        let Self {
            fts,
            id,
            visible,
            pg_joins,
            pg_columns,
            pg_headline,
            pg_outer_joins,
            ..
        } = self;
        format!(
            "SELECT t.id, t.score, ts_headline('english', {pg_headline}, websearch_to_tsquery('english', $1), \
               'StartSel=\u{E000}, StopSel=\u{E001}, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"') AS snippet \
             FROM (SELECT {pg_columns}, ts_rank_cd(f.document, query)::float8 AS score \
                   FROM {fts} f{pg_joins}, websearch_to_tsquery('english', $1) query \
                   WHERE f.document @@ query{visible}{extra} \
                   ORDER BY score DESC, {id} DESC LIMIT ${limit_at} OFFSET ${offset_at}) t{pg_outer_joins} \
             ORDER BY t.score DESC, t.id DESC"
        )
    }

    /// SQLite: ranked first, snippets after. SQLite computes every selected column of every
    /// match before it sorts, and a snippet costs far more than a bm25 score; the outer query
    /// finds the page's rows again by rowid (CROSS JOIN keeps that order) to make their
    /// snippets. bm25 is lower for better matches; the score is its negation.
    fn sqlite_sql(&self, extra: &str, limit_at: usize, offset_at: usize) -> String {
        let Self {
            fts,
            bm25_weights,
            snippet_column,
            ..
        } = self;
        // Without filters the index alone ranks; with them, each match joins its rows.
        let (id, joins, visible) = if extra.is_empty() {
            (format!("{fts}.rowid"), "", "")
        } else {
            (self.id.to_owned(), self.sqlite_joins, self.visible)
        };
        let ranked = format!(
            "SELECT * FROM (SELECT {id} AS id, -bm25({fts}{bm25_weights}) AS score \
             FROM {fts}{joins} WHERE {fts} MATCH ?1{visible}{extra} \
             ORDER BY {fts}.rowid DESC LIMIT {SQLITE_MAX_RANKED})"
        );
        format!(
            "WITH top AS ({ranked} ORDER BY score DESC, id DESC LIMIT ?{limit_at} OFFSET ?{offset_at}) \
             SELECT top.id AS id, top.score AS score, \
                    snippet({fts}, {snippet_column}, char(57344), char(57345), '…', 24) AS snippet \
             FROM top CROSS JOIN {fts} ON {fts}.rowid = top.id \
             WHERE {fts} MATCH ?1 \
             ORDER BY top.score DESC, top.id DESC"
        )
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

/// The best `limit` hits of this kind from `offset`, best first (score, then newest id).
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
