//! Rules that hold for every operation, written into the OpenAPI document once instead of on
//! each handler: any operation can answer 503 when the database is unreachable or cannot take
//! writes, 405 (with `Allow`) when its path is called with a method it does not have, and 414 or
//! 431 to a request line or headers too long to read; no text the API takes may hold a NUL character (PostgreSQL cannot store one, so
//! both backends refuse it naming the field; `http::json` and `http::query` enforce it).
//!
//! The document is rewritten as JSON because these rules cut across utoipa's typed builders:
//! every string parameter, and every string reachable from a request body's schema.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use crate::http::error::PROBLEM_JSON;

/// What every text field must match: anything but U+0000.
pub const NO_NUL_PATTERN: &str = "^[^\\u0000]*$";

/// What a string query or path parameter must match: no U+0000 and something besides
/// whitespace (an empty value is refused, not read as absent: `http::query`).
pub const PARAMETER_PATTERN: &str = "^[^\\u0000]*[^\\u0000\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000]*$";

/// Applies the rules to a generated document.
pub fn apply(doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let Ok(mut value) = serde_json::to_value(&doc) else {
        return doc;
    };
    let request_schemas = request_schemas(&value);
    if let Some(paths) = value.get_mut("paths").and_then(Value::as_object_mut) {
        for operation in paths.values_mut().filter_map(Value::as_object_mut) {
            for op in operation.values_mut() {
                declare_everywhere(op);
                if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
                    for param in params {
                        let pattern = match param.get("in").and_then(Value::as_str) {
                            Some("query" | "path") => PARAMETER_PATTERN,
                            _ => NO_NUL_PATTERN,
                        };
                        if let Some(schema) = param.get_mut("schema") {
                            with_pattern(schema, pattern);
                        }
                    }
                }
                if let Some(body) = op.pointer_mut("/requestBody/content") {
                    for media in body
                        .as_object_mut()
                        .into_iter()
                        .flat_map(|m| m.values_mut())
                    {
                        if let Some(schema) = media.get_mut("schema") {
                            with_pattern(schema, NO_NUL_PATTERN);
                        }
                    }
                }
            }
        }
    }
    if let Some(schemas) = value
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            if request_schemas.contains(name) {
                with_pattern(schema, NO_NUL_PATTERN);
            }
        }
    }
    serde_json::from_value(value).unwrap_or(doc)
}

/// The problems any operation can answer, whatever its handler does.
const EVERYWHERE: [(&str, &str); 4] = [
    ("405", "This path does not take that method; `Allow` lists the ones it takes (`method_not_allowed`)"),
    ("414", "The path and query are longer than the server reads (`uri_too_long`)"),
    ("431", "The request's headers are larger than the server reads (`headers_too_large`)"),
    ("503", "The database is unreachable or cannot take writes right now; retry after `Retry-After` (`service_unavailable`, `storage_unavailable`)"),
];

/// Declares the problems of [`EVERYWHERE`] on an operation that does not say them yet.
fn declare_everywhere(op: &mut Value) {
    let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
        return;
    };
    for (status, description) in EVERYWHERE {
        responses.entry(status).or_insert_with(|| {
            json!({
                "description": description,
                "content": { PROBLEM_JSON: { "schema": { "$ref": "#/components/schemas/Problem" } } }
            })
        });
    }
}

/// Adds `pattern` to every plain string in a schema (not to ones that already carry a pattern,
/// a format or an enum, which say more).
fn with_pattern(schema: &mut Value, pattern: &str) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if is_plain_string(object) {
        object.insert("pattern".to_owned(), Value::from(pattern));
    }
    for key in ["properties", "patternProperties"] {
        if let Some(props) = object.get_mut(key).and_then(Value::as_object_mut) {
            props
                .values_mut()
                .for_each(|inner| with_pattern(inner, pattern));
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(inner) = object.get_mut(key) {
            with_pattern(inner, pattern);
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(list) = object.get_mut(key).and_then(Value::as_array_mut) {
            list.iter_mut()
                .for_each(|inner| with_pattern(inner, pattern));
        }
    }
}

fn is_plain_string(object: &Map<String, Value>) -> bool {
    let string = match object.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
        _ => false,
    };
    string
        && !["pattern", "format", "enum", "const"]
            .iter()
            .any(|k| object.contains_key(*k))
}

/// The names of the component schemas a request body can contain, transitively.
fn request_schemas(doc: &Value) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut todo: Vec<String> = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for op in paths
            .values()
            .filter_map(Value::as_object)
            .flat_map(|m| m.values())
        {
            if let Some(body) = op.get("requestBody") {
                refs(body, &mut todo);
            }
        }
    }
    while let Some(name) = todo.pop() {
        if found.insert(name.clone()) {
            if let Some(schema) = doc.pointer(&format!("/components/schemas/{name}")) {
                refs(schema, &mut todo);
            }
        }
    }
    found
}

/// Collects the component names `$ref`ed anywhere inside a value.
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                out.push(name.to_owned());
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_strings_get_the_pattern_and_richer_ones_keep_theirs() {
        let mut schema = json!({
            "type": "object",
            "properties": {
                "title": { "type": "string" },
                "note": { "type": ["string", "null"] },
                "email": { "type": "string", "format": "email" },
                "name": { "type": "string", "pattern": "^[a-z]+$" },
                "tags": { "type": "array", "items": { "type": "string" } },
                "year": { "type": "integer" }
            }
        });
        with_pattern(&mut schema, NO_NUL_PATTERN);
        let pattern = |p: &str| schema.pointer(p).and_then(Value::as_str).map(str::to_owned);
        assert_eq!(
            pattern("/properties/title/pattern").as_deref(),
            Some(NO_NUL_PATTERN)
        );
        assert_eq!(
            pattern("/properties/note/pattern").as_deref(),
            Some(NO_NUL_PATTERN)
        );
        assert_eq!(
            pattern("/properties/tags/items/pattern").as_deref(),
            Some(NO_NUL_PATTERN)
        );
        assert_eq!(pattern("/properties/email/pattern"), None);
        assert_eq!(
            pattern("/properties/name/pattern").as_deref(),
            Some("^[a-z]+$")
        );
        assert_eq!(pattern("/properties/year/pattern"), None);
    }

    #[test]
    fn every_operation_declares_405_414_431_and_503_and_text_refuses_nul() {
        let doc = apply(crate::http::openapi::openapi_without_rules());
        let value = serde_json::to_value(&doc).unwrap_or_default();
        let paths = value["paths"].as_object().cloned().unwrap_or_default();
        assert!(!paths.is_empty());
        for (path, item) in paths {
            for (method, op) in item.as_object().into_iter().flatten() {
                for (status, _) in EVERYWHERE {
                    assert!(
                        op["responses"].get(status).is_some(),
                        "{method} {path}: {status}"
                    );
                }
            }
        }
        let text = "/components/schemas/CreatePaperRequest/properties/abstract/pattern";
        assert_eq!(
            value.pointer(text).and_then(Value::as_str),
            Some(NO_NUL_PATTERN)
        );
        let venue = value
            .pointer("/paths/~1api~1v1~1papers/get/parameters")
            .and_then(|ps| {
                ps.as_array()?.iter().find(|p| p["name"] == "venue")?["schema"]["pattern"].as_str()
            });
        assert_eq!(venue, Some(PARAMETER_PATTERN));
    }
}
