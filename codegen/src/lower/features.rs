//! Pass: a cargo feature per group, and for each type the groups that need it, so that a program
//! that uses a few groups of a large API compiles only those groups' operations and types. A
//! group needs the types its operations name (parameters, bodies, responses, page items) and
//! every type those name in turn; a type that every group needs, that no group needs, or that
//! the crate itself needs (the error type) is always compiled.

use std::collections::BTreeSet;

use crate::ir::walk::each_op_ref;
use crate::ir::*;

/// Features every generated crate has already (`Cargo.toml`), which no group may take.
const RESERVED: &[&str] = &["default", "mock", "cli"];

pub(super) fn assign_features(api: &mut Api) {
    let mut taken: BTreeSet<String> = RESERVED.iter().map(|s| s.to_string()).collect();
    for group in &mut api.groups {
        let mut name = group.module.bare().to_string();
        while taken.contains(&name) {
            name.push_str("_api");
        }
        taken.insert(name.clone());
        group.feature = name;
    }
    // Each type's direct references to named types.
    let edges: Vec<Vec<usize>> = api
        .types
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut out = Vec::new();
            t.kind.each_ref(TypeId(i as u32), &mut |_, r| named(r, &mut out));
            out
        })
        .collect();
    let reach = |roots: Vec<usize>, seen: &mut Vec<bool>| {
        let mut stack = roots;
        while let Some(i) = stack.pop() {
            if !std::mem::replace(&mut seen[i], true) {
                stack.extend(&edges[i]);
            }
        }
    };
    let mut always = vec![false; api.types.len()];
    reach(api.error_type.iter().map(|id| id.index()).collect(), &mut always);
    let mut needed: Vec<Vec<usize>> = vec![Vec::new(); api.types.len()];
    for (g, group) in api.groups.iter().enumerate() {
        let mut roots = Vec::new();
        for op in &group.operations {
            each_op_ref(op, &mut |_, r| named(r, &mut roots));
        }
        let mut seen = vec![false; api.types.len()];
        reach(roots, &mut seen);
        for (i, _) in seen.iter().enumerate().filter(|(_, s)| **s) {
            needed[i].push(g);
        }
    }
    let groups = api.groups.len();
    for (i, t) in api.types.iter_mut().enumerate() {
        let by = &needed[i];
        t.features = if always[i] || by.is_empty() || by.len() == groups {
            Vec::new()
        } else {
            by.iter().map(|g| api.groups[*g].feature.clone()).collect()
        };
    }
}

/// The named types `r` refers to, nested references included.
fn named(r: &TypeRef, out: &mut Vec<usize>) {
    r.walk(&mut |x| {
        if let TypeRef::Named { id, .. } = x {
            out.push(id.index());
        }
    });
}
