//! Whether a value fits a schema, roughly as a validator would see it: enough for the samples to
//! tell a union's members apart (a `oneOf` wants a value exactly one member takes).

use serde_json::Value;

use super::samples::{MAX_DEPTH, Samples, kind};

impl Samples<'_> {
    /// Whether a validator would let `value` through `schema`, roughly: its type (a text's
    /// number read as one, as parameters are), its enum, its required properties, no property
    /// it closes out, its own unions and compositions. Enough to tell a union's members apart.
    pub(super) fn takes(&self, schema: &Value, value: &Value, depth: usize) -> bool {
        let s = self.resolve(schema);
        if depth > MAX_DEPTH {
            return true;
        }
        if let Some(values) = s.get("enum").and_then(Value::as_array) {
            return values.contains(value);
        }
        if let Some(constant) = s.get("const") {
            return constant == value;
        }
        if let Some(all) = s.get("allOf").and_then(Value::as_array)
            && !all.iter().all(|m| self.takes(m, value, depth + 1))
        {
            return false;
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(members) = s.get(key).and_then(Value::as_array)
                && !members.iter().any(|m| self.takes(m, value, depth + 1))
            {
                return false;
            }
        }
        let number = |v: &Value| v.as_f64().or_else(|| v.as_str().and_then(|t| t.parse::<f64>().ok()));
        match (kind(s), value) {
            // Constraints without a type (`{required: [..]}`) still bind an object.
            (None, Value::Object(fields)) => {
                let required = s.get("required").and_then(Value::as_array);
                required.into_iter().flatten().filter_map(Value::as_str).all(|r| fields.contains_key(r))
            }
            (None, _) => true,
            (Some("null"), v) => v.is_null(),
            // A parameter's number or flag is text on the wire, which a string takes too.
            (Some("string"), v) => v.is_string() || v.is_number() || v.is_boolean(),
            (Some("boolean"), v) => v.is_boolean() || matches!(v.as_str(), Some("true" | "false")),
            (Some("integer"), v) => number(v).is_some_and(|n| n.fract() == 0.0),
            (Some("number"), v) => number(v).is_some(),
            (Some("array"), Value::Array(items)) => {
                let item = s.get("items");
                items.iter().all(|v| item.is_none_or(|item| self.takes(item, v, depth + 1)))
            }
            (Some("object"), Value::Object(fields)) => {
                let properties = s.get("properties").and_then(Value::as_object);
                let required = s.get("required").and_then(Value::as_array);
                let closed = s.get("additionalProperties") == Some(&Value::Bool(false));
                required.into_iter().flatten().filter_map(Value::as_str).all(|r| fields.contains_key(r))
                    && fields.iter().all(|(name, v)| match properties.and_then(|p| p.get(name)) {
                        Some(property) => self.takes(property, v, depth + 1),
                        None => !closed,
                    })
            }
            _ => false,
        }
    }
}
