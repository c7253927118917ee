//! Values that satisfy a spec's schemas, for calling every operation of a generated client:
//! the spec's own examples first (`example`, the first of `examples`), then its `const`,
//! `default` or first `enum` value, then a value built from the schema: its formats, bounds,
//! lengths, `multipleOf`, simple `pattern`s, required properties (not the read-only ones, which a
//! request must not send), `allOf` merged (every member's properties gathered), for a `oneOf`
//! the first member's value that no other member takes (`fits.rs`), for an `anyOf` the first,
//! with its discriminator's tag. Works on the JSON document as generation sees it (overlays
//! applied, Swagger 2.0 converted), following its local `$ref`s, percent-encoded or not.

use serde_json::{Map, Value, json};

use super::pattern;
use crate::ir::{Operation, Parameter};
use crate::repair::percent_decoded;

/// The text a string without format or pattern gets (also every path identifier).
pub const ID: &str = "6512a7c3e4b0a1b2c3d4e5f6";

/// How deep values nest before objects stay empty and lists get no items.
pub(super) const MAX_DEPTH: usize = 8;

/// Sample values drawn from one document.
#[derive(Debug, Clone, Copy)]
pub struct Samples<'a> {
    doc: &'a Value,
    examples: bool,
}

impl<'a> Samples<'a> {
    /// Samples from `doc`, an OpenAPI 3.x document.
    pub fn new(doc: &'a Value) -> Samples<'a> {
        Samples { doc, examples: true }
    }

    /// Samples from `doc` that leave its examples aside (for when an example does not fit its
    /// own schema and the command line refuses it).
    pub fn schemas_only(doc: &'a Value) -> Samples<'a> {
        Samples { doc, examples: false }
    }

    /// The page size to ask for: 100 (so that a generated answer rarely fills a page and paging
    /// ends), kept within the parameter's bounds.
    pub fn page_size(&self, op: &Operation, param: &Parameter) -> i64 {
        let schema = self.parameter_node(op, param).and_then(|p| p.get("schema")).map(|s| self.resolve(s));
        schema.map_or(100, |s| within(s, 100.0, 1.0).round() as i64)
    }

    /// `node`, or what its (chain of) local `$ref` points to.
    pub fn resolve(&self, mut node: &'a Value) -> &'a Value {
        for _ in 0..32 {
            let Some(target) = node.get("$ref").and_then(Value::as_str) else { break };
            let pointer = target.strip_prefix('#');
            // A reference may be percent-encoded, as a URI fragment may be (`%7Bid%7D`).
            let found = pointer.and_then(|p| self.doc.pointer(p).or_else(|| self.doc.pointer(&percent_decoded(p))));
            match found {
                Some(found) => node = found,
                None => break,
            }
        }
        node
    }

    /// The operation's node in the document.
    pub fn operation(&self, op: &Operation) -> Option<&'a Value> {
        self.path_item(op)?.get(op.method.as_str().to_ascii_lowercase())
    }

    fn path_item(&self, op: &Operation) -> Option<&'a Value> {
        Some(self.resolve(self.doc.get("paths")?.get(&op.path.text)?))
    }

    /// The security requirements that apply to `op`: its own, else the document's.
    pub fn security(&self, op: &Operation) -> Vec<Map<String, Value>> {
        let own = self.operation(op).and_then(|o| o.get("security"));
        let list = own.or_else(|| self.doc.get("security")).and_then(Value::as_array);
        list.map(|l| l.iter().filter_map(|r| r.as_object().cloned()).collect()).unwrap_or_default()
    }

    /// A security scheme of the document, by name.
    pub fn security_scheme(&self, name: &str) -> Option<&'a Value> {
        let scheme = self.doc.pointer(&format!("/components/securitySchemes/{}", escape(name)))?;
        Some(self.resolve(scheme))
    }

    /// A value for a parameter of `op`: its example, else one its schema allows.
    pub fn parameter(&self, op: &Operation, param: &Parameter) -> Option<Value> {
        let node = self.parameter_node(op, param)?;
        if let Some(example) = self.example_of(node) {
            return Some(example);
        }
        let schema = node.get("schema").or_else(|| {
            // A parameter with `content` instead of `schema`: its one media type's.
            node.get("content")?.as_object()?.values().next()?.get("schema")
        });
        let value = schema.map_or_else(|| json!(ID), |s| self.named(&param.name, s));
        // An object without required properties would be sent as nothing: one with them all.
        let properties = schema.map(|s| self.resolve(s)).and_then(|s| s.get("properties")).and_then(Value::as_object);
        match (value, properties) {
            (Value::Object(empty), Some(properties)) if empty.is_empty() => {
                let mut refs = Vec::new();
                let all = properties.iter().map(|(n, p)| (n.clone(), self.sample(Some(n), p, 1, &mut refs)));
                Some(Value::Object(all.collect()))
            }
            (value, _) => Some(value),
        }
    }

    fn parameter_node(&self, op: &Operation, param: &Parameter) -> Option<&'a Value> {
        let item = self.path_item(op)?;
        let own = self.operation(op).and_then(|o| o.get("parameters")).and_then(Value::as_array);
        let shared = item.get("parameters").and_then(Value::as_array);
        let location = param.location.as_str();
        own.into_iter().chain(shared).flatten().map(|p| self.resolve(p)).find(|p| {
            p.get("name").and_then(Value::as_str) == Some(param.name.as_str())
                && p.get("in").and_then(Value::as_str) == Some(location)
        })
    }

    /// The request body of `op` as `media_type`: its example, else a value its schema allows.
    pub fn body(&self, op: &Operation, media_type: &str) -> Option<Value> {
        let media = self.body_media(op, media_type)?;
        if let Some(example) = self.example_of(media) {
            return Some(example);
        }
        Some(self.value(media.get("schema")?))
    }

    /// The schema of one property of `op`'s `media_type` body (a form part).
    pub fn body_property(&self, op: &Operation, media_type: &str, name: &str) -> Option<Value> {
        let schema = self.body_media(op, media_type)?.get("schema")?;
        let property = self.property_schema(schema, name, 0)?;
        Some(self.named(name, property))
    }

    fn body_media(&self, op: &Operation, media_type: &str) -> Option<&'a Value> {
        let body = self.resolve(self.operation(op)?.get("requestBody")?);
        let content = body.get("content")?.as_object()?;
        content.get(media_type).or_else(|| content.values().next())
    }

    /// Where a property of an object schema (or of one its `allOf` members) is declared.
    fn property_schema(&self, schema: &'a Value, name: &str, depth: usize) -> Option<&'a Value> {
        let schema = self.resolve(schema);
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(found) = schema.get("properties").and_then(|p| p.get(name)) {
            return Some(found);
        }
        ["allOf", "oneOf", "anyOf"]
            .iter()
            .filter_map(|k| schema.get(*k).and_then(Value::as_array))
            .flatten()
            .find_map(|member| self.property_schema(member, name, depth + 1))
    }

    /// `example`, or the first of `examples` (a list of values, or a map of Example objects).
    fn example_of(&self, node: &Value) -> Option<Value> {
        if !self.examples {
            return None;
        }
        if let Some(example) = node.get("example") {
            return Some(example.clone());
        }
        match node.get("examples")? {
            Value::Array(list) => list.first().cloned(),
            Value::Object(map) => map.values().find_map(|e| self.resolve(e).get("value").cloned()),
            _ => None,
        }
    }

    /// A value `schema` allows.
    pub fn value(&self, schema: &Value) -> Value {
        self.sample(None, schema, 0, &mut Vec::new())
    }

    /// A value `schema` allows, for a property or parameter called `name` (a string property
    /// named like an email address gets one).
    pub fn named(&self, name: &str, schema: &Value) -> Value {
        self.sample(Some(name), schema, 0, &mut Vec::new())
    }

    fn sample(&self, name: Option<&str>, schema: &Value, depth: usize, refs: &mut Vec<String>) -> Value {
        // A reference with an example beside it: the example; with constraints beside it (3.1:
        // `required`, `properties`): both apply.
        if let (Some(reference), Some(map)) = (schema.get("$ref"), schema.as_object()) {
            if let Some(example) = self.example_of(schema) {
                return example;
            }
            let annotation =
                |k: &str| matches!(k, "$ref" | "description" | "summary" | "title" | "example" | "examples");
            let constraints: Map<String, Value> =
                map.iter().filter(|(k, _)| !annotation(k)).map(|(k, v)| (k.clone(), v.clone())).collect();
            if !constraints.is_empty() {
                let both = json!({"allOf": [{"$ref": reference}, constraints]});
                return self.sample(name, &both, depth, refs);
            }
        }
        let reference = schema.get("$ref").and_then(Value::as_str).map(str::to_owned);
        if let Some(r) = &reference {
            if refs.contains(r) || depth > MAX_DEPTH {
                return empty(self.resolve(schema));
            }
            refs.push(r.clone());
        }
        let value = self.fresh(name, self.resolve(schema), depth, refs);
        if reference.is_some() {
            refs.pop();
        }
        value
    }

    fn fresh(&self, name: Option<&str>, s: &Value, depth: usize, refs: &mut Vec<String>) -> Value {
        if let Some(example) = self.example_of(s) {
            return example;
        }
        if let Some(value) = s.get("const").or_else(|| s.get("default")) {
            return value.clone();
        }
        if let Some(first) = s.get("enum").and_then(Value::as_array).and_then(|e| e.iter().find(|v| !v.is_null())) {
            return first.clone();
        }
        if let Some(members) = s.get("allOf").and_then(Value::as_array) {
            // Objects all through: one object of every member's properties, as one member may
            // require what another defines.
            let (mut properties, mut required) = (Map::new(), Vec::new());
            if self.gather(s, &mut properties, &mut required, 0) {
                let mut combined = json!({"type": "object", "properties": properties, "required": required});
                if let Some(min) = s.get("minProperties") {
                    combined["minProperties"] = min.clone();
                }
                return self.object(&combined, depth, refs);
            }
            let mut merged = self.object(s, depth, refs);
            // A member that only annotates (`{xml: ..}`, `{description: ..}`) adds no value.
            const SHAPES: [&str; 10] = [
                "type",
                "properties",
                "items",
                "$ref",
                "allOf",
                "oneOf",
                "anyOf",
                "enum",
                "const",
                "additionalProperties",
            ];
            let shaped =
                |m: &&Value| m.get("$ref").is_some() || SHAPES.iter().any(|k| self.resolve(m).get(k).is_some());
            for member in members.iter().filter(shaped) {
                match (self.sample(name, member, depth + 1, refs), &mut merged) {
                    (Value::Object(fields), Value::Object(all)) => all.extend(fields),
                    (other, _) if !other.is_object() => return other,
                    _ => {}
                }
            }
            return merged;
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(members) = s.get(key).and_then(Value::as_array) {
                let members: Vec<&Value> = members.iter().filter(|m| kind(self.resolve(m)) != Some("null")).collect();
                // `oneOf` wants exactly one member to match: the first value no other member
                // takes, else the first member's.
                let mut first = None;
                // An object with properties of its own whose members add to it (`required`
                // alternatives): each member's value is the object's with the member's part.
                let base = (kind(s) == Some("object")).then(|| {
                    let mut own = s.clone();
                    if let Some(map) = own.as_object_mut() {
                        for k in ["oneOf", "anyOf", "discriminator"] {
                            map.shift_remove(k);
                        }
                    }
                    own
                });
                for (i, member) in members.iter().enumerate() {
                    let mut value = match &base {
                        Some(own) => self.sample(name, &json!({"allOf": [own, member]}), depth + 1, refs),
                        None => self.sample(name, member, depth + 1, refs),
                    };
                    self.tag(s, member, &mut value);
                    let alone =
                        key == "anyOf" || !members.iter().enumerate().any(|(j, m)| j != i && self.takes(m, &value, 0));
                    if alone {
                        return value;
                    }
                    first.get_or_insert(value);
                }
                let Some(value) = first else { continue };
                return value;
            }
        }
        match kind(s) {
            Some("string") => string(name, s),
            Some("integer") => integer(s),
            Some("number") => number(s),
            Some("boolean") => json!(true),
            Some("null") => Value::Null,
            Some("array") => {
                let items = s.get("items").filter(|_| depth < MAX_DEPTH);
                let min = s.get("minItems").and_then(Value::as_u64).unwrap_or(1).max(1);
                let max = s.get("maxItems").and_then(Value::as_u64).unwrap_or(u64::MAX);
                let count = min.min(max).min(4);
                let Some(items) = items else { return json!([]) };
                let mut list: Vec<Value> = Vec::new();
                for i in 0..count {
                    list.push(distinct(self.sample(name, items, depth + 1, refs), i));
                }
                Value::Array(list)
            }
            Some("object") => self.object(s, depth, refs),
            _ => json!(ID),
        }
    }

    /// Gathers the properties and required names of `s` and its `allOf` members; `false` when
    /// one of them is something other than an object (a primitive, a union, an example).
    fn gather(&self, s: &Value, properties: &mut Map<String, Value>, required: &mut Vec<Value>, depth: usize) -> bool {
        let s = self.resolve(s);
        let plain = ["oneOf", "anyOf", "enum", "const", "example", "items"].iter().all(|k| s.get(k).is_none());
        if depth > MAX_DEPTH || !plain || kind(s).is_some_and(|k| k != "object") {
            return false;
        }
        if let Some(own) = s.get("properties").and_then(Value::as_object) {
            // A member may narrow a property another defines (Bitbucket's `type`: any string in
            // the base, an enum in the member): the narrower one is sampled.
            let narrow = |p: &Value| ["enum", "const"].iter().any(|k| self.resolve(p).get(k).is_some());
            for (name, property) in own {
                match properties.get_mut(name) {
                    None => {
                        properties.insert(name.clone(), property.clone());
                    }
                    Some(before) if !narrow(before) && narrow(property) => *before = property.clone(),
                    Some(_) => {}
                }
            }
        }
        for name in s.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !required.contains(name) {
                required.push(name.clone());
            }
        }
        let members = s.get("allOf").and_then(Value::as_array);
        members.into_iter().flatten().all(|m| self.gather(m, properties, required, depth + 1))
    }

    /// An object of `s`'s required properties (the read-only ones left out).
    fn object(&self, s: &Value, depth: usize, refs: &mut Vec<String>) -> Value {
        let mut object = Map::new();
        let required = s.get("required").and_then(Value::as_array).cloned().unwrap_or_default();
        let properties = s.get("properties").and_then(Value::as_object);
        for name in required.iter().filter_map(Value::as_str) {
            let Some(property) = properties.and_then(|p| p.get(name)) else {
                object.insert(name.to_string(), json!(ID));
                continue;
            };
            if self.resolve(property).get("readOnly") == Some(&Value::Bool(true)) || depth >= MAX_DEPTH {
                continue;
            }
            object.insert(name.to_string(), self.sample(Some(name), property, depth + 1, refs));
        }
        let min = s.get("minProperties").and_then(Value::as_u64).unwrap_or(0) as usize;
        if let Some(all) = properties {
            for (name, property) in all {
                if object.len() >= min {
                    break;
                }
                if object.contains_key(name) {
                    continue;
                }
                object.insert(name.clone(), self.sample(Some(name), property, depth + 1, refs));
            }
        }
        Value::Object(object)
    }

    /// Sets a union's discriminator property on the member's value: the mapping key that names
    /// the member, else the member's schema name.
    fn tag(&self, union: &Value, member: &Value, value: &mut Value) {
        let Some(discriminator) = union.get("discriminator") else { return };
        let (Some(property), Value::Object(object)) =
            (discriminator.get("propertyName").and_then(Value::as_str), value)
        else {
            return;
        };
        let Some(reference) = member.get("$ref").and_then(Value::as_str) else { return };
        let mapped = discriminator
            .get("mapping")
            .and_then(Value::as_object)
            .and_then(|m| m.iter().find(|(_, target)| target.as_str() == Some(reference)).map(|(key, _)| key.clone()));
        let tag = mapped.unwrap_or_else(|| reference.rsplit('/').next().unwrap_or(reference).to_string());
        object.insert(property.to_string(), json!(tag));
    }
}

/// The schema's type: its `type` (the first that is not `null` of a list), else what its
/// keywords say.
pub(super) fn kind(s: &Value) -> Option<&str> {
    match s.get("type") {
        Some(Value::String(t)) => Some(t),
        Some(Value::Array(list)) => {
            list.iter().filter_map(Value::as_str).find(|t| *t != "null").or(list.first().and_then(Value::as_str))
        }
        _ if s.get("properties").is_some() || s.get("additionalProperties").is_some() => Some("object"),
        _ if s.get("items").is_some() => Some("array"),
        _ => None,
    }
}

/// The smallest value of a schema met again inside itself.
fn empty(s: &Value) -> Value {
    match kind(s) {
        Some("array") => json!([]),
        Some("string") => json!(ID),
        Some("integer" | "number") => json!(1),
        Some("boolean") => json!(true),
        _ => json!({}),
    }
}

/// Item `i` of a list made different from the others (for `uniqueItems`).
fn distinct(value: Value, i: u64) -> Value {
    match value {
        Value::String(s) if i > 0 => Value::String(format!("{s}{i}")),
        Value::Number(n) if i > 0 && n.is_i64() => json!(n.as_i64().unwrap_or(0) + i as i64),
        other => other,
    }
}

fn string(name: Option<&str>, s: &Value) -> Value {
    let format = s.get("format").and_then(Value::as_str).unwrap_or("");
    let by_format = match format {
        "date-time" => Some("2027-01-15T10:30:00Z"),
        "date" => Some("2027-01-15"),
        "time" => Some("10:30:00Z"),
        "email" | "idn-email" => Some("ann@example.com"),
        "uri" | "url" | "iri" => Some("https://example.com/a"),
        "uri-reference" | "iri-reference" => Some("/a"),
        "hostname" | "idn-hostname" => Some("example.com"),
        "ipv4" => Some("192.0.2.1"),
        "ipv6" => Some("2001:db8::1"),
        "uuid" => Some("3f2b8c1e-7d4a-4e2b-9c1d-5a6b7c8d9e0f"),
        "byte" | "binary" => Some("aGVsbG8="),
        "duration" => Some("PT1H"),
        _ => None,
    };
    if let Some(text) = by_format {
        return json!(text);
    }
    if let Some(text) = s.get("pattern").and_then(Value::as_str).and_then(pattern::sample) {
        return json!(text);
    }
    let mut text = match name {
        Some(n) if n.to_ascii_lowercase().contains("email") => "ann@example.com".to_string(),
        _ => ID.to_string(),
    };
    let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = s.get("maxLength").and_then(Value::as_u64).map_or(usize::MAX, |m| m as usize);
    while text.chars().count() < min {
        text.push('x');
    }
    if text.chars().count() > max {
        text = text.chars().take(max).collect();
    }
    json!(text)
}

/// The bounds of a number schema: (lowest allowed, highest allowed), exclusive bounds of both
/// forms (3.0's booleans, 3.1's numbers) moved inward by `step`.
fn bounds(s: &Value, step: f64) -> (Option<f64>, Option<f64>) {
    let get = |k: &str| s.get(k).and_then(Value::as_f64);
    let flag = |k: &str| s.get(k) == Some(&Value::Bool(true));
    let low = match (get("minimum"), get("exclusiveMinimum")) {
        (_, Some(e)) => Some(e + step),
        (Some(m), None) if flag("exclusiveMinimum") => Some(m + step),
        (m, None) => m,
    };
    let high = match (get("maximum"), get("exclusiveMaximum")) {
        (_, Some(e)) => Some(e - step),
        (Some(m), None) if flag("exclusiveMaximum") => Some(m - step),
        (m, None) => m,
    };
    (low, high)
}

/// `preferred` moved into the bounds, then up to a multiple of `multipleOf`.
fn within(s: &Value, preferred: f64, step: f64) -> f64 {
    let (low, high) = bounds(s, step);
    let mut value = preferred;
    if let Some(low) = low {
        value = value.max(low);
    }
    if let Some(high) = high {
        value = value.min(high);
    }
    if let Some(m) = s.get("multipleOf").and_then(Value::as_f64).filter(|m| *m > 0.0) {
        value = (value / m).ceil() * m;
        if high.is_some_and(|h| value > h) {
            value -= m;
        }
    }
    value
}

fn integer(s: &Value) -> Value {
    json!(within(s, 1.0, 1.0).round() as i64)
}

fn number(s: &Value) -> Value {
    let value = within(s, 1.5, 0.5);
    if value.fract() == 0.0 && value.abs() < 1e15 { json!(value as i64) } else { json!(value) }
}

/// A JSON pointer token.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_come_first_then_enums_then_the_schema() {
        let doc = json!({"components": {"schemas": {"Pet": {
            "type": "object", "required": ["name", "id", "tags", "kind"],
            "properties": {
                "id": {"type": "integer", "readOnly": true},
                "name": {"type": "string", "example": "Rex"},
                "age": {"type": "integer"},
                "tags": {"type": "array", "minItems": 2, "uniqueItems": true, "items": {"type": "string", "maxLength": 4}},
                "kind": {"type": "string", "enum": ["dog", "cat"]}
            }
        }}}});
        let samples = Samples::new(&doc);
        let pet = samples.value(&json!({"$ref": "#/components/schemas/Pet"}));
        assert_eq!(pet, json!({"name": "Rex", "tags": ["6512", "65121"], "kind": "dog"}));
    }

    #[test]
    fn numbers_keep_to_their_bounds_and_steps() {
        let doc = json!({});
        let samples = Samples::new(&doc);
        assert_eq!(samples.value(&json!({"type": "integer", "minimum": 10, "maximum": 20})), json!(10));
        assert_eq!(samples.value(&json!({"type": "integer", "maximum": 0, "exclusiveMaximum": true})), json!(-1));
        assert_eq!(samples.value(&json!({"type": "integer", "exclusiveMinimum": 5})), json!(6));
        assert_eq!(samples.value(&json!({"type": "integer", "minimum": 3, "multipleOf": 5})), json!(5));
        assert_eq!(samples.value(&json!({"type": "number", "minimum": 2, "maximum": 3})), json!(2));
        assert_eq!(samples.value(&json!({"type": "number"})), json!(1.5));
    }

    #[test]
    fn strings_follow_formats_patterns_and_lengths() {
        let doc = json!({});
        let s = Samples::new(&doc);
        assert_eq!(s.value(&json!({"type": "string", "format": "email"})), json!("ann@example.com"));
        assert_eq!(s.value(&json!({"type": ["string", "null"], "format": "date-time"})), json!("2027-01-15T10:30:00Z"));
        assert_eq!(s.value(&json!({"type": "string", "pattern": "^[A-Z]{3}-\\d{2}$"})), json!("AAA-00"));
        assert_eq!(s.value(&json!({"type": "string", "minLength": 30})).as_str().unwrap().len(), 30);
        assert_eq!(s.value(&json!({"type": "string", "maxLength": 3})), json!("651"));
        assert_eq!(s.named("contactEmail", &json!({"type": "string"})), json!("ann@example.com"));
    }

    #[test]
    fn unions_take_their_first_member_with_its_tag_and_all_of_merges() {
        let doc = json!({"components": {"schemas": {
            "Cat": {"type": "object", "required": ["meow"], "properties": {"meow": {"type": "boolean"}, "kind": {"type": "string"}}},
            "Dog": {"type": "object", "required": ["bark"], "properties": {"bark": {"type": "boolean"}}},
            "Named": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
            "Node": {"type": "object", "required": ["next"], "properties": {"next": {"$ref": "#/components/schemas/Node"}}}
        }}});
        let s = Samples::new(&doc);
        let pet = json!({"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}});
        assert_eq!(s.value(&pet), json!({"meow": true, "kind": "cat"}));
        let both = json!({"allOf": [{"$ref": "#/components/schemas/Named"}, {"$ref": "#/components/schemas/Dog"}]});
        assert_eq!(s.value(&both), json!({"name": ID, "bark": true}));
        let annotated = json!({"allOf": [{"$ref": "#/components/schemas/Dog"}, {"xml": {"name": "Dog"}}]});
        assert_eq!(s.value(&annotated), json!({"bark": true}));
        // One member requires what another defines: the defining member's value.
        let split = json!({"allOf": [{"required": ["bark", "name"]}, {"$ref": "#/components/schemas/Named"},
            {"properties": {"bark": {"type": "integer", "minimum": 3}}}]});
        assert_eq!(s.value(&split), json!({"bark": 3, "name": ID}));
        // A member that narrows a property the base defines: the narrower schema's value.
        let narrowed = json!({"allOf": [{"required": ["type"], "properties": {"type": {"type": "string"}}},
            {"properties": {"type": {"type": "string", "enum": ["branches", "tags"]}}}]});
        assert_eq!(s.value(&narrowed), json!({"type": "branches"}));
        // Constraints beside a reference apply too.
        let beside = json!({"$ref": "#/components/schemas/Cat", "required": ["kind"], "description": "a cat"});
        assert_eq!(s.value(&beside), json!({"meow": true, "kind": ID}));
        let shown = json!({"$ref": "#/components/schemas/Cat", "example": {"meow": false}});
        assert_eq!(s.value(&shown), json!({"meow": false}));
        assert_eq!(s.value(&json!({"anyOf": [{"type": "null"}, {"type": "integer", "minimum": 4}]})), json!(4));
        // A schema that contains itself ends with an empty object where it repeats.
        assert_eq!(s.value(&json!({"$ref": "#/components/schemas/Node"})), json!({"next": {}}));
    }

    #[test]
    fn one_of_takes_a_member_no_other_member_would_also_take() {
        let doc = json!({"components": {"schemas": {
            "Open": {"type": "object", "properties": {"size": {"type": "integer"}}},
            "Named": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
        }}});
        let s = Samples::new(&doc);
        // A number is text in a path, which the string member takes too: the string's value.
        assert_eq!(s.value(&json!({"oneOf": [{"type": "integer"}, {"type": "string"}]})), json!(ID));
        // `{"name": ..}` fits the open object as well; the open object's `{}` fits only itself.
        let objects = json!({"oneOf": [{"$ref": "#/components/schemas/Named"}, {"$ref": "#/components/schemas/Open"}]});
        assert_eq!(s.value(&objects), json!({}));
        // `anyOf` is satisfied by any: its first member still.
        assert_eq!(s.value(&json!({"anyOf": [{"type": "integer"}, {"type": "string"}]})), json!(1));
        // When every member's value fits another, the first.
        assert_eq!(s.value(&json!({"oneOf": [{"type": "number"}, {"type": "integer"}]})), json!(1.5));
        // Alternatives of an object's required fields: the first, which the second does not take.
        let alternatives = json!({"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "boolean"}},
            "oneOf": [{"required": ["a"]}, {"required": ["b"]}]});
        assert_eq!(s.value(&alternatives), json!({"a": 1}));
    }
}
