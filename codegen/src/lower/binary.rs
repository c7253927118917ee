//! `format: binary` inside JSON. Raw bytes cannot travel in a JSON document, so a binary
//! string there is whatever text the API put in it: the client reads and writes it as a
//! `String`. Raw bytes stay `Bytes` where they are raw: whole request and response bodies,
//! and file parts of multipart forms.

use crate::ir::{Api, BodyEncoding, Success, TypeKind, TypeRef};

/// Rewrites every `Binary` reachable from JSON to `String`.
pub(super) fn binary_in_json_is_text(api: &mut Api) {
    // File parts of multipart forms are the one place raw bytes belong in a schema.
    for t in api.types.iter_mut().filter(|t| !matches!(t.kind, TypeKind::Multipart { .. })) {
        t.kind.refs_mut().into_iter().for_each(as_text);
    }
    for op in api.groups.iter_mut().flat_map(|g| g.operations.iter_mut()) {
        if let Some(body) = &mut op.body
            && matches!(body.encoding, BodyEncoding::Json | BodyEncoding::Form)
        {
            as_text(&mut body.ty);
        }
        if let Success::Json(ty) = &mut op.success {
            as_text(ty);
        }
        for body in op.responses.iter_mut().filter_map(|r| r.body.as_mut()) {
            if body.encoding == BodyEncoding::Json {
                as_text(&mut body.ty);
            }
        }
    }
}

fn as_text(ty: &mut TypeRef) {
    match ty {
        TypeRef::Binary => *ty = TypeRef::String,
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => as_text(inner),
        _ => {}
    }
}
