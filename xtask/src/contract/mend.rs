//! A copy of a spec from which Prism generates answers that keep to the spec's schemas.
//!
//! Prism's answer can break the schema it is served for, and then a call says nothing about the
//! client: the spec's example is wrong (the static round), or Prism's data generator
//! (json-schema-faker) cuts a reference short. It resolves each `$ref` only a few times in one
//! answer and then writes an empty schema's data in its place, so an object that repeats
//! (GitHub's `simple-user`, a dozen times in a repository) or recurses (Bitbucket's commit
//! `parents`) comes out without its required fields; and it knows no `format: byte`, for which it
//! writes words, not base64.
//!
//! In the copy, the responses of the operations named are written out in full, without
//! references, so the generator has none to cut; a recursion is cut where the schema allows it
//! (an optional property left out, a list left empty, a `oneOf` member that recurses dropped);
//! `format: byte` becomes the pattern of base64 text, which the generator follows; and a media
//! type without a schema, which allows any content, says so (`{}`, a string for text), as the
//! generator needs. A response whose recursion cannot be cut (a required property that recurses)
//! stays as it was. Nothing else changes: requests are held to the same schemas.

use codegen::error::escape_token;
use serde_json::{Map, Value, json};

/// The pattern of standard base64 text, padded: what `format: byte` means.
const BASE64: &str = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$";

/// How many references one response may have written out; past it, the rest stay references.
const BUDGET: usize = 20_000;

/// `doc` with the responses of the operations at `routes` (each a path as the document writes it,
/// and a path item's key: `get`) written out in full.
pub(crate) fn mended(doc: &Value, routes: &[(&str, &str)]) -> Value {
    let mut out = doc.clone();
    for &(path, method) in routes {
        let Some(responses) = doc.pointer(&format!("/paths/{}/{method}/responses", escape_token(path))) else {
            continue;
        };
        let Some(responses) = responses.as_object() else { continue };
        let mut written = Map::new();
        for (status, response) in responses {
            let response = resolve_chain(doc, response);
            written.insert(status.clone(), written_out(doc, response));
        }
        if let Some(target) =
            out.pointer_mut(&format!("/paths/{}/{method}", escape_token(path))).and_then(Value::as_object_mut)
        {
            target.insert("responses".into(), Value::Object(written));
        }
    }
    out
}

/// A response with its schemas written out: OpenAPI 3's under `content`, Swagger 2.0's `schema`.
fn written_out(doc: &Value, response: &Value) -> Value {
    let mut response = response.clone();
    let Some(r) = response.as_object_mut() else { return response };
    let mut schemas: Vec<&mut Value> = Vec::new();
    for (key, value) in r.iter_mut() {
        match (key.as_str(), value) {
            ("content", Value::Object(content)) => {
                for (media_type, media) in content.iter_mut() {
                    let Some(media) = media.as_object_mut() else { continue };
                    // A media type without a schema allows any content; Prism's generator needs
                    // it said (as text for a `text/` type, which Prism writes only from a string).
                    let any = if media_type.starts_with("text/") { json!({"type": "string"}) } else { json!({}) };
                    schemas.push(media.entry("schema").or_insert(any));
                }
            }
            ("schema", schema) => schemas.push(schema),
            _ => {}
        }
    }
    for schema in schemas {
        let mut writer = Writer { doc, budget: BUDGET };
        if let Some(full) = writer.schema(schema, &mut Vec::new()) {
            *schema = full;
        }
    }
    response
}

/// Writes schemas out.
struct Writer<'a> {
    doc: &'a Value,
    /// References it may still write out.
    budget: usize,
}

impl Writer<'_> {
    /// `schema` without references; `None` when it recurses (through the references in `seen`,
    /// the ones being written out around it) in a way that cannot be cut here.
    fn schema(&mut self, schema: &Value, seen: &mut Vec<String>) -> Option<Value> {
        let Some(object) = schema.as_object() else { return Some(schema.clone()) };
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            if seen.iter().any(|s| s == reference) {
                return None;
            }
            let Some(target) = resolve(self.doc, reference) else { return Some(schema.clone()) };
            if self.budget == 0 {
                return Some(schema.clone());
            }
            self.budget -= 1;
            seen.push(reference.to_string());
            let written = self.schema(target, seen);
            seen.pop();
            let mut written = written?;
            // What stands beside the reference (3.1 allows it: `nullable`, `description`) and the
            // target does not say.
            if let Some(w) = written.as_object_mut() {
                for (key, value) in object.iter().filter(|(k, _)| *k != "$ref") {
                    w.entry(key.as_str()).or_insert_with(|| value.clone());
                }
            }
            return Some(written);
        }
        let required: Vec<&str> =
            object.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        let mut out = Map::new();
        for (key, value) in object {
            match key.as_str() {
                "properties" | "patternProperties" => {
                    let Some(properties) = value.as_object() else { continue };
                    let mut kept = Map::new();
                    for (name, property) in properties {
                        match self.schema(property, seen) {
                            Some(p) => {
                                kept.insert(name.clone(), p);
                            }
                            None if key == "properties" && required.contains(&name.as_str()) => return None,
                            None => {}
                        }
                    }
                    out.insert(key.clone(), Value::Object(kept));
                }
                "items" if value.is_object() => match self.schema(value, seen) {
                    Some(items) => {
                        out.insert(key.clone(), items);
                    }
                    None if object.get("minItems").and_then(Value::as_u64).unwrap_or(0) > 0 => return None,
                    None => {
                        out.insert(key.clone(), Value::Object(Map::new()));
                        out.insert("maxItems".into(), 0.into());
                    }
                },
                "additionalProperties" if value.is_object() => match self.schema(value, seen) {
                    Some(values) => {
                        out.insert(key.clone(), values);
                    }
                    None => {
                        out.insert(key.clone(), Value::Bool(false));
                    }
                },
                "allOf" | "oneOf" | "anyOf" => {
                    let members = value.as_array().map(Vec::as_slice).unwrap_or_default();
                    let mut kept = Vec::new();
                    for member in members {
                        match self.schema(member, seen) {
                            Some(m) => kept.push(m),
                            None if key == "allOf" => return None,
                            None => {}
                        }
                    }
                    if kept.is_empty() && !members.is_empty() {
                        return None;
                    }
                    out.insert(key.clone(), Value::Array(kept));
                }
                "format" if value == "byte" && !object.contains_key("pattern") => {
                    out.insert("pattern".into(), BASE64.into());
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        Some(Value::Object(out))
    }
}

/// What a local reference (`#/components/schemas/Pet`) points at.
fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

/// A response, through the references that name it (`#/components/responses/NotFound`).
fn resolve_chain<'a>(doc: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..16 {
        match value.get("$ref").and_then(Value::as_str).and_then(|r| resolve(doc, r)) {
            Some(target) => value = target,
            None => break,
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc(schemas: Value, response: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {"/a/{id}": {
                "get": {"responses": {"200": response}},
                "put": {"responses": {"200": {"$ref": "#/components/responses/Node"}}},
            "post": {"responses": {"200": {"description": "Any.", "content": {
                "text/plain": {"example": "hi"},
                "application/json": {},
            }}}},
            }},
            "components": {"schemas": schemas, "responses": {"Node": {
                "description": "A node.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}},
            }}},
        })
    }

    #[test]
    fn responses_are_written_out_and_recursion_cut_where_the_schema_allows() {
        let schemas = json!({
            "User": {"type": "object", "required": ["login"], "properties": {"login": {"type": "string"}}},
            "Node": {
                "type": "object",
                "required": ["name", "owner"],
                "properties": {
                    "name": {"type": "string"},
                    "owner": {"$ref": "#/components/schemas/User"},
                    "parent": {"$ref": "#/components/schemas/Node"},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                    "digest": {"type": "string", "format": "byte"},
                    "either": {"oneOf": [{"$ref": "#/components/schemas/Node"}, {"type": "string"}]},
                },
            },
        });
        let spec = doc(schemas, json!({"$ref": "#/components/responses/Node"}));
        let mended = mended(&spec, &[("/a/{id}", "get"), ("/a/{id}", "post")]);
        assert_eq!(
            mended["paths"]["/a/{id}"]["post"]["responses"]["200"]["content"],
            json!({"text/plain": {"example": "hi", "schema": {"type": "string"}}, "application/json": {"schema": {}}})
        );
        let schema = &mended["paths"]["/a/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(
            schema["properties"],
            json!({
                "name": {"type": "string"},
                "owner": {"type": "object", "required": ["login"], "properties": {"login": {"type": "string"}}},
                "children": {"type": "array", "items": {}, "maxItems": 0},
                "digest": {"type": "string", "pattern": BASE64},
                "either": {"oneOf": [{"type": "string"}]},
            })
        );
        assert_eq!(mended["paths"]["/a/{id}"]["get"]["responses"]["200"]["description"], "A node.");
        // The operation not named, the components and the rest stay as they were.
        assert_eq!(mended["paths"]["/a/{id}"]["put"], spec["paths"]["/a/{id}"]["put"]);
        assert_eq!(mended["components"], spec["components"]);
    }

    #[test]
    fn a_recursion_a_required_property_makes_is_left_as_it_was() {
        let schemas = json!({"Chain": {
            "type": "object",
            "required": ["next"],
            "properties": {"next": {"$ref": "#/components/schemas/Chain"}},
        }});
        let response = json!({"description": "A chain.", "content": {"application/json": {"schema": {
            "type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/Chain"},
        }}}});
        let spec = doc(schemas, response.clone());
        assert_eq!(mended(&spec, &[("/a/{id}", "get")])["paths"]["/a/{id}"]["get"]["responses"]["200"], response);
    }

    #[test]
    fn swagger_responses_and_beside_a_reference() {
        let spec = json!({
            "swagger": "2.0",
            "paths": {"/b": {"post": {"responses": {"201": {"description": "Made.", "schema": {
                "$ref": "#/definitions/Blob", "x-nullable": true,
            }}}}}},
            "definitions": {"Blob": {"type": "string", "format": "byte", "pattern": "^[A-Z]+$"}},
        });
        let mended = mended(&spec, &[("/b", "post"), ("/missing", "get")]);
        assert_eq!(
            mended["paths"]["/b"]["post"]["responses"]["201"]["schema"],
            json!({"type": "string", "format": "byte", "pattern": "^[A-Z]+$", "x-nullable": true})
        );
    }
}
