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
    fn timestamps_round_trip_through_micros() {
        let at = chrono::DateTime::from_timestamp_micros(1_700_000_000_123_456)
            .map(|t| t.naive_utc())
            .unwrap_or_default();
        assert_eq!(from_micros(&micros(at)), Some(at));
        assert_eq!(from_micros("x"), None);
    }
}
