//! Papers with their ordered authors and keywords.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use shortscience_types::{AuthorId, PaperId, PaperRef, PaperSort, UserId};

use crate::db::models::venues::Venue;
use crate::db::schema::{
    authors, keywords, paper_authors, paper_keywords, papers, summaries, venues,
};
use crate::db::DbConn;

crate::db::sql_literal!(
    /// Papers with the newest summaries first, those without any last, on both backends
    /// (SQLite sorts NULL low, PostgreSQL high), spelled so that an index serves it: SQLite walks
    /// papers_last_summary_idx backwards, PostgreSQL reads papers_recent_idx.
    RecentFirst: diesel::sql_types::Bool = "papers.last_summary_at DESC NULLS LAST, papers.id DESC"
);

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = papers)]
pub struct Paper {
    pub id: PaperId,
    pub title: String,
    pub abstract_text: Option<String>,
    pub year: Option<i32>,
    pub published_on: Option<NaiveDate>,
    pub venue_id: Option<i64>,
    pub arxiv_id: Option<String>,
    pub doi: Option<String>,
    pub url: Option<String>,
    pub pdf_url: Option<String>,
    pub source: String,
    pub summary_count: i32,
    pub last_summary_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub top_score: i32,
    pub created_by: Option<UserId>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = papers)]
pub struct NewPaper<'a> {
    pub title: &'a str,
    pub abstract_text: Option<&'a str>,
    pub year: Option<i32>,
    pub published_on: Option<NaiveDate>,
    pub venue_id: Option<i64>,
    pub arxiv_id: Option<&'a str>,
    pub doi: Option<&'a str>,
    pub url: Option<&'a str>,
    pub pdf_url: Option<&'a str>,
    pub source: &'a str,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = authors)]
pub struct Author {
    pub id: AuthorId,
    pub name: String,
}

/// An author as a paper's page shows them: with the user verified as them and their ORCID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperAuthor {
    pub author: Author,
    pub verified_user: Option<String>,
    pub orcid: Option<String>,
}

/// Filters of the paper list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaperFilter {
    pub venue_slug: Option<String>,
    pub year: Option<i32>,
    pub keyword_slug: Option<String>,
    pub author_id: Option<AuthorId>,
}

/// Where the previous page ended, in the sort's own key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum After {
    Id(PaperId),
    Recent(Option<NaiveDateTime>, PaperId),
    Count(i32, PaperId),
}

impl After {
    /// The key of a paper in this order, for the next page's cursor. Each order is total (ties
    /// broken by id, newest first), so keyset pagination neither repeats nor skips.
    pub fn of(sort: PaperSort, paper: &Paper) -> Self {
        match sort {
            PaperSort::New => Self::Id(paper.id),
            PaperSort::Recent => Self::Recent(paper.last_summary_at, paper.id),
            PaperSort::Summaries => Self::Count(paper.summary_count, paper.id),
            PaperSort::Top => Self::Count(paper.top_score, paper.id),
        }
    }

    pub fn id(&self) -> PaperId {
        match self {
            Self::Id(id) | Self::Recent(_, id) | Self::Count(_, id) => *id,
        }
    }
}

pub fn find(
    conn: &mut DbConn,
    reference: &PaperRef,
) -> QueryResult<Option<(Paper, Option<Venue>)>> {
    let query = papers::table
        .left_join(venues::table)
        .select((Paper::as_select(), Option::<Venue>::as_select()))
        .into_boxed();
    let query = match reference {
        PaperRef::Id(id) => query.filter(papers::id.eq(*id)),
        PaperRef::Arxiv(arxiv) => query.filter(papers::arxiv_id.eq(arxiv.as_str().to_owned())),
        PaperRef::Doi(doi) => query.filter(papers::doi.eq(doi.as_str().to_owned())),
    };
    query.first(conn).optional()
}

/// How many papers there are.
pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    papers::table.count().get_result(conn)
}

/// These papers with their venues, in no particular order.
pub fn with_venues(conn: &mut DbConn, ids: &[PaperId]) -> QueryResult<Vec<(Paper, Option<Venue>)>> {
    papers::table
        .left_join(venues::table)
        .filter(papers::id.eq_any(ids))
        .select((Paper::as_select(), Option::<Venue>::as_select()))
        .load(conn)
}

/// One page of papers in the given order, after the given position.
pub fn list(
    conn: &mut DbConn,
    filter: &PaperFilter,
    sort: PaperSort,
    after: Option<&After>,
    limit: i64,
) -> QueryResult<Vec<(Paper, Option<Venue>)>> {
    let mut query = papers::table
        .left_join(venues::table)
        .select((Paper::as_select(), Option::<Venue>::as_select()))
        .limit(limit)
        .into_boxed();
    if let Some(slug) = &filter.venue_slug {
        query = query.filter(venues::slug.eq(slug.clone()));
    }
    if let Some(year) = filter.year {
        query = query.filter(papers::year.eq(year));
    }
    if let Some(slug) = filter
        .keyword_slug
        .as_deref()
        .map(super::keywords::keyword_slug)
    {
        query = query.filter(
            papers::id.eq_any(
                paper_keywords::table
                    .inner_join(keywords::table)
                    .filter(keywords::slug.eq(slug.clone()))
                    .select(paper_keywords::paper_id),
            ),
        );
    }
    if let Some(author_id) = filter.author_id {
        query = query.filter(
            papers::id.eq_any(
                paper_authors::table
                    .filter(paper_authors::author_id.eq(author_id))
                    .select(paper_authors::paper_id),
            ),
        );
    }
    query = match sort {
        PaperSort::New => query.order(papers::id.desc()),
        PaperSort::Recent => query.order(RecentFirst),
        PaperSort::Summaries => query.order((papers::summary_count.desc(), papers::id.desc())),
        PaperSort::Top => query.order((papers::top_score.desc(), papers::id.desc())),
    };
    query = match (sort, after) {
        (_, None) => query,
        (PaperSort::New, Some(After::Id(id))) => query.filter(papers::id.lt(*id)),
        (PaperSort::Recent, Some(After::Recent(Some(at), id))) => query.filter(
            papers::last_summary_at
                .lt(*at)
                .or(papers::last_summary_at.eq(*at).and(papers::id.lt(*id)))
                .or(papers::last_summary_at.is_null()),
        ),
        (PaperSort::Recent, Some(After::Recent(None, id))) => {
            query.filter(papers::last_summary_at.is_null().and(papers::id.lt(*id)))
        }
        (PaperSort::Summaries, Some(After::Count(count, id))) => query.filter(
            papers::summary_count
                .lt(*count)
                .or(papers::summary_count.eq(*count).and(papers::id.lt(*id))),
        ),
        (PaperSort::Top, Some(After::Count(score, id))) => query.filter(
            papers::top_score
                .lt(*score)
                .or(papers::top_score.eq(*score).and(papers::id.lt(*id))),
        ),
        // A cursor of another order: the handler refuses those before calling.
        (_, Some(_)) => return Ok(Vec::new()),
    };
    query.load(conn)
}

/// Authors of the given papers as `(paper_id, author)`, in each paper's order.
/// A paper's authors and keywords, each in the paper's order, in one statement.
pub fn authors_and_keywords(
    conn: &mut DbConn,
    paper_id: PaperId,
) -> QueryResult<(Vec<PaperAuthor>, Vec<super::keywords::Keyword>)> {
    use diesel::sql_types::{BigInt, Nullable, Text};
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        kind: String,
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = Text)]
        slug: String,
        #[diesel(sql_type = Nullable<Text>)]
        verified_user: Option<String>,
        #[diesel(sql_type = Nullable<Text>)]
        orcid: Option<String>,
    }
    let (first, second) = match conn {
        DbConn::Pg(_) => ("$1", "$2"),
        DbConn::Sqlite(_) => ("?1", "?2"),
    };
    let sql = format!(
        "SELECT 'a' AS kind, a.id AS id, a.name AS name, '' AS slug, pa.position AS position, \
         u.username AS verified_user, a.orcid AS orcid \
         FROM paper_authors pa JOIN authors a ON a.id = pa.author_id \
         LEFT JOIN author_claims c ON c.author_id = a.id AND c.status = 'approved' \
         LEFT JOIN users u ON u.id = c.user_id \
         WHERE pa.paper_id = {first} \
         UNION ALL \
         SELECT 'k', k.id, k.name, k.slug, pk.position, NULL, NULL \
         FROM paper_keywords pk JOIN keywords k ON k.id = pk.keyword_id WHERE pk.paper_id = {second} \
         ORDER BY kind, position"
    );
    let rows: Vec<Row> = diesel::sql_query(sql)
        .bind::<BigInt, _>(paper_id.0)
        .bind::<BigInt, _>(paper_id.0)
        .load(conn)?;
    let (mut authors, mut keywords) = (Vec::new(), Vec::new());
    for row in rows {
        if row.kind == "a" {
            authors.push(PaperAuthor {
                author: Author {
                    id: AuthorId(row.id),
                    name: row.name,
                },
                verified_user: row.verified_user,
                orcid: row.orcid,
            });
        } else {
            keywords.push(super::keywords::Keyword {
                id: row.id,
                slug: row.slug,
                name: row.name,
            });
        }
    }
    Ok((authors, keywords))
}

pub fn authors_of(conn: &mut DbConn, paper_ids: &[PaperId]) -> QueryResult<Vec<(PaperId, Author)>> {
    paper_authors::table
        .inner_join(authors::table)
        .filter(paper_authors::paper_id.eq_any(paper_ids))
        .order((paper_authors::paper_id, paper_authors::position))
        .select((paper_authors::paper_id, Author::as_select()))
        .load(conn)
}

pub fn insert(conn: &mut DbConn, new: &NewPaper<'_>) -> QueryResult<PaperId> {
    diesel::insert_into(papers::table)
        .values(new)
        .returning(papers::id)
        .get_result(conn)
}

/// The key authors are matched by: lower case, whitespace collapsed.
pub fn author_name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Sets a paper's authors, in order, reusing an existing author with the same name key.
/// Two different people with the same name share one author record; disambiguation (ORCID) is
/// left to imports that carry it.
pub fn set_authors(conn: &mut DbConn, paper_id: PaperId, names: &[&str]) -> QueryResult<()> {
    diesel::delete(paper_authors::table.filter(paper_authors::paper_id.eq(paper_id)))
        .execute(conn)?;
    let now = super::now();
    for (position, name) in names.iter().enumerate() {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let key = author_name_key(&name);
        let existing: Option<AuthorId> = authors::table
            .filter(authors::name_key.eq(&key))
            .select(authors::id)
            .order(authors::id)
            .first(conn)
            .optional()?;
        let author_id = match existing {
            Some(id) => id,
            None => diesel::insert_into(authors::table)
                .values((
                    authors::name.eq(&name),
                    authors::name_key.eq(&key),
                    authors::created_at.eq(now),
                ))
                .returning(authors::id)
                .get_result(conn)?,
        };
        diesel::insert_into(paper_authors::table)
            .values((
                paper_authors::paper_id.eq(paper_id),
                paper_authors::author_id.eq(author_id),
                paper_authors::position.eq(position_i32(position)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub(crate) fn position_i32(position: usize) -> i32 {
    i32::try_from(position).unwrap_or(i32::MAX)
}

/// The short form of a paper shown next to a summary.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = papers)]
pub struct Brief {
    pub id: PaperId,
    pub title: String,
    pub year: Option<i32>,
}

/// Briefs of these papers with their venues, by paper id.
pub fn briefs(
    conn: &mut DbConn,
    paper_ids: &[PaperId],
) -> QueryResult<std::collections::HashMap<PaperId, (Brief, Option<super::venues::Venue>)>> {
    use crate::db::schema::venues;
    if paper_ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(papers::table
        .left_join(venues::table)
        .filter(papers::id.eq_any(paper_ids))
        .select((
            Brief::as_select(),
            Option::<super::venues::Venue>::as_select(),
        ))
        .load::<(Brief, Option<super::venues::Venue>)>(conn)?
        .into_iter()
        .map(|row| (row.0.id, row))
        .collect())
}

/// Recomputes a paper's denormalised summary totals from its visible public summaries.
pub fn refresh_summary_stats(conn: &mut DbConn, paper_id: PaperId) -> QueryResult<()> {
    let (count, latest, top): (i64, Option<NaiveDateTime>, Option<i32>) = summaries::table
        .filter(summaries::paper_id.eq(paper_id))
        .filter(super::summaries::publicly_visible())
        .select((
            diesel::dsl::count(summaries::id),
            diesel::dsl::max(summaries::created_at),
            diesel::dsl::max(summaries::score),
        ))
        .first(conn)?;
    diesel::update(papers::table.find(paper_id))
        .set((
            papers::summary_count.eq(i32::try_from(count).unwrap_or(i32::MAX)),
            papers::last_summary_at.eq(latest),
            papers::top_score.eq(top.unwrap_or(0)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The best score among a paper's publicly visible summaries (0 without any).
fn top_score_of(conn: &mut DbConn, paper_id: PaperId) -> QueryResult<i32> {
    let top: Option<i32> = summaries::table
        .filter(summaries::paper_id.eq(paper_id))
        .filter(super::summaries::publicly_visible())
        .select(diesel::dsl::max(summaries::score))
        .first(conn)?;
    Ok(top.unwrap_or(0))
}

/// Sets a paper's top score from its publicly visible summaries: all a vote can change of what
/// [`refresh_summary_stats`] keeps (one seek in `summaries_public_paper_idx`).
pub fn refresh_top_score(conn: &mut DbConn, paper_id: PaperId) -> QueryResult<()> {
    let top = top_score_of(conn, paper_id)?;
    SetTopScore {
        id: paper_id.0,
        top,
    }
    .execute(conn)?;
    Ok(())
}

/// The `UPDATE` of [`refresh_top_score`], as a query type of its own so that it is prepared once
/// per connection, not on every vote (diesel never caches its own `UPDATE` statements; see
/// `summaries::set_votes`). Only when the score moved: most votes leave the paper's best score
/// as it was, and an unchanged row then costs the writer no page of `papers` or of its
/// top-score index.
#[derive(Debug, Clone, Copy, diesel::query_builder::QueryId)]
struct SetTopScore {
    id: i64,
    top: i32,
}

impl diesel::query_builder::QueryFragment<crate::db::Backend> for SetTopScore {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, crate::db::Backend>,
    ) -> QueryResult<()> {
        use diesel::sql_types::{BigInt, Integer};
        out.push_sql("UPDATE papers SET top_score = ");
        out.push_bind_param::<Integer, _>(&self.top)?;
        out.push_sql(" WHERE id = ");
        out.push_bind_param::<BigInt, _>(&self.id)?;
        out.push_sql(" AND top_score <> ");
        out.push_bind_param::<Integer, _>(&self.top)?;
        Ok(())
    }
}

impl RunQueryDsl<DbConn> for SetTopScore {}

/// Years with papers (at this venue, or anywhere), newest first, with counts (kept on write by
/// triggers).
pub fn years(conn: &mut DbConn, venue_id: Option<i64>) -> QueryResult<Vec<(i32, i64)>> {
    use crate::db::schema::{venue_year_counts, year_counts};
    let rows: Vec<(i32, i32)> = match venue_id {
        Some(venue_id) => venue_year_counts::table
            .filter(venue_year_counts::venue_id.eq(venue_id))
            .filter(venue_year_counts::paper_count.gt(0))
            .order(venue_year_counts::year.desc())
            .select((venue_year_counts::year, venue_year_counts::paper_count))
            .load(conn)?,
        None => year_counts::table
            .filter(year_counts::paper_count.gt(0))
            .order(year_counts::year.desc())
            .select((year_counts::year, year_counts::paper_count))
            .load(conn)?,
    };
    Ok(rows
        .into_iter()
        .map(|(year, n)| (year, i64::from(n)))
        .collect())
}

/// An author and how many papers they have.
pub fn author(conn: &mut DbConn, author_id: AuthorId) -> QueryResult<Option<(Author, i64)>> {
    let Some(author) = authors::table
        .find(author_id)
        .select(Author::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let count = paper_authors::table
        .filter(paper_authors::author_id.eq(author_id))
        .count()
        .get_result(conn)?;
    Ok(Some((author, count)))
}

/// Changed fields of a paper, written by an edit.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = papers)]
pub struct PaperChanges {
    pub title: Option<String>,
    pub abstract_text: Option<Option<String>>,
    pub year: Option<Option<i32>>,
    pub published_on: Option<Option<NaiveDate>>,
    pub venue_id: Option<Option<i64>>,
    pub arxiv_id: Option<Option<String>>,
    pub doi: Option<Option<String>>,
    pub url: Option<Option<String>>,
    pub pdf_url: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
}

pub fn update(conn: &mut DbConn, paper_id: PaperId, changes: &PaperChanges) -> QueryResult<()> {
    diesel::update(papers::table.find(paper_id))
        .set(changes)
        .execute(conn)?;
    Ok(())
}

/// Records who did what to a paper.
pub fn log_change(
    conn: &mut DbConn,
    paper_id: PaperId,
    user_id: Option<UserId>,
    action: &str,
    changes: &serde_json::Value,
    at: NaiveDateTime,
) -> QueryResult<()> {
    use crate::db::schema::paper_changes;
    diesel::insert_into(paper_changes::table)
        .values((
            paper_changes::paper_id.eq(paper_id),
            paper_changes::user_id.eq(user_id),
            paper_changes::action.eq(action),
            paper_changes::changes.eq(changes.to_string()),
            paper_changes::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// One entry of a paper's change log.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ChangeRow {
    pub action: String,
    /// JSON.
    pub changes: String,
    pub username: Option<String>,
    pub at: NaiveDateTime,
}

/// A paper's change log, oldest first.
pub fn changes_of(conn: &mut DbConn, paper_id: PaperId) -> QueryResult<Vec<ChangeRow>> {
    use crate::db::schema::{paper_changes, users};
    paper_changes::table
        .left_join(users::table)
        .filter(paper_changes::paper_id.eq(paper_id))
        .order(paper_changes::id.asc())
        .select((
            paper_changes::action,
            paper_changes::changes,
            users::username.nullable(),
            paper_changes::created_at,
        ))
        .load(conn)
}
