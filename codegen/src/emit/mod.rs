//! Stage 4: IR → token streams, one function per kind of output file. Reads only the IR.

mod docs;
mod operations;
mod rust_types;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Api;

/// A file to write, relative to the generated crate's root, as tokens.
pub struct TokenFile {
    /// `src/types.rs`, `src/operations/workflows.rs`...
    pub path: String,
    /// Its items.
    pub tokens: TokenStream,
}

/// Every generated file of the client crate.
pub fn emit(api: &Api) -> Vec<TokenFile> {
    let mut files = vec![
        TokenFile { path: "src/lib.rs".into(), tokens: lib_rs(api) },
        TokenFile { path: "src/types.rs".into(), tokens: types::emit(api) },
        TokenFile { path: "src/operations/mod.rs".into(), tokens: operations_mod(api) },
    ];
    for group in &api.groups {
        files.push(TokenFile {
            path: format!("src/operations/{}.rs", group.module.trim_start_matches("r#")),
            tokens: operations::emit(group),
        });
    }
    files
}

fn lib_rs(api: &Api) -> TokenStream {
    let mut text = format!("# {}\n\n", docs::sanitize(&api.title));
    if let Some(d) = &api.description {
        text.push_str(&docs::sanitize(d));
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "API version `{}`. Operations are grouped by tag: {}. Request and response types are in [`types`].",
        api.version,
        api.groups.iter().map(|g| format!("[`Client::{}`]", g.module)).collect::<Vec<_>>().join(", ")
    ));
    let crate_doc = docs::inner(&text);
    let server = api.server.as_ref().map(|s| {
        let url = &s.url;
        let tdoc = format!(" The server URL template of the spec: `{url}`.");
        let args = s.variables.iter().map(|v| {
            let n = rust_types::ident(&v.rust_name);
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
            let n = rust_types::ident(&v.rust_name);
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
    quote! {
        #crate_doc
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]

        pub mod operations;
        mod runtime;
        pub mod types;

        pub use runtime::exports::*;

        #server
        #token
    }
}

fn operations_mod(api: &Api) -> TokenStream {
    let mods = api.groups.iter().map(|g| rust_types::ident(&g.module));
    let uses = mods.clone();
    quote! {
        //! The operations, one module per tag; everything is re-exported here.
        #( mod #mods; )*
        #( pub use #uses::*; )*
    }
}
