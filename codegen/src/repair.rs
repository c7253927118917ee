//! Stage 4 (after overlays, before normalize): the references `openapiv3` and the lowering do
//! not follow, rewritten on the raw document into the shapes they do, each with a warning:
//!
//! - a path item that is a `$ref` (to another path item of the document, or to
//!   `components/pathItems`) becomes a copy of its target; the copied operations lose their
//!   `operationId` (the methods are named after the new path instead, so nothing is defined
//!   twice).
//! - a `$ref` to any other JSON pointer of the document (a property of a schema, an item, a
//!   path's schema; an operation's parameter, request body, response or header) makes the node
//!   there a component of its own of that kind, named after where it was (a parameter after its
//!   name), and every reference to it (the node itself included) refers to the component.
//! - a reference whose pointer is percent-encoded, as a URI fragment may be
//!   (`#/paths/~1v2~1droplets~1%7Bdroplet_id%7D`), is decoded first.
//! - callbacks (inline or `$ref`) are dropped without a word: they describe requests the server
//!   makes to the caller, which a client does not send.
//! - a `mutualTLS` security scheme is dropped: the client certificate is the HTTP client's
//!   business (`ClientBuilder::client_certificate`), not the API's.

use serde_json::{Value, json};

use crate::diagnostics::warn;
use crate::error::{Error, Result, escape_token, pointer_tokens};
use crate::naming::type_name;
use crate::pointer_map::PointerMap;

/// How many `$ref` hops a path item may take.
const MAX_HOPS: usize = 16;

/// Repairs `doc` in place; returns where the copied and hoisted nodes were.
pub fn repair(doc: &mut Value) -> Result<PointerMap> {
    let mut moved = PointerMap::default();
    if !doc.is_object() {
        return Ok(moved);
    }
    decode_references(doc);
    // Hoisted before path items are copied, so that a copy refers to the same components as
    // its original (not inline copies lowered again under new names); then again for the
    // references into the copies.
    hoist_references(doc, &mut moved, false)?;
    path_item_references(doc, &mut moved)?;
    hoist_references(doc, &mut moved, true)?;
    drop_callbacks(doc);
    drop_mutual_tls(doc);
    Ok(moved)
}

/// Percent-decodes the local references that are percent-encoded (RFC 6901 section 6: a JSON
/// pointer in a URI fragment is).
fn decode_references(node: &mut Value) {
    match node {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match value {
                    Value::String(target) if key == "$ref" && target.starts_with('#') && target.contains('%') => {
                        *target = percent_decoded(target);
                    }
                    other => decode_references(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(decode_references),
        _ => {}
    }
}

/// `text` with its `%XX` escapes decoded (left as they are when they do not form UTF-8).
pub(crate) fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Replaces path items that are references with copies of what they refer to.
fn path_item_references(doc: &mut Value, moved: &mut PointerMap) -> Result<()> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else { return Ok(()) };
    let referring: Vec<(String, String)> =
        paths.iter().filter_map(|(path, item)| Some((path.clone(), item.get("$ref")?.as_str()?.to_string()))).collect();
    for (path, reference) in referring {
        let at = format!("#/paths/{}", escape_token(&path));
        let mut target = reference.clone();
        let mut item = None;
        for _ in 0..MAX_HOPS {
            let Some(pointer) = target.strip_prefix('#') else {
                return Err(Error::at(
                    format!("{at}/$ref"),
                    format!("`{target}` is in another document; only references within the spec are read"),
                ));
            };
            let found = doc.pointer(pointer).cloned().ok_or_else(|| {
                Error::at(format!("{at}/$ref"), format!("`{target}` refers to nothing in the document"))
            })?;
            match found.get("$ref").and_then(Value::as_str) {
                Some(next) => target = next.to_string(),
                None => {
                    item = Some(found);
                    break;
                }
            }
        }
        let Some(mut item) = item else {
            return Err(Error::at(format!("{at}/$ref"), "the path item references go round in a circle"));
        };
        if let Some(obj) = item.as_object_mut() {
            for method in crate::normalize::METHODS {
                if let Some(Value::Object(op)) = obj.get_mut(method) {
                    op.remove("operationId");
                }
            }
        }
        warn(
            at.clone(),
            format!(
                "the path item refers to `{reference}`: its operations are generated again under `{path}`, named after this path"
            ),
        );
        // What later stages find in the copy is in the path item it copies.
        moved.add(at.clone(), moved.original(&target));
        if let Some(Value::Object(paths)) = doc.get_mut("paths") {
            paths.insert(path, item);
        }
    }
    Ok(())
}

/// Whether a reference names a component directly (`#/components/<kind>/<name>`), or a path
/// item (handled above).
fn direct(reference: &str) -> bool {
    let tokens = pointer_tokens(reference);
    (tokens.len() == 3 && tokens[0] == "components") || (tokens.len() == 2 && tokens[0] == "paths")
}

/// Makes every schema that a `$ref` reaches through another pointer a component of its own;
/// a reference that reaches nothing is an error when `all` (else it may reach into a path item
/// not yet copied).
fn hoist_references(doc: &mut Value, moved: &mut PointerMap, all: bool) -> Result<()> {
    let mut references = Vec::new();
    collect_references(doc, "#", &mut references);
    let mut targets: Vec<(String, String)> =
        references.into_iter().filter(|(_, r)| r.starts_with("#/") && !direct(r)).collect();
    if targets.is_empty() {
        return Ok(());
    }
    // The deepest first: hoisting a node moves everything below it.
    targets.sort_by_key(|(_, r)| std::cmp::Reverse(pointer_tokens(r).len()));
    let mut done: Vec<String> = Vec::new();
    for (at, target) in targets {
        if done.contains(&target) {
            continue;
        }
        let pointer = &target[1..];
        let Some(node) = doc.pointer(pointer).cloned() else {
            if !all {
                continue;
            }
            return Err(Error::at(format!("{at}/$ref"), format!("`{target}` refers to nothing in the document")));
        };
        let section = section_of(&target);
        let fits = node.is_object() || (node.is_boolean() && section == "schemas");
        if !fits {
            return Err(Error::at(format!("{at}/$ref"), format!("`{target}` is not a schema")));
        }
        // A parameter is named after its own name; anything else after where it was.
        let own = node.get("name").and_then(Value::as_str).filter(|_| section == "parameters");
        let name = free_name(doc, &target, section, own);
        let component = format!("#/components/{section}/{}", escape_token(&name));
        let what = match section {
            "parameters" => "parameter",
            "requestBodies" => "request body",
            "responses" => "response",
            "headers" => "header",
            _ => "schema",
        };
        warn(
            format!("{at}/$ref"),
            format!(
                "a reference to `{target}`, outside `#/components/{section}`: the {what} there becomes the component `{name}`"
            ),
        );
        let root = doc.as_object_mut().expect("checked above");
        let components = root.entry("components").or_insert_with(|| json!({}));
        if !components.is_object() {
            return Err(Error::at("#/components", "`components` must be a mapping"));
        }
        let schemas = components.as_object_mut().expect("checked").entry(section).or_insert_with(|| json!({}));
        let Some(schemas) = schemas.as_object_mut() else {
            return Err(Error::at(format!("#/components/{section}"), format!("`{section}` must be a mapping")));
        };
        moved.add(component.clone(), moved.original(&target));
        schemas.insert(name, node);
        if let Some(slot) = doc.pointer_mut(pointer) {
            *slot = json!({ "$ref": component });
        }
        rewrite_references(doc, &target, &component);
        done.push(target);
    }
    Ok(())
}

/// The section of `components` a node at `target` belongs in, by where it is: a parameter, a
/// request body, a response or a header of an operation or path item; else a schema.
fn section_of(target: &str) -> &'static str {
    let t = pointer_tokens(target);
    let n = t.len();
    let at = |back: usize| if back < n { t[n - 1 - back].as_str() } else { "" };
    let method = |back: usize| crate::normalize::METHODS.contains(&at(back));
    if at(1) == "parameters" && at(0).parse::<usize>().is_ok() && at(2) != "properties" {
        "parameters"
    } else if at(0) == "requestBody" && method(1) {
        "requestBodies"
    } else if at(1) == "responses" && method(2) {
        "responses"
    } else if at(1) == "headers" && at(2) != "properties" {
        "headers"
    } else {
        "schemas"
    }
}

/// Keys whose values are data, not OpenAPI: a `$ref` inside them is a value like any other.
fn holds_data(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}

/// Whether `key` of a map reached by `parent` holds data: not in maps keyed by names, where
/// `default` is a response and `example` may be a property.
fn holds_data_under(parent: &str, key: &str) -> bool {
    let named =
        matches!(parent, "properties" | "patternProperties" | "responses" | "schemas" | "definitions" | "$defs");
    !named && holds_data(key)
}

/// Every `$ref` string of the document: `(pointer of the object holding it, the reference)`.
fn collect_references(node: &Value, at: &str, out: &mut Vec<(String, String)>) {
    collect_under(node, "", at, out);
}

fn collect_under(node: &Value, parent: &str, at: &str, out: &mut Vec<(String, String)>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push((at.to_string(), r.clone()));
            }
            for (k, v) in map {
                if k != "$ref" && !holds_data_under(parent, k) {
                    collect_under(v, k, &format!("{at}/{}", escape_token(k)), out);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_under(v, "", &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn rewrite_references(node: &mut Value, from: &str, to: &str) {
    rewrite_under(node, "", from, to);
}

fn rewrite_under(node: &mut Value, parent: &str, from: &str, to: &str) {
    match node {
        Value::Object(map) => {
            if map.get("$ref").and_then(Value::as_str) == Some(from) {
                map.insert("$ref".into(), Value::String(to.into()));
            }
            for (k, v) in map.iter_mut() {
                if !holds_data_under(parent, k) {
                    rewrite_under(v, k, from, to);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_under(v, "", from, to)),
        _ => {}
    }
}

/// A component name for the node at `target` (`own`, else after the last meaningful token of
/// its pointer: `.../properties/circular` → `Circular`, `.../schema/items` → `...Item`), free
/// in its `section` of the components.
fn free_name(doc: &Value, target: &str, section: &str, own: Option<&str>) -> String {
    const STRUCTURE: [&str; 12] = [
        "properties",
        "items",
        "schema",
        "content",
        "allOf",
        "oneOf",
        "anyOf",
        "not",
        "additionalProperties",
        "responses",
        "parameters",
        "requestBody",
    ];
    let tokens = pointer_tokens(target);
    let mut base = String::new();
    let mut item = false;
    for (i, token) in tokens.iter().enumerate().rev() {
        if token == "items" {
            item = true;
        }
        // A path (`/v1/documents/{id}`) is named after its last literal segment; a media type
        // (`application/json`) is skipped.
        let word = if token.starts_with('/') && i == 1 && tokens[0] == "paths" {
            token.split('/').rev().find(|s| !s.is_empty() && !s.starts_with('{')).unwrap_or_default().to_string()
        } else if token.contains('/') {
            String::new()
        } else {
            token.clone()
        };
        let meaningful = !word.is_empty()
            && !STRUCTURE.contains(&word.as_str())
            && word.parse::<usize>().is_err()
            && !crate::normalize::METHODS.contains(&word.as_str());
        if meaningful {
            base = type_name(&word);
            break;
        }
    }
    if base.is_empty() {
        base = "Schema".into();
    }
    if item {
        base.push_str("Item");
    }
    if let Some(own) = own.filter(|o| !type_name(o).is_empty()) {
        base = type_name(own);
    }
    let taken = |n: &str| doc.pointer(&format!("/components/{section}/{}", escape_token(n))).is_some();
    let mut name = base.clone();
    let mut n = 1;
    while taken(&name) {
        n += 1;
        name = format!("{base}{n}");
    }
    name
}

/// Removes the callbacks of every operation, and `components/callbacks`.
fn drop_callbacks(doc: &mut Value) {
    if let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) {
        components.shift_remove("callbacks");
    }
    let Some(Value::Object(paths)) = doc.get_mut("paths") else { return };
    for item in paths.values_mut() {
        for method in crate::normalize::METHODS {
            if let Some(Value::Object(op)) = item.get_mut(method) {
                op.shift_remove("callbacks");
            }
        }
    }
}

/// Drops `mutualTLS` security schemes, and their names from the security requirements.
fn drop_mutual_tls(doc: &mut Value) {
    let Some(schemes) = doc.pointer_mut("/components/securitySchemes").and_then(Value::as_object_mut) else { return };
    let mutual: Vec<String> = schemes
        .iter()
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .map(|(name, _)| name.clone())
        .collect();
    for name in &mutual {
        schemes.shift_remove(name);
        warn(
            format!("#/components/securitySchemes/{}", escape_token(name)),
            "a mutualTLS scheme: the client presents a certificate set on the builder (`client_certificate`); nothing is generated for it",
        );
    }
    if mutual.is_empty() {
        return;
    }
    let strip = |requirements: &mut Value| {
        if let Some(list) = requirements.as_array_mut() {
            for requirement in list.iter_mut() {
                if let Some(map) = requirement.as_object_mut() {
                    map.retain(|k, _| !mutual.contains(k));
                }
            }
        }
    };
    if let Some(security) = doc.get_mut("security") {
        strip(security);
    }
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for item in paths.values_mut() {
            for method in crate::normalize::METHODS {
                if let Some(security) = item.get_mut(method).and_then(|op| op.get_mut("security")) {
                    strip(security);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_pointer() {
        let doc = json!({"components": {"schemas": {"Circular": {}}}});
        assert_eq!(
            free_name(
                &doc,
                "#/paths/~1a/get/responses/200/content/application~1json/schema/properties/circular",
                "schemas",
                None
            ),
            "Circular2"
        );
        assert_eq!(
            free_name(&doc, "#/paths/~1docs/get/responses/200/content/application~1json/schema/items", "schemas", None),
            "DocsItem"
        );
        assert_eq!(
            free_name(
                &doc,
                "#/paths/~1v1~1docs~1{id}/get/responses/200/content/application~1json/schema",
                "schemas",
                None
            ),
            "Docs"
        );
        assert_eq!(free_name(&doc, "#/components/schemas/Document/properties/owner", "schemas", None), "Owner");
        assert_eq!(free_name(&doc, "#/components/schemas/List/items", "schemas", None), "ListItem");
    }

    #[test]
    fn percent_encoded_references_are_decoded() {
        let mut doc =
            json!({"a": [{"$ref": "#/paths/~1v2~1d~1%7Bid%7D/get"}, {"$ref": "#/x%2"}], "$ref": "other.json#%7B"});
        decode_references(&mut doc);
        assert_eq!(doc["a"][0]["$ref"], "#/paths/~1v2~1d~1{id}/get");
        assert_eq!(doc["a"][1]["$ref"], "#/x%2", "an incomplete escape stays");
        assert_eq!(doc["$ref"], "other.json#%7B", "only local references are read");
    }

    #[test]
    fn a_reference_to_an_operations_parameter_or_response_makes_a_component_of_that_kind() {
        let id = json!({"name": "key_id", "in": "path", "required": true, "schema": {"type": "string"}});
        let ok = json!({"description": "ok"});
        let mut doc = json!({"paths": {
            "/keys/{key_id}": {"get": {"parameters": [id], "responses": {"200": ok}}},
            "/keys/{key_id}/rotate": {"post": {
                "parameters": [{"$ref": "#/paths/~1keys~1{key_id}/get/parameters/0"}],
                "responses": {
                    "200": {"$ref": "#/paths/~1keys~1{key_id}/get/responses/200"},
                    "default": {"$ref": "#/paths/~1keys~1{key_id}/get/responses/200"}
                }
            }}
        }});
        repair(&mut doc).unwrap();
        assert_eq!(doc["components"]["parameters"]["KeyId"]["in"], "path");
        assert_eq!(doc["components"]["responses"]["Keys"]["description"], "ok");
        assert_eq!(doc.pointer("/components/schemas"), None);
        for at in ["/paths/~1keys~1{key_id}/get/parameters/0", "/paths/~1keys~1{key_id}~1rotate/post/parameters/0"] {
            assert_eq!(doc.pointer(at).unwrap(), &json!({"$ref": "#/components/parameters/KeyId"}), "{at}");
        }
        let moved = "/paths/~1keys~1{key_id}~1rotate/post/responses/200/$ref";
        assert_eq!(doc.pointer(moved).unwrap(), "#/components/responses/Keys");
        // A `default` response is no default value: references in it are followed too.
        let moved = "/paths/~1keys~1{key_id}~1rotate/post/responses/default/$ref";
        assert_eq!(doc.pointer(moved).unwrap(), "#/components/responses/Keys");
        assert_eq!(section_of("#/components/schemas/A/properties/parameters/0"), "schemas");
        assert_eq!(section_of("#/components/schemas/A/properties/headers"), "schemas");
        assert_eq!(section_of("#/paths/~1a/post/requestBody"), "requestBodies");
        assert_eq!(section_of("#/paths/~1a/get/responses/200/headers/x-rate"), "headers");
    }
}
