//! Stage 7: the typed OpenAPI document → the IR. The only module that reads `openapiv3` types.
//!
//! Lowering runs in two steps. The `Lowerer` reads the document once: components and inline
//! schemas become named types in an arena (`schemas.rs`, `all_of.rs`), paths become operations
//! (`operations.rs`), extensions are read and checked (`extensions.rs`), and every name is
//! decided in one scope of type names. Then [`PASSES`], plain functions over the whole [`Api`],
//! run in order on final names: that list is the one place to see what is derived after reading.

use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr, Schema};
use std::collections::HashMap;

use crate::error::{Result, escape_token};
use crate::ir::walk::each_ref_mut;
use crate::ir::*;
use crate::naming::{Scope, snake, type_name};

mod all_of;
mod binary;
mod cli;
mod cycles;
mod error_type;
mod extensions;
mod features;
mod helpers;
mod operations;
mod paging;
mod resolve;
mod schemas;
mod wire;

pub use cli::RESERVED_FLAGS;
use resolve::{follow, resolve};

/// A pass over the whole IR: what it does, and the function.
pub type Pass = (&'static str, fn(&mut Api));

/// The passes over the whole IR, in the order they run, after the document has been read.
pub const PASSES: &[Pass] = &[
    ("helpers: page streams and descriptors", helpers::plan_helpers),
    ("cycles: box the fields on a cycle", cycles::mark_boxes),
    ("binary: bytes inside JSON become text", binary::binary_in_json_is_text),
    ("wire: how each parameter and part travels", wire::decide_encodings),
    ("cli: the command line's names and value kinds", cli::plan_commands),
    ("error type: what error responses carry", error_type::choose_error_type),
    ("features: a cargo feature per group, and the groups each type serves", features::assign_features),
];

/// Lowers a typed document into the IR. Errors carry pointers; the caller adds the file.
pub fn lower(doc: &OpenAPI) -> Result<Api> {
    let mut l = Lowerer {
        doc,
        defs: Vec::new(),
        order: Vec::new(),
        scope: Scope::default(),
        components: IndexMap::new(),
        inline_shapes: HashMap::new(),
        shared: IndexMap::new(),
        merging: Vec::new(),
        depth: 0,
    };
    if let Some(schemas) = doc.components.as_ref().map(|c| &c.schemas) {
        for key in schemas.keys() {
            let name = l.scope.claim(type_name(key));
            let id = l.allocate(name, format!("#/components/schemas/{}", escape_token(key)));
            l.components.insert(key.clone(), id);
        }
        for (key, schema) in schemas {
            l.define_component(l.components[key], schema)?;
        }
    }
    let groups = l.operations()?;
    l.name_shared_types();
    l.name_required_fields();
    let mut api = Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        server: doc.servers.first().map(|s| Server {
            url: s.url.clone(),
            variables: s
                .variables
                .iter()
                .flatten()
                .map(|(name, v)| ServerVariable {
                    name: name.clone(),
                    rust_name: Scope::default().claim(snake(name)),
                    default: v.default.clone(),
                    description: v.description.clone(),
                })
                .collect(),
        }),
        token_url: extensions::token_url(doc),
        request_id_header: extensions::request_id_header(doc),
        error_type: None,
        modules: extensions::extra_modules(doc)?,
        warnings: Vec::new(),
        guide: extensions::guide(doc)?,
        unused_schemas_feature: None,
        groups,
        types: Vec::new(),
    };
    l.finish(&mut api);
    for (_, pass) in PASSES {
        pass(&mut api);
    }
    Ok(api)
}

/// What lowering keeps while it reads the document.
struct Lowerer<'a> {
    doc: &'a OpenAPI,
    /// Named types in the order they were allocated: a [`TypeId`] is an index here until
    /// [`Lowerer::finish`] puts them in output order.
    defs: Vec<TypeDef>,
    /// The output order of `defs`: a named type goes before the inline types its shape needs.
    order: Vec<TypeId>,
    /// Every type name taken.
    scope: Scope,
    /// Component schema key → its type.
    components: IndexMap<String, TypeId>,
    /// The shape of each inline type → its type and the short name of its first use, to share
    /// identical ones (compared by value).
    inline_shapes: HashMap<TypeKind, (TypeId, String)>,
    /// Inline types used at more than one place → the short name they may take (`Priority`),
    /// their first use's.
    shared: IndexMap<TypeId, String>,
    /// The component schemas whose fields an `allOf` is merging right now (to refuse a schema
    /// that includes itself through an inline property's `allOf`, instead of recursing forever).
    merging: Vec<String>,
    /// How deep inline schemas are being lowered.
    depth: usize,
}

impl Lowerer<'_> {
    /// A new named type (an `Any` alias until its shape is known), not yet placed in the output.
    fn allocate(&mut self, name: RustName, pointer: String) -> TypeId {
        let id = TypeId(self.defs.len() as u32);
        self.defs.push(TypeDef {
            name,
            pointer,
            description: None,
            deprecated: false,
            kind: TypeKind::Alias(TypeRef::Any),
            required_fields: None,
            features: Vec::new(),
        });
        id
    }

    fn def(&self, id: TypeId) -> &TypeDef {
        &self.defs[id.index()]
    }

    /// Places the types in output order (renumbering every reference) and hands them to `api`.
    fn finish(&mut self, api: &mut Api) {
        let mut new_id = vec![TypeId(u32::MAX); self.defs.len()];
        for (position, id) in self.order.iter().enumerate() {
            new_id[id.index()] = TypeId(position as u32);
        }
        let mut defs: Vec<Option<TypeDef>> = std::mem::take(&mut self.defs).into_iter().map(Some).collect();
        api.types = self.order.iter().filter_map(|id| defs[id.index()].take()).collect();
        each_ref_mut(api, |_, ty| {
            ty.walk_mut(&mut |r| {
                if let TypeRef::Named { id, .. } = r {
                    *id = new_id[id.index()];
                }
            })
        });
    }

    /// Gives inline types that several places share their short name (`Priority` for
    /// `ScheduleDetailPriority`) when no other type has it, in output order so the choice is stable.
    fn name_shared_types(&mut self) {
        for position in 0..self.order.len() {
            let id = self.order[position];
            let Some(short) = self.shared.get(&id) else { continue };
            let candidate = type_name(short);
            if !self.scope.contains(&candidate) {
                self.defs[id.index()].name = self.scope.claim(candidate);
            }
        }
    }

    /// Names the struct of required fields of every struct and form whose `new` cannot take them
    /// positionally: more than [`MAX_POSITIONAL`] of them, or two `bool`s (which a caller can
    /// swap without the compiler noticing).
    fn name_required_fields(&mut self) {
        for position in 0..self.order.len() {
            let i = self.order[position].index();
            let required: Vec<&Field> = self.defs[i].kind.fields().iter().filter(|f| f.required).collect();
            let bools = required.iter().filter(|f| matches!(f.ty, TypeRef::Bool)).count();
            if required.len() > MAX_POSITIONAL || bools > 1 {
                let name = self.scope.claim(type_name(&format!("{}Required", self.defs[i].name.bare())));
                self.defs[i].required_fields = Some(name);
            }
        }
    }
}

impl<'a> Lowerer<'a> {
    /// The component schema a `$ref` (found at `at`) names, with its type and pointer.
    fn component_schema(&self, reference: &str, at: &str) -> Result<(&'a Schema, TypeId, String)> {
        let schemas = self.doc.components.as_ref().map(|c| &c.schemas);
        let r = follow(reference, "schemas", "schema", schemas, at)?;
        let id = r.key.as_ref().map(|k| self.components[k]).unwrap_or(TypeId(u32::MAX));
        Ok((r.item, id, r.pointer))
    }
}

/// A schema reached either by reference or inline.
enum Sch<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

fn sch(r: &ReferenceOr<Schema>) -> Sch<'_> {
    match r {
        ReferenceOr::Reference { reference } => Sch::Ref(reference),
        ReferenceOr::Item(s) => Sch::Item(s),
    }
}

fn sch_boxed(r: &ReferenceOr<Box<Schema>>) -> Sch<'_> {
    match r {
        ReferenceOr::Reference { reference } => Sch::Ref(reference),
        ReferenceOr::Item(s) => Sch::Item(s),
    }
}
