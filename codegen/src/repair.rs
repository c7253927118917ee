//! Stage 4 (after overlays, before normalize): the references `openapiv3` and the lowering do
//! not follow, rewritten on the raw document into the shapes they do, each with a warning:
//!
//! - a path item that is a `$ref` (to another path item of the document, or to
//!   `components/pathItems`) becomes a copy of its target; the copied operations lose their
//!   `operationId` (the methods are named after the new path instead, so nothing is defined
//!   twice).
//! - a `$ref` to any other JSON pointer of the document (a property of a schema, an item, a
//!   path's schema) makes the schema there a component of its own, named after where it was,
//!   and every reference to it (the node itself included) refers to the component.
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
    path_item_references(doc, &mut moved)?;
    hoist_references(doc, &mut moved)?;
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
fn percent_decoded(text: &str) -> String {
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

/// Makes every schema that a `$ref` reaches through another pointer a component of its own.
fn hoist_references(doc: &mut Value, moved: &mut PointerMap) -> Result<()> {
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
            return Err(Error::at(format!("{at}/$ref"), format!("`{target}` refers to nothing in the document")));
        };
        if !node.is_object() && !node.is_boolean() {
            return Err(Error::at(format!("{at}/$ref"), format!("`{target}` is not a schema")));
        }
        let name = free_name(doc, &target);
        let component = format!("#/components/schemas/{}", escape_token(&name));
        warn(
            format!("{at}/$ref"),
            format!(
                "a reference to `{target}`, outside `#/components/schemas`: the schema there becomes the component `{name}`"
            ),
        );
        let root = doc.as_object_mut().expect("checked above");
        let components = root.entry("components").or_insert_with(|| json!({}));
        if !components.is_object() {
            return Err(Error::at("#/components", "`components` must be a mapping"));
        }
        let schemas = components.as_object_mut().expect("checked").entry("schemas").or_insert_with(|| json!({}));
        let Some(schemas) = schemas.as_object_mut() else {
            return Err(Error::at("#/components/schemas", "`schemas` must be a mapping"));
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

/// Keys whose values are data, not OpenAPI: a `$ref` inside them is a value like any other.
fn holds_data(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}

/// Every `$ref` string of the document: `(pointer of the object holding it, the reference)`.
fn collect_references(node: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push((at.to_string(), r.clone()));
            }
            for (k, v) in map {
                if k != "$ref" && !holds_data(k) {
                    collect_references(v, &format!("{at}/{}", escape_token(k)), out);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_references(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn rewrite_references(node: &mut Value, from: &str, to: &str) {
    match node {
        Value::Object(map) => {
            if map.get("$ref").and_then(Value::as_str) == Some(from) {
                map.insert("$ref".into(), Value::String(to.into()));
            }
            for (k, v) in map.iter_mut() {
                if !holds_data(k) {
                    rewrite_references(v, from, to);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_references(v, from, to)),
        _ => {}
    }
}

/// A component name for the schema at `target`, after the last meaningful token of its pointer
/// (`.../properties/circular` → `Circular`, `.../schema/items` → `...Item`), free among the
/// component schemas.
fn free_name(doc: &Value, target: &str) -> String {
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
    let taken = |n: &str| doc.pointer(&format!("/components/schemas/{}", escape_token(n))).is_some();
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
            free_name(&doc, "#/paths/~1a/get/responses/200/content/application~1json/schema/properties/circular"),
            "Circular2"
        );
        assert_eq!(
            free_name(&doc, "#/paths/~1docs/get/responses/200/content/application~1json/schema/items"),
            "DocsItem"
        );
        assert_eq!(
            free_name(&doc, "#/paths/~1v1~1docs~1{id}/get/responses/200/content/application~1json/schema"),
            "Docs"
        );
        assert_eq!(free_name(&doc, "#/components/schemas/Document/properties/owner"), "Owner");
        assert_eq!(free_name(&doc, "#/components/schemas/List/items"), "ListItem");
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
}
