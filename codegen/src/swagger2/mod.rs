//! Stage 2 (after load, before overlays): a Swagger 2.0 document in the OpenAPI 3.0 shape, so
//! every later stage reads one kind of document. What moves:
//!
//! - `host`, `basePath` and `schemes` → `servers` (https first);
//! - `definitions`, `parameters`, `responses`, `securityDefinitions` → `components`, and every
//!   `$ref` to them rewritten;
//! - `consumes` and `produces` (document, then operation level) → the media types of bodies;
//! - a `body` parameter → `requestBody`; `formData` parameters → a form or multipart body
//!   (`type: file` → a binary part); `collectionFormat` → `style` and `explode`;
//! - a response's `schema`, `headers` and `examples` → `content` and `headers`;
//! - oauth2 flows: `application` = client credentials, `accessCode` = authorization code;
//! - `x-nullable` → `nullable`, a discriminator given as a property name → `propertyName`.
//!
//! `x-` extensions stay where they were. The [`PointerMap`] says where each moved node was, so
//! errors and warnings name lines of the 2.0 file.

mod schema;

use serde_json::{Map, Value, json};

use crate::pointer_map::{PointerMap, child};

use crate::diagnostics::warn;
use crate::error::{Error, Result};

/// Whether `doc` is a Swagger 2.0 document.
pub fn is_swagger2(doc: &Value) -> bool {
    doc.get("swagger").is_some_and(|v| v.as_str() == Some("2.0") || v.as_f64() == Some(2.0))
}

/// Converts a Swagger 2.0 document in place to OpenAPI 3.0.3; returns where the moved nodes were.
pub fn convert(doc: &mut Value) -> Result<PointerMap> {
    let Value::Object(root) = doc else { return Err(Error::at("#", "the document must be a mapping")) };
    let mut map = PointerMap::default();
    let old = std::mem::take(root);
    let text_list = |key: &str| -> Vec<String> {
        old.get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
            .unwrap_or_default()
    };
    let context = Context {
        consumes: text_list("consumes"),
        produces: text_list("produces"),
        parameters: old.get("parameters").and_then(Value::as_object).cloned().unwrap_or_default(),
    };
    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    let mut components = Map::new();
    for (key, value) in &old {
        match key.as_str() {
            "swagger" | "host" | "basePath" | "schemes" | "consumes" | "produces" => {}
            "definitions" => {
                let mut schemas = value.clone();
                if let Value::Object(all) = &mut schemas {
                    all.values_mut().for_each(schema::schema);
                }
                components.insert("schemas".into(), schemas);
                map.add("#/components/schemas", "#/definitions");
            }
            "parameters" => context.component_parameters(value, &mut components, &mut map),
            "responses" => {
                let mut responses = Map::new();
                for (name, r) in value.as_object().into_iter().flatten() {
                    let at = child("#/responses", name);
                    let converted =
                        context.response(r, &context.produces, &at, &child("#/components/responses", name), &mut map);
                    responses.insert(name.clone(), converted);
                }
                components.insert("responses".into(), Value::Object(responses));
            }
            "securityDefinitions" => {
                let mut schemes = Map::new();
                for (name, s) in value.as_object().into_iter().flatten() {
                    schemes.insert(name.clone(), security_scheme(s, &child("#/securityDefinitions", name)));
                }
                components.insert("securitySchemes".into(), Value::Object(schemes));
                map.add("#/components/securitySchemes", "#/securityDefinitions");
            }
            "paths" => {
                let mut paths = Map::new();
                for (path, item) in value.as_object().into_iter().flatten() {
                    let at = child("#/paths", path);
                    paths.insert(path.clone(), context.path_item(item, &at, &mut map)?);
                }
                out.insert("paths".into(), Value::Object(paths));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if let Some(servers) = servers(&old) {
        out.insert("servers".into(), servers);
        map.add("#/servers", "#/host");
    }
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    *root = out;
    Ok(map)
}

/// `servers` from `schemes`, `host` and `basePath`: one per scheme, https first; a document
/// without `host` is served relative to where it was read.
fn servers(old: &Map<String, Value>) -> Option<Value> {
    let host = old.get("host").and_then(Value::as_str);
    let base = old.get("basePath").and_then(Value::as_str).unwrap_or("");
    if host.is_none() && base.is_empty() {
        return None;
    }
    let Some(host) = host else { return Some(json!([{ "url": base }])) };
    let mut schemes: Vec<&str> = old
        .get("schemes")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if schemes.is_empty() {
        schemes.push("https");
    }
    schemes.sort_by_key(|s| *s != "https");
    let base = base.trim_end_matches('/');
    Some(Value::Array(schemes.iter().map(|s| json!({ "url": format!("{s}://{host}{base}") })).collect()))
}

/// An oauth2, apiKey or basic security definition in its 3.0 form.
fn security_scheme(s: &Value, at: &str) -> Value {
    let Some(obj) = s.as_object() else { return s.clone() };
    let mut out: Map<String, Value> = obj
        .iter()
        .filter(|(k, _)| k.starts_with("x-") || *k == "description")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    match obj.get("type").and_then(Value::as_str) {
        Some("basic") => {
            out.insert("type".into(), json!("http"));
            out.insert("scheme".into(), json!("basic"));
        }
        Some("apiKey") => {
            out.insert("type".into(), json!("apiKey"));
            for k in ["name", "in"] {
                if let Some(v) = obj.get(k) {
                    out.insert(k.into(), v.clone());
                }
            }
        }
        Some("oauth2") => {
            let flow = obj.get("flow").and_then(Value::as_str).unwrap_or_default();
            let name = match flow {
                "implicit" => "implicit",
                "password" => "password",
                "application" => "clientCredentials",
                "accessCode" => "authorizationCode",
                other => {
                    warn(format!("{at}/flow"), format!("unknown oauth2 flow `{other}`: the scheme is left out"));
                    return json!({ "type": "http", "scheme": "bearer" });
                }
            };
            let mut details = Map::new();
            for k in ["authorizationUrl", "tokenUrl"] {
                if let Some(v) = obj.get(k) {
                    details.insert(k.into(), v.clone());
                }
            }
            details.insert("scopes".into(), obj.get("scopes").cloned().unwrap_or_else(|| json!({})));
            out.insert("type".into(), json!("oauth2"));
            out.insert("flows".into(), json!({ name: details }));
        }
        _ => return s.clone(),
    }
    Value::Object(out)
}

/// What operations inherit from the document.
struct Context {
    consumes: Vec<String>,
    produces: Vec<String>,
    /// The document's `parameters`, as written (body and form ones are inlined where used).
    parameters: Map<String, Value>,
}

/// Media types, or JSON when none are given.
fn media_types(types: &[String]) -> Vec<String> {
    if types.is_empty() { vec!["application/json".into()] } else { types.to_vec() }
}

impl Context {
    /// The document's parameters: path, query and header ones become component parameters, a
    /// body one a component request body; form ones are inlined where they are used.
    fn component_parameters(&self, value: &Value, components: &mut Map<String, Value>, map: &mut PointerMap) {
        let mut parameters = Map::new();
        let mut bodies = Map::new();
        for (name, p) in value.as_object().into_iter().flatten() {
            let at = child("#/parameters", name);
            let Some(obj) = p.as_object() else { continue };
            match obj.get("in").and_then(Value::as_str) {
                Some("body") => {
                    let converted = child("#/components/requestBodies", name);
                    bodies.insert(name.clone(), body(obj, &self.consumes, &at, &converted, map));
                }
                Some("formData") => {}
                _ => {
                    let converted = child("#/components/parameters", name);
                    map.add(format!("{converted}/schema"), at.clone());
                    map.add(converted, at.clone());
                    parameters.insert(name.clone(), schema::parameter(obj, &at));
                }
            }
        }
        if !parameters.is_empty() {
            components.insert("parameters".into(), Value::Object(parameters));
        }
        if !bodies.is_empty() {
            components.insert("requestBodies".into(), Value::Object(bodies));
        }
    }

    /// A parameter as written, its `$ref` to the document's parameters followed (with the
    /// pointer of what was followed), or `None` for another reference.
    fn resolve<'a>(&'a self, p: &'a Value, at: &str) -> Option<(&'a Map<String, Value>, String)> {
        match p.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r.strip_prefix("#/parameters/")?;
                let name = name.replace("~1", "/").replace("~0", "~");
                let found = self.parameters.get(&name)?.as_object()?;
                Some((found, child("#/parameters", &name)))
            }
            None => Some((p.as_object()?, at.to_string())),
        }
    }

    fn path_item(&self, item: &Value, at: &str, map: &mut PointerMap) -> Result<Value> {
        let Some(obj) = item.as_object() else { return Ok(item.clone()) };
        // Path-level body and form parameters belong to each operation's body.
        let shared = parameters_of(obj, at);
        let mut out = Map::new();
        for (key, value) in obj {
            match key.as_str() {
                "parameters" => {
                    let kept = self.plain_parameters(&shared, at, map);
                    if !kept.is_empty() {
                        out.insert(key.clone(), Value::Array(kept));
                    }
                }
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" => {
                    out.insert(key.clone(), self.operation(value, &shared, &child(at, key), map)?);
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        Ok(Value::Object(out))
    }

    /// The path, query and header parameters of a list in their 3.0 form (references rewritten),
    /// their new places mapped to the old.
    fn plain_parameters(&self, params: &[(Value, String)], at: &str, map: &mut PointerMap) -> Vec<Value> {
        let mut kept = Vec::new();
        for (p, p_at) in params {
            let location = self.resolve(p, p_at).and_then(|(o, _)| o.get("in")?.as_str());
            if matches!(location, Some("body" | "formData")) {
                continue;
            }
            let converted = format!("{at}/parameters/{}", kept.len());
            let value = match (p.get("$ref").and_then(Value::as_str), p.as_object()) {
                (Some(r), _) => json!({ "$ref": schema::reference(r) }),
                (None, Some(obj)) => schema::parameter(obj, p_at),
                (None, None) => p.clone(),
            };
            map.add(format!("{converted}/schema"), p_at.clone());
            map.add(converted, p_at.clone());
            kept.push(value);
        }
        kept
    }

    fn operation(&self, op: &Value, shared: &[(Value, String)], at: &str, map: &mut PointerMap) -> Result<Value> {
        let Some(obj) = op.as_object() else { return Ok(op.clone()) };
        let list = |key: &str, inherited: &[String]| -> Vec<String> {
            match obj.get(key).and_then(Value::as_array) {
                Some(a) => a.iter().filter_map(|v| v.as_str().map(String::from)).collect(),
                None => inherited.to_vec(),
            }
        };
        let (consumes, produces) = (list("consumes", &self.consumes), list("produces", &self.produces));
        // The operation's parameters override the path's of the same name and location.
        let own = parameters_of(obj, at);
        let key_of =
            |p: &Value, p_at: &str| self.resolve(p, p_at).map(|(o, _)| (o.get("name").cloned(), o.get("in").cloned()));
        let mut all: Vec<(Value, String)> = shared
            .iter()
            .filter(|(p, p_at)| !own.iter().any(|(q, q_at)| key_of(q, q_at) == key_of(p, p_at)))
            .cloned()
            .collect();
        all.extend(own);
        let mut out = Map::new();
        for (key, value) in obj {
            match key.as_str() {
                "consumes" | "produces" | "parameters" | "schemes" => {}
                "responses" => {
                    let mut responses = Map::new();
                    for (status, r) in value.as_object().into_iter().flatten() {
                        let r_at = child(&format!("{at}/responses"), status);
                        responses.insert(status.clone(), self.response(r, &produces, &r_at, &r_at, map));
                    }
                    out.insert(key.clone(), Value::Object(responses));
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        let own_params: Vec<(Value, String)> = all.iter().filter(|(_, p_at)| p_at.starts_with(at)).cloned().collect();
        let kept = self.plain_parameters(&own_params, at, map);
        // Path-level plain parameters stay on the path item; the operation keeps its own.
        if !kept.is_empty() {
            out.insert("parameters".into(), Value::Array(kept));
        }
        let body_at = format!("{at}/requestBody");
        let mut form: Vec<(&Map<String, Value>, String)> = Vec::new();
        for (p, p_at) in &all {
            let Some((obj, origin)) = self.resolve(p, p_at) else { continue };
            match obj.get("in").and_then(Value::as_str) {
                Some("body") if p.get("$ref").is_some() => {
                    let r = p["$ref"].as_str().unwrap_or_default();
                    let name = r.trim_start_matches("#/parameters/");
                    out.insert("requestBody".into(), json!({ "$ref": format!("#/components/requestBodies/{name}") }));
                    map.add(body_at.clone(), p_at.clone());
                }
                Some("body") => {
                    out.insert("requestBody".into(), body(obj, &consumes, &origin, &body_at, map));
                }
                Some("formData") => form.push((obj, origin)),
                _ => {}
            }
        }
        if !form.is_empty() {
            if out.contains_key("requestBody") {
                return Err(Error::at(&form[0].1, "an operation has both a body parameter and form parameters"));
            }
            out.insert("requestBody".into(), form_body(&form, &consumes, &body_at, map));
        }
        Ok(Value::Object(out))
    }

    /// A response: its schema under each media type the operation produces, its headers with
    /// schemas, and its examples by media type.
    fn response(&self, r: &Value, produces: &[String], at: &str, converted: &str, map: &mut PointerMap) -> Value {
        let Some(obj) = r.as_object() else { return r.clone() };
        if let Some(Value::String(reference)) = obj.get("$ref") {
            return json!({ "$ref": schema::reference(reference) });
        }
        let mut out = Map::new();
        for (key, value) in obj {
            match key.as_str() {
                "schema" | "examples" => {}
                "headers" => {
                    let mut headers = Map::new();
                    for (name, h) in value.as_object().into_iter().flatten() {
                        let Some(h) = h.as_object() else { continue };
                        let mut header: Map<String, Value> = h
                            .iter()
                            .filter(|(k, _)| *k == "description" || k.starts_with("x-"))
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect();
                        header.insert("schema".into(), schema::schema_of_simple(h));
                        let h_converted = child(&format!("{converted}/headers"), name);
                        map.add(format!("{h_converted}/schema"), child(&format!("{at}/headers"), name));
                        map.add(h_converted, child(&format!("{at}/headers"), name));
                        headers.insert(name.clone(), Value::Object(header));
                    }
                    out.insert(key.clone(), Value::Object(headers));
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        let examples = obj.get("examples").and_then(Value::as_object);
        if let Some(s) = obj.get("schema") {
            let mut s = s.clone();
            schema::schema(&mut s);
            let mut content = Map::new();
            for media in media_types(produces) {
                let mut entry = Map::new();
                entry.insert("schema".into(), s.clone());
                if let Some(example) = examples.and_then(|e| e.get(&media)) {
                    entry.insert("example".into(), example.clone());
                }
                let m_at = child(&format!("{converted}/content"), &media);
                map.add(format!("{m_at}/schema"), format!("{at}/schema"));
                map.add(m_at, format!("{at}/schema"));
                content.insert(media, Value::Object(entry));
            }
            out.insert("content".into(), Value::Object(content));
        }
        if at != converted {
            map.add(converted, at);
        }
        Value::Object(out)
    }
}

/// The `parameters` of a path item or operation at `at`, each with its pointer.
fn parameters_of(obj: &Map<String, Value>, at: &str) -> Vec<(Value, String)> {
    obj.get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, p)| (p.clone(), format!("{at}/parameters/{i}")))
        .collect()
}

/// A `body` parameter as a request body: its schema under each media type the operation consumes.
fn body(p: &Map<String, Value>, consumes: &[String], at: &str, converted: &str, map: &mut PointerMap) -> Value {
    let mut s = p.get("schema").cloned().unwrap_or_else(|| json!({}));
    schema::schema(&mut s);
    let mut content = Map::new();
    for media in media_types(consumes) {
        let m_at = child(&format!("{converted}/content"), &media);
        map.add(format!("{m_at}/schema"), format!("{at}/schema"));
        content.insert(media, json!({ "schema": s.clone() }));
    }
    map.add(converted, at);
    let mut out: Map<String, Value> = p
        .iter()
        .filter(|(k, _)| *k == "description" || *k == "required" || k.starts_with("x-"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    out.insert("content".into(), Value::Object(content));
    Value::Object(out)
}

/// `formData` parameters as one body: multipart when the operation consumes it or sends a file,
/// URL-encoded otherwise; each parameter a property.
fn form_body(
    params: &[(&Map<String, Value>, String)],
    consumes: &[String],
    converted: &str,
    map: &mut PointerMap,
) -> Value {
    let has_file = params.iter().any(|(p, _)| p.get("type").and_then(Value::as_str) == Some("file"));
    let media = if consumes.iter().any(|c| c.starts_with("multipart/form-data")) || has_file {
        "multipart/form-data"
    } else {
        "application/x-www-form-urlencoded"
    };
    let mut properties = Map::new();
    let mut required = Vec::new();
    let schema_at = format!("{}/schema", child(&format!("{converted}/content"), media));
    for (p, p_at) in params {
        let Some(name) = p.get("name").and_then(Value::as_str) else { continue };
        let mut property = schema::schema_of_simple(p);
        if let (Some(d), Value::Object(o)) = (p.get("description"), &mut property) {
            o.insert("description".into(), d.clone());
        }
        if p.get("required").and_then(Value::as_bool) == Some(true) {
            required.push(json!(name));
        }
        map.add(child(&format!("{schema_at}/properties"), name), p_at.clone());
        properties.insert(name.to_string(), property);
    }
    map.add(converted, params[0].1.clone());
    let mut s = json!({ "type": "object", "properties": properties });
    if !required.is_empty() {
        s["required"] = Value::Array(required.clone());
    }
    json!({ "required": !required.is_empty(), "content": { media: { "schema": s } } })
}
