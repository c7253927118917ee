//! The IR as a compact, human-readable API surface: what a reviewer reads first when the spec
//! changes. One block per operation (method, path, parameters, body, responses, return type), one
//! block per type. The insta snapshot of this text is the first diff of a spec update.

use std::fmt::Write;

use crate::ir::*;

/// A type reference in surface notation: `[T]` arrays, `{T}` maps, `T | null`, `Box<T>`.
pub fn type_text(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named { id, boxed: true } => format!("Box<{}>", api.type_name(*id)),
        TypeRef::Named { id, .. } => api.type_name(*id).to_string(),
        TypeRef::String => "string".into(),
        TypeRef::DateTime => "date-time".into(),
        TypeRef::Date => "date".into(),
        TypeRef::Uuid => "uuid".into(),
        TypeRef::Binary => "binary".into(),
        TypeRef::Base64 => "base64".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::Integer { bits, unsigned } => format!("{}{bits}", if *unsigned { "u" } else { "i" }),
        TypeRef::Number { bits } => format!("f{bits}"),
        TypeRef::Array(inner) => format!("[{}]", type_text(api, inner)),
        TypeRef::Map(inner) => format!("{{string: {}}}", type_text(api, inner)),
        TypeRef::Any => "any".into(),
        TypeRef::Nullable(inner) => format!("{} | null", type_text(api, inner)),
    }
}

fn one_line(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 90 { format!("{}…", s.chars().take(89).collect::<String>()) } else { s }
}

/// Renders the whole API surface.
pub fn render(api: &Api) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "api {:?} version {:?}", api.title, api.version);
    if let Some(s) = &api.server {
        let vars: Vec<String> = s.variables.iter().map(|v| format!("{} = {:?}", v.name, v.default)).collect();
        let _ = writeln!(o, "server {} ({})", s.url, vars.join(", "));
    }
    if let Some(t) = &api.token_url {
        let _ = writeln!(o, "oauth2 client credentials, token {t}");
    }
    if let Some(h) = &api.request_id_header {
        let _ = writeln!(o, "request id header {h}");
    }
    if let Some(t) = api.error_type {
        let _ = writeln!(o, "error responses {}", api.type_name(t));
    }
    for m in &api.modules {
        let _ = writeln!(o, "hand-written module {}: {}", m.name, one_line(&m.description));
    }
    for g in &api.groups {
        let _ = writeln!(o, "\ngroup {} (tag {:?}) client.{}()", g.type_name, g.tag, g.module);
        for op in &g.operations {
            operation(&mut o, api, op);
        }
    }
    for t in &api.types {
        type_def(&mut o, api, t);
    }
    o
}

fn operation(o: &mut String, api: &Api, op: &Operation) {
    let dep = if op.deprecated { " deprecated" } else { "" };
    let _ = writeln!(o, "\n  {} {}  {} -> {}(){dep}", op.method, op.path, op.id, op.rust_name);
    if let Some(s) = &op.summary {
        let _ = writeln!(o, "    summary: {}", one_line(s));
    }
    for p in &op.params {
        let loc = p.location;
        let req = if p.required { "" } else { "?" };
        let style = match (p.location, p.style) {
            (ParamLocation::Query, ParamStyle::FormComma) => " (comma-separated)",
            (ParamLocation::Query, ParamStyle::SpaceDelimited) => " (space-separated)",
            (ParamLocation::Query, ParamStyle::PipeDelimited) => " (pipe-separated)",
            (ParamLocation::Query, ParamStyle::DeepObject) => " (deepObject)",
            _ => "",
        };
        let _ = writeln!(o, "    {loc} {}{req}: {}{style}  as {}", p.name, type_text(api, &p.ty), p.rust_name);
    }
    if let Some(t) = &op.params_type {
        let _ = writeln!(o, "    params {t}");
    }
    if let Some(t) = &op.options_type {
        let _ = writeln!(o, "    options {t}");
    }
    if let Some(b) = &op.body {
        let req = if b.required { "" } else { " (optional)" };
        let _ = writeln!(o, "    body {}: {}{req}", b.media_type, type_text(api, &b.ty));
    }
    for r in &op.responses {
        let body =
            r.body.as_ref().map(|b| format!(" -> {} {}", b.media_type, type_text(api, &b.ty))).unwrap_or_default();
        let _ = writeln!(o, "    {} {}{body}", r.status, one_line(&r.description));
    }
    let ret = match &op.success {
        Success::Empty => "()".to_string(),
        Success::Json(t) => type_text(api, t),
        Success::Text => "text".into(),
        Success::Bytes => "bytes".into(),
    };
    let _ = writeln!(o, "    returns {ret}");
    if op.one_or_many {
        let _ = writeln!(o, "    accepts a single item as a list of one");
    }
    if let Some(p) = &op.poll {
        let rule = match &p.until {
            crate::ir::PollUntil::Final(v) => format!("is {}", v.join("|")),
            crate::ir::PollUntil::NotPending(v) => format!("is not {}", v.join("|")),
        };
        let _ = writeln!(o, "    polls until {} {rule} -> {}()", p.field, p.rust_name);
    }
    if let Some(p) = &op.pagination {
        let _ = writeln!(o, "    pages by {} -> {}()", p.describe(), p.rust_name);
    }
}

fn type_def(o: &mut String, api: &Api, t: &TypeDef) {
    let dep = if t.deprecated { " deprecated" } else { "" };
    let kind = match &t.kind {
        TypeKind::Struct { .. } => "struct",
        TypeKind::Multipart { .. } => "multipart",
        TypeKind::Enum { .. } => "enum",
        TypeKind::Alias(_) => "alias",
        TypeKind::OneOf { discriminator: Some(_), .. } => "tagged union",
        TypeKind::OneOf { .. } => "union",
    };
    let _ = writeln!(o, "\ntype {} {kind}{dep}  {}", t.name, t.pointer);
    if let Some(required) = &t.required_fields {
        let _ = writeln!(o, "  new({required} {{ required fields }})");
    }
    match &t.kind {
        TypeKind::Struct { fields, additional } => {
            fields_text(o, api, fields);
            if let Some(a) = additional {
                let _ = writeln!(o, "  ...: {}", type_text(api, a));
            }
        }
        TypeKind::Multipart { fields } => fields_text(o, api, fields),
        TypeKind::Enum { variants } => {
            for v in variants {
                let _ = writeln!(o, "  {:?} as {}", v.value, v.rust_name);
            }
        }
        TypeKind::Alias(ty) => {
            let _ = writeln!(o, "  = {}", type_text(api, ty));
        }
        TypeKind::OneOf { variants, discriminator } => {
            if let Some(d) = discriminator {
                let _ = writeln!(o, "  discriminator {d}");
            }
            for v in variants {
                let tag = v.tag.as_ref().map(|t| format!(" when {t:?}")).unwrap_or_default();
                let _ = writeln!(o, "  {}({}){tag}", v.rust_name, type_text(api, &v.ty));
            }
        }
    }
}

fn fields_text(o: &mut String, api: &Api, fields: &[Field]) {
    for f in fields {
        let req = if f.required { "" } else { "?" };
        let rename = if f.rust_name.bare() == f.name { String::new() } else { format!("  as {}", f.rust_name) };
        let mut flags = String::new();
        if f.read_only {
            flags.push_str(" read-only");
        }
        if f.deprecated {
            flags.push_str(" deprecated");
        }
        if let Some(default) = &f.default {
            flags.push_str(&format!(" default {default}"));
        }
        let _ = writeln!(o, "  {}{req}: {}{rename}{flags}", f.name, type_text(api, &f.ty));
    }
}
