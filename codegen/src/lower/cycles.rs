//! Pass: cycle analysis. A field whose named type leads back to its own struct without an
//! indirection (a `Vec` or a map) on the way is boxed, or the type would have infinite size.

use std::collections::{HashMap, HashSet};

use crate::ir::{TypeDef, TypeRef};

/// Marks the fields whose named type leads back to their own struct without an indirection
/// (a `Vec` or map) on the way: those must be boxed. Uses strongly connected components.
pub(super) fn mark_boxes(types: &mut [TypeDef]) {
    let index: HashMap<&str, usize> = types.iter().enumerate().map(|(i, t)| (t.name.as_str(), i)).collect();
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            let mut add = |ty: &TypeRef| {
                if let Some(n) = direct_name(ty)
                    && let Some(&j) = index.get(n)
                {
                    out.push(j);
                }
            };
            t.kind.refs().into_iter().for_each(&mut add);
            out
        })
        .collect();
    let scc = components(&edges);
    let cyclic: HashSet<usize> = (0..types.len()).filter(|&i| edges[i].iter().any(|&j| scc[j] == scc[i])).collect();
    let names: Vec<String> = types.iter().map(|t| t.name.clone()).collect();
    for (i, t) in types.iter_mut().enumerate() {
        if !cyclic.contains(&i) {
            continue;
        }
        let in_cycle = |ty: &TypeRef| {
            direct_name(ty).and_then(|n| names.iter().position(|m| m == n)).is_some_and(|j| scc[j] == scc[i])
        };
        let mark = |ty: &mut TypeRef| {
            if in_cycle(ty) {
                set_boxed(ty);
            }
        };
        t.kind.refs_mut().into_iter().for_each(mark);
    }
}

fn direct_name(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named { name, .. } => Some(name),
        TypeRef::Nullable(inner) => direct_name(inner),
        _ => None,
    }
}

fn set_boxed(ty: &mut TypeRef) {
    match ty {
        TypeRef::Named { boxed, .. } => *boxed = true,
        TypeRef::Nullable(inner) => set_boxed(inner),
        _ => {}
    }
}

/// Tarjan's algorithm, iterative: the component number of each node.
fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let (mut index, mut low, mut comp) = (vec![usize::MAX; n], vec![0; n], vec![usize::MAX; n]);
    let (mut stack, mut on_stack, mut counter, mut ncomp) = (Vec::new(), vec![false; n], 0, 0);
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut next)) = work.last_mut() {
            if *next == 0 {
                index[v] = counter;
                low[v] = counter;
                counter += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if *next < edges[v].len() {
                let w = edges[v][*next];
                *next += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = ncomp;
                    if w == v {
                        break;
                    }
                }
                ncomp += 1;
            }
        }
    }
    comp
}
