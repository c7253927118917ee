//! Schemas → named types and type references: components, inline schemas (named after where
//! they appear: `ScheduleIteration` + `hourlyContract` → `ScheduleIterationHourlyContract`),
//! objects, arrays, enums and unions. Identical inline shapes are one type. `allOf` is in
//! `all_of.rs`.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

use super::{Lowerer, Sch, sch, sch_boxed};
use crate::error::{Error, Result, escape_token};
use crate::ir::*;
use crate::naming::{Scope, camel, snake, type_name};

/// Inline schemas nested deeper than this are refused (the stack is not unbounded).
const MAX_DEPTH: usize = 96;

/// The names an inline type may get: `full` (parent and property, `ScheduleDetailPriority`) is
/// unique to its place; `short` (the property alone, `Priority`) is taken instead, when free, by a
/// type that several places share.
#[derive(Debug, Clone)]
pub(crate) struct Hint {
    pub(super) full: String,
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

/// A schema's documentation: its description, else its title.
pub(super) fn doc_of(s: &Schema) -> Option<String> {
    s.schema_data.description.clone().or_else(|| s.schema_data.title.clone())
}

/// What a schema is: a plain type reference, or a shape that needs a name.
pub(super) enum Shape {
    Ref(TypeRef),
    Kind(TypeKind),
}

impl<'a> Lowerer<'a> {
    /// Places a new named type at `slot` of the output order (before the inline types it needs).
    pub(super) fn place(&mut self, slot: usize, def: TypeDef) -> TypeId {
        let id = self.allocate(def.name.clone(), def.pointer.clone());
        self.defs[id.index()] = def;
        self.order.insert(slot, id);
        id
    }

    pub(super) fn define_component(&mut self, id: TypeId, schema: &ReferenceOr<Schema>) -> Result<()> {
        self.order.push(id);
        if let ReferenceOr::Item(s) = schema {
            let def = &mut self.defs[id.index()];
            def.description = doc_of(s);
            def.deprecated = s.schema_data.deprecated;
        }
        let at = self.def(id).pointer.clone();
        let kind = match sch(schema) {
            Sch::Ref(r) => {
                let (_, target, _) = self.component_schema(r, &at)?;
                TypeKind::Alias(TypeRef::named(target))
            }
            Sch::Item(s) => match self.shape(s, &Hint::new(self.def(id).name.raw()), &at)? {
                Shape::Kind(kind) => kind,
                Shape::Ref(ty) => TypeKind::Alias(ty),
            },
        };
        self.defs[id.index()].kind = kind;
        Ok(())
    }

    /// A usage site: the type for `schema`, defining an inline named type called `hint` if needed.
    /// Identical inline shapes (the same enum values, the same fields) share one type.
    pub(super) fn type_ref(&mut self, schema: Sch<'_>, hint: &Hint, at: &str) -> Result<TypeRef> {
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
                // A component marked `nullable` is defined as its plain shape; each use admits null.
                let (target, id, _) = self.component_schema(r, at)?;
                let ty = TypeRef::named(id);
                return Ok(if target.schema_data.nullable { TypeRef::Nullable(Box::new(ty)) } else { ty });
            }
            Sch::Item(s) => s,
        };
        // A named type goes before the inline types its shape needs, as components do.
        let slot = self.order.len();
        let ty = match self.shape(s, hint, at)? {
            Shape::Ref(ty) => ty,
            Shape::Kind(kind) => {
                let id = match self.inline_shapes.get(&kind) {
                    Some((id, first)) => {
                        let id = *id;
                        let first = first.clone();
                        self.shared.entry(id).or_insert(first);
                        id
                    }
                    None => {
                        let def = TypeDef {
                            name: self.scope.claim(type_name(&hint.full)),
                            pointer: at.into(),
                            description: doc_of(s),
                            deprecated: s.schema_data.deprecated,
                            kind: kind.clone(),
                            required_fields: None,
                            features: Vec::new(),
                        };
                        let id = self.place(slot, def);
                        self.inline_shapes.insert(kind, (id, hint.short.clone()));
                        id
                    }
                };
                TypeRef::named(id)
            }
        };
        Ok(if s.schema_data.nullable && !matches!(ty, TypeRef::Nullable(_) | TypeRef::Any) {
            TypeRef::Nullable(Box::new(ty))
        } else {
            ty
        })
    }

    /// What a schema is: a plain type reference, or a shape that needs a name.
    pub(super) fn shape(&mut self, s: &Schema, hint: &Hint, at: &str) -> Result<Shape> {
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
                } else if any.typ.as_deref() == Some("array") {
                    Shape::Ref(self.array(any.items.as_ref(), hint, at)?)
                } else if any.items.is_some() && any.typ.is_none() {
                    // `items` only says what a list's items are; without `type: array` any value
                    // is valid (servers send objects under such schemas).
                    crate::diagnostics::warn(
                        at,
                        "`items` without `type: array` does not make a list: the value is read as any JSON value \
                         (an overlay adding `type: array` makes it one)"
                            .to_string(),
                    );
                    Shape::Ref(TypeRef::Any)
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

    /// The fields of an object's properties, named in one scope.
    pub(super) fn fields(
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
                part: PartEncoding::Text,
            });
        }
        Ok(fields)
    }

    /// `oneOf`/`anyOf`: a union of its members, tagged when the schema has a discriminator.
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
        let mut discriminator = s.schema_data.discriminator.as_ref();
        if let (Some(d), Some(i)) = (discriminator, members.iter().position(|m| matches!(m, ReferenceOr::Item(_)))) {
            // A tag names a schema; an inline member has none to be named by.
            crate::diagnostics::warn(
                format!("{at}/{key}/{i}"),
                format!(
                    "an inline member of a union with the discriminator `{}`: the union is read by shape, not by tag",
                    d.property_name
                ),
            );
            discriminator = None;
        }
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
                _ => None,
            };
            let base = match (&tag, &ty) {
                (Some(t), _) => camel(t),
                (None, TypeRef::Named { id, .. }) => self.def(*id).name.raw().to_string(),
                (None, other) => camel(primitive_name(other)),
            };
            variants.push(OneOfVariant { rust_name: names.claim(base), tag, ty });
        }
        Ok(Shape::Kind(TypeKind::OneOf { variants, discriminator: discriminator.map(|d| d.property_name.clone()) }))
    }
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
