//! Stage 6: the normalized JSON document → `openapiv3::OpenAPI`. `openapiv3` models `$ref`-or-value
//! and schema kinds as untagged enums, so serde reports a failure deep inside one only as "did not
//! match any variant" at the enum's node. [`typed`] then re-reads that node as the concrete object
//! its position implies (a parameter, a response, a schema...) to name the deepest failing field.

use openapiv3::OpenAPI;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, Result, pointer};
use crate::normalize::METHODS;

/// Deserializes the document, with errors that point as deep as possible.
pub fn typed(doc: &Value) -> Result<OpenAPI> {
    match serde_path_to_error::deserialize::<_, OpenAPI>(doc) {
        Ok(api) => Ok(api),
        Err(e) => {
            let mut tokens = segments(e.path());
            let mut message = e.inner().to_string();
            // Descend while some child of the failing node fails on its own (flattened maps and
            // untagged enums hide the inner path from serde).
            while let Some(node) = value_at(doc, &tokens) {
                let Some((more, msg)) = failing_child(&tokens, node) else { break };
                tokens.extend(more);
                message = msg;
            }
            Err(Error::at(pointer(tokens.iter().map(String::as_str)), message))
        }
    }
}

fn children(node: &Value) -> Vec<(String, &Value)> {
    match node {
        Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::Array(a) => a.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
        _ => Vec::new(),
    }
}

/// The first child of `node` (at `tokens`) that fails, with the path below it and the message.
fn failing_child(tokens: &[String], node: &Value) -> Option<(Vec<String>, String)> {
    for (key, child) in children(node) {
        let mut at = tokens.to_vec();
        at.push(key.clone());
        if let Some((below, message)) = failing(&at, child) {
            let mut path = vec![key];
            path.extend(below);
            return Some((path, message));
        }
    }
    None
}

/// Whether the node at `tokens` fails: as the OpenAPI object its position implies, or, where no
/// object is implied, through one of its children.
fn failing(tokens: &[String], node: &Value) -> Option<(Vec<String>, String)> {
    match retry_as_kind(tokens, node) {
        Some(result) => result,
        None => failing_child(tokens, node),
    }
}

fn segments(path: &serde_path_to_error::Path) -> Vec<String> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|s| match s {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            _ => None,
        })
        .collect()
}

fn value_at<'a>(doc: &'a Value, tokens: &[String]) -> Option<&'a Value> {
    tokens.iter().try_fold(doc, |v, t| match v {
        Value::Object(m) => m.get(t),
        Value::Array(a) => t.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

/// Deserializes `node` as the OpenAPI object its position implies: `None` when no object is
/// implied, `Some(None)` when it deserializes, `Some(Some(inner path, message))` when it fails.
fn retry_as_kind(tokens: &[String], node: &Value) -> Option<Option<(Vec<String>, String)>> {
    let n = tokens.len();
    let last = tokens.last().map(String::as_str);
    let parent = if n >= 2 { Some(tokens[n - 2].as_str()) } else { None };
    if node.get("$ref").is_some() {
        return Some(try_as::<openapiv3::ReferenceOr<()>>(node).map(|(p, m)| (p, format!("invalid reference: {m}"))));
    }
    match (parent, last) {
        (Some("paths"), _) if n == 2 => Some(try_as::<openapiv3::PathItem>(node)),
        (_, Some(m)) if n == 3 && tokens[0] == "paths" && METHODS.contains(&m) => {
            Some(try_as::<openapiv3::Operation>(node))
        }
        (Some("parameters"), _) => Some(try_as::<openapiv3::Parameter>(node)),
        (_, Some("requestBody")) => Some(try_as::<openapiv3::RequestBody>(node)),
        (Some("requestBodies"), _) => Some(try_as::<openapiv3::RequestBody>(node)),
        (Some("responses"), _) => Some(try_as::<openapiv3::Response>(node)),
        (Some("securitySchemes"), _) => Some(try_as::<openapiv3::SecurityScheme>(node)),
        (Some("headers"), _) => Some(try_as::<openapiv3::Header>(node)),
        (_, Some("schema" | "items" | "not" | "additionalProperties"))
        | (Some("schemas" | "properties" | "allOf" | "oneOf" | "anyOf"), _) => Some(schema_failure(node)),
        _ => None,
    }
}

/// Why `node` is not a schema. Normalize's linear keyword check comes first: handed straight to
/// openapiv3, an invalid nested schema costs time exponential in its depth (its untagged enums
/// retry every variant at every level), and the narrowing also tries subtrees that normalize
/// never saw (under an operation's `tags`, say).
fn schema_failure(node: &Value) -> Option<(Vec<String>, String)> {
    let mut copy = node.clone();
    if let Err(e) = crate::normalize::schema(&mut copy, "#") {
        let path = crate::error::pointer_tokens(&e.pointer);
        return Some((path, e.message));
    }
    try_as::<openapiv3::Schema>(&copy)
}

fn try_as<T: DeserializeOwned>(node: &Value) -> Option<(Vec<String>, String)> {
    match serde_path_to_error::deserialize::<_, T>(node) {
        Ok(_) => None,
        Err(e) => Some((segments(e.path()), e.inner().to_string())),
    }
}
