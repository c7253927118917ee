//! A valid command line for an operation, as a generated crate's `cli` module parses it:
//! `<group> <command>`, a value for each path parameter and each required flag, a body, the
//! required parts (files from a given path), `--out` for a download and `--all` for a paged
//! list. The values come from the spec ([`Samples`]: its examples, else values its schemas
//! allow); where the document has no node for a value, from the IR's type. The contract runs
//! and tests call every operation with it, so an operation a spec update adds is called (or
//! fails the run) without anyone writing its call.

use std::path::Path;

use serde_json::{Map, Value, json};

use super::samples::{ID, Samples};
use crate::ir::{Api, CliArg, CliBody, CliValue, Operation, PageStyle, ParamLocation, Success, TypeKind, TypeRef};

/// The arguments after the program's name (and `api`) that call `op` of `group`: `file` is sent
/// for each file part and binary body, `out` receives a binary answer.
pub fn invocation(api: &Api, samples: &Samples, group: &str, op: &Operation, file: &Path, out: &Path) -> Vec<String> {
    let mut args = vec![group.to_string(), op.cli.name.clone()];
    let page_size = op.pagination.as_ref().and_then(|p| match &p.style {
        PageStyle::Counted { size, .. } => Some(size.param),
        _ => None,
    });
    for (i, (p, arg)) in op.params.iter().zip(&op.cli.params).enumerate() {
        let value = || samples.parameter(op, p);
        if page_size == Some(i) && p.required {
            // Full pages would be asked for again, as long as a generated answer fills them.
            args.push(format!("--{}={}", arg.name, samples.page_size(op, p)));
        } else if p.location == ParamLocation::Path {
            // A list given for a single value: its first item (a list parameter takes it whole).
            let single = !matches!(p.ty.non_null(), TypeRef::Array(_));
            let value = value().map(|v| match v {
                Value::Array(list) if single => list.into_iter().next(),
                v => Some(v),
            });
            args.push(text(api, arg.value, &p.ty, value.flatten()));
        } else if p.required {
            flag(api, &mut args, arg, &p.ty, value());
        }
    }
    body(api, samples, op, file, &mut args);
    if op.success == Success::Bytes {
        args.push("--out".into());
        args.push(out.display().to_string());
    }
    if op.pagination.is_some() {
        args.push("--all".into());
    }
    args
}

/// `--name=value`, repeated for each item of a list.
fn flag(api: &Api, args: &mut Vec<String>, arg: &CliArg, ty: &TypeRef, value: Option<Value>) {
    match (arg.repeated, value) {
        (true, Some(Value::Array(items))) if !items.is_empty() => {
            let item = item_of(ty, arg);
            for v in items {
                args.push(format!("--{}={}", arg.name, text(api, arg.value, item, Some(v))));
            }
        }
        (_, value) => {
            let value = value.filter(|v| !v.is_array() || !arg.repeated);
            args.push(format!("--{}={}", arg.name, text(api, arg.value, item_of(ty, arg), value)));
        }
    }
}

fn body(api: &Api, samples: &Samples, op: &Operation, file: &Path, args: &mut Vec<String>) {
    let Some(body) = &op.body else { return };
    match &op.cli.body {
        Some(CliBody::Document { .. }) if body.required => {
            let value = samples.body(op, &body.media_type).unwrap_or_else(|| sample(api, &body.ty, 0));
            args.push("--body".into());
            args.push(value.to_string());
        }
        Some(CliBody::Parts(parts)) => {
            let fields = body.ty.direct_id().map(|id| api.ty(id).kind.fields().to_vec()).unwrap_or_default();
            // A required form whose parts are all optional still needs one: the first.
            let none_required = body.required && !fields.iter().any(|f| f.required);
            let sent = |i: usize, f: &crate::ir::Field| f.required || (none_required && i == 0);
            let chosen = fields.iter().zip(parts).enumerate().filter(|(i, (f, _))| sent(*i, f)).map(|(_, pair)| pair);
            for (field, arg) in chosen {
                let value = samples.body_property(op, &body.media_type, &field.name);
                match arg.value {
                    CliValue::File => args.push(format!("--{}={}", arg.name, file.display())),
                    _ => flag(api, args, arg, &field.ty, value),
                }
            }
        }
        Some(CliBody::Raw) if body.required => {
            args.push("--body".into());
            args.push(file.display().to_string());
        }
        _ => {}
    }
}

/// A list's item when the flag is repeated.
fn item_of<'a>(ty: &'a TypeRef, arg: &CliArg) -> &'a TypeRef {
    match (arg.repeated, ty.non_null()) {
        (true, TypeRef::Array(item)) => item,
        (_, ty) => ty,
    }
}

/// `value` as the command line's text for a value of kind `kind`, when it is one; else a value
/// of that kind made from the IR's type.
fn text(api: &Api, kind: CliValue, ty: &TypeRef, value: Option<Value>) -> String {
    let fits = value.and_then(|v| match (kind, v) {
        (CliValue::Json | CliValue::File, v) => Some(v.to_string()),
        (CliValue::Bool, Value::Bool(b)) => Some(b.to_string()),
        (CliValue::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        (CliValue::Unsigned, Value::Number(n)) if n.is_u64() => Some(n.to_string()),
        (CliValue::Number, Value::Number(n)) => Some(n.to_string()),
        (CliValue::Enum(id), Value::String(s)) => match &api.ty(id).kind {
            TypeKind::Enum { variants } if variants.iter().any(|v| v.value == s) => Some(s),
            _ => None,
        },
        (CliValue::Text, Value::String(s)) => Some(s),
        (CliValue::Text, v @ (Value::Number(_) | Value::Bool(_))) => Some(v.to_string()),
        (CliValue::DateTime | CliValue::Date | CliValue::Uuid | CliValue::Base64, Value::String(s)) => Some(s),
        _ => None,
    });
    fits.unwrap_or_else(|| made(api, kind, ty))
}

/// A value of a kind, as text on the command line, from the IR alone.
fn made(api: &Api, kind: CliValue, ty: &TypeRef) -> String {
    match kind {
        CliValue::Text => ID.into(),
        CliValue::Bool => "true".into(),
        CliValue::Integer | CliValue::Unsigned => "1".into(),
        CliValue::Number => "1.5".into(),
        CliValue::DateTime => "2027-01-15T10:30:00Z".into(),
        CliValue::Date => "2027-01-15".into(),
        CliValue::Uuid => "3f2b8c1e-7d4a-4e2b-9c1d-5a6b7c8d9e0f".into(),
        CliValue::Base64 => "aGVsbG8=".into(),
        CliValue::Enum(id) => match &api.ty(id).kind {
            TypeKind::Enum { variants } => variants[0].value.clone(),
            _ => ID.into(),
        },
        CliValue::Json | CliValue::File => sample(api, ty, 0).to_string(),
    }
}

/// A JSON value of `ty` with its required fields (to a depth of 8), from the IR alone.
pub fn sample(api: &Api, ty: &TypeRef, depth: usize) -> Value {
    match ty {
        TypeRef::String => json!(ID),
        TypeRef::DateTime => json!("2027-01-15T10:30:00Z"),
        TypeRef::Date => json!("2027-01-15"),
        TypeRef::Uuid => json!("3f2b8c1e-7d4a-4e2b-9c1d-5a6b7c8d9e0f"),
        TypeRef::Binary | TypeRef::Base64 => json!("aGVsbG8="),
        TypeRef::Bool => json!(true),
        TypeRef::Integer { .. } => json!(1),
        TypeRef::Number { .. } => json!(1.5),
        TypeRef::Array(item) if depth < 8 => json!([sample(api, item, depth + 1)]),
        TypeRef::Array(_) => json!([]),
        TypeRef::Map(_) | TypeRef::Any => json!({}),
        TypeRef::Nullable(inner) => sample(api, inner, depth),
        TypeRef::Named { id, .. } => match &api.ty(*id).kind {
            TypeKind::Enum { variants } => json!(variants[0].value),
            TypeKind::Alias(target) => sample(api, target, depth),
            TypeKind::Struct { fields, .. } | TypeKind::Multipart { fields } => {
                let mut object = Map::new();
                for f in fields.iter().filter(|f| f.required && !f.read_only && depth < 8) {
                    let value = match &f.ty {
                        TypeRef::String if f.name.to_ascii_lowercase().contains("email") => json!("ann@example.com"),
                        ty => sample(api, ty, depth + 1),
                    };
                    object.insert(f.name.clone(), value);
                }
                Value::Object(object)
            }
            TypeKind::OneOf { variants, discriminator } => {
                let first = &variants[0];
                let mut value = sample(api, &first.ty, depth + 1);
                if let (Some(property), Some(tag), Value::Object(object)) = (discriminator, &first.tag, &mut value) {
                    object.insert(property.clone(), json!(tag));
                }
                value
            }
        },
    }
}
