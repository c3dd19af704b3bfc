//! Browsing the catalogue: venues, years, authors and keywords.

use shortscience_types::{
    AuthorDetail, AuthorId, KeywordItem, KeywordList, SiteStats, VenueDetail, VenueList,
    VenueListItem, VenueRef, YearCount, YearList,
};

use crate::db::models::venues::{self, Venue};
use crate::db::models::{keywords, papers};
use crate::db::Db;
use crate::domain::{DomainError, DomainResult};

/// How many keywords the keyword list shows at most.
pub const KEYWORD_LIST_MAX: i64 = 500;

pub fn venue_ref(venue: Venue) -> VenueRef {
    VenueRef {
        kind: venue.kind,
        slug: venue.slug,
        name: venue.name,
    }
}

fn year_counts(rows: Vec<(i32, i64)>) -> Vec<YearCount> {
    rows.into_iter()
        .map(|(year, paper_count)| YearCount { year, paper_count })
        .collect()
}

/// The site's totals: public summaries, papers, contributors.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn stats(db: &Db) -> DomainResult<SiteStats> {
    // Counted at most once a second per process (every home page shows them): with several
    // processes, a write shows in the totals everywhere within a second.
    let fresh = || {
        db.site_totals.lock().ok().and_then(|cached| {
            cached
                .as_ref()
                .filter(|(at, _)| at.elapsed() < SITE_TOTALS_MAX_AGE)
                .map(|(_, stats)| *stats)
        })
    };
    if let Some(stats) = fresh() {
        return Ok(stats);
    }
    // One count at a time: readers who find the totals stale together wait for it (without a
    // thread or a connection) instead of each counting. The count takes ~70 ms on the
    // benchmark's 300k summaries, and 64 readers of the home page counting at once put its
    // p99 at 600 ms.
    let _counting = db.site_totals_counting.lock().await;
    if let Some(stats) = fresh() {
        return Ok(stats);
    }
    let stats = count_stats(db).await?;
    if let Ok(mut cached) = db.site_totals.lock() {
        *cached = Some((std::time::Instant::now(), stats));
    }
    Ok(stats)
}

/// How old the site's totals may be when served.
pub const SITE_TOTALS_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(1);

async fn count_stats(db: &Db) -> DomainResult<SiteStats> {
    db.run(|conn| -> DomainResult<SiteStats> {
        let (public_summaries, contributors) = crate::db::models::summaries::public_totals(conn)?;
        let papers = papers::count(conn)?;
        Ok(SiteStats {
            public_summaries,
            papers,
            contributors,
        })
    })
    .await
}

/// Every venue with at least one paper, by name, with paper and summary totals.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn venues(db: &Db) -> DomainResult<VenueList> {
    let rows = db
        .run(|conn| -> DomainResult<_> { Ok(venues::list_with_counts(conn)?) })
        .await?;
    let items = rows
        .into_iter()
        .map(|row| VenueListItem {
            kind: row.venue.kind,
            slug: row.venue.slug,
            name: row.venue.name,
            paper_count: row.paper_count,
            summary_count: row.summary_count,
        })
        .collect();
    Ok(VenueList { items })
}

/// A venue with its totals and the years it has papers from.
#[tracing::instrument(level = "debug", skip(db))]
pub async fn venue(db: &Db, slug: String) -> DomainResult<VenueDetail> {
    let slug = slug.to_lowercase();
    db.run(move |conn| {
        let venue = venues::find_by_slug(conn, &slug)?
            .ok_or_else(|| DomainError::not_found(format!("no venue `{slug}`")))?;
        let (paper_count, summary_count) = venues::counts(conn, venue.id)?;
        let years = year_counts(papers::years(conn, Some(venue.id))?);
        Ok(VenueDetail {
            kind: venue.kind,
            slug: venue.slug,
            name: venue.name,
            paper_count,
            summary_count,
            years,
        })
    })
    .await
}

/// Years with papers, newest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn years(db: &Db) -> DomainResult<YearList> {
    let rows = db
        .run(|conn| -> DomainResult<_> { Ok(papers::years(conn, None)?) })
        .await?;
    Ok(YearList {
        items: year_counts(rows),
    })
}

#[tracing::instrument(level = "debug", skip(db))]
pub async fn author(db: &Db, id: AuthorId) -> DomainResult<AuthorDetail> {
    let (author, paper_count, (verified_user, orcid)) = db
        .run(move |conn| {
            let (author, count) = papers::author(conn, id)?
                .ok_or_else(|| DomainError::not_found(format!("no author {id}")))?;
            let verified = crate::db::models::claims::verified(conn, id)?;
            Ok::<_, DomainError>((author, count, verified))
        })
        .await?;
    Ok(AuthorDetail {
        id: author.id,
        name: author.name,
        paper_count,
        verified_user,
        orcid,
    })
}

/// Keywords and arXiv categories, the most used first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn keywords(db: &Db) -> DomainResult<KeywordList> {
    let rows = db
        .run(|conn| -> DomainResult<_> {
            Ok(keywords::keywords_with_counts(conn, KEYWORD_LIST_MAX)?)
        })
        .await?;
    Ok(KeywordList {
        items: rows
            .into_iter()
            .map(|(k, kind, paper_count)| KeywordItem {
                slug: k.slug,
                name: k.name,
                kind,
                paper_count,
            })
            .collect(),
    })
}

#[tracing::instrument(level = "debug", skip(db))]
pub async fn keyword(db: &Db, slug: String) -> DomainResult<KeywordItem> {
    let slug = slug.to_lowercase();
    let (keyword, kind, paper_count) = db
        .run(move |conn| {
            keywords::keyword(conn, &slug)?
                .ok_or_else(|| DomainError::not_found(format!("no keyword `{slug}`")))
        })
        .await?;
    Ok(KeywordItem {
        slug: keyword.slug,
        name: keyword.name,
        kind,
        paper_count,
    })
}
