//! What the sitemap lists: papers, public summaries, venues with papers, keywords with papers,
//! and users with public signed summaries. Each kind pages by its primary key.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::summaries::publicly_visible;
use crate::db::schema::{keywords, paper_keywords, papers, summaries, users, venues};
use crate::db::DbConn;

/// A kind of page the sitemap lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Papers,
    Summaries,
    Venues,
    Keywords,
    Users,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Papers,
        Kind::Summaries,
        Kind::Venues,
        Kind::Keywords,
        Kind::Users,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Papers => "papers",
            Kind::Summaries => "summaries",
            Kind::Venues => "venues",
            Kind::Keywords => "keywords",
            Kind::Users => "users",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// One listed page: its path segment (id, slug or username) and when it last changed, if known.
pub type Entry = (String, Option<NaiveDateTime>);

/// How many pages of `kind` there are.
pub fn count(conn: &mut DbConn, kind: Kind) -> QueryResult<i64> {
    match kind {
        Kind::Papers => papers::table.count().get_result(conn),
        Kind::Summaries => summaries::table
            .filter(publicly_visible())
            .count()
            .get_result(conn),
        Kind::Venues => venues::table
            .filter(diesel::dsl::exists(
                papers::table.filter(papers::venue_id.eq(venues::id.nullable())),
            ))
            .count()
            .get_result(conn),
        Kind::Keywords => keywords::table
            .filter(diesel::dsl::exists(
                paper_keywords::table.filter(paper_keywords::keyword_id.eq(keywords::id)),
            ))
            .count()
            .get_result(conn),
        Kind::Users => users::table
            .filter(signed_public_summaries())
            .count()
            .get_result(conn),
    }
}

/// Users with at least one public summary under their name (anonymous ones do not count: a
/// profile listed for them would tell who wrote it).
#[diesel::dsl::auto_type]
fn signed_public_summaries() -> _ {
    diesel::dsl::exists(
        summaries::table
            .filter(summaries::author_id.eq(users::id))
            .filter(summaries::anonymous.eq(false))
            .filter(publicly_visible()),
    )
}

/// The entries of `kind` from `offset`, at most `limit`, in key order.
pub fn page(conn: &mut DbConn, kind: Kind, offset: i64, limit: i64) -> QueryResult<Vec<Entry>> {
    Ok(match kind {
        Kind::Papers => papers::table
            .order(papers::id)
            .offset(offset)
            .limit(limit)
            .select((papers::id, papers::updated_at))
            .load::<(i64, NaiveDateTime)>(conn)?
            .into_iter()
            .map(|(id, at)| (id.to_string(), Some(at)))
            .collect(),
        Kind::Summaries => summaries::table
            .filter(publicly_visible())
            .order(summaries::id)
            .offset(offset)
            .limit(limit)
            .select((summaries::id, summaries::created_at, summaries::edited_at))
            .load::<(i64, NaiveDateTime, Option<NaiveDateTime>)>(conn)?
            .into_iter()
            .map(|(id, created, edited)| (id.to_string(), Some(edited.unwrap_or(created))))
            .collect(),
        Kind::Venues => venues::table
            .filter(diesel::dsl::exists(
                papers::table.filter(papers::venue_id.eq(venues::id.nullable())),
            ))
            .order(venues::id)
            .offset(offset)
            .limit(limit)
            .select(venues::slug)
            .load::<String>(conn)?
            .into_iter()
            .map(|slug| (slug, None))
            .collect(),
        Kind::Keywords => keywords::table
            .filter(diesel::dsl::exists(
                paper_keywords::table.filter(paper_keywords::keyword_id.eq(keywords::id)),
            ))
            .order(keywords::id)
            .offset(offset)
            .limit(limit)
            .select(keywords::slug)
            .load::<String>(conn)?
            .into_iter()
            .map(|slug| (slug, None))
            .collect(),
        Kind::Users => users::table
            .filter(signed_public_summaries())
            .order(users::id)
            .offset(offset)
            .limit(limit)
            .select(users::username)
            .load::<String>(conn)?
            .into_iter()
            .map(|name| (name, None))
            .collect(),
    })
}
