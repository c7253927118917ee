//! A valid command line for every operation of an IR, as the generated `cli` module parses it:
//! `<group> <command>`, a value for each path parameter and each required flag, a body whose
//! required fields are filled from the schema (a tagged union's first member with its tag), the
//! required parts (files from a given path), `--out` for a download and `--all` for a paged list.
//! The command-line contract tests call every operation with it, so an operation a spec update
//! adds is called (or fails the suite) without anyone writing its call.

use std::path::Path;

use codegen::ir::{Api, CliArg, CliBody, CliValue, Operation, PageStyle, ParamLocation, Success, TypeKind, TypeRef};
use serde_json::{Map, Value, json};

/// The id every path parameter of text takes.
pub const ID: &str = "6512a7c3e4b0a1b2c3d4e5f6";

/// The arguments after the program's name (and `api`) that call `op` of `group`: `file` is sent
/// for each file part and binary body, `out` receives a binary answer.
pub fn invocation(api: &Api, group: &str, op: &Operation, file: &Path, out: &Path) -> Vec<String> {
    let mut args = vec![group.to_string(), op.cli.name.clone()];
    let page_size = op.pagination.as_ref().and_then(|p| match &p.style {
        PageStyle::Counted { size, .. } => Some(size.param),
        _ => None,
    });
    for (i, (p, arg)) in op.params.iter().zip(&op.cli.params).enumerate() {
        if page_size == Some(i) && p.required {
            // Full pages would be asked for again, as long as a generated answer fills them.
            args.push(format!("--{}=100", arg.name));
        } else if p.location == ParamLocation::Path {
            args.push(text(api, arg.value, &p.ty));
        } else if p.required {
            args.push(format!("--{}={}", arg.name, text(api, arg.value, item_of(&p.ty, arg))));
        }
    }
    match (&op.body, &op.cli.body) {
        (Some(body), Some(CliBody::Document { .. })) if body.required => {
            args.push("--body".into());
            args.push(sample(api, &body.ty, 0).to_string());
        }
        (Some(body), Some(CliBody::Parts(parts))) => {
            let fields = body.ty.direct_id().map(|id| api.ty(id).kind.fields().to_vec()).unwrap_or_default();
            for (field, arg) in fields.iter().zip(parts).filter(|(f, _)| f.required) {
                let value = match arg.value {
                    CliValue::File => file.display().to_string(),
                    CliValue::Json => sample(api, item_of(&field.ty, arg), 0).to_string(),
                    value => text(api, value, item_of(&field.ty, arg)),
                };
                args.push(format!("--{}={value}", arg.name));
            }
        }
        (Some(body), Some(CliBody::Raw)) if body.required => {
            args.push("--body".into());
            args.push(file.display().to_string());
        }
        _ => {}
    }
    if op.success == Success::Bytes {
        args.push("--out".into());
        args.push(out.display().to_string());
    }
    if op.pagination.is_some() {
        args.push("--all".into());
    }
    args
}

/// A list's item when the flag is repeated.
fn item_of<'a>(ty: &'a TypeRef, arg: &CliArg) -> &'a TypeRef {
    match (arg.repeated, ty.non_null()) {
        (true, TypeRef::Array(item)) => item,
        (_, ty) => ty,
    }
}

/// A value of a kind, as text on the command line.
fn text(api: &Api, value: CliValue, ty: &TypeRef) -> String {
    match value {
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

/// A JSON value of `ty` with its required fields (to a depth of 8).
pub fn sample(api: &Api, ty: &TypeRef, depth: usize) -> Value {
    match ty {
        TypeRef::String => json!("Finance"),
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
                for f in fields.iter().filter(|f| f.required && depth < 8) {
                    // The IR keeps no string formats; the spec's `email` fields are named so.
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
