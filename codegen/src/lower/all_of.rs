//! `allOf`: members that only annotate add nothing; several schemas of one primitive type are
//! that type; object members are merged into one struct (a required field stays required); any
//! other mix is read as any JSON value, with a located warning.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use super::schemas::{Hint, Shape};
use super::{Lowerer, Sch, sch};
use crate::error::{Error, Result};
use crate::ir::*;
use crate::naming::Scope;

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

impl<'a> Lowerer<'a> {
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

    /// The shape of an `allOf` of `members`.
    pub(super) fn all_of(&mut self, members: &[ReferenceOr<Schema>], hint: &Hint, at: &str) -> Result<Shape> {
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
            f.rust_name = names.claim(f.rust_name.raw().to_string());
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
}
