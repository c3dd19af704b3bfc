//! Papers with their ordered authors and keywords.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use shortscience_types::PaperRef;

use crate::db::models::venues::Venue;
use crate::db::schema::{
    authors, keywords, paper_authors, paper_keywords, papers, summaries, venues,
};
use crate::db::DbConn;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = papers)]
pub struct Paper {
    pub id: i64,
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
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = authors)]
pub struct Author {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = keywords)]
pub struct Keyword {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// Filters of the paper list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaperFilter {
    pub venue_slug: Option<String>,
    pub year: Option<i32>,
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
        PaperRef::Id(id) => query.filter(papers::id.eq(id.0)),
        PaperRef::Arxiv(arxiv) => query.filter(papers::arxiv_id.eq(arxiv.as_str().to_owned())),
        PaperRef::Doi(doi) => query.filter(papers::doi.eq(doi.as_str().to_owned())),
    };
    query.first(conn).optional()
}

/// One page of papers, newest first (by id, which only grows), starting after `before_id`.
pub fn list(
    conn: &mut DbConn,
    filter: &PaperFilter,
    before_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<(Paper, Option<Venue>)>> {
    let mut query = papers::table
        .left_join(venues::table)
        .select((Paper::as_select(), Option::<Venue>::as_select()))
        .order(papers::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(slug) = &filter.venue_slug {
        query = query.filter(venues::slug.eq(slug.clone()));
    }
    if let Some(year) = filter.year {
        query = query.filter(papers::year.eq(year));
    }
    if let Some(before) = before_id {
        query = query.filter(papers::id.lt(before));
    }
    query.load(conn)
}

/// Authors of the given papers as `(paper_id, author)`, in each paper's order.
pub fn authors_of(conn: &mut DbConn, paper_ids: &[i64]) -> QueryResult<Vec<(i64, Author)>> {
    paper_authors::table
        .inner_join(authors::table)
        .filter(paper_authors::paper_id.eq_any(paper_ids))
        .order((paper_authors::paper_id, paper_authors::position))
        .select((paper_authors::paper_id, Author::as_select()))
        .load(conn)
}

/// Keywords of a paper, primary category first.
pub fn keywords_of(conn: &mut DbConn, paper_id: i64) -> QueryResult<Vec<Keyword>> {
    paper_keywords::table
        .inner_join(keywords::table)
        .filter(paper_keywords::paper_id.eq(paper_id))
        .order(paper_keywords::position)
        .select(Keyword::as_select())
        .load(conn)
}

pub fn insert(conn: &mut DbConn, new: &NewPaper<'_>) -> QueryResult<i64> {
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
pub fn set_authors(conn: &mut DbConn, paper_id: i64, names: &[&str]) -> QueryResult<()> {
    diesel::delete(paper_authors::table.filter(paper_authors::paper_id.eq(paper_id)))
        .execute(conn)?;
    let now = super::now();
    for (position, name) in names.iter().enumerate() {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let key = author_name_key(&name);
        let existing: Option<i64> = authors::table
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

/// A keyword to attach: `(name, kind)` where kind is `arxiv` or `free`. The slug is the lower-cased
/// name.
pub fn set_keywords(
    conn: &mut DbConn,
    paper_id: i64,
    keywords_in_order: &[(&str, &str)],
) -> QueryResult<()> {
    diesel::delete(paper_keywords::table.filter(paper_keywords::paper_id.eq(paper_id)))
        .execute(conn)?;
    let now = super::now();
    for (position, (name, kind)) in keywords_in_order.iter().enumerate() {
        let slug = keyword_slug(name);
        let existing: Option<i64> = keywords::table
            .filter(keywords::slug.eq(&slug))
            .select(keywords::id)
            .first(conn)
            .optional()?;
        let keyword_id = match existing {
            Some(id) => id,
            None => diesel::insert_into(keywords::table)
                .values((
                    keywords::slug.eq(&slug),
                    keywords::name.eq(*name),
                    keywords::kind.eq(*kind),
                    keywords::created_at.eq(now),
                ))
                .returning(keywords::id)
                .get_result(conn)?,
        };
        diesel::insert_into(paper_keywords::table)
            .values((
                paper_keywords::paper_id.eq(paper_id),
                paper_keywords::keyword_id.eq(keyword_id),
                paper_keywords::position.eq(position_i32(position)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A keyword's URL slug: lower case, spaces as dashes (`cs.CL` → `cs.cl`).
pub fn keyword_slug(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
        .to_lowercase()
}

fn position_i32(position: usize) -> i32 {
    i32::try_from(position).unwrap_or(i32::MAX)
}

/// Recomputes a paper's denormalised summary totals from its visible public summaries.
pub fn refresh_summary_stats(conn: &mut DbConn, paper_id: i64) -> QueryResult<()> {
    let (count, latest): (i64, Option<NaiveDateTime>) = summaries::table
        .filter(summaries::paper_id.eq(paper_id))
        .filter(super::summaries::publicly_visible())
        .select((
            diesel::dsl::count(summaries::id),
            diesel::dsl::max(summaries::created_at),
        ))
        .first(conn)?;
    diesel::update(papers::table.find(paper_id))
        .set((
            papers::summary_count.eq(i32::try_from(count).unwrap_or(i32::MAX)),
            papers::last_summary_at.eq(latest),
        ))
        .execute(conn)?;
    Ok(())
}
