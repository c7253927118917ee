//! Stage 7: the typed OpenAPI document → the IR. The only module that reads `openapiv3` types.
//! Resolves references, names inline types after where they appear (`ScheduleIteration` +
//! `hourlyContract` → `ScheduleIterationHourlyContract`), picks one media type per body, decides
//! what each operation returns, and marks the fields that must be boxed to break cycles.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter as OaParameter, ReferenceOr, RequestBody as OaRequestBody,
    Response as OaResponse, Schema, SchemaKind, StatusCode, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use std::collections::HashMap;

use crate::error::{Error, Result, escape_token};
use crate::ir::*;
use crate::naming::{Scope, camel, snake, type_name};

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

/// Lowers a typed document into the IR. Errors carry pointers; the caller adds the file.
pub fn lower(doc: &OpenAPI) -> Result<Api> {
    let mut l = Lowerer {
        doc,
        types: Vec::new(),
        scope: Scope::default(),
        components: IndexMap::new(),
        inline_shapes: HashMap::new(),
        shared: IndexMap::new(),
        merging: Vec::new(),
        depth: 0,
    };
    let schemas = doc.components.as_ref().map(|c| &c.schemas);
    if let Some(schemas) = schemas {
        for key in schemas.keys() {
            let name = l.scope.claim(type_name(key));
            l.components.insert(key.clone(), name);
        }
        for (key, schema) in schemas {
            let at = format!("#/components/schemas/{}", escape_token(key));
            let name = l.components[key].clone();
            l.define_component(&name, schema, &at)?;
        }
    }
    let mut groups = l.operations()?;
    let renames = l.short_names_for_shared_types();
    rename_types(&mut l.types, &mut groups, &renames);
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
                    rust_name: snake(name),
                    default: v.default.clone(),
                    description: v.description.clone(),
                })
                .collect(),
        }),
        token_url: token_url(doc),
        error_type: error_type(&groups),
        modules: extra_modules(doc)?,
        warnings: Vec::new(),
        library: None,
        guide: guide(doc)?,
        groups,
        types: l.types,
    };
    // The passes over the whole IR, on final names.
    cycles::mark_boxes(&mut api.types);
    binary::binary_in_json_is_text(&mut api);
    wire::decide_wire_forms(&mut api);
    Ok(api)
}

/// The Markdown of the document's `x-codegen-guide`, for the crate's front page.
fn guide(doc: &OpenAPI) -> Result<Option<String>> {
    match doc.extensions.get("x-codegen-guide") {
        None => Ok(None),
        Some(serde_json::Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(Error::at("#/x-codegen-guide", "must be a string of Markdown")),
    }
}

/// The hand-written modules the document's `x-codegen-modules` declares:
/// `[{name: tasks, description: ...}]`.
fn extra_modules(doc: &OpenAPI) -> Result<Vec<ExtraModule>> {
    let Some(value) = doc.extensions.get("x-codegen-modules") else { return Ok(Vec::new()) };
    let at = "#/x-codegen-modules";
    let Some(items) = value.as_array() else { return Err(Error::at(at, "must be a list of {name, description}")) };
    let mut modules = Vec::new();
    let reserved = ["operations", "types", "runtime"];
    for (i, item) in items.iter().enumerate() {
        let text = |key: &str| item.get(key).and_then(serde_json::Value::as_str).filter(|s| !s.is_empty());
        let (Some(name), Some(description)) = (text("name"), text("description")) else {
            return Err(Error::at(format!("{at}/{i}"), "needs a `name` and a `description`"));
        };
        let valid = name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && name.starts_with(|c: char| c.is_ascii_lowercase());
        if !valid || reserved.contains(&name) || modules.iter().any(|m: &ExtraModule| m.name == name) {
            return Err(Error::at(
                format!("{at}/{i}/name"),
                format!("`{name}` is not a free module name (snake case, not operations, types or runtime, once)"),
            ));
        }
        modules.push(ExtraModule { name: name.to_string(), description: description.to_string() });
    }
    Ok(modules)
}

/// The named type most error responses carry; on a tie, the one met first.
fn error_type(groups: &[Group]) -> Option<String> {
    let mut counts: IndexMap<&str, usize> = IndexMap::new();
    let errors = groups.iter().flat_map(|g| &g.operations).flat_map(|op| &op.responses);
    for r in errors.filter(|r| !r.status.is_success()) {
        if let Some(ResponseBody { ty: TypeRef::Named { name, .. }, .. }) = &r.body {
            *counts.entry(name.as_str()).or_default() += 1;
        }
    }
    let most = counts.values().copied().max()?;
    counts.into_iter().find(|(_, n)| *n == most).map(|(name, _)| name.to_string())
}

fn token_url(doc: &OpenAPI) -> Option<String> {
    doc.components.as_ref()?.security_schemes.values().find_map(|s| match s {
        ReferenceOr::Item(openapiv3::SecurityScheme::OAuth2 { flows, .. }) => {
            flows.client_credentials.as_ref().map(|f| f.token_url.clone())
        }
        _ => None,
    })
}

struct Lowerer<'a> {
    doc: &'a OpenAPI,
    types: Vec<TypeDef>,
    scope: Scope,
    /// Component schema key → Rust type name.
    components: IndexMap<String, String>,
    /// The shape of each inline type → its name, to share identical ones (compared by value).
    inline_shapes: HashMap<TypeKind, String>,
    /// Inline types used at more than one place → the short name they may take (`Priority`).
    shared: IndexMap<String, String>,
    /// The component schemas whose fields an `allOf` is merging right now (to refuse a schema
    /// that includes itself through an inline property's `allOf`, instead of recursing forever).
    merging: Vec<String>,
    /// How deep inline schemas are being lowered.
    depth: usize,
}

/// What an `allOf` member is, for merging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MemberKind {
    /// Properties to merge.
    Object,
    /// A string, integer, number or boolean.
    Primitive(&'static str),
    /// Only annotations or constraints without a type (a description, `nullable`).
    Annotation { nullable: bool },
    /// Anything else (arrays, unions, nested allOf).
    Other,
}

/// How deep `allOf` members made of `allOf`s are followed to tell what they are.
const MAX_ALL_OF_DEPTH: usize = 32;

/// Inline schemas nested deeper than this are refused (the stack is not unbounded).
const MAX_DEPTH: usize = 96;

/// The names an inline type may get: `full` (parent and property, `ScheduleDetailPriority`) is
/// unique to its place; `short` (the property alone, `Priority`) is taken instead, when free, by a
/// type that several places share.
#[derive(Debug, Clone)]
pub(crate) struct Hint {
    full: String,
    short: String,
}

impl Hint {
    pub(crate) fn new(name: impl Into<String>) -> Hint {
        let name = name.into();
        Hint { full: name.clone(), short: name }
    }

    /// The hint for a part of this one, such as a property.
    pub(crate) fn child(&self, part: &str) -> Hint {
        Hint { full: format!("{}{part}", self.full), short: part.to_string() }
    }

    /// This hint with a suffix on both names (`Value`, `Variant1`).
    fn suffixed(&self, suffix: &str) -> Hint {
        Hint { full: format!("{}{suffix}", self.full), short: format!("{}{suffix}", self.short) }
    }

    /// The hint for an array's items.
    fn items(&self) -> Hint {
        Hint { full: singular(&self.full), short: singular(&self.short) }
    }
}

/// `outputs` → `Output`, `entries` → `Entry`, `data` → `DataItem`: names for an array's items.
fn singular(name: &str) -> String {
    if let Some(stem) = name.strip_suffix("ies") {
        format!("{stem}y")
    } else if name.ends_with('s') && !name.ends_with("ss") && !name.ends_with("us") && !name.ends_with("is") {
        name[..name.len() - 1].to_string()
    } else {
        format!("{name}Item")
    }
}

fn doc_of(s: &Schema) -> Option<String> {
    s.schema_data.description.clone().or_else(|| s.schema_data.title.clone())
}

impl Lowerer<'_> {
    /// Names the struct of required fields of every struct and form whose `new` cannot take them
    /// positionally: more than [`MAX_POSITIONAL`] of them, or two `bool`s (which a caller can
    /// swap without the compiler noticing).
    fn name_required_fields(&mut self) {
        for i in 0..self.types.len() {
            let fields = match &self.types[i].kind {
                TypeKind::Struct { fields, .. } | TypeKind::Multipart { fields } => fields,
                _ => continue,
            };
            let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
            let bools = required.iter().filter(|f| matches!(f.ty, TypeRef::Bool)).count();
            if required.len() > MAX_POSITIONAL || bools > 1 {
                let name = self.scope.claim(type_name(&format!("{}Required", self.types[i].name)));
                self.types[i].required_fields = Some(name);
            }
        }
    }
}

impl<'a> Lowerer<'a> {
    /// The component schema a `$ref` (found at `at`) names, with its Rust type name and pointer.
    fn component_schema(&self, reference: &str, at: &str) -> Result<(&'a Schema, String, String)> {
        let schemas = self.doc.components.as_ref().map(|c| &c.schemas);
        let r = follow(reference, "schemas", "schema", schemas, at)?;
        let name = r.key.as_ref().map(|k| self.components[k].clone()).unwrap_or_default();
        Ok((r.item, name, r.pointer))
    }

    fn insert(&mut self, slot: usize, def: TypeDef) -> TypeRef {
        let name = def.name.clone();
        self.types.insert(slot, def);
        TypeRef::Named { name, boxed: false }
    }

    fn define_component(&mut self, name: &str, schema: &ReferenceOr<Schema>, at: &str) -> Result<()> {
        let slot = self.types.len();
        let (description, deprecated) = match schema {
            ReferenceOr::Item(s) => (doc_of(s), s.schema_data.deprecated),
            ReferenceOr::Reference { .. } => (None, false),
        };
        self.types.push(TypeDef {
            name: name.into(),
            pointer: at.into(),
            description,
            deprecated,
            kind: TypeKind::Alias(TypeRef::Any),
            required_fields: None,
        });
        let kind = match sch(schema) {
            Sch::Ref(r) => {
                let (_, target, _) = self.component_schema(r, at)?;
                TypeKind::Alias(TypeRef::Named { name: target, boxed: false })
            }
            Sch::Item(s) => match self.shape(s, &Hint::new(name), at)? {
                Shape::Kind(kind) => kind,
                Shape::Ref(ty) => TypeKind::Alias(ty),
            },
        };
        self.types[slot].kind = kind;
        Ok(())
    }

    /// A usage site: the type for `schema`, defining an inline named type called `hint` if needed.
    /// Identical inline shapes (the same enum values, the same fields) share one type.
    fn type_ref(&mut self, schema: Sch<'_>, hint: &Hint, at: &str) -> Result<TypeRef> {
        if self.depth >= MAX_DEPTH {
            return Err(Error::at(at, format!("schemas nested more than {MAX_DEPTH} levels deep are not supported")));
        }
        self.depth += 1;
        let result = self.type_ref_at_depth(schema, hint, at);
        self.depth -= 1;
        result
    }

    fn type_ref_at_depth(&mut self, schema: Sch<'_>, hint: &Hint, at: &str) -> Result<TypeRef> {
        let s = match schema {
            Sch::Ref(r) => {
                let (_, name, _) = self.component_schema(r, at)?;
                return Ok(TypeRef::Named { name, boxed: false });
            }
            Sch::Item(s) => s,
        };
        // A named type goes before the inline types its shape needs, as components do.
        let slot = self.types.len();
        let ty = match self.shape(s, hint, at)? {
            Shape::Ref(ty) => ty,
            Shape::Kind(kind) => {
                let name = match self.inline_shapes.get(&kind) {
                    Some(name) => {
                        self.shared.entry(name.clone()).or_insert_with(|| hint.short.clone());
                        name.clone()
                    }
                    None => {
                        let name = self.scope.claim(type_name(&hint.full));
                        let def = TypeDef {
                            name: name.clone(),
                            pointer: at.into(),
                            description: doc_of(s),
                            deprecated: s.schema_data.deprecated,
                            kind,
                            required_fields: None,
                        };
                        self.inline_shapes.insert(def.kind.clone(), name.clone());
                        self.types.insert(slot, def);
                        name
                    }
                };
                TypeRef::Named { name, boxed: false }
            }
        };
        Ok(if s.schema_data.nullable && !matches!(ty, TypeRef::Nullable(_) | TypeRef::Any) {
            TypeRef::Nullable(Box::new(ty))
        } else {
            ty
        })
    }

    /// What a schema is: a plain type reference, or a shape that needs a name.
    fn shape(&mut self, s: &Schema, hint: &Hint, at: &str) -> Result<Shape> {
        Ok(match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) => {
                if !st.enumeration.is_empty() {
                    let values: Vec<String> = st.enumeration.iter().flatten().cloned().collect();
                    Shape::Kind(enum_kind(&values))
                } else {
                    Shape::Ref(string_type(&st.format))
                }
            }
            SchemaKind::Type(Type::Integer(it)) => {
                let bits = match &it.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => 32,
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "int32" || f == "uint32" => 32,
                    _ => 64,
                };
                let unsigned = it.minimum.is_some_and(|m| m >= 0);
                Shape::Ref(TypeRef::Integer { bits, unsigned })
            }
            SchemaKind::Type(Type::Number(nt)) => {
                let bits = if matches!(nt.format, VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float)) {
                    32
                } else {
                    64
                };
                Shape::Ref(TypeRef::Number { bits })
            }
            SchemaKind::Type(Type::Boolean(_)) => Shape::Ref(TypeRef::Bool),
            SchemaKind::Type(Type::Array(a)) => Shape::Ref(self.array(a.items.as_ref(), hint, at)?),
            SchemaKind::Type(Type::Object(o)) => {
                self.object(&o.properties, &o.required, o.additional_properties.as_ref(), hint, at)?
            }
            SchemaKind::AllOf { all_of } => self.all_of(all_of, hint, at)?,
            SchemaKind::OneOf { one_of } => self.union(s, one_of, hint, at, "oneOf")?,
            SchemaKind::AnyOf { any_of } => self.union(s, any_of, hint, at, "anyOf")?,
            SchemaKind::Not { .. } => Shape::Ref(TypeRef::Any),
            SchemaKind::Any(any) => {
                if !any.all_of.is_empty() {
                    self.all_of(&any.all_of, hint, at)?
                } else if !any.one_of.is_empty() {
                    self.union(s, &any.one_of, hint, at, "oneOf")?
                } else if !any.any_of.is_empty() {
                    self.union(s, &any.any_of, hint, at, "anyOf")?
                } else if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
                    self.object(&any.properties, &any.required, any.additional_properties.as_ref(), hint, at)?
                } else if any.items.is_some() || any.typ.as_deref() == Some("array") {
                    Shape::Ref(self.array(any.items.as_ref(), hint, at)?)
                } else if !any.enumeration.is_empty() && any.enumeration.iter().all(|v| v.is_string()) {
                    let values: Vec<String> =
                        any.enumeration.iter().filter_map(|v| v.as_str().map(String::from)).collect();
                    Shape::Kind(enum_kind(&values))
                } else {
                    match any.typ.as_deref() {
                        Some("string") => Shape::Ref(string_format(any.format.as_deref())),
                        Some("integer") => Shape::Ref(TypeRef::Integer { bits: 64, unsigned: false }),
                        Some("number") => Shape::Ref(TypeRef::Number { bits: 64 }),
                        Some("boolean") => Shape::Ref(TypeRef::Bool),
                        _ => Shape::Ref(TypeRef::Any),
                    }
                }
            }
        })
    }

    fn array(&mut self, items: Option<&ReferenceOr<Box<Schema>>>, hint: &Hint, at: &str) -> Result<TypeRef> {
        Ok(match items {
            Some(items) => {
                TypeRef::Array(Box::new(self.type_ref(sch_boxed(items), &hint.items(), &format!("{at}/items"))?))
            }
            None => TypeRef::Array(Box::new(TypeRef::Any)),
        })
    }

    fn object(
        &mut self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        hint: &Hint,
        at: &str,
    ) -> Result<Shape> {
        let additional = match additional {
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Any),
            Some(AdditionalProperties::Schema(s)) => {
                Some(self.type_ref(sch(s), &hint.suffixed("Value"), &format!("{at}/additionalProperties"))?)
            }
            _ => None,
        };
        if properties.is_empty() {
            return Ok(Shape::Ref(TypeRef::Map(Box::new(additional.unwrap_or(TypeRef::Any)))));
        }
        let fields = self.fields(properties, required, hint, at)?;
        Ok(Shape::Kind(TypeKind::Struct { fields, additional }))
    }

    fn fields(
        &mut self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        hint: &Hint,
        at: &str,
    ) -> Result<Vec<Field>> {
        let mut names = Scope::default();
        let mut fields = Vec::with_capacity(properties.len());
        for (name, prop) in properties {
            let prop_at = format!("{at}/properties/{}", escape_token(name));
            let ty = self.type_ref(sch_boxed(prop), &hint.child(&camel(name)), &prop_at)?;
            let (description, deprecated, read_only, default) = match sch_boxed(prop) {
                Sch::Item(s) => (
                    doc_of(s),
                    s.schema_data.deprecated,
                    s.schema_data.read_only,
                    s.schema_data.default.as_ref().map(ToString::to_string),
                ),
                Sch::Ref(_) => (None, false, false, None),
            };
            fields.push(Field {
                name: name.clone(),
                rust_name: names.claim(snake(name)),
                ty,
                required: required.contains(name),
                description,
                deprecated,
                read_only,
                default,
                wire: Wire::Text,
            });
        }
        Ok(fields)
    }

    /// What an `allOf` member contributes, with references followed. A member that is itself an
    /// `allOf` (a `$ref` with siblings, a component built by `allOf`) is what its own members
    /// make together.
    fn member_kind(&self, member: &ReferenceOr<Schema>, at: &str, depth: usize) -> Result<MemberKind> {
        let schema = match sch(member) {
            Sch::Ref(r) => self.component_schema(r, at)?.0,
            Sch::Item(s) => s,
        };
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::Object(_)) => MemberKind::Object,
            SchemaKind::Type(Type::String(_)) => MemberKind::Primitive("string"),
            SchemaKind::Type(Type::Integer(_)) => MemberKind::Primitive("integer"),
            SchemaKind::Type(Type::Number(_)) => MemberKind::Primitive("number"),
            SchemaKind::Type(Type::Boolean(_)) => MemberKind::Primitive("boolean"),
            SchemaKind::AllOf { all_of } if depth < MAX_ALL_OF_DEPTH => {
                let mut kinds = Vec::new();
                for (i, m) in all_of.iter().enumerate() {
                    match self.member_kind(m, &format!("{at}/allOf/{i}"), depth + 1)? {
                        MemberKind::Annotation { .. } => {}
                        kind => kinds.push(kind),
                    }
                }
                match kinds.as_slice() {
                    [] => MemberKind::Annotation { nullable: schema.schema_data.nullable },
                    [one] => *one,
                    _ if kinds.iter().all(|k| *k == MemberKind::Object) => MemberKind::Object,
                    _ => MemberKind::Other,
                }
            }
            SchemaKind::Any(a) if !a.properties.is_empty() || a.typ.as_deref() == Some("object") => MemberKind::Object,
            SchemaKind::Any(a)
                if a.typ.is_none()
                    && a.items.is_none()
                    && a.enumeration.is_empty()
                    && a.one_of.is_empty()
                    && a.all_of.is_empty()
                    && a.any_of.is_empty()
                    && a.not.is_none() =>
            {
                MemberKind::Annotation { nullable: schema.schema_data.nullable }
            }
            _ => MemberKind::Other,
        })
    }

    fn all_of(&mut self, members: &[ReferenceOr<Schema>], hint: &Hint, at: &str) -> Result<Shape> {
        if let [only] = members {
            // `$ref` with siblings (see normalize) or a lone member: that member's type.
            return Ok(Shape::Ref(self.type_ref(sch(only), hint, &format!("{at}/allOf/0"))?));
        }
        // Members that only annotate (a description, `nullable`) add no shape of their own.
        let mut nullable = false;
        let mut substantive: Vec<(usize, &ReferenceOr<Schema>, MemberKind)> = Vec::new();
        for (i, member) in members.iter().enumerate() {
            match self.member_kind(member, &format!("{at}/allOf/{i}"), 0)? {
                MemberKind::Annotation { nullable: n } => nullable |= n,
                kind => substantive.push((i, member, kind)),
            }
        }
        let wrap = |ty: TypeRef| {
            if nullable && !matches!(ty, TypeRef::Nullable(_)) { TypeRef::Nullable(Box::new(ty)) } else { ty }
        };
        match substantive.as_slice() {
            [] => return Ok(Shape::Ref(wrap(TypeRef::Any))),
            [(i, only, _)] => {
                return Ok(Shape::Ref(wrap(self.type_ref(sch(only), hint, &format!("{at}/allOf/{i}"))?)));
            }
            _ => {}
        }
        if let MemberKind::Primitive(_) = substantive[0].2
            && substantive.iter().all(|(_, _, k)| *k == substantive[0].2)
        {
            // Several schemas of one primitive type: that type. A referenced one (an enum, a
            // named alias) is the most telling; the others only constrain it, and the client
            // checks no constraint of a string or number anyway, so nothing is lost.
            let (i, member, _) = substantive
                .iter()
                .find(|(_, m, _)| matches!(m, ReferenceOr::Reference { .. }))
                .unwrap_or(&substantive[0]);
            return Ok(Shape::Ref(wrap(self.type_ref(sch(member), hint, &format!("{at}/allOf/{i}"))?)));
        }
        if substantive.iter().any(|(_, _, k)| *k != MemberKind::Object) {
            // No value is both (a string and an integer), or no merge says what it is (an object
            // and an array or a union): the value is taken as the JSON it is.
            let kinds: Vec<String> = substantive
                .iter()
                .map(|(i, _, k)| match k {
                    MemberKind::Primitive(p) => format!("{p} (member {i})"),
                    MemberKind::Object => format!("object (member {i})"),
                    _ => format!("neither object nor primitive (member {i})"),
                })
                .collect();
            crate::diagnostics::warn(
                at,
                format!(
                    "an allOf of {} cannot be merged into one type: the value is read as any JSON value",
                    kinds.join(", ")
                ),
            );
            return Ok(Shape::Ref(wrap(TypeRef::Any)));
        }
        let mut fields: Vec<Field> = Vec::new();
        let mut additional = None;
        for &(i, member, _) in &substantive {
            self.merge_member(member, &format!("{at}/allOf/{i}"), hint, &mut fields, &mut additional)?;
        }
        let mut names = Scope::default();
        for f in &mut fields {
            f.rust_name = names.claim(f.rust_name.clone());
        }
        Ok(Shape::Kind(TypeKind::Struct { fields, additional }))
    }

    /// Adds the properties of an object member of an `allOf` to `fields` (a required one stays
    /// required); a member that is an `allOf` itself adds those of its object members.
    fn merge_member(
        &mut self,
        member: &ReferenceOr<Schema>,
        member_at: &str,
        hint: &Hint,
        fields: &mut Vec<Field>,
        additional: &mut Option<TypeRef>,
    ) -> Result<()> {
        let (schema, schema_at) = match sch(member) {
            Sch::Ref(r) => {
                let (schema, _, pointer) = self.component_schema(r, member_at)?;
                if self.merging.contains(&pointer) {
                    return Err(Error::at(
                        member_at,
                        format!("`{pointer}` includes itself through `allOf` (an allOf cycle cannot be merged)"),
                    ));
                }
                (schema, pointer)
            }
            Sch::Item(m) => (m, member_at.to_string()),
        };
        let (props, required, extra) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required, o.additional_properties.as_ref()),
            SchemaKind::Any(a) => (&a.properties, &a.required, a.additional_properties.as_ref()),
            SchemaKind::AllOf { all_of } => {
                self.merging.push(schema_at.clone());
                let mut result = Ok(());
                for (i, inner) in all_of.iter().enumerate() {
                    let inner_at = format!("{schema_at}/allOf/{i}");
                    let merged = match self.member_kind(inner, &inner_at, 0) {
                        Ok(MemberKind::Object) => self.merge_member(inner, &inner_at, hint, fields, additional),
                        Ok(_) => Ok(()),
                        Err(e) => Err(e),
                    };
                    if merged.is_err() {
                        result = merged;
                        break;
                    }
                }
                self.merging.pop();
                return result;
            }
            _ => return Err(Error::at(member_at, "an allOf member must be an object schema to be merged")),
        };
        self.merging.push(schema_at.clone());
        let merged = self.fields(props, required, hint, &schema_at);
        self.merging.pop();
        for f in merged? {
            match fields.iter_mut().find(|e| e.name == f.name) {
                Some(existing) => existing.required |= f.required,
                None => fields.push(f),
            }
        }
        if let Some(AdditionalProperties::Any(true)) = extra {
            *additional = Some(TypeRef::Any);
        }
        Ok(())
    }

    fn union(
        &mut self,
        s: &Schema,
        members: &[ReferenceOr<Schema>],
        hint: &Hint,
        at: &str,
        key: &str,
    ) -> Result<Shape> {
        if let [only] = members {
            return Ok(Shape::Ref(self.type_ref(sch(only), hint, &format!("{at}/{key}/0"))?));
        }
        let discriminator = s.schema_data.discriminator.as_ref();
        let mut names = Scope::default();
        let mut variants = Vec::with_capacity(members.len());
        for (i, member) in members.iter().enumerate() {
            let member_at = format!("{at}/{key}/{i}");
            let ty = self.type_ref(sch(member), &hint.suffixed(&format!("Variant{}", i + 1)), &member_at)?;
            let tag = match (discriminator, member) {
                (Some(d), ReferenceOr::Reference { reference }) => Some(
                    d.mapping
                        .iter()
                        .find(|(_, target)| *target == reference || reference.ends_with(&format!("/{target}")))
                        .map(|(value, _)| value.clone())
                        .unwrap_or_else(|| reference.rsplit('/').next().unwrap_or_default().to_string()),
                ),
                (Some(_), _) => {
                    return Err(Error::at(member_at, "a member of a union with a discriminator must be a $ref"));
                }
                _ => None,
            };
            let base = match (&tag, &ty) {
                (Some(t), _) => camel(t),
                (None, TypeRef::Named { name, .. }) => name.clone(),
                (None, other) => camel(primitive_name(other)),
            };
            variants.push(OneOfVariant { rust_name: names.claim(base), tag, ty });
        }
        Ok(Shape::Kind(TypeKind::OneOf { variants, discriminator: discriminator.map(|d| d.property_name.clone()) }))
    }
}

enum Shape {
    Ref(TypeRef),
    Kind(TypeKind),
}

fn enum_kind(values: &[String]) -> TypeKind {
    let mut names = Scope::with_reserved(&["Unknown"]);
    // A value listed twice is one variant (the spec's duplicates would be unreachable arms).
    let mut seen = std::collections::HashSet::new();
    let variants = values
        .iter()
        .filter(|v| seen.insert(v.as_str()))
        .map(|v| {
            // `+1`/`-1` read better as `Plus1`/`Minus1` than as two clashing `V1`s.
            let spoken = match v.as_bytes().first() {
                Some(b'+') => format!("plus {}", &v[1..]),
                Some(b'-') => format!("minus {}", &v[1..]),
                _ => v.clone(),
            };
            EnumVariant { value: v.clone(), rust_name: names.claim(camel(&spoken)) }
        })
        .collect();
    TypeKind::Enum { variants }
}

fn string_type(format: &VariantOrUnknownOrEmpty<StringFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Binary,
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => TypeRef::Base64,
        VariantOrUnknownOrEmpty::Unknown(f) => string_format(Some(f)),
        _ => TypeRef::String,
    }
}

fn string_format(format: Option<&str>) -> TypeRef {
    match format {
        Some("date-time") => TypeRef::DateTime,
        Some("date") => TypeRef::Date,
        Some("uuid") => TypeRef::Uuid,
        Some("binary") => TypeRef::Binary,
        Some("byte") => TypeRef::Base64,
        _ => TypeRef::String,
    }
}

fn primitive_name(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String | TypeRef::Uuid => "String",
        TypeRef::DateTime => "DateTime",
        TypeRef::Date => "Date",
        TypeRef::Binary | TypeRef::Base64 => "Bytes",
        TypeRef::Bool => "Bool",
        TypeRef::Integer { .. } => "Integer",
        TypeRef::Number { .. } => "Number",
        TypeRef::Array(_) => "Array",
        TypeRef::Map(_) => "Map",
        TypeRef::Nullable(_) => "Null",
        TypeRef::Any | TypeRef::Named { .. } => "Value",
    }
}

/// Media type → encoding.
fn encoding_of(media: &str) -> BodyEncoding {
    let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") {
        BodyEncoding::Json
    } else if essence == "multipart/form-data" {
        BodyEncoding::Multipart
    } else if essence == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else if essence.starts_with("text/") {
        BodyEncoding::Text
    } else {
        BodyEncoding::Binary
    }
}

/// The media type to use of several: the first JSON one, else the first.
fn pick_media<T>(content: &IndexMap<String, T>) -> Option<(&String, &T)> {
    content.iter().find(|(m, _)| encoding_of(m) == BodyEncoding::Json).or_else(|| content.iter().next())
}

mod binary;
mod cycles;
mod operations;
mod resolve;
mod shared_names;
mod wire;
use resolve::{follow, resolve};
use shared_names::rename_types;
