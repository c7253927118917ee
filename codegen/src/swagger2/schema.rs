//! Swagger 2.0 schemas and non-body parameters in their 3.0 shape.

use serde_json::{Map, Value, json};

use crate::diagnostics::warn;

/// Rewrites a 2.0 reference into the 3.0 component it became.
pub(super) fn reference(r: &str) -> String {
    for (from, to) in [
        ("#/definitions/", "#/components/schemas/"),
        ("#/parameters/", "#/components/parameters/"),
        ("#/responses/", "#/components/responses/"),
    ] {
        if let Some(rest) = r.strip_prefix(from) {
            return format!("{to}{rest}");
        }
    }
    r.to_string()
}

/// A 2.0 schema in its 3.0 form: references to definitions, `x-nullable`, a discriminator
/// given as a property name, and `type: file`.
pub(super) fn schema(value: &mut Value) {
    let Value::Object(map) = value else { return };
    if let Some(Value::String(r)) = map.get("$ref") {
        let r = reference(r);
        map.insert("$ref".into(), Value::String(r));
        return;
    }
    if let Some(nullable) = map.shift_remove("x-nullable") {
        map.insert("nullable".into(), nullable);
    }
    if let Some(Value::String(property)) = map.get("discriminator") {
        let property = property.clone();
        map.insert("discriminator".into(), json!({ "propertyName": property }));
    }
    if map.get("type").and_then(Value::as_str) == Some("file") {
        map.insert("type".into(), json!("string"));
        map.insert("format".into(), json!("binary"));
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = map.get_mut(key) {
            schema(child);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(members)) = map.get_mut(key) {
            members.iter_mut().for_each(schema);
        }
    }
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        properties.values_mut().for_each(schema);
    }
}

/// The keywords a 2.0 parameter (or header, or `items`) shares with a schema.
const SCHEMA_KEYWORDS: [&str; 18] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
    "example",
];

/// The schema of a 2.0 parameter or header, made of the keywords it holds itself (nested `items`
/// lose their own `collectionFormat`: 3.0 cannot say it).
pub(super) fn schema_of_simple(p: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    for key in SCHEMA_KEYWORDS {
        if let Some(v) = p.get(key) {
            let v = match (key, v) {
                ("items", Value::Object(items)) => schema_of_simple(items),
                _ => v.clone(),
            };
            out.insert(key.into(), v);
        }
    }
    let mut out = Value::Object(out);
    schema(&mut out);
    out
}

/// A path, query, header or form parameter in its 3.0 form: its schema under `schema`, and its
/// `collectionFormat` as `style` and `explode`.
pub(super) fn parameter(p: &Map<String, Value>, at: &str) -> Value {
    let mut out = Map::new();
    for (k, v) in p {
        if !SCHEMA_KEYWORDS.contains(&k.as_str()) && k != "collectionFormat" {
            out.insert(k.clone(), v.clone());
        }
    }
    out.insert("schema".into(), schema_of_simple(p));
    let location = p.get("in").and_then(Value::as_str).unwrap_or_default();
    if p.get("type").and_then(Value::as_str) == Some("array") {
        let format = p.get("collectionFormat").and_then(Value::as_str).unwrap_or("csv");
        let (style, explode) = match (location, format) {
            ("query", "multi") => ("form", true),
            ("query", "csv") => ("form", false),
            ("query", "ssv") => ("spaceDelimited", false),
            ("query", "pipes") => ("pipeDelimited", false),
            (_, "csv") => ("simple", false),
            (_, other) => {
                warn(
                    format!("{at}/collectionFormat"),
                    format!(
                        "`collectionFormat: {other}` has no OpenAPI 3 form for a {location} parameter: the values are sent comma-separated"
                    ),
                );
                (if location == "query" { "form" } else { "simple" }, false)
            }
        };
        out.insert("style".into(), json!(style));
        out.insert("explode".into(), json!(explode));
    }
    Value::Object(out)
}
