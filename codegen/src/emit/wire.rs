//! The IR's wire decisions as the runtime's enums name them (`ParamStyle::DeepObject`,
//! `Place::Query`): one mapping for every emitter that prints them (operations, mock, cli).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{ParamLocation, ParamStyle};

/// The runtime's `ParamStyle` variant.
pub(super) fn style(style: ParamStyle) -> TokenStream {
    match style {
        ParamStyle::FormExploded => quote!(ParamStyle::FormExploded),
        ParamStyle::FormComma => quote!(ParamStyle::FormComma),
        ParamStyle::SpaceDelimited => quote!(ParamStyle::SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(ParamStyle::PipeDelimited),
        ParamStyle::DeepObject => quote!(ParamStyle::DeepObject),
        ParamStyle::Simple => quote!(ParamStyle::Simple),
    }
}

/// The runtime's `Place` variant (the mock's and the command line's).
pub(super) fn place(location: ParamLocation) -> TokenStream {
    match location {
        ParamLocation::Path => quote!(Place::Path),
        ParamLocation::Query => quote!(Place::Query),
        ParamLocation::Header => quote!(Place::Header),
        ParamLocation::Cookie => quote!(Place::Cookie),
    }
}
