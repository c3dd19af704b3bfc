//! Venues.

use diesel::prelude::*;
use shortscience_types::VenueKind;

use crate::db::schema::venues;
use crate::db::DbConn;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = venues)]
pub struct Venue {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: VenueKind,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = venues)]
pub struct NewVenue<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub kind: VenueKind,
    pub created_at: chrono::NaiveDateTime,
}

/// Per-venue totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VenueCounts {
    pub venue: Venue,
    pub paper_count: i64,
    pub summary_count: i64,
}

pub fn find_by_slug(conn: &mut DbConn, slug: &str) -> QueryResult<Option<Venue>> {
    venues::table
        .filter(venues::slug.eq(slug))
        .select(Venue::as_select())
        .first(conn)
        .optional()
}

/// Returns the venue with this slug, creating it if needed.
pub fn find_or_create(conn: &mut DbConn, new: &NewVenue<'_>) -> QueryResult<Venue> {
    if let Some(existing) = find_by_slug(conn, new.slug)? {
        return Ok(existing);
    }
    diesel::insert_into(venues::table)
        .values(new)
        .returning((venues::id, venues::slug, venues::name, venues::kind))
        .get_result(conn)
}

crate::db::sql_literal!(
    /// Venues with papers. A literal, not a parameter: it must match the partial index
    /// `venues_listed_idx`.
    Listed: diesel::sql_types::Bool = "venues.paper_count > 0"
);

/// Every venue that has at least one paper, by name, with paper and summary totals (kept on
/// write by triggers; read through `venues_listed_idx`).
pub fn list_with_counts(conn: &mut DbConn) -> QueryResult<Vec<VenueCounts>> {
    let rows: Vec<(Venue, i32, i32)> = venues::table
        .filter(Listed)
        .select((
            Venue::as_select(),
            venues::paper_count,
            venues::summary_count,
        ))
        .order((venues::name.asc(), venues::id.asc()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(venue, paper_count, summary_count)| VenueCounts {
            venue,
            paper_count: i64::from(paper_count),
            summary_count: i64::from(summary_count),
        })
        .collect())
}

/// Totals for one venue: (papers, public summaries).
pub fn counts(conn: &mut DbConn, venue_id: i64) -> QueryResult<(i64, i64)> {
    let (papers, summaries): (i32, i32) = venues::table
        .find(venue_id)
        .select((venues::paper_count, venues::summary_count))
        .first(conn)?;
    Ok((i64::from(papers), i64::from(summaries)))
}
