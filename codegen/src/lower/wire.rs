//! Pass: wire forms. Decides how every parameter and multipart part travels: its plain text form
//! (`ToParam`), its items' text repeated or joined, or its JSON text; a part as text, JSON or a
//! file. Runs on final types, because it follows aliases to what they name (string enums and
//! aliases of text types are text; objects, maps, unions and arbitrary JSON are JSON). The
//! emitter maps each decision to one runtime call.

use std::collections::HashSet;

use crate::ir::*;

pub(super) fn decide_encodings(api: &mut Api) {
    let text = TextTypes::of(&api.types);
    for p in api.groups.iter_mut().flat_map(|g| g.operations.iter_mut()).flat_map(|op| op.params.iter_mut()) {
        p.encoding = param_encoding(&text, p);
    }
    for t in &mut api.types {
        if let TypeKind::Multipart { fields } = &mut t.kind {
            for f in fields {
                f.part = match &f.ty {
                    TypeRef::Binary => PartEncoding::File,
                    TypeRef::Array(item) if **item == TypeRef::Binary => PartEncoding::Files,
                    TypeRef::Array(item) if text.is_text(item) => PartEncoding::TextItems,
                    TypeRef::Array(_) => PartEncoding::JsonItems,
                    other if text.is_text(other) => PartEncoding::Text,
                    _ => PartEncoding::Json,
                };
            }
        }
    }
}

/// How a parameter is written: objects (and lists of them) by their JSON form in the declared
/// style (the `simple` style outside the query); lists of text values repeated (form, exploded)
/// or joined (the query's delimited styles; headers and cookies by commas); anything else as
/// its text. A list in the path is written in the `simple` style: its items joined by commas.
fn param_encoding(text: &TextTypes, p: &Parameter) -> ParamEncoding {
    let list = matches!(p.ty.non_null(), TypeRef::Array(_));
    match p.location {
        _ if text.structured(&p.ty) => match p.location {
            ParamLocation::Query => ParamEncoding::Json(p.style),
            _ => ParamEncoding::Json(ParamStyle::Simple),
        },
        ParamLocation::Path if list => ParamEncoding::Json(ParamStyle::Simple),
        ParamLocation::Query if list => match p.style {
            ParamStyle::FormComma => ParamEncoding::Joined(Delimiter::Comma),
            ParamStyle::SpaceDelimited => ParamEncoding::Joined(Delimiter::Space),
            ParamStyle::PipeDelimited => ParamEncoding::Joined(Delimiter::Pipe),
            _ => ParamEncoding::TextItems,
        },
        ParamLocation::Header | ParamLocation::Cookie if list => ParamEncoding::Joined(Delimiter::Comma),
        _ => ParamEncoding::Text,
    }
}

/// The named types whose values travel as plain text (string enums, and aliases of text types).
struct TextTypes(HashSet<TypeId>);

impl TextTypes {
    fn of(types: &[TypeDef]) -> Self {
        let mut text = TextTypes(HashSet::new());
        // Aliases may name aliases: repeat until nothing is added.
        loop {
            let before = text.0.len();
            for (i, t) in types.iter().enumerate() {
                let is_text = match &t.kind {
                    TypeKind::Enum { .. } => true,
                    TypeKind::Alias(target) => text.is_text(target),
                    _ => false,
                };
                if is_text {
                    text.0.insert(TypeId(i as u32));
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
            TypeRef::Named { id, .. } => self.0.contains(id),
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

    fn named(i: u32) -> TypeRef {
        TypeRef::named(TypeId(i))
    }

    #[test]
    fn aliases_of_enums_are_text_and_objects_are_json() {
        let def = |name: &str, kind| TypeDef {
            name: RustName::new(name),
            pointer: String::new(),
            description: None,
            deprecated: false,
            kind,
            required_fields: None,
            features: Vec::new(),
        };
        let types = vec![
            def("Again", TypeKind::Alias(named(1))),
            def("Level", TypeKind::Alias(named(2))),
            def("Status", TypeKind::Enum { variants: Vec::new() }),
            def("Thing", TypeKind::Struct { fields: Vec::<Field>::new(), additional: None }),
        ];
        let text = TextTypes::of(&types);
        assert!(text.is_text(&named(0)), "an alias of an alias of an enum, declared first");
        assert!(!text.is_text(&named(3)));
        assert!(text.structured(&TypeRef::Array(Box::new(named(3)))));
        assert!(!text.structured(&TypeRef::Array(Box::new(TypeRef::Nullable(Box::new(named(1)))))));
        assert!(text.structured(&TypeRef::Map(Box::new(TypeRef::String))));
    }

    #[test]
    fn each_location_and_style_has_its_encoding() {
        let text = TextTypes(HashSet::new());
        let param = |location, style, ty| Parameter {
            name: "p".into(),
            rust_name: RustName::new("p"),
            location,
            required: true,
            ty,
            style,
            description: None,
            deprecated: false,
            encoding: ParamEncoding::Text,
        };
        let list = || TypeRef::Array(Box::new(TypeRef::Integer { bits: 32, unsigned: false }));
        let cases = [
            (param(ParamLocation::Query, ParamStyle::FormExploded, list()), ParamEncoding::TextItems),
            (param(ParamLocation::Query, ParamStyle::FormComma, list()), ParamEncoding::Joined(Delimiter::Comma)),
            (param(ParamLocation::Query, ParamStyle::PipeDelimited, list()), ParamEncoding::Joined(Delimiter::Pipe)),
            (param(ParamLocation::Header, ParamStyle::Simple, list()), ParamEncoding::Joined(Delimiter::Comma)),
            (param(ParamLocation::Path, ParamStyle::Simple, list()), ParamEncoding::Json(ParamStyle::Simple)),
            (
                param(ParamLocation::Query, ParamStyle::DeepObject, TypeRef::Any),
                ParamEncoding::Json(ParamStyle::DeepObject),
            ),
            (
                param(ParamLocation::Cookie, ParamStyle::FormExploded, TypeRef::Any),
                ParamEncoding::Json(ParamStyle::Simple),
            ),
            (param(ParamLocation::Query, ParamStyle::FormExploded, TypeRef::String), ParamEncoding::Text),
        ];
        for (p, expected) in cases {
            assert_eq!(param_encoding(&text, &p), expected, "{:?} {:?} {:?}", p.location, p.style, p.ty);
        }
    }
}
