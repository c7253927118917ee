//! Pass: what each operation brings besides its method. A list operation with `offset` and
//! `limit` (or `page` and `pageSize`) query parameters gets a page stream, with its plan resolved
//! here: how pages are counted, where the call takes the position and the size. The page
//! streams and poll helpers are named in their group's scope, after every operation kept its
//! name; each operation's descriptor (a static of its group's module) is named too.

use crate::ir::*;
use crate::naming::{Scope, snake};

use super::operations::GROUP_RESERVED;

pub(super) fn plan_helpers(api: &mut Api) {
    for group in &mut api.groups {
        let mut methods = Scope::with_reserved(GROUP_RESERVED);
        for op in &group.operations {
            methods.claim(op.rust_name.raw().to_string());
        }
        let mut statics = Scope::default();
        for op in &mut group.operations {
            op.descriptor = statics.claim(RustName::new(snake(&op.id)).screaming().raw().to_string());
            op.pagination = pagination_of(op).map(|mut paging| {
                paging.rust_name = methods.claim(op.rust_name.suffixed("_stream"));
                paging
            });
            if let Some(poll) = &mut op.poll {
                poll.rust_name = methods.claim(poll.rust_name.raw().to_string());
            }
        }
    }
}

/// Paging: a JSON array returned, no body, and query parameters `offset` and `limit`, or `page`
/// and `pageSize` (`page_size`), that are integers or strings (the Alteryx spec types `offset`
/// and `limit` as strings). The stream's name is given by the caller.
fn pagination_of(op: &Operation) -> Option<Pagination> {
    let Success::Json(TypeRef::Array(item)) = &op.success else { return None };
    if op.body.is_some() {
        return None;
    }
    let find = |names: &[&str]| {
        op.params.iter().position(|p| {
            p.location == ParamLocation::Query
                && names.iter().any(|n| p.name.eq_ignore_ascii_case(n))
                && matches!(p.ty, TypeRef::String | TypeRef::Integer { .. })
        })
    };
    let (kind, position, size) = match (find(&["offset"]), find(&["limit"])) {
        (Some(offset), Some(limit)) => (PageKind::Offset, offset, limit),
        _ => (PageKind::Number, find(&["page"])?, find(&["pageSize", "page_size"])?),
    };
    let slot = |index: usize| {
        let p = &op.params[index];
        let place = match (p.required, op.params_type.is_some()) {
            (false, _) => SlotPlace::Options,
            (true, true) => SlotPlace::Params,
            (true, false) => SlotPlace::Argument,
        };
        PageSlot { param: index, name: p.name.clone(), rust_name: p.rust_name.clone(), place }
    };
    Some(Pagination {
        kind,
        position: slot(position),
        size: slot(size),
        rust_name: RustName::default(),
        item: (**item).clone(),
    })
}
