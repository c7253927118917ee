//! Stage 8: IR → token streams, one module per kind of output file. Reads only the IR and the
//! [`Settings`]; decides nothing the IR does not say (a grep in CI keeps the emitter away from
//! the runtime's name reader).

mod cli;
mod docs;
mod examples;
mod helpers;
mod mock;
mod operations;
mod rust_types;
mod types;
mod wire;

use proc_macro2::TokenStream;
use quote::quote;

use crate::Settings;
use crate::ir::Api;

/// The names generated modules import from crates other than the runtime (whose names the
/// lowering reads from its source): no type may take them.
pub(crate) const IMPORTED_NAMES: &[&str] = types::SERDE_IMPORTS;

/// How many named types one unit of `src/types.rs` holds. Fixed, so that the output never
/// depends on how many threads formatted it.
const TYPES_PER_UNIT: usize = 24;

/// What every emitter reads: the IR and the caller's settings.
#[derive(Clone, Copy)]
pub struct Cx<'a> {
    /// The API.
    pub api: &'a Api,
    /// The settings.
    pub settings: &'a Settings,
}

impl Cx<'_> {
    /// The path generated code reaches the runtime by (`client_runtime`).
    pub fn runtime(&self) -> proc_macro2::Ident {
        proc_macro2::Ident::new(&self.settings.runtime, proc_macro2::Span::call_site())
    }
}

/// A piece of one output file that is emitted and formatted on its own: the files are cut into
/// units so that formatting, the generator's costliest stage, can run on every core. The formatted
/// units of a file, concatenated in order, are the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// `src/lib.rs`.
    Lib,
    /// `src/types.rs`: the types in `range`; the first unit also carries the module's head.
    Types { range: std::ops::Range<usize> },
    /// `src/operations/mod.rs`.
    OperationsMod,
    /// `src/operations/<tag>.rs` for the group at this index.
    Group(usize),
    /// `src/mock/mod.rs` (the `mock` feature).
    MockMod,
    /// `src/mock/<tag>.rs` for the group at this index.
    MockGroup(usize),
    /// `src/cli/mod.rs` (the `cli` feature).
    CliMod,
    /// `src/cli/<tag>.rs` for the group at this index.
    CliGroup(usize),
}

impl Unit {
    /// The file the unit belongs to, relative to the generated crate's root.
    pub fn path(&self, api: &Api) -> String {
        match self {
            Unit::Lib => "src/lib.rs".into(),
            Unit::Types { .. } => "src/types.rs".into(),
            Unit::OperationsMod => "src/operations/mod.rs".into(),
            Unit::Group(i) => format!("src/operations/{}.rs", api.groups[*i].module.bare()),
            Unit::MockMod => "src/mock/mod.rs".into(),
            Unit::MockGroup(i) => format!("src/mock/{}.rs", api.groups[*i].module.bare()),
            Unit::CliMod => "src/cli/mod.rs".into(),
            Unit::CliGroup(i) => format!("src/cli/{}.rs", api.groups[*i].module.bare()),
        }
    }

    /// Whether the unit starts its file (and so gets the `@generated` header).
    pub fn starts_file(&self) -> bool {
        !matches!(self, Unit::Types { range } if range.start > 0)
    }
}

/// Every unit of the client crate, in output order.
pub fn units(api: &Api) -> Vec<Unit> {
    let mut units = vec![Unit::Lib];
    let mut start = 0;
    loop {
        let end = (start + TYPES_PER_UNIT).min(api.types.len());
        units.push(Unit::Types { range: start..end });
        if end == api.types.len() {
            break;
        }
        start = end;
    }
    units.push(Unit::OperationsMod);
    units.extend((0..api.groups.len()).map(Unit::Group));
    units.push(Unit::MockMod);
    units.extend((0..api.groups.len()).map(Unit::MockGroup));
    units.push(Unit::CliMod);
    units.extend((0..api.groups.len()).map(Unit::CliGroup));
    units
}

/// The tokens of one unit.
pub fn emit(cx: Cx<'_>, unit: &Unit) -> TokenStream {
    match unit {
        Unit::Lib => lib_rs(cx),
        Unit::Types { range } => types::emit(cx, range.clone()),
        Unit::OperationsMod => operations_mod(cx.api),
        Unit::Group(i) => operations::emit(cx, &cx.api.groups[*i]),
        Unit::MockMod => mock::emit_mod(cx),
        Unit::MockGroup(i) => mock::emit_group(cx, &cx.api.groups[*i]),
        Unit::CliMod => cli::emit_mod(cx),
        Unit::CliGroup(i) => cli::emit_group(cx, &cx.api.groups[*i]),
    }
}

fn lib_rs(cx: Cx<'_>) -> TokenStream {
    let api = cx.api;
    let mut text = format!("# {}\n\n", docs::sanitize(&api.title));
    if let Some(d) = &api.description {
        text.push_str(&docs::sanitize(d));
        text.push_str("\n\n");
    }
    let groups = if api.groups.is_empty() {
        "The spec defines no operations.".to_string()
    } else {
        let accessors: Vec<String> = api.groups.iter().map(|g| format!("[`Client::{}`]", g.module)).collect();
        format!("Operations are grouped by tag: {}.", accessors.join(", "))
    };
    text.push_str(&format!("API version `{}`. {groups} Request and response types are in [`types`].", api.version));
    if let Some(quickstart) = cx.settings.library.as_deref().and_then(|lib| examples::quickstart(api, lib)) {
        text.push_str("\n\n");
        text.push_str(&quickstart);
    }
    if let Some(more) = &api.guide {
        text.push_str("\n\n");
        text.push_str(more);
    }
    let crate_doc = docs::inner(&text);
    // Shown only with the `mock` feature, where its example compiles.
    let testing = cx.settings.library.as_deref().and_then(|lib| examples::testing(api, lib)).map(|section| {
        let lines = section.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
        let first = std::iter::once(String::new());
        let lines = first.chain(lines);
        quote!(#( #![cfg_attr(feature = "mock", doc = #lines)] )*)
    });
    let server = api.server.as_ref().map(|s| {
        let url = &s.url;
        let tdoc = format!(" The server URL template of the spec: `{url}`.");
        let args = s.variables.iter().map(|v| {
            let n = &v.rust_name;
            quote!(#n: &str)
        });
        let mut fdoc = String::from("The base URL of a server, filled into [`SERVER_URL_TEMPLATE`].\n");
        for v in &s.variables {
            let desc = v.description.as_deref().map(docs::sanitize).unwrap_or_default();
            fdoc.push_str(&format!(
                "\n- `{}`: {} (the spec's example: `{}`)",
                v.rust_name,
                desc.replace('\n', " "),
                v.default
            ));
        }
        let fdoc = docs::raw(&fdoc);
        let mut body = quote!(String::from(SERVER_URL_TEMPLATE));
        for v in &s.variables {
            let n = &v.rust_name;
            let placeholder = format!("{{{}}}", v.name);
            body = quote!(#body.replace(#placeholder, #n));
        }
        quote! {
            #[doc = #tdoc]
            pub const SERVER_URL_TEMPLATE: &str = #url;
            #fdoc
            #[must_use]
            pub fn server_url(#( #args ),*) -> String { #body }
        }
    });
    let token = api.token_url.as_ref().map(|t| {
        let doc = format!(" The OAuth2 client-credentials token URL template of the spec: `{t}`.");
        quote!(#[doc = #doc] pub const TOKEN_URL_TEMPLATE: &str = #t;)
    });
    let error_type = api.error_type.map(|id| {
        let ty = api.type_name(id);
        let doc = docs::raw(&format!(
            "Reads an [`ApiError`]'s body as the spec's error type, [`types::{ty}`]: most error responses of the spec are documented with it."
        ));
        let method_doc = docs::raw(&format!("The body parsed as [`types::{ty}`], when it is one."));
        quote! {
            #doc
            pub trait ApiErrorExt {
                #method_doc
                fn error_response(&self) -> Option<types::#ty>;
            }

            impl ApiErrorExt for ApiError {
                fn error_response(&self) -> Option<types::#ty> {
                    self.parse()
                }
            }
        }
    });
    // A hand-written module may use any group: it is compiled with all of them.
    let every_group: Vec<&String> = api.groups.iter().map(|g| &g.feature).collect();
    let modules = api.modules.iter().map(|m| {
        let name = &m.name;
        let doc = docs::raw(&m.description);
        let cfg = match every_group.as_slice() {
            [] => quote!(),
            all => quote!(#[cfg(all( #( feature = #all ),* ))]),
        };
        quote!(#doc #cfg pub mod #name;)
    });
    let runtime = cx.runtime();
    let (client_doc, builder_doc) = client_docs(api);
    let request_id = match &api.request_id_header {
        Some(name) => quote!(Some(#name)),
        None => quote!(None),
    };
    quote! {
        #crate_doc
        #testing
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]

        pub mod operations;
        pub mod types;
        #[cfg(feature = "mock")]
        pub mod mock;
        #[cfg(feature = "cli")]
        pub mod cli;
        #( #modules )*

        #runtime::generated_client! {
            #client_doc
            pub struct Client;
            #builder_doc
            pub fn builder;
            request_id: #request_id;
        }

        #server
        #token
        #error_type
    }
}

/// The docs of the crate's `Client` (the runtime's core client wrapped in a type of the crate's
/// own, by the runtime's `generated_client!`) and of its `builder`.
fn client_docs(api: &Api) -> (TokenStream, TokenStream) {
    let title = docs::sanitize(&api.title);
    let groups = match api.groups.first() {
        Some(g) => format!(" the operations hang off accessors such as [`Client::{}`]", g.module),
        None => String::new(),
    };
    let client = docs::raw(&format!(
        "An API client for {title}. Cheap to clone: clones share one connection pool and one cached access token.\n\n\
         Build it with [`Client::builder`];{groups}. [`Client::with_retry`], [`Client::with_timeout`] and \
         [`Client::with_deadline`] give a copy with other settings for the calls made through it."
    ));
    let builder = docs::raw(match &api.server {
        Some(_) => "Starts building a client for `base_url`; [`server_url`] fills in the spec's server URL template.",
        None => "Starts building a client for `base_url`, such as `https://my-server/api`.",
    });
    (client, builder)
}

fn operations_mod(api: &Api) -> TokenStream {
    let mods = api.groups.iter().map(|g| {
        let (m, cfg) = (&g.module, group_cfg(g));
        quote!(#cfg pub(crate) mod #m; #cfg pub use #m::*;)
    });
    quote! {
        //! The operations, one module per tag (each compiled by its cargo feature); everything is
        //! re-exported here.
        #( #mods )*
    }
}

/// `#[cfg(feature = "...")]` of a group's feature.
pub(crate) fn group_cfg(group: &crate::ir::Group) -> TokenStream {
    feature_cfg(std::slice::from_ref(&group.feature))
}

/// The `cfg` attribute that compiles an item when any of `features` is on; nothing when the
/// list is empty (always compiled).
pub(crate) fn feature_cfg(features: &[String]) -> TokenStream {
    match features {
        [] => quote!(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any( #( feature = #many ),* ))]),
    }
}

/// `tokens` (items) each under `cfg`: every item a type brings (its definition, its `impl`s,
/// its serde code) goes with it.
pub(crate) fn each_item_under(cfg: &TokenStream, tokens: TokenStream) -> TokenStream {
    if cfg.is_empty() {
        return tokens;
    }
    use syn::parse::Parser as _;
    let parsed = (syn::parse2::<syn::File>(tokens.clone()), syn::Attribute::parse_outer.parse2(cfg.clone()));
    match parsed {
        (Ok(mut file), Ok(cfg)) => {
            for item in &mut file.items {
                match attrs_mut(item) {
                    // After the item's doc comment, so that the docs read first.
                    Some(attrs) => {
                        let docs = attrs.iter().take_while(|a| a.path().is_ident("doc")).count();
                        attrs.splice(docs..docs, cfg.iter().cloned());
                    }
                    None => *item = syn::parse_quote!(#( #cfg )* #item),
                }
            }
            quote!(#file)
        }
        // Not items: left as they are, for the formatter to report.
        _ => tokens,
    }
}

/// The attributes of an item of a kind the generated code has.
fn attrs_mut(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Enum(i) => &mut i.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        syn::Item::Type(i) => &mut i.attrs,
        syn::Item::Fn(i) => &mut i.attrs,
        syn::Item::Const(i) => &mut i.attrs,
        syn::Item::Macro(i) => &mut i.attrs,
        syn::Item::Mod(i) => &mut i.attrs,
        syn::Item::Trait(i) => &mut i.attrs,
        syn::Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}
