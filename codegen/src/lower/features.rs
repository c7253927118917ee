//! Pass: a cargo feature per group, and for each type the groups that need it, so that a program
//! that uses a few groups of a large API compiles only those groups' operations and types. A
//! group needs the types its operations name (parameters, bodies, responses, page items) and
//! every type those name in turn. The schemas no operation uses (GitHub's webhook payloads) have
//! a feature of their own, `other_schemas`. A type that every feature needs, or that the crate
//! itself needs (the error type), is always compiled, and so is every type it names.

use std::collections::BTreeSet;

use crate::ir::walk::each_op_ref;
use crate::ir::*;

/// Features every generated crate has already (`Cargo.toml`), which no group may take.
const RESERVED: &[&str] = &["default", "mock", "cli"];
/// The feature of the schemas no operation uses.
const UNUSED_SCHEMAS: &str = "other_schemas";

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
    // Which features need each type: each group's (by its operations), and the feature of the
    // schemas no operation uses (webhook payloads...), as one more group.
    let mut features: Vec<String> = api.groups.iter().map(|g| g.feature.clone()).collect();
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
    let error: Vec<usize> = api.error_type.iter().map(|id| id.index()).collect();
    let unused: Vec<usize> = (0..api.types.len()).filter(|i| needed[*i].is_empty() && !error.contains(i)).collect();
    api.unused_schemas_feature = None;
    if !unused.is_empty() && !api.groups.is_empty() {
        let mut name = UNUSED_SCHEMAS.to_string();
        while taken.contains(&name) {
            name.push('_');
        }
        let mut seen = vec![false; api.types.len()];
        reach(unused, &mut seen);
        for (i, _) in seen.iter().enumerate().filter(|(_, s)| **s) {
            needed[i].push(features.len());
        }
        features.push(name.clone());
        api.unused_schemas_feature = Some(name);
    }
    // Always compiled: the error type, the types every feature needs, and whatever those name.
    let mut roots = error;
    roots.extend((0..api.types.len()).filter(|i| needed[*i].is_empty() || needed[*i].len() == features.len()));
    let mut always = vec![false; api.types.len()];
    reach(roots, &mut always);
    for (i, t) in api.types.iter_mut().enumerate() {
        t.features = if always[i] { Vec::new() } else { needed[i].iter().map(|f| features[*f].clone()).collect() };
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
