//! Pass: the spec's error type, the named type most error responses (4xx, 5xx, `default`)
//! carry; on a tie, the one met first. The client reads an `ApiError`'s body as it.

use indexmap::IndexMap;

use crate::ir::{Api, TypeId, TypeRef};

pub(super) fn choose_error_type(api: &mut Api) {
    let mut counts: IndexMap<TypeId, usize> = IndexMap::new();
    let errors = api.operations().flat_map(|op| &op.responses).filter(|r| !r.status.is_success());
    for body in errors.filter_map(|r| r.body.as_ref()) {
        if let TypeRef::Named { id, .. } = body.ty {
            *counts.entry(id).or_default() += 1;
        }
    }
    let most = counts.values().copied().max();
    api.error_type = counts.into_iter().find(|(_, n)| Some(*n) == most).map(|(id, _)| id);
}
