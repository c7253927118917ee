//! Pass: names of shared inline types. An inline type that several places declare alike is one
//! type (identity by value, `TypeKind: Eq + Hash`); it takes its short name (`Priority` rather
//! than `ScheduleDetailPriority`) when no other type has it, and every reference follows.

use std::collections::HashMap;

use super::Lowerer;
use crate::ir::{Group, Success, TypeDef, TypeRef};
use crate::naming::type_name;

impl Lowerer<'_> {
    /// New names for inline types that several places share: the short name (`Priority` for
    /// `ScheduleDetailPriority`) when no other type has it, in type order so the choice is stable.
    pub(super) fn short_names_for_shared_types(&mut self) -> HashMap<String, String> {
        let mut renames = HashMap::new();
        for def in &self.types {
            let Some(short) = self.shared.get(&def.name) else { continue };
            let candidate = type_name(short);
            if !self.scope.contains(&candidate) {
                renames.insert(def.name.clone(), self.scope.claim(candidate));
            }
        }
        renames
    }
}

/// Applies `renames` to every type definition and every reference in types and operations.
pub(super) fn rename_types(types: &mut [TypeDef], groups: &mut [Group], renames: &HashMap<String, String>) {
    if renames.is_empty() {
        return;
    }
    let rename = |ty: &mut TypeRef| rename_ref(ty, renames);
    for t in types.iter_mut() {
        if let Some(new) = renames.get(&t.name) {
            t.name = new.clone();
        }
        t.kind.refs_mut().into_iter().for_each(rename);
    }
    for op in groups.iter_mut().flat_map(|g| g.operations.iter_mut()) {
        op.params.iter_mut().for_each(|p| rename(&mut p.ty));
        op.body.iter_mut().for_each(|b| rename(&mut b.ty));
        op.responses.iter_mut().filter_map(|r| r.body.as_mut()).for_each(|b| rename(&mut b.ty));
        if let Success::Json(ty) = &mut op.success {
            rename(ty);
        }
    }
}

fn rename_ref(ty: &mut TypeRef, renames: &HashMap<String, String>) {
    match ty {
        TypeRef::Named { name, .. } => {
            if let Some(new) = renames.get(name) {
                *name = new.clone();
            }
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => rename_ref(inner, renames),
        _ => {}
    }
}
