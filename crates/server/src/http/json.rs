//! `Json<T>`: request bodies, checked before they reach a handler. Every body of this API is a
//! JSON object; one that is an array (which serde would read into a struct field by field), or
//! that holds text PostgreSQL cannot store (NUL), is refused naming the field, on both backends,
//! so SQLite never keeps what a move to PostgreSQL would reject.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::domain::DomainError;
use crate::http::error::ApiError;

/// A JSON object body parsed into `T` (size, media type and syntax are checked by actix's
/// `JsonConfig`, set up in `startup`).
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = web::Json::<Value>::from_request(req, payload);
        Box::pin(async move {
            let value = body.await?.into_inner();
            Ok(Json(parse(value)?))
        })
    }
}

/// Checks a body's shape and text, then reads it into `T`.
pub fn parse<T: DeserializeOwned>(mut value: Value) -> Result<T, ApiError> {
    if !value.is_object() {
        return Err(DomainError::invalid_field("body", "must be a JSON object").into());
    }
    if let Some(field) = field_with_nul(&value, "") {
        return Err(
            DomainError::invalid_field(&field, "must not contain NUL characters (U+0000)").into(),
        );
    }
    integral_numbers(&mut value);
    serde_json::from_value(value).map_err(|e| {
        let detail = e.to_string();
        ApiError::MalformedBody {
            field: crate::http::rejections::field_from_serde_message(&detail),
            detail,
        }
    })
}

/// JSON has one number type: `1076.0` is the integer 1076 (JSON Schema's `integer` accepts it),
/// but serde reads an integer field only from a number written without a fraction. Rewrites
/// every number that is a whole value in `i64`'s range as an integer; a real fraction (`1.5`)
/// stays, so an integer field still refuses it.
fn integral_numbers(value: &mut Value) {
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n.as_f64() {
                // -2^63 ..< 2^63: every whole f64 here converts to i64 exactly.
                if f.fract() == 0.0
                    && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f)
                {
                    *value = Value::from(f as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        Value::Object(map) => map.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

/// The dotted path of the first string (value or key) holding a NUL, if any.
fn field_with_nul(value: &Value, path: &str) -> Option<String> {
    let here = || {
        if path.is_empty() {
            "body".to_owned()
        } else {
            path.to_owned()
        }
    };
    match value {
        Value::String(s) if s.contains('\0') => Some(here()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| field_with_nul(item, &format!("{}[{i}]", here()))),
        Value::Object(map) => map.iter().find_map(|(key, item)| {
            let child = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            if key.contains('\0') {
                Some(here())
            } else {
                field_with_nul(item, &child)
            }
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shortscience_types::{LoginRequest, UpdateMeRequest};

    fn field_of(err: ApiError) -> Option<String> {
        err.problem().field().map(str::to_owned)
    }

    #[test]
    fn whole_numbers_written_with_a_fraction_are_integers() {
        let vote = parse::<shortscience_types::VoteRequest>(serde_json::json!({"value": 1.0}));
        assert_eq!(vote.map(|v| v.value).ok(), Some(1));
        let half = parse::<shortscience_types::VoteRequest>(serde_json::json!({"value": 0.5}));
        assert!(half.is_err());
        let huge = parse::<shortscience_types::VoteRequest>(serde_json::json!({"value": 1e300}));
        assert!(huge.is_err());
    }

    #[test]
    fn arrays_are_not_objects() {
        let err = parse::<UpdateMeRequest>(serde_json::json!(["name", "bio"]));
        assert_eq!(err.map_err(field_of).err(), Some(Some("body".to_owned())));
    }

    #[test]
    fn nul_characters_are_refused_naming_the_field() {
        let err =
            parse::<LoginRequest>(serde_json::json!({"username": "a\u{0}b", "password": "x"}));
        assert_eq!(
            err.map_err(field_of).err(),
            Some(Some("username".to_owned()))
        );
        let nested = field_with_nul(&serde_json::json!({"venue": {"name": ["ok", "\u{0}"]}}), "");
        assert_eq!(nested.as_deref(), Some("venue.name[1]"));
        assert!(
            parse::<LoginRequest>(serde_json::json!({"username": "ada", "password": "x"})).is_ok()
        );
    }
}
