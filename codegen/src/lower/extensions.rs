//! What the document says beyond OpenAPI's types, read and checked in one place: the OAuth2
//! token URL, the `x-codegen-*` extensions of the document (`x-codegen-guide`,
//! `x-codegen-modules`) and of operations (`x-rust-name`, `x-codegen-one-or-many`,
//! `x-codegen-poll`). A malformed extension is an error at its pointer.

use openapiv3::{OpenAPI, ReferenceOr};

use super::Lowerer;
use crate::error::{Error, Result};
use crate::ir::*;
use crate::naming::{RustName, snake};

/// The Markdown of the document's `x-codegen-guide`, for the crate's front page.
pub(super) fn guide(doc: &OpenAPI) -> Result<Option<String>> {
    match doc.extensions.get("x-codegen-guide") {
        None => Ok(None),
        Some(serde_json::Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(Error::at("#/x-codegen-guide", "must be a string of Markdown")),
    }
}

/// The hand-written modules the document's `x-codegen-modules` declares:
/// `[{name: tasks, description: ...}]`.
pub(super) fn extra_modules(doc: &OpenAPI) -> Result<Vec<ExtraModule>> {
    let Some(value) = doc.extensions.get("x-codegen-modules") else { return Ok(Vec::new()) };
    let at = "#/x-codegen-modules";
    let Some(items) = value.as_array() else { return Err(Error::at(at, "must be a list of {name, description}")) };
    let mut modules = Vec::new();
    let reserved = ["operations", "types", "runtime"];
    for (i, item) in items.iter().enumerate() {
        let text = |key: &str| item.get(key).and_then(serde_json::Value::as_str).filter(|s| !s.is_empty());
        let (Some(name), Some(description)) = (text("name"), text("description")) else {
            return Err(Error::at(format!("{at}/{i}"), "needs a `name` and a `description`"));
        };
        let valid = name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && snake(name) == name;
        if !valid || reserved.contains(&name) || modules.iter().any(|m: &ExtraModule| m.name == name) {
            return Err(Error::at(
                format!("{at}/{i}/name"),
                format!(
                    "`{name}` is not a free module name (snake case, not a keyword, operations, types or runtime, once)"
                ),
            ));
        }
        modules.push(ExtraModule { name: RustName::new(name), description: description.to_string() });
    }
    Ok(modules)
}

/// The token URL of the first OAuth2 client-credentials flow among the security schemes.
pub(super) fn token_url(doc: &OpenAPI) -> Option<String> {
    doc.components.as_ref()?.security_schemes.values().find_map(|s| match s {
        ReferenceOr::Item(openapiv3::SecurityScheme::OAuth2 { flows, .. }) => {
            flows.client_credentials.as_ref().map(|f| f.token_url.clone())
        }
        _ => None,
    })
}

/// The response header most responses declare that carries a request id (a name with
/// `request-id`, `correlation-id` or `trace-id` in it, case and dashes aside); on a tie, the one
/// met first.
pub(super) fn request_id_header(doc: &OpenAPI) -> Option<String> {
    let mut counts: indexmap::IndexMap<String, usize> = indexmap::IndexMap::new();
    let operations = doc.paths.paths.values().filter_map(|item| item.as_item()).flat_map(|item| item.iter());
    let responses = operations.flat_map(|(_, op)| op.responses.responses.values().chain(&op.responses.default));
    for response in responses.filter_map(|r| r.as_item()) {
        for name in response.headers.keys() {
            let bare: String = name.to_ascii_lowercase().chars().filter(|c| c.is_ascii_alphanumeric()).collect();
            if ["requestid", "correlationid", "traceid"].iter().any(|id| bare.ends_with(id)) {
                *counts.entry(name.to_ascii_lowercase()).or_default() += 1;
            }
        }
    }
    let most = counts.values().copied().max()?;
    counts.into_iter().find(|(_, n)| *n == most).map(|(name, _)| name)
}

/// The method's Rust name: `x-rust-name` when the spec (or an overlay) sets one, else the
/// `operationId` in snake case.
pub(super) fn rust_name_of(op: &openapiv3::Operation, id: &str, at: &str) -> Result<String> {
    match op.extensions.get("x-rust-name") {
        None => Ok(snake(id)),
        Some(serde_json::Value::String(name)) if !name.trim().is_empty() => Ok(snake(name)),
        Some(_) => Err(Error::at(format!("{at}/x-rust-name"), "`x-rust-name` must be a non-empty string")),
    }
}

/// `x-codegen-one-or-many: true`: the JSON array an operation returns may come as one item.
pub(super) fn one_or_many(op: &openapiv3::Operation, success: &Success, at: &str) -> Result<bool> {
    match op.extensions.get("x-codegen-one-or-many") {
        None | Some(serde_json::Value::Bool(false)) => Ok(false),
        Some(serde_json::Value::Bool(true)) if matches!(success, Success::Json(TypeRef::Array(_))) => Ok(true),
        Some(serde_json::Value::Bool(true)) => Err(Error::at(
            format!("{at}/x-codegen-one-or-many"),
            "only an operation that returns a JSON array can accept a single item in its place",
        )),
        Some(_) => Err(Error::at(format!("{at}/x-codegen-one-or-many"), "must be true or false")),
    }
}

impl Lowerer<'_> {
    /// The `x-codegen-poll` helper of an operation, checked against what it returns.
    pub(super) fn poll_of(
        &self,
        op: &openapiv3::Operation,
        success: &Success,
        has_body: bool,
        at: &str,
    ) -> Result<Option<Poll>> {
        let Some(spec) = op.extensions.get("x-codegen-poll") else { return Ok(None) };
        let at = format!("{at}/x-codegen-poll");
        let text = |key: &str| {
            spec.get(key).and_then(serde_json::Value::as_str).filter(|s| !s.is_empty()).ok_or_else(|| {
                Error::at(&at, format!("`{key}` must be a non-empty string (x-codegen-poll: {{method, field, final}})"))
            })
        };
        let (method, field) = (text("method")?, text("field")?);
        let list = |key: &str| match spec.get(key).and_then(serde_json::Value::as_array) {
            Some(values) if !values.is_empty() && values.iter().all(serde_json::Value::is_string) => {
                Ok(values.iter().filter_map(|v| v.as_str().map(str::to_string)).collect::<Vec<_>>())
            }
            _ => Err(Error::at(&at, format!("`{key}` must be a non-empty list of strings"))),
        };
        let until = match (spec.get("final"), spec.get("pending")) {
            (Some(_), None) => PollUntil::Final(list("final")?),
            (None, Some(_)) => PollUntil::NotPending(list("pending")?),
            _ => {
                return Err(Error::at(
                    &at,
                    "give exactly one of `final` (the values that end polling) and `pending` (the values that continue it)",
                ));
            }
        };
        if has_body {
            return Err(Error::at(&at, "a polled operation cannot have a request body"));
        }
        let Success::Json(TypeRef::Named { id, .. }) = success else {
            return Err(Error::at(&at, "a polled operation must return a JSON object of a named type"));
        };
        let answer = self.def(*id);
        let name = answer.name.bare();
        let TypeKind::Struct { fields, .. } = &answer.kind else {
            return Err(Error::at(&at, format!("`{name}`, which the operation returns, is not an object")));
        };
        let Some(f) = fields.iter().find(|f| f.name == field) else {
            return Err(Error::at(&at, format!("`{name}` has no field `{field}`")));
        };
        let stringy = match f.ty.non_null() {
            TypeRef::String => true,
            TypeRef::Named { id, .. } => matches!(self.def(*id).kind, TypeKind::Enum { .. }),
            _ => false,
        };
        if !stringy {
            return Err(Error::at(&at, format!("`{name}.{field}` must be a string or a string enum")));
        }
        Ok(Some(Poll {
            rust_name: RustName::new(snake(method)),
            field: field.to_string(),
            field_rust_name: f.rust_name.clone(),
            field_optional: !f.required || matches!(f.ty, TypeRef::Nullable(_)),
            until,
        }))
    }
}
