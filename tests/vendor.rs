//! The client against what real servers serve, as the vendor's own document describes it
//! (`../shared/facts/alteryx-server-v3-vendor-derived.json`, reconstructed from the swagger-codegen
//! client of the servers' document and Alteryx's help pages; every operation cites its source).
//!
//! - Every operation both documents share is answered by an in-process server with a *full*
//!   instance of the vendor's response schema (every property present, enums at their first
//!   value). The client must decode it, and the decoded value, written back as JSON, must equal
//!   what was served: a vendor field that the client does not know would be lost, a wrong type
//!   would fail to decode. Neither may happen.
//! - Prism serving the vendor's document checks the requests: no request of a shared operation
//!   may violate the vendor's request schemas (field names, required fields, types).

mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use alteryx_server::{Client, Error, RetryPolicy};
use axum::extract::{Request, State};
use axum::response::Response;
use serde_json::{Value, json};
use support::prism::{Prism, fits};
use support::{calls, reply, serve};
use workspace_tests::root;

fn vendor_document() -> Value {
    let path = root().join("../shared/facts/alteryx-server-v3-vendor-derived.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The vendor operation a request goes to: `(method, template)`, the template with the most
/// literal segments winning (`/dcm/connections/lookup` over `/dcm/connections/{id}`).
fn vendor_operation<'d>(doc: &'d Value, method: &str, path: &str) -> Option<(&'d str, &'d Value)> {
    let paths = doc["paths"].as_object()?;
    paths
        .iter()
        .filter(|(template, item)| fits(template, path) && item.get(method).is_some())
        .max_by_key(|(template, _)| template.split('/').filter(|s| !s.starts_with('{')).count())
        .map(|(template, item)| (template.as_str(), &item[method]))
}

/// A full instance of a vendor schema: every property, one item per array, enums at their first
/// value, date-times in the form the client writes them back.
fn instance(doc: &Value, schema: &Value, depth: usize) -> Value {
    assert!(depth < 32, "runaway schema");
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let target = doc.pointer(reference.trim_start_matches('#')).unwrap_or_else(|| panic!("{reference}"));
        return instance(doc, target, depth + 1);
    }
    if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = serde_json::Map::new();
        for member in members {
            if let Value::Object(part) = instance(doc, member, depth + 1) {
                merged.extend(part);
            }
        }
        return Value::Object(merged);
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values[0].clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let object: serde_json::Map<String, Value> = properties
                .into_iter()
                .flatten()
                .map(|(name, property)| (name.clone(), instance(doc, property, depth + 1)))
                .collect();
            Value::Object(object)
        }
        Some("array") => json!([instance(doc, &schema["items"], depth + 1)]),
        Some("string") => match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => json!("2026-01-15T10:30:00Z"),
            Some("binary") => json!("binary"),
            _ => json!("text"),
        },
        Some("integer") => json!(7),
        Some("number") => json!(1.5),
        Some("boolean") => json!(true),
        // Swagger's `object` with no properties: any JSON value.
        _ => json!({}),
    }
}

/// What the server answered each operation: `(vendor method and template, JSON served or None)`.
type Served = Arc<Mutex<BTreeMap<String, Option<Value>>>>;

async fn answer(State((doc, served)): State<(Arc<Value>, Served)>, request: Request) -> Response {
    let method = request.method().as_str().to_ascii_lowercase();
    let path = request.uri().path().trim_start_matches("/webapi").to_string();
    // The whole request is read before answering, as a server does (an upload cut off by an
    // early answer would fail on the client's side).
    let _ = axum::body::to_bytes(request.into_body(), 64 << 20).await;
    let Some((template, operation)) = vendor_operation(&doc, &method, &path) else {
        return reply(404, "application/json", r#"{"message":"not in the vendor's document"}"#);
    };
    let key = format!("{} {template}", method.to_ascii_uppercase());
    let ok = &operation["responses"]["200"];
    let content = ok.get("content").and_then(Value::as_object);
    let (media, schema) = match content.and_then(|c| c.iter().next()) {
        Some((media, body)) => (media.clone(), body.get("schema").cloned()),
        None => {
            served.lock().unwrap().insert(key, None);
            return reply(200, "application/json", "");
        }
    };
    if media == "application/octet-stream" {
        served.lock().unwrap().insert(key, None);
        return reply(200, &media, b"PK\x03\x04 package".to_vec());
    }
    let body = schema.map(|s| instance(&doc, &s, 0)).unwrap_or(Value::Null);
    served.lock().unwrap().insert(key, Some(body.clone()));
    reply(200, "application/json", body.to_string())
}

/// The first place two JSON values differ, as a path (`users[0].activeDirectoryObject.sid`).
fn difference(served: &Value, decoded: &Value, at: &str) -> Option<String> {
    match (served, decoded) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let here = if at.is_empty() { key.clone() } else { format!("{at}.{key}") };
                match b.get(key) {
                    None => return Some(format!("{here}: served, but not kept by the client")),
                    Some(other) => {
                        if let Some(d) = difference(value, other, &here) {
                            return Some(d);
                        }
                    }
                }
            }
            None
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            a.iter().zip(b).enumerate().find_map(|(i, (x, y))| difference(x, y, &format!("{at}[{i}]")))
        }
        (a, b) if a == b => None,
        (a, b) => Some(format!("{at}: served {a}, decoded {b}")),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_shared_operation_decodes_the_vendors_shapes_without_losing_a_field() {
    let doc = Arc::new(vendor_document());
    let served: Served = Arc::default();
    let app = axum::Router::new().fallback(answer).with_state((doc.clone(), served.clone()));
    let client = Client::builder(serve(app).await)
        .bearer_token("vendor-token")
        .allow_insecure_http(true)
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let package = support::scratch("vendor-flow.yxzp");
    std::fs::write(&package, b"PK\x03\x04 package").unwrap();
    let mut outcomes: Vec<(&'static str, Result<Value, Error>)> = Vec::new();
    calls::call_every_operation(&client, &package, &mut |id, result| outcomes.push((id, result))).await;

    let api = workspace_tests::alteryx_api();
    let served = served.lock().unwrap().clone();
    let mut problems = Vec::new();
    let mut shared = 0;
    for (id, result) in &outcomes {
        let op = api.operations().find(|op| op.id == *id).unwrap_or_else(|| panic!("{id} is not in the IR"));
        let vendor = vendor_operation(&doc, op.method.key(), &op.path.text.replace(['{', '}'], ""));
        let Some((template, _)) = vendor else {
            // Only in the seed spec (createCredential, updateCredential): the server answers 404.
            assert_eq!(result.as_ref().err().and_then(Error::status), Some(404), "{id}");
            continue;
        };
        shared += 1;
        let key = format!("{} {template}", op.method);
        match (result, served.get(&key)) {
            (Err(e), _) => problems.push(format!("{id} ({key}): {e}")),
            (Ok(decoded), Some(Some(sent))) => {
                // A list the vendor types as one object (`x-codegen-one-or-many`) comes back as
                // a list of one.
                let decoded = match (sent, decoded) {
                    (Value::Object(_), Value::Array(items)) if op.one_or_many && items.len() == 1 => &items[0],
                    _ => decoded,
                };
                if let Some(d) = difference(sent, decoded, "") {
                    problems.push(format!("{id} ({key}): {d}"));
                }
            }
            (Ok(_), _) => {}
        }
    }
    assert_eq!(shared, 95, "the operations both documents share");
    assert!(problems.is_empty(), "the vendor's shapes do not come through:\n{}", problems.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_request_violates_the_vendors_document() {
    let spec = root().join("target/contract/vendor-derived.json");
    std::fs::create_dir_all(spec.parent().unwrap()).unwrap();
    std::fs::write(&spec, serde_json::to_string_pretty(&vendor_document()).unwrap()).unwrap();
    let prism = Prism::start(&spec, true, "vendor-requests");
    let client = Client::builder(&prism.base_url)
        .bearer_token("vendor-token")
        .allow_insecure_http(true)
        .retry(RetryPolicy::never())
        .deadline(Some(std::time::Duration::from_secs(10)))
        .build()
        .unwrap();
    let package = support::scratch("vendor-requests.yxzp");
    std::fs::write(&package, b"PK\x03\x04 package").unwrap();
    let mut outcomes: Vec<(&'static str, Result<Value, Error>)> = Vec::new();
    calls::call_every_operation(&client, &package, &mut |id, result| outcomes.push((id, result))).await;
    let violations = prism.violations();
    assert!(violations.is_empty(), "requests the vendor's document refuses:\n{}", violations.join("\n"));
    // Prism saw (and so checked) a request of every operation the vendor's document has that
    // the client calls.
    let doc = vendor_document();
    let seen = prism.requests();
    let mut checked = 0;
    for op in workspace_tests::alteryx_api().operations() {
        let method = op.method.key();
        let Some((template, _)) = vendor_operation(&doc, method, &op.path.text.replace(['{', '}'], "")) else {
            continue;
        };
        assert!(
            seen.iter().any(|(m, p)| *m == op.method.as_str() && fits(template, p)),
            "no request of {} {template}",
            op.method
        );
        checked += 1;
    }
    assert_eq!(checked, 95);
    let refused: Vec<String> = outcomes
        .iter()
        .filter(|(id, _)| !matches!(*id, "createCredential" | "updateCredential"))
        .filter_map(|(id, r)| match r {
            Err(e) if matches!(e.status(), Some(400 | 422)) => Some(format!("{id}: {e}")),
            _ => None,
        })
        .collect();
    assert!(refused.is_empty(), "{}", refused.join("\n"));
}
