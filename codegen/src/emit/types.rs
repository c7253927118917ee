//! `src/types.rs`: every named type of the IR, in IR order. Structs are `#[non_exhaustive]` with a
//! `new` constructor taking the required fields, so a spec update that adds an optional field is
//! not a breaking change; enums are `#[non_exhaustive]` and keep unknown values in `Unknown`.

use proc_macro2::TokenStream;
use quote::quote;

use super::Cx;
use super::docs;
use super::rust_types::{Site, is_nullable, rust_type};
use crate::ir::{Api, EnumVariant, Field, OneOfVariant, PartEncoding, RustName, TypeDef, TypeKind, TypeRef};

/// What `types.rs` imports from serde.
pub(super) const SERDE_IMPORTS: &[&str] = &["Deserialize", "Serialize"];

/// The tokens of `types.rs` for the types in `range`; the unit at 0 carries the module's head.
pub fn emit(cx: Cx<'_>, range: std::ops::Range<usize>) -> TokenStream {
    let api = cx.api;
    let runtime = cx.runtime();
    let serde_imports = SERDE_IMPORTS.iter().map(|name| quote::format_ident!("{name}"));
    let head = (range.start == 0).then(|| {
        let module_doc = docs::inner(&format!("Request and response types of the {}.", docs::sanitize(&api.title)));
        quote! {
            #module_doc
            // The docs are the spec's prose, and the names its names; the crate's own uses of what
            // the spec deprecates are not warned about (its users' uses are).
            #![allow(clippy::doc_markdown, clippy::doc_lazy_continuation, clippy::large_enum_variant, clippy::disallowed_names, deprecated)]
            #[allow(unused_imports)]
            use serde::{ #( #serde_imports ),* };
            #[allow(unused_imports)]
            use #runtime::__private::{FromParam, MultipartForm, TaggedMember, ToParam, deserialize_string_enum, deserialize_tagged, json_param};
            #[allow(unused_imports)]
            use #runtime::{FilePart, StringEnum, json_object};
        }
    });
    let items =
        api.types[range].iter().map(|t| super::each_item_under(&super::feature_cfg(&t.features), type_def(api, t)));
    quote! {
        #head
        #( #items )*
    }
}

fn type_def(api: &Api, t: &TypeDef) -> TokenStream {
    let mut doc = docs::prose(t.description.as_deref());
    let source = format!(" Schema: `{}`.", t.pointer);
    let sep = if doc.is_empty() { quote!() } else { quote!(#[doc = ""]) };
    doc = quote!(#doc #sep #[doc = #source]);
    let deprecated = if t.deprecated { quote!(#[deprecated]) } else { quote!() };
    let name = &t.name;
    let required_fields = t.required_fields.as_ref();
    match &t.kind {
        TypeKind::Struct { fields, additional } => {
            struct_def(api, name, doc, deprecated, fields, additional.as_ref(), required_fields)
        }
        TypeKind::Multipart { fields } => multipart_def(api, name, doc, fields, required_fields),
        TypeKind::Enum { variants } => enum_def(name, doc, deprecated, variants),
        TypeKind::Alias(ty) => {
            let ty = rust_type(api, ty, Site::Types);
            quote! { #doc #deprecated pub type #name = #ty; }
        }
        TypeKind::OneOf { variants, discriminator } => {
            union_def(api, name, doc, deprecated, variants, discriminator.as_deref())
        }
    }
}

/// The Rust type of a field: `Option<T>` unless required (a required nullable field is `Option` too).
fn field_type(api: &Api, f: &Field) -> TokenStream {
    let ty = rust_type(api, &f.ty, Site::Types);
    if f.required || is_nullable(&f.ty) { ty } else { quote!(Option<#ty>) }
}

fn field_doc(f: &Field) -> TokenStream {
    let mut doc = docs::prose(f.description.as_deref());
    if doc.is_empty() {
        let text = format!(" The `{}` property.", f.name);
        doc = quote!(#[doc = #text]);
    }
    let mut notes: Vec<String> = Vec::new();
    if f.read_only {
        notes.push("Read-only: set by the server.".into());
    }
    if let Some(default) = &f.default {
        notes.push(format!("When absent, the server assumes `{}`.", default.replace('`', "'")));
    }
    let sep = if notes.is_empty() { quote!() } else { quote!(#[doc = ""]) };
    let notes = notes.iter().map(|n| format!(" {n}"));
    quote!(#doc #sep #( #[doc = #notes] )*)
}

fn struct_def(
    api: &Api,
    name: &RustName,
    doc: TokenStream,
    deprecated: TokenStream,
    fields: &[Field],
    additional: Option<&TypeRef>,
    required_fields: Option<&RustName>,
) -> TokenStream {
    let defs = fields.iter().map(|f| {
        let fname = &f.rust_name;
        let ty = field_type(api, f);
        let doc = field_doc(f);
        let deprecated = if f.deprecated { quote!(#[deprecated]) } else { quote!() };
        quote! { #doc #deprecated pub #fname: #ty, }
    });
    let extra = additional.map(|ty| {
        let ty = rust_type(api, ty, Site::Types);
        quote! {
            /// Properties not listed in the schema, kept as they came.
            pub additional_properties: std::collections::BTreeMap<String, #ty>,
        }
    });
    let (ctor, required_struct) = constructor(api, name, fields, additional.is_some(), required_fields, field_type);
    let serde = serde_impls(name, fields, additional.is_some());
    let default = if fields.iter().any(|f| f.required) { quote!() } else { quote!(, Default) };
    quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, PartialEq #default)]
        #[non_exhaustive]
        pub struct #name { #( #defs )* #extra }
        impl #name { #ctor }
        #required_struct
        #serde
    }
}

/// Whether a field's Rust type is an `Option` (optional, or nullable).
fn is_option(f: &Field) -> bool {
    !f.required || is_nullable(&f.ty)
}

/// `Serialize` and `Deserialize` as a JSON object, declared field by field through the runtime's
/// `json_object!` (see `runtime/wire.rs`): unset optional fields are left out, a required nullable
/// field that is `None` is written as `null`, a missing required field is named in the error,
/// unknown keys are skipped or kept in `additional_properties`.
fn serde_impls(name: &RustName, fields: &[Field], additional: bool) -> TokenStream {
    let entries = fields.iter().map(|f| {
        let n = &f.rust_name;
        let wire = &f.name;
        let kind = match (f.required, is_option(f)) {
            (true, false) => quote!(required),
            (true, true) => quote!(nullable),
            (false, _) => quote!(optional),
        };
        quote!(#n: #wire #kind)
    });
    let extra = additional.then(|| quote!(..additional_properties));
    quote! {
        json_object!(#name { #( #entries ),* } #extra);
    }
}

/// `pub fn new(required...) -> Self`, the one way to build a `#[non_exhaustive]` struct;
/// `field_type` gives each field's Rust type (multipart forms hold `FilePart`s). When the IR names
/// a struct of required fields, `new` takes that instead (and the struct is emitted here).
fn constructor(
    api: &Api,
    name: &RustName,
    fields: &[Field],
    additional: bool,
    required_fields: Option<&RustName>,
    field_type: fn(&Api, &Field) -> TokenStream,
) -> (TokenStream, TokenStream) {
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let inits = fields.iter().map(|f| {
        let n = &f.rust_name;
        if f.required { quote!(#n) } else { quote!(#n: None) }
    });
    let extra = additional.then(|| quote!(additional_properties: Default::default(),));
    let names: Vec<String> = required.iter().map(|f| format!("`{}`", f.name)).collect();
    let Some(fields_ty) = required_fields else {
        let args = required.iter().map(|f| {
            let n = &f.rust_name;
            let ty = field_type(api, f);
            quote!(#n: #ty)
        });
        let doc = if required.is_empty() {
            " A value with every field unset.".to_string()
        } else {
            format!(" A value with the required fields ({}) set and every optional field unset.", names.join(", "))
        };
        let ctor = quote! {
            #[doc = #doc]
            #[must_use]
            pub fn new(#( #args ),*) -> Self { Self { #( #inits, )* #extra } }
        };
        return (ctor, quote!());
    };
    // Too many, or too alike, to be positional: a struct literal names each one.
    let defs = required.iter().map(|f| {
        let n = &f.rust_name;
        let ty = field_type(api, f);
        let doc = field_doc(f);
        quote! { #doc pub #n: #ty, }
    });
    let unpack = required.iter().map(|f| &f.rust_name);
    let doc = format!(
        " A value with the required fields set and every optional field unset. The required fields ({}) are named in a [`{fields_ty}`], so that none can be given in another's place.",
        names.join(", ")
    );
    let sdoc = format!(
        " The required fields of [`{name}`], for [`{name}::new`]. Every field is named where it is given; a spec update that adds a required field adds one here (a breaking change either way)."
    );
    let ctor = quote! {
        #[doc = #doc]
        #[must_use]
        pub fn new(required: #fields_ty) -> Self {
            let #fields_ty { #( #unpack ),* } = required;
            Self { #( #inits, )* #extra }
        }
    };
    let from_doc = format!(" [`{name}::new`].");
    let item = quote! {
        #[doc = #sdoc]
        #[derive(Debug)]
        pub struct #fields_ty { #( #defs )* }
        impl From<#fields_ty> for #name {
            #[doc = #from_doc]
            fn from(required: #fields_ty) -> Self { Self::new(required) }
        }
    };
    (ctor, item)
}

fn multipart_def(
    api: &Api,
    name: &RustName,
    doc: TokenStream,
    fields: &[Field],
    required_fields: Option<&RustName>,
) -> TokenStream {
    let defs = fields.iter().map(|f| {
        let fname = &f.rust_name;
        let ty = multipart_field_type(api, f);
        let doc = field_doc(f);
        quote! { #doc pub #fname: #ty, }
    });
    let (ctor, required_struct) = constructor(api, name, fields, false, required_fields, multipart_field_type);
    // With nothing required, `new()` takes no argument: `Default` is the same value.
    let default = if fields.iter().all(|f| !f.required) {
        quote! {
            impl Default for #name {
                fn default() -> Self { Self::new() }
            }
        }
    } else {
        quote!()
    };
    // One call of the form per part, as its encoding says; an optional part only when set.
    let parts = fields.iter().map(|f| {
        let n = &f.rust_name;
        let wire = &f.name;
        let value = if f.required { quote!(self.#n) } else { quote!(value) };
        let add = match f.part {
            PartEncoding::Text => quote!(form.text(#wire, &#value);),
            PartEncoding::TextItems => quote!(form.text_items(#wire, &#value);),
            PartEncoding::Json => quote!(form.json(#wire, &#value);),
            PartEncoding::JsonItems => quote!(form.json_items(#wire, &#value);),
            PartEncoding::File => quote!(form.file(#wire, #value);),
            PartEncoding::Files => quote!(form.files(#wire, #value);),
        };
        if f.required { add } else { quote!(if let Some(value) = self.#n { #add }) }
    });
    quote! {
        #doc
        #[derive(Debug)]
        #[non_exhaustive]
        pub struct #name { #( #defs )* }
        impl #name {
            #ctor

            /// The `multipart/form-data` parts, in spec order.
            pub(crate) fn into_form(self) -> MultipartForm {
                let mut form = MultipartForm::new();
                #( #parts )*
                form
            }
        }
        #default
        #required_struct
    }
}

fn multipart_field_type(api: &Api, f: &Field) -> TokenStream {
    let ty = match f.part {
        PartEncoding::File => quote!(FilePart),
        // Several files under one part name.
        PartEncoding::Files => quote!(Vec<FilePart>),
        _ => rust_type(api, &f.ty, Site::Types),
    };
    if f.required { ty } else { quote!(Option<#ty>) }
}

/// A string enum. Serde goes through `as_str` and `From<&str>` (a `match` on the text) rather than
/// serde's derive, whose untagged fallback variant costs several times the compile time.
fn enum_def(name: &RustName, doc: TokenStream, deprecated: TokenStream, variants: &[EnumVariant]) -> TokenStream {
    let defs = variants.iter().map(|v| {
        let vname = &v.rust_name;
        let vdoc = format!(" `{}`", v.value.replace('`', "'"));
        quote!(#[doc = #vdoc] #vname,)
    });
    let to_wire = variants.iter().map(|v| {
        let vname = &v.rust_name;
        let wire = &v.value;
        quote!(Self::#vname => #wire,)
    });
    let from_wire = variants.iter().map(|v| {
        let vname = &v.rust_name;
        let wire = &v.value;
        quote!(#wire => Self::#vname,)
    });
    let values = variants.iter().map(|v| &v.value);
    quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #defs )*
            /// A value this version of the client does not know; kept as sent.
            Unknown(String),
        }
        impl #name {
            /// The values the spec lists, as they travel on the wire.
            pub const VALUES: &'static [&'static str] = &[ #( #values ),* ];

            /// The value as it travels on the wire.
            pub fn as_str(&self) -> &str {
                match self { #( #to_wire )* Self::Unknown(value) => value }
            }
        }
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value { #( #from_wire )* other => Self::Unknown(other.to_owned()) }
            }
        }
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
        impl ToParam for #name {
            fn to_param(&self) -> String { self.as_str().to_owned() }
        }
        impl FromParam for #name {
            fn from_param(text: &str) -> Result<Self, String> { Ok(Self::from(text)) }
        }
        impl StringEnum for #name {
            const VALUES: &'static [&'static str] = Self::VALUES;
            fn wire(&self) -> &str { self.as_str() }
        }
        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserialize_string_enum(deserializer)
            }
        }
    }
}

fn union_def(
    api: &Api,
    name: &RustName,
    doc: TokenStream,
    deprecated: TokenStream,
    variants: &[OneOfVariant],
    discriminator: Option<&str>,
) -> TokenStream {
    let defs = variants.iter().map(|v| {
        let vname = &v.rust_name;
        let ty = rust_type(api, &v.ty, Site::Types);
        let vdoc = match &v.tag {
            Some(tag) => format!(" Selected by the discriminator value `{tag}`."),
            None => " One of the accepted shapes.".to_string(),
        };
        quote!(#[doc = #vdoc] #vname(#ty),)
    });
    let tagged = discriminator.filter(|_| variants.iter().all(|v| v.tag.is_some()));
    let (derives, serde_impls) = match tagged {
        Some(property) => (quote!(#[derive(Debug, Clone, PartialEq)]), tagged_serde(name, variants, property)),
        None => (quote!(#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)] #[serde(untagged)]), quote!()),
    };
    quote! {
        #doc
        #deprecated
        #derives
        pub enum #name { #( #defs )* }
        #serde_impls
        impl ToParam for #name {
            fn to_param(&self) -> String { json_param(self) }
        }
    }
}

/// A union with a discriminator: read by its tag (the member sees the whole object, tag
/// included; an unknown tag tries each member), written as its member with the tag added when
/// the member leaves it unset.
fn tagged_serde(name: &RustName, variants: &[OneOfVariant], property: &str) -> TokenStream {
    let tags: Vec<&str> = variants.iter().filter_map(|v| v.tag.as_deref()).collect();
    let names: Vec<&RustName> = variants.iter().map(|v| &v.rust_name).collect();
    let union = name.to_string();
    quote! {
        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::Error as _;
                let (tag, value) = match self {
                    #( Self::#names(v) => (#tags, serde_json::to_value(v)), )*
                };
                let mut value = value.map_err(S::Error::custom)?;
                if let Some(map) = value.as_object_mut() {
                    map.entry(#property).or_insert_with(|| tag.into());
                }
                value.serialize(serializer)
            }
        }
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let members: &[TaggedMember<Self>] = &[
                    #( (#tags, |v| serde_json::from_value(v).map(Self::#names)), )*
                ];
                deserialize_tagged(deserializer, #property, #union, members)
            }
        }
    }
}
