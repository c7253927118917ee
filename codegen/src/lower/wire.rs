//! Pass: wire forms. Decides how every parameter and multipart part travels as text: its plain
//! text form (`ToParam`) or its JSON text, for each item of a list. Runs last, on final names,
//! because it follows aliases to what they name (string enums and aliases of text types are text;
//! objects, maps, unions and arbitrary JSON are JSON). The emitter only reads the result.

use std::collections::HashSet;

use crate::ir::{Api, TypeDef, TypeKind, TypeRef, Wire};

pub(super) fn decide_wire_forms(api: &mut Api) {
    let text = TextTypes::of(&api.types);
    for p in api.groups.iter_mut().flat_map(|g| g.operations.iter_mut()).flat_map(|op| op.params.iter_mut()) {
        p.wire = if text.structured(&p.ty) { Wire::Json } else { Wire::Text };
    }
    for t in &mut api.types {
        if let TypeKind::Multipart { fields } = &mut t.kind {
            for f in fields {
                let item = match &f.ty {
                    TypeRef::Array(item) => item,
                    other => other,
                };
                f.wire = if text.is_text(item) { Wire::Text } else { Wire::Json };
            }
        }
    }
}

/// The named types whose values travel as plain text (string enums, and aliases of text types).
struct TextTypes(HashSet<String>);

impl TextTypes {
    fn of(types: &[TypeDef]) -> Self {
        let mut text = TextTypes(HashSet::new());
        // Aliases may name aliases: repeat until nothing is added.
        loop {
            let before = text.0.len();
            for t in types {
                let is_text = match &t.kind {
                    TypeKind::Enum { .. } => true,
                    TypeKind::Alias(target) => text.is_text(target),
                    _ => false,
                };
                if is_text {
                    text.0.insert(t.name.clone());
                }
            }
            if text.0.len() == before {
                return text;
            }
        }
    }

    /// Whether a value of `ty` is written in its plain text form rather than as JSON. Binary
    /// values are text too (raw bytes as a parameter; multipart sends them as files first).
    fn is_text(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Nullable(inner) => self.is_text(inner),
            TypeRef::Named { name, .. } => self.0.contains(name),
            TypeRef::Map(_) | TypeRef::Any | TypeRef::Array(_) => false,
            _ => true,
        }
    }

    /// Whether a parameter's value is written from its JSON form: a non-text value, or a list
    /// of them.
    fn structured(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Array(item) | TypeRef::Nullable(item) => self.structured(item),
            other => !self.is_text(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Field;

    fn named(name: &str) -> TypeRef {
        TypeRef::Named { name: name.into(), boxed: false }
    }

    #[test]
    fn aliases_of_enums_are_text_and_objects_are_json() {
        let def = |name: &str, kind| TypeDef {
            name: name.into(),
            pointer: String::new(),
            description: None,
            deprecated: false,
            kind,
            required_fields: None,
        };
        let types = vec![
            def("Again", TypeKind::Alias(named("Level"))),
            def("Level", TypeKind::Alias(named("Status"))),
            def("Status", TypeKind::Enum { variants: Vec::new() }),
            def("Thing", TypeKind::Struct { fields: Vec::<Field>::new(), additional: None }),
        ];
        let text = TextTypes::of(&types);
        assert!(text.is_text(&named("Again")), "an alias of an alias of an enum, declared first");
        assert!(!text.is_text(&named("Thing")));
        assert!(text.structured(&TypeRef::Array(Box::new(named("Thing")))));
        assert!(!text.structured(&TypeRef::Array(Box::new(TypeRef::Nullable(Box::new(named("Level")))))));
        assert!(text.structured(&TypeRef::Map(Box::new(TypeRef::String))));
    }
}
