//! The vocabulary of lists: orders, time windows, page sizes, and the query strings of list
//! endpoints. The server parses exactly these structs from query strings (and documents them in
//! the OpenAPI document); clients serialise them (`reqwest`'s `.query(&q)`).
//!
//! Conventions: unknown parameters are ignored (clients add cache-busters); an empty value counts
//! as absent; a repeated, malformed or out-of-range parameter is a 400 naming it.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::ids::AuthorId;

/// Default page size of list endpoints.
pub const DEFAULT_PAGE_SIZE: i64 = 20;
/// Largest page size of list endpoints.
pub const MAX_PAGE_SIZE: i64 = 100;

/// Orders of the paper list; each is total (ties broken by id, newest first).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum PaperSort {
    /// Newest added first.
    #[default]
    New,
    /// Newest summary first; papers without summaries last.
    Recent,
    /// Most summaries first.
    Summaries,
    /// Best summary score first.
    Top,
}

impl PaperSort {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Recent => "recent",
            Self::Summaries => "summaries",
            Self::Top => "top",
        }
    }
}

/// Orders of the summary feed (docs/ranking.md).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum FeedSort {
    /// Score and age: Reddit's hot, stored and updated on every vote.
    #[default]
    Hot,
    /// Newest first.
    New,
    /// Net score.
    Top,
}

impl FeedSort {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hot => "hot",
            Self::New => "new",
            Self::Top => "top",
        }
    }
}

/// The time window of a feed: summaries written within the last day, week, month (30 days) or
/// year (365 days), or all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Day,
    Week,
    Month,
    Year,
    #[default]
    All,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
            Self::Year => "year",
            Self::All => "all",
        }
    }

    /// The window's length in days; `None` for `all`.
    pub fn days(self) -> Option<i64> {
        match self {
            Self::Day => Some(1),
            Self::Week => Some(7),
            Self::Month => Some(30),
            Self::Year => Some(365),
            Self::All => None,
        }
    }
}

/// `GET /papers` (with a [`Page`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct PaperListQuery {
    /// `new` (newest added, the default), `recent` (newest summary), `summaries` (most
    /// summaries) or `top` (best summary score).
    #[serde(default)]
    pub sort: PaperSort,
    /// Only papers at this venue (its slug, e.g. `iclr`).
    #[serde(
        default,
        deserialize_with = "slug",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", param(max_length = 100))]
    pub venue: Option<String>,
    /// Only papers from this year.
    #[serde(
        default,
        deserialize_with = "year",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", param(minimum = 1000, maximum = 9999))]
    pub year: Option<i32>,
    /// Only papers with this keyword or arXiv category (its slug, e.g. `cs.cl`).
    #[serde(
        default,
        deserialize_with = "slug",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", param(max_length = 100))]
    pub keyword: Option<String>,
    /// Only papers by this author (their id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<AuthorId>,
}

/// `GET /summaries`: the site feed (with a [`Page`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct FeedQuery {
    /// `hot` (default: score and age, docs/ranking.md), `new` (newest first) or `top` (net score).
    #[serde(default)]
    pub sort: FeedSort,
    /// Only summaries written within the last `day`, `week`, `month` or `year`; `all` (default).
    #[serde(default)]
    pub period: Period,
}

/// A page of a keyset-paginated list: its size and where it starts. Parsed beside the list's own
/// query struct.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct Page {
    /// Page size, 1 to 100 (default 20).
    #[serde(
        default,
        deserialize_with = "page_size",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100, default = 20))]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page (of the same list, sort and period).
    #[serde(
        default,
        deserialize_with = "cursor",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", param(max_length = 512))]
    pub cursor: Option<String>,
}

impl Page {
    /// The page size to use.
    pub fn size(&self) -> i64 {
        self.limit.unwrap_or(DEFAULT_PAGE_SIZE)
    }
}

/// `GET /summaries/{id}/revisions/diff`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct DiffQuery {
    /// The older revision's number (default: the one before `to`).
    #[serde(
        default,
        deserialize_with = "revision",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", param(minimum = 1))]
    pub from: Option<i32>,
    /// The newer revision's number (default: the latest).
    #[serde(
        default,
        deserialize_with = "revision",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", param(minimum = 1))]
    pub to: Option<i32>,
}

// ---- parameter readers: each error message says what is allowed -------------------------

fn page_size<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    integer_in(d, 1, MAX_PAGE_SIZE).map(Some)
}

fn year<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    integer_in(d, 1000, 9999).map(|y| i32::try_from(y).ok())
}

fn revision<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    integer_in(d, 1, i64::from(i32::MAX)).map(|n| i32::try_from(n).ok())
}

fn slug<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    text_at_most(d, 100).map(|s| Some(s.to_lowercase()))
}

/// A filter's text: trimmed, 1 to 100 characters.
pub(crate) fn short_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    text_at_most(d, 100).map(Some)
}

fn cursor<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    text_at_most(d, 512).map(Some)
}

/// An integer within `min..=max`, from a number or from text.
fn integer_in<'de, D: Deserializer<'de>>(d: D, min: i64, max: i64) -> Result<i64, D::Error> {
    struct Integer(i64, i64);
    impl Integer {
        fn check<E: de::Error>(&self, v: Option<i64>) -> Result<i64, E> {
            v.filter(|v| (self.0..=self.1).contains(v)).ok_or_else(|| {
                E::custom(format!(
                    "must be an integer between {} and {}",
                    self.0, self.1
                ))
            })
        }
    }
    impl Visitor<'_> for Integer {
        type Value = i64;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "an integer between {} and {}", self.0, self.1)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
            self.check(Some(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
            self.check(i64::try_from(v).ok())
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
            self.check(v.trim().parse().ok())
        }
    }
    d.deserialize_any(Integer(min, max))
}

/// Trimmed text of at most `max` characters.
fn text_at_most<'de, D: Deserializer<'de>>(d: D, max: usize) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    let text = text.trim();
    if text.is_empty() {
        return Err(de::Error::custom(
            "is empty; leave the parameter out for its default",
        ));
    }
    if text.chars().count() > max {
        return Err(de::Error::custom(format!(
            "must be at most {max} characters"
        )));
    }
    Ok(text.to_owned())
}
