//! Stage 2b: the normalized JSON document → `openapiv3::OpenAPI`. `openapiv3` models `$ref`-or-value
//! and schema kinds as untagged enums, so serde reports a failure deep inside one only as "did not
//! match any variant" at the enum's node. [`typed`] then re-reads that node as the concrete object
//! its position implies (a parameter, a response, a schema...) to name the deepest failing field.

use openapiv3::OpenAPI;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, Result, pointer};

/// Deserializes the document, with errors that point as deep as possible.
pub fn typed(doc: &Value) -> Result<OpenAPI> {
    match serde_path_to_error::deserialize::<_, OpenAPI>(doc) {
        Ok(api) => Ok(api),
        Err(e) => {
            let mut tokens = segments(e.path());
            let mut message = e.inner().to_string();
            // Narrow down through nested untagged enums, a bounded number of times.
            for _ in 0..16 {
                let Some(node) = value_at(doc, &tokens) else { break };
                let Some((more, msg)) = retry_as_kind(&tokens, node) else { break };
                if more.is_empty() && msg == message {
                    break;
                }
                tokens.extend(more);
                message = msg;
            }
            Err(Error::at(pointer(tokens.iter().map(String::as_str)), message))
        }
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

/// Deserializes `node` as the OpenAPI object its position implies; the error's inner path, if any.
fn retry_as_kind(tokens: &[String], node: &Value) -> Option<(Vec<String>, String)> {
    let n = tokens.len();
    let last = tokens.last().map(String::as_str);
    let parent = if n >= 2 { Some(tokens[n - 2].as_str()) } else { None };
    const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    if node.get("$ref").is_some() {
        return try_as::<openapiv3::ReferenceOr<()>>(node).map(|(p, m)| (p, format!("invalid reference: {m}")));
    }
    match (parent, last) {
        (Some("components"), _) => None,
        (Some("paths"), _) if n == 2 => try_as::<openapiv3::PathItem>(node),
        (_, Some(m)) if n == 3 && tokens[0] == "paths" && METHODS.contains(&m) => try_as::<openapiv3::Operation>(node),
        (Some("parameters"), _) => try_as::<openapiv3::Parameter>(node),
        (_, Some("requestBody")) => try_as::<openapiv3::RequestBody>(node),
        (Some("requestBodies"), _) => try_as::<openapiv3::RequestBody>(node),
        (Some("responses"), _) => try_as::<openapiv3::Response>(node),
        (Some("securitySchemes"), _) => try_as::<openapiv3::SecurityScheme>(node),
        (Some("headers"), _) => try_as::<openapiv3::Header>(node),
        (_, Some("schema" | "items" | "not" | "additionalProperties"))
        | (Some("schemas" | "properties" | "allOf" | "oneOf" | "anyOf"), _) => try_as::<openapiv3::Schema>(node),
        _ => None,
    }
}

fn try_as<T: DeserializeOwned>(node: &Value) -> Option<(Vec<String>, String)> {
    match serde_path_to_error::deserialize::<_, T>(node) {
        Ok(_) => None,
        Err(e) => Some((segments(e.path()), e.inner().to_string())),
    }
}
