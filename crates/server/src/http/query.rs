//! `Query<T>`: query strings parsed into the documented structs of `shortscience_types::lists`,
//! with errors that name the parameter.
//!
//! actix's own `web::Query` reports "invalid digit found in string" without saying which
//! parameter was wrong, and accepts a repeated parameter by keeping one. This extractor refuses
//! repeated parameters and empty values of documented ones (`limit=` is not a limit: leave a
//! parameter out for its default), ignores unknown parameters (clients add cache-busters), and
//! turns every serde error into a 400 `invalid_parameter` naming its field.

use std::fmt;
use std::future::{ready, Ready};

use actix_web::{dev::Payload, FromRequest, HttpRequest};
use serde::de::value::StringDeserializer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};

use crate::http::error::ApiError;

/// A query string parsed into `T`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query<T>(pub T);

impl<T> Query<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse(req.query_string()).map(Query))
    }
}

/// Text PostgreSQL cannot store is refused at the edge, on both backends.
pub const NO_NUL: &str = "must not contain NUL characters (U+0000)";

/// Parses a query string into `T`.
pub fn parse<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if pairs.iter().any(|(seen, _)| *seen == key) {
            return Err(ApiError::invalid_query(&key, "is given more than once"));
        }
        if value.contains('\0') {
            return Err(ApiError::invalid_query(&key, NO_NUL));
        }
        pairs.push((key.into_owned(), value.into_owned()));
    }
    T::deserialize(Pairs(pairs.into_iter()))
        .map_err(|e| ApiError::invalid_query(e.field.as_deref().unwrap_or("query"), e.message))
}

/// A serde error that knows which parameter it is about.
#[derive(Debug)]
pub struct QueryError {
    field: Option<String>,
    message: String,
}

impl QueryError {
    fn at(mut self, field: &str) -> Self {
        self.field.get_or_insert_with(|| field.to_owned());
        self
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for QueryError {}

impl de::Error for QueryError {
    fn custom<M: fmt::Display>(message: M) -> Self {
        Self {
            field: None,
            message: message.to_string(),
        }
    }

    fn unknown_variant(_variant: &str, expected: &'static [&'static str]) -> Self {
        Self::custom(format!("must be one of {}", expected.join(", ")))
    }

    fn missing_field(field: &'static str) -> Self {
        Self {
            field: Some(field.to_owned()),
            message: "is required".to_owned(),
        }
    }
}

/// The parameters, as a map.
struct Pairs(std::vec::IntoIter<(String, String)>);

impl<'de> de::Deserializer<'de> for Pairs {
    type Error = QueryError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
        visitor.visit_map(PairsAccess {
            pairs: self.0,
            current: None,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

struct PairsAccess {
    pairs: std::vec::IntoIter<(String, String)>,
    current: Option<(String, String)>,
}

impl<'de> de::MapAccess<'de> for PairsAccess {
    type Error = QueryError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, QueryError> {
        let Some((key, value)) = self.pairs.next() else {
            return Ok(None);
        };
        let deserializer: StringDeserializer<QueryError> = key.clone().into_deserializer();
        let parsed = seed.deserialize(deserializer)?;
        self.current = Some((key, value));
        Ok(Some(parsed))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, QueryError> {
        let (key, value) = self
            .current
            .take()
            .ok_or_else(|| <QueryError as de::Error>::custom("value without a key"))?;
        seed.deserialize(Value(value)).map_err(|e| e.at(&key))
    }
}

/// One parameter's value: text, read as a number, a boolean or an enum variant when asked.
struct Value(String);

impl Value {
    fn number<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
        match self.0.trim().parse::<i64>() {
            Ok(n) => visitor.visit_i64(n),
            Err(_) => visitor.visit_string(self.0),
        }
    }
}

macro_rules! as_number {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
            self.number(visitor)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Value {
    type Error = QueryError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
        visitor.visit_string(self.0)
    }

    as_number!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_u8
        deserialize_u16 deserialize_u32 deserialize_u64);

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
        match self.0.trim() {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => Err(<QueryError as de::Error>::custom("must be true or false")),
        }
    }

    /// Every documented parameter is optional (or has a default); an empty value is refused
    /// rather than read as "absent", as the OpenAPI document says.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
        if self.0.trim().is_empty() {
            return Err(<QueryError as de::Error>::custom(
                "is empty; leave the parameter out for its default",
            ));
        }
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, QueryError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, QueryError> {
        let text: StringDeserializer<QueryError> = self.0.trim().to_owned().into_deserializer();
        visitor.visit_enum(text)
    }

    serde::forward_to_deserialize_any! {
        i128 u128 f32 f64 char str string bytes byte_buf unit unit_struct seq tuple tuple_struct
        map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use shortscience_types::{FeedQuery, FeedSort, Page, PaperListQuery, PaperSort, Period};

    use super::*;

    fn field_of(err: ApiError) -> String {
        err.problem().field().unwrap_or_default().to_owned()
    }

    #[test]
    fn limits_default_and_are_bounded() {
        assert_eq!(parse::<Page>("").map(|p| p.size()).ok(), Some(20));
        assert_eq!(parse::<Page>("limit=5").map(|p| p.size()).ok(), Some(5));
        for bad in [
            "limit=abc",
            "limit=0",
            "limit=101",
            "limit=-1",
            "limit=1.5",
            "limit=99999999999999999999",
        ] {
            let err = parse::<Page>(bad).map_err(field_of);
            assert_eq!(err.err().as_deref(), Some("limit"), "{bad}");
        }
    }

    #[test]
    fn repeated_parameters_are_rejected_by_name_and_unknown_ones_ignored() {
        let err = parse::<PaperListQuery>("year=2020&year=2021").map_err(field_of);
        assert_eq!(err.err().as_deref(), Some("year"));
        let query = parse::<PaperListQuery>("_=123&venue=ICLR&sort=top&author=4");
        assert_eq!(
            query.map(|q| (q.venue, q.sort, q.author.map(|a| a.0))).ok(),
            Some((Some("iclr".to_owned()), PaperSort::Top, Some(4)))
        );
    }

    #[test]
    fn nul_characters_are_refused_by_name() {
        let err = parse::<PaperListQuery>("keyword=a%00b").map_err(field_of);
        assert_eq!(err.err().as_deref(), Some("keyword"));
    }

    #[test]
    fn enums_name_their_choices_and_empty_values_are_refused_by_name() {
        match parse::<FeedQuery>("sort=best") {
            Err(err) => {
                let problem = err.problem();
                assert_eq!(problem.field(), Some("sort"));
                assert!(problem.detail.unwrap_or_default().contains("hot, new, top"));
            }
            Ok(q) => panic!("accepted {q:?}"),
        }
        let query = parse::<FeedQuery>("period=week&_=").ok();
        assert_eq!(
            query.map(|q| (q.sort, q.period)),
            Some((FeedSort::Hot, Period::Week))
        );
        for empty in ["sort=&period=week", "limit=", "cursor=%20"] {
            let field = parse::<FeedQuery>(empty)
                .and_then(|_| parse::<Page>(empty))
                .map_err(field_of)
                .err();
            assert_eq!(
                field.as_deref(),
                Some(empty.split('=').next().unwrap_or_default()),
                "{empty}"
            );
        }
        assert_eq!(
            parse::<PaperListQuery>("author=0")
                .map_err(field_of)
                .err()
                .as_deref(),
            Some("author")
        );
    }
}
