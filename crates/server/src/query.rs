//! Query-string parsing with errors that name the parameter.
//!
//! serde's `web::Query` reports "invalid digit found in string" without saying which parameter
//! was wrong, so list endpoints parse their parameters through [`QueryParams`] instead. Unknown
//! parameters are ignored (clients add cache-busters); a repeated parameter is an error.

use std::collections::BTreeMap;
use std::future::{ready, Ready};
use std::ops::RangeInclusive;

use actix_web::{dev::Payload, FromRequest, HttpRequest};
use base64::Engine as _;

use crate::error::ApiError;

/// Default and largest page sizes of list endpoints.
pub const DEFAULT_PAGE_SIZE: i64 = 20;
pub const MAX_PAGE_SIZE: i64 = 100;

/// The decoded query string of a request.
#[derive(Debug, Default)]
pub struct QueryParams(BTreeMap<String, String>);

impl QueryParams {
    pub fn parse(query: &str) -> Result<Self, ApiError> {
        let mut map = BTreeMap::new();
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let key = key.into_owned();
            if map.contains_key(&key) {
                return Err(ApiError::invalid_query(&key, "is given more than once"));
            }
            map.insert(key, value.into_owned());
        }
        Ok(Self(map))
    }

    /// A non-empty string parameter (an empty value counts as absent).
    pub fn string(&self, name: &str, max_len: usize) -> Result<Option<String>, ApiError> {
        match self.0.get(name).map(|v| v.trim()) {
            None | Some("") => Ok(None),
            Some(v) if v.chars().count() > max_len => Err(ApiError::invalid_query(
                name,
                format!("must be at most {max_len} characters"),
            )),
            Some(v) => Ok(Some(v.to_owned())),
        }
    }

    /// An integer parameter within `range`.
    pub fn int(&self, name: &str, range: RangeInclusive<i64>) -> Result<Option<i64>, ApiError> {
        let Some(raw) = self.0.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) else {
            return Ok(None);
        };
        let message = || {
            format!(
                "must be an integer between {} and {}",
                range.start(),
                range.end()
            )
        };
        match raw.parse::<i64>() {
            Ok(value) if range.contains(&value) => Ok(Some(value)),
            _ => Err(ApiError::invalid_query(name, message())),
        }
    }

    /// The page size: `limit`, 1 to [`MAX_PAGE_SIZE`], default [`DEFAULT_PAGE_SIZE`].
    pub fn limit(&self) -> Result<i64, ApiError> {
        Ok(self
            .int("limit", 1..=MAX_PAGE_SIZE)?
            .unwrap_or(DEFAULT_PAGE_SIZE))
    }

    /// The `cursor` of a keyset-paginated list, decoded.
    pub fn cursor(&self) -> Result<Option<Cursor>, ApiError> {
        self.string("cursor", 512)?
            .map(|raw| Cursor::decode(&raw))
            .transpose()
    }
}

impl FromRequest for QueryParams {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Self::parse(req.query_string()))
    }
}

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

    pub fn decode(raw: &str) -> Result<Self, ApiError> {
        let invalid = || ApiError::invalid_query("cursor", "is not a cursor this API issued");
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(raw)
            .map_err(|_| invalid())?;
        let text = String::from_utf8(bytes).map_err(|_| invalid())?;
        let rest = text.strip_prefix("v1:").ok_or_else(invalid)?;
        let (key, id) = rest.rsplit_once(':').ok_or_else(invalid)?;
        let id = id.parse::<i64>().map_err(|_| invalid())?;
        Ok(Self::new(key, id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(err: ApiError) -> String {
        err.problem().field().unwrap_or_default().to_owned()
    }

    #[test]
    fn limit_defaults_and_is_bounded() {
        assert_eq!(
            QueryParams::parse("").and_then(|q| q.limit()).ok(),
            Some(DEFAULT_PAGE_SIZE)
        );
        assert_eq!(
            QueryParams::parse("limit=5").and_then(|q| q.limit()).ok(),
            Some(5)
        );
        for bad in [
            "limit=abc",
            "limit=0",
            "limit=101",
            "limit=-1",
            "limit=1.5",
            "limit=99999999999999999999",
        ] {
            let err = QueryParams::parse(bad).and_then(|q| q.limit());
            assert_eq!(
                err.map_err(field_of).err().as_deref(),
                Some("limit"),
                "{bad}"
            );
        }
    }

    #[test]
    fn repeated_parameters_are_rejected_by_name() {
        let err = QueryParams::parse("year=2020&year=2021")
            .err()
            .map(field_of);
        assert_eq!(err.as_deref(), Some("year"));
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_rejected() {
        let cursor = Cursor::new("2020-01-01 00:00:00", 42);
        assert_eq!(Cursor::decode(&cursor.encode()).ok(), Some(cursor));
        for bad in ["", "!!", "djE6", "bm9wZQ", "djE6eDp5"] {
            assert_eq!(
                Cursor::decode(bad).map_err(field_of).err().as_deref(),
                Some("cursor"),
                "{bad}"
            );
        }
    }
}
