//! Which operations one Prism serves. Prism routes a request by the paths as the spec writes
//! them, fragment included, but no request carries a fragment: a converted AWS spec writes one
//! path per action (`/#Action=SendMessage`), and all of them are `POST /?Action=...` on the
//! wire. Such an operation is served at its path without the fragment, in the first sitting (a
//! Prism of its own) where no other operation answers the same method at the same path; every
//! other operation is served in the first sitting, by the spec as it is.
//!
//! An operation without responses (OpenAPI 3.1 lets a spec leave them out: any answer will do)
//! is served with a `default` one, which Prism answers with an empty 200; without it Prism
//! refuses the call (`NO_RESPONSE_DEFINED`), whatever the request.

use std::collections::{BTreeMap, BTreeSet};

use codegen::ir::HttpMethod;
use serde_json::{Map, Value};

/// One Prism's spec and the operations it serves (their places in the API's order).
#[derive(Debug)]
pub(crate) struct Sitting {
    pub doc: Value,
    pub ops: Vec<usize>,
}

/// The sittings for `doc`, whose operations are `ops`: each one's path as the spec writes it
/// and its method as a path item's key (`get`). A spec without fragments has one sitting.
pub(crate) fn sittings(doc: &Value, ops: &[(&str, &str)]) -> Vec<Sitting> {
    let paths = doc.get("paths").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut tables = vec![Table::default()];
    for (path, item) in paths.iter().filter(|(path, _)| !path.contains('#')) {
        tables[0].add(path, item, None);
    }
    for (i, (path, method)) in ops.iter().enumerate() {
        if !path.contains('#') {
            tables[0].ops.push(i);
            continue;
        }
        let served = served_path(path);
        let Some(item) = paths.get(*path) else { continue };
        let free = tables.iter().position(|t| t.is_free(served, method));
        let table = match free {
            Some(k) => &mut tables[k],
            None => {
                tables.push(Table::default());
                tables.last_mut().expect("just pushed")
            }
        };
        table.add(served, item, Some(method));
        table.ops.push(i);
    }
    tables
        .into_iter()
        .filter(|t| !t.ops.is_empty())
        .map(|t| {
            let mut doc = doc.clone();
            let mut paths = t.paths;
            paths.values_mut().filter_map(Value::as_object_mut).for_each(answer_anything);
            if let Some(d) = doc.as_object_mut() {
                d.insert("paths".into(), Value::Object(paths));
            }
            Sitting { doc, ops: t.ops }
        })
        .collect()
}

/// Where Prism serves an operation at `path`: without its fragment (`/#Action=Send` at `/`).
pub(crate) fn served_path(path: &str) -> &str {
    match path.split_once('#') {
        Some(("", _)) => "/",
        Some((served, _)) => served,
        None => path,
    }
}

/// A sitting being filled: its paths, and which method answers at which path.
#[derive(Default)]
struct Table {
    paths: Map<String, Value>,
    /// Each path's shape (placeholders unnamed, as Prism matches them) and its text.
    shapes: BTreeMap<String, String>,
    routes: BTreeSet<(String, String)>,
    ops: Vec<usize>,
}

impl Table {
    /// Whether `method` at `path` is free here (a path of the same shape written otherwise is
    /// not: Prism would pick one of the two).
    fn is_free(&self, path: &str, method: &str) -> bool {
        let shape = shape(path);
        self.shapes.get(&shape).is_none_or(|text| text == path) && !self.routes.contains(&(shape, method.into()))
    }

    /// Serves `item` at `path`: all of it, or only `method` (with what the item says for all
    /// its methods: parameters, servers).
    fn add(&mut self, path: &str, item: &Value, method: Option<&str>) {
        let shape = shape(path);
        self.shapes.insert(shape.clone(), path.into());
        let Some(item) = item.as_object() else { return };
        let target = self.paths.entry(path).or_insert_with(|| Value::Object(Map::new()));
        let Some(target) = target.as_object_mut() else { return };
        for (key, value) in item {
            let is_method = is_method(key);
            if is_method && method.is_some_and(|m| m != key) {
                continue;
            }
            if is_method {
                self.routes.insert((shape.clone(), key.clone()));
            }
            target.entry(key.as_str()).or_insert_with(|| value.clone());
        }
    }
}

/// Gives each operation of a path item that lists no response a `default` one.
fn answer_anything(item: &mut Map<String, Value>) {
    for (_, op) in item.iter_mut().filter(|(key, _)| is_method(key)) {
        let Some(op) = op.as_object_mut() else { continue };
        let none = op.get("responses").and_then(Value::as_object).is_none_or(Map::is_empty);
        if none {
            let any = serde_json::json!({"default": {"description": "Any answer: the spec lists none."}});
            op.insert("responses".into(), any);
        }
    }
}

/// Whether a path item's `key` is an operation's (`get`), not `parameters` or `servers`.
fn is_method(key: &str) -> bool {
    HttpMethod::ALL.iter().any(|m| m.key() == key)
}

/// A path with its placeholders unnamed: `/queues/{}`.
fn shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// An operation with a response.
    fn op(id: &str) -> Value {
        json!({"operationId": id, "responses": {"204": {"description": "Done."}}})
    }

    #[test]
    fn fragment_paths_are_served_without_their_fragment_one_per_route_and_sitting() {
        let doc = json!({
            "openapi": "3.0.0",
            "paths": {
                "/#Action=Send": {"parameters": [{"name": "Version", "in": "query"}], "post": op("send")},
                "/#Action=Purge": {"get": op("purgeGet"), "post": op("purge")},
                "/queues/{id}": {"get": op("getQueue")},
                "/queues/{name}#Tags": {"get": op("tags"), "put": op("tag")},
            }
        });
        let ops = [
            ("/#Action=Send", "post"),
            ("/#Action=Purge", "get"),
            ("/#Action=Purge", "post"),
            ("/queues/{id}", "get"),
            ("/queues/{name}#Tags", "get"),
            ("/queues/{name}#Tags", "put"),
        ];
        let sittings = sittings(&doc, &ops);
        let served: Vec<(Vec<usize>, Value)> =
            sittings.iter().map(|s| (s.ops.clone(), s.doc["paths"].clone())).collect();
        assert_eq!(
            served,
            [
                (
                    vec![0, 1, 3],
                    json!({
                        "/queues/{id}": {"get": op("getQueue")},
                        "/": {"parameters": [{"name": "Version", "in": "query"}], "post": op("send"), "get": op("purgeGet")},
                    })
                ),
                // `/queues/{name}` is `/queues/{id}` to Prism: neither of its methods can sit
                // with it, and a later `put` joins the `get` in their sitting.
                (
                    vec![2, 4, 5],
                    json!({
                        "/": {"post": op("purge")},
                        "/queues/{name}": {"get": op("tags"), "put": op("tag")},
                    })
                ),
            ]
        );
        assert_eq!(sittings[0].doc["openapi"], "3.0.0");
    }

    #[test]
    fn an_operation_without_responses_is_served_any_answer() {
        let doc = json!({"openapi": "3.1.0", "paths": {"/a": {
            "post": {"operationId": "a"},
            "put": {"responses": {}},
            "get": {"responses": {"200": {"description": "A."}}},
        }}});
        let sittings = sittings(&doc, &[("/a", "post"), ("/a", "put"), ("/a", "get")]);
        let item = &sittings[0].doc["paths"]["/a"];
        let any = json!({"default": {"description": "Any answer: the spec lists none."}});
        assert_eq!((&item["post"]["responses"], &item["put"]["responses"]), (&any, &any));
        assert_eq!(item["get"]["responses"], json!({"200": {"description": "A."}}));
    }

    #[test]
    fn a_spec_without_fragments_is_one_sitting_as_it_is() {
        let doc =
            json!({"swagger": "2.0", "paths": {"/a": {"get": op("a")}, "/b/{x}": {"put": op("b"), "parameters": []}}});
        let sittings = sittings(&doc, &[("/a", "get"), ("/b/{x}", "put")]);
        assert_eq!(sittings.len(), 1);
        assert_eq!(sittings[0].ops, [0, 1]);
        assert_eq!(sittings[0].doc, doc);
    }
}
