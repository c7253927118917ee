//! Stage 5: brings OpenAPI 3.1 constructs to the one shape `openapiv3` reads, on the raw JSON
//! document, and checks the required fields that `openapiv3`'s untagged enums would otherwise
//! report only at an enclosing node. Afterwards [`typed`](crate::typed) deserializes the document and, when that
//! fails, narrows the error down to the deepest object it can name.
//!
//! Rewrites (schemas only): `type: [T, "null"]` → `type: T` + `nullable: true`; several types →
//! `anyOf`; `{type: "null"}` members of `oneOf`/`anyOf` → `nullable`; `const: v` → `enum: [v]`;
//! numeric `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` + the 3.0 boolean; a `$ref`
//! with siblings → `allOf: [{$ref}]` plus the siblings (which `openapiv3` would drop); `true` → `{}`.

use serde_json::{Map, Value, json};

use crate::diagnostics::warn;
use crate::error::{Error, Result, escape_token};

/// The operation keys of a path item, in the order OpenAPI lists them.
pub(crate) const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Normalizes `doc` in place. Errors carry a pointer but no file; the caller locates them.
pub fn normalize(doc: &mut Value) -> Result<()> {
    let root = doc.as_object_mut().ok_or_else(|| Error::at("#", "the document must be a mapping"))?;
    let version = match root.get("openapi") {
        Some(Value::String(v)) => v.clone(),
        Some(_) => return Err(Error::at("#/openapi", "`openapi` must be a string such as \"3.1.0\"")),
        None if root.contains_key("swagger") => {
            return Err(Error::at(
                "#/swagger",
                "only Swagger 2.0 is read of the Swagger versions (`swagger: \"2.0\"`)",
            ));
        }
        None => return Err(Error::at("#", "missing required field `openapi`")),
    };
    if !(version.starts_with("3.0") || version.starts_with("3.1")) {
        return Err(Error::at(
            "#/openapi",
            format!("OpenAPI version {version} is not supported (3.0.x and 3.1.x are)"),
        ));
    }
    let info = root.get("info").ok_or_else(|| Error::at("#", "missing required field `info`"))?;
    for field in ["title", "version"] {
        if info.get(field).is_none() {
            return Err(Error::at("#/info", format!("missing required field `{field}`")));
        }
    }
    root.entry("paths").or_insert_with(|| json!({}));
    // 3.1 documents may leave out `paths`; `openapiv3` wants it.
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let at = format!("#/paths/{}", escape_token(path));
            if !path.starts_with('/') {
                return Err(Error::at(at, "a path must start with `/`"));
            }
            path_item(item, &at)?;
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        let each = |components: &mut Map<String, Value>, kind: &str, f: &dyn Fn(&mut Value, &str) -> Result<()>| {
            if let Some(Value::Object(items)) = components.get_mut(kind) {
                for (name, item) in items.iter_mut() {
                    f(item, &format!("#/components/{kind}/{}", escape_token(name)))?;
                }
            }
            Ok::<(), Error>(())
        };
        each(components, "schemas", &|v, at| schema(v, at))?;
        each(components, "parameters", &parameter)?;
        each(components, "requestBodies", &|v, at| content_holder(v, at))?;
        each(components, "responses", &response)?;
        each(components, "headers", &|v, at| schema_holder(v, at))?;
    }
    Ok(())
}

fn path_item(item: &mut Value, at: &str) -> Result<()> {
    let Some(obj) = item.as_object_mut() else {
        return Err(Error::at(at, "a path item must be a mapping"));
    };
    if let Some(Value::Array(params)) = obj.get_mut("parameters") {
        for (i, p) in params.iter_mut().enumerate() {
            parameter(p, &format!("{at}/parameters/{i}"))?;
        }
    }
    for method in METHODS {
        let Some(op) = obj.get_mut(method) else { continue };
        let op_at = format!("{at}/{method}");
        let Some(op) = op.as_object_mut() else {
            return Err(Error::at(op_at, "an operation must be a mapping"));
        };
        if let Some(Value::Array(params)) = op.get_mut("parameters") {
            for (i, p) in params.iter_mut().enumerate() {
                parameter(p, &format!("{op_at}/parameters/{i}"))?;
            }
        }
        if let Some(body) = op.get_mut("requestBody") {
            content_holder(body, &format!("{op_at}/requestBody"))?;
        }
        match op.get_mut("responses") {
            Some(Value::Object(responses)) => {
                for (status, r) in responses.iter_mut() {
                    response(r, &format!("{op_at}/responses/{}", escape_token(status)))?;
                }
            }
            Some(_) => return Err(Error::at(format!("{op_at}/responses"), "`responses` must be a mapping")),
            None => {
                op.insert("responses".into(), json!({}));
            }
        }
    }
    Ok(())
}

fn is_ref(v: &Value) -> bool {
    v.get("$ref").is_some()
}

fn parameter(p: &mut Value, at: &str) -> Result<()> {
    if is_ref(p) {
        return Ok(());
    }
    for field in ["name", "in"] {
        if p.get(field).is_none() {
            return Err(Error::at(at, format!("missing required field `{field}` of a parameter")));
        }
    }
    if let Some(loc) = p.get("in").and_then(Value::as_str)
        && !matches!(loc, "path" | "query" | "header" | "cookie")
    {
        return Err(Error::at(format!("{at}/in"), format!("unknown parameter location `{loc}`")));
    }
    schema_holder(p, at)?;
    content_holder(p, at)
}

fn response(r: &mut Value, at: &str) -> Result<()> {
    if is_ref(r) {
        return Ok(());
    }
    let Some(obj) = r.as_object_mut() else {
        return Err(Error::at(at, "a response must be a mapping"));
    };
    // Required by OpenAPI, but commonly left out; an empty description loses nothing.
    obj.entry("description").or_insert_with(|| json!(""));
    if let Some(Value::Object(headers)) = obj.get_mut("headers") {
        for (name, h) in headers.iter_mut() {
            schema_holder(h, &format!("{at}/headers/{}", escape_token(name)))?;
        }
    }
    content_holder(r, at)
}

fn schema_holder(v: &mut Value, at: &str) -> Result<()> {
    if let Some(s) = v.get_mut("schema") {
        schema(s, &format!("{at}/schema"))?;
    }
    Ok(())
}

fn content_holder(v: &mut Value, at: &str) -> Result<()> {
    if let Some(Value::Object(content)) = v.get_mut("content") {
        for (media, m) in content.iter_mut() {
            schema_holder(m, &format!("{at}/content/{}", escape_token(media)))?;
        }
    }
    Ok(())
}

/// Normalizes one schema and everything below it.
pub fn schema(s: &mut Value, at: &str) -> Result<()> {
    match s {
        Value::Bool(true) => *s = json!({}),
        Value::Bool(false) => {
            warn(at, "a `false` schema (no value is valid) is read as any value");
            *s = json!({});
        }
        Value::Null => {
            warn(at, "a null where a schema belongs is read as any value");
            *s = json!({});
        }
        _ => {}
    }
    let Some(obj) = s.as_object_mut() else {
        return Err(Error::at(at, "a schema must be a mapping"));
    };
    // A `$ref` with siblings: keep the siblings by wrapping the reference in `allOf`.
    if obj.contains_key("$ref") && obj.len() > 1 {
        let reference = obj.remove("$ref").unwrap_or_default();
        obj.insert("allOf".into(), json!([{ "$ref": reference }]));
    }
    if let Some(Value::Array(types)) = obj.get("type").cloned() {
        let mut names = Vec::new();
        for t in &types {
            match t.as_str() {
                Some("null") => {
                    obj.insert("nullable".into(), Value::Bool(true));
                }
                Some(name) => names.push(name.to_string()),
                None => return Err(Error::at(format!("{at}/type"), "a type must be a string")),
            }
        }
        obj.remove("type");
        match names.as_slice() {
            [] => {}
            [one] => {
                obj.insert("type".into(), Value::String(one.clone()));
            }
            many => {
                let members: Vec<Value> = many.iter().map(|t| split_by_type(obj, t)).collect();
                obj.insert("anyOf".into(), Value::Array(members));
            }
        }
    }
    if obj.get("type").and_then(Value::as_str) == Some("null") {
        warn(at, "a schema that allows only null is read as an optional value of any type");
        obj.remove("type");
        obj.insert("nullable".into(), Value::Bool(true));
    }
    if let Some(value) = obj.remove("const") {
        obj.entry("enum").or_insert_with(|| Value::Array(vec![value]));
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(n @ Value::Number(_)) = obj.get(exclusive).cloned() {
            obj.insert(bound.into(), n);
            obj.insert(exclusive.into(), Value::Bool(true));
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = obj.get_mut(key) {
            let before = members.len();
            members.retain(|m| {
                !(m.get("type").and_then(Value::as_str) == Some("null") && m.as_object().is_some_and(|o| o.len() == 1))
            });
            if members.len() != before {
                obj.insert("nullable".into(), Value::Bool(true));
            }
        }
    }
    // A property whose schema is `false` can never be present: it is left out.
    if let Some(Value::Object(props)) = obj.get_mut("properties") {
        let never: Vec<String> =
            props.iter().filter(|(_, v)| **v == Value::Bool(false)).map(|(k, _)| k.clone()).collect();
        for name in &never {
            warn(
                format!("{at}/properties/{}", escape_token(name)),
                format!("the property `{name}` has the schema `false` (it can never be present): it is left out"),
            );
            props.shift_remove(name);
        }
        if let Some(Value::Array(required)) = obj.get_mut("required") {
            required.retain(|r| !never.iter().any(|n| r.as_str() == Some(n)));
        }
    }
    // Recurse into subschemas.
    if let Some(Value::Object(props)) = obj.get_mut("properties") {
        for (name, p) in props.iter_mut() {
            schema(p, &format!("{at}/properties/{}", escape_token(name)))?;
        }
    }
    for key in ["items", "not"] {
        if let Some(sub) = obj.get_mut(key) {
            schema(sub, &format!("{at}/{key}"))?;
        }
    }
    if let Some(sub @ Value::Object(_)) = obj.get_mut("additionalProperties") {
        schema(sub, &format!("{at}/additionalProperties"))?;
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = obj.get_mut(key) {
            for (i, m) in members.iter_mut().enumerate() {
                schema(m, &format!("{at}/{key}/{i}"))?;
            }
        }
    }
    check_keywords(obj, at)
}

/// Checks the JSON types of a schema's keywords. Besides naming the bad keyword, this keeps
/// typing linear: openapiv3 reads schemas through untagged enums, which on a failure deep
/// inside retry every variant at every level above it, exponential in the depth (a 30-deep
/// invalid schema would take hours). With every level well-typed, nothing fails deep inside.
fn check_keywords(obj: &Map<String, Value>, at: &str) -> Result<()> {
    for (key, value) in obj {
        let expected = match key.as_str() {
            "title" | "description" | "format" | "pattern" | "type" | "$ref" => {
                (!value.is_string()).then_some("a string")
            }
            "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties" => {
                (!value.is_u64()).then_some("a non-negative integer")
            }
            "minimum" | "maximum" | "multipleOf" => (!value.is_number()).then_some("a number"),
            "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems" | "exclusiveMinimum"
            | "exclusiveMaximum" => (!value.is_boolean()).then_some("true or false"),
            "required" => (!value.as_array().is_some_and(|a| a.iter().all(Value::is_string)))
                .then_some("a list of property names"),
            "enum" | "allOf" | "oneOf" | "anyOf" => (!value.is_array()).then_some("a list"),
            "properties" | "items" | "not" => (!value.is_object()).then_some("a mapping"),
            "additionalProperties" => {
                (!value.is_object() && !value.is_boolean()).then_some("a schema or true or false")
            }
            "discriminator" => {
                let mapping_ok = value
                    .get("mapping")
                    .is_none_or(|m| m.as_object().is_some_and(|m| m.values().all(Value::is_string)));
                (!(value.get("propertyName").is_some_and(Value::is_string) && mapping_ok))
                    .then_some("a mapping with a string `propertyName` (and string `mapping` values)")
            }
            _ => None,
        };
        if let Some(expected) = expected {
            return Err(Error::at(format!("{at}/{}", escape_token(key)), format!("`{key}` must be {expected}")));
        }
    }
    Ok(())
}

/// The part of a multi-typed schema that applies to `ty`.
fn split_by_type(obj: &mut Map<String, Value>, ty: &str) -> Value {
    let keys: &[&str] = match ty {
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        "object" => &["properties", "required", "additionalProperties"],
        "string" => &["format", "pattern", "minLength", "maxLength", "enum"],
        _ => &["format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"],
    };
    let mut out = Map::new();
    out.insert("type".into(), Value::String(ty.into()));
    for k in keys {
        if let Some(v) = obj.get(*k) {
            out.insert((*k).into(), v.clone());
        }
    }
    Value::Object(out)
}
