//! The intermediate model: what the client is, in plain data. [`crate::lower`] builds it from an
//! OpenAPI document; the emitters read nothing else. It holds no tokens and no OpenAPI types, keeps
//! the spec's order everywhere (never a hash map's), and already carries the Rust names and every
//! decision about the wire, so that the emitters only print and every decision is visible in the
//! IR snapshot a reviewer reads.
//!
//! Named types live in one arena, [`Api::types`], in output order; a reference to one is a
//! [`TypeId`], its index there, and its name is a property ([`TypeDef::name`]) that a pass may
//! change without touching a single reference. [`walk`] visits every type reference the IR holds.

mod operations;
mod types;
pub mod walk;

pub use crate::naming::RustName;
pub use operations::*;
pub use types::*;

/// The whole API.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The first entry of `servers`, if any.
    pub server: Option<Server>,
    /// The OAuth2 client-credentials token URL template, if the spec declares that flow.
    pub token_url: Option<String>,
    /// The response header that carries the server's request id, when the spec's responses
    /// declare one (`X-Correlation-Id`): errors and `with_response()` report its value.
    pub request_id_header: Option<String>,
    /// The named type that the spec's error responses (4xx, 5xx, `default`) use most, if any:
    /// the client offers `ApiErrorExt::error_response()` to read it.
    pub error_type: Option<TypeId>,
    /// The cargo feature of the schemas no operation uses (`other_schemas`), when there are any.
    pub unused_schemas_feature: Option<String>,
    /// Operation groups, in the order the spec's `tags` declare them, then in order of first use.
    pub groups: Vec<Group>,
    /// Named types, indexed by [`TypeId`], in output order: component schemas in spec order,
    /// each followed by the inline types it needs, then the inline types of operations in
    /// operation order.
    pub types: Vec<TypeDef>,
    /// Hand-written modules of the crate that `lib.rs` declares (`x-codegen-modules`), such as
    /// task helpers built on the operations.
    pub modules: Vec<ExtraModule>,
    /// What generation assumed about defects of the spec that have one reading, located.
    pub warnings: Vec<crate::diagnostics::Warning>,
    /// More of the crate's front page, Markdown (`x-codegen-guide` at the document's root): the
    /// spec owner's own walk-through, after the generated quickstart.
    pub guide: Option<String>,
}

impl Api {
    /// All operations, group by group.
    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.groups.iter().flat_map(|g| g.operations.iter())
    }

    /// The named type `id` refers to.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.index()]
    }

    /// The Rust name of the named type `id` refers to.
    pub fn type_name(&self, id: TypeId) -> &RustName {
        &self.ty(id).name
    }

    /// The named type called `name`, if there is one.
    pub fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name == *name)
    }

    /// What `ty` is once aliases are followed (and `nullable` taken off): the reference itself
    /// when it names no alias.
    pub fn resolve<'a>(&'a self, ty: &'a TypeRef) -> &'a TypeRef {
        let mut ty = ty;
        // An alias cycle is refused by lowering; the bound only keeps this total.
        for _ in 0..=self.types.len() {
            match ty {
                TypeRef::Nullable(inner) => ty = inner,
                TypeRef::Named { id, .. } => match &self.ty(*id).kind {
                    TypeKind::Alias(target) => ty = target,
                    _ => return ty,
                },
                _ => return ty,
            }
        }
        ty
    }
}

/// A hand-written module that the generated crate root declares (`pub mod <name>;`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraModule {
    /// The module's name (`tasks`): a file `src/<name>.rs` or `src/<name>/mod.rs` of the crate.
    pub name: RustName,
    /// What it holds, for the crate's docs.
    pub description: String,
}

/// A server URL template such as `https://{serverHostname}/webapi`.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The template.
    pub url: String,
    /// Its variables with their defaults and descriptions, in spec order.
    pub variables: Vec<ServerVariable>,
}

/// One `{variable}` of a server URL template.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    /// The name in the template.
    pub name: String,
    /// The Rust parameter name.
    pub rust_name: RustName,
    /// The spec's default value.
    pub default: String,
    /// The spec's description.
    pub description: Option<String>,
}

/// The operations of one tag: `client.workflows()`.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The tag's name (`Workflows`), or `default` for untagged operations.
    pub tag: String,
    /// The tag's description.
    pub description: Option<String>,
    /// Module and accessor name (`workflows`).
    pub module: RustName,
    /// The accessor's type name (`WorkflowsApi`).
    pub type_name: RustName,
    /// The group's expectations in the mock layer (`WorkflowsMock`).
    pub mock_type: RustName,
    /// The group's received calls in the mock layer (`WorkflowsReceived`).
    pub received_type: RustName,
    /// The group's subcommand in the command line (`user-groups`).
    pub cli_name: String,
    /// The crate's cargo feature that compiles the group (`user_groups`); every group's is on by
    /// default.
    pub feature: String,
    /// Operations in spec order.
    pub operations: Vec<Operation>,
}

/// The most positional arguments a generated function takes.
pub const MAX_POSITIONAL: usize = 5;
