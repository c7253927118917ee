//! Pass: cycle analysis. A field whose named type leads back to its own struct without an
//! indirection (a `Vec` or a map) on the way is boxed, or the type would have infinite size.

use crate::ir::{Api, TypeId, TypeRef};

/// Marks the fields whose named type leads back to their own struct without an indirection
/// (a `Vec` or map) on the way: those must be boxed. Uses strongly connected components.
pub(super) fn mark_boxes(api: &mut Api) {
    let edges: Vec<Vec<usize>> = api
        .types
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut out = Vec::new();
            t.kind.each_ref(TypeId(i as u32), &mut |_, ty| out.extend(ty.direct_id().map(TypeId::index)));
            out
        })
        .collect();
    let scc = components(&edges);
    for (i, t) in api.types.iter_mut().enumerate() {
        if !edges[i].iter().any(|&j| scc[j] == scc[i]) {
            continue;
        }
        t.kind.each_ref_mut(TypeId(i as u32), &mut |_, ty| {
            if ty.direct_id().is_some_and(|j| scc[j.index()] == scc[i]) {
                set_boxed(ty);
            }
        });
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
