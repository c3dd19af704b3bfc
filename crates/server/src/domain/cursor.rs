//! Opaque keyset-pagination cursors. Each list encodes its own sort key into one (the feed's
//! codec is in `feed`, the paper list's in `papers`); this is the common envelope.

use base64::Engine as _;

use crate::domain::{DomainError, DomainResult};

/// An opaque keyset-pagination cursor: the sort key of the last item of a page and its id.
/// Encoded as unpadded base64url of `v1:<key>:<id>` so clients treat it as a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub key: String,
    pub id: i64,
}

impl Cursor {
    pub fn new(key: impl Into<String>, id: i64) -> Self {
        Self {
            key: key.into(),
            id,
        }
    }

    pub fn encode(&self) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("v1:{}:{}", self.key, self.id))
    }

    pub fn decode(raw: &str) -> DomainResult<Self> {
        let invalid = || DomainError::bad_parameter("cursor", "is not a cursor this API issued");
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(raw)
            .map_err(|_| invalid())?;
        let text = String::from_utf8(bytes).map_err(|_| invalid())?;
        let rest = text.strip_prefix("v1:").ok_or_else(invalid)?;
        let (key, id) = rest.rsplit_once(':').ok_or_else(invalid)?;
        let id = id.parse::<i64>().map_err(|_| invalid())?;
        Ok(Self::new(key, id))
    }

    /// Decodes an optional cursor parameter.
    pub fn decode_opt(raw: Option<&str>) -> DomainResult<Option<Self>> {
        raw.map(Self::decode).transpose()
    }

    /// The error for a cursor of another list, sort or period.
    pub fn foreign() -> DomainError {
        DomainError::bad_parameter("cursor", "belongs to another list, sort or period")
    }
}

/// One page cut from rows a query loaded with one row of look-ahead (`limit + 1`): the first
/// `limit` rows, and the cursor of the page after them when the look-ahead row came back.
pub fn split_page<T>(
    mut rows: Vec<T>,
    limit: i64,
    cursor_of: impl FnOnce(&T) -> Cursor,
) -> (Vec<T>, Option<String>) {
    let has_more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    let next = has_more
        .then(|| rows.last())
        .flatten()
        .map(|row| cursor_of(row).encode());
    (rows, next)
}

/// Newest-first lists ordered by `(created_at, id)` (a user's summaries and comments, the
/// personal feed): their cursors' key is the list's own prefix and the time in microseconds,
/// so a cursor of one of them is refused by the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewestFirst(pub &'static str);

impl NewestFirst {
    /// The `(created_at, id)` position after which the page starts, `None` for the first page.
    pub fn after(self, raw: Option<&str>) -> DomainResult<Option<(chrono::NaiveDateTime, i64)>> {
        let Some(cursor) = Cursor::decode_opt(raw)? else {
            return Ok(None);
        };
        let at = cursor
            .key
            .strip_prefix(self.0)
            .and_then(from_micros)
            .ok_or_else(Cursor::foreign)?;
        Ok(Some((at, cursor.id)))
    }

    /// The cursor naming the position of a row.
    pub fn cursor(self, at: chrono::NaiveDateTime, id: i64) -> Cursor {
        Cursor::new(format!("{}{}", self.0, micros(at)), id)
    }

    /// [`split_page`] for this list, each row's position given by `position`.
    pub fn page<T>(
        self,
        rows: Vec<T>,
        limit: i64,
        position: impl FnOnce(&T) -> (chrono::NaiveDateTime, i64),
    ) -> (Vec<T>, Option<String>) {
        split_page(rows, limit, |row| {
            let (at, id) = position(row);
            self.cursor(at, id)
        })
    }
}

/// Microseconds since the epoch, the form timestamps take inside cursors.
pub fn micros(at: chrono::NaiveDateTime) -> String {
    at.and_utc().timestamp_micros().to_string()
}

/// The timestamp of [`micros`], or `None` for anything else.
pub fn from_micros(raw: &str) -> Option<chrono::NaiveDateTime> {
    raw.parse::<i64>()
        .ok()
        .and_then(chrono::DateTime::from_timestamp_micros)
        .map(|t| t.naive_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_rejected() {
        let cursor = Cursor::new("2020-01-01 00:00:00", 42);
        assert_eq!(Cursor::decode(&cursor.encode()).ok(), Some(cursor));
        for bad in ["", "!!", "djE6", "bm9wZQ", "djE6eDp5"] {
            assert!(
                matches!(Cursor::decode(bad), Err(DomainError::BadParameter { field, .. }) if field == "cursor"),
                "{bad}"
            );
        }
    }

    #[test]
    fn newest_first_cursors_round_trip_and_refuse_other_lists() {
        let at = chrono::DateTime::from_timestamp_micros(1_700_000_000_123_456)
            .map(|t| t.naive_utc())
            .unwrap_or_default();
        let summaries = NewestFirst("t");
        let comments = NewestFirst("c");
        let cursor = summaries.cursor(at, 7).encode();
        assert_eq!(summaries.after(Some(&cursor)).ok(), Some(Some((at, 7))));
        assert_eq!(summaries.after(None).ok(), Some(None));
        assert!(matches!(
            comments.after(Some(&cursor)),
            Err(DomainError::BadParameter { field, .. }) if field == "cursor"
        ));
        let rows = vec![(at, 3), (at, 2), (at, 1)];
        let (page, next) = comments.page(rows.clone(), 2, |r| *r);
        assert_eq!(page, [(at, 3), (at, 2)]);
        assert_eq!(
            next.as_deref().map(|c| comments.after(Some(c)).ok()),
            Some(Some(Some((at, 2))))
        );
        let (page, next) = comments.page(rows, 3, |r| *r);
        assert_eq!((page.len(), next), (3, None));
    }

    #[test]
    fn timestamps_round_trip_through_micros() {
        let at = chrono::DateTime::from_timestamp_micros(1_700_000_000_123_456)
            .map(|t| t.naive_utc())
            .unwrap_or_default();
        assert_eq!(from_micros(&micros(at)), Some(at));
        assert_eq!(from_micros("x"), None);
    }
}
