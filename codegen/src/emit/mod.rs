//! Stage 8: IR → token streams, one function per kind of output file. Reads only the IR.

mod docs;
mod examples;
mod operations;
mod rust_types;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Api;

/// How many named types one unit of `src/types.rs` holds. Fixed, so that the output never
/// depends on how many threads formatted it.
const TYPES_PER_UNIT: usize = 24;

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
}

impl Unit {
    /// The file the unit belongs to, relative to the generated crate's root.
    pub fn path(&self, api: &Api) -> String {
        match self {
            Unit::Lib => "src/lib.rs".into(),
            Unit::Types { .. } => "src/types.rs".into(),
            Unit::OperationsMod => "src/operations/mod.rs".into(),
            Unit::Group(i) => format!("src/operations/{}.rs", api.groups[*i].module.trim_start_matches("r#")),
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
    units
}

/// The tokens of one unit.
pub fn emit(api: &Api, unit: &Unit) -> TokenStream {
    match unit {
        Unit::Lib => lib_rs(api),
        Unit::Types { range } => types::emit(api, range.clone()),
        Unit::OperationsMod => operations_mod(api),
        Unit::Group(i) => operations::emit(&api.groups[*i], api.library.as_deref()),
    }
}

fn lib_rs(api: &Api) -> TokenStream {
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
    if let Some(quickstart) = api.library.as_deref().and_then(|lib| examples::quickstart(api, lib)) {
        text.push_str("\n\n");
        text.push_str(&quickstart);
    }
    if let Some(more) = &api.guide {
        text.push_str("\n\n");
        text.push_str(more);
    }
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
    let error_type = api.error_type.as_ref().map(|t| {
        let ty = rust_types::ident(t);
        let doc = docs::raw(&format!(
            "Reads an [`ApiError`]'s body as the spec's error type, [`types::{t}`]: most error responses of the spec are documented with it."
        ));
        let method_doc = docs::raw(&format!("The body parsed as [`types::{t}`], when it is one."));
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
    let exports = crate::runtime_names::runtime_names().exports.iter().map(|name| rust_types::ident(name));
    let client = client_type(api);
    let modules = api.modules.iter().map(|m| {
        let name = rust_types::ident(&m.name);
        let doc = docs::raw(&m.description);
        quote!(#doc pub mod #name;)
    });
    quote! {
        #crate_doc
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]

        pub mod operations;
        pub mod types;
        #( #modules )*

        pub use client_runtime::{ #( #exports ),* };

        #client

        #server
        #token
        #error_type
    }
}

/// The crate's `Client`: the runtime's core client wrapped in a type of the crate's own, so that
/// the operation modules can add the groups to it (`client.workflows()`), named after the crate
/// (its user agent and tracing spans, through the runtime's `client_names!`).
fn client_type(api: &Api) -> TokenStream {
    let title = docs::sanitize(&api.title);
    let groups = match api.groups.first() {
        Some(g) => format!(" the operations hang off accessors such as [`Client::{}`]", g.module),
        None => String::new(),
    };
    let doc = docs::raw(&format!(
        "An API client for {title}. Cheap to clone: clones share one connection pool and one cached access token.\n\n\
         Build it with [`Client::builder`];{groups}. [`Client::with_retry`], [`Client::with_timeout`] and \
         [`Client::with_deadline`] give a copy with other settings for the calls made through it."
    ));
    let builder_doc = docs::raw(&match &api.server {
        Some(_) => "Starts building a client for `base_url`; [`server_url`] fills in the spec's server URL template."
            .to_string(),
        None => "Starts building a client for `base_url`, such as `https://my-server/api`.".to_string(),
    });
    quote! {
        #doc
        #[derive(Clone)]
        pub struct Client {
            inner: client_runtime::Client,
        }

        /// Configures a [`Client`]: credentials, retries, timeouts, TLS.
        pub type ClientBuilder = client_runtime::ClientBuilder<Client>;

        /// This crate's user agent and tracing span names.
        static CLIENT_NAMES: client_runtime::__private::ClientNames = client_runtime::client_names!();

        impl Client {
            #builder_doc
            pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
                ClientBuilder::new(base_url, &CLIENT_NAMES)
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.inner.base_url()
            }

            /// This client with another retry policy, for the calls made through the copy.
            #[must_use]
            pub fn with_retry(&self, retry: RetryPolicy) -> Client {
                Client { inner: self.inner.with_retry(retry) }
            }

            /// This client with another per-attempt timeout (`None`: none), for the calls made through the copy.
            #[must_use]
            pub fn with_timeout(&self, timeout: Option<std::time::Duration>) -> Client {
                Client { inner: self.inner.with_timeout(timeout) }
            }

            /// This client with a deadline for each whole call, retries included (`None`: none),
            /// for the calls made through the copy.
            #[must_use]
            pub fn with_deadline(&self, deadline: Option<std::time::Duration>) -> Client {
                Client { inner: self.inner.with_deadline(deadline) }
            }
        }

        impl From<client_runtime::Client> for Client {
            fn from(inner: client_runtime::Client) -> Self {
                Client { inner }
            }
        }

        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.inner.fmt(f)
            }
        }
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
