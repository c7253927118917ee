//! Types: references ([`TypeRef`]), named types ([`TypeDef`]) and their shapes ([`TypeKind`]).

use super::RustName;

/// A named type: its index in [`super::Api::types`]. Lowering hands them out; its name is a
/// property of the definition, so renaming a type never touches a reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub u32);

impl TypeId {
    /// The index in [`super::Api::types`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A reference to a type, as a field, parameter or body uses it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// A named type of [`super::Api::types`].
    Named {
        /// Which one.
        id: TypeId,
        /// Whether it must be boxed here to break a cycle.
        boxed: bool,
    },
    /// `string`.
    String,
    /// `string` with `format: date-time`.
    DateTime,
    /// `string` with `format: date`.
    Date,
    /// `string` with `format: uuid`.
    Uuid,
    /// `string` with `format: binary` (raw bytes; a file part in multipart).
    Binary,
    /// `string` with `format: byte` (base64).
    Base64,
    /// `boolean`.
    Bool,
    /// `integer` of a given width and signedness.
    Integer {
        /// 32 or 64.
        bits: u8,
        /// Unsigned when `minimum: 0`.
        unsigned: bool,
    },
    /// `number` (`float` → 32 bits, else 64).
    Number {
        /// 32 or 64.
        bits: u8,
    },
    /// An array.
    Array(Box<TypeRef>),
    /// A string-keyed map.
    Map(Box<TypeRef>),
    /// Any JSON value (an empty schema).
    Any,
    /// A nullable value.
    Nullable(Box<TypeRef>),
}

impl TypeRef {
    /// A reference to the named type `id`, not boxed.
    pub fn named(id: TypeId) -> TypeRef {
        TypeRef::Named { id, boxed: false }
    }

    /// The named type this reference is, directly or through `nullable`.
    pub fn direct_id(&self) -> Option<TypeId> {
        match self {
            TypeRef::Named { id, .. } => Some(*id),
            TypeRef::Nullable(inner) => inner.direct_id(),
            _ => None,
        }
    }

    /// The reference without `nullable`.
    pub fn non_null(&self) -> &TypeRef {
        match self {
            TypeRef::Nullable(inner) => inner,
            other => other,
        }
    }
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name.
    pub name: RustName,
    /// Where the schema is (`#/components/schemas/Foo`).
    pub pointer: String,
    /// The schema's `title`/`description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// What it is.
    pub kind: TypeKind,
    /// For a struct or multipart form whose required fields are too many (more than
    /// [`super::MAX_POSITIONAL`]) or too alike (two `bool`s) to be positional arguments of `new`:
    /// the name of the struct of required fields that `new` takes instead, so that every value is
    /// named where it is given.
    pub required_fields: Option<RustName>,
    /// The group features ([`super::Group::feature`]) any of which compiles the type: those of
    /// the groups whose operations need it. Empty: always compiled (needed by every group, by
    /// none, or by the crate itself, as the error type).
    pub features: Vec<String>,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// An object with known fields.
    Struct {
        /// Fields in spec order (`allOf` members' fields first, in member order).
        fields: Vec<Field>,
        /// Extra properties kept in a map of this value type (`additionalProperties`).
        additional: Option<TypeRef>,
    },
    /// A string enum.
    Enum {
        /// Variants in spec order.
        variants: Vec<EnumVariant>,
    },
    /// Another name for a type.
    Alias(TypeRef),
    /// `oneOf`/`anyOf`.
    OneOf {
        /// Members in spec order.
        variants: Vec<OneOfVariant>,
        /// The discriminator property, when the union is tagged.
        discriminator: Option<String>,
    },
    /// A multipart form: fields become parts; binary fields are file parts.
    Multipart {
        /// The parts in spec order.
        fields: Vec<Field>,
    },
}

/// One field of a struct, or part of a multipart form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// The wire name.
    pub name: String,
    /// The Rust name.
    pub rust_name: RustName,
    /// Its type.
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `readOnly: true`.
    pub read_only: bool,
    /// The schema's `default` (as JSON text): what the server assumes when the field is absent.
    pub default: Option<String>,
    /// How a multipart part of it is written: decided by the wire pass (unused in JSON objects).
    pub part: PartEncoding,
}

/// How a multipart part travels. Decided by the lowering's wire pass (`lower/wire.rs`) from the
/// types a reference leads to; the emitter maps each to one call of the runtime's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PartEncoding {
    /// One text part of its plain text form (`ToParam`): strings, numbers, booleans, dates,
    /// UUIDs, string enums and aliases of them.
    #[default]
    Text,
    /// A list: one text part per item.
    TextItems,
    /// One text part of its JSON text: objects, maps, unions, arbitrary JSON.
    Json,
    /// A list: one JSON text part per item.
    JsonItems,
    /// One file part of raw bytes.
    File,
    /// A list: one file part per item, under the same name.
    Files,
}

/// One variant of a string enum.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumVariant {
    /// The wire value.
    pub value: String,
    /// The Rust name.
    pub rust_name: RustName,
}

/// One member of a union.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OneOfVariant {
    /// The Rust variant name.
    pub rust_name: RustName,
    /// The discriminator value that selects it (tagged unions only).
    pub tag: Option<String>,
    /// Its type.
    pub ty: TypeRef,
}

impl TypeKind {
    /// The fields of a struct or a multipart form.
    pub fn fields(&self) -> &[Field] {
        match self {
            TypeKind::Struct { fields, .. } | TypeKind::Multipart { fields } => fields,
            _ => &[],
        }
    }
}
