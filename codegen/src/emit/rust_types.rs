//! IR type references → Rust type tokens.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, TypeRef};

/// Where a type is written: `types.rs` itself, or a module that reaches it through `types::`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Site {
    /// Inside `types.rs`.
    Types,
    /// In another generated module.
    Outside,
}

/// The Rust type of a type reference.
pub fn rust_type(api: &Api, ty: &TypeRef, site: Site) -> TokenStream {
    match ty {
        TypeRef::Named { id, boxed } => {
            let name = api.type_name(*id);
            let path = match site {
                Site::Types => quote!(#name),
                Site::Outside => quote!(types::#name),
            };
            if *boxed { quote!(Box<#path>) } else { path }
        }
        TypeRef::String => quote!(String),
        TypeRef::Base64 => quote!(crate::Base64),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::Binary => quote!(bytes::Bytes),
        TypeRef::Bool => quote!(bool),
        TypeRef::Integer { bits: 32, unsigned: false } => quote!(i32),
        TypeRef::Integer { bits: 32, unsigned: true } => quote!(u32),
        TypeRef::Integer { unsigned: true, .. } => quote!(u64),
        TypeRef::Integer { .. } => quote!(i64),
        TypeRef::Number { bits: 32 } => quote!(f32),
        TypeRef::Number { .. } => quote!(f64),
        TypeRef::Array(inner) => {
            let inner = rust_type(api, inner, site);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(api, inner, site);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Any => quote!(serde_json::Value),
        TypeRef::Nullable(inner) => {
            let inner = rust_type(api, inner, site);
            quote!(Option<#inner>)
        }
    }
}

/// Whether a parameter of this type is taken by reference (`&str`, `&[T]`, `&Base64`).
pub fn borrowed(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::String | TypeRef::Base64 | TypeRef::Array(_))
}

/// The type a parameter takes in a method signature: borrowed where that reads better
/// ([`borrowed`] says which).
pub fn param_type(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(&str),
        TypeRef::Base64 => quote!(&crate::Base64),
        TypeRef::Array(inner) => {
            let inner = rust_type(api, inner, Site::Outside);
            quote!(&[#inner])
        }
        other => rust_type(api, other, Site::Outside),
    }
}

/// How a helper passes a required parameter it holds on to again: references as they are
/// (`&str`, `&[T]` from an owned copy), `Copy` values by value, anything else cloned.
pub fn pass_again(api: &Api, ty: &TypeRef, name: impl quote::ToTokens) -> TokenStream {
    // An alias of a number is as `Copy` as the number.
    let copy = matches!(
        api.resolve(ty),
        TypeRef::Bool
            | TypeRef::Integer { .. }
            | TypeRef::Number { .. }
            | TypeRef::Uuid
            | TypeRef::DateTime
            | TypeRef::Date
    );
    if borrowed(ty) {
        quote!(&#name)
    } else if copy {
        quote!(#name)
    } else {
        quote!(#name.clone())
    }
}

/// Whether the type is already an `Option`.
pub fn is_nullable(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Nullable(_))
}
